import { decodeCassette, encodeCassette } from '../cassette/codec.js';
import { describeAge } from '../duration.js';
import { isCassetteError } from '../errors.js';
import { describeEntry } from '../journal/timeline.js';
import type { KnownSecret } from '../redact/secret-shapes.js';
import type { CassetteData } from '../types.js';
import { recordedAtLines } from './interaction-lines.js';
import { secretFindings } from './verify-secrets.js';

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

function ageFindings(file: string, text: string, data: CassetteData, maxAge: { ms: number; text: string }, now: number): Finding[] {
  const lines = recordedAtLines(text);
  const findings: Finding[] = [];
  data.interactions.forEach((interaction, i) => {
    const at = Date.parse(interaction.recordedAt);
    const where = `interaction #${i} (${describeEntry(interaction)})`;
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
