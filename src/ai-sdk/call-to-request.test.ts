import { describe, expect, test } from 'vitest';
import { requestFromCall } from './call-to-request.js';
import type { SpecCallOptions } from './spec.js';

const call = (prompt: SpecCallOptions['prompt'], extra: Partial<SpecCallOptions> = {}): SpecCallOptions => ({ prompt, ...extra });

describe('requestFromCall', () => {
  test('tool results of every output type become tool messages with their text; approvals and other parts are passed over', () => {
    const { request } = requestFromCall(
      call([
        { role: 'user', content: [{ type: 'text', text: 'go' }] },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'thinking…' } as never,
            { type: 'tool-call', toolCallId: 'a', toolName: 't', input: '{"x":1}' },
            { type: 'tool-call', toolCallId: 'b', toolName: 't', input: '' },
            { type: 'tool-call', toolCallId: 'c', toolName: 't', input: [1] },
            { type: 'tool-call', toolCallId: 'p', toolName: 'web', input: {}, providerExecuted: true },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool-result', toolCallId: 'a', toolName: 't', output: { type: 'text', value: 'plain' } },
            { type: 'tool-result', toolCallId: 'b', toolName: 't', output: { type: 'error-json', value: { code: 1 } } },
            { type: 'tool-result', toolCallId: 'c', toolName: 't', output: { type: 'execution-denied', reason: 'not allowed' } },
            { type: 'tool-result', toolCallId: 'a', toolName: 't', output: { type: 'execution-denied' } },
            {
              type: 'tool-result',
              toolCallId: 'a',
              toolName: 't',
              output: { type: 'content', value: [{ type: 'text', text: 'A' }, { type: 'file' }, { type: 'text' }] },
            },
            { type: 'tool-result', toolCallId: 'a', toolName: 't', output: { type: 'content' } },
            { type: 'tool-result', toolCallId: 'a', toolName: 't', output: { type: 'future-kind', value: 1 } },
            { type: 'tool-approval-response', approvalId: 'x', approved: true } as never,
          ],
        },
      ]),
      'mock',
    );
    expect(request.messages[1]).toEqual({
      role: 'assistant',
      content: null,
      toolCalls: [
        { id: 'a', name: 't', arguments: { x: 1 } },
        { id: 'b', name: 't', arguments: {} },
        { id: 'c', name: 't', arguments: {} },
      ],
    });
    expect(request.messages.slice(2)).toEqual([
      { role: 'tool', toolCallId: 'a', name: 't', content: 'plain' },
      { role: 'tool', toolCallId: 'b', name: 't', content: '{"code":1}', isError: true },
      { role: 'tool', toolCallId: 'c', name: 't', content: 'Tool execution denied: not allowed.', isError: true },
      { role: 'tool', toolCallId: 'a', name: 't', content: 'Tool execution denied.', isError: true },
      { role: 'tool', toolCallId: 'a', name: 't', content: 'A' },
      { role: 'tool', toolCallId: 'a', name: 't', content: '' },
      { role: 'tool', toolCallId: 'a', name: 't', content: '{"type":"future-kind","value":1}' },
    ]);
  });

  test('an assistant turn with text only keeps its text', () => {
    const { request } = requestFromCall(call([{ role: 'assistant', content: [{ type: 'text', text: 'Hello' }] }]), 'mock');
    expect(request.messages).toEqual([{ role: 'assistant', content: 'Hello' }]);
  });

  test('images from bytes, base64, URLs; other data shapes are refused', () => {
    const { request } = requestFromCall(
      call([
        {
          role: 'user',
          content: [
            { type: 'file', mediaType: 'image', data: 'aGk=' },
            { type: 'file', mediaType: 'image/gif', data: { type: 'url', url: 'https://x/y.gif' } },
          ],
        },
      ]),
      'mock',
    );
    expect(request.messages[0]!.content).toEqual([
      { type: 'image', data: 'aGk=', mimeType: 'image/png' },
      { type: 'image', url: 'https://x/y.gif', mimeType: 'image/gif' },
    ]);
    expect(() => requestFromCall(call([{ role: 'user', content: [{ type: 'file', mediaType: 'image/png', data: 42 }] }]), 'mock')).toThrow(
      expect.objectContaining({ code: 'LLM_INVALID_REQUEST', field: 'prompt[0].content[0]' }),
    );
    expect(() => requestFromCall(call([{ role: 'user', content: [{ type: 'file', data: 'x' } as never] }]), 'mock')).toThrow(/a file part/);
  });

  test('settings map across; provider tools, topK and a reasoning effort become warnings; a tool choice without tools is left out', () => {
    const { request, warnings } = requestFromCall(
      call([{ role: 'user', content: [{ type: 'text', text: 'x' }] }], {
        tools: [
          { type: 'function', name: 'lookup', inputSchema: { type: 'object' } },
          { type: 'provider', name: 'web_search', id: 'openai.web_search' },
        ],
        toolChoice: { type: 'tool', toolName: 'lookup' },
        responseFormat: { type: 'json', schema: { type: 'object' }, name: 'out' },
        reasoning: 'high',
        topK: 3,
      }),
      'mock',
    );
    expect(request).toMatchObject({
      tools: [{ name: 'lookup', parameters: { type: 'object' } }],
      toolChoice: { type: 'tool', name: 'lookup' },
      responseFormat: { type: 'json', schema: { type: 'object' }, name: 'out' },
    });
    expect(warnings.map((w) => w.feature)).toEqual(['topK', 'reasoning', 'provider tool web_search']);
    const { request: noTools } = requestFromCall(
      call([{ role: 'user', content: [{ type: 'text', text: 'x' }] }], { toolChoice: { type: 'required' }, responseFormat: { type: 'json' } }),
      'mock',
    );
    expect(noTools).toEqual({ messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }], responseFormat: { type: 'json' } });
    expect(requestFromCall(call([{ role: 'system', content: 'x' }], { reasoning: 'provider-default' }), 'mock').warnings).toEqual([]);
  });
});
