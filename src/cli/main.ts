import { isCassetteError } from '../errors.js';
import { EXIT, UsageError } from './exit.js';
import { type CliIo, VERBS, type Verb } from './verbs.js';

export { EXIT, UsageError } from './exit.js';

const HELP = (verbs: readonly Verb[]): string =>
  [
    'usage: cassettes <verb> [options]',
    '',
    ...verbs.map((v) => `  ${v.name.padEnd(10)} ${v.summary}`),
    '',
    '`cassettes <verb> --help` for a verb. Exit codes: 0 ok, 1 findings, 2 usage error.',
  ].join('\n');

/** Runs the command line; returns the exit code. */
export async function main(argv: readonly string[], io: CliIo = { out: process.stdout, err: process.stderr }): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out.write(`${HELP(VERBS)}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const verb = VERBS.find((v) => v.name === name);
  if (!verb) {
    io.err.write(`cassettes: unknown verb "${name}"\n${HELP(VERBS)}\n`);
    return EXIT.usage;
  }
  try {
    return await verb.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err.write(`cassettes ${verb.name}: ${error.message}\n  see: cassettes ${verb.name} --help\n`);
      return EXIT.usage;
    }
    if (isCassetteError(error)) {
      io.err.write(`${error.message}\n`);
      return EXIT.findings;
    }
    throw error;
  }
}
