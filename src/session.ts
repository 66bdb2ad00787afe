import { CassetteError, NoMatchError } from './errors.js';
import type { InterceptScope, OutgoingRequest, ResponseSink, Upstream } from './intercept/types.js';
import { bodyForMatching, exactText, toStoredBody, tryParseJson } from './match/body.js';
import { diffCanonical, similarity } from './match/diff.js';
import { type CanonicalRequest, canonicalRequest, hashIdentity, identityOf, KEY_HEADERS, type KeyInput } from './match/request-key.js';
import { createRedactor, type Redactor, secretsOfRequest } from './redact/redact.js';
import { now } from './stream/clock.js';
import { play, prepare } from './stream/player.js';
import { type Capture, recordingSink } from './stream/recorder.js';
import { sseView } from './stream/sse.js';
import type {
  CassetteData,
  CassetteOptions,
  CassetteReport,
  Interaction,
  RecordMode,
  StoredChunk,
  StoredRequest,
  StoredResponse,
  TimingMode,
} from './types.js';
import { VERSION } from './version.js';

const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

export type Decision = 'replay' | 'record' | 'refuse' | 'passthrough';

/**
 * The one place that decides what happens to a request.
 * `cassetteExisted`: the file was there when the cassette started.
 */
export function decide(mode: RecordMode, cassetteExisted: boolean, matched: boolean): Decision {
  switch (mode) {
    case 'passthrough':
      return 'passthrough';
    case 'all':
      return 'record';
    case 'new':
      return matched ? 'replay' : 'record';
    case 'once':
      if (!cassetteExisted) return 'record';
      return matched ? 'replay' : 'refuse';
    case 'none':
      return matched ? 'replay' : 'refuse';
  }
}

interface Entry {
  interaction: Interaction;
  canonical: CanonicalRequest;
  /** The request's exact identity (identityOf): the index key. */
  key: string;
  uses: number;
}

/** What a request is, as matching sees it, and which recording it matches. */
interface Lookup {
  redactor: Redactor;
  /** The request as it will be stored: built on first call. */
  stored: () => StoredRequest;
  canonical: CanonicalRequest;
  key: string;
  entry: Entry | undefined;
}

export interface SessionInit {
  name: string;
  file: string;
  mode: RecordMode;
  timing: TimingMode;
  options: CassetteOptions;
  parent: InterceptScope | undefined;
  loaded: CassetteData | undefined;
}

/** One active cassette: answers requests while `fn` runs, then says what to write. */
export class CassetteSession implements InterceptScope {
  readonly parent: InterceptScope | undefined;
  readonly name: string;
  readonly file: string;
  readonly mode: RecordMode;
  private readonly timing: TimingMode;
  private readonly options: CassetteOptions;
  private readonly existed: boolean;
  private readonly entries: Entry[] = [];
  private readonly byKey = new Map<string, Entry[]>();
  /** Interactions recorded this run, in the order their requests started. */
  private readonly recorded: (Interaction | undefined)[] = [];
  private readonly pending = new Set<Promise<unknown>>();
  private readonly ignoredHosts: Set<string>;
  readonly errors: CassetteError[] = [];
  private counts = { replayed: 0, recorded: 0, refused: 0, passedThrough: 0 };
  private readonly baseRedactor: Redactor;
  /** One redactor per set of keys a request carries: built once, not per request. */
  private readonly redactors = new Map<string, Redactor>();
  /** The request headers that key a request, lower-cased. */
  private readonly keyHeaders: string[];
  private readonly debugging: boolean;

