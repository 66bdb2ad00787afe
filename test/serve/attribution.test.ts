/**
 * Which cassette a request goes to (path prefix, header, default cassette, the replay pool), and
 * what a request that cannot be attributed, or misses, gets: each provider's own error shape,
 * read through that provider's SDK.
 */
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterEach, describe, expect, test } from 'vitest';
import { sessionClient } from '../../src/entries/serve.js';
import { echoHandler, type LocalServer, startLocalServer } from '../support/local-server.js';
import { call, readCassette, serve, type TestServer } from './support.js';

let provider: LocalServer | undefined;
afterEach(async () => {
  await provider?.close();
  provider = undefined;
});

const ask = (prompt: string) => ({ model: 'gpt-test', messages: [{ role: 'user', content: prompt }] });

/** Records one non-streamed call per prompt into a cassette, through a session. */
async function record(server: TestServer, name: string, prompts: string[]): Promise<void> {
  const sessions = sessionClient(server.url);
  const session = await sessions.open({ name, mode: 'once' });
  for (const prompt of prompts) expect((await call(`${session.baseUrls.openai}/chat/completions`, { body: ask(prompt) })).status).toBe(200);
  await sessions.end(session.id);
}

describe('a request finds its cassette', () => {
  test('by the x-cassette-session header, which is neither stored nor forwarded', async () => {
    provider = await startLocalServer(echoHandler());
    const server = await serve({ mode: 'once', upstream: { openai: provider.url } });
    const sessions = sessionClient(server.url);
    const session = await sessions.open({ name: 'by/header' });
    const reply = await call(`${server.baseUrls.openai}/chat/completions`, { body: ask('via header'), headers: { 'x-cassette-session': session.id } });
    expect(reply.status).toBe(200);
    expect(provider.seen[0]!.headers['x-cassette-session']).toBeUndefined();
    expect(await sessions.end(session.id)).toMatchObject({ recorded: 1 });
    const { text } = readCassette(server.dir, 'by/header');
    expect(text).toContain('via header');
    expect(text).not.toContain(session.id);
  });

  test('else the default cassette (--cassette)', async () => {
    provider = await startLocalServer(echoHandler());
    const server = await serve({ mode: 'once', upstream: { openai: provider.url }, cassette: 'default/one' });
    expect((await call(`${server.baseUrls.openai}/chat/completions`, { body: ask('to the default') })).status).toBe(200);
    const [summary] = await server.close();
    expect(summary).toMatchObject({ name: 'default/one', recorded: 1, written: true });
    expect(readCassette(server.dir, 'default/one').text).toContain('to the default');
  });

  test('else, replay only, the one cassette under --dir that holds the request; a key in two cassettes, or in none, is refused with how to attribute it', async () => {
    provider = await startLocalServer(echoHandler());
    const recorder = await serve({ upstream: { openai: provider.url } });
    await record(recorder, 'pool/a', ['only in a', 'in both']);
    await record(recorder, 'pool/b', ['in both']);
    await provider.close();

    const server = await serve({ dir: recorder.dir, mode: 'none', upstream: { openai: provider.url } });
    const client = new OpenAI({ apiKey: 'placeholder', baseURL: server.baseUrls.openai, maxRetries: 0 });
    const answer = await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'only in a' }] });
    expect(JSON.stringify(answer)).toContain('only in a');

    const both = await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'in both' }] }).catch((e: unknown) => e);
    expect(both).toBeInstanceOf(OpenAI.BadRequestError);
    expect((both as Error).message).toContain('2 cassettes hold a recording of it: pool/a, pool/b');
    expect((both as Error).message).toContain('x-cassette-session');

    const none = await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'in neither' }] }).catch((e: unknown) => e);
    expect(none).toBeInstanceOf(OpenAI.BadRequestError);
    expect((none as Error).message).toContain('names no session, and no cassette');
  });

  test('a recording request with no session is refused: there is no cassette to record it in', async () => {
    provider = await startLocalServer(echoHandler());
    const server = await serve({ mode: 'new', upstream: { openai: provider.url } });
    const reply = await call(`${server.baseUrls.openai}/chat/completions`, { body: ask('nowhere') });
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('cannot be recorded (no cassette to record it in)');
    expect(provider.seen).toHaveLength(0);
  });
});

