import { stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { decodeCassette } from '../cassette/codec.js';
import { isCassetteError } from '../errors.js';
import type { CassetteData } from '../types.js';
import { parseVerbArgs, stringOption } from './args.js';
import { cassetteFiles, displayPath, readCassetteText } from './cassette-files.js';
import { type CassetteDrift, compareCassettes, type InteractionDrift } from './drift-compare.js';
import { EXIT, UsageError } from './exit.js';
import { gitRevision } from './git-files.js';
import { type Printer, printer } from './output.js';
import { progress } from './progress.js';
import type { Verb } from './verbs.js';

const HELP = `
usage: cassettes drift <old> <new>
       cassettes drift --against-git <ref> [paths...]

Compares the structure of two recordings of the same requests, ignoring values: fields added,
removed or changed type in response bodies and in each SSE event type, event types that appear
or vanish, status and content-type changes. Recordings are paired by request (key and order,
then method, URL and order); those without a counterpart are listed but are not drift.

  <old> <new>              two cassette files, or two folders (files paired by relative path)
  --against-git <ref>      compare the cassettes under the paths (default __cassettes__) with
                           their versions at a git revision (HEAD, main, a tag)
  -h, --help

Nightly: re-record with --record=all, then \`cassettes drift --against-git HEAD\` fails the job
when a provider changed its API.
Exit codes: 0 no drift, 1 drift (or a file that cannot be read), 2 usage error.
`;

/** One comparison: a cassette's two versions (text, or undefined where that side has none). */
interface Pair {
  name: string;
  old: { label: string; text: string | undefined };
  new: { label: string; text: string | undefined };
}

export const driftVerb: Verb = {
  name: 'drift',
  summary: 'compare the structure of two recordings (new fields, event types, status); ignore values',
  async run(args, io) {
    const parsed = parseVerbArgs(args, { 'against-git': { type: 'string' } }, HELP, io);
    if (!parsed) return EXIT.ok;
    const ref = stringOption(parsed, 'against-git');
    const pairs = ref === undefined ? await pairsOfPaths(parsed.positionals) : await pairsAgainstGit(ref, parsed.positionals);
    const print = printer(io);
    const shown = progress(io, 'cassettes drift', pairs.length);
    let drifted = 0;
    let unreadable = 0;
    for (const pair of pairs) {
      const outcome = await comparePair(pair, print);
      if (outcome === 'drift') drifted++;
      if (outcome === 'unreadable') unreadable++;
      shown.tick();
    }
    shown.done();
    const total = `${pairs.length} cassette${pairs.length === 1 ? '' : 's'}`;
    const outcome = drifted || unreadable ? `${drifted} of ${total} drifted` : `no structural change in ${total}`;
    print.err(`cassettes drift: ${outcome}${unreadable ? `, ${unreadable} could not be read` : ''}`);
    return drifted + unreadable > 0 ? EXIT.findings : EXIT.ok;
  },
};

type Outcome = 'same' | 'drift' | 'unreadable' | 'one-sided';

async function comparePair(pair: Pair, print: Printer): Promise<Outcome> {
  const { paint } = print;
  if (pair.old.text === undefined || pair.new.text === undefined) {
    print.out(`${paint.bold(pair.name)}: only in ${pair.old.text === undefined ? pair.new.label : pair.old.label}`);
    return 'one-sided';
  }
  let before: CassetteData;
  let after: CassetteData;
  try {
    before = decodeCassette(pair.old.text, pair.old.label);
    after = decodeCassette(pair.new.text, pair.new.label);
  } catch (error) {
    if (!isCassetteError(error)) throw error;
    print.out(`${paint.bold(pair.name)}: ${paint.red(error.message.split('\n')[0]!.replace(/^cassettes: /, ''))}`);
    return 'unreadable';
  }
  const drift: CassetteDrift = compareCassettes(before, after);
  if (drift.drifted.length === 0 && drift.onlyOld.length === 0 && drift.onlyNew.length === 0) return 'same';
  print.out(paint.bold(pair.name));
  for (const group of groupDrift(drift.drifted)) {
    print.out(`  ${group.label}`);
    for (const change of group.changes) print.out(`    ${paint.yellow(change)}`);
  }
  for (const label of drift.onlyOld) print.out(`  ${paint.dim(`only in ${pair.old.label}:`)} ${label}`);
  for (const label of drift.onlyNew) print.out(`  ${paint.dim(`only in ${pair.new.label}:`)} ${label}`);
  return drift.drifted.length > 0 ? 'drift' : 'one-sided';
}

/**
 * Recordings of one endpoint with the very same changes, listed once: `#0, #1, #4-#15 POST https://…`
 * (a changed API shows the same change in every recording of it).
 */
function groupDrift(drifted: readonly InteractionDrift[]): InteractionDrift[] {
  const groups = new Map<string, { indices: number[]; route: string; changes: string[] }>();
  for (const { label, changes } of drifted) {
    const [, index, route] = /^#(\d+) (.*)$/.exec(label)!;
    const id = `${route}\n${changes.join('\n')}`;
    const group = groups.get(id);
    if (group) group.indices.push(Number(index));
    else groups.set(id, { indices: [Number(index)], route: route!, changes });
  }
  return [...groups.values()].map(({ indices, route, changes }) => ({ label: `${ranges(indices)} ${route}`, changes }));
}

/** `#0, #1, #4-#15, #17` */
function ranges(sorted: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(
      j - i >= 2
        ? `#${sorted[i]}-#${sorted[j]}`
        : sorted
            .slice(i, j + 1)
            .map((n) => `#${n}`)
            .join(', '),
    );
    i = j;
  }
  return parts.join(', ');
}