  constructor(init: SessionInit) {
    this.parent = init.parent;
    this.name = init.name;
    this.file = init.file;
    this.mode = init.mode;
    this.timing = init.timing;
    this.options = init.options;
    this.existed = init.loaded !== undefined;
    this.ignoredHosts = new Set((init.options.ignoreHosts ?? []).map((h) => h.toLowerCase()));
    this.baseRedactor = createRedactor(init.options.redact);
    this.keyHeaders = [...KEY_HEADERS, ...(init.options.keyHeaders ?? []).map((h) => h.toLowerCase())];
    const debug = process.env['LLM_CASSETTE_DEBUG'];
    this.debugging = debug !== undefined && debug !== '' && debug !== '0';
    // @note `all` starts from nothing: the file ends up holding exactly this run's interactions.
    if (init.loaded && init.mode !== 'all') {
      for (const interaction of init.loaded.interactions) {
        const canonical = canonicalRequest(matchView(interaction.request), this.options);
        const entry: Entry = { interaction, canonical, key: identityOf(canonical), uses: 0 };
        prepare(interaction);
        this.entries.push(entry);
        const list = this.byKey.get(entry.key);
        if (list) list.push(entry);
        else this.byKey.set(entry.key, [entry]);
      }
    }
  }

  ignores(url: URL): boolean {
    if (this.ignoredHosts.size === 0) return false;
    return this.ignoredHosts.has(url.host.toLowerCase()) || this.ignoredHosts.has(url.hostname.toLowerCase());
  }

  bypassed(description: string): void {
    this.errors.push(
      new CassetteError(
        'LLM_CASSETTE_BYPASS',
        `cassettes: a request escaped interception while cassette "${this.name}" was active: ${description}\n` +
          `  cassette: ${this.file} (mode: ${this.mode})\n` +
          `  fix:      do not pass a custom undici dispatcher/agent to the client, or list its host in ignoreHosts`,
        { file: this.file },
      ),
    );
  }

  async handle(request: OutgoingRequest, sink: ResponseSink, upstream: Upstream): Promise<void> {
    if (this.mode === 'passthrough') {
      this.counts.passedThrough++;
      this.debug('passthrough', request, '-');
      upstream(request, sink);
      return;
    }
    if (decide(this.mode, this.existed, false) === 'record' && decide(this.mode, this.existed, true) === 'record') {
      // recorded whether it matches or not (all; once on a new cassette): the request goes out
      // first, the lookup follows
      this.record(request, sink, upstream);
      return;
    }
    const looked = this.lookup(request);
    const { redactor, canonical, key, entry } = looked;
    const decision = decide(this.mode, this.existed, entry !== undefined);
    if (decision !== 'record') this.debug(decision, request, key);
    switch (decision) {
      case 'replay':
        this.replay(entry!, request, sink);
        return;
      case 'record':
        this.record(request, sink, upstream, looked);
        return;
      case 'refuse':
        this.counts.refused++;
        this.refuse(request, canonical, redactor, sink);
        return;
      case 'passthrough':
        this.counts.passedThrough++;
        upstream(request, sink);
        return;
    }
  }

  replayOnly(request: OutgoingRequest, sink: ResponseSink): boolean {
    if (this.mode === 'passthrough' || this.mode === 'all') return false;
    const { key, entry } = this.lookup(request, { peek: true });
    if (!entry || decide(this.mode, this.existed, true) !== 'replay') return false;
    entry.uses++;
    this.debug('replay', request, key);
    this.replay(entry, request, sink);
    return true;
  }

  private lookup(request: OutgoingRequest, options: { peek?: boolean } = {}): Lookup {
    const redactor = this.redactorFor(request);
    let stored: StoredRequest | undefined;
    const storedOnce = (): StoredRequest => (stored ??= storedRequest(request, redactor));
    const canonical = canonicalRequest(this.liveView(request, redactor) ?? matchView(storedOnce()), this.options);
    const key = identityOf(canonical);
    const entry = this.mode === 'all' ? undefined : this.take(key, storedOnce, options.peek === true);
    return { redactor, stored: storedOnce, canonical, key, entry };
  }

