// cassettes benchmarks: `npm run bench` (builds dist/ first, then runs this with Node 24).
//
//   npm run bench                      everything (about 4–5 minutes on 2 cores)
//   npm run bench -- --only=A,E        some scenarios (A–G)
//   npm run bench -- --quick           smaller sizes, for checking the harness (not for figures)
//   npm run bench -- --keep            keep the temporary cassette folder
//
// Every scenario runs in child processes forked with this Node (process.execPath); the local
// server runs here, in the parent. No timed assertions: the table reports medians and ratios
// against baselines measured in the same run, and bench/results.json has the raw samples.
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startServer } from './lib/server.mjs';
import { median, round, summary } from './lib/stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const only = (args.find((a) => a.startsWith('--only='))?.slice('--only='.length) ?? 'A,B,C,D,E,F,G,H').toUpperCase().split(',');
const quick = flag('quick');

const log = (...parts) => process.stderr.write(`${parts.join(' ')}\n`);
const since = (t0) => `${((performance.now() - t0) / 1000).toFixed(1)}s`;

/** Forks one scenario child and resolves with what it sends back. */
function runChild(script, input, { timeoutMs = 240_000, execArgv = [] } = {}) {
  return new Promise((resolve, reject) => {
    const child = fork(join(here, 'scenarios', script), [JSON.stringify(input)], {
      execPath: process.execPath,
      execArgv,
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, LLM_CASSETTE_RECORD: '', LLM_CASSETTE_TIMING: '', CI: '' },
    });
    let message;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('message', (m) => (message = m));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (message?.error) reject(new Error(`${script} ${input.role ?? ''}: ${message.error}`));
      else if (code !== 0 || !message) reject(new Error(`${script} ${input.role ?? ''} exited with ${signal ?? code}`));
      else resolve(message);
    });
  });
}

/** Forks a long-running child (G's server): resolves with its first message; `stop()` closes it. */
function startChild(script, input) {
  const child = fork(join(here, 'scenarios', script), [JSON.stringify(input)], {
    execPath: process.execPath,
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, LLM_CASSETTE_RECORD: '', LLM_CASSETTE_TIMING: '', CI: '' },
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
    child.once('message', (message) =>
      resolve({
        message,
        stop: () => {
          child.send('close');
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          return exited.finally(() => clearTimeout(timer));
        },
      }),
    );
  });
}

const mb = (bytes) => bytes / 1e6;
const fmt = (x, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));
const verdict = (ok) => (ok ? 'PASS' : 'FAIL');

const started = performance.now();
const dir = mkdtempSync(join(tmpdir(), 'cassettes-bench-'));
const server = await startServer();
const pkg = (name) => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
const meta = {
  date: new Date().toISOString(),
  node: process.version,
  undici: process.versions.undici,
  v8: process.versions.v8,
  os: `${process.platform} ${release()}`,
  cpu: `${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}`,
  memoryGB: round(totalmem() / 2 ** 30, 1),
  loadavgStart: loadavg().map((x) => round(x, 2)),
  quick,
  versions: {
    cassettes: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version,
    yaml: pkg('yaml'),
    'js-yaml': pkg('js-yaml'),
    nock: pkg('nock'),
    '@mswjs/interceptors': pkg('@mswjs/interceptors'),
  },
};
log(`cassettes bench: Node ${meta.node}, ${meta.cpu}, load ${meta.loadavgStart.join(' ')}; cassettes in ${dir}`);

const results = { meta };
const rows = []; // the summary table
const row = (id, measure, result, target, ok) => rows.push({ id, measure, result, target, verdict: ok === undefined ? '—' : verdict(ok) });

