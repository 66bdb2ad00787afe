import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parse } from 'yaml';

export interface RunResult {
  code: number | null;
  /** stdout and stderr, interleaved, without colour codes. */
  output: string;
  /** The runner's main process: tests that ran elsewhere ran in a worker. */
  pid: number;
}

/**
 * The parent is a Vitest worker: what it put in the environment (VITEST_*, TEST, NODE_ENV, a
 * CI flag, our own variables) must not leak into the runner under test. CI is set per step.
 */
export function childEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const inherited = /^(VITEST|JEST_|LLM_CASSETTE_|npm_)|^(NODE_OPTIONS|NODE_ENV|TEST|SSR|MODE|DEV|PROD|BASE_URL|CI|FORCE_COLOR|NO_COLOR)$/;
  for (const [key, value] of Object.entries(process.env)) if (!inherited.test(key)) env[key] = value;
  env['NO_COLOR'] = '1';
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Runs `process.execPath <args>` (this Node 24) in `cwd`. */
export function runNode(args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (output += text));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping terminal colour codes
      resolve({ code, output: output.replace(/\u001b\[[0-9;]*m/g, ''), pid: child.pid ?? -1 });
    });
  });
}

/** `<name>.yaml` paths under __cassettes__, with forward slashes, sorted. */
export function cassetteNames(project: string): string[] {
  const dir = join(project, '__cassettes__');
  const out: string[] = [];
  const walk = (path: string): void => {
    for (const entry of readdirSync(path)) {
      const full = join(path, entry);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(dir, full).split(sep).join('/'));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

/** Every cassette's text, to prove a run left files alone. */
export function snapshotCassettes(project: string): Map<string, string> {
  return new Map(cassetteNames(project).map((name) => [name, readFileSync(join(project, '__cassettes__', name), 'utf8')]));
}

export interface CassetteFile {
  interactions: { request: { url: string; body?: { json?: { messages?: { content: string }[]; stream?: boolean } } }; recordedAt: string }[];
}

export function readCassette(project: string, name: string): CassetteFile {
  return parse(readFileSync(join(project, '__cassettes__', name), 'utf8')) as CassetteFile;
}

/** The prompts a cassette holds, in order. */
export function promptsIn(project: string, name: string): string[] {
  return readCassette(project, name).interactions.map((i) => i.request.body?.json?.messages?.at(-1)?.content ?? '?');
}

export interface RunRecord {
  file: string;
  pid: number;
  flag: string | null;
}

/** What the user project's test files report about where they ran (runs.jsonl). */
export function readRuns(project: string): RunRecord[] {
  const path = join(project, 'runs.jsonl');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as RunRecord);
}
