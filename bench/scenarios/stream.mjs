// E. `instant` replay of a 2,000-event SSE stream vs a bare `new Response(ReadableStream)` of
// the same chunks, consumed the same way (getReader loop). Interleaved, same process.
//
//   input: { role: 'cassettes' | 'dispatcher', dir, events, reps, warmup }
//   dispatcher (diagnostic, no cassettes loaded): a bare undici dispatcher in the global slot
//   feeding the same chunks to fetch, yielding between chunks by setImmediate (what src/stream/
//   player.ts does at instant), by process.nextTick, or not at all: what the layer itself costs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { deltaEvent } from '../lib/fixtures.mjs';
import { main } from '../lib/stats.mjs';

const NAME = 'instant-2000';
const URL_ = 'http://127.0.0.1:59999/v1/chat/completions'; // never contacted: replay only
const BODY = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Count to 2000' }], stream: true });

async function consume(t0, res) {
  const reader = res.body.getReader();
  let reads = 0;
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    reads++;
    bytes += value.byteLength;
  }
  return { ms: performance.now() - t0, reads, bytes };
}

main(async ({ role, dir, events, reps, warmup }) => {
  const texts = Array.from({ length: events }, (_, k) => deltaEvent(k));
  const chunks = texts.map((text) => new TextEncoder().encode(text));
  const total = chunks.reduce((n, c) => n + c.byteLength, 0);

  const bare = {
    // every chunk queued up front: the stream at its cheapest
    'bare-enqueued': async () => {
      const t0 = performance.now();
      const res = new Response(
        new ReadableStream({
          start(c) {
            for (const chunk of chunks) c.enqueue(chunk);
            c.close();
          },
        }),
      );
      return consume(t0, res);
    },
    // one chunk per pull: a stream that produces on demand, as a network body does
    'bare-pull': async () => {
      const t0 = performance.now();
      let k = 0;
      const res = new Response(
        new ReadableStream(
          {
            pull(c) {
              if (k < chunks.length) c.enqueue(chunks[k++]);
              else c.close();
            },
          },
          { highWaterMark: 0 },
        ),
      );
      return consume(t0, res);
    },
  };
  const interleave = async (contenders) => {
    const results = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
    for (let r = 0; r < warmup + reps; r++) {
      const names = Object.keys(contenders);
      if (r % 2 === 1) names.reverse();
      for (const name of names) {
        const out = await contenders[name]();
        if (out.bytes !== total) throw new Error(`${name}: ${out.bytes} bytes, wanted ${total}`);
        if (r >= warmup) results[name].push(out);
      }
    }
    return results;
  };

  if (role === 'dispatcher') {
    const buffers = chunks.map((c) => Buffer.from(c));
    const yields = {
      'dispatcher-setImmediate': () => new Promise((resolve) => setImmediate(resolve)),
      'dispatcher-nextTick': () => new Promise((resolve) => process.nextTick(resolve)),
      'dispatcher-no-yield': null,
    };
    let current = null;
    void new Headers(); // make Node load its undici
    const dispatcher = {
      dispatch(options, handler) {
        if (typeof handler.onHeaders !== 'function') throw new Error('this Node speaks the new undici handler API');
        (async () => {
          for await (const _ of options.body ?? []);
          let resume;
          handler.onConnect?.(() => undefined);
          handler.onHeaders(
            200,
            [Buffer.from('content-type'), Buffer.from('text/event-stream')],
            () => {
              const r = resume;
              resume = undefined;
              r?.();
            },
            'OK',
          );
          for (const chunk of buffers) {
            if (current) await current();
            if (handler.onData(chunk) === false) await new Promise((r) => (resume = r));
          }
          handler.onComplete([]);
        })().catch((error) => handler.onError(error));
        return true;
      },
      close() {},
      destroy() {},
    };
    for (const key of ['undici.globalDispatcher.1', 'undici.globalDispatcher.2']) globalThis[Symbol.for(key)] = dispatcher;
    const contenders = { ...bare };
    for (const [name, fn] of Object.entries(yields)) {
      contenders[name] = async () => {
        current = fn;
        const t0 = performance.now();
        const res = await fetch(URL_, { method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY });
        return consume(t0, res);
      };
    }
    return { role, events, bytes: total, results: await interleave(contenders) };
  }

  const { withCassette, requestKey } = await import('cassettes');
  // The recording, in the format src/cassette/codec.ts writes (1 ms apart, as if recorded); the
  // byte count checked on every replay proves the events render back to the very same bytes.
  const request = { method: 'POST', url: URL_, headers: { 'content-type': 'application/json' }, body: { json: JSON.parse(BODY) } };
  const interaction = {
    key: requestKey({ method: request.method, url: request.url, headers: request.headers, body: request.body.json }),
    recordedAt: '2025-01-01T00:00:00.000Z',
    request,
    response: {
      status: 200,
      statusText: 'OK',
      headers: { 'content-type': 'text/event-stream' },
      headersAtMs: 40,
      // each chunk as a recording stores it: the readable event view (it renders the exact bytes)
      chunks: texts.map((text, k) => ({ atMs: 41 + k, events: [{ data: JSON.parse(text.slice('data: '.length, -2)) }] })),
      end: { state: 'completed', atMs: 41 + events },
    },
  };
  // As many recordings of the request as there are replays: identical requests replay in
  // recorded order, each recording once, as in a suite. A second cassette holds it once and
  // replays it again and again (allowPlaybackRepeats), which costs a copy per replay.
  const write = (name, count) =>
    writeFileSync(
      join(dir, `${name}.yaml`),
      stringify(
        { version: 1, recordedWith: 'cassettes bench', interactions: Array.from({ length: count }, () => interaction) },
        { lineWidth: 0, minContentWidth: 0, blockQuote: 'literal', aliasDuplicateObjects: false, indentSeq: true },
      ),
    );
  mkdirSync(dir, { recursive: true });
  write(NAME, warmup + reps);
  write(`${NAME}-repeats`, 1);

  const replay = async () => {
    const t0 = performance.now();
    const res = await fetch(URL_, { method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY });
    return consume(t0, res);
  };
  let loadMs;
  let results;
  let repeats;
  const t0 = performance.now();
  await withCassette(
    NAME,
    async () => {
      loadMs = performance.now() - t0;
      results = await interleave({ cassettes: replay, ...bare });
    },
    { dir, mode: 'none', timing: 'instant', failOnUnused: true },
  );
  await withCassette(
    `${NAME}-repeats`,
    async () => {
      repeats = await interleave({ 'cassettes-repeats': replay, 'bare-enqueued': bare['bare-enqueued'] });
    },
    { dir, mode: 'none', timing: 'instant', allowPlaybackRepeats: true },
  );
  return { role, events, bytes: total, loadMs: loadMs / (warmup + reps), results, repeats };
});
