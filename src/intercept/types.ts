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
 * promise to apply backpressure. After `end` or `error`, nothing more is called.
 */
export interface ResponseSink {
  head(status: number, statusText: string, headers: [string, string][]): void;
  data(chunk: Buffer): void | Promise<void>;
  end(): void;
  error(error: Error): void;
}

/** Sends a request onward: to the network, or to an enclosing scope (a wire mock). */
export type Upstream = (request: OutgoingRequest, sink: ResponseSink) => void;

/** What an active withCassette / withMockLLM contributes to routing. */
export interface InterceptScope {
  readonly parent: InterceptScope | undefined;
  /** Hosts this scope leaves alone: they go upstream untouched. */
  ignores(url: URL): boolean;
  handle(request: OutgoingRequest, sink: ResponseSink, upstream: Upstream): Promise<void>;
  /** A request escaped interception while this scope was active. */
  bypassed(description: string): void;
}
