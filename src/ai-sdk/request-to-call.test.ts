import { describe, expect, test } from 'vitest';
import { callFromRequest } from './request-to-call.js';

describe('callFromRequest', () => {
  test('images by URL and by data, in each version’s shape', () => {
    const request = {
      messages: [
        {
          role: 'user' as const,
          content: [
            { type: 'image' as const, url: 'https://x/cat.png' },
            { type: 'image' as const, data: 'aGk=', mimeType: 'image/png' },
          ],
        },
      ],
    };
    expect((callFromRequest(request, 'v4', undefined).prompt as { content: unknown }[])[0]!.content).toEqual([
      { type: 'file', mediaType: 'image', data: { type: 'url', url: new URL('https://x/cat.png') } },
      { type: 'file', mediaType: 'image/png', data: { type: 'data', data: 'aGk=' } },
    ]);
    expect((callFromRequest(request, 'v3', undefined).prompt as { content: unknown }[])[0]!.content).toEqual([
      { type: 'file', mediaType: 'image/*', data: new URL('https://x/cat.png') },
      { type: 'file', mediaType: 'image/png', data: 'aGk=' },
    ]);
  });

  test('tool results name their tool from the assistant call; errors are error-text; settings, choice, format, options and signal carry over', () => {
    const signal = new AbortController().signal;
    const call = callFromRequest(
      {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Weather?' },
          { role: 'assistant', content: 'Checking.', toolCalls: [{ id: 'c1', name: 'get_weather', arguments: { city: 'Oslo' } }] },
          { role: 'tool', toolCallId: 'c1', content: 'down', isError: true },
          { role: 'tool', toolCallId: 'unknown-id', content: 'x' },
        ],
        stop: 'END',
        toolChoice: 'none',
        responseFormat: { type: 'json' },
        providerOptions: { openai: { reasoningEffort: 'low' } },
        seed: 3,
      },
      'v4',
      signal,
    );
    expect(call).toMatchObject({
      stopSequences: ['END'],
      toolChoice: { type: 'none' },
      responseFormat: { type: 'json' },
      providerOptions: { openai: { reasoningEffort: 'low' } },
      seed: 3,
      abortSignal: signal,
    });
    expect((call.prompt as { role: string; content: unknown }[]).slice(2)).toEqual([
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool-call', toolCallId: 'c1', toolName: 'get_weather', input: { city: 'Oslo' } },
        ],
      },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c1', toolName: 'get_weather', output: { type: 'error-text', value: 'down' } }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'unknown-id', toolName: 'unknown-id', output: { type: 'text', value: 'x' } }] },
    ]);
  });
});
