import { describe, expect, test } from 'vitest';
import type { StoredResponse } from '../types.js';
import { streamTimeline } from './timeline.js';

const base: StoredResponse = { status: 200, statusText: 'OK', headers: {}, headersAtMs: 12.5 };

describe('streamTimeline', () => {
  test('time to headers and first chunk, chunk count, gaps min/median/max and how it ended', () => {
    const times = [20.1, 20.2, 25.2, 26.2, 46.2];
    const timeline = streamTimeline({
      ...base,
      chunks: times.map((atMs) => ({ atMs, text: 'x' })),
      end: { state: 'completed', atMs: 47 },
    });
    expect(timeline).toEqual({
      headersMs: 12.5,
      firstChunkMs: 20.1,
      chunks: 5,
      gapsMs: { min: 0.1, median: 3, max: 20 },
      end: { state: 'completed', atMs: 47 },
    });
  });

  test('an odd number of gaps takes the middle one; one chunk has no gaps', () => {
    expect(streamTimeline({ ...base, chunks: [0, 1, 3, 10].map((atMs) => ({ atMs, text: 'x' })) })?.gapsMs).toEqual({ min: 1, median: 2, max: 7 });
    expect(streamTimeline({ ...base, chunks: [{ atMs: 3, text: 'x' }] })?.gapsMs).toBeUndefined();
  });

  test('a failed or cut stream says why', () => {
    const failed = streamTimeline({
      ...base,
      chunks: [],
      end: { state: 'failed', atMs: 9, error: { name: 'SocketError', code: 'UND_ERR_SOCKET', message: 'other side closed' } },
    });
    expect(failed?.end).toEqual({ state: 'failed', atMs: 9, detail: 'SocketError UND_ERR_SOCKET other side closed' });
    expect(failed?.firstChunkMs).toBeUndefined();
    const cut = streamTimeline({ ...base, chunks: [{ atMs: 1, text: 'x' }], end: { state: 'aborted', atMs: 4, bytes: 1 } });
    expect(cut?.end?.detail).toBe('cut by the client after 1 bytes');
  });

  test('a whole body is not a stream', () => {
    expect(streamTimeline({ ...base, body: { text: 'x' } })).toBeUndefined();
  });
});
