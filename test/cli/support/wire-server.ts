/**
 * A provider on 127.0.0.1 that answers in each provider's real wire format (OpenAI chat and
 * responses, Anthropic messages, Gemini), built by the mock's wire encoders, with the chunk
 * delays they ask for: what tests record cassettes from before running the command on them.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { buildWireResponse } from '../../../src/mock/wire/build-wire-response.js';
import { detectEndpoint } from '../../../src/mock/wire/detect-endpoint.js';
import type { MockReply } from '../../../src/protocol/mock-reply.js';
import { type LocalServer, startLocalServer } from '../../support/local-server.js';

/** What the model says to a request body; the default says `echo: <last user text>`. */
export type Replier = (body: unknown) => MockReply;

/**
 * Changes the provider's wire format: every JSON body and every SSE event's JSON data goes
 * through it (return undefined to drop an event); `status` overrides the status code.
 */
export interface ApiChange {
  json?: (data: Record<string, unknown>, event: string | undefined) => Record<string, unknown> | undefined;
  status?: (body: unknown) => number | undefined;
}

export interface WireServer extends LocalServer {
  /** Changes what the model says from now on. */
  reply(replier: Replier): void;
  /** Changes the API itself from now on (undefined: back to the real format). */
  change(api: ApiChange | undefined): void;
}

export async function startWireServer(initial: Replier = echoReply): Promise<WireServer> {
  let replier = initial;
  let api: ApiChange | undefined;
  const server = await startLocalServer(async (request, res) => {
    const target = detectEndpoint(request.method, request.url);
    if (!target) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `no provider API at ${request.url}` } }));
      return;
    }
    const body: unknown = request.body === '' ? undefined : JSON.parse(request.body);
    const wire = buildWireResponse(target, body, replier(body));
    res.writeHead(api?.status?.(body) ?? wire.status, wire.headers);
    for (const chunk of wire.chunks) {
      if (chunk.delayMs > 0) await sleep(chunk.delayMs);
      res.write(api?.json ? changeChunk(Buffer.from(chunk.data).toString('utf8'), api.json) : chunk.data);
    }
    res.end();
  });
  return { ...server, reply: (next) => void (replier = next), change: (next) => void (api = next) };
}

export function echoReply(body: unknown): MockReply {
  return { content: `echo: ${lastUserText(body)}`, chunkDelayMs: 2 };
}

/** The last user text of a chat, messages, responses or Gemini request. */
export function lastUserText(body: unknown): string {
  const b = (body ?? {}) as { messages?: { content?: unknown }[]; input?: unknown; contents?: { parts?: { text?: string }[] }[] };
  const last = b.messages?.at(-1)?.content ?? b.contents?.at(-1)?.parts?.[0]?.text ?? b.input;
  return typeof last === 'string' ? last : JSON.stringify(last);
}

/** A chunk's JSON (a whole body, or the data of each complete SSE event in it) passed through `change`. */
function changeChunk(text: string, change: NonNullable<ApiChange['json']>): string {
  if (text.startsWith('{')) {
    try {
      return JSON.stringify(change(JSON.parse(text) as Record<string, unknown>, undefined) ?? {});
    } catch {
      return text;
    }
  }
  return text
    .split(/(?<=\n\n)/)
    .map((block) => {
      const name = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (\{.*\})$/m.exec(block);
      if (!data) return block;
      const original = JSON.parse(data[1]!) as Record<string, unknown>;
      const changed = change(original, name);
      if (changed === undefined) return '';
      // a renamed `type` renames the SSE event that carries it
      const renamed = name !== undefined && name === original['type'] && typeof changed['type'] === 'string' ? `event: ${changed['type']}` : undefined;
      return block.replace(data[1]!, JSON.stringify(changed)).replace(`event: ${name}`, renamed ?? `event: ${name}`);
    })
    .join('');
}
