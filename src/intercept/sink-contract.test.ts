import { describe, expect, test } from 'vitest';
import { sinkContract } from './sink-contract.js';
import type { ResponseSink } from './types.js';

function spy(): { sink: ResponseSink; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    sink: {
      head: (status) => void calls.push(`head ${status}`),
      whole: (status) => void calls.push(`whole ${status}`),
      data: (chunk) => void calls.push(`data ${chunk.toString()}`),
      end: () => void calls.push('end'),
      error: (error) => void calls.push(`error ${error.message}`),
    },
  };
}

describe('sinkContract', () => {
  test('passes head, data and end through in order', () => {
    const { sink, calls } = spy();
    const guarded = sinkContract(sink);
    guarded.head(200, 'OK', []);
    guarded.data(Buffer.from('a'));
    guarded.end();
    expect(calls).toEqual(['head 200', 'data a', 'end']);
    expect(guarded.ended).toBe(true);
  });

  test('drops everything after end or error', () => {
    const { sink, calls } = spy();
    const guarded = sinkContract(sink);
    guarded.head(200, 'OK', []);
    guarded.error(new Error('reset'));
    guarded.data(Buffer.from('late'));
    guarded.end();
    guarded.error(new Error('again'));
    guarded.head(500, '', []);
    expect(calls).toEqual(['head 200', 'error reset']);
  });

  test('drops a second head and data before any head', () => {
    const { sink, calls } = spy();
    const guarded = sinkContract(sink);
    guarded.data(Buffer.from('early'));
    guarded.head(200, 'OK', []);
    guarded.head(201, 'Created', []);
    guarded.end();
    expect(calls).toEqual(['head 200', 'end']);
  });

  test('turns an end before any head into an error, so no caller waits forever', () => {
    const { sink, calls } = spy();
    sinkContract(sink).end();
    expect(calls).toEqual(['error cassettes: the response ended before its head']);
  });

  test('lets a whole response be errored once (an abort while its body is unread), and nothing else after it', () => {
    const { sink, calls } = spy();
    const guarded = sinkContract(sink);
    guarded.whole?.(200, 'OK', [], new Uint8Array());
    guarded.data(Buffer.from('x'));
    guarded.end();
    guarded.error(new Error('aborted'));
    guarded.error(new Error('twice'));
    expect(calls).toEqual(['whole 200', 'error aborted']);
  });

  test('keeps the paced flag and has no whole() when the inner sink has none', () => {
    const inner: ResponseSink = { paced: true, head: () => undefined, data: () => undefined, end: () => undefined, error: () => undefined };
    const guarded = sinkContract(inner);
    expect(guarded.paced).toBe(true);
    expect(guarded.whole).toBeUndefined();
  });
});
