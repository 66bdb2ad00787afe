import { driftVerb } from './drift.js';
import { inspectVerb } from './inspect.js';
import { mergeVerb } from './merge.js';
import { pruneVerb } from './prune.js';
import { serveVerb } from './serve.js';
import { verifyVerb } from './verify.js';

/** Where a verb writes: stdout for results, stderr for problems and progress. */
export interface CliIo {
  out: NodeJS.WritableStream & { isTTY?: boolean };
  err: NodeJS.WritableStream & { isTTY?: boolean };
}

/** One verb of the `cassettes` command: each lives in its own file and is listed here. */
export interface Verb {
  name: string;
  summary: string;
  /** Parses its own arguments (node:util parseArgs) and returns the exit code. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

export const VERBS: readonly Verb[] = [inspectVerb, verifyVerb, pruneVerb, driftVerb, mergeVerb, serveVerb];
