import type { NoMatchError } from '../errors.js';

/** A request as every transport hands it over: body already read, headers lower-cased. */
export interface OutgoingRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Buffer;
  /** Aborts when the caller gives up (AbortController, SDK timeout, early break). */
  signal: AbortSignal;
  transport: 'fetch' | 'http';
}

/**
 * Where a response goes, whatever produced it (network, cassette, mock). `data` may return a
 * promise to apply backpressure. The order of calls is enforced once, by sinkContract().
 */
export interface ResponseSink {
  /** The sink waits for its reader between chunks (a pull-based body): no turn needed. */
  readonly paced?: boolean;
  head(status: number, statusText: string, headers: [string, string][]): void;
  /** Optional: a whole, complete response at once (an instant replay): a body, or its chunks. */
  whole?(status: number, statusText: string, headers: [string, string][], body: Uint8Array | Uint8Array[]): void;
  data(chunk: Buffer): void | Promise<void>;
  end(): void;
  error(error: Error): void;
  /**
   * Optional: answers a request the cassette refused (a miss in a replay-only mode) in this sink's
   * own terms, e.g. the provider's error shape for `cassettes serve`. Without it, the generic 400.
   */
  refuse?(error: NoMatchError): void;
}

/** Sends a request onward: to the network, or to an enclosing scope (a wire mock). */
export type Upstream = (request: OutgoingRequest, sink: ResponseSink) => void;

/** What an active withCassette / withMockLLM contributes to routing. */
export interface InterceptScope {
  readonly parent: InterceptScope | undefined;
  /** What kind of scope: a cassette, or a mock (withMockLLM). */
  readonly kind?: 'cassette' | 'mock';
  /** Hosts this scope leaves alone: they go upstream untouched. */
  ignores(url: URL): boolean;
  handle(request: OutgoingRequest, sink: ResponseSink, upstream: Upstream): Promise<void>;
  /**
   * The fast path for global fetch: answers at once when the request replays (returns true, and
   * plays into the sink), else returns false and leaves no trace, and the request takes the
   * ordinary path through the dispatcher.
   */
  replayOnly?(request: OutgoingRequest, sink: ResponseSink): boolean;
  /** A request escaped interception while this scope was active (`fix`: what the user can do). */
  bypassed(description: string, fix?: string): void;
}
