import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { holdsIds, isIdKey, normalizeClientIds, responseIds } from './client-ids.js';

describe('client-made ids', () => {
  test('id fields: id, *_id, *Id', () => {
    expect(['id', 'tool_call_id', 'call_id', 'toolCallId', 'request_id'].every(isIdKey)).toBe(true);
    expect(['identity', 'ids', 'model', 'idle', 'valid'].some(isIdKey)).toBe(false);
  });

  test('two runs of a Gemini tool loop with different random ids normalise to the same body', () => {
    const body = (id: string): unknown => ({
      contents: [
        { role: 'model', parts: [{ functionCall: { id, name: 'weather', args: { city: 'Paris' } } }] },
        { role: 'user', parts: [{ functionResponse: { id, name: 'weather', response: { celsius: 21 } } }] },
      ],
    });
    const known = new Set<string>();
    expect(normalizeClientIds(body('FUP78BLdwrmiCh8Z'), known)).toEqual(normalizeClientIds(body('GQJaXD6E93gwjc17'), known));
    expect(JSON.stringify(normalizeClientIds(body('x'), known))).toContain('<client-id-1>');
  });

  test('an id a response held is the provider id and is kept exactly', () => {
    const body = { messages: [{ role: 'tool', tool_call_id: 'call_abc' }] };
    expect(normalizeClientIds(body, new Set(['call_abc']))).toEqual(body);
    expect(normalizeClientIds({ messages: [{ tool_call_id: 'call_xyz' }] }, new Set(['call_abc']))).toEqual({
      messages: [{ tool_call_id: '<client-id-1>' }],
    });
  });

  test('numbering follows appearance, whatever the order of keys', () => {
    const a = normalizeClientIds({ first: { id: 'p' }, second: { id: 'q' } }, new Set());
    const b = normalizeClientIds({ second: { id: 'y' }, first: { id: 'x' } }, new Set());
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  test('property: normalising twice with fresh random ids gives the same body', () => {
    fc.assert(
      fc.property(fc.array(fc.uuid(), { minLength: 1, maxLength: 5 }), fc.array(fc.uuid(), { minLength: 1, maxLength: 5 }), (left, right) => {
        const n = Math.min(left.length, right.length);
        const build = (ids: string[]): unknown => ({ steps: ids.slice(0, n).map((id, i) => ({ call: { id, i }, result: { call_id: id } })) });
        expect(normalizeClientIds(build(left), new Set())).toEqual(normalizeClientIds(build(right), new Set()));
      }),
      { numRuns: 200 },
    );
  });

  test('responseIds reads JSON bodies, SSE event views and raw SSE text split across chunks', () => {
    expect(
      responseIds({ status: 200, statusText: '', headers: {}, headersAtMs: 0, body: { json: { choices: [{ message: { tool_calls: [{ id: 'call_1' }] } }] } } }),
    ).toEqual(['call_1']);
    const text = 'data: {"type":"content_block_start","content_block":{"type":"tool_use","id":"toolu_9"}}\n\n';
    expect(
      responseIds({
        status: 200,
        statusText: '',
        headers: {},
        headersAtMs: 0,
        chunks: [
          { atMs: 1, text: text.slice(0, 40) },
          { atMs: 2, text: text.slice(40) },
          { atMs: 3, events: [{ data: { item: { call_id: 'call_7' } } }] },
        ],
      }).sort(),
    ).toEqual(['call_7', 'toolu_9']);
  });

  test('holdsIds: only string values under id fields count', () => {
    expect(holdsIds({ a: { b: [{ id: 'x' }] } })).toBe(true);
    expect(holdsIds({ id: 3, name: 'id' })).toBe(false);
  });
});
