import type { ResponseSink } from '../intercept/types.js';
import { storedBodyBytes } from '../match/body.js';
import type { Interaction, StoredChunk, StoredNetworkError, StoredResponse, TimingMode } from '../types.js';
import { nextTurn, now, sleep } from './clock.js';
import { chunkText, chunkBytes as renderChunk } from './stored-chunk.js';

/** Headers that described the wire encoding: the stored body is already decoded. */
const WIRE_HEADERS = new Set(['content-encoding', 'content-length', 'transfer-encoding']);

/** A loaded stream's wire bytes: every chunk back to back, where each one ends, and a view of each. */
interface PreparedStream {
  /** In an ArrayBuffer of its own (never Node's shared pool): the views below may be handed out. */
  bytes: Uint8Array;
  ends: Uint32Array;
  /** One view of `bytes` per chunk, made at load. */
  views: Uint8Array[];
}
const prepared = new WeakMap<StoredChunk[], PreparedStream>();

/**
 * Renders a loaded stream to its wire bytes once, as part of loading the cassette. Rendering
 * an event view costs a JSON.stringify (~0.3 µs) and encoding a chunk ~0.1 µs, several times
 * what handing a chunk to its reader costs: done on every replay, they made an instant replay
 * of a long stream 8× a bare stream of the same bytes.
 */
export function prepare(interaction: Interaction): void {
  const chunks = interaction.response?.chunks;
  if (!chunks || prepared.has(chunks)) return;
  const texts = chunks.map(chunkText);
  const ends = new Uint32Array(chunks.length);
  let end = 0;
  if (!texts.includes(undefined)) {
    // all text, and ASCII (the usual SSE): one encode, and each chunk's bytes are its characters
    const joined = texts.join('');
    const bytes = Buffer.from(joined);
    if (bytes.length === joined.length) {
      for (let i = 0; i < texts.length; i++) ends[i] = end += texts[i]!.length;
      const own = new Uint8Array(bytes);
      prepared.set(chunks, { bytes: own, ends, views: viewsOf(own, ends) });
      return;
    }
  }
  const parts = chunks.map((chunk, i) => renderChunk(chunk, texts[i]));
  for (let i = 0; i < parts.length; i++) ends[i] = end += parts[i]!.length;
  const own = new Uint8Array(Buffer.concat(parts, end));
  prepared.set(chunks, { bytes: own, ends, views: viewsOf(own, ends) });
}

/** One plain Uint8Array per chunk over `copy`. */
function viewsOf(copy: Uint8Array, ends: Uint32Array): Uint8Array[] {
  const out = new Array<Uint8Array>(ends.length);
  let start = 0;
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i]!;
    out[i] = new Uint8Array(copy.buffer, copy.byteOffset + start, end - start);
    start = end;
  }
  return out;
}

/** A fresh copy of one chunk's bytes (the reader owns what it is given). */
function chunkBytes(chunks: StoredChunk[], i: number, stream: PreparedStream | undefined): Buffer {
  if (!stream) return renderChunk(chunks[i]!);
  return Buffer.from(stream.bytes.subarray(i === 0 ? 0 : stream.ends[i - 1], stream.ends[i]));
}

/**
 * Every chunk's bytes at once, for an instant replay. `last`: this recording cannot be replayed
 * again in this session, so the views made at load are handed over as they are (the reader may
 * keep or change them); otherwise one copy of the whole stream, one view per chunk.
 */
function allChunkBytes(chunks: StoredChunk[], last: boolean): Uint8Array[] {
  const stream = prepared.get(chunks);
  if (!stream) return chunks.map((chunk) => new Uint8Array(renderChunk(chunk)));
  if (last) {
    // the reader owns them now: a replay this session was not supposed to make renders afresh
    prepared.delete(chunks);
    return stream.views;
  }
  return viewsOf(new Uint8Array(stream.bytes), stream.ends);
}

