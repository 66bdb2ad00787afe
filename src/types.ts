import type { SseEventView } from './stream/sse.js';

export const RECORD_MODES = ['none', 'once', 'new', 'all', 'passthrough', 'warn', 'hybrid'] as const;
/**
 * - `none`: replay only; a miss is refused.
 * - `once`: record what is missing during the run that creates the cassette, then like `none`.
 * - `new`: replay what matches, record (append) what does not.
 * - `all`: re-record everything; the file ends up with exactly this run's interactions.
 * - `passthrough`: neither record nor replay.
 * - `warn`: replay; a miss is logged with its diff and answered from the closest recording of the
 *   same method and URL (prompt drift while debugging); nothing is written, nothing goes out.
 * - `hybrid`: replay what matches, send misses to the network, write nothing. Refused under CI
 *   unless LLM_CASSETTE_ALLOW_LIVE=1.
 */
export type RecordMode = (typeof RECORD_MODES)[number];

/** `instant` keeps chunk boundaries but waits for nothing; `{ speed: n }` divides recorded delays by n. */
export type TimingMode = 'instant' | 'recorded' | { speed: number };

/** A body as stored: parsed JSON only where it re-serialises to the exact bytes. */
export type StoredBody = { json: unknown; format?: 'pretty' | undefined } | { text: string } | { base64: string };

export interface StoredChunk {
  /** Milliseconds from the start of the request to this chunk's arrival. */
  atMs: number;
  /** Server-sent events, readable; present only where they render to the exact bytes. */
  events?: SseEventView[];
  /** Line ending of `events` (Gemini frames with CRLF). */
  eol?: 'crlf';
  text?: string;
  base64?: string;
}

export type StreamEnd =
  | { state: 'completed'; atMs: number }
  | { state: 'aborted'; atMs: number; bytes: number }
  | { state: 'failed'; atMs: number; error: StoredNetworkError };

export interface StoredNetworkError {
  name: string;
  code?: string | undefined;
  message: string;
}

export interface StoredRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: StoredBody | undefined;
}

export interface StoredResponse {
  status: number;
  statusText: string;
  headers: Record<string, string | string[]>;
  /** The content-encoding the live exchange used; the stored body is always decoded. */
  contentEncoding?: string | undefined;
  headersAtMs: number;
  body?: StoredBody | undefined;
  /** Present for streamed responses (event streams, chunked JSON). */
  chunks?: StoredChunk[] | undefined;
  end?: StreamEnd | undefined;
}

/** The test that recorded an entry: its file (relative to the working directory) and full name. */
export interface RecordedBy {
  file: string;
  name: string;
}

/** An HTTP exchange. */
export interface Interaction {
  /** Informational: the key is always recomputed from `request` on load. */
  key?: string | undefined;
  recordedAt: string;
  /** The test that recorded it, where a runner integration knew. */
  test?: RecordedBy | undefined;
  /** The app sent this same request before in the same cassette (a retry): this is attempt n (2, 3, …). */
  attempt?: number | undefined;
  request: StoredRequest;
  response?: StoredResponse | undefined;
  /** A request that failed before any response (refused, reset, timed out). */
  error?: (StoredNetworkError & { atMs: number }) | undefined;
}

/** A thrown error as a call recorded it: enough to throw an equivalent one on replay. */
export interface StoredCallError {
  name: string;
  message: string;
  code?: string | number | undefined;
  /** The error's other own JSON-able properties (`status`, `details`, …). */
  data?: Record<string, unknown> | undefined;
}

/** A non-HTTP call (a tool, a database, the clock) recorded with `cassette.call` / `recordCall`. */
export interface CallRecord {
  /** Informational, as for HTTP. */
  key?: string | undefined;
  recordedAt: string;
  test?: RecordedBy | undefined;
  call: {
    name: string;
    input: unknown;
    /** The result (absent when it threw, or returned undefined). */
    output?: unknown;
    error?: StoredCallError | undefined;
    durationMs: number;
  };
}

/** A checkpoint in the timeline (`cassette.note`): replay ignores it. */
export interface NoteRecord {
  recordedAt: string;
  test?: RecordedBy | undefined;
  note: { label: string; data?: unknown };
}

/** One entry of a cassette's timeline, in the order things happened. */
export type TimelineEntry = Interaction | CallRecord | NoteRecord;

export interface CassetteData {
  /** 2 since calls, notes and test attribution; version 1 files (HTTP only) still load. */
  version: 1 | 2;
  recordedWith: string;
  /** The timeline: HTTP exchanges, calls and notes. */
  interactions: TimelineEntry[];
}

