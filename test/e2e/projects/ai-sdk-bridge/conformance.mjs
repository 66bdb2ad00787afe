// A user's script: the conformance suite over fromLanguageModel(openai('gpt-4o-mini')), inside
// one cassette. LLM_CASSETTE_RECORD=all records (against SERVER_URL), LLM_CASSETTE_RECORD=none
// replays with no server at all. Prints each check's outcome as JSON.
import { createOpenAI } from '@ai-sdk/openai';
import { withCassette } from 'cassettes';
import { fromLanguageModel } from 'cassettes/ai-sdk';
import { conformanceChecks } from 'cassettes/conformance';

const server = process.env.SERVER_URL;
const openai = (base) => createOpenAI({ apiKey: 'sk-e2e-not-a-real-key', baseURL: `${base}/v1` });
const provider = (base) => fromLanguageModel(openai(base)('gpt-4o-mini'));
const checks = conformanceChecks(() => provider(server), {
  capabilities: { tools: true, json: true, faults: (kind) => provider(`${server}/fault/${kind}`) },
});

const results = [];
// recordAuthFailures: the authentication check's 401 is the point, not a missing key
await withCassette(
  'conformance/openai',
  async () => {
    for (const check of checks) {
      try {
        results.push({ name: check.name, ...(await check.run()) });
      } catch (error) {
        results.push({ name: check.name, status: 'fail', error: String(error?.message ?? error).split('\n')[0] });
      }
    }
  },
  { recordAuthFailures: true },
);
console.log(JSON.stringify(results));
