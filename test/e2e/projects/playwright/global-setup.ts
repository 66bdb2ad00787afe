// The README's globalSetup: one cassettes server for the run (startServer sets CASSETTES_URL, so
// the workers started after this inherit it). SCENARIO=shared also starts one app server for all
// workers, run with `node --import cassettes/propagate` and the server's own base URL.
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { startServer } from 'cassettes/serve';

function startApp(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'cassettes/propagate', 'app.mjs'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the app exited (${code})`)));
    child.stdout!.setEncoding('utf8').once('data', (line: string) => resolve({ child, url: (JSON.parse(line) as { url: string }).url }));
  });
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const server = await startServer({ dir: process.env['CASSETTE_DIR'] ?? '__cassettes__', upstream: { openai: process.env['E2E_PROVIDER_URL']! } });
  let app: ChildProcess | undefined;
  if (process.env['SCENARIO'] === 'shared') {
    const started = await startApp({ ...process.env, OPENAI_BASE_URL: server.baseUrls.openai });
    app = started.child;
    process.env['APP_URL'] = started.url;
  }
  return async () => {
    app?.kill();
    const summaries = await server.close();
    writeFileSync('server-summaries.json', JSON.stringify(summaries));
  };
}
