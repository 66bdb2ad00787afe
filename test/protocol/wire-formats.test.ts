import { describe, expect, test } from 'vitest';
import { buildWireResponse } from '../../src/mock/wire/build-wire-response.js';
import { detectEndpoint } from '../../src/mock/wire/detect-endpoint.js';
import type { WireResponse, WireTarget } from '../../src/mock/wire/types.js';
import type { MockReply } from '../../src/protocol/mock-reply.js';
import type { RealExchange } from './support/real-fixtures.js';
import { haveRealFixtures, loadCassette, loadJson, parseSse, sortedKeys, warnMissingFixtures } from './support/real-fixtures.js';

warnMissingFixtures('wire formats vs real exchanges');
const real = describe.skipIf(!haveRealFixtures);

const decoder = new TextDecoder();
function bodyOf(response: WireResponse): string {
  return response.chunks.map((chunk) => decoder.decode(chunk.data)).join('');
}

function targetOf(exchange: RealExchange): WireTarget {
  const target = detectEndpoint(exchange.method, exchange.uri);
  if (!target) throw new Error(`no endpoint detected for ${exchange.uri}`);
  return target;
}

/** Same keys, except keys the API adds only on some models or versions. */
function expectSameKeys(mine: unknown, theirs: unknown, optional: readonly string[] = []): void {
  const a = sortedKeys(mine).filter((k) => !optional.includes(k));
  const b = sortedKeys(theirs).filter((k) => !optional.includes(k));
  expect(a).toEqual(b);
}

function collapse(list: readonly string[]): string[] {
  return list.filter((item, i) => item !== list[i - 1]);
}

function json(text: string): any {
  return JSON.parse(text);
}

describe('detectEndpoint', () => {
  test.each([
    ['https://api.openai.com/v1/chat/completions', { provider: 'openai', endpoint: 'chat' }],
    ['http://localhost:8080/proxy/v1/responses', { provider: 'openai', endpoint: 'responses' }],
    ['https://my.azure.example/openai/v1/embeddings?api-version=x', { provider: 'openai', endpoint: 'embeddings' }],
    ['https://api.anthropic.com/v1/messages?beta=true', { provider: 'anthropic', endpoint: 'messages' }],
    ['https://api.anthropic.com/v1/messages/count_tokens', { provider: 'anthropic', endpoint: 'count_tokens' }],
    [
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent',
      { provider: 'gemini', endpoint: 'generateContent', model: 'gemini-2.5-flash' },
    ],
    [
      'https://generativelanguage.googleapis.com/v1/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
      { provider: 'gemini', endpoint: 'streamGenerateContent', model: 'gemini-2.5-flash', streamFormat: 'sse' },
    ],
    [
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent',
      { provider: 'gemini', endpoint: 'streamGenerateContent', model: 'gemini-2.5-flash', streamFormat: 'json-array' },
    ],
    [
      'http://127.0.0.1:9/v1beta/models/gemini-embedding-001:batchEmbedContents',
      { provider: 'gemini', endpoint: 'batchEmbedContents', model: 'gemini-embedding-001' },
    ],
    ['https://x/v1beta/models/text-embedding-004:embedContent', { provider: 'gemini', endpoint: 'embedContent', model: 'text-embedding-004' }],
  ])('%s', (url, expected) => {
    expect(detectEndpoint('POST', url)).toEqual(expected);
  });

  test('ignores other paths and methods', () => {
    expect(detectEndpoint('GET', 'https://api.openai.com/v1/chat/completions')).toBeUndefined();
    expect(detectEndpoint('POST', 'https://api.openai.com/v1/models')).toBeUndefined();
    expect(detectEndpoint('POST', 'https://example.com/v1/messages/batches')).toBeUndefined();
  });
});

