import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type CountingServer, startCountingServer } from '../support/counting-server.js';

let canary: CountingServer;
beforeAll(async () => {
  canary = await startCountingServer();
});
afterAll(() => canary.close());

const ROOT = resolve(__dirname, '../..');

/** A child that POSTs to the canary with fetch and with node:http; prints both statuses. */
const CHILD = `
  import http from 'node:http';
  const url = process.argv[1] + '/v1/chat/completions';
  const viaFetch = await fetch(url, { method: 'POST', body: '{}' }).then((r) => r.status, (e) => 'failed: ' + e.message);
  const viaHttp = await new Promise((resolve) => {
    const req = http.request(url, { method: 'POST' }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
    req.on('error', (e) => resolve('failed: ' + e.message));
    req.end('{}');
  });
  console.log(JSON.stringify([viaFetch, viaHttp]));
`;

/**
 * Runs the child the way a test would spawn a script: the parent's environment (a replay-only
 * run, the plugin's options listing the canary as a provider host) plus `extra`.
 */
async function child(extra: Record<string, string>): Promise<{ statuses: unknown[]; stderr: string }> {
  const env = {
    ...process.env,
    CI: 'true',
    LLM_CASSETTE_RECORD: '',
    LLM_CASSETTE_PLUGIN_OPTIONS: JSON.stringify({ providerHosts: [new URL(canary.url).host] }),
    ...extra,
  };
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', CHILD, canary.url], { cwd: ROOT, env });
  return { statuses: JSON.parse(stdout) as unknown[], stderr };
}

describe('child processes of a replay-only run (built package)', () => {
  test('a child that does not load cassettes is outside its reach: its requests connect', async () => {
    const before = canary.connections();
    const { statuses } = await child({ NODE_OPTIONS: '' });
    expect(statuses).toEqual([200, 200]);
    expect(canary.connections() - before).toBe(2);
  });

  test('NODE_OPTIONS=--import cassettes/register: the child refuses provider hosts (the plugin options it inherits) and connects nowhere', async () => {
    const before = [canary.connections(), canary.requests()];
    const { statuses, stderr } = await child({ NODE_OPTIONS: '--import cassettes/register' });
    expect(statuses).toEqual([400, 400]);
    expect(stderr).toContain('LLM_CASSETTE_BLOCKED');
    expect([canary.connections(), canary.requests()]).toEqual(before);
  });

  test('NODE_OPTIONS=--import cassettes: interception is installed with the default host list only (the plugin options are not read)', async () => {
    const before = canary.connections();
    const { statuses, stderr } = await child({ NODE_OPTIONS: '--import cassettes', LLM_CASSETTE_DEBUG: '1' });
    expect(statuses).toEqual([200, 200]);
    expect(stderr).toMatch(/cassettes: outside POST http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions \(passed through, fetch\/undici\)/);
    expect(canary.connections() - before).toBe(2);
  });
});