export interface RedactOptions {
  /** Extra request/response header names to scrub (case-insensitive). */
  headers?: string[];
  /** Extra query parameter names to scrub. */
  queryParams?: string[];
  /** JSON body paths to scrub (`metadata.user_id`, `messages[*].name`): the syntax of ignoreBodyFields. */
  bodyPaths?: string[];
  /** Patterns replaced anywhere in the stored interaction. */
  patterns?: RegExp[];
  /** Literal secret values replaced anywhere (8+ characters). */
  values?: string[];
}

/** A request as matching sees it: the one shape that keys it, and that the `match` hook receives. */
export interface MatchRequestView {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** Parsed JSON, text, or `{ $base64 }` for bytes; multipart boundaries normalised. */
  body: unknown;
}

export interface MatchOptions {
  /**
   * JSON body paths left out of the key: `metadata.request_id`, `contents[*].parts[*].functionCall.id`
   * (`[n]` one item, `[*]` every item, `*` every key).
   */
  ignoreBodyFields?: string[];
  /** Rewrite a request before it is keyed (applied to live and recorded requests alike). */
  normalize?: (request: MatchRequestView) => MatchRequestView;
  /**
   * Replace ids the client made up itself (id fields whose value no earlier response held) by
   * stable placeholders before keying, so a follow-up request with run-to-run random ids still
   * matches. Default true.
   */
  normalizeClientIds?: boolean;
  /** Request headers that do key a request, beside the built-in allowlist. */
  keyHeaders?: string[];
  /** Map an origin before matching: `true` ignores origins entirely (local servers on random ports). */
  normalizeOrigin?: boolean | ((origin: string) => string);
  /** Last word on a candidate: return false to reject a key-equal interaction. */
  match?: (live: MatchRequestView, recorded: MatchRequestView) => boolean;
}

export type IgnoreRule = string | RegExp | ((url: URL) => boolean);

export interface CassetteOptions extends MatchOptions {
  mode?: RecordMode;
  /** Folder of cassette files; default `__cassettes__` under the working directory. */
  dir?: string;
  timing?: TimingMode;
  redact?: RedactOptions;
  /**
   * Requests left out of the cassette (they go on to the network untouched): hosts
   * (`localhost:5432`), URL or path prefixes (`https://api.example.com/v1/embeddings`, `/health`),
   * RegExps tested on the URL, or predicates.
   */
  ignore?: IgnoreRule[];
  /** Hosts left out of the cassette; the same as hosts in `ignore`. */
  ignoreHosts?: string[];
  /** Fail requests made outside any cassette instead of letting them through. */
  blockNetwork?: boolean;
  /** Replay an interaction more often than it was recorded (the last one repeats). */
  allowPlaybackRepeats?: boolean;
  /** Turn recorded interactions that this run never used into an error. */
  failOnUnused?: boolean;
  /** Keep 401/403 responses when recording (normally a missing key: the test fails instead). */
  recordAuthFailures?: boolean;
  /** Size cap for one response body while recording; default 64 MiB. */
  maxBodyBytes?: number;
  /**
   * How long the cassette waits, after its function returned, for responses still being recorded
   * (a stream the app stopped reading); then they are cut and LLM_CASSETTE_UNFINISHED is raised.
   * Default 30 000.
   */
  maxRecordingWaitMs?: number;
  /** Edit an interaction before it is written; return it (or a new one). */
  // biome-ignore lint/suspicious/noConfusingVoidType: a hook that edits in place returns nothing
  beforeRecord?: (interaction: Interaction) => Interaction | void;
  /** Called with the summary once the cassette is done. */
  onReport?: (report: CassetteReport) => void;
}

/**
 * What `configure()` and the runner plugins take: every cassette option as a default, and the
 * settings of the process itself.
 */
export interface ConfigureOptions extends CassetteOptions {
  /**
   * Hosts refused outside any cassette in a replay-only run (mode `none`, the CI default); `*`
   * stands for any run of host characters. Default: `PROVIDER_HOSTS`, the known LLM provider
   * hosts. `[]` refuses none.
   */
  providerHosts?: string[];
}

export interface CassetteReport {
  name: string;
  file: string;
  mode: RecordMode;
  replayed: number;
  recorded: number;
  refused: number;
  passedThrough: number;
  /** Misses answered from the closest recording (mode `warn`). */
  warned: number;
  /** Non-HTTP calls (cassette.call / recordCall), by outcome. */
  calls: { replayed: number; recorded: number; refused: number; warned: number };
  /** Indices of recorded interactions this run never used. */
  unused: number[];
  written: boolean;
  /** Response bytes served from the cassette. */
  bytesReplayed: number;
  /** Tokens the replayed responses' usage fields report: what this run did not pay for. */
  tokensReplayed: { inputTokens: number; outputTokens: number };
  /** How much sooner the replays finished than the recorded exchanges did (all of it at instant timing). */
  timeSavedMs: number;
}