  /**
   * The match view of a live request without building its stored form, when redaction cannot
   * change anything that keys it (the common case: the secret is only in the auth header).
   * @note the replay hot path: undefined sends the request the long, always-right way.
   */
  private liveView(request: OutgoingRequest, redactor: Redactor): KeyInput | undefined {
    const text = request.body.length === 0 ? '' : exactText(request.body);
    if (text === undefined) return undefined;
    let keyed = '';
    for (const name of this.keyHeaders) keyed += `\n${request.headers[name] ?? ''}`;
    if (redactor.mayChange(`${text}${keyed}`)) return undefined;
    return {
      method: request.method,
      url: redactor.url(request.url),
      headers: request.headers,
      body: text === '' ? undefined : (tryParseJson(text)?.value ?? bodyForMatching(request.body, request.headers['content-type'])),
    };
  }

  private replay(entry: Entry, request: OutgoingRequest, sink: ResponseSink): void {
    this.counts.replayed++;
    // @note not tracked by settle(): a replay needs nothing saved, and an app that never reads a
    // large body would otherwise keep withCassette waiting on backpressure forever.
    try {
      const last = !this.options.allowPlaybackRepeats;
      play(entry.interaction, sink, request.signal, this.timing, last)?.catch((error: unknown) => sink.error(error as Error));
    } catch (error) {
      sink.error(error as Error);
    }
  }

  /** Resolves once every recording in flight has its full response. */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** The data to write, or undefined when nothing was recorded. */
  result(): CassetteData | undefined {
    const fresh = this.recorded.filter((i): i is Interaction => i !== undefined);
    if (this.counts.recorded === 0 && !(this.mode === 'all' && this.existed)) return undefined;
    const kept = this.mode === 'all' ? [] : this.entries.map((e) => e.interaction);
    return { version: 1, recordedWith: `cassettes ${VERSION}`, interactions: [...kept, ...fresh] };
  }

  report(written: boolean): CassetteReport {
    const unused = this.mode === 'all' ? [] : this.entries.flatMap((e, i) => (e.uses === 0 ? [i] : []));
    return { name: this.name, file: this.file, mode: this.mode, ...this.counts, unused, written };
  }

  private redactorFor(request: OutgoingRequest): Redactor {
    const own = secretsOfRequest(request.url, request.headers);
    if (own.length === 0) return this.baseRedactor;
    const memo = own.join('\0');
    let redactor = this.redactors.get(memo);
    if (!redactor) this.redactors.set(memo, (redactor = createRedactor(this.options.redact, own)));
    return redactor;
  }

  /** The next unused recorded interaction with this key, in recorded order. */
  private take(key: string, stored: () => StoredRequest, peek: boolean): Entry | undefined {
    const group = this.byKey.get(key);
    if (!group) return undefined;
    const match = this.options.match;
    const candidates = match ? group.filter((e) => match(matchView(stored()), matchView(e.interaction.request))) : group;
    let chosen: Entry | undefined;
    for (const e of candidates) {
      if (e.uses === 0) {
        chosen = e;
        break;
      }
    }
    if (!chosen && this.options.allowPlaybackRepeats) chosen = candidates[candidates.length - 1];
    if (chosen && !peek) chosen.uses++;
    return chosen;
  }

  /**
   * Sends the request on and keeps what comes back. `looked`: the request's lookup, if the
   * decision needed it; otherwise it is made once the request is on its way, so recording adds
   * as little as possible before the first byte.
   */
  private record(request: OutgoingRequest, sink: ResponseSink, upstream: Upstream, looked?: Lookup): void {
    const slot = this.recorded.length;
    this.recorded.push(undefined);
    const startedAt = now();
    const { sink: tee, done } = recordingSink(sink, {
      startedAt,
      maxBodyBytes: this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      signal: request.signal,
    });
    upstream(request, tee);
    const recordedAt = new Date().toISOString();
    if (looked) this.debug('record', request, looked.key);
    // @note after a turn of the event loop: turning the capture into an interaction (SSE views,
    // scrubbing) would otherwise run between the last chunk's arrival and the app reading it
    const finished = done.then(nextMacrotask).then((capture) => {
      const { redactor, stored: storedOnce, key } = looked ?? this.lookup(request);
      if (!looked) this.debug('record', request, key);
      const stored = storedOnce();
      const problem = this.problemWith(capture, request, redactor);
      if (problem) {
        this.errors.push(problem);
        return;
      }
      let interaction = redactor.interaction(toInteraction(stored, hashIdentity(key), recordedAt, capture));
      if (this.options.beforeRecord) {
        interaction = this.options.beforeRecord(interaction) ?? interaction;
        // the hook may have put a secret back: scrub once more
        interaction = redactor.interaction(interaction);
      }
      this.recorded[slot] = interaction;
      this.counts.recorded++;
    });
    void this.track(finished);
  }

