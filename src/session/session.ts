import { CASSETTE_VERSION } from '../cassette/codec.js';
import type { CassetteError } from '../errors.js';
import { networkUpstream, upstreamOf } from '../intercept/registry.js';
import { whenSettled } from '../intercept/sink-contract.js';
import type { InterceptScope, OutgoingRequest, ResponseSink, Upstream } from '../intercept/types.js';
import { CallRecordings } from '../journal/call-recordings.js';
import { type CassetteRef, listening, publish, type RequestEvent, type RequestOutcome, requestEvent } from '../journal/events.js';
import { Journal } from '../journal/journal.js';
import { scrubValue } from '../journal/scrub-value.js';
import { servedFacts, usageOf } from '../journal/usage.js';
import { responseIds } from '../match/client-ids.js';
import { type CanonicalRequest, canonicalRequest, hashIdentity, identityOf, KEY_HEADERS } from '../match/request-key.js';
import { runningTest } from '../naming.js';
import { decide, type RecordPolicy } from '../record-mode.js';
import { createRedactor, type Redactor, secretsOfRequest } from '../redact/redact.js';
import { nextTurn, now } from '../stream/clock.js';
import { play } from '../stream/player.js';
import { recordingSink } from '../stream/recorder.js';
import type { CassetteData, CassetteOptions, CassetteReport, StoredRequest, TimingMode } from '../types.js';
import { VERSION } from '../version.js';
import { ignoreTest } from './ignore-rule.js';
import { rawRequest, toInteraction } from './interaction-from-capture.js';
import { RecordingLog } from './recording-log.js';
import { type Recording, Recordings } from './recordings.js';
import { liveView, requestView, storedRequest } from './request-view.js';
import { answerRefusal, authError, bypassError, hookError, noMatchError, tooLargeError, unfinishedError } from './session-errors.js';

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
/** How long a cassette waits, once its function returned, for recordings still streaming. */
export const DEFAULT_RECORDING_WAIT_MS = 30_000;

/** What a request is, as matching sees it, and which recording it matches. */
interface Lookup {
  redactor: Redactor;
  /** The request as it will be stored: built on first call. */
  stored: () => StoredRequest;
  canonical: CanonicalRequest;
  key: string;
  recording: Recording | undefined;
}

export interface SessionInit {
  name: string;
  file: string;
  policy: RecordPolicy;
  timing: TimingMode;
  options: CassetteOptions;
  parent: InterceptScope | undefined;
  loaded: CassetteData | undefined;
}

/**
 * One active cassette: answers requests while `fn` runs (as its record policy says), then says
 * what to save and what happened.
 */
export class CassetteSession implements InterceptScope {
  readonly parent: InterceptScope | undefined;
  readonly name: string;
  readonly file: string;
  readonly policy: RecordPolicy;
  readonly errors: CassetteError[] = [];
  private readonly timing: TimingMode;
  private readonly options: CassetteOptions;
  private readonly recordings: Recordings;
  private readonly log = new RecordingLog();
  /** Calls and notes of the timeline (cassette.call / cassette.note). */
  readonly journal: Journal;
  /** How many times each request key was recorded in this session: a repeat is a retry's attempt. */
  private readonly attempts = new Map<string, number>();
  private readonly ignoreTest: ((url: URL) => boolean) | undefined;
  /** Tells a cassette scope from a mock's, across copies of this module (Jest's per-file registries). */
  readonly kind = 'cassette';
  private counts = { replayed: 0, recorded: 0, refused: 0, passedThrough: 0, warned: 0 };
  /** What was served from the cassette, for the report's bytes, tokens and time saved. */
  private readonly served: Recording[] = [];
  private readonly baseRedactor: Redactor;
  /** One redactor per set of keys a request carries: built once, not per request. */
  private readonly redactors = new Map<string, Redactor>();
  /** The request headers that key a request, lower-cased. */
  private readonly keyHeaders: string[];
  private readonly debugging: boolean;
  /** Ids the cassette's responses held: id fields with these values are the provider's (client-ids.ts). */
  private readonly knownIds: Set<string>;
  /** The cassette's function returned and its recordings settled: later requests are late. */
  private closed = false;

