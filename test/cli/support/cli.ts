import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { SECRET_ENV_VARS } from '../../../src/redact/rules.js';

/** The built command, as `npx cassettes` runs it (npm test builds before testing). */
export const BIN = resolve('dist/cli/bin.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `cassettes` bin in a child process. Its environment has no provider key and no
 * colour setting unless `env` gives them, whatever the environment of the test run.
 */
export function runCli(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [...SECRET_ENV_VARS, 'NO_COLOR', 'FORCE_COLOR', 'LLM_CASSETTE_REPORT']) delete env[name];
  Object.assign(env, options.env);
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { cwd: options.cwd ?? process.cwd(), env, timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      done({ code, stdout, stderr });
    });
  });
}