  private problemWith(capture: Capture, request: OutgoingRequest, redactor: Redactor): CassetteError | undefined {
    const where = `${request.method} ${redactor.url(request.url)}`;
    if (capture.tooLarge) {
      return new CassetteError(
        'LLM_CASSETTE_TOO_LARGE',
        `cassettes: the response to ${where} exceeded maxBodyBytes (${this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES} bytes) and was not recorded\n` +
          `  cassette: ${this.file} (mode: ${this.mode})\n` +
          `  fix:      raise the maxBodyBytes option for this cassette`,
        { file: this.file },
      );
    }
    if ((capture.status === 401 || capture.status === 403) && !this.options.recordAuthFailures) {
      return new CassetteError(
        'LLM_CASSETTE_AUTH',
        `cassettes: ${where} answered ${capture.status} while recording — almost always a missing or wrong API key; not saved\n` +
          `  cassette: ${this.file} (mode: ${this.mode})\n` +
          `  fix:      set the provider's API key (OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY) and record again, ` +
          `or pass recordAuthFailures: true to keep the ${capture.status}`,
        { file: this.file },
      );
    }
    return undefined;
  }

  private refuse(request: OutgoingRequest, canonical: CanonicalRequest, redactor: Redactor, sink: ResponseSink): void {
    const url = redactor.url(request.url);
    let closest: { entry: Entry; index: number; score: number } | undefined;
    this.entries.forEach((entry, index) => {
      const score = similarity(entry.canonical, canonical);
      if (!closest || score > closest.score) closest = { entry, index, score };
    });
    const lines = [`cassettes: no recorded interaction matches ${request.method} ${url}`, `  cassette: ${this.file} (mode: ${this.mode})`];
    if (!closest) {
      lines.push(`  closest:  (the cassette has no interactions)`);
    } else {
      const diff = diffCanonical(closest.entry.canonical, canonical).map((line) => redactor.scrub(line));
      const same = closest.entry.canonical.path === canonical.path ? 'same URL' : `URL ${closest.entry.interaction.request.url}`;
      if (diff.length === 0) {
        lines.push(`  closest:  interaction #${closest.index} (${same}) is identical but was already used ${closest.entry.uses} time(s)`);
        lines.push(`            (the request was made more often than it was recorded; allowPlaybackRepeats: true replays the last one again)`);
      } else {
        lines.push(`  closest:  interaction #${closest.index} (${same}), differs:`);
        for (const line of diff) lines.push(`              ${line}`);
      }
    }
    lines.push(`  fix:      re-record with --record=new, or LLM_CASSETTE_RECORD=new`);
    const message = lines.join('\n');
    this.errors.push(new NoMatchError(message, { file: this.file, method: request.method, url }));
    // @note 400 + x-should-retry: false: the SDKs then make one attempt and surface our message
    // (a network error would be retried twice and buried in `cause`).
    const body = Buffer.from(JSON.stringify({ type: 'error', error: { type: 'llm_cassette_no_match', code: 400, status: 'LLM_CASSETTE_NO_MATCH', message } }));
    sink.head(400, 'Bad Request', [
      ['content-type', 'application/json'],
      ['x-should-retry', 'false'],
      ['content-length', String(body.length)],
    ]);
    void Promise.resolve(sink.data(body)).then(() => sink.end());
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise)).catch(() => undefined);
    return promise;
  }

  private debug(what: string, request: OutgoingRequest, key: string): void {
    if (!this.debugging) return;
    process.stderr.write(
      `cassettes: ${what} ${request.method} ${this.baseRedactor.url(request.url)} key=${hashIdentity(key).slice(0, 12)} cassette=${this.file}\n`,
    );
  }
}

