/**
 * A provider on 127.0.0.1 that answers in each provider's real wire format (OpenAI chat and
 * responses, Anthropic messages, Gemini), built by the mock's wire encoders, with the chunk
 * delays they ask for: what tests record cassettes from before running the command on them.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { buildWireResponse } from '../../../src/mock/wire/build-wire-response.js';
import { detectEndpoint } from '../../../src/mock/wire/detect-endpoint.js';
import type { MockReply } from '../../../src/mock/wire/types.js';
import { type LocalServer, startLocalServer } from '../../support/local-server.js';

/** What the model says to a request body; the default says `echo: <last user text>`. */
export type Replier = (body: unknown) => MockReply;

export interface WireServer extends LocalServer {
  /** Changes what the model says from now on. */
  reply(replier: Replier): void;
}

export async function startWireServer(initial: Replier = echoReply): Promise<WireServer> {
  let replier = initial;
  const server = await startLocalServer(async (request, res) => {
    const target = detectEndpoint(request.method, request.url);
    if (!target) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `no provider API at ${request.url}` } }));
      return;
    }
    const body: unknown = request.body === '' ? undefined : JSON.parse(request.body);
    const wire = buildWireResponse(target, body, replier(body));
    res.writeHead(wire.status, wire.headers);
    for (const chunk of wire.chunks) {
      if (chunk.delayMs > 0) await sleep(chunk.delayMs);
      res.write(chunk.data);
    }
    res.end();
  });
  return { ...server, reply: (next) => void (replier = next) };
}

export function echoReply(body: unknown): MockReply {
  return { text: `echo: ${lastUserText(body)}`, chunkDelayMs: 2 };
}

/** The last user text of a chat, messages, responses or Gemini request. */
export function lastUserText(body: unknown): string {
  const b = (body ?? {}) as { messages?: { content?: unknown }[]; input?: unknown; contents?: { parts?: { text?: string }[] }[] };
  const last = b.messages?.at(-1)?.content ?? b.contents?.at(-1)?.parts?.[0]?.text ?? b.input;
  return typeof last === 'string' ? last : JSON.stringify(last);
}
