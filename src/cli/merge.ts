import { stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { CASSETTE_VERSION } from '../cassette/codec.js';
import { describeEntry } from '../journal/timeline.js';
import type { CassetteData, TimelineEntry } from '../types.js';
import { VERSION } from '../version.js';
import { parseVerbArgs } from './args.js';
import { cassetteFiles, displayPath, readCassetteFile, readCassetteText, writeCassetteFile } from './cassette-files.js';
import { EXIT, UsageError } from './exit.js';
import { type Conflict, findConflicts } from './merge-conflicts.js';
import { mergeInteractions } from './merge-rule.js';
import { type Printer, printer } from './output.js';
import { storedKeys } from './places.js';
import { progress } from './progress.js';
import type { Verb } from './verbs.js';

const HELP = `
usage: cassettes merge <out> <in...>

Merges cassettes of the same name recorded on different machines (CI shards) by the rule of a
concurrent save: an interaction's place is its request key and how many earlier interactions of
its file share that key; everything the first input holds stays, and each later input adds what
is at a place not yet taken, in its order. The output is canonical and the same for the same
inputs in the same order.

A place held with a different answer (status, body or stream bytes) is a conflict: the first
one is kept, the conflict is listed, and the command exits 1.

  <out> <in...>    cassette files; or folders, merged file by file (by relative path)
  -h, --help

<out> may be one of the inputs (merge into it); an existing <out> that is not an input is refused.
Exit codes: 0 merged, 1 conflicts (or an input that is not a cassette), 2 usage error.
`;

export const mergeVerb: Verb = {
  name: 'merge',
  summary: 'merge cassettes recorded on different machines (CI shards); conflicts reported',
  async run(args, io) {
    const parsed = parseVerbArgs(args, {}, HELP, io);
    if (!parsed) return EXIT.ok;
    const [out, ...inputs] = parsed.positionals;
    if (out === undefined || inputs.length === 0) throw new UsageError('name the output and at least one input: merge <out> <in...>');
    const infos = await Promise.all(inputs.map((path) => stat(path).catch(() => undefined)));
    inputs.forEach((path, i) => {
      if (!infos[i]) throw new UsageError(`no such file or folder: ${path}`);
    });
    const folders = infos.filter((info) => info!.isDirectory()).length;
    if (folders !== 0 && folders !== inputs.length) throw new UsageError('merge files, or folders, not both');
    const outInfo = await stat(out).catch(() => undefined);
    const outIsInput = inputs.some((path) => resolve(path) === resolve(out));
    if (outInfo && !outIsInput && !(outInfo.isDirectory() && folders > 0 && (await cassetteFiles([out])).length === 0)) {
      throw new UsageError(`${out} exists and is not one of the inputs: list it first to merge into it, or remove it`);
    }
    if (outInfo && outInfo.isDirectory() !== folders > 0)
      throw new UsageError(`${out} is ${outInfo.isDirectory() ? 'a folder' : 'a file'}; the inputs are not`);
    const print = printer(io);
    const jobs = folders > 0 ? await folderJobs(out, inputs) : [{ out: resolve(out), inputs: inputs.map((path) => resolve(path)) }];
    const shown = progress(io, 'cassettes merge', jobs.length);
    let conflicts = 0;
    for (const job of jobs) {
      conflicts += await mergeOne(job, print);
      shown.tick();
    }
    shown.done();
    print.err(`cassettes merge: ${jobs.length} cassette${jobs.length === 1 ? '' : 's'} written, ${conflicts} conflict${conflicts === 1 ? '' : 's'}`);
    return conflicts > 0 ? EXIT.findings : EXIT.ok;
  },
};

interface Job {
  out: string;
  inputs: string[];
}

/** One job per relative path found in any input folder, with the inputs that have it, in order. */
async function folderJobs(out: string, inputs: readonly string[]): Promise<Job[]> {
  const perInput = await Promise.all(inputs.map(async (dir) => (await cassetteFiles([dir])).map((file) => relative(resolve(dir), file))));
  const names = [...new Set(perInput.flat())].sort();
  return names.map((name) => ({
    out: resolve(out, name),
    inputs: inputs.flatMap((dir, i) => (perInput[i]!.includes(name) ? [resolve(dir, name)] : [])),
  }));
}

/** Merges one cassette; prints what came from where and each conflict; returns the number of conflicts. */
async function mergeOne(job: Job, print: Printer): Promise<number> {
  const sources = [];
  for (const file of job.inputs) sources.push(await readCassetteFile(file));
  const keys = new Map<TimelineEntry, string>();
  for (const { data } of sources) {
    const stored = storedKeys(data.interactions);
    data.interactions.forEach((interaction, i) => {
      keys.set(interaction, stored[i]!);
    });
  }
  const keyOf = (entry: TimelineEntry): string => keys.get(entry)!;
  let merged: TimelineEntry[] = [];
  const parts: string[] = [];
  const conflicts: { file: string; conflict: Conflict }[] = [];
  for (const { file, data } of sources) {
    for (const conflict of findConflicts(merged, data.interactions, keyOf)) conflicts.push({ file, conflict });
    const result = mergeInteractions({ disk: merged, view: data.interactions, keyOf });
    merged = result.interactions;
    parts.push(`${result.added} from ${displayPath(file)}${result.duplicates ? ` (${result.duplicates} already held)` : ''}`);
  }
  // the inputs' own version (the newest of them): merging version 1 files gives a version 1 file
  const version = sources.some(({ data }) => data.version === 2) ? CASSETTE_VERSION : 1;
  const data: CassetteData = { version, recordedWith: `cassettes ${VERSION}`, interactions: merged };
  const _previous = await readCassetteText(job.out).catch(() => undefined);
  await writeCassetteFile(job.out, data);
  print.out(`${print.paint.bold(displayPath(job.out))}: ${merged.length} interaction${merged.length === 1 ? '' : 's'}: ${parts.join(', ')}`);
  for (const { file, conflict } of conflicts) {
    const kept = merged[conflict.kept]!;
    const where = describeEntry(kept);
    print.out(
      `  ${print.paint.red('conflict')} #${conflict.kept} ${where}: ${displayPath(file)} #${conflict.other} answers differently (${conflict.what}); kept the first`,
    );
  }
  return conflicts.length;
}
