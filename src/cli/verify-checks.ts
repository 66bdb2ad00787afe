import { decodeCassette, encodeCassette } from '../cassette/codec.js';
import { describeAge } from '../duration.js';
import { isCassetteError } from '../errors.js';
import { findSecrets, type KnownSecret } from '../redact/secret-shapes.js';
import type { CassetteData } from '../types.js';

/** One problem in one file: printed as `file:line: what`. */
export interface Finding {
  file: string;
  line?: number | undefined;
  what: string;
}

export interface VerifyOptions {
  /** Secret values to look for (the key variables' values). */
  known: readonly KnownSecret[];
  /** Matched texts that are not secrets (test fixtures): a hit inside one of these is ignored. */
  allow: readonly string[];
  /** Interactions recorded longer ago than this are findings. */
  maxAge?: { ms: number; text: string } | undefined;
  now: number;
}

export interface VerifyResult {
  findings: Finding[];
  /** The decoded cassette, when it decodes. */
  data?: CassetteData;
  /** Decoded, and re-encoding it gives the same bytes. */
  canonical: boolean;
}

/**
 * Checks one cassette's text: it decodes and validates (the library's codec), it is in canonical
 * form, it holds no secret, and (with maxAge) nothing in it is too old. The secret scan runs on
 * the raw text, so it also covers a file that does not decode.
 */
export function verifyText(file: string, text: string, options: VerifyOptions): VerifyResult {
  const findings: Finding[] = [];
  let data: CassetteData | undefined;
  try {
    data = decodeCassette(text, file);
  } catch (error) {
    if (!isCassetteError(error)) throw error;
    findings.push({ file, line: (error as { line?: number }).line, what: formatProblem(error.message, file) });
  }
  let canonical = false;
  if (data) {
    const encoded = encodeCassette(data);
    canonical = encoded === text;
    if (!canonical) {
      findings.push({
        file,
        line: firstDifferentLine(text, encoded),
        what: 'not in canonical form from this line on (re-encoding changes it); `cassettes verify --fix` rewrites it',
      });
    }
  }
  findings.push(...secretFindings(file, text, data, options));
  if (data && options.maxAge) findings.push(...ageFindings(file, text, data, options.maxAge, options.now));
  return { findings: findings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)), ...(data ? { data } : {}), canonical };
}

/** The codec's message without its prefix, the file name and the fix (the finding line names the file). */
function formatProblem(message: string, file: string): string {
  const first = message.split('\n')[0]!.replace(/^cassettes: /, '');
  return first.replace(` ${file}`, '').replace(/ \(line \d+\)/, '');
}

function firstDifferentLine(a: string, b: string): number {
  const left = a.split('\n');
  const right = b.split('\n');
  let i = 0;
  while (i < left.length && left[i] === right[i]) i++;
  return i + 1;
}

function secretFindings(file: string, text: string, data: CassetteData | undefined, options: VerifyOptions): Finding[] {
  const findings: Finding[] = [];
  const allowed = (found: string): boolean => options.allow.some((allow) => allow !== '' && (found.includes(allow) || allow.includes(found)));
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    for (const hit of findSecrets(line, options.known)) {
      if (!allowed(line.slice(hit.start, hit.end))) findings.push({ file, line: i + 1, what: `secret: ${hit.kind}` });
    }
  });
  // @note base64 bodies and chunks hide their text from the line scan: decoded and scanned too
  for (const encoded of base64Fields(data)) {
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const hits = findSecrets(decoded, options.known).filter((hit) => !allowed(decoded.slice(hit.start, hit.end)));
    if (hits.length === 0) continue;
    const at = lines.findIndex((line) => line.includes(encoded.slice(0, 40)));
    for (const hit of hits) findings.push({ file, line: at === -1 ? undefined : at + 1, what: `secret: ${hit.kind} (in base64 data)` });
  }
  return findings;
}

function base64Fields(data: CassetteData | undefined): string[] {
  const found: string[] = [];
  for (const interaction of data?.interactions ?? []) {
    for (const body of [interaction.request.body, interaction.response?.body]) if (body && 'base64' in body) found.push(body.base64);
    for (const chunk of interaction.response?.chunks ?? []) if (chunk.base64 !== undefined) found.push(chunk.base64);
  }
  return found;
}

function ageFindings(file: string, text: string, data: CassetteData, maxAge: { ms: number; text: string }, now: number): Finding[] {
  const lines = recordedAtLines(text);
  const findings: Finding[] = [];
  data.interactions.forEach((interaction, i) => {
    const at = Date.parse(interaction.recordedAt);
    const where = `interaction #${i} (${interaction.request.method} ${interaction.request.url})`;
    if (Number.isNaN(at)) findings.push({ file, line: lines[i], what: `${where}: recordedAt ${JSON.stringify(interaction.recordedAt)} is not a date` });
    else if (now - at > maxAge.ms) {
      findings.push({
        file,
        line: lines[i],
        what: `${where} was recorded ${interaction.recordedAt}, ${describeAge(now - at)} ago (over --max-age ${maxAge.text}); re-record it`,
      });
    }
  });
  return findings;
}

/**
 * The line of each interaction's `recordedAt`, in order. Interactions are the items of the
 * top-level `interactions:` list: their fields sit at one indentation, which nothing deeper shares.
 */
function recordedAtLines(text: string): number[] {
  const lines: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (/^(?: {2}- | {4})recordedAt:/.test(line)) lines.push(i + 1);
  });
  return lines;
}
