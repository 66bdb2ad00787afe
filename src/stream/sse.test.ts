import { describe, expect, test } from 'vitest';
import { renderSse, sseView } from './sse.js';

describe('sseView', () => {
  test.each([
    ['openai chunk', 'data: {"id":"c1","choices":[{"delta":{"content":"Hi"}}]}\n\n'],
    ['responses event + data', 'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"Hi"}\n\n'],
    ['two events in one chunk', 'event: ping\ndata: {"type":"ping"}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n'],
    ['anthropic padded JSON', 'event: message_stop\ndata: {"type":"message_stop"           }\n\n'],
    ['gemini CRLF', 'data: {"candidates": [{"content": {"parts": [{"text": "Hi"}]}}]}\r\n\r\n'],
    ['done marker', 'data: [DONE]\n\n'],
    ['keep-alive comment', ': keep-alive\n\n'],
    ['multi-line data', 'data: line one\ndata: line two\n\n'],
  ])('%s renders back to the exact bytes', (_name, text) => {
    const view = sseView(text);
    expect(view).toBeDefined();
    expect(renderSse(view!.events, view!.eol)).toBe(text);
  });

  test('JSON is parsed only where it re-serialises exactly', () => {
    expect(sseView('data: {"a":1}\n\n')!.events[0]).toEqual({ data: { a: 1 } });
    expect(sseView('data: {"a": 1}\n\n')!.events[0]).toEqual({ dataText: '{"a": 1}' });
  });

  test.each([
    ['an event cut in half', 'data: {"a":'],
    ['no final blank line', 'data: {"a":1}\n'],
    ['an unknown field', 'foo: bar\n\n'],
    ['mixed line endings', 'data: a\r\n\n'],
  ])('%s stays raw text', (_name, text) => {
    expect(sseView(text)).toBeUndefined();
  });
});
