// C. Streaming timing fidelity at timing: 'recorded'.
//
//   input: { role: 'record' | 'replay' | 'control', baseUrl, dir, n, seed, replays }
//   Times are taken at the consumer: performance.now() around a res.body.getReader() loop,
//   in ms from just before fetch(). `control` paces a bare `new Response(ReadableStream)` with
//   setTimeout at the same recorded offsets: what this machine's timers allow without cassettes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { parse } from 'yaml';
import { chunkByteLength } from '../lib/cassette.mjs';
import { REQUEST_HEADERS } from '../lib/fixtures.mjs';
import { main } from '../lib/stats.mjs';

const NAME = 'timing-sse';

async function read(t0, res) {
  const headersAt = performance.now() - t0;
  const reader = res.body.getReader();
  const at = [];
  const sizes = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    at.push(performance.now() - t0);
    sizes.push(value.byteLength);
  }
  return { headersAt, at, sizes };
}

async function consume(url) {
  const t0 = performance.now();
  const res = await fetch(url, { method: 'POST', headers: REQUEST_HEADERS, body: '{"stream":true}' });
  return read(t0, res);
}

main(async ({ role, baseUrl, dir, n, seed, replays }) => {
  const url = `${baseUrl}/sse-gaps?n=${n}&seed=${seed}&min=1&max=20&ttfc=25`;
  const file = join(dir, `${NAME}.yaml`);
  const runs = [];
  switch (role) {
    case 'record': {
      const { withCassette } = await import('cassettes');
      let live;
      await withCassette(NAME, async () => (live = await consume(url)), { dir, mode: 'all' });
      const response = parse(readFileSync(file, 'utf8')).interactions[0].response;
      return {
        role,
        live,
        recorded: {
          headersAtMs: response.headersAtMs,
          atMs: response.chunks.map((c) => c.atMs),
          sizes: response.chunks.map(chunkByteLength),
        },
      };
    }
    case 'replay': {
      const { withCassette } = await import('cassettes');
      for (let r = 0; r < replays; r++) {
        let seen;
        await withCassette(NAME, async () => (seen = await consume(url)), { dir, mode: 'none', timing: 'recorded' });
        runs.push(seen);
        await delay(20);
      }
      return { role, runs };
    }
    case 'control': {
      // paced from the recorded offsets; the payload (same sizes) does not matter to the timing
      const chunks = parse(readFileSync(file, 'utf8')).interactions[0].response.chunks;
      const bytes = chunks.map((c) => new Uint8Array(chunkByteLength(c)).fill(0x61));
      for (let r = 0; r < replays; r++) {
        const t0 = performance.now();
        const stream = new ReadableStream({
          start(controller) {
            let k = 0;
            const next = () => {
              while (k < chunks.length) {
                const wait = t0 + chunks[k].atMs - performance.now();
                if (wait > 0) {
                  setTimeout(() => {
                    controller.enqueue(bytes[k++]);
                    next();
                  }, wait);
                  return;
                }
                controller.enqueue(bytes[k++]);
              }
              controller.close();
            };
            next();
          },
        });
        runs.push(await read(t0, new Response(stream)));
        await delay(20);
      }
      return { role, runs };
    }
    default:
      throw new Error(`unknown role ${role}`);
  }
});