describe("a miss answers in the provider's own error shape, with the in-process miss message", () => {
  async function replayOnlySession(): Promise<{ server: TestServer; baseUrls: Record<string, string>; id: string }> {
    provider = await startLocalServer(echoHandler());
    const server = await serve({ upstream: { openai: provider.url } });
    await record(server, 'miss/shapes', ['recorded prompt']);
    await provider.close();
    const session = await sessionClient(server.url).open({ name: 'miss/shapes', mode: 'none' });
    return { server, baseUrls: session.baseUrls, id: session.id };
  }

  test('OpenAI, Anthropic and Gemini SDKs each raise their own 400 error carrying the message; the summary and stderr have it too', async () => {
    const { server, baseUrls, id } = await replayOnlySession();
    const openai = new OpenAI({ apiKey: 'placeholder', baseURL: baseUrls.openai, maxRetries: 0 });
    const o = await openai.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'another prompt' }] }).catch((e: unknown) => e);
    expect(o).toBeInstanceOf(OpenAI.BadRequestError);
    expect((o as InstanceType<typeof OpenAI.BadRequestError>).status).toBe(400);
    const message = (o as Error).message;
    expect(message).toContain('no recorded interaction matches POST');
    expect(message).toContain('(mode: none)');
    expect(message).toContain('closest:  interaction #0 (same URL), differs:');
    expect(message).toContain('"recorded prompt" → "another prompt"');
    expect(message).toContain('fix:');

    const anthropic = new Anthropic({ apiKey: 'placeholder', baseURL: baseUrls.anthropic!, maxRetries: 0 });
    const a = await anthropic.messages.create({ model: 'claude-test', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(a).toBeInstanceOf(Anthropic.BadRequestError);
    const body = (a as InstanceType<typeof Anthropic.BadRequestError>).error as { type: string; error: { type: string; message: string } };
    expect(body.type).toBe('error');
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toContain('no recorded interaction matches POST https://api.anthropic.com/v1/messages');

    const gemini = new GoogleGenAI({ apiKey: 'placeholder', httpOptions: { baseUrl: baseUrls.gemini!, retryOptions: { attempts: 1 } } });
    const g = await gemini.models.generateContent({ model: 'gemini-test', contents: 'hi' }).catch((e: unknown) => e);
    expect((g as { status?: number }).status).toBe(400);
    const geminiBody = JSON.parse((g as Error).message) as { error: { code: number; status: string; message: string } };
    expect(geminiBody.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    expect(geminiBody.error.message).toContain('no recorded interaction matches POST https://generativelanguage.googleapis.com/');

    const summary = await sessionClient(server.url).end(id);
    expect(summary?.misses).toHaveLength(3);
    const first = summary?.misses[0]?.message;
    // the SDK puts the status before the message
    expect(message).toBe(`400 ${first}`);
    expect(server.logs).toContain(first);
  });
});

describe('bad input gets a clear answer', () => {
  test('unknown session (404), session between tests (409), unknown mount (404), session-API body not JSON (400), a name outside the folder (400), a missing replay-only cassette (404)', async () => {
    const server = await serve({ mode: 'none' });
    const unknown = await call(`${server.url}/s/nope/openai/v1/chat/completions`, { body: ask('x') });
    expect(unknown.status).toBe(404);
    expect((unknown.json() as { error: { message: string } }).error.message).toContain('names session "nope", which this server does not have');

    const viaHeader = await call(`${server.baseUrls.anthropic}/v1/messages`, { body: {}, headers: { 'x-cassette-session': 'nope' } });
    expect(viaHeader.status).toBe(404);
    expect((viaHeader.json() as { type: string }).type).toBe('error');

    const mount = await call(`${server.url}/mistral/v1/chat/completions`, { body: ask('x') });
    expect(mount.status).toBe(404);
    expect(mount.text).toContain('no mount \\"mistral\\"');
    expect(mount.text).toContain('--upstream mistral=https://host');

    const notJson = await call(`${server.url}/__cassettes/sessions`, { body: '{name:' });
    expect(notJson.status).toBe(400);
    expect(notJson.json()).toMatchObject({ error: { code: 'LLM_CASSETTE_SERVE' } });
    expect(notJson.text).toContain('the body is not JSON');

    const outside = await call(`${server.url}/__cassettes/sessions`, { body: { name: '../outside' } });
    expect(outside.status).toBe(400);
    expect(outside.text).toContain('must be a relative path inside the cassette folder');

    const missing = await call(`${server.url}/__cassettes/sessions`, { body: { name: 'not/there' } });
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'LLM_CASSETTE_NOT_FOUND' } });

    const badMode = await call(`${server.url}/__cassettes/sessions`, { body: { name: 'x', mode: 'sometimes' } });
    expect(badMode.status).toBe(400);
    expect(badMode.json()).toMatchObject({ error: { code: 'LLM_CASSETTE_MODE' } });

    const route = await call(`${server.url}/__cassettes/nothing`);
    expect(route.status).toBe(404);
    expect(route.text).toContain('POST /__cassettes/sessions');
  });

  test('PUT re-points a session and answers the summary of the cassette it left (saved); PUT {name: null} parks it, and its requests are refused until it is re-pointed', async () => {
    provider = await startLocalServer(echoHandler());
    const server = await serve({ mode: 'once', upstream: { openai: provider.url } });
    const sessions = sessionClient(server.url);
    const session = await sessions.open({ name: 'repoint/first' });
    await call(`${session.baseUrls.openai}/chat/completions`, { body: ask('first') });
    const moved = await sessions.repoint(session.id, { name: 'repoint/second' });
    expect(moved).toMatchObject({ id: session.id, name: 'repoint/second', left: { name: 'repoint/first', recorded: 1, written: true } });
    expect(readCassette(server.dir, 'repoint/first').text).toContain('first');

    await call(`${session.baseUrls.openai}/chat/completions`, { body: ask('second') });
    const parked = await sessions.repoint(session.id, null);
    expect(parked).toMatchObject({ name: null, left: { name: 'repoint/second', recorded: 1 } });
    const between = await call(`${session.baseUrls.openai}/chat/completions`, { body: ask('between') });
    expect(between.status).toBe(409);
    expect(between.text).toContain('while it has no cassette (between two tests)');
    expect(provider.seen.map((r) => JSON.parse(r.body).messages[0].content)).toEqual(['first', 'second']);
    expect(await sessions.end(session.id)).toBeNull();
    expect((await call(`${server.url}/__cassettes/sessions/${session.id}`, { method: 'DELETE' })).status).toBe(404);
  });
});
