import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { BIN, runCli } from './support/cli.js';

const VERBS = ['inspect', 'verify', 'prune', 'drift', 'merge'];

/** `script` runs a command on a pseudo-terminal: the only way to see what the bin does on a real TTY. */
const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

function onTerminal(args: string[], env: Record<string, string> = {}): string {
  const command = [process.execPath, BIN, ...args].map((part) => `'${part}'`).join(' ');
  const childEnv: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', ...env };
  if (!('NO_COLOR' in env)) delete childEnv['NO_COLOR'];
  return execFileSync('script', ['-qec', command, '/dev/null'], { env: childEnv, encoding: 'utf8' });
}

describe('the cassettes command', () => {
  test('without a verb: the verb list and exit 2; --help: the same and exit 0', async () => {
    const bare = await runCli([]);
    expect(bare.code).toBe(2);
    for (const verb of VERBS) expect(bare.stdout).toMatch(new RegExp(`^ {2}${verb} +\\S`, 'm'));
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(bare.stdout);
  });

  test('every verb has --help: its usage line, exit 0, nothing on stderr', async () => {
    for (const verb of VERBS) {
      const run = await runCli([verb, '--help']);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(new RegExp(`^usage: cassettes ${verb}`));
      expect(run.stdout).toContain('Exit codes: 0');
    }
  });

  test('an unknown verb or option is a usage error: one line, exit 2, no stack', async () => {
    const verb = await runCli(['inpsect']);
    expect(verb.code).toBe(2);
    expect(verb.stderr.split('\n')[0]).toBe('cassettes: unknown verb "inpsect"');
    const option = await runCli(['verify', '--max-agee', '3d']);
    expect(option.code).toBe(2);
    expect(option.stderr).toBe("cassettes verify: Unknown option '--max-agee'\n  see: cassettes verify --help\n");
  });

  test('a reader that stops early (| head) ends the command quietly', () => {
    const run = spawnSync('sh', ['-c', `'${process.execPath}' '${BIN}' inspect __cassettes__/conformance/openai-responses.yaml | head -1`], {
      encoding: 'utf8',
    });
    expect(run.stdout).toMatch(/^__cassettes__\/conformance\/openai-responses\.yaml · 19 interactions .*\n$/);
    expect(run.stderr).toBe('');
  });

  test.skipIf(!hasScript)('on a terminal (run through `script`): colours; NO_COLOR turns them off', () => {
    const coloured = onTerminal(['inspect', '__cassettes__/conformance/anthropic-fault-rate-limit.yaml']);
    expect(coloured).toContain('\x1b[1m#0\x1b[22m');
    expect(coloured).toContain('\x1b[31m429 Too Many Requests\x1b[39m');
    const plain = onTerminal(['inspect', '__cassettes__/conformance/anthropic-fault-rate-limit.yaml'], { NO_COLOR: '1' });
    expect(plain).toContain('429 Too Many Requests');
    expect(plain).not.toContain('\x1b[');
  });

  test.skipIf(!hasScript)('on a terminal (run through `script`), a run over many files shows progress on one rewritten line, then clears it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cassettes-cli-progress-'));
    for (let i = 0; i < 30; i++) cpSync('__cassettes__/conformance/gemini-fault-timeout.yaml', join(dir, `c${String(i).padStart(2, '0')}.yaml`));
    const out = onTerminal(['verify', dir]);
    expect(out).toContain('\r\x1b[2Kcassettes verify: 30/30 files');
    expect(out).toContain('\r\x1b[2Kcassettes verify: 30 files, 0 findings');
    const piped = spawnSync(process.execPath, [BIN, 'verify', dir], { encoding: 'utf8' });
    expect(piped.stderr).toBe('cassettes verify: 30 files, 0 findings\n');
  });
});
