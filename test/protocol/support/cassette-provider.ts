// An LLMProvider that runs every call of another provider inside `withCassette`, so adapters over
// the real SDKs can be checked offline against committed cassettes.
import { fileURLToPath } from 'node:url';
import { loadCassette, writeCassette } from '../../../src/cassette/store.js';
import { withCassette } from '../../../src/index.js';
import { httpInteractions } from '../../../src/journal/timeline.js';
import type { WireMockScript } from '../../../src/mock/with-mock-llm.js';
import { withMockLLM } from '../../../src/mock/with-mock-llm.js';
import { abortReason, raceAbort } from '../../../src/protocol/abort.js';
import type { HealthStatus, LLMCallOptions, LLMProvider } from '../../../src/protocol/provider.js';
import { withProtocol } from '../../../src/protocol/provider-base.js';
import type { LLMRequest } from '../../../src/protocol/request.js';
import type { LLMResponse, LLMStreamEvent } from '../../../src/protocol/response.js';
import type { CassetteOptions, CassetteReport, Interaction } from '../../../src/types.js';
import { cassetteFile } from '../../../src/with-cassette.js';

/** `__cassettes__/` at the root of the repository, whatever the working directory. */
export const CASSETTE_DIR = fileURLToPath(new URL('../../../__cassettes__', import.meta.url));

export interface CassetteProviderOptions {
  /** Default `none`: replay only, a request that was not recorded fails the call. */
  readonly mode?: CassetteOptions['mode'];
  /** Default `__cassettes__/` at the repository root. */
  readonly dir?: string;
  /** Called with each call's cassette report. */
  readonly onReport?: (report: CassetteReport) => void;
}

/**
 * `inner`, with each `complete()`, `stream()` and `healthCheck()` running inside its own
 * `withCassette(cassette, …)` session (replay only by default, the last interaction of a request
 * repeating as often as asked). Streams stay streams: the inner iteration runs inside the cassette
 * and hands each event over when the caller pulls it; `return()`/`break` and aborts reach the
 * inner stream at once, and errors (the cassette's own, such as LLM_CASSETTE_NO_MATCH, first)
 * surface from the pull.
 */
export function cassetteProvider(inner: LLMProvider, cassette: string, options: CassetteProviderOptions = {}): LLMProvider {
  const cassetteOptions: CassetteOptions = {
    dir: options.dir ?? CASSETTE_DIR,
    mode: options.mode ?? 'none',
    allowPlaybackRepeats: true,
    ...(options.onReport ? { onReport: options.onReport } : {}),
  };
  const run = <T>(fn: () => Promise<T>): Promise<T> => withCassette(cassette, fn, cassetteOptions);
  return withProtocol({
    name: inner.name,
    model: inner.model,
    complete(request: LLMRequest, callOptions: LLMCallOptions = {}): Promise<LLMResponse> {
      // @note raced here too: the inner adapter rejects at once, but withCassette would first
      // wait for its session to settle.
      return raceAbort(
        run(() => inner.complete(request, callOptions)),
        callOptions.signal,
      );
    },
    stream(request: LLMRequest, callOptions: LLMCallOptions = {}): AsyncIterable<LLMStreamEvent> {
      return {
        [Symbol.asyncIterator]: () => new CassetteStream(() => inner.stream(request, callOptions), run, callOptions.signal),
      };
    },
    async healthCheck(): Promise<HealthStatus> {
      const started = performance.now();
      try {
        return await run(() => inner.healthCheck());
      } catch (error) {
        return { healthy: false, latencyMs: performance.now() - started, error: error instanceof Error ? error.message : String(error) };
      }
    },
  });
}

type Demand = 'next' | 'return';
type Outcome = { readonly value: LLMStreamEvent } | { readonly done: true } | { readonly error: unknown };

/** An unbounded FIFO whose `receive()` waits for the next `send()`. Carries values only, never rejections. */
class Channel<T> {
  private readonly items: T[] = [];
  private readonly waiters: ((item: T) => void)[] = [];