  constructor(init: SessionInit) {
    this.parent = init.parent;
    this.name = init.name;
    this.file = init.file;
    this.policy = init.policy;
    this.timing = init.timing;
    this.options = init.options;
    const timeline = init.policy.loads && init.loaded ? init.loaded.interactions : [];
    this.recordings = new Recordings(timeline, init.options);
    this.journal = new Journal(
      {
        policy: init.policy,
        timing: init.timing,
        ref: { name: init.name, file: init.file, mode: init.policy.mode },
        errors: this.errors,
        log: this.log,
        scrub: (value) => scrubValue(value, this.baseRedactor),
        test: () => runningTest(),
      },
      new CallRecordings(timeline, init.options.allowPlaybackRepeats === true),
    );
    this.knownIds = new Set(this.recordings.knownIds);
    this.ignoreTest = ignoreTest(init.options);
    this.baseRedactor = createRedactor(init.options.redact);
    this.keyHeaders = [...KEY_HEADERS, ...(init.options.keyHeaders ?? []).map((h) => h.toLowerCase())];
    const debug = process.env['LLM_CASSETTE_DEBUG'];
    this.debugging = debug !== undefined && debug !== '' && debug !== '0';
  }

  get mode(): string {
    return this.policy.mode;
  }

  ignores(url: URL): boolean {
    return this.ignoreTest?.(url) === true;
  }

  bypassed(description: string, fix?: string): void {
    this.errors.push(bypassError(this, description, fix));
  }

  async handle(request: OutgoingRequest, sink: ResponseSink, upstream: Upstream): Promise<void> {
    if (this.closed) return this.late(request, sink, upstream);
    const { onMatch, onMiss } = this.policy;
    if (onMatch === 'passthrough' && onMiss === 'passthrough') {
      // @note a passthrough cassette exempts its block: enclosing cassettes do not see its requests
      this.passThrough(request, sink, beyondCassettes(this.parent) ?? upstream);
      return;
    }
    if (onMiss === 'record' && this.recordings.size === 0) {
      // nothing to match (all; a new cassette): the request goes out first, the lookup follows
      this.record(request, sink, upstream);
      return;
    }
    let looked: Lookup;
    try {
      looked = this.lookup(request);
    } catch (error) {
      this.errors.push(error as CassetteError);
      sink.error(error as Error);
      return;
    }
    const decision = decide(this.policy, looked.recording !== undefined);
    if (decision !== 'record') this.debug(decision, request, looked.key);
    switch (decision) {
      case 'replay':
        this.replay(looked.recording!, request, sink);
        return;
      case 'record':
        this.record(request, sink, upstream, looked);
        return;
      case 'refuse':
        this.refuse(request, looked, sink);
        return;
      case 'closest':
        this.answerClosest(request, looked, sink);
        return;
      case 'passthrough':
        this.passThrough(request, sink, upstream);
        return;
    }
  }

  replayOnly(request: OutgoingRequest, sink: ResponseSink): boolean {
    if (this.closed || this.policy.onMatch !== 'replay' || this.recordings.size === 0 || this.options.match) return false;
    const { key, recording } = this.lookup(request, true);
    if (!recording) return false;
    recording.uses++;
    this.debug('replay', request, key);
    this.replay(recording, request, sink);
    return true;
  }

  private lookup(request: OutgoingRequest, peek = false): Lookup {
    const redactor = this.redactorFor(request);
    let stored: StoredRequest | undefined;
    const storedOnce = (): StoredRequest => {
      stored ??= storedRequest(request, redactor);
      return stored;
    };
    const canonical = canonicalRequest(liveView(request, redactor, this.keyHeaders) ?? requestView(storedOnce()), this.options, this.knownIds);
    const key = identityOf(canonical);
    const recording = this.recordings.take(key, () => requestView(storedOnce()), peek);
    return { redactor, stored: storedOnce, canonical, key, recording };
  }

  private replay(recording: Recording, request: OutgoingRequest, sink: ResponseSink): void {
    this.counts.replayed++;
    this.play(recording, request, sink);
  }

  private play(recording: Recording, request: OutgoingRequest, sink: ResponseSink, outcome: RequestOutcome = 'replayed'): void {
    this.served.push(recording);
    if (listening('request')) {
      const started = now();
      const done = (): void => publish('request', this.requestEvent(outcome, request, recording, now() - started));
      sink = whenSettled(sink, done);
    }
    // @note not awaited by settle(): a replay needs nothing saved, and an app that never reads a
    // large body would otherwise keep withCassette waiting on backpressure forever.
    try {
      const last = !this.options.allowPlaybackRepeats;
      play(recording.interaction, sink, request.signal, this.timing, last)?.catch((error: unknown) => sink.error(error as Error));
    } catch (error) {
      sink.error(error as Error);
    }
  }

