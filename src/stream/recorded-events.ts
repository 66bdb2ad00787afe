import { tryParseJson } from '../match/body.js';
import type { StoredChunk, StoredResponse } from '../types.js';
import { chunkBytes as renderChunk } from './stored-chunk.js';

/** One event of a recorded stream, as a reader of the stream would see it. */
export interface RecordedEvent {
  /** The SSE `event:` name; undefined for unnamed events and JSON-array elements. */
  event?: string | undefined;
  /** `data:` parsed as JSON where it is JSON (padded JSON too), else its text. */
  data: unknown;
  /** Whether `data` was JSON. */
  json: boolean;
  /** Arrival time of the chunk that completed the event. */
  atMs: number;
}

/** The recorded stream's bytes, decoded as UTF-8 (what a reader of the body gets as text). */
export function streamText(chunks: readonly StoredChunk[]): string {
  return Buffer.concat(chunks.map((chunk) => renderChunk(chunk))).toString('utf8');
}

/**
 * The events of a recorded stream, for tools that read a cassette: SSE events (from the stored
 * event views, or parsed from the raw chunks where a chunk split an event), or the elements of a
 * streamed JSON array (Gemini without `alt=sse`). Undefined when the response is not a stream or
 * its body is neither. An event left unfinished by a cut stream is not an event (the SSE rule).
 */
export function recordedEvents(response: StoredResponse): RecordedEvent[] | undefined {
  const chunks = response.chunks;
  if (!chunks) return undefined;
  if (chunks.every((chunk) => chunk.events !== undefined)) {
    return chunks.flatMap((chunk) =>
      chunk.events!.map((view) => {
        const json = view.data !== undefined;
        const data = json ? view.data : (view.dataText ?? '');
        const padded = json ? undefined : tryParseJson(String(data));
        return { event: view.event, data: padded ? padded.value : data, json: json || padded !== undefined, atMs: chunk.atMs };
      }),
    );
  }
  const text = streamText(chunks);
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) return jsonArrayEvents(trimmed, chunks.at(-1)?.atMs ?? 0);
  const type = response.headers['content-type'];
  if (!String(type ?? '').includes('event-stream')) return undefined;
  return sseEvents(text, chunkEnds(chunks));
}

/** Where each chunk ends in the stream's text, with its arrival time. */
function chunkEnds(chunks: readonly StoredChunk[]): { end: number; atMs: number }[] {
  let end = 0;
  return chunks.map((chunk) => ({ end: (end += renderChunk(chunk).toString('utf8').length), atMs: chunk.atMs }));
}

const FIELD = /^([^:]*)(?::\s?(.*))?$/;

/** A lenient SSE reader (any field order, `data:` with or without its space, CRLF or LF). */
function sseEvents(text: string, ends: { end: number; atMs: number }[]): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  const blank = /\r?\n\r?\n/g;
  let from = 0;
  for (let match = blank.exec(text); match !== null; match = blank.exec(text)) {
    const block = text.slice(from, match.index);
    const blockEnd = match.index + match[0].length;
    from = blockEnd;
    let name: string | undefined;
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line === '' || line.startsWith(':')) continue;
      const [, field, value = ''] = FIELD.exec(line)!;
      if (field === 'event') name = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length === 0) continue;
    const joined = data.join('\n');
    const parsed = tryParseJson(joined);
    const atMs = ends.find((chunk) => chunk.end >= blockEnd)?.atMs ?? ends.at(-1)?.atMs ?? 0;
    events.push({ event: name, data: parsed ? parsed.value : joined, json: parsed !== undefined, atMs });
  }
  return events;
}

function jsonArrayEvents(text: string, atMs: number): RecordedEvent[] | undefined {
  const parsed = tryParseJson(text);
  if (!parsed || !Array.isArray(parsed.value)) return undefined;
  return parsed.value.map((data: unknown) => ({ data, json: true, atMs }));
}