  send(item: T): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(item);
    else this.items.push(item);
  }

  receive(): Promise<T> {
    if (this.items.length > 0) return Promise.resolve(this.items.shift() as T);
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

/**
 * The caller's side of a stream whose inner iteration (the "pump") runs inside a cassette. The
 * pump pulls one inner event per caller pull, so nothing is read ahead: the inner stream sees the
 * caller's pace, its `return()` and its aborts exactly as without the cassette.
 */
class CassetteStream implements AsyncIterator<LLMStreamEvent> {
  private readonly demands = new Channel<Demand>();
  private readonly outcomes = new Channel<Outcome>();
  private started = false;
  private closed = false;
  /** Serialises pulls: one demand, one outcome. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly open: () => AsyncIterable<LLMStreamEvent>,
    private readonly run: <T>(fn: () => Promise<T>) => Promise<T>,
    private readonly signal: AbortSignal | undefined,
  ) {}

  next(): Promise<IteratorResult<LLMStreamEvent>> {
    const result = this.queue.then(() => this.pull());
    this.queue = result.catch(() => undefined);
    return result;
  }

  async return(): Promise<IteratorResult<LLMStreamEvent>> {
    this.close();
    return { done: true, value: undefined };
  }

  private async pull(): Promise<IteratorResult<LLMStreamEvent>> {
    if (this.closed) return { done: true, value: undefined };
    if (this.signal?.aborted) {
      this.close();
      throw abortReason(this.signal);
    }
    this.start();
    this.demands.send('next');
    let outcome: Outcome;
    try {
      outcome = await raceAbort(this.outcomes.receive(), this.signal);
    } catch (error) {
      // aborted while the inner stream was still silent
      this.close();
      throw error;
    }
    if ('value' in outcome) return { done: false, value: outcome.value };
    this.closed = true;
    if ('error' in outcome) throw outcome.error;
    return { done: true, value: undefined };
  }

  /** Starts the pump inside the cassette on the first pull (a stream is lazy, like the adapters'). */
  private start(): void {
    if (this.started) return;
    this.started = true;
    const pump = async (): Promise<void> => {
      const iterator = this.open()[Symbol.asyncIterator]();
      let finished = false;
      try {
        while ((await this.demands.receive()) === 'next') {
          const step = await iterator.next();
          if (step.done) {
            finished = true;
            return;
          }
          this.outcomes.send({ value: step.value });
        }
      } finally {
        if (!finished) await iterator.return?.();
      }
    };
    // @note The end (or failure) is handed over only once withCassette has settled, so that the
    // cassette's own errors (LLM_CASSETTE_NO_MATCH…) win over the SDK's view of them.
    this.run(pump).then(
      () => this.outcomes.send({ done: true }),
      (error: unknown) => this.outcomes.send({ error }),
    );
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.started) this.demands.send('return');
  }
}

export interface RecordOptions {
  readonly dir?: string;
  readonly recordAuthFailures?: boolean;
}

/**
 * Records one cassette from scratch (mode `all`) while `fn` runs against the wire mock `script`,
 * then compacts it to one interaction per distinct request: the first one that completed (an
 * aborted or failed exchange is kept only when nothing better was recorded). Replays look each
 * request up in a fresh session, so the first interaction of a request is the one that counts.
 */
export async function recordCassette(cassette: string, script: WireMockScript, fn: () => Promise<void>, options: RecordOptions = {}): Promise<string> {
  const dir = options.dir ?? CASSETTE_DIR;
  await withMockLLM(script, () => withCassette(cassette, fn, { dir, mode: 'all', recordAuthFailures: options.recordAuthFailures === true }));
  const file = cassetteFile(cassette, dir);
  const loaded = await loadCassette(file);
  if (!loaded) throw new Error(`recording ${cassette}: nothing was recorded (no ${file})`);
  const complete = (i: Interaction): boolean => !i.error && !!i.response && (i.response.end === undefined || i.response.end.state === 'completed');
  const byKey = new Map<string, Interaction>();
  for (const interaction of httpInteractions(loaded.data)) {
    const key = interaction.key ?? JSON.stringify(interaction.request);
    const kept = byKey.get(key);
    if (!kept || (!complete(kept) && complete(interaction))) byKey.set(key, interaction);
  }
  const kept = new Set(byKey.values());
  const interactions = httpInteractions(loaded.data).filter((i) => kept.has(i));
  await writeCassette(file, { ...loaded.data, interactions });
  return file;
}
