/**
 * Replays cassettes in a fresh Node process, through the BUILT package (`cassettes` resolves to
 * dist/ via the package's self-reference), and prints what the app saw as JSON on stdout.
 *
 * Run directly with Node ≥ 23.6 type stripping:
 *   node test/support/replay-child.ts <input.json>
 * input.json: { dir, baseUrl, calls: [{ name, spec }] }
 */
import { readFileSync } from 'node:fs';
import { type CassetteReport, withCassette } from 'cassettes';
import type { CallSpec } from './sdk-calls.js';

// Node's type stripping does not map `.js` specifiers to `.ts` files, so load the sibling by its
// real name (a computed specifier keeps tsc from insisting on allowImportingTsExtensions).
const callsModule = new URL('./sdk-calls.ts', import.meta.url).href;
const { runCall } = (await import(callsModule)) as typeof import('./sdk-calls.js');

interface Input {
  dir: string;
  baseUrl: string;
  calls: { name: string; spec: CallSpec }[];
}

const path = process.argv[2];
if (!path) throw new Error('usage: replay-child.ts <input.json>');
const input = JSON.parse(readFileSync(path, 'utf8')) as Input;

const results: { name: string; result: unknown; report: CassetteReport | undefined }[] = [];
for (const { name, spec } of input.calls) {
  let report: CassetteReport | undefined;
  const result = await withCassette(name, () => runCall(spec, { baseUrl: input.baseUrl }), {
    dir: input.dir,
    mode: 'none',
    normalizeOrigin: true,
    onReport: (r) => (report = r),
  });
  results.push({ name, result, report });
}
process.stdout.write(JSON.stringify({ node: process.versions.node, results }));