  private refuse(request: OutgoingRequest, looked: Lookup, sink: ResponseSink): void {
    this.counts.refused++;
    if (listening('request'))
      publish('request', { ...this.requestEvent('refused', request, undefined, 0), key: hashIdentity(looked.key).slice(0, 12), status: 400 });
    const error = noMatchError(this, request, looked.canonical, this.recordings.closest(looked.canonical), looked.redactor);
    this.errors.push(error);
    answerRefusal(sink, error);
  }

  /**
   * `warn`: the miss message goes to stderr, and the closest recording of the same method and URL
   * answers; with none, the request is refused as in `none`.
   */
  private answerClosest(request: OutgoingRequest, looked: Lookup, sink: ResponseSink): void {
    const closest = this.recordings.closest(looked.canonical, { sameEndpoint: true });
    if (!closest) {
      this.refuse(request, looked, sink);
      return;
    }
    this.counts.warned++;
    const miss = noMatchError(this, request, looked.canonical, closest, looked.redactor);
    process.stderr.write(`${miss.message.replace(/^cassettes: /, 'cassettes: warning: ')}\n  answered from interaction #${closest.index} (mode warn)\n`);
    this.debug('warn', request, looked.key);
    closest.uses++;
    this.play(closest, request, sink, 'warned');
  }

  private passThrough(request: OutgoingRequest, sink: ResponseSink, upstream: Upstream): void {
    this.counts.passedThrough++;
    this.debug('passthrough', request, '-');
    if (listening('request')) publish('request', this.requestEvent('passed-through', request, undefined, 0));
    upstream(request, sink);
  }

  /**
   * A request routed here after the cassette ended (fired and not awaited, or from a timer): it is
   * not recorded. A replay-only cassette refuses it, so such a run still never reaches a provider;
   * any other passes it on and says so.
   */
  private late(request: OutgoingRequest, sink: ResponseSink, upstream: Upstream): void {
    const where = `${request.method} ${this.baseRedactor.url(request.url)}`;
    this.debug('late', request, '-');
    if (listening('request')) publish('request', this.requestEvent('late', request, undefined, 0));
    process.emitWarning(`cassettes: ${where} was made after cassette "${this.name}" ended (${this.file}); it was not recorded or replayed`, {
      code: 'LLM_CASSETTE_LATE',
    });
    if (this.policy.onMiss === 'refuse') sink.error(new Error(`cassettes: ${where} was made after cassette "${this.name}" ended`));
    else upstream(request, sink);
  }

  /** Waits for recordings in flight, at most `maxRecordingWaitMs`; then cuts what is left. */
  async settle(): Promise<void> {
    const limit = this.options.maxRecordingWaitMs ?? DEFAULT_RECORDING_WAIT_MS;
    await this.log.settle(limit, (flight) => {
      const error = unfinishedError(this, flight.where, limit);
      this.errors.push(error);
      return error;
    });
    this.closed = true;
  }

  /** The data to write, or undefined when there is nothing to write. */
  result(): CassetteData | undefined {
    if (this.policy.saves === 'nothing') return undefined;
    // a failed hook: the file stays exactly as it was
    if (this.errors.some((e) => e.code === 'LLM_CASSETTE_HOOK')) return undefined;
    const fresh = this.log.entries();
    if (this.policy.saves === 'rerecord') return { version: CASSETTE_VERSION, recordedWith: `cassettes ${VERSION}`, interactions: fresh };
    if (fresh.length === 0) return undefined;
    return { version: CASSETTE_VERSION, recordedWith: `cassettes ${VERSION}`, interactions: [...this.recordings.timeline(), ...fresh] };
  }

  report(written: boolean): CassetteReport {
    const unused = this.policy.reportsUnused ? [...this.recordings.unused(), ...this.journal.unused()].sort((a, b) => a - b) : [];
    const served = servedFacts(
      this.served.map((r) => r.interaction.response),
      this.timing,
    );
    return { name: this.name, file: this.file, mode: this.policy.mode, ...this.counts, calls: { ...this.journal.counts }, unused, written, ...served };
  }

  /** The cassette as events name it. */
  get ref(): CassetteRef {
    return { name: this.name, file: this.file, mode: this.policy.mode };
  }

  private requestEvent(outcome: RequestOutcome, request: OutgoingRequest, recording: Recording | undefined, durationMs: number): RequestEvent {
    const key = recording ? hashIdentity(recording.key).slice(0, 12) : '-';
    return requestEvent(
      outcome,
      this.ref,
      { method: request.method, url: this.baseRedactor.url(request.url) },
      key,
      recording?.interaction.response,
      durationMs,
    );
  }

