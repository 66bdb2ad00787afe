import type { CassetteError } from '../errors.js';
import type { OutgoingRequest, ResponseSink, Upstream } from '../intercept/types.js';
import type { RequestEvent } from '../journal/events.js';
import { hashIdentity } from '../match/request-key.js';
import { runningTest } from '../naming.js';
import type { Redactor } from '../redact/redact.js';
import { nextTurn, now } from '../stream/clock.js';
import { recordingSink } from '../stream/recorder.js';
import type { CassetteOptions, Interaction } from '../types.js';
import { DEFAULT_MAX_BODY_BYTES, interactionFromCapture } from './interaction-from-capture.js';
import type { RecordingLog } from './recording-log.js';
import { hookError, type SessionIdentity } from './session-errors.js';

/** What a recording needs from its session. */
export interface RecordingHost {
  session: SessionIdentity;
  options: CassetteOptions;
  log: RecordingLog;
  errors: CassetteError[];
  /** The request's key and redactor, once it is on its way. */
  lookup(): { key: string; redactor: Redactor };
  /** The attempt number of this key in the session (a retry is 2, 3, …). */
  attempt(key: string): number;
  /** A recording is in the log: count it, learn from it, tell the subscribers. */
  recorded(interaction: Interaction, event: Partial<RequestEvent>): void;
  /** `METHOD url`, secrets out. */
  where: string;
}

/**
 * Sends a request on while a copy of the response is kept: the app gets every chunk as it
 * arrives, and a turn after the response ends the capture becomes an interaction in its slot of
 * the session's log (in the order requests started).
 */
export function startRecording(host: RecordingHost, request: OutgoingRequest, sink: ResponseSink, upstream: Upstream): void {
  const slot = host.log.reserve();
  const test = runningTest();
  // @note its own signal: the app's abort still reaches the network, and a cassette that gives
  // up waiting can cut the recording without touching the app's signal
  const cut = new AbortController();
  const onAppAbort = (): void => cut.abort(request.signal.reason);
  if (request.signal.aborted) cut.abort(request.signal.reason);
  else request.signal.addEventListener('abort', onAppAbort, { once: true });
  const { sink: tee, done } = recordingSink(sink, {
    startedAt: now(),
    maxBodyBytes: host.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    signal: cut.signal,
  });
  upstream({ ...request, signal: cut.signal }, tee);
  const recordedAt = new Date().toISOString();
  // @note after a turn of the event loop: turning the capture into an interaction (SSE views,
  // scrubbing) would otherwise run between the last chunk's arrival and the app reading it
  const finished = done.then(async (capture) => {
    await nextTurn();
    request.signal.removeEventListener('abort', onAppAbort);
    const { redactor, key } = host.lookup();
    const attempt = host.attempt(key);
    const result = await interactionFromCapture({ session: host.session, options: host.options, request, capture, key, recordedAt, redactor, test, attempt });
    if ('error' in result) return void host.errors.push(result.error);
    host.log.fill(slot, result.interaction);
    host.recorded(result.interaction, {
      key: hashIdentity(key).slice(0, 12),
      status: capture.status,
      bytes: capture.bytes,
      chunks: capture.chunks.length,
      durationMs: capture.end?.atMs ?? 0,
    });
  });
  host.log.track({
    where: host.where,
    finished: finished.catch((error: unknown) => void host.errors.push(hookError(host.session, 'recording', host.where, error))),
    abandon: (reason) => cut.abort(reason),
  });
}
