// A. Per-request replay cost through raw fetch. One contender per process (nock and the
// FetchInterceptor patch globalThis.fetch, which would also catch cassettes's traffic).
//
//   input: { role, baseUrl, dir, n, rounds, warmup }
//   role: record-cassette | record-nock | cassettes | nock-back | msw | dispatcher | floor | floor-prebuilt | roundtrip | roundtrip-imported
import { performance } from 'node:perf_hooks';
import { REQUEST_HEADERS, smallRequest, smallResponse } from '../lib/fixtures.mjs';
import { main } from '../lib/stats.mjs';

const CASSETTE = 'replay-small';
const NOCK_FIXTURE = 'replay-small.json';

main(async ({ role, baseUrl, dir, n, rounds, warmup }) => {
  const bodies = Array.from({ length: n }, (_, i) => smallRequest(i));
  const expected = Array.from({ length: n }, (_, i) => JSON.parse(smallResponse(i).body).id);
  const url = `${baseUrl}/small`;

  /** The measured client: n sequential POSTs, each body read and checked. */
  const loop = async () => {
    for (let i = 0; i < n; i++) {
      const res = await fetch(url, { method: 'POST', headers: REQUEST_HEADERS, body: bodies[i] });
      const json = await res.json();
      if (json.id !== expected[i]) throw new Error(`${role}: request ${i} got ${json.id}, wanted ${expected[i]}`);
    }
  };

  /** Runs `warmup + rounds` rounds; `once(measureLoop)` wraps the loop in the contender's setup. */
  const measure = async (once) => {
    const samples = [];
    for (let r = 0; r < warmup + rounds; r++) {
      let loopMs = NaN;
      const t0 = performance.now();
      await once(async () => {
        const t1 = performance.now();
        await loop();
        loopMs = performance.now() - t1;
      });
      const totalMs = performance.now() - t0;
      if (r >= warmup) samples.push({ loopMs, totalMs });
    }
    return { role, n, samples };
  };

  switch (role) {
    case 'record-cassette': {
      const { withCassette } = await import('cassettes');
      let report;
      await withCassette(CASSETTE, loop, { dir, mode: 'all', onReport: (r) => (report = r) });
      return { role, recorded: report.recorded };
    }
    case 'record-nock': {
      const { default: nock } = await import('nock');
      nock.back.fixtures = dir;
      nock.back.setMode('record');
      nock.enableNetConnect('127.0.0.1');
      const { nockDone } = await nock.back(NOCK_FIXTURE);
      await loop();
      nockDone();
      return { role };
    }
    case 'cassettes': {
      const { withCassette } = await import('cassettes');
      return measure((inner) => withCassette(CASSETTE, inner, { dir, mode: 'none', timing: 'instant', failOnUnused: true }));
    }
    case 'nock-back': {
      const { default: nock } = await import('nock');
      nock.back.fixtures = dir;
      nock.back.setMode('lockdown');
      return measure(async (inner) => {
        const { nockDone, context } = await nock.back(NOCK_FIXTURE);
        if (!context.isLoaded) throw new Error('nock fixture not found');
        await inner();
        nockDone();
        context.assertScopesFinished();
      });
    }
    case 'msw': {
      const { FetchInterceptor } = await import('@mswjs/interceptors/fetch');
      const answers = new Map(bodies.map((body, i) => [body, smallResponse(i)]));
      const interceptor = new FetchInterceptor();
      interceptor.apply();
      interceptor.on('request', async ({ request, controller }) => {
        // the same lookup any replayer needs: which recorded answer belongs to this body
        const r = answers.get(await request.text());
        controller.respondWith(new Response(r.body, { status: r.status, headers: r.headers }));
      });
      return measure((inner) => inner());
    }
    case 'dispatcher': {
      // A bare undici dispatcher in the global slot cassettes wraps, doing only what any
      // replayer must (read the body, look the answer up): what fetch itself costs at that layer.
      const answers = new Map(
        bodies.map((body, i) => {
          const r = smallResponse(i);
          const raw = Object.entries(r.headers).flatMap(([k, v]) => [Buffer.from(k), Buffer.from(v)]);
          return [body, { status: r.status, raw, body: Buffer.from(r.body) }];
        }),
      );
      void new Headers(); // make Node load its undici
      const dispatcher = {
        dispatch(options, handler) {
          if (typeof handler.onHeaders !== 'function') throw new Error('this Node speaks the new undici handler API');
          (async () => {
            const parts = [];
            for await (const part of options.body) parts.push(part);
            const a = answers.get(Buffer.concat(parts).toString());
            handler.onConnect?.(() => undefined);
            handler.onHeaders(a.status, a.raw, () => undefined, 'OK');
            handler.onData(a.body);
            handler.onComplete([]);
          })().catch((error) => handler.onError(error));
          return true;
        },
        close() {},
        destroy() {},
      };
      for (const key of ['undici.globalDispatcher.1', 'undici.globalDispatcher.2']) globalThis[Symbol.for(key)] = dispatcher;
      return measure((inner) => inner());
    }
    case 'floor': {
      // globalThis.fetch patched to return the recorded bytes: the answer looked up by body and a
      // Response built from it, per request (a Response can be read only once), exactly as the
      // msw contender answers. No interception machinery at all.
      const answers = new Map(bodies.map((body, i) => [body, smallResponse(i)]));
      globalThis.fetch = async (_url, init) => {
        const r = answers.get(init.body);
        return new Response(r.body, { status: r.status, headers: r.headers });
      };
      return measure((inner) => inner());
    }
    case 'floor-prebuilt': {
      // stricter still: every Response built before the timed loop, so the loop pays only the
      // lookup and the reading of the body
      let prebuilt;
      globalThis.fetch = async (_url, init) => prebuilt.get(init.body);
      return measure(async (inner) => {
        prebuilt = new Map(
          bodies.map((body, i) => {
            const r = smallResponse(i);
            return [body, new Response(r.body, { status: r.status, headers: r.headers })];
          }),
        );
        await inner();
      });
    }
    case 'roundtrip':
      return measure((inner) => inner());
    case 'roundtrip-imported':
      // the same real round trip, cassettes imported but no cassette active
      await import('cassettes');
      return measure((inner) => inner());
    default:
      throw new Error(`unknown role ${role}`);
  }
});