try {
  // ---- A. replay cost per request --------------------------------------------------------
  if (only.includes('A')) {
    const t0 = performance.now();
    const n = 500;
    const base = { baseUrl: server.url, dir, n, rounds: quick ? 2 : 5, warmup: 2 };
    let hits = server.hits();
    await runChild('replay.mjs', { ...base, role: 'record-cassette' });
    await runChild('replay.mjs', { ...base, role: 'record-nock' });
    const recordHits = server.hits() - hits;
    const contenders = ['roundtrip', 'roundtrip-imported', 'floor', 'floor-prebuilt', 'dispatcher', 'msw', 'nock-back', 'cassettes'];
    const samples = Object.fromEntries(contenders.map((c) => [c, []]));
    const serverHits = Object.fromEntries(contenders.map((c) => [c, 0]));
    const passes = quick ? 1 : 3;
    for (let pass = 0; pass < passes; pass++) {
      // passes in alternating orders, each contender in a fresh process each time
      for (const role of pass % 2 === 0 ? contenders : [...contenders].reverse()) {
        hits = server.hits();
        const out = await runChild('replay.mjs', { ...base, role });
        serverHits[role] += server.hits() - hits;
        samples[role].push(...out.samples.map((s) => ({ ...s, pass })));
      }
    }
    const perReq = (role, field, pass) => (median(samples[role].filter((s) => pass === undefined || s.pass === pass).map((s) => s[field])) / n) * 1000; // µs
    const byPass = (f) => Array.from({ length: passes }, (_, p) => round(f(p), 2));
    const perPass = {
      nockOverLlm: byPass((p) => perReq('nock-back', 'loopMs', p) / perReq('cassettes', 'loopMs', p)),
      llmOverFloor: byPass((p) => perReq('cassettes', 'loopMs', p) / perReq('floor', 'loopMs', p)),
      llmOverPrebuilt: byPass((p) => perReq('cassettes', 'loopMs', p) / perReq('floor-prebuilt', 'loopMs', p)),
    };
    const table = Object.fromEntries(
      contenders.map((role) => [
        role,
        {
          usPerRequest: round(perReq(role, 'loopMs'), 1),
          usPerRequestWithSetup: round(perReq(role, 'totalMs'), 1),
          rounds: samples[role].length,
          serverHits: serverHits[role],
        },
      ]),
    );
    const llm = perReq('cassettes', 'loopMs');
    const vsNock = perReq('nock-back', 'loopMs') / llm;
    const vsNockWithSetup = perReq('nock-back', 'totalMs') / perReq('cassettes', 'totalMs');
    const vsFloor = llm / perReq('floor', 'loopMs');
    const vsPrebuilt = llm / perReq('floor-prebuilt', 'loopMs');
    const vsDispatcher = llm / perReq('dispatcher', 'loopMs');
    const dispatcherVsFloor = perReq('dispatcher', 'loopMs') / perReq('floor', 'loopMs');
    results.A = {
      n,
      recordHits,
      contenders: table,
      ratios: {
        nockOverLlm: round(vsNock, 2),
        nockOverLlmWithSetup: round(vsNockWithSetup, 2),
        llmOverFloor: round(vsFloor, 1),
        llmOverPrebuiltFloor: round(vsPrebuilt, 1),
        llmOverBareDispatcher: round(vsDispatcher, 2),
        bareDispatcherOverFloor: round(dispatcherVsFloor, 1),
        importedRoundTripOverPlain: round(perReq('roundtrip-imported', 'loopMs') / perReq('roundtrip', 'loopMs'), 2),
      },
      perPass,
      samples,
    };
    row(
      'A',
      'replay: nock.back time / cassettes time (per request, loop only)',
      `${fmt(vsNock)}× (passes ${perPass.nockOverLlm.join(', ')})`,
      '≥ 4×',
      vsNock >= 4,
    );
    row('A', 'replay: same, counting cassette/fixture load per round', `${fmt(vsNockWithSetup)}×`, '(context)');
    row(
      'A',
      'replay: cassettes time / floor (patched fetch returning the bytes)',
      `${fmt(vsFloor, 1)}× (passes ${perPass.llmOverFloor.map((x) => fmt(x, 1)).join(', ')})`,
      '≤ 5×',
      vsFloor <= 5,
    );
    row(
      'A',
      'replay: cassettes time / prebuilt floor (Responses built before the loop)',
      `${fmt(vsPrebuilt, 1)}× (passes ${perPass.llmOverPrebuilt.map((x) => fmt(x, 1)).join(', ')})`,
      '(context)',
    );
    row('A', 'replay: bare undici dispatcher / floor (the layer itself)', `${fmt(dispatcherVsFloor, 1)}×`, '(context)');
    const importCost = perReq('roundtrip-imported', 'loopMs') - perReq('roundtrip', 'loopMs');
    row(
      'A',
      'real round trip: cassettes imported, no cassette, minus never imported',
      `${importCost >= 0 ? '+' : ''}${fmt(importCost, 0)} µs/request`,
      '(context)',
    );
    log(`A done in ${since(t0)}`);
  }

  // ---- B. cassette load throughput -------------------------------------------------------
  if (only.includes('B')) {
    const t0 = performance.now();
    const base = {
      baseUrl: server.url,
      dir,
      name: 'load-10k',
      n: quick ? 1000 : 10_000,
      streamEvery: 10,
      concurrency: 32,
      minReps: quick ? 2 : 3,
      maxReps: 5,
      budgetMs: 40_000,
    };
    const generated = await runChild('load.mjs', { ...base, role: 'generate' });
    log(`B generated ${generated.recorded} interactions, ${fmt(mb(generated.bytes), 1)} MB in ${fmt(generated.ms / 1000, 1)} s`);
    const methods = ['load-cassette', 'yaml-parse', 'js-yaml-json', 'js-yaml-core', 'json-parse'];
    const out = {};
    for (const role of methods) {
      out[role] = await runChild('load.mjs', { ...base, role }, { timeoutMs: 200_000 });
      log(`B ${role}: median ${fmt(median(out[role].ms), 0)} ms over ${out[role].ms.length}`);
    }
    const yamlBytes = generated.bytes;
    const ms = (role) => median(out[role].ms);
    const rate = (role) => mb(yamlBytes) / (ms(role) / 1000); // cassette MB/s
    const indexMs = median(out['yaml-parse'].indexMs); // request keys for every entry
    const loaderExtra = indexMs;
    const methodsTable = Object.fromEntries(
      methods.map((role) => [
        role,
        {
          medianMs: round(ms(role), 0),
          reps: out[role].ms.length,
          cassetteMBps: round(rate(role), 1),
          ...(role === 'json-parse' ? { ownBytesMBps: round(mb(out[role].bytes) / (ms(role) / 1000), 1) } : {}),
          ...(role.startsWith('js-yaml') ? { sameResultAsYaml: out[role].sameAsYaml, version: out[role].version } : {}),
          // what the loader would reach with this parser in place of yaml's: parse + index
          ...(role !== 'load-cassette' ? { projectedLoaderMBps: round(mb(yamlBytes) / ((ms(role) + loaderExtra) / 1000), 1) } : {}),
        },
      ]),
    );
    const loaderRate = rate('load-cassette');
    results.B = {
      cassette: {
        interactions: out['yaml-parse'].interactions,
        streamed: out['yaml-parse'].streamed,
        chunks: out['yaml-parse'].chunks,
        yamlBytes,
        jsonBytes: out['yaml-parse'].jsonBytes,
        generateMs: round(generated.ms, 0),
      },
      yamlShareOfLoad: round(ms('yaml-parse') / ms('load-cassette'), 2),
      indexMs: round(indexMs, 0),
      methods: methodsTable,
      raw: out,
    };
    row(
      'B',
      `load ${results.B.cassette.interactions} interactions (${fmt(mb(yamlBytes), 1)} MB) via withCassette`,
      `${fmt(loaderRate, 1)} MB/s`,
      '≥ 40 MB/s',
      loaderRate >= 40,
    );
    for (const role of ['yaml-parse', 'js-yaml-json', 'js-yaml-core', 'json-parse']) {
      const m = methodsTable[role];
      row(
        'B',
        `  ${role}: parse alone → loader projected (parse + index)`,
        `${fmt(m.cassetteMBps, 1)} → ${fmt(m.projectedLoaderMBps, 1)} MB/s`,
        '≥ 40 MB/s',
        m.projectedLoaderMBps >= 40,
      );
    }
    log(`B done in ${since(t0)}`);
  }

  // ---- C. timing fidelity at 'recorded' ------------------------------------------------------
  if (only.includes('C')) {
    const t0 = performance.now();
    const base = { baseUrl: server.url, dir, n: 240, seed: 42, replays: quick ? 2 : 5 };
    const rec = await runChild('timing.mjs', { ...base, role: 'record' });
    const replay = await runChild('timing.mjs', { ...base, role: 'replay' });
    const control = await runChild('timing.mjs', { ...base, role: 'control' });
    const { atMs, sizes } = rec.recorded;
    const recordedGaps = atMs.slice(1).map((t, k) => t - atMs[k]);
    const analyse = (runs) => {
      const gapErrors = [];
      const offsetErrors = [];
      const ttfc = [];
      let merged = 0;
      for (const run of runs) {
        const delivered = deliveryTimes(run, sizes);
        ttfc.push(delivered[0] - atMs[0]);
        for (let k = 0; k < atMs.length; k++) offsetErrors.push(delivered[k] - atMs[k]);
        for (let k = 1; k < atMs.length; k++) gapErrors.push(Math.abs(delivered[k] - delivered[k - 1] - recordedGaps[k - 1]));
        merged += atMs.length - run.at.length;
      }
      return {
        gapAbsErrorMs: roundAll(summary(gapErrors)),
        ttfcErrorMs: {
          values: ttfc.map((x) => round(x, 2)),
          medianAbs: round(median(ttfc.map(Math.abs)), 2),
          maxAbs: round(Math.max(...ttfc.map(Math.abs)), 2),
        },
        offsetErrorMs: roundAll(summary(offsetErrors)),
        chunksMergedIntoOtherReads: merged,
        reads: runs.map((r) => r.at.length),
      };
    };
    const live = analyse([rec.live]);
    const llm = analyse(replay.runs);
    const ctl = analyse(control.runs);
    results.C = {
      recordedChunks: atMs.length,
      recordedGapsMs: roundAll(summary(recordedGaps)),
      recordedFirstChunkMs: atMs[0],
      replays: replay.runs.length,
      cassettes: llm,
      control: ctl,
      liveConsumerVsStored: live,
      raw: { recorded: rec.recorded, live: rec.live, replay: replay.runs, control: control.runs },
    };
    const g = llm.gapAbsErrorMs;
    row(
      'C',
      `recorded timing: |replayed gap − recorded gap| p50 (${recordedGaps.length} gaps × ${replay.runs.length})`,
      `${fmt(g.p50)} ms`,
      '≤ 1 ms',
      g.p50 <= 1,
    );
    row('C', 'recorded timing: same, p95', `${fmt(g.p95)} ms`, '(report)');
    row('C', 'recorded timing: same, p99', `${fmt(g.p99)} ms`, '≤ 5 ms', g.p99 <= 5);
    row(
      'C',
      'recorded timing: time-to-first-chunk error, median |err| (max)',
      `${fmt(llm.ttfcErrorMs.medianAbs)} ms (${fmt(llm.ttfcErrorMs.maxAbs)})`,
      '(report)',
    );
    row('C', 'control (bare stream, setTimeout pacing): gap error p50 / p99', `${fmt(ctl.gapAbsErrorMs.p50)} / ${fmt(ctl.gapAbsErrorMs.p99)} ms`, '(context)');
    log(`C done in ${since(t0)}`);
  }

  // ---- D. recording overhead -------------------------------------------------------------
  if (only.includes('D')) {
    const t0 = performance.now();
    const input = { baseUrl: server.url, dir, pairs: quick ? 6 : 30, warmup: 3, events: 10, gap: 5 };
    const out = await runChild('overhead.mjs', input);
    const bare = await runChild('overhead.mjs', { ...input, role: 'no-import' });
    const pick = (which, field) => out[which].map((t) => t[field]);
    const added = (field) => median(pick('recording', field)) - median(pick('plain', field));
    const paired = (field) => median(out.recording.map((t, i) => t[field] - out.plain[i][field]));
    results.D = {
      trials: out.plain.length,
      plain: { firstMs: roundAll(summary(pick('plain', 'first'))), lastMs: roundAll(summary(pick('plain', 'last'))) },
      recording: { firstMs: roundAll(summary(pick('recording', 'first'))), lastMs: roundAll(summary(pick('recording', 'last'))) },
      addedMs: {
        first: round(added('first'), 3),
        last: round(added('last'), 3),
        firstPairedMedian: round(paired('first'), 3),
        lastPairedMedian: round(paired('last'), 3),
      },
      // context, across processes: plain fetch where cassettes was never imported
      noImport: { firstMs: roundAll(summary(bare.plain.map((t) => t.first))), lastMs: roundAll(summary(bare.plain.map((t) => t.last))) },
      raw: { ...out, noImport: bare.plain },
    };
    const a = results.D.addedMs;
    row(
      'D',
      `recording (mode all) adds to first chunk (median of ${out.plain.length} vs ${out.plain.length})`,
      `${fmt(a.first, 3)} ms`,
      '≤ 1 ms',
      a.first <= 1,
    );
    row('D', 'recording adds to last chunk', `${fmt(a.last, 3)} ms`, '≤ 1 ms', a.last <= 1);
    const ni = results.D.noImport;
    row(
      'D',
      'context: importing cassettes at all (other process, no cassette): first / last',
      `${fmt(median(pick('plain', 'first')) - ni.firstMs.p50, 3)} / ${fmt(median(pick('plain', 'last')) - ni.lastMs.p50, 3)} ms`,
      '(context)',
    );
    log(`D done in ${since(t0)}`);
  }

  // ---- E. instant replay of a 2,000-event stream ---------------------------------------------
  if (only.includes('E')) {
    const t0 = performance.now();
    const base = { dir, events: 2000, reps: quick ? 5 : 25, warmup: 10 };
    const main = await runChild('stream.mjs', { ...base, role: 'cassettes' });
    const diag = await runChild('stream.mjs', { ...base, role: 'dispatcher' });
    const m = (r, name) => median(r.results[name].map((x) => x.ms));
    const reads = (r, name) => median(r.results[name].map((x) => x.reads));
    const rowsE = {};
    for (const [r, names] of [
      [main, Object.keys(main.results)],
      [diag, Object.keys(diag.results)],
    ]) {
      for (const name of names) {
        rowsE[`${r.role}/${name}`] = {
          medianMs: round(m(r, name), 2),
          usPerChunk: round((m(r, name) / base.events) * 1000, 2),
          reads: reads(r, name),
          overBareEnqueued: round(m(r, name) / m(r, 'bare-enqueued'), 1),
        };
      }
    }
    const ratio = m(main, 'cassettes') / m(main, 'bare-enqueued');
    const ratioPull = m(main, 'cassettes') / m(main, 'bare-pull');
    results.E = { events: base.events, bytes: main.bytes, cassetteLoadMs: round(main.loadMs, 1), contenders: rowsE, raw: { main, diag } };
    row(
      'E',
      'instant replay of 2,000 SSE events / bare Response(ReadableStream)',
      `${fmt(ratio, 1)}× (${fmt(m(main, 'cassettes'))} vs ${fmt(m(main, 'bare-enqueued'))} ms)`,
      '≤ 2×',
      ratio <= 2,
    );
    row('E', '  same, against a one-chunk-per-pull bare stream', `${fmt(ratioPull, 1)}×`, '(context)');
    const ratioRepeats = m({ results: main.repeats }, 'cassettes-repeats') / m({ results: main.repeats }, 'bare-enqueued');
    row('E', '  one recording replayed again and again (allowPlaybackRepeats: a copy each time)', `${fmt(ratioRepeats, 1)}×`, '(context)');
    row(
      'E',
      '  bare dispatcher + setImmediate per chunk / bare stream',
      `${fmt(m(diag, 'dispatcher-setImmediate') / m(diag, 'bare-enqueued'), 1)}×`,
      '(context)',
    );
    log(`E done in ${since(t0)}`);
  }

  // ---- F. peak memory while recording ------------------------------------------------------
  if (only.includes('F')) {
    const t0 = performance.now();
    const MB = 1024 * 1024;
    const base = { baseUrl: server.url, dir, streams: 20, bytes: (quick ? 2 : 10) * MB, chunk: 16 * 1024, sampleMs: 5 };
    const plain = await runChild('memory.mjs', { ...base, role: 'plain' }, { execArgv: ['--expose-gc'] });
    const rec = await runChild('memory.mjs', { ...base, role: 'record' }, { execArgv: ['--expose-gc'] });
    const kept = rec.keptBytes;
    const x = (bytes) => round(bytes / kept, 2);
    const streamingRss = Math.max(rec.phasePeaks.streaming.rss, rec.maxRssKernelAfterStreams);
    const overallRss = Math.max(rec.peaks.rss, rec.maxRssKernel);
    const plainRss = Math.max(plain.peaks.rss, plain.maxRssKernel);
    results.F = {
      keptBytes: kept,
      cassetteFileBytes: rec.fileBytes,
      record: {
        streamingPhase: {
          rss: streamingRss,
          heapUsedSampled: rec.phasePeaks.streaming.heapUsed,
          rssOverKept: x(streamingRss),
          heapOverKept: x(rec.phasePeaks.streaming.heapUsed),
        },
        withSave: {
          rss: overallRss,
          rssSampled: rec.peaks.rss,
          heapUsedSampled: rec.peaks.heapUsed,
          rssOverKept: x(overallRss),
          heapOverKept: x(rec.peaks.heapUsed),
        },
        rssGrowthOverKept: x(overallRss - rec.base.rss),
        streamsDoneMs: round(rec.streamsDoneMs, 0),
        doneMs: round(rec.doneMs, 0),
      },
      plain: { rss: plainRss, heapUsedSampled: plain.peaks.heapUsed, rssOverKept: x(plainRss) },
      raw: { plain, rec },
    };
    const r = results.F.record;
    row(
      'F',
      `peak RSS / bytes kept (${fmt(kept / MB, 0)} MiB), while streaming`,
      `${fmt(r.streamingPhase.rssOverKept)}× (${fmt(r.streamingPhase.rss / MB, 0)} MiB)`,
      '(report)',
    );
    row('F', 'peak RSS / bytes kept, including the cassette write', `${fmt(r.withSave.rssOverKept)}× (${fmt(r.withSave.rss / MB, 0)} MiB)`, '(report)');
    row(
      'F',
      'peak heap used / bytes kept, including the write (sampled: ≥)',
      `≥ ${fmt(r.withSave.heapOverKept)}× (${fmt(r.withSave.heapUsedSampled / MB, 0)} MiB)`,
      '(report)',
    );
    row('F', 'same streams without a cassette: peak RSS / bytes', `${fmt(results.F.plain.rssOverKept)}× (${fmt(plainRss / MB, 0)} MiB)`, '(context)');
    log(`F done in ${since(t0)}`);
  }

  // ---- G. a replayed 429 → 429 → 200 through withRetry ---------------------------------------
  if (only.includes('G')) {
    const t0 = performance.now();
    const base = { dir, retryAfterMs: 2000 };
    await runChild('retry.mjs', { ...base, role: 'record' });
    const instant = await runChild('retry.mjs', { ...base, role: 'replay', timing: 'instant', reps: quick ? 5 : 50 });
    const recorded = await runChild('retry.mjs', { ...base, role: 'replay', timing: 'recorded', reps: quick ? 1 : 3 });
    results.G = { retryAfterMs: base.retryAfterMs, instant, recorded };
    const waits = `2 × ${base.retryAfterMs / 1000} s asked`;
    row(
      'G',
      `replayed 429 → 429 → 200 through withRetry (${waits}), instant timing: wall time per call`,
      `${fmt(median(instant.ms), 1)} ms (median of ${instant.ms.length})`,
      '(report)',
    );
    row('G', '  same, timing: recorded (1×)', `${fmt(median(recorded.ms), 0)} ms (median of ${recorded.ms.length})`, '(report)');
    log(`G done in ${since(t0)}`);
  }

  // ---- H. cassettes serve ----------------------------------------------------------------
  if (only.includes('H')) {
    const t0 = performance.now();
    const served = await startChild('serve.mjs', { role: 'server', baseUrl: server.url, dir });
    try {
      const base = { baseUrl: server.url, serverUrl: served.message.url, dir };
      // replay cost: the same cassette, in-process and through the server, in alternating order
      const small = { ...base, n: 200, rounds: quick ? 2 : 5, warmup: 2 };
      await runChild('serve.mjs', { ...small, role: 'record-small' });
      const samples = { inprocess: [], served: [] };
      for (let pass = 0; pass < (quick ? 1 : 3); pass++) {
        for (const role of pass % 2 === 0 ? ['inprocess', 'served'] : ['served', 'inprocess']) {
          samples[role].push(...(await runChild('serve.mjs', { ...small, role })).samples);
        }
      }
      const perReq = (role) => (median(samples[role]) / small.n) * 1000; // µs
      const ratio = perReq('served') / perReq('inprocess');

      // what recording through the server adds to the first chunk
      const over = await runChild('serve.mjs', { ...base, role: 'overhead', pairs: quick ? 6 : 30, warmup: 3, events: 10, gap: 5 });
      const pick = (name, field) => over.results[name].map((t) => t[field]);
      const added = (name, than, field) => median(pick(name, field)) - median(pick(than, field));
      const paired = (name, than, field) => median(over.results[name].map((t, i) => t[field] - over.results[than][i][field]));

      // timing at recorded speed, through the server
      const timing = { ...base, n: 240, seed: 42, replays: quick ? 2 : 5 };
      const rec = await runChild('serve.mjs', { ...timing, role: 'timing-record' });
      const rep = await runChild('serve.mjs', { ...timing, role: 'timing-replay' });
      const { atMs, sizes } = rec.recorded;
      const gapErrors = [];
      let merged = 0;
      for (const run of rep.runs) {
        const delivered = deliveryTimes(run, sizes);
        for (let k = 1; k < atMs.length; k++) gapErrors.push(Math.abs(delivered[k] - delivered[k - 1] - (atMs[k] - atMs[k - 1])));
        merged += atMs.length - run.at.length;
      }
      const gaps = roundAll(summary(gapErrors));

      results.H = {
        replay: {
          n: small.n,
          usPerRequest: { inprocess: round(perReq('inprocess'), 1), served: round(perReq('served'), 1) },
          servedOverInProcess: round(ratio, 2),
          samples,
        },
        recordingOverhead: {
          trials: over.results.direct.length,
          firstMs: Object.fromEntries(Object.keys(over.results).map((k) => [k, roundAll(summary(pick(k, 'first')))])),
          lastMs: Object.fromEntries(Object.keys(over.results).map((k) => [k, roundAll(summary(pick(k, 'last')))])),
          addedMs: {
            recordingVsDirectFirst: round(added('recording', 'direct', 'first'), 3),
            recordingVsPassthroughFirst: round(added('recording', 'passthrough', 'first'), 3),
            passthroughVsDirectFirst: round(added('passthrough', 'direct', 'first'), 3),
            recordingVsDirectFirstPaired: round(paired('recording', 'direct', 'first'), 3),
            recordingVsPassthroughFirstPaired: round(paired('recording', 'passthrough', 'first'), 3),
            recordingVsDirectLast: round(added('recording', 'direct', 'last'), 3),
          },
          raw: over.results,
        },
        timing: {
          recordedChunks: atMs.length,
          replays: rep.runs.length,
          gapAbsErrorMs: gaps,
          chunksMergedIntoOtherReads: merged,
          raw: { recorded: rec.recorded, replay: rep.runs },
        },
      };
      const a = results.H.recordingOverhead.addedMs;
      row(
        'H',
        `replay through the server / in-process, same cassette (${small.n} small POSTs)`,
        `${fmt(ratio, 1)}× (${fmt(perReq('served'), 0)} vs ${fmt(perReq('inprocess'), 0)} µs)`,
        '(report)',
      );
      row(
        'H',
        'recording through the server adds to the first chunk, vs passthrough through it',
        `${fmt(a.recordingVsPassthroughFirst, 3)} ms (paired ${fmt(a.recordingVsPassthroughFirstPaired, 3)})`,
        '≤ 1 ms',
        a.recordingVsPassthroughFirst <= 1,
      );
      row(
        'H',
        '  vs straight to the provider (the hop included)',
        `${fmt(a.recordingVsDirectFirst, 3)} ms (paired ${fmt(a.recordingVsDirectFirstPaired, 3)})`,
        '(report)',
      );
      row(
        'H',
        `recorded timing through the server: gap |err| p50 / p99 (${atMs.length - 1} gaps × ${rep.runs.length})`,
        `${fmt(gaps.p50)} / ${fmt(gaps.p99)} ms`,
        'p99 ≤ 5 ms',
        gaps.p99 <= 5,
      );
    } finally {
      await served.stop();
    }
    log(`H done in ${since(t0)}`);
  }
} finally {
  await server.close();
  if (!flag('keep')) rmSync(dir, { recursive: true, force: true });
}

