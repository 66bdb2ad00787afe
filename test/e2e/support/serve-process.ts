/** `cassettes serve` as users run it: the packed package's bin in its own process. */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { ServerDescription } from '../../../src/entries/serve.js';

export interface ServeProcess {
  description: ServerDescription;
  child: ChildProcess;
  /** stderr so far: miss messages, notices, the summaries at the end. */
  stderr(): string;
  /** Sends the signal and waits for the exit: its code (or the signal that ended it). */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startServeProcess(project: string, args: string[], env: NodeJS.ProcessEnv): Promise<ServeProcess> {
  const child = spawn(process.execPath, [join(project, 'node_modules/cassettes/dist/cli/bin.js'), 'serve', ...args], {
    cwd: project,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`cassettes serve printed no description within 15 s:\n${stdout}\n${stderr}`));
    }, 15_000);
    void exited.then(({ code }) => reject(new Error(`cassettes serve exited (${code}) before it was ready:\n${stdout}\n${stderr}`)));
    child.stdout!.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      const line = stdout.split('\n')[0];
      if (!stdout.includes('\n') || line === undefined) return;
      clearTimeout(timer);
      resolve({
        description: JSON.parse(line) as ServerDescription,
        child,
        stderr: () => stderr,
        stop: (signal = 'SIGTERM') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    });
  });
}
