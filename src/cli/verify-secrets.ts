import { isHttp } from '../journal/timeline.js';
import { findSecrets, type SecretHit } from '../redact/secret-shapes.js';
import { streamText } from '../stream/recorded-events.js';
import type { CassetteData, Interaction } from '../types.js';
import { recordedAtLines } from './interaction-lines.js';
import type { Finding, VerifyOptions } from './verify-checks.js';

/**
 * Secrets in a cassette: in its text, line by line; then in what the text decodes to, where the
 * line scan cannot see them: strings the YAML escapes (`"sk\x2D…"`), a stream's bytes (a key
 * split across two chunks), base64 bodies and chunks.
 * The text's lines report every occurrence; what only the decoded values show is reported once,
 * at its interaction's line (a base64 field: its own line).
 */
export function secretFindings(file: string, text: string, data: CassetteData | undefined, options: VerifyOptions): Finding[] {
  const findings: Finding[] = [];
  const reported = new Set<string>();
  const report = (source: string, hits: SecretHit[], line: number | undefined, where = ''): void => {
    for (const hit of hits) {
      const secret = source.slice(hit.start, hit.end);
      if ((where !== '' && reported.has(secret)) || options.allow.some((allow) => allow !== '' && (secret.includes(allow) || allow.includes(secret)))) continue;
      reported.add(secret);
      findings.push({ file, line, what: `secret: ${hit.kind}${where}` });
    }
  };
  const lines = text.split('\n');
  // one scan of the whole text (a scan per line costs several times more), hits placed on their lines
  const lineStarts = [0];
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lineStarts.push(at + 1);
  for (const hit of findSecrets(text, options.known)) report(text, [hit], lineOf(lineStarts, hit.start));
  const starts = recordedAtLines(text);
  // a decoded value is also read with JSON's string escapes undone: a text body or a stream is
  // JSON kept as text, where `sk\u002d…` or `\/` hides a key from a literal scan
  const scan = (value: string, line: number | undefined, where: string, escaped: string): void => {
    report(value, findSecrets(value, options.known), line, where);
    if (!value.includes('\\')) return;
    const unescaped = unescapeJson(value);
    if (unescaped !== value) report(unescaped, findSecrets(unescaped, options.known), line, escaped);
  };
  data?.interactions.forEach((interaction, i) => {
    const escaped = ` (in interaction #${i}, written with JSON escapes)`;
    for (const value of stringsOf(interaction)) scan(value, starts[i], ` (in interaction #${i}, written with YAML escapes)`, escaped);
    if (!isHttp(interaction)) return;
    // @note a key split across two chunks is whole only in the stream's bytes
    const chunks = interaction.response?.chunks;
    if (chunks && chunks.length > 1) scan(streamText(chunks), starts[i], ` (in interaction #${i}, split across stream chunks)`, escaped);
    for (const encoded of base64Of(interaction)) {
      const decoded = Buffer.from(encoded, 'base64').toString('utf8');
      const at = lines.findIndex((line) => line.includes(encoded.slice(0, 40)));
      scan(decoded, at === -1 ? starts[i] : at + 1, ' (in base64 data)', ' (in base64 data, written with JSON escapes)');
    }
  });
  return findings;
}

const JSON_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * JSON's string escapes undone wherever they stand.
 * @note not JSON.parse: a text body or a stream's bytes are JSON only in pieces (SSE lines, a
 * body cut at maxBodyBytes), and an escape hides a key just as well there.
 */
export function unescapeJson(text: string): string {
  return text.replace(/\\(?:u([0-9a-fA-F]{4})|(["\\/bfnrt]))/g, (_, hex: string | undefined, char: string | undefined) =>
    hex === undefined ? JSON_ESCAPES[char!]! : String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

/** Every string in an interaction, keys of JSON objects too. */
function stringsOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsOf(item, out);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      out.push(key);
      stringsOf(item, out);
    }
  }
  return out;
}

function base64Of(interaction: Interaction): string[] {
  const found: string[] = [];
  for (const body of [interaction.request.body, interaction.response?.body]) if (body && 'base64' in body) found.push(body.base64);
  for (const chunk of interaction.response?.chunks ?? []) if (chunk.base64 !== undefined) found.push(chunk.base64);
  return found;
}

/** The 1-based line holding `offset`, given where each line starts. */
function lineOf(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return low + 1;
}
