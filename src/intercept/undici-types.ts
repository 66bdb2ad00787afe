/**
 * The duck-typed slice of undici's Dispatcher API that Node's fetch and the undici package use.
 * @note typed here rather than imported: the interceptor must work with whichever undici the
 * process runs (Node's bundled copy, or a user's own major), never pin one.
 */
export interface DispatcherLike {
  dispatch(options: DispatchOptions, handler: DispatchHandler): boolean;
  close?(...args: unknown[]): unknown;
  destroy?(...args: unknown[]): unknown;
}

export interface DispatchOptions {
  origin?: string | URL;
  path: string;
  method: string;
  headers?: unknown;
  body?: unknown;
  [key: string]: unknown;
}

/** undici's handler: the legacy callbacks (undici ≤7, Node 22/24 fetch) or the controller API. */
export interface DispatchHandler {
  onConnect?(abort: (reason?: Error) => void, context?: unknown): void;
  onHeaders?(status: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean;
  onData?(chunk: Buffer): boolean;
  onComplete?(trailers: Buffer[] | null): void;
  onError?(error: Error): void;
  onResponseStarted?(): void;
  onRequestStart?(controller: HandlerController, context: unknown): void;
  onResponseStart?(controller: HandlerController, status: number, headers: Record<string, string | string[]>, statusText: string): void;
  onResponseData?(controller: HandlerController, chunk: Buffer): void;
  onResponseEnd?(controller: HandlerController, trailers: Record<string, string>): void;
  onResponseError?(controller: HandlerController, error: Error): void;
}

export interface HandlerController {
  abort(reason: Error): void;
  pause(): void;
  resume(): void;
  readonly aborted: boolean;
  readonly paused: boolean;
  readonly reason: Error | null;
}