/**
 * Serves a recorded interaction: one sink.data per recorded chunk, each in its own turn of the
 * event loop so the consumer reads it before the next arrives (boundaries survive even at
 * `instant`), and at the recorded offsets for `recorded` / `{ speed }`.
 */
export function play(
  interaction: Interaction,
  sink: ResponseSink,
  signal: AbortSignal,
  timing: TimingMode,
  /** This is the recording's last replay in the session (no allowPlaybackRepeats). */
  last = false,
): Promise<void> | undefined {
  const recorded = interaction.response;
  if (timing === 'instant' && sink.whole && recorded && (recorded.end === undefined || recorded.end.state === 'completed')) {
    // @note instant and complete: a web stream keeps every enqueued chunk a read of its own, so
    // there is nothing to wait for, and nothing to schedule. (A recorded failure still takes the
    // paced path: an error would discard chunks still queued.)
    const body = recorded.chunks ? allChunkBytes(recorded.chunks, last) : bodyBytes(recorded.body);
    sink.whole(recorded.status, recorded.statusText ?? '', headersOf(recorded), body);
    return undefined;
  }
  return playPaced(interaction, sink, signal, timing);
}

async function playPaced(interaction: Interaction, sink: ResponseSink, signal: AbortSignal, timing: TimingMode): Promise<void> {
  const speed = timing === 'instant' ? 0 : timing === 'recorded' ? 1 : timing.speed;
  const startedAt = now();
  // @note every step gets a turn of its own, even when its time has already come: fetch's
  // Readable joins chunks pushed in one turn, and an error pushed with the last chunk drops it.
  const waitUntil = async (atMs: number): Promise<void> => {
    if (speed > 0) await sleep(startedAt + atMs / speed - now(), signal);
    if (!sink.paced) await nextTurn();
  };

  if (interaction.error) {
    await waitUntil(interaction.error.atMs);
    if (!signal.aborted) sink.error(networkError(interaction.error));
    return;
  }
  const response = interaction.response!;
  await waitUntil(response.headersAtMs ?? 0);
  if (signal.aborted) return;
  sink.head(response.status, response.statusText ?? '', headersOf(response));

  if (response.chunks) {
    const stream = prepared.get(response.chunks);
    for (let i = 0; i < response.chunks.length; i++) {
      await waitUntil(response.chunks[i]!.atMs);
      if (signal.aborted) return;
      await sink.data(chunkBytes(response.chunks, i, stream));
      if (signal.aborted) return;
    }
  } else {
    const body = bodyBytes(response.body);
    if (body.length > 0) await sink.data(body);
  }
  const end = response.end;
  await waitUntil(end?.atMs ?? 0);
  if (signal.aborted) return;
  if (end && end.state !== 'completed') {
    sink.error(
      end.state === 'failed'
        ? networkError(end.error)
        : networkError({
            name: 'Error',
            code: 'LLM_CASSETTE_CUT',
            message:
              'cassettes: the recording of this stream was cut here because the client aborted it while recording; re-record with --record=all to keep the rest',
          }),
    );
    return;
  }
  sink.end();
}

/** The response's headers as served: the wire-encoding ones left out. */
function headersOf(response: StoredResponse): [string, string][] {
  const headers: [string, string][] = [];
  for (const name in response.headers) {
    if (WIRE_HEADERS.has(name)) continue;
    const value = response.headers[name]!;
    if (typeof value === 'string') headers.push([name, value]);
    else for (const v of value) headers.push([name, v]);
  }
  return headers;
}

/**
 * A fresh copy of the stored body's bytes (the reader owns what it is given). Not cached: each
 * recording is usually replayed once per load, and a cache cost more than it saved.
 */
function bodyBytes(body: StoredResponse['body']): Buffer {
  return body === undefined ? Buffer.alloc(0) : storedBodyBytes(body);
}

/** The recorded failure rebuilt with the same name, code and message as the live one. */
export function networkError(stored: StoredNetworkError): Error {
  const error = new Error(stored.message) as Error & { code?: string };
  error.name = stored.name;
  if (stored.code !== undefined) error.code = stored.code;
  return error;
}
