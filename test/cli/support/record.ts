import { join } from 'node:path';
import { withCassette } from '../../../src/index.js';
import type { CassetteOptions, CassetteReport } from '../../../src/types.js';

/** Records `fn`'s requests into `<dir>/<name>.yaml` through the library; returns the file and the report. */
export async function record(
  dir: string,
  name: string,
  fn: () => Promise<unknown>,
  options: CassetteOptions = {},
): Promise<{ file: string; report: CassetteReport }> {
  let report: CassetteReport | undefined;
  await withCassette(name, fn, { dir, mode: 'new', ...options, onReport: (r) => (report = r) });
  return { file: join(dir, `${name}.yaml`), report: report! };
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  return text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text;
}

const TOOLS = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];

/** Calls as the SDKs make them, against a provider base URL (`http://127.0.0.1:PORT`). */
export const calls = {
  chat: (base: string, prompt: string, extra: Record<string, unknown> = {}) =>
    post(
      `${base}/v1/chat/completions`,
      { model: 'gpt-4o-mini', temperature: 0.2, messages: [{ role: 'user', content: prompt }], ...extra },
      { authorization: 'Bearer sk-test-cli' },
    ),
  chatWithTools: (base: string, prompt: string, stream = false) =>
    post(`${base}/v1/chat/completions`, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }], tools: TOOLS, stream }),
  responses: (base: string, prompt: string, stream = false) => post(`${base}/v1/responses`, { model: 'gpt-4o-mini', input: prompt, stream }),
  messages: (base: string, prompt: string, stream = false) =>
    post(
      `${base}/v1/messages`,
      { model: 'claude-haiku-4-5', max_tokens: 64, messages: [{ role: 'user', content: prompt }], stream },
      { 'x-api-key': 'sk-ant-test' },
    ),
  gemini: (base: string, prompt: string, stream = false) =>
    post(`${base}/v1beta/models/gemini-2.5-flash:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`, {
      contents: [{ role: 'user', parts: [{ text: prompt }] }],
      generationConfig: { temperature: 0 },
    }),
};
