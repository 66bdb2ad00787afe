import { describe, expect, test } from 'vitest';
import type { StoredChunk, StoredResponse } from '../types.js';
import { recordedEvents, streamText } from './recorded-events.js';
import { sseView } from './sse.js';

const response = (chunks: StoredChunk[], contentType = 'text/event-stream'): StoredResponse => ({
  status: 200,
  statusText: 'OK',
  headers: { 'content-type': contentType },
  headersAtMs: 1,
  chunks,
});

/** A chunk stored the way the recorder stores it: an event view where byte-exact, else text. */
function chunk(text: string, atMs: number): StoredChunk {
  const view = sseView(text);
  return view ? { atMs, events: view.events, ...(view.eol === 'crlf' ? { eol: 'crlf' as const } : {}) } : { atMs, text };
}

const WIRE = [
  'event: message_start\ndata: {"type":"message_start"}\n\n',
  'event: ping\ndata: {"type": "ping"}\n\n',
  'event: content_block_delta\ndata: {"type":"content_block_delta","delta":{"text":"Hi"}}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n',
];

describe('recordedEvents', () => {
  test('events stored as views come back with their names, parsed data (padded JSON too) and chunk times', () => {
    const events = recordedEvents(response(WIRE.map((text, i) => chunk(text, i * 10))));
    expect(events).toEqual([
      { event: 'message_start', data: { type: 'message_start' }, json: true, atMs: 0 },
      { event: 'ping', data: { type: 'ping' }, json: true, atMs: 10 },
      { event: 'content_block_delta', data: { type: 'content_block_delta', delta: { text: 'Hi' } }, json: true, atMs: 20 },
      { event: 'message_stop', data: { type: 'message_stop' }, json: true, atMs: 20 },
    ]);
  });

  test('the same stream split at every byte gives the same events, each timed by the chunk that completed it', () => {
    const wire = WIRE.join('');
    const whole = recordedEvents(response([chunk(wire, 5)]))!.map(({ atMs: _, ...rest }) => rest);
    for (let cut = 1; cut < wire.length; cut++) {
      const events = recordedEvents(response([chunk(wire.slice(0, cut), 1), chunk(wire.slice(cut), 2)]))!;
      expect(events.map(({ atMs: _, ...rest }) => rest)).toEqual(whole);
      const firstEnd = wire.indexOf('\n\n') + 2;
      expect(events[0]!.atMs).toBe(cut >= firstEnd ? 1 : 2);
    }
  });

  test('an event cut off by the end of the stream is not an event; text data and [DONE] stay text', () => {
    const events = recordedEvents(response([{ atMs: 1, text: 'data: plain words\n\ndata: [DONE]\n\ndata: {"partial"' }]));
    expect(events).toEqual([
      { event: undefined, data: 'plain words', json: false, atMs: 1 },
      { event: undefined, data: '[DONE]', json: false, atMs: 1 },
    ]);
  });

  test('CRLF framing and data: without its space are read', () => {
    const events = recordedEvents(response([{ atMs: 1, text: 'data:{"a":1}\r\n\r\nevent:x\r\ndata: {"b":2}\r\n\r\n' }]));
    expect(events?.map((e) => [e.event, e.data])).toEqual([
      [undefined, { a: 1 }],
      ['x', { b: 2 }],
    ]);
  });

  test('a streamed JSON array (Gemini without alt=sse) gives its elements; base64 chunks that split a character are joined first', () => {
    const bytes = Buffer.from('[{"text":"é"},\n{"text":"b"}]');
    const split = bytes.indexOf(0xa9);
    const chunks: StoredChunk[] = [
      { atMs: 1, base64: bytes.subarray(0, split).toString('base64') },
      { atMs: 2, base64: bytes.subarray(split).toString('base64') },
    ];
    expect(streamText(chunks)).toBe(bytes.toString('utf8'));
    expect(recordedEvents(response(chunks, 'application/json'))?.map((e) => e.data)).toEqual([{ text: 'é' }, { text: 'b' }]);
  });

  test('not a stream, or a chunked body that is neither SSE nor a JSON array: undefined', () => {
    expect(recordedEvents({ ...response([]), chunks: undefined, body: { json: {} } })).toBeUndefined();
    expect(recordedEvents(response([{ atMs: 1, text: 'just text\n\n' }], 'text/plain'))).toBeUndefined();
  });
});
