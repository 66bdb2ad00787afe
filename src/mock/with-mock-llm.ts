import { CassetteError } from '../errors.js';
import { installInterception } from '../intercept/install.js';
import { currentScope, registry } from '../intercept/registry.js';
import type { InterceptScope, OutgoingRequest, ResponseSink, Upstream } from '../intercept/types.js';
import type { MockReply } from '../protocol/mock-reply.js';
import { isErrorLike } from '../protocol/mock-reply.js';
import { sleep } from '../stream/clock.js';
import { buildWireResponse } from './wire/build-wire-response.js';
import { detectEndpoint } from './wire/detect-endpoint.js';
import type { WireEndpoint, WireProvider } from './wire/types.js';

/** One request the wire mock answered. */
export interface WireMockCall {
  provider: WireProvider;
  endpoint: WireEndpoint;
  model: string | undefined;
  method: string;
  url: string;
  /** The parsed JSON body (or the raw text when it is not JSON). */
  body: unknown;
}

/** Replies consumed in order (the last one repeats), or a function of the parsed request. */
export type WireMockScript = readonly MockReply[] | ((call: WireMockCall) => MockReply | Promise<MockReply>);

export interface WireMock {
  readonly calls: WireMockCall[];
}

/**
 * While `fn` runs, requests to OpenAI, Anthropic and Gemini endpoints (on their real hosts or
 * any base URL) are answered from `script` in each provider's own wire format; anything else goes
 * on as usual. The innermost scope answers: a withCassette inside records what the mock says.
 */
export async function withMockLLM<T>(script: WireMockScript, fn: (mock: WireMock) => T | Promise<T>): Promise<T> {
  if (Array.isArray(script) && script.length === 0) {
    throw new CassetteError('LLM_CASSETTE_OPTIONS', 'cassettes: withMockLLM needs at least one reply in its script');
  }
  installInterception();
  const scope = new MockScope(script, currentScope());
  return registry().als.run(scope, () => fn(scope));
}

class MockScope implements InterceptScope, WireMock {
  readonly kind = 'mock';
  readonly calls: WireMockCall[] = [];
  private next = 0;

  constructor(
    private readonly script: WireMockScript,
    readonly parent: InterceptScope | undefined,
  ) {}

  ignores(): boolean {
    return false;
  }

  bypassed(): void {
    // a mock has nothing to protect: the enclosing cassette (if any) reports bypasses
  }

  async handle(request: OutgoingRequest, sink: ResponseSink, upstream: Upstream): Promise<void> {
    const target = detectEndpoint(request.method, request.url);
    if (!target) {
      upstream(request, sink);
      return;
    }
    const text = request.body.toString('utf8');
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: the script sees the text
    }
    const call: WireMockCall = { provider: target.provider, endpoint: target.endpoint, model: target.model, method: request.method, url: request.url, body };
    // @note the call is logged and the reply chosen synchronously, so concurrent requests get
    // replies in the order they were made.
    this.calls.push(call);
    const reply = await this.replyFor(call);
    if (isErrorLike(reply)) {
      // an Error in the script is a connection that fails: no status, no body
      sink.error(reply);
      return;
    }
    const wire = buildWireResponse(target, body, reply);
    const headers = Object.entries(wire.headers);
    const [first, ...rest] = wire.chunks;
    if (first && first.delayMs > 0) await sleep(first.delayMs, request.signal);
    if (request.signal.aborted) return;
    sink.head(wire.status, statusText(wire.status), headers);
    if (first) await sink.data(Buffer.from(first.data));
    for (const chunk of rest) {
      await sleep(chunk.delayMs, request.signal);
      if (request.signal.aborted) return;
      await sink.data(Buffer.from(chunk.data));
    }
    sink.end();
  }

  private replyFor(call: WireMockCall): MockReply | Promise<MockReply> {
    if (typeof this.script === 'function') return this.script(call);
    const list = this.script as readonly MockReply[];
    const reply = list[Math.min(this.next, list.length - 1)]!;
    this.next++;
    return reply;
  }
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  529: 'Overloaded',
};

function statusText(status: number): string {
  return STATUS_TEXT[status] ?? '';
}
