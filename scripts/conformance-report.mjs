// `npm run conformance:report [dir]`: runs the conformance suite against MockLLMProvider and the
// three adapters (replaying the cassettes in __cassettes__/conformance/) and writes the results
// matrix to `dir` (default docs/) as conformance.json and conformance.md. The files in docs/ are
// this script's output, never edited by hand (test/protocol/conformance-report.test.ts checks).
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dir = resolve(process.argv[2] ?? join(root, 'docs'));
const files = ['test/protocol/mock-provider.conformance.test.ts', 'test/protocol/cassette-conformance.test.ts'];
const env = { ...process.env, LLM_CASSETTE_CONFORMANCE_REPORT: dir };
delete env.LLM_CASSETTE_RECORD;
delete env.LLM_CASSETTE_CONFORMANCE_RUN;
const result = spawnSync(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...files], { cwd: root, env, stdio: 'inherit' });
if (result.status !== 0) {
  process.stderr.write(`conformance:report: the suite failed (exit ${result.status ?? result.signal}); the report in ${dir} shows which checks\n`);
  process.exit(result.status ?? 1);
}
process.stderr.write(`conformance:report: wrote ${join(dir, 'conformance.md')} and conformance.json\n`);
