/**
 * The line of each interaction's `recordedAt`, in order. Interactions are the items of the
 * top-level `interactions:` list: their fields sit at one indentation, which nothing deeper shares.
 */
export function recordedAtLines(text: string): number[] {
  const lines: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (/^(?: {2}- | {4})recordedAt:/.test(line)) lines.push(i + 1);
  });
  return lines;
}
