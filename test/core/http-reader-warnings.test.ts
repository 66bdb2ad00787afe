import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { withCassette } from '../../src/index.js';
import { type LocalServer, startLocalServer } from '../support/local-server.js';

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer((_request, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    let i = 0;
    const timer = setInterval(() => {
      res.write(`data: {"n":${i}}\n\n`);
      if (++i === 20) {
        clearInterval(timer);
        res.end();
      }
    }, 2);
  });
});
afterAll(() => server.close());

/** A node:http reader that is not flowing: one read per chunk. */
const readChunks = (url: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const req = request(url, async (res) => {
      let n = 0;
      for await (const _chunk of res) n++;
      resolve(n);
    });
    req.on('error', reject);
    req.end();
  });

test('a node:http stream of 20 chunks read with for-await prints no MaxListenersExceededWarning, recording or replaying', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cassettes-http-reader-'));
  const warnings: string[] = [];
  const onWarning = (warning: Error): void => void warnings.push(warning.name);
  process.on('warning', onWarning);
  try {
    const recorded = await withCassette('reader', () => readChunks(`${server.url}/s`), { dir, mode: 'new' });
    const replayed = await withCassette('reader', () => readChunks(`${server.url}/s`), { dir, mode: 'none' });
    await new Promise((r) => setImmediate(r));
    expect(recorded).toBeGreaterThan(10);
    expect(replayed).toBe(recorded);
  } finally {
    process.off('warning', onWarning);
  }
  expect(warnings).toEqual([]);
});
