/** The message half of `validateRequest`: roles, content parts, tool calls and tool results. */

export type Fail = (field: string, allowed: string, got: unknown) => never;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const ROLES = new Set(['system', 'user', 'assistant', 'tool']);

// @note Unknown keys are refused, not dropped: a key the adapters do not read would otherwise
// vanish on the way to the provider without anyone noticing.
const MESSAGE_KEYS: Readonly<Record<string, readonly string[]>> = {
  system: ['role', 'content'],
  user: ['role', 'content'],
  assistant: ['role', 'content', 'toolCalls'],
  tool: ['role', 'content', 'toolCallId', 'name', 'isError'],
};
const PART_KEYS: Readonly<Record<string, readonly string[]>> = { text: ['type', 'text'], image: ['type', 'url', 'data', 'mimeType'] };

export function checkKeys(value: Record<string, unknown>, allowed: readonly string[], at: string, fail: Fail): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) fail(at === '' ? key : `${at}.${key}`, `one of the known keys (${allowed.join(', ')})`, value[key]);
  }
}

function checkContent(value: unknown, field: string, fail: Fail): void {
  if (typeof value === 'string') return;
  if (!Array.isArray(value)) fail(field, 'a string or an array of content parts', value);
  (value as unknown[]).forEach((part, i) => {
    const at = `${field}[${i}]`;
    if (!isRecord(part)) fail(at, "a content part ({ type: 'text' | 'image', … })", part);
    if (part.type === 'text') {
      if (typeof part.text !== 'string') fail(`${at}.text`, 'a string', part.text);
    } else if (part.type === 'image') {
      const hasUrl = typeof part.url === 'string' && part.url !== '';
      const hasData = typeof part.data === 'string' && part.data !== '';
      if (!hasUrl && !hasData) fail(at, 'an image with a `url` or base64 `data`', part);
      if (hasData && typeof part.mimeType !== 'string') fail(`${at}.mimeType`, 'a MIME type with `data`', part.mimeType);
    } else {
      fail(`${at}.type`, "'text' or 'image'", part.type);
    }
    checkKeys(part, PART_KEYS[part.type as string] ?? [], at, fail);
  });
}

/** True when content says something: non-blank text, or an image. */
function hasSubstance(content: unknown): boolean {
  if (typeof content === 'string') return content.trim() !== '';
  if (!Array.isArray(content)) return false;
  return content.some((part: Record<string, unknown>) => part.type === 'image' || (typeof part.text === 'string' && part.text.trim() !== ''));
}

/** Checks `messages`; returns the names of the tools the assistant called. */
export function checkMessages(messages: unknown, fail: Fail): void {
  if (!Array.isArray(messages) || messages.length === 0) fail('messages', 'a non-empty array of messages', messages);
  const toolCallIds = new Set<string>();
  let lastUser = -1;
  (messages as unknown[]).forEach((message: unknown, i) => {
    const at = `messages[${i}]`;
    if (!isRecord(message)) fail(at, 'a message object', message);
    if (typeof message.role !== 'string' || !ROLES.has(message.role)) {
      fail(`${at}.role`, "'system', 'user', 'assistant' or 'tool'", message.role);
    }
    checkKeys(message, MESSAGE_KEYS[message.role] ?? [], at, fail);
    if (message.role === 'user') lastUser = i;
    if (message.role === 'assistant') {
      const toolCalls = message.toolCalls;
      if (toolCalls !== undefined && !Array.isArray(toolCalls)) fail(`${at}.toolCalls`, 'an array', toolCalls);
      if (message.content != null) checkContent(message.content, `${at}.content`, fail);
      const hasCalls = Array.isArray(toolCalls) && toolCalls.length > 0;
      if (message.content == null && !hasCalls) fail(`${at}.content`, 'present unless `toolCalls` is given', message.content);
      (toolCalls ?? []).forEach((call: unknown, j: number) => {
        const callAt = `${at}.toolCalls[${j}]`;
        if (!isRecord(call)) fail(callAt, 'a tool call { id, name, arguments }', call);
        if (typeof call.id !== 'string' || call.id === '') fail(`${callAt}.id`, 'a non-empty string', call.id);
        if (typeof call.name !== 'string' || call.name === '') fail(`${callAt}.name`, 'a non-empty string', call.name);
        if (!isRecord(call.arguments)) fail(`${callAt}.arguments`, 'a parsed JSON object', call.arguments);
        checkKeys(call, ['id', 'name', 'arguments'], callAt, fail);
        toolCallIds.add(call.id);
      });
      return;
    }
    checkContent(message.content, `${at}.content`, fail);
    if (message.role === 'tool') {
      if (typeof message.toolCallId !== 'string' || !toolCallIds.has(message.toolCallId)) {
        fail(`${at}.toolCallId`, 'the id of an earlier assistant tool call', message.toolCallId);
      }
      if (message.name !== undefined && typeof message.name !== 'string') fail(`${at}.name`, 'a string', message.name);
      if (message.isError !== undefined && typeof message.isError !== 'boolean') fail(`${at}.isError`, 'a boolean', message.isError);
    }
  });
  // @note Providers answer a blank prompt with a 400 (Anthropic, Gemini) or with made-up text
  // (OpenAI): either way the call is wasted, so it is refused here.
  const last = (messages as Record<string, unknown>[])[lastUser];
  if (last && !hasSubstance(last.content)) {
    fail(`messages[${lastUser}].content`, 'text that is not only whitespace, or an image (the last user message)', last.content);
  }
}