function nextMacrotask<T>(value: T): Promise<T> {
  return new Promise((resolve) => setImmediate(() => resolve(value)));
}

/** The request as it will be stored (secrets out); matching keys on exactly this. */
function storedRequest(request: OutgoingRequest, redactor: Redactor): StoredRequest {
  const raw: Interaction = {
    recordedAt: '',
    request: { method: request.method, url: request.url, headers: request.headers, body: toStoredBody(request.body) },
  };
  return redactor.interaction(raw).request;
}

export function matchView(request: StoredRequest): { method: string; url: string; headers: Record<string, string>; body: unknown } {
  const body = request.body;
  let value: unknown;
  if (body === undefined) value = undefined;
  else if ('json' in body) value = body.json;
  else value = bodyForMatching('text' in body ? Buffer.from(body.text) : Buffer.from(body.base64, 'base64'), request.headers['content-type']);
  return { method: request.method, url: request.url, headers: request.headers, body: value };
}

const STREAM_TYPES = ['text/event-stream', 'application/x-ndjson', 'application/jsonl'];

function toInteraction(request: StoredRequest, key: string, recordedAt: string, capture: Capture): Interaction {
  const interaction: Interaction = { key, recordedAt, request };
  if (capture.requestError) {
    interaction.error = capture.requestError;
    return interaction;
  }
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of capture.headers ?? []) {
    const lower = name.toLowerCase();
    if (lower === 'content-encoding' || lower === 'content-length' || lower === 'transfer-encoding') continue;
    const existing = headers[lower];
    headers[lower] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  const contentType = String(headers['content-type'] ?? '').toLowerCase();
  const streamed =
    STREAM_TYPES.some((t) => contentType.includes(t)) ||
    request.url.includes(':streamGenerateContent') ||
    (request.body !== undefined && 'json' in request.body && (request.body.json as { stream?: unknown } | null)?.stream === true && capture.chunks.length > 1);
  const response: StoredResponse = {
    status: capture.status ?? 0,
    statusText: capture.statusText ?? '',
    headers,
    contentEncoding: capture.contentEncoding,
    headersAtMs: capture.headersAtMs ?? 0,
  };
  if (streamed) {
    const sse = contentType.includes('text/event-stream');
    response.chunks = capture.chunks.map((chunk) => storedChunk(chunk, sse));
  } else {
    response.body = toStoredBody(Buffer.concat(capture.chunks.map((c) => c.data)));
  }
  if (streamed || capture.end?.state !== 'completed') {
    const end = capture.end ?? { state: 'completed' as const, atMs: 0 };
    response.end = end.state === 'aborted' ? { state: 'aborted', atMs: end.atMs, bytes: capture.bytes } : end;
  }
  interaction.response = response;
  return interaction;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function storedChunk(chunk: { atMs: number; data: Buffer }, sse: boolean): StoredChunk {
  try {
    const text = utf8.decode(chunk.data);
    if (Buffer.byteLength(text) === chunk.data.length) {
      const view = sse ? sseView(text) : undefined;
      if (view) return view.eol === 'crlf' ? { atMs: chunk.atMs, eol: 'crlf', events: view.events } : { atMs: chunk.atMs, events: view.events };
      return { atMs: chunk.atMs, text };
    }
  } catch {
    // a chunk that splits a UTF-8 character: keep it byte-exact
  }
  return { atMs: chunk.atMs, base64: chunk.data.toString('base64') };
}
