// G. `cassettes serve`: a second host for the same core. The server runs in a process of its own
// (role `server`), the measured client in another, the provider in the orchestrator.
//
//   input: { role, baseUrl, serverUrl, dir, n, rounds, warmup, pairs, events, gap, replays, seed }
//   server:           startServer() from cassettes/serve, upstream openai → the bench provider; stays up
//   record-small:     records n small POSTs in-process (withCassette, mode all): the cassette both hosts replay
//   inprocess:        replays them with withCassette (mode none), loop time per round
//   served:           replays the same cassette through the server (a session per round), loop time per round
//   overhead:         ABBA trials, first/last chunk: straight to the provider, through the server recording
//                     (mode all), through the server passing through (mode passthrough)
//   timing-record / timing-replay: an SSE stream with seeded gaps recorded through the server, then
//                     replayed through it at `recorded` timing, read at the client
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { parse } from 'yaml';
import { chunkByteLength } from '../lib/cassette.mjs';
import { REQUEST_HEADERS, smallRequest, smallResponse } from '../lib/fixtures.mjs';
import { input, main } from '../lib/stats.mjs';

const SMALL = 'serve-small';
const TIMING = 'serve-timing';

async function api(serverUrl, method, path, body) {
  const res = await fetch(`${serverUrl}/__cassettes/sessions${path}`, { method, ...(body ? { body: JSON.stringify(body) } : {}) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** The `/openai` mount of a session: the bench provider's paths go after it. */
const mountOf = (serverUrl, id) => `${serverUrl}/s/${id}/openai`;

async function read(t0, res) {
  const reader = res.body.getReader();
  const at = [];
  const sizes = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    at.push(performance.now() - t0);
    sizes.push(value.byteLength);
  }
  return { at, sizes };
}

if (input().role === 'server') {
  const { dir, baseUrl } = input();
  const { startServer } = await import('cassettes/serve');
  const server = await startServer({ dir, upstream: { openai: baseUrl }, timing: 'instant', log: () => undefined });
  process.on('message', async (message) => {
    if (message !== 'close') return;
    await server.close();
    process.exit(0);
  });
  const { close: _close, ...description } = server;
  process.send(description);
} else {
  main(async ({ role, baseUrl, serverUrl, dir, n, rounds, warmup, pairs, events, gap, replays, seed }) => {
    const bodies = Array.from({ length: n ?? 0 }, (_, i) => smallRequest(i));
    const expected = Array.from({ length: n ?? 0 }, (_, i) => JSON.parse(smallResponse(i).body).id);
    const loop = async (base) => {
      for (let i = 0; i < n; i++) {
        const res = await fetch(`${base}/small`, { method: 'POST', headers: REQUEST_HEADERS, body: bodies[i] });
        const json = await res.json();
        if (json.id !== expected[i]) throw new Error(`${role}: request ${i} got ${JSON.stringify(json).slice(0, 300)}`);
      }
    };
    const timed = async (fn) => {
      const t0 = performance.now();
      await fn();
      return performance.now() - t0;
    };

    switch (role) {
      case 'record-small': {
        const { withCassette } = await import('cassettes');
        await withCassette(SMALL, () => loop(baseUrl), { dir, mode: 'all' });
        return { role };
      }
      case 'inprocess': {
        const { withCassette } = await import('cassettes');
        const samples = [];
        for (let r = 0; r < warmup + rounds; r++) {
          let ms;
          await withCassette(SMALL, async () => (ms = await timed(() => loop(baseUrl))), { dir, mode: 'none' });
          if (r >= warmup) samples.push(ms);
        }
        return { role, samples };
      }
      case 'served': {
        const samples = [];
        for (let r = 0; r < warmup + rounds; r++) {
          const session = await api(serverUrl, 'POST', '', { name: SMALL, mode: 'none', timing: 'instant' });
          const ms = await timed(() => loop(mountOf(serverUrl, session.id)));
          const summary = await api(serverUrl, 'DELETE', `/${session.id}`);
          if (summary.replayed !== n) throw new Error(`served: ${summary.replayed} replayed, wanted ${n}`);
          if (r >= warmup) samples.push(ms);
        }
        return { role, samples };
      }
      case 'overhead': {
        const path = `/ttfb?ttfb=50&n=${events}&gap=${gap}`;
        const recording = await api(serverUrl, 'POST', '', { name: 'serve-overhead', mode: 'all' });
        const passing = await api(serverUrl, 'POST', '', { name: 'serve-overhead-pass', mode: 'passthrough' });
        const trial = async (base) => {
          const t0 = performance.now();
          const res = await fetch(`${base}${path}`, { method: 'POST', headers: REQUEST_HEADERS, body: '{"stream":true}' });
          const { at } = await read(t0, res);
          return { first: at[0], last: at.at(-1) };
        };
        const contenders = { direct: baseUrl, recording: mountOf(serverUrl, recording.id), passthrough: mountOf(serverUrl, passing.id) };
        const names = Object.keys(contenders);
        for (let w = 0; w < warmup; w++) for (const name of names) await trial(contenders[name]);
        const results = Object.fromEntries(names.map((k) => [k, []]));
        for (let p = 0; p < pairs; p++) {
          for (const name of p % 2 === 0 ? names : [...names].reverse()) {
            results[name].push(await trial(contenders[name]));
            await delay(5);
          }
        }
        const summary = await api(serverUrl, 'DELETE', `/${recording.id}`);
        await api(serverUrl, 'DELETE', `/${passing.id}`);
        if (summary.recorded !== warmup + pairs) throw new Error(`overhead: ${summary.recorded} recorded, wanted ${warmup + pairs}`);
        return { role, results };
      }
      case 'timing-record': {
        const session = await api(serverUrl, 'POST', '', { name: TIMING, mode: 'all' });
        const t0 = performance.now();
        const res = await fetch(`${mountOf(serverUrl, session.id)}/sse-gaps?n=${n}&seed=${seed}&min=1&max=20&ttfc=25`, {
          method: 'POST',
          headers: REQUEST_HEADERS,
          body: '{"stream":true}',
        });
        const live = await read(t0, res);
        await api(serverUrl, 'DELETE', `/${session.id}`);
        const response = parse(readFileSync(join(dir, `${TIMING}.yaml`), 'utf8')).interactions[0].response;
        return { role, live, recorded: { atMs: response.chunks.map((c) => c.atMs), sizes: response.chunks.map(chunkByteLength) } };
      }
      case 'timing-replay': {
        const runs = [];
        for (let r = 0; r < replays; r++) {
          const session = await api(serverUrl, 'POST', '', { name: TIMING, mode: 'none', timing: 'recorded' });
          const t0 = performance.now();
          const res = await fetch(`${mountOf(serverUrl, session.id)}/sse-gaps?n=${n}&seed=${seed}&min=1&max=20&ttfc=25`, {
            method: 'POST',
            headers: REQUEST_HEADERS,
            body: '{"stream":true}',
          });
          runs.push(await read(t0, res));
          await api(serverUrl, 'DELETE', `/${session.id}`);
          await delay(20);
        }
        return { role, runs };
      }
      default:
        throw new Error(`unknown role ${role}`);
    }
  });
}
