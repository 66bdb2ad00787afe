// B. Cassette load throughput on a 10,000-interaction cassette.
//
//   input: { role, baseUrl, dir, name, n, streamEvery, concurrency, minReps, maxReps, budgetMs }
//   role: generate | load-cassette | yaml-parse | js-yaml-json | js-yaml-core | json-parse
//
// Each timed call includes reading the file (the loader reads it too). A call that takes under
// 2 s gets one untimed warm-up; slower ones are timed from the first (cold) call, at least
// `minReps` times, up to `maxReps` while within `budgetMs`.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { chatRequest, REQUEST_HEADERS } from '../lib/fixtures.mjs';
import { main } from '../lib/stats.mjs';

const require = createRequire(import.meta.url);

main(async ({ role, baseUrl, dir, name, n, streamEvery, concurrency, minReps, maxReps, budgetMs }) => {
  const file = join(dir, `${name}.yaml`);
  const jsonFile = join(dir, `${name}.json`);

  const repeat = async (fn) => {
    const ms = [];
    let last;
    const started = performance.now();
    let t0 = performance.now();
    last = await fn();
    const cold = performance.now() - t0;
    let warmedUp = false;
    if (cold >= 2000) ms.push(cold);
    else warmedUp = true;
    while (ms.length < maxReps && (ms.length < minReps || performance.now() - started < budgetMs)) {
      last = undefined; // the previous result is garbage before the next call, as in a loader
      t0 = performance.now();
      last = await fn();
      ms.push(performance.now() - t0);
    }
    return { ms, coldMs: cold, warmedUp, last };
  };

  switch (role) {
    case 'generate': {
      // Recorded for real through the library (mode all), so the file is exactly what users get.
      const { withCassette } = await import('cassettes');
      const t0 = performance.now();
      let report;
      await withCassette(
        name,
        async () => {
          let next = 0;
          const worker = async () => {
            while (next < n) {
              const i = next++;
              const stream = streamEvery > 0 && i % streamEvery === streamEvery - 1;
              const res = await fetch(`${baseUrl}/v1/chat/completions`, { method: 'POST', headers: REQUEST_HEADERS, body: chatRequest(i, { stream }) });
              if (res.status !== 200) throw new Error(`generate: #${i} got ${res.status}: ${await res.text()}`);
              await res.arrayBuffer();
            }
          };
          await Promise.all(Array.from({ length: concurrency }, worker));
        },
        { dir, mode: 'all', onReport: (r) => (report = r) },
      );
      return { role, recorded: report.recorded, bytes: statSync(file).size, ms: performance.now() - t0 };
    }
    case 'load-cassette': {
      // The whole loader as users hit it: read + YAML parse + validate + index (request keys).
      const { withCassette } = await import('cassettes');
      let report;
      const out = await repeat(() => withCassette(name, async () => {}, { dir, mode: 'none', onReport: (r) => (report = r) }));
      delete out.last;
      return { role, bytes: statSync(file).size, ...out, interactions: report.unused.length };
    }
    case 'yaml-parse': {
      // Exactly the call src/cassette/codec.ts makes. Its result is the reference the other
      // parsers are compared with, and is written out as the equivalent JSON file.
      const { parse } = await import('yaml');
      const out = await repeat(() => parse(readFileSync(file, 'utf8'), { prettyErrors: true, uniqueKeys: true, maxAliasCount: 0 }));
      const reference = out.last;
      delete out.last;
      const json = JSON.stringify(reference);
      writeFileSync(jsonFile, json);
      const interactions = reference.interactions;
      // The loader's other per-entry work, through the public requestKey (the same canonical
      // form + hash the session computes for every loaded interaction): what any parser adds to.
      const { requestKey } = await import('cassettes');
      const index = await repeat(() => {
        for (const it of interactions) {
          const body = it.request.body;
          requestKey({ method: it.request.method, url: it.request.url, headers: it.request.headers, body: body && 'json' in body ? body.json : body?.text });
        }
      });
      delete index.last;
      return {
        role,
        bytes: statSync(file).size,
        ...out,
        interactions: interactions.length,
        streamed: interactions.filter((it) => it.response?.chunks).length,
        chunks: interactions.reduce((sum, it) => sum + (it.response?.chunks?.length ?? 0), 0),
        jsonBytes: Buffer.byteLength(json),
        jsonRoundTrips: isDeepStrictEqual(JSON.parse(json), reference),
        indexMs: index.ms,
        version: require('yaml/package.json').version,
      };
    }
    case 'js-yaml-json':
    case 'js-yaml-core': {
      const jsYaml = require('js-yaml');
      const load = jsYaml.load ?? jsYaml.safeLoad; // 4.x: load is safe; 3.x: safeLoad
      const schema = role === 'js-yaml-json' ? jsYaml.JSON_SCHEMA : jsYaml.CORE_SCHEMA;
      const out = await repeat(() => load(readFileSync(file, 'utf8'), { schema }));
      const sameAsYaml = isDeepStrictEqual(out.last, JSON.parse(readFileSync(jsonFile, 'utf8')));
      delete out.last;
      return { role, bytes: statSync(file).size, ...out, sameAsYaml, version: require('js-yaml/package.json').version };
    }
    case 'json-parse': {
      const out = await repeat(() => JSON.parse(readFileSync(jsonFile, 'utf8')));
      delete out.last;
      return { role, bytes: statSync(jsonFile).size, yamlBytes: statSync(file).size, ...out };
    }
    default:
      throw new Error(`unknown role ${role}`);
  }
});
