import { CASSETTE_VERSION } from '../cassette/codec.js';
import type { CassetteError } from '../errors.js';
import { upstreamBeyondCassettes } from '../intercept/registry.js';
import { whenSettled } from '../intercept/sink-contract.js';
import type { InterceptScope, OutgoingRequest, ResponseSink, Upstream } from '../intercept/types.js';
import { CallRecordings } from '../journal/call-recordings.js';
import { type CassetteRef, listening, publish, type RequestEvent, type RequestOutcome, requestEvent } from '../journal/events.js';
import { Journal } from '../journal/journal.js';
import { scrubValue } from '../journal/scrub-value.js';
import { servedFacts } from '../journal/usage.js';
import { responseIds } from '../match/client-ids.js';
import { type CanonicalRequest, canonicalRequest, hashIdentity, identityOf, KEY_HEADERS } from '../match/request-key.js';
import { runningTest } from '../naming.js';
import { decide, type RecordPolicy } from '../record-mode.js';
import type { Redactor } from '../redact/redact.js';
import { now } from '../stream/clock.js';
import { play } from '../stream/player.js';
import type { CassetteData, CassetteOptions, CassetteReport, StoredRequest, TimingMode } from '../types.js';
import { VERSION } from '../version.js';
import { ignoreTest } from './ignore-rule.js';
import { RecordingLog } from './recording-log.js';
import { type Recording, Recordings } from './recordings.js';
import { SessionRedactors } from './redactors.js';
import { liveView, requestView, storedRequest } from './request-view.js';
import { answerRefusal, bypassError, noMatchError, unfinishedError } from './session-errors.js';
import { startRecording } from './start-recording.js';

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
  /** Places of loaded recordings the session leaves out (expired, to be recorded again). */
  leftOut?: ReadonlySet<number> | undefined;
}

/**
 * One active cassette: answers requests while `fn` runs (as its record policy says), then says
 * what to save and what happened.
 * @note longer than this project's ~300 lines: the whole decision path of a request over the
 * per-session state it shares (counts, the recordings index, the log, the served list). What
 * stands alone lives beside it: recording (start-recording.ts), the capture's conversion
 * (interaction-from-capture.ts), redactors, the index, request views, errors, the mode table.
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
  private readonly leftOut: ReadonlySet<number>;
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
  private readonly redactors: SessionRedactors;
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
    this.redactors = new SessionRedactors(init.options.redact);
    const timeline = init.policy.loads && init.loaded ? init.loaded.interactions : [];
    this.leftOut = init.leftOut ?? new Set();
    this.recordings = new Recordings(timeline, init.options, this.leftOut);
    this.journal = new Journal(
      {
        policy: init.policy,
        timing: init.timing,
        ref: { name: init.name, file: init.file, mode: init.policy.mode },
        errors: this.errors,
        log: this.log,
        scrub: (value) => scrubValue(value, this.redactors.base),
        test: () => runningTest(),
      },
      new CallRecordings(timeline, init.options.allowPlaybackRepeats === true, this.leftOut),
    );
    this.knownIds = new Set(this.recordings.knownIds);
    this.ignoreTest = ignoreTest(init.options);
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
      this.passThrough(request, sink, upstreamBeyondCassettes(this.parent) ?? upstream);
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
    const redactor = this.redactors.for(request);
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
    const where = `${request.method} ${this.redactors.base.url(request.url)}`;
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
    const kept = this.recordings.timeline().filter((_, i) => !this.leftOut.has(i));
    return { version: CASSETTE_VERSION, recordedWith: `cassettes ${VERSION}`, interactions: [...kept, ...fresh] };
  }

  report(written: boolean): CassetteReport {
    const unused = this.policy.reportsUnused ? [...this.recordings.unused(), ...this.journal.unused()].sort((a, b) => a - b) : [];
    const served = servedFacts(
      this.served.map((r) => r.interaction.response),
      this.timing,
    );
    return {
      name: this.name,
      file: this.file,
      mode: this.policy.mode,
      ...this.counts,
      calls: { ...this.journal.counts },
      unused,
      expired: [],
      written,
      ...served,
    };
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
      { method: request.method, url: this.redactors.base.url(request.url) },
      key,
      recording?.interaction.response,
      durationMs,
    );
  }

  /**
   * Sends the request on and keeps what comes back. `looked`: the request's lookup, if the
   * decision needed it; otherwise it is made once the request is on its way.
   */
  private record(request: OutgoingRequest, sink: ResponseSink, upstream: Upstream, looked?: Lookup): void {
    if (looked) this.debug('record', request, looked.key);
    startRecording(
      {
        session: this,
        options: this.options,
        log: this.log,
        errors: this.errors,
        lookup: () => {
          const lookup = looked ?? this.lookup(request, true);
          if (!looked) this.debug('record', request, lookup.key);
          return lookup;
        },
        attempt: (key) => {
          const attempt = (this.attempts.get(key) ?? 0) + 1;
          this.attempts.set(key, attempt);
          return attempt;
        },
        recorded: (interaction, event) => {
          if (listening('request')) {
            const base = requestEvent(
              'recorded',
              this.ref,
              { method: request.method, url: this.redactors.base.url(request.url) },
              '-',
              interaction.response,
              0,
            );
            publish('request', { ...base, ...event });
          }
          if (this.options.normalizeClientIds !== false) for (const id of responseIds(interaction.response)) this.knownIds.add(id);
          this.counts.recorded++;
        },
        where: `${request.method} ${this.redactors.base.url(request.url)}`,
      },
      request,
      sink,
      upstream,
    );
  }

  private debug(what: string, request: OutgoingRequest, key: string): void {
    if (!this.debugging) return;
    const shortKey = key === '-' ? '-' : hashIdentity(key).slice(0, 12);
    process.stderr.write(`cassettes: ${what} ${request.method} ${this.redactors.base.url(request.url)} key=${shortKey} cassette=${this.file}\n`);
  }
}
