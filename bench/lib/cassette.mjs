// Reading the stored form of a streamed chunk back to its bytes, for the timing analysis.
// Mirrors the cassette format (src/types.ts StoredChunk, src/stream/sse.ts renderSse): raw
// `text` / `base64`, or an `events` view that renders to the exact bytes. The analysis checks the
// total against what the replay delivered, so a format change shows up as an error, not as skew.

export function chunkByteLength(chunk) {
  if (typeof chunk.text === 'string') return Buffer.byteLength(chunk.text);
  if (typeof chunk.base64 === 'string') return Buffer.from(chunk.base64, 'base64').length;
  if (Array.isArray(chunk.events)) return Buffer.byteLength(renderSse(chunk.events, chunk.eol === 'crlf' ? '\r\n' : '\n'));
  throw new Error(`bench: unknown stored chunk shape (keys: ${Object.keys(chunk).join(', ')}); update bench/lib/cassette.mjs`);
}

function renderSse(events, nl) {
  let out = '';
  for (const e of events) {
    for (const comment of e.comments ?? []) out += `:${comment}${nl}`;
    if (e.event !== undefined) out += `event: ${e.event}${nl}`;
    if (e.id !== undefined) out += `id: ${e.id}${nl}`;
    if (e.retry !== undefined) out += `retry: ${e.retry}${nl}`;
    const data = e.data !== undefined ? JSON.stringify(e.data) : e.dataText;
    if (data !== undefined) for (const line of data.split('\n')) out += `data: ${line}${nl}`;
    out += nl;
  }
  return out;
}