  private redactorFor(request: OutgoingRequest): Redactor {
    const own = secretsOfRequest(request.url, request.headers);
    if (own.length === 0) return this.baseRedactor;
    const memo = own.join('\0');
    let redactor = this.redactors.get(memo);
    if (!redactor) {
      redactor = createRedactor(this.options.redact, own);
      this.redactors.set(memo, redactor);
    }
    return redactor;
  }

  /**
   * Sends the request on and keeps what comes back. `looked`: the request's lookup, if the
   * decision needed it; otherwise it is made once the request is on its way, so recording adds
   * as little as possible before the first byte.
   */
  private record(request: OutgoingRequest, sink: ResponseSink, upstream: Upstream, looked?: Lookup): void {
    const slot = this.log.reserve();
    const test = runningTest();
    // @note its own signal: the app's abort still reaches the network, and a cassette that gives
    // up waiting can cut the recording without touching the app's signal
    const cut = new AbortController();
    const onAppAbort = (): void => cut.abort(request.signal.reason);
    if (request.signal.aborted) cut.abort(request.signal.reason);
    else request.signal.addEventListener('abort', onAppAbort, { once: true });
    const { sink: tee, done } = recordingSink(sink, {
      startedAt: now(),
      maxBodyBytes: this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      signal: cut.signal,
    });
    upstream({ ...request, signal: cut.signal }, tee);
    const recordedAt = new Date().toISOString();
    if (looked) this.debug('record', request, looked.key);
    // @note after a turn of the event loop: turning the capture into an interaction (SSE views,
    // scrubbing) would otherwise run between the last chunk's arrival and the app reading it
    const finished = done.then(async (capture) => {
      await nextTurn();
      request.signal.removeEventListener('abort', onAppAbort);
      const { redactor, key } = looked ?? this.lookup(request, true);
      if (!looked) this.debug('record', request, key);
      const where = `${request.method} ${redactor.url(request.url)}`;
      const maxBodyBytes = this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
      if (capture.tooLarge) return void this.errors.push(tooLargeError(this, where, maxBodyBytes));
      if ((capture.status === 401 || capture.status === 403) && !this.options.recordAuthFailures) {
        return void this.errors.push(authError(this, where, capture.status));
      }
      // @note the exchange as sent and received first: a value named by a rule (a custom header,
      // a body path) is learned from it, then scrubbed everywhere a server may have echoed it
      const raw = toInteraction(rawRequest(request), hashIdentity(key), recordedAt, capture);
      const full = redactor.knowing(raw);
      let interaction = full.interaction(raw);
      const attempt = (this.attempts.get(key) ?? 0) + 1;
      this.attempts.set(key, attempt);
      if (test) interaction.test = test;
      if (attempt > 1) interaction.attempt = attempt;
      if (this.options.beforeRecord) {
        try {
          interaction = this.options.beforeRecord(interaction) ?? interaction;
        } catch (error) {
          return void this.errors.push(hookError(this, 'beforeRecord', where, error));
        }
        // the hook may have put a secret back: scrub once more
        interaction = full.interaction(interaction);
      }
      this.log.fill(slot, interaction);
      if (listening('request')) {
        publish('request', {
          ...this.requestEvent('recorded', request, undefined, capture.end?.atMs ?? 0),
          key: hashIdentity(key).slice(0, 12),
          status: capture.status,
          bytes: capture.bytes,
          chunks: capture.chunks.length,
          usage: usageOf(interaction.response),
        });
      }
      if (this.options.normalizeClientIds !== false) for (const id of responseIds(interaction.response)) this.knownIds.add(id);
      this.counts.recorded++;
    });
    const where = `${request.method} ${this.baseRedactor.url(request.url)}`;
    this.log.track({
      where,
      finished: finished.catch((error: unknown) => void this.errors.push(hookError(this, 'recording', where, error))),
      abandon: (reason) => cut.abort(reason),
    });
  }

  private debug(what: string, request: OutgoingRequest, key: string): void {
    if (!this.debugging) return;
    const shortKey = key === '-' ? '-' : hashIdentity(key).slice(0, 12);
    process.stderr.write(`cassettes: ${what} ${request.method} ${this.baseRedactor.url(request.url)} key=${shortKey} cassette=${this.file}\n`);
  }
}

/**
 * The way out past every enclosing cassette (to a mock that encloses them, or the network);
 * undefined when no cassette encloses this one.
 */
function beyondCassettes(parent: InterceptScope | undefined): Upstream | undefined {
  let target = parent;
  while (target?.kind === 'cassette') target = target.parent;
  if (target === parent) return undefined;
  if (!target) return networkUpstream();
  const scope = target;
  return (request, sink) => void scope.handle(request, sink, upstreamOf(scope)).catch((error: unknown) => sink.error(error as Error));
}