describe('buildWireResponse is deterministic', () => {
  test('same arguments, same bytes; different requests, different ids', () => {
    const target: WireTarget = { provider: 'openai', endpoint: 'chat' };
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], stream: true };
    const a = buildWireResponse(target, body, 'Hello there');
    const b = buildWireResponse(target, body, 'Hello there');
    expect(bodyOf(a)).toBe(bodyOf(b));
    expect(a.headers).toEqual(b.headers);
    const c = buildWireResponse(target, { ...body, messages: [{ role: 'user', content: 'Hey' }] }, 'Hello there');
    expect(json(parseSse(bodyOf(c))[0]!.data).id).not.toBe(json(parseSse(bodyOf(a))[0]!.data).id);
  });

  test('chunkDelayMs applies to every chunk after the first', () => {
    const target: WireTarget = { provider: 'anthropic', endpoint: 'messages' };
    const wire = buildWireResponse(target, { model: 'claude', stream: true, messages: [] }, { content: 'a b c', chunkDelayMs: 25 });
    expect(wire.chunks[0]!.delayMs).toBe(0);
    expect(wire.chunks.slice(1).every((chunk) => chunk.delayMs === 25)).toBe(true);
  });
});

real('OpenAI chat completions', () => {
  test('non-streamed body has the real top-level, choice, message and usage fields', () => {
    const theirs = loadJson('openai/chat-nonstream-body.json');
    const wire = buildWireResponse({ provider: 'openai', endpoint: 'chat' }, { model: 'gpt-4.1-nano', messages: [] }, 'Hello');
    const mine = json(bodyOf(wire));
    expectSameKeys(mine, theirs);
    expectSameKeys(mine.choices[0], theirs.choices[0]);
    expectSameKeys(mine.choices[0].message, theirs.choices[0].message);
    expectSameKeys(mine.usage, theirs.usage);
    expectSameKeys(mine.usage.prompt_tokens_details, theirs.usage.prompt_tokens_details);
    expectSameKeys(mine.usage.completion_tokens_details, theirs.usage.completion_tokens_details);
    expect(bodyOf(wire)).toMatch(/^\{\n {2}"id": "chatcmpl-/);
  });

  test('non-streamed tool call and headers match a real gzip recording', () => {
    const [exchange] = loadCassette('openai/chat-nonstream-tools-gzip-ratelimit.yaml');
    const theirs = json(exchange!.body);
    const call = theirs.choices[0].message.tool_calls[0];
    const wire = buildWireResponse(targetOf(exchange!), exchange!.requestBody, {
      toolCalls: [{ name: call.function.name, arguments: JSON.parse(call.function.arguments) }],
    });
    const mine = json(bodyOf(wire));
    expectSameKeys(mine.choices[0].message, theirs.choices[0].message);
    expectSameKeys(mine.choices[0].message.tool_calls[0], call);
    expectSameKeys(mine.choices[0].message.tool_calls[0].function, call.function);
    expect(mine.choices[0].finish_reason).toBe(theirs.choices[0].finish_reason);
    expect(mine.choices[0].message.content).toBe(theirs.choices[0].message.content);
    const rateLimitNames = (headers: Record<string, string>): string[] =>
      Object.keys(headers)
        .filter((h) => h.startsWith('x-ratelimit-'))
        .sort();
    expect(rateLimitNames(wire.headers)).toEqual(rateLimitNames(exchange!.headers));
    expect(wire.headers['x-request-id']).toMatch(/^req_[0-9a-f]{32}$/);
    expect(exchange!.headers['x-request-id']).toMatch(/^req_[0-9a-f]{32}$/);
  });

  const chunkKind = (data: string): string => {
    if (data === '[DONE]') return 'done';
    const chunk = json(data);
    if (chunk.choices.length === 0) return 'usage';
    const { delta, finish_reason: finish } = chunk.choices[0];
    if (finish) return 'finish';
    if (delta.role) return 'role';
    if (delta.tool_calls?.[0]?.id) return 'tool-head';
    if (delta.tool_calls) return 'tool-args';
    return 'content';
  };

  test.each([
    [0, { toolCalls: [{ name: 'get_capital', arguments: { country: 'UK' } }] }],
    [1, 'The capital of the UK is London.'],
  ] as const)('stream with include_usage (turn %i): same chunk sequence and fields', (turn, reply) => {
    const exchange = loadCassette('openai/chat-stream-tools-include-usage.yaml')[turn]!;
    const wire = buildWireResponse(targetOf(exchange), exchange.requestBody, reply as MockReply);
    const mine = parseSse(bodyOf(wire));
    const theirs = parseSse(exchange.body);
    expect(mine.every((event) => event.event === undefined)).toBe(true);
    expect(collapse(mine.map((e) => chunkKind(e.data)))).toEqual(collapse(theirs.map((e) => chunkKind(e.data))));
    for (const index of [0, 1, -3, -2]) {
      const a = json(mine.at(index)!.data);
      const b = json(theirs.at(index)!.data);
      expectSameKeys(a, b);
      if (a.choices.length) {
        expectSameKeys(a.choices[0], b.choices[0]);
        expectSameKeys(a.choices[0].delta, b.choices[0].delta);
      } else {
        expectSameKeys(a.usage, b.usage);
      }
    }
    expect(bodyOf(wire).endsWith('data: [DONE]\n\n')).toBe(true);
    expect(wire.headers['content-type']).toBe(exchange.headers['content-type']);
  });
});

real('OpenAI Responses API', () => {
  // Keys only some models send (`phase` on gpt-5.x message items).
  const optional = ['phase'];

  test('non-streamed response object has the real fields', () => {
    const [exchange] = loadCassette('openai/responses-nonstream-gzip-ratelimit.yaml');
    const theirs = json(exchange!.body);
    const wire = buildWireResponse(targetOf(exchange!), exchange!.requestBody, 'pong');
    const mine = json(bodyOf(wire));
    expectSameKeys(mine, theirs);
    expectSameKeys(mine.output[0], theirs.output[0], optional);
    expectSameKeys(mine.output[0].content[0], theirs.output[0].content[0]);
    expectSameKeys(mine.usage, theirs.usage);
    expect(mine.output_text).toBeUndefined();
  });

  test('non-streamed function_call item has the real fields', () => {
    const [exchange] = loadCassette('openai/responses-nonstream-function-call.yaml');
    const theirs = json(exchange!.body);
    const item = theirs.output.find((o: any) => o.type === 'function_call');
    const wire = buildWireResponse(targetOf(exchange!), exchange!.requestBody, {
      toolCalls: [{ name: item.name, arguments: JSON.parse(item.arguments) }],
    });
    const mine = json(bodyOf(wire));
    expectSameKeys(
      mine.output.find((o: any) => o.type === 'function_call'),
      item,
    );
  });

  test.each([
    ['openai/responses-stream-ratelimit.yaml', 'pong'],
    ['openai/responses-stream-function-call-ratelimit.yaml', { toolCalls: [{ name: 'multiply', arguments: { a: 1231, b: 2331 } }] }],
  ] as const)('%s: same event sequence, fields and sequence numbers', (file, reply) => {
    const [exchange] = loadCassette(file);
    const wire = buildWireResponse(targetOf(exchange!), exchange!.requestBody, reply as MockReply);
    const mine = parseSse(bodyOf(wire));
    const theirs = parseSse(exchange!.body);
    expect(collapse(mine.map((e) => e.event!))).toEqual(collapse(theirs.map((e) => e.event!)));
    const theirsByType = new Map(theirs.map((e) => [e.event, json(e.data)]));
    mine.forEach((event, i) => {
      const data = json(event.data);
      expect(data.type).toBe(event.event);
      expect(data.sequence_number).toBe(i);
      expectSameKeys(data, theirsByType.get(event.event));
      if (data.item) expectSameKeys(data.item, theirsByType.get(event.event).item, optional);
      if (data.response) expectSameKeys(data.response, theirsByType.get(event.event).response);
    });
  });
});

real('OpenAI embeddings', () => {
  test('base64 float32 embeddings: same fields and length as the real answer', () => {
    const [exchange] = loadCassette('openai/embeddings-base64.yaml');
    const theirs = json(exchange!.body);
    const wire = buildWireResponse(targetOf(exchange!), exchange!.requestBody, '');
    const mine = json(bodyOf(wire));
    expectSameKeys(mine, theirs);
    expectSameKeys(mine.data[0], theirs.data[0]);
    expectSameKeys(mine.usage, theirs.usage);
    expect(mine.data[0].embedding.length).toBe(theirs.data[0].embedding.length);
    const floats = new Float32Array(Uint8Array.from(atob(mine.data[0].embedding), (c) => c.charCodeAt(0)).buffer);
    expect(floats.length).toBe(1536);
    expect(Math.hypot(...floats)).toBeCloseTo(1, 4);
  });
});

real('Anthropic Messages', () => {
  test('non-streamed message has the real fields', () => {
    const theirs = loadJson('anthropic/messages-nonstream-body.json');
    const mine = json(bodyOf(buildWireResponse({ provider: 'anthropic', endpoint: 'messages' }, { model: 'claude' }, 'Hello!')));
    expectSameKeys(mine, theirs, ['stop_details']);
    expectSameKeys(mine.content[0], theirs.content[0]);
    expectSameKeys(mine.usage, theirs.usage);
  });

  test('non-streamed tool_use block has the real fields', () => {
    const [exchange] = loadCassette('anthropic/messages-nonstream-tool-use.yaml');
    const theirs = json(exchange!.body);
    const block = theirs.content.find((b: any) => b.type === 'tool_use');
    const mine = json(bodyOf(buildWireResponse(targetOf(exchange!), exchange!.requestBody, { toolCalls: [{ name: block.name, arguments: block.input }] })));
    const myBlock = mine.content.find((b: any) => b.type === 'tool_use');
    expectSameKeys(myBlock, block, ['caller']);
    expect(myBlock.id).toMatch(/^toolu_01/);
    expect(mine.stop_reason).toBe(theirs.stop_reason);
  });

  test('stream of a tool call without arguments is event-for-event the real one', () => {
    const [exchange] = loadCassette('anthropic/messages-stream-tool-use-ratelimit.yaml');
    const wire = buildWireResponse(targetOf(exchange!), exchange!.requestBody, { toolCalls: [{ name: 'fixed_version', arguments: {} }] });
    const mine = parseSse(bodyOf(wire));
    const theirs = parseSse(exchange!.body);
    expect(mine.map((e) => e.event)).toEqual(theirs.map((e) => e.event));
    mine.forEach((event, i) => {
      const a = json(event.data);
      const b = json(theirs[i]!.data);
      expect(a.type).toBe(event.event);
      expectSameKeys(a, b);
      if (a.message) {
        expectSameKeys(a.message, b.message);
        expectSameKeys(a.message.usage, b.message.usage);
      }
      if (a.delta) expectSameKeys(a.delta, b.delta);
      if (a.content_block) expectSameKeys(a.content_block, b.content_block, ['caller']);
      if (a.usage) expectSameKeys(a.usage, b.usage);
    });
    expect(mine.find((e) => e.event === 'ping')!.data).toBe('{"type": "ping"}');
    const names = (headers: Record<string, string>): string[] =>
      Object.keys(headers)
        .filter((h) => h.startsWith('anthropic-ratelimit-'))
        .sort();
    expect(names(wire.headers)).toEqual(names(exchange!.headers));
    expect(wire.headers['request-id']).toMatch(/^req_011C[A-Za-z0-9]{20}$/);
    expect(exchange!.headers['request-id']).toMatch(/^req_011C[A-Za-z0-9]{20}$/);
  });

  test.each([
    ['anthropic/messages-stream-text.yaml', 0],
    ['anthropic/messages-stream-tool-use-ratelimit.yaml', 1],
  ] as const)('%s (turn %i): text stream has the real event sequence', (file, turn) => {
    const exchange = loadCassette(file)[turn]!;
    const mine = parseSse(bodyOf(buildWireResponse(targetOf(exchange), exchange.requestBody, 'The version is 0.32a0, fittingly alpha.')));
    const theirs = parseSse(exchange.body);
    expect(collapse(mine.map((e) => e.event!))).toEqual(collapse(theirs.map((e) => e.event!)));
  });

  test('streamed tool arguments arrive as input_json_delta pieces that rebuild the input', () => {
    const input = { from_currency: 'USD', to_currency: 'EUR' };
    const wire = buildWireResponse(
      { provider: 'anthropic', endpoint: 'messages' },
      { model: 'claude', stream: true },
      {
        content: 'Let me check.',
        toolCalls: [{ name: 'get_exchange_rate', arguments: input }],
      },
    );
    const events = parseSse(bodyOf(wire)).map((e) => json(e.data));
    const pieces = events.filter((e) => e.delta?.type === 'input_json_delta').map((e) => e.delta.partial_json);
    expect(pieces[0]).toBe('');
    expect(JSON.parse(pieces.join(''))).toEqual(input);
    expect(events.find((e) => e.type === 'message_delta').delta.stop_reason).toBe('tool_use');
  });

  test('errors: real error body shape, 529 overloaded, 429 with retry-after', () => {
    const [exchange] = loadCassette('anthropic/error-400-invalid-request.yaml');
    const theirs = json(exchange!.body);
    const target: WireTarget = { provider: 'anthropic', endpoint: 'messages' };
    const bad = buildWireResponse(target, {}, { error: { status: 400, message: 'bad' } });
    expect(bad.status).toBe(400);
    const mine = json(bodyOf(bad));
    expectSameKeys(mine, theirs);
    expectSameKeys(mine.error, theirs.error);
    expect(mine.error.type).toBe(theirs.error.type);
    const [notFound] = loadCassette('anthropic/error-404-not-found.yaml');
    expect(json(bodyOf(buildWireResponse(target, {}, { error: { status: 404, message: 'x' } }))).error.type).toBe(json(notFound!.body).error.type);
    const overloaded = buildWireResponse(target, { stream: true }, { error: { status: 529, message: 'Overloaded' } });
    expect(overloaded.status).toBe(529);
    expect(json(bodyOf(overloaded)).error.type).toBe('overloaded_error');
    const limited = buildWireResponse(target, {}, { error: { status: 429, message: 'slow down', retryAfterMs: 7000 } });
    expect(limited.headers['retry-after']).toBe('7');
    expect(json(bodyOf(limited)).error.type).toBe('rate_limit_error');
  });
});

real('OpenAI errors', () => {
  test('real error body fields; 404 model_not_found; 429 with retry-after', () => {
    const [exchange] = loadCassette('openai/chat-error-404-model-not-found.yaml');
    const theirs = json(exchange!.body);
    const target: WireTarget = { provider: 'openai', endpoint: 'chat' };
    const wire = buildWireResponse(target, { stream: true }, { error: { status: 404, message: 'The model does not exist' } });
    const mine = json(bodyOf(wire));
    expect(wire.status).toBe(404);
    expect(wire.headers['content-type']).toBe('application/json');
    expectSameKeys(mine, theirs);
    expectSameKeys(mine.error, theirs.error);
    expect(mine.error.code).toBe(theirs.error.code);
    const quota = loadJson('openai/error-429-insufficient-quota.json');
    const limited = buildWireResponse(target, {}, { error: { status: 429, message: 'Rate limit', retryAfterMs: 3000 } });
    expectSameKeys(json(bodyOf(limited)).error, quota.error);
    expect(limited.headers['retry-after']).toBe('3');
  });
});

real('Gemini', () => {
  test('generateContent has the real fields', () => {
    const [exchange] = loadCassette('gemini/generate-content.yaml');
    const theirs = json(exchange!.body);
    const mine = json(bodyOf(buildWireResponse(targetOf(exchange!), exchange!.requestBody, 'Hello! How can I help you today?')));
    expectSameKeys(mine, theirs);
    expectSameKeys(mine.candidates[0], theirs.candidates[0]);
    expectSameKeys(mine.candidates[0].content, theirs.candidates[0].content);
    // Model-dependent: thinking models add thoughtsTokenCount, older ones candidatesTokensDetails.
    expectSameKeys(mine.usageMetadata, theirs.usageMetadata, ['thoughtsTokenCount', 'candidatesTokensDetails']);
    expect(mine.modelVersion).toBe(theirs.modelVersion);
  });

  test('generateContent function call part has the real fields', () => {
    const [exchange] = loadCassette('gemini/generate-content-function-call.yaml');
    const theirs = json(exchange!.body);
    const part = theirs.candidates[0].content.parts.find((p: any) => p.functionCall);
    const mine = json(
      bodyOf(
        buildWireResponse(targetOf(exchange!), exchange!.requestBody, { toolCalls: [{ name: part.functionCall.name, arguments: part.functionCall.args }] }),
      ),
    );
    const myPart = mine.candidates[0].content.parts.find((p: any) => p.functionCall);
    expectSameKeys(myPart, part, ['thoughtSignature']);
    expectSameKeys(myPart.functionCall, part.functionCall, ['id']);
  });

  test('SSE stream: data-only CRLF frames, Gemini JSON spacing, real frame fields', () => {
    const [exchange] = loadCassette('gemini/stream-sse-text.yaml');
    const target = targetOf(exchange!);
    expect(target.streamFormat).toBe('sse');
    const wire = buildWireResponse(target, exchange!.requestBody, 'The capital of France is Paris.\n');
    const body = bodyOf(wire);
    expect(
      body
        .split('\r\n\r\n')
        .filter(Boolean)
        .every((frame) => frame.startsWith('data: {"candidates": [{"content": {"parts": [')),
    ).toBe(true);
    expect(exchange!.body.startsWith('data: {"candidates": [{"content": {"parts": [')).toBe(true);
    expect(body.endsWith('}\r\n\r\n')).toBe(true);
    const mine = parseSse(body).map((e) => json(e.data));
    const theirs = parseSse(exchange!.body).map((e) => json(e.data));
    for (const index of [0, -1]) {
      expectSameKeys(mine.at(index), theirs.at(index));
      // `index` is sent by gemini-3 models, not by the gemini-2.0 model of this recording.
      expectSameKeys(mine.at(index).candidates[0], theirs.at(index).candidates[0], ['index']);
      expectSameKeys(mine.at(index).usageMetadata, theirs.at(index).usageMetadata);
    }
    expect(wire.headers['content-type']).toBe(exchange!.headers['content-type']);
    expect(wire.headers['content-disposition']).toBe('attachment');
  });

  test('JSON-array stream: `[`, `\\n,\\r\\n` separators and `\\n]` like the real one', () => {
    const [exchange] = loadCassette('gemini/stream-json-array-function-call-gzip.yaml');
    const target = targetOf(exchange!);
    expect(target.streamFormat).toBe('json-array');
    const body = bodyOf(
      buildWireResponse(target, exchange!.requestBody, { content: 'Let me multiply.', toolCalls: [{ name: 'multiply', arguments: { x: 5, y: 3 } }] }),
    );
    for (const text of [body, exchange!.body]) {
      expect(text.startsWith('[{\n  "candidates": [\n')).toBe(true);
      expect(text.endsWith('}\n]')).toBe(true);
      expect(text.split('\n,\r\n').length).toBeGreaterThan(1);
    }
    const mine = json(body);
    const theirs = json(exchange!.body);
    expectSameKeys(mine[0], theirs[0]);
    expectSameKeys(mine.at(-1).candidates[0], theirs.at(-1).candidates[0]);
    expectSameKeys(mine.at(-1).usageMetadata, theirs.at(-1).usageMetadata, ['thoughtsTokenCount', 'candidatesTokensDetails']);
  });

  test('batchEmbedContents honours outputDimensionality and has the real fields', () => {
    const [exchange] = loadCassette('gemini/batch-embed-contents-gzip.yaml');
    const theirs = json(exchange!.body);
    const mine = json(bodyOf(buildWireResponse(targetOf(exchange!), exchange!.requestBody, '')));
    expectSameKeys(mine, theirs);
    expectSameKeys(mine.embeddings[0], theirs.embeddings[0]);
    expect(mine.embeddings[0].values.length).toBe(theirs.embeddings[0].values.length);
  });

  test('errors: real NOT_FOUND shape; 429 RESOURCE_EXHAUSTED with RetryInfo', () => {
    const [exchange] = loadCassette('gemini/error-404-generate-content.yaml');
    const theirs = json(exchange!.body);
    const target: WireTarget = { provider: 'gemini', endpoint: 'generateContent', model: 'nope' };
    const notFound = json(bodyOf(buildWireResponse(target, {}, { error: { status: 404, message: 'not found' } })));
    expectSameKeys(notFound, theirs);
    expectSameKeys(notFound.error, theirs.error);
    expect(notFound.error.status).toBe(theirs.error.status);
    const sample = loadJson('gemini/error-429-resource-exhausted.json');
    const limited = buildWireResponse(target, {}, { error: { status: 429, message: 'quota', retryAfterMs: 34000 } });
    const body = json(bodyOf(limited));
    expect(body.error.status).toBe(sample.error.status);
    const retryInfo = (details: any[]): any => details.find((d) => d['@type'].endsWith('RetryInfo'));
    expect(retryInfo(body.error.details).retryDelay).toBe('34s');
    expectSameKeys(retryInfo(body.error.details), retryInfo(sample.error.details));
  });
});
