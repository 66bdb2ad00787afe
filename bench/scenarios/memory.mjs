// F. Peak memory while recording 20 concurrent 10 MB streams (mode all, maxBodyBytes 20 MiB).
//
//   input: { role: 'record' | 'plain', baseUrl, dir, streams, bytes, chunk, sampleMs }
//   plain: the same 20 streams read outside any cassette (what the client itself costs).
// RSS peaks come from the kernel (getrusage maxRSS) and a timer; heap peaks only from the timer,
// which cannot fire while the cassette is encoded synchronously: those are lower bounds.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { main } from '../lib/stats.mjs';

main(async ({ role, baseUrl, dir, streams, bytes, chunk, sampleMs }) => {
  const MB = 1024 * 1024;
  globalThis.gc?.();
  const base = process.memoryUsage();
  const peaks = { rss: 0, heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
  const phasePeaks = {};
  let phase = 'streaming';
  const sample = () => {
    const m = process.memoryUsage();
    for (const k of Object.keys(peaks)) {
      if (m[k] > peaks[k]) peaks[k] = m[k];
      phasePeaks[phase] ??= {};
      if (!(m[k] <= phasePeaks[phase][k])) phasePeaks[phase][k] = m[k];
    }
  };
  const timer = setInterval(sample, sampleMs);
  const t0 = performance.now();
  const marks = {};

  let received = 0;
  const readAll = async () => {
    await Promise.all(
      Array.from({ length: streams }, async (_, s) => {
        const res = await fetch(`${baseUrl}/big?bytes=${bytes}&chunk=${chunk}&s=${s}`);
        const reader = res.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          received += value.byteLength;
        }
      }),
    );
    sample();
    marks.streamsDoneMs = performance.now() - t0;
    // the kernel's high-water mark: exact, where the timer may have missed a short peak
    marks.maxRssKernelAfterStreams = process.resourceUsage().maxRSS * 1024;
    phase = 'saving';
  };

  let file;
  if (role === 'record') {
    const { withCassette } = await import('cassettes');
    let report;
    await withCassette('memory-20x10MB', readAll, { dir, mode: 'all', maxBodyBytes: 20 * MB, onReport: (r) => (report = r) });
    if (report.recorded !== streams) throw new Error(`recorded ${report.recorded} of ${streams}`);
    file = join(dir, 'memory-20x10MB.yaml');
  } else {
    await readAll();
  }
  sample();
  marks.doneMs = performance.now() - t0;
  clearInterval(timer);
  const kept = streams * bytes;
  if (received !== kept) throw new Error(`received ${received} bytes, wanted ${kept}`);
  return {
    role,
    keptBytes: kept,
    base,
    peaks,
    phasePeaks,
    maxRssKernel: process.resourceUsage().maxRSS * 1024,
    fileBytes: file ? statSync(file).size : undefined,
    ...marks,
  };
});