async function pairsOfPaths(paths: readonly string[]): Promise<Pair[]> {
  if (paths.length !== 2) throw new UsageError(`drift compares two cassettes (or two folders): drift <old> <new>, or drift --against-git <ref>`);
  const [oldPath, newPath] = paths as [string, string];
  const [oldInfo, newInfo] = await Promise.all(paths.map((path) => stat(path).catch(() => undefined)));
  for (const [path, info] of [
    [oldPath, oldInfo],
    [newPath, newInfo],
  ] as const) {
    if (!info) throw new UsageError(`no such file or folder: ${path}`);
  }
  if (oldInfo!.isDirectory() !== newInfo!.isDirectory()) throw new UsageError(`compare two files or two folders, not one of each (${oldPath}, ${newPath})`);
  if (!oldInfo!.isDirectory()) {
    return [
      {
        name: displayPath(newPath),
        old: { label: oldPath, text: await readCassetteText(oldPath) },
        new: { label: newPath, text: await readCassetteText(newPath) },
      },
    ];
  }
  const [oldFiles, newFiles] = await Promise.all([cassetteFiles([oldPath]), cassetteFiles([newPath])]);
  const names = [...new Set([...oldFiles.map((f) => relative(resolve(oldPath), f)), ...newFiles.map((f) => relative(resolve(newPath), f))])].sort();
  const read = (dir: string, files: string[], name: string): Promise<string | undefined> =>
    files.includes(resolve(dir, name)) ? readCassetteText(resolve(dir, name)) : Promise.resolve(undefined);
  return Promise.all(
    names.map(async (name) => ({
      name,
      old: { label: oldPath, text: await read(oldPath, oldFiles, name) },
      new: { label: newPath, text: await read(newPath, newFiles, name) },
    })),
  );
}

async function pairsAgainstGit(ref: string, paths: readonly string[]): Promise<Pair[]> {
  const revision = await gitRevision(ref);
  const files = await cassetteFiles(paths);
  const folders = [];
  for (const path of paths.length > 0 ? paths : ['__cassettes__']) if ((await stat(path)).isDirectory()) folders.push(resolve(path));
  const atRef = new Set<string>();
  for (const folder of folders) for (const file of await revision.list(folder)) if (/\.ya?ml$/.test(file)) atRef.add(file);
  const working = await Promise.all(files.map(async (file) => [file, await readCassetteText(file)] as const));
  const pairs: Pair[] = [];
  for (const [file, text] of working) {
    pairs.push({ name: displayPath(file), old: { label: ref, text: await revision.read(file) }, new: { label: 'the work tree', text } });
  }
  for (const file of [...atRef].filter((f) => !files.includes(f)).sort()) {
    pairs.push({ name: displayPath(file), old: { label: ref, text: await revision.read(file) }, new: { label: 'the work tree', text: undefined } });
  }
  return pairs;
}
