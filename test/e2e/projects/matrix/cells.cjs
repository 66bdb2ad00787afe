'use strict';
/**
 * The cells of the e2e matrix and the canary, shared by the three runners' test files. Each test
 * file loads the SDKs and clients its own way (ES modules, CommonJS) and hands them in with its
 * runner's test API, so every runner exercises its own module loading.
 *
 * Matrix: {openai, @anthropic-ai/sdk, @google/genai, global fetch, undici request, undici fetch,
 * node:https} × {plain, streamed}, each call in its own cassette; the parent runs this file once
 * to record (server up) and once to replay (CI=true, server gone).
 *
 * Canary: every client kind that could slip past interception, aimed at a server that counts
 * connections; the parent expects that count to stay 0.
 */
const env = process.env;
const KEY = 'sk-matrix-key-123456';

/** The text of an OpenAI chat-completions SSE stream. */
function openaiSseText(raw) {
  let text = '';
  for (const line of raw.split('\n')) {
    if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
    text += JSON.parse(line.slice(6)).choices?.[0]?.delta?.content ?? '';
  }
  return text;
}

function chatBody(prompt, streamed) {
  return JSON.stringify({ model: 'gpt-matrix', messages: [{ role: 'user', content: prompt }], ...(streamed ? { stream: true } : {}) });
}

const HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${KEY}` };

/** What the app saw: the answer's text, and in how many pieces it arrived (body reads or SDK events). */
async function fromRaw(reads, streamed) {
  let raw = '';
  let chunks = 0;
  const decoder = new TextDecoder();
  for await (const chunk of reads) {
    chunks++;
    raw += decoder.decode(chunk, { stream: true });
  }
  raw += decoder.decode();
  return { text: streamed ? openaiSseText(raw) : JSON.parse(raw).choices[0].message.content, chunks };
}

/** One call per client kind: `(modules, server, prompt, streamed) => { text, chunks }`; server: `{ url, tlsUrl }`. */
const CLIENTS = {
  openai: async (m, s, prompt, streamed) => {
    const client = new m.OpenAI({ apiKey: KEY, baseURL: `${s.url}/v1`, maxRetries: 0 });
    const request = { model: 'gpt-matrix', messages: [{ role: 'user', content: prompt }] };
    if (!streamed) return { text: (await client.chat.completions.create(request)).choices[0].message.content, chunks: 1 };
    let text = '';
    let chunks = 0;
    for await (const event of await client.chat.completions.create({ ...request, stream: true })) {
      chunks++;
      text += event.choices[0]?.delta?.content ?? '';
    }
    return { text, chunks };
  },
  anthropic: async (m, s, prompt, streamed) => {
    const client = new m.Anthropic({ apiKey: 'sk-ant-matrix-key-123456', baseURL: s.url, maxRetries: 0 });
    const request = { model: 'claude-matrix', max_tokens: 64, messages: [{ role: 'user', content: prompt }] };
    if (!streamed) return { text: (await client.messages.create(request)).content[0].text, chunks: 1 };
    let text = '';
    let chunks = 0;
    for await (const event of await client.messages.create({ ...request, stream: true })) {
      chunks++;
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
    }
    return { text, chunks };
  },
  gemini: async (m, s, prompt, streamed) => {
    const ai = new m.GoogleGenAI({ apiKey: 'AIza-matrix-key-123456', httpOptions: { baseUrl: s.url } });
    const request = { model: 'gemini-matrix', contents: prompt };
    if (!streamed) return { text: (await ai.models.generateContent(request)).text, chunks: 1 };
    let text = '';
    let chunks = 0;
    for await (const chunk of await ai.models.generateContentStream(request)) {
      chunks++;
      text += chunk.text ?? '';
    }
    return { text, chunks };
  },
  'global fetch': async (_m, s, prompt, streamed) => {
    const res = await fetch(`${s.url}/v1/chat/completions`, { method: 'POST', headers: HEADERS, body: chatBody(prompt, streamed) });
    return fromRaw(res.body, streamed);
  },
  'undici request': async (m, s, prompt, streamed) => {
    const res = await m.undici.request(`${s.url}/v1/chat/completions`, { method: 'POST', headers: HEADERS, body: chatBody(prompt, streamed) });
    return fromRaw(res.body, streamed);
  },
  'undici fetch': async (m, s, prompt, streamed) => {
    const res = await m.undici.fetch(`${s.url}/v1/chat/completions`, { method: 'POST', headers: HEADERS, body: chatBody(prompt, streamed) });
    return fromRaw(res.body, streamed);
  },
  'node:https': (m, s, prompt, streamed) =>
    new Promise((resolve, reject) => {
      const req = m.https.request(`${s.tlsUrl}/v1/chat/completions`, { method: 'POST', headers: HEADERS }, (res) => {
        fromRaw(res, streamed).then(resolve, reject);
      });
      req.on('error', reject);
      req.end(chatBody(prompt, streamed));
    }),
};

function defineMatrix(api, m, runner) {
  api.describe(`matrix (${runner})`, () => {
    for (const [client, call] of Object.entries(CLIENTS)) {
      for (const streamed of [false, true]) {
        const cell = `${client} ${streamed ? 'streamed' : 'plain'}`;
        api.test(`matrix: ${cell}`, async () => {
          const prompt = `${runner} ${cell}`;
          const server = { url: env.E2E_MATRIX_URL, tlsUrl: env.E2E_MATRIX_TLS_URL };
          const seen = await m.withCassette(`matrix/${runner}/${cell}`, () => call(m, server, prompt, streamed));
          api.expect(seen.text).toBe(`matrix says ${prompt}`);
          if (streamed) api.expect(seen.chunks).toBeGreaterThan(1);
        });
      }
    }
  });
}

/** The code of a CassetteError anywhere in what a call failed with (SDKs and fetch wrap it). */
function codeOf(m, error) {
  for (let e = error; e; e = e.cause) {
    if (m.isCassetteError(e)) return e.code;
    const status = e.error?.status ?? e.error?.error?.status;
    if (typeof status === 'string' && status.startsWith('LLM_CASSETTE_')) return status;
    const inText = /LLM_CASSETTE_(BLOCKED|BYPASS)/.exec(String(e.message ?? ''));
    if (inText) return inText[0];
  }
  return undefined;
}

/** Runs `call` with a dispatcher of its own, and closes it. */
async function own(dispatcher, call) {
  try {
    return await call(dispatcher);
  } finally {
    await dispatcher.close().catch(() => undefined);
  }
}

function viaHttp2(m, base) {
  return new Promise((resolve, reject) => {
    const session = m.http2.connect(base);
    session.on('error', reject);
    let stream;
    try {
      stream = session.request({ ':method': 'POST', ':path': '/v1/chat/completions', ...HEADERS });
    } catch (error) {
      session.destroy();
      reject(error);
      return;
    }
    stream.on('error', reject);
    stream.on('response', (headers) => {
      stream.resume();
      stream.on('end', () => {
        session.close();
        resolve(Number(headers[':status']));
      });
    });
    stream.end(chatBody('canary', false));
  });
}

const status = async (res) => {
  await res.arrayBuffer();
  return res.status;
};
const statusUndici = async (res) => {
  await res.body.arrayBuffer();
  return res.statusCode;
};

/** Client kinds that slip past the global dispatcher, or are not HTTP/1.1. */
function bypassing(m, t) {
  const url = `${t.url}/v1/chat/completions`;
  const init = { method: 'POST', headers: HEADERS, body: chatBody('canary', false) };
  return {
    'node:http2': () => viaHttp2(m, t.h2url),
    'undici request, own Agent': () => own(new m.undici.Agent(), (dispatcher) => m.undici.request(url, { ...init, dispatcher }).then(statusUndici)),
    'undici request, own Pool': () => own(new m.undici.Pool(t.url), (dispatcher) => m.undici.request(url, { ...init, dispatcher }).then(statusUndici)),
    'undici Client': () => own(new m.undici.Client(t.url), (client) => client.request({ ...init, path: '/v1/chat/completions' }).then(statusUndici)),
    'undici fetch, ProxyAgent': () => own(new m.undici.ProxyAgent(t.url), (dispatcher) => m.undici.fetch(url, { ...init, dispatcher }).then(status)),
    'global fetch, own Agent, streamed body': () =>
      own(new m.undici.Agent(), (dispatcher) => fetch(url, { ...init, body: new Blob([init.body]).stream(), duplex: 'half', dispatcher }).then(status)),
    'openai, fetchOptions.dispatcher': () =>
      own(new m.undici.Agent(), (dispatcher) =>
        new m.OpenAI({ apiKey: KEY, baseURL: `${t.url}/v1`, maxRetries: 0, fetchOptions: { dispatcher } }).chat.completions
          .create({ model: 'm', messages: [{ role: 'user', content: 'canary' }] })
          .then(() => 200),
      ),
    'anthropic, fetchOptions.dispatcher': () =>
      own(new m.undici.Agent(), (dispatcher) =>
        new m.Anthropic({ apiKey: KEY, baseURL: t.url, maxRetries: 0, fetchOptions: { dispatcher } }).messages
          .create({ model: 'm', max_tokens: 8, messages: [{ role: 'user', content: 'canary' }] })
          .then(() => 200),
      ),
  };
}

/** Every client kind of the matrix, aimed at the canary: a status, or what it failed with. */
function intercepted(m, t) {
  const url = `${t.url}/v1/chat/completions`;
  const init = { method: 'POST', headers: HEADERS, body: chatBody('canary', false) };
  const sdk = (client) => () => CLIENTS[client](m, t, 'canary', false).then(() => 200);
  return {
    openai: sdk('openai'),
    anthropic: sdk('anthropic'),
    gemini: sdk('gemini'),
    'global fetch': () => fetch(url, init).then(status),
    'undici request': () => m.undici.request(url, init).then(statusUndici),
    'undici fetch': () => m.undici.fetch(url, init).then(status),
    'node:https': () =>
      new Promise((resolve, reject) => {
        const req = m.https.request(`${t.tlsUrl}/v1/chat/completions`, { method: 'POST', headers: HEADERS }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode));
        });
        req.on('error', reject);
        req.end(init.body);
      }),
  };
}

function defineCanary(api, m, runner) {
  const t = { url: env.E2E_CANARY_URL, h2url: env.E2E_CANARY_H2_URL, tlsUrl: env.E2E_CANARY_TLS_URL };
  api.describe(`canary (${runner})`, () => {
    for (const [kind, call] of Object.entries(bypassing(m, t))) {
      api.test(`canary: ${kind} is stopped inside a cassette (LLM_CASSETTE_BYPASS)`, async () => {
        const error = await m.withCassette('canary/empty', call, { mode: 'none' }).then(
          () => undefined,
          (e) => e,
        );
        api.expect(codeOf(m, error)).toBe('LLM_CASSETTE_BYPASS');
      });
    }
    // a replay-only run (CI=true) refuses these outside any cassette; elsewhere they would connect
    const outsideTest = env.CI ? api.test : api.test.skip;
    api.beforeAll(() => {
      if (env.CI) m.configure({ providerHosts: [t.url, t.h2url, t.tlsUrl].map((u) => new URL(u).host) });
    });
    for (const [kind, call] of Object.entries({ ...intercepted(m, t), ...bypassing(m, t) })) {
      outsideTest(`canary: ${kind} outside any cassette is refused (LLM_CASSETTE_BLOCKED)`, async () => {
        const outcome = await call().then(
          (code) => ({ status: code }),
          (error) => ({ code: codeOf(m, error), message: String(error?.message) }),
        );
        api.expect(outcome).toEqual(outcome.status === undefined ? { code: 'LLM_CASSETTE_BLOCKED', message: api.expect.any(String) } : { status: 400 });
      });
    }
  });
}

module.exports = { defineMatrix, defineCanary };
