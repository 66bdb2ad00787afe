import { parseDuration } from '../duration.js';
import { secretsOfEnvironment } from '../redact/secret-shapes.js';
import { flag, parseVerbArgs, stringOption, stringsOption } from './args.js';
import { cassetteFiles, displayPath, readCassetteText, writeCassetteFile } from './cassette-files.js';
import { EXIT, UsageError } from './exit.js';
import { printer } from './output.js';
import { progress } from './progress.js';
import type { Verb } from './verbs.js';
import { type Finding, verifyText } from './verify-checks.js';

const HELP = `
usage: cassettes verify [paths...] [--max-age <age>] [--allow <text>]... [--fix]

Checks every cassette under the paths (files, or folders searched for .yaml/.yml; default
__cassettes__):
  - it loads and validates (the file and line of the first problem)
  - it is in canonical form (re-encoding it gives the same bytes)
  - it holds no secret: provider key shapes (sk-..., sk-ant-..., AIza...), bearer tokens, JWTs,
    and the values of OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY, GOOGLE_API_KEY if set
One line per finding: file:line: what. The secret itself is never printed.

  --max-age <age>   also report interactions recorded longer ago (30d, 12h, 2w, 90m)
  --allow <text>    a matched text that is not a secret (a made-up key a test uses); repeatable
  --fix             rewrite files that are not in canonical form (secrets are never rewritten)
  -h, --help

Exit codes: 0 all good, 1 findings, 2 usage error (a path that does not exist).
In CI: npx cassettes verify --max-age 90d. As a pre-commit hook: see docs/cli.md.
`;

export const verifyVerb: Verb = {
  name: 'verify',
  summary: 'check cassettes load, are canonical and hold no secret (CI, pre-commit)',
  async run(args, io) {
    const parsed = parseVerbArgs(args, { 'max-age': { type: 'string' }, allow: { type: 'string', multiple: true }, fix: { type: 'boolean' } }, HELP, io);
    if (!parsed) return EXIT.ok;
    const maxAgeText = stringOption(parsed, 'max-age');
    const maxAgeMs = maxAgeText === undefined ? undefined : parseDuration(maxAgeText);
    if (maxAgeText !== undefined && maxAgeMs === undefined)
      throw new UsageError(`--max-age ${JSON.stringify(maxAgeText)} is not a duration (30d, 12h, 2w, 90m)`);
    const files = await cassetteFiles(parsed.positionals);
    const options = {
      known: secretsOfEnvironment(),
      allow: stringsOption(parsed, 'allow'),
      maxAge: maxAgeText === undefined ? undefined : { ms: maxAgeMs!, text: maxAgeText },
      now: Date.now(),
    };
    const print = printer(io);
    const shown = progress(io, 'cassettes verify', files.length);
    const findings: Finding[] = [];
    let fixed = 0;
    // @note reading runs ahead of checking (a few files at a time): the disk and the CPU overlap
    const texts = readAhead(files, 8);
    for (const [index, file] of files.entries()) {
      const name = displayPath(file);
      const text = await texts(index);
      const result = verifyText(name, text, options);
      let found = result.findings;
      if (flag(parsed, 'fix') && result.data && !result.canonical) {
        await writeCassetteFile(file, result.data);
        fixed++;
        found = found.filter((f) => !f.what.startsWith('not in canonical form'));
      }
      findings.push(...found);
      shown.tick();
    }
    shown.done();
    for (const finding of findings) {
      const where = finding.line === undefined ? finding.file : `${finding.file}:${finding.line}`;
      print.out(`${print.paint.bold(`${where}:`)} ${finding.what}`);
    }
    const count = `${files.length} file${files.length === 1 ? '' : 's'}`;
    const summary = `${findings.length} finding${findings.length === 1 ? '' : 's'}${fixed ? `, ${fixed} rewritten in canonical form` : ''}`;
    print.err(`cassettes verify: ${count}, ${summary}`);
    return findings.length > 0 ? EXIT.findings : EXIT.ok;
  },
};

/** `get(i)`: file i's text, read while earlier files are checked, at most `depth` ahead. */
function readAhead(files: readonly string[], depth: number): (index: number) => Promise<string> {
  const pending = new Map<number, Promise<string>>();
  let next = 0;
  const fill = (upTo: number): void => {
    for (; next < files.length && next <= upTo; next++) {
      const reading = readCassetteText(files[next]!);
      reading.catch(() => undefined);
      pending.set(next, reading);
    }
  };
  return (index) => {
    fill(index + depth);
    const reading = pending.get(index)!;
    pending.delete(index);
    return reading;
  };
}
