import { readFile, rm } from 'node:fs/promises';
import { CassetteError } from '../errors.js';
import { describeEntry } from '../journal/timeline.js';
import { parseRunReport } from '../report/read-run-report.js';
import { reportPath } from '../report/run-summary.js';
import { flag, parseVerbArgs, stringOption } from './args.js';
import { displayPath, writeCassetteFile } from './cassette-files.js';
import { EXIT, UsageError } from './exit.js';
import { printer } from './output.js';
import { planPrune } from './prune-plan.js';
import type { Verb } from './verbs.js';

const HELP = `
usage: cassettes prune [--report <file>] [--dry-run]

Removes what the last full test run did not use, as its JSON run report says: interactions no
test replayed (the file stays canonical), and cassette files in the run's cassette folders that
no test opened.

  --report <file>  the run report (default: $LLM_CASSETTE_REPORT, else the runners' default,
                   node_modules/.cache/cassettes/run-report.json)
  --dry-run        list what would go; change nothing
  -h, --help

Refuses a report from a filtered run (a file filter, -t, .only, a shard): the tests it left out
may use what it did not. Leaves alone files changed since the run, files where a test failed
(a refused request), and files re-recorded in the run.
Exit codes: 0 done, 1 the report cannot be used, 2 usage error.
`;

export const pruneVerb: Verb = {
  name: 'prune',
  summary: 'remove interactions and cassette files the last full run never used',
  async run(args, io) {
    const parsed = parseVerbArgs(args, { report: { type: 'string' }, 'dry-run': { type: 'boolean' } }, HELP, io);
    if (!parsed) return EXIT.ok;
    if (parsed.positionals.length > 0) throw new UsageError(`prune takes no paths (got ${parsed.positionals.join(' ')}); it reads them from --report`);
    const named = stringOption(parsed, 'report');
    const file = named ?? reportPath(undefined);
    if (file === undefined) throw new UsageError('name the run report: --report <file> (LLM_CASSETTE_REPORT turns the report off)');
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw new UsageError(`cannot read ${file}: ${error.message}`);
      throw new UsageError(
        named === undefined
          ? `no run report at ${displayPath(file)}: run the whole suite first, or name one with --report <file>`
          : `no such run report: ${file}`,
      );
    });
    const report = parseRunReport(text, file);
    if (report.filtered) {
      throw new CassetteError(
        'LLM_CASSETTE_REPORT',
        `cassettes: ${file} comes from a filtered run (a file filter, -t, .only or a shard): the tests it left out may use what it did not; nothing was pruned\n` +
          '  fix: run the whole suite, then prune with the report it writes',
        { file },
      );
    }
    const dry = flag(parsed, 'dry-run');
    const plan = await planPrune(report);
    const print = printer(io);
    const { paint } = print;
    let removed = 0;
    for (const trim of plan.trims) {
      const gone = trim.remove.map((i) => `#${i} ${describeEntry(trim.data.interactions[i]!)}`);
      const total = trim.data.interactions.length;
      const verb = dry ? 'would remove' : 'removed';
      if (!dry) {
        const keep = new Set(trim.remove);
        await writeCassetteFile(trim.file, { ...trim.data, interactions: trim.data.interactions.filter((_, i) => !keep.has(i)) });
      }
      removed += trim.remove.length;
      print.out(`${paint.yellow(verb)} ${trim.remove.length} of ${total} interactions from ${displayPath(trim.file)}`);
      for (const line of gone) print.out(`  ${line}`);
    }
    for (const file of plan.deletes) {
      if (!dry) await rm(file);
      print.out(`${paint.red(dry ? 'would delete' : 'deleted')} ${displayPath(file)} (no test opened it)`);
    }
    for (const { file, why } of plan.skipped) print.out(`${paint.dim('left alone')} ${displayPath(file)}: ${why}`);
    const files = `${plan.deletes.length} file${plan.deletes.length === 1 ? '' : 's'}`;
    const summary = `${removed} interaction${removed === 1 ? '' : 's'} from ${plan.trims.length} cassette${plan.trims.length === 1 ? '' : 's'} and ${files}`;
    print.err(`cassettes prune: ${dry ? `dry run, would remove ${summary}; nothing changed` : `removed ${summary}`}`);
    return EXIT.ok;
  },
};
