const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * A duration (`'30d'`, `'12h'`, `'90m'`, `'45s'`, `'500ms'`, `'2w'`, or a number of ms) in
 * milliseconds; undefined when it is not one (negative, no number, an unknown unit).
 */
export function parseDuration(input: string | number): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? input : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$/.exec(input);
  if (!match) return undefined;
  return Number(match[1]) * UNITS[match[2] ?? 'ms']!;
}

/** A rough, readable age: `45 days`, `3 hours`, `12 minutes`. */
export function describeAge(ms: number): string {
  const [unit, size] = ms >= 2 * UNITS['d']! ? ['day', UNITS['d']!] : ms >= 2 * UNITS['h']! ? ['hour', UNITS['h']!] : ['minute', UNITS['m']!];
  const count = Math.floor(ms / size);
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}