meta.loadavgEnd = loadavg().map((x) => round(x, 2));
meta.totalSeconds = round((performance.now() - started) / 1000, 1);
results.summary = rows;
writeFileSync(join(here, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
printReport();

function printReport() {
  const out = [];
  out.push('');
  out.push(`cassettes ${meta.versions['cassettes']} — Node ${meta.node} (undici ${meta.undici}) — ${meta.cpu} — ${meta.os}`);
  out.push(
    `load average ${meta.loadavgStart.join(' ')} → ${meta.loadavgEnd.join(' ')}; ${meta.totalSeconds} s${quick ? ' — QUICK MODE, not for figures' : ''}`,
  );
  out.push('');
  out.push(
    table(
      ['', 'measure', 'result', 'target', ''],
      rows.map((r) => [r.id, r.measure, r.result, r.target, r.verdict]),
    ),
  );
  if (results.A) {
    out.push('');
    out.push(`A. per request, ${results.A.n} distinct POSTs, median of ${results.A.contenders['cassettes'].rounds} rounds (each contender in its own process)`);
    out.push(
      table(
        ['contender', 'µs/request', 'µs/req incl. load', 'server hits'],
        Object.entries(results.A.contenders).map(([k, v]) => [k, fmt(v.usPerRequest, 1), fmt(v.usPerRequestWithSetup, 1), String(v.serverHits)]),
      ),
    );
  }
  if (results.B) {
    const c = results.B.cassette;
    out.push('');
    out.push(
      `B. ${c.interactions} interactions (${c.streamed} streamed, ${c.chunks} chunks), ${fmt(mb(c.yamlBytes), 1)} MB YAML / ${fmt(mb(c.jsonBytes), 1)} MB JSON; yaml.parse ≈ ${fmt(results.B.yamlShareOfLoad * 100, 0)}% of the load; indexing (request keys) ${fmt(results.B.indexMs, 0)} ms`,
    );
    out.push(
      table(
        ['method', 'median ms', 'reps', 'cassette MB/s', 'loader projected MB/s', 'same value as yaml'],
        Object.entries(results.B.methods).map(([k, v]) => [
          k,
          fmt(v.medianMs, 0),
          String(v.reps),
          fmt(v.cassetteMBps, 1),
          v.projectedLoaderMBps === undefined ? '—' : fmt(v.projectedLoaderMBps, 1),
          v.sameResultAsYaml === undefined ? '—' : String(v.sameResultAsYaml),
        ]),
      ),
    );
  }
  if (results.C) {
    const c = results.C;
    out.push('');
    out.push(
      `C. ${c.recordedChunks} recorded chunks, gaps p50 ${fmt(c.recordedGapsMs.p50, 1)} ms (min ${fmt(c.recordedGapsMs.min, 1)}, max ${fmt(c.recordedGapsMs.max, 1)}); ${c.replays} replays`,
    );
    out.push(
      table(
        ['', 'gap |err| p50', 'p95', 'p99', 'max', 'TTFC |err| median', 'chunks merged'],
        [
          ['cassettes replay', c.cassettes],
          ['control: bare stream', c.control],
          ['live consumer while recording', c.liveConsumerVsStored],
        ].map(([k, v]) => [
          k,
          fmt(v.gapAbsErrorMs.p50),
          fmt(v.gapAbsErrorMs.p95),
          fmt(v.gapAbsErrorMs.p99),
          fmt(v.gapAbsErrorMs.max),
          fmt(v.ttfcErrorMs.medianAbs),
          String(v.chunksMergedIntoOtherReads),
        ]),
      ),
    );
  }
  if (results.D) {
    const d = results.D;
    out.push('');
    out.push(`D. 50 ms TTFB + 10 events 5 ms apart, ${d.trials} ABBA pairs`);
    out.push(
      table(
        ['', 'first chunk p50 ms', 'last chunk p50 ms'],
        [
          ['cassettes never imported (other process)', fmt(d.noImport.firstMs.p50), fmt(d.noImport.lastMs.p50)],
          ['outside any cassette (same process)', fmt(d.plain.firstMs.p50), fmt(d.plain.lastMs.p50)],
          ['recording (mode all)', fmt(d.recording.firstMs.p50), fmt(d.recording.lastMs.p50)],
          ['added (difference of medians)', fmt(d.addedMs.first, 3), fmt(d.addedMs.last, 3)],
          ['added (median paired difference)', fmt(d.addedMs.firstPairedMedian, 3), fmt(d.addedMs.lastPairedMedian, 3)],
        ],
      ),
    );
  }
  if (results.E) {
    out.push('');
    out.push(
      `E. ${results.E.events} events (${results.E.bytes} bytes), getReader loop; cassette load ${fmt(results.E.cassetteLoadMs, 1)} ms per recording (not in the times: scenario B measures loading)`,
    );
    out.push(
      table(
        ['process/contender', 'median ms', 'µs/chunk', 'reads', '× bare-enqueued'],
        Object.entries(results.E.contenders).map(([k, v]) => [k, fmt(v.medianMs), fmt(v.usPerChunk), String(v.reads), fmt(v.overBareEnqueued, 1)]),
      ),
    );
  }
  out.push('');
  out.push(`raw samples: bench/results.json`);
  process.stdout.write(`${out.join('\n')}\n`);
}

function table(header, body) {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells
      .map((c, i) => String(c).padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function roundAll(object) {
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, typeof v === 'number' ? round(v, 3) : v]));
}

/**
 * When each recorded chunk reached the consumer: the time of the read that delivered its last
 * byte. Fetch's body can merge chunks that arrive before the consumer reads (they then share a
 * delivery time), so reads are matched to chunks by byte offsets, not by index.
 */
function deliveryTimes(run, chunkSizes) {
  const total = chunkSizes.reduce((a, b) => a + b, 0);
  const readTotal = run.sizes.reduce((a, b) => a + b, 0);
  if (total !== readTotal) throw new Error(`timing: read ${readTotal} bytes, the cassette holds ${total}`);
  const out = [];
  let read = 0;
  let readEnd = run.sizes[0];
  let chunkEnd = 0;
  for (const size of chunkSizes) {
    chunkEnd += size;
    while (readEnd < chunkEnd) readEnd += run.sizes[++read];
    out.push(run.at[read]);
  }
  return out;
}
