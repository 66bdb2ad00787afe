// D. Recording overhead: a server with a fixed 50 ms time to first byte, read with and without
// recording (mode all) in the same process, trials interleaved (ABBA) so drift hits both alike.
//
//   input: { role: 'compare' | 'no-import', baseUrl, dir, pairs, warmup, events, gap }
//   no-import (context): the plain trials only, in a process that never imports cassettes.
//   Importing it installs @mswjs/interceptors' socket-level ClientRequest interception, which
//   also sees undici's own sockets, so "outside any cassette" is not the same as "without it".
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { REQUEST_HEADERS } from '../lib/fixtures.mjs';
import { main } from '../lib/stats.mjs';

main(async ({ role = 'compare', baseUrl, dir, pairs, warmup, events, gap }) => {
  const url = `${baseUrl}/ttfb?ttfb=50&n=${events}&gap=${gap}`;

  const trial = async () => {
    const t0 = performance.now();
    const res = await fetch(url, { method: 'POST', headers: REQUEST_HEADERS, body: '{"stream":true}' });
    const reader = res.body.getReader();
    let first;
    let last;
    let bytes = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      last = performance.now() - t0;
      first ??= last;
      bytes += value.byteLength;
    }
    return { first, last, bytes };
  };
  const plain = () => trial();
  if (role === 'no-import') {
    for (let w = 0; w < warmup; w++) await plain();
    const out = [];
    for (let p = 0; p < pairs; p++) {
      out.push(await plain());
      await delay(5);
    }
    return { plain: out };
  }
  const { withCassette } = await import('cassettes');
  const recording = async () => {
    let out;
    let report;
    await withCassette('overhead', async () => (out = await trial()), { dir, mode: 'all', onReport: (r) => (report = r) });
    if (report.recorded !== 1) throw new Error('the recording trial recorded nothing');
    return out;
  };

  for (let w = 0; w < warmup; w++) {
    await plain();
    await recording();
  }
  const results = { plain: [], recording: [] };
  for (let p = 0; p < pairs; p++) {
    // ABBA: alternate which goes first
    const order = p % 2 === 0 ? ['plain', 'recording'] : ['recording', 'plain'];
    for (const which of order) {
      results[which].push(await (which === 'plain' ? plain() : recording()));
      await delay(5);
    }
  }
  return results;
});
