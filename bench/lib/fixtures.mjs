// Deterministic, chat-completion shaped traffic shared by the local server (which produces it
// live) and the in-process contenders (which answer with the very same bytes).

/** A small seeded PRNG (mulberry32): the same sequence on every machine and run. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'the a model token stream cassette replay record request response latency chunk event server client ' +
  'assistant user system function tool call answer question context window prompt completion temperature ' +
  'sample value result error retry limit budget cost speed memory buffer parse yaml json header body'
).split(' ');

export function words(random, count) {
  const out = [];
  for (let i = 0; i < count; i++) out.push(WORDS[Math.floor(random() * WORDS.length)]);
  return out.join(' ');
}

export const API_KEY = 'sk-bench-0123456789abcdefghijklmnopqrstuvwxyz';

/** Request headers a raw-fetch OpenAI-style client sends. */
export const REQUEST_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json',
  authorization: `Bearer ${API_KEY}`,
};

// ---- A: small JSON POSTs -------------------------------------------------------------------

/** The i-th small request body (a few hundred bytes). */
export function smallRequest(i) {
  return JSON.stringify({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: `Question number ${i}: what is ${i} plus ${i}?` }],
    temperature: 0,
  });
}

/** The answer the server gives to smallRequest(i): status, headers and exact body text. */
export function smallResponse(i) {
  const body = JSON.stringify({
    id: `chatcmpl-bench${String(i).padStart(6, '0')}`,
    object: 'chat.completion',
    created: 1_700_000_000 + i,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, message: { role: 'assistant', content: `${i} plus ${i} is ${2 * i}.`, refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 18, completion_tokens: 9, total_tokens: 27 },
    system_fingerprint: 'fp_bench',
  });
  return {
    status: 200,
    headers: { 'content-type': 'application/json', 'x-request-id': `req_bench_${i}`, 'openai-processing-ms': '12' },
    body,
  };
}

// ---- B: realistic chat completions (a few KB each) ------------------------------------------

/** A chat-completions request of ~1.5–3 KB: system prompt, a few turns, tools. */
export function chatRequest(i, { stream = false } = {}) {
  const random = rng(1000 + i);
  const messages = [
    { role: 'system', content: `You are a careful assistant for ticket ${i}. ${words(random, 40)}` },
    { role: 'user', content: words(random, 30 + Math.floor(random() * 40)) },
    { role: 'assistant', content: words(random, 30 + Math.floor(random() * 40)) },
    { role: 'user', content: `Follow-up ${i}: ${words(random, 20 + Math.floor(random() * 30))}` },
  ];
  const body = {
    model: 'gpt-4o-mini',
    messages,
    temperature: 0.2,
    max_tokens: 512,
    tools: [
      {
        type: 'function',
        function: {
          name: 'lookup_ticket',
          description: 'Look a support ticket up by id',
          parameters: { type: 'object', properties: { id: { type: 'string' }, verbose: { type: 'boolean' } }, required: ['id'] },
        },
      },
    ],
  };
  if (stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  return JSON.stringify(body);
}

/** The non-streamed answer to chatRequest(i): ~1–2 KB of JSON. */
export function chatResponse(i) {
  const random = rng(5000 + i);
  const content = words(random, 120 + Math.floor(random() * 120));
  const body = JSON.stringify({
    id: `chatcmpl-B${String(i).padStart(8, '0')}xYz`,
    object: 'chat.completion',
    created: 1_730_000_000 + i,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' }],
    usage: {
      prompt_tokens: 310 + (i % 97),
      completion_tokens: 150 + (i % 53),
      total_tokens: 460 + (i % 97) + (i % 53),
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
    service_tier: 'default',
    system_fingerprint: 'fp_560af6e559',
  });
  return { status: 200, headers: openaiHeaders(i, 'application/json'), body };
}

/** The streamed answer to chatRequest(i, { stream: true }): SSE events, one per chunk. */
export function chatStreamEvents(i, count = 30) {
  const random = rng(9000 + i);
  const id = `chatcmpl-S${String(i).padStart(8, '0')}xYz`;
  const base = {
    id,
    object: 'chat.completion.chunk',
    created: 1_730_000_000 + i,
    model: 'gpt-4o-mini-2024-07-18',
    service_tier: 'default',
    system_fingerprint: 'fp_560af6e559',
  };
  const events = [];
  events.push(
    `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }], usage: null })}\n\n`,
  );
  for (let k = 0; k < count; k++) {
    events.push(
      `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: ` ${words(random, 3)}` }, logprobs: null, finish_reason: null }], usage: null })}\n\n`,
    );
  }
  events.push(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }], usage: null })}\n\n`);
  events.push(`data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 300, completion_tokens: count, total_tokens: 300 + count } })}\n\n`);
  events.push('data: [DONE]\n\n');
  return { status: 200, headers: openaiHeaders(i, 'text/event-stream; charset=utf-8'), events };
}

function openaiHeaders(i, contentType) {
  return {
    'content-type': contentType,
    'x-request-id': `req_${((i * 2654435761) >>> 0).toString(16).padStart(8, '0')}${String(i).padStart(8, '0')}`,
    'openai-organization': 'user-bench',
    'openai-processing-ms': String(200 + (i % 800)),
    'openai-version': '2020-10-01',
    'x-ratelimit-limit-requests': '10000',
    'x-ratelimit-limit-tokens': '10000000',
    'x-ratelimit-remaining-requests': '9999',
    'x-ratelimit-remaining-tokens': String(9_999_000 - (i % 1000)),
    'x-ratelimit-reset-requests': '6ms',
    'x-ratelimit-reset-tokens': '0s',
    'strict-transport-security': 'max-age=31536000; includeSubDomains; preload',
    'cf-cache-status': 'DYNAMIC',
    'cf-ray': `8f${(i * 7919).toString(16).padStart(14, '0')}-AMS`,
    'alt-svc': 'h3=":443"; ma=86400',
  };
}

// ---- C: gap schedule ------------------------------------------------------------------------

/** `count` gaps in whole milliseconds, varied over [min, max], seeded. */
export function gapSchedule(count, seed, min = 1, max = 20) {
  const random = rng(seed);
  const gaps = [];
  for (let k = 0; k < count; k++) gaps.push(min + Math.floor(random() * (max - min + 1)));
  return gaps;
}

/** The k-th SSE event of the timing stream (small, like a token delta). */
export function deltaEvent(k) {
  return `data: {"choices":[{"index":0,"delta":{"content":" tok${k}"},"finish_reason":null}]}\n\n`;
}
