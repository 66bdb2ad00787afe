import { malformed } from './sdk-error.js';

/**
 * Parses tool-call arguments sent as JSON text. An empty string means "no arguments" (Anthropic
 * streams a tool without parameters as a single `""` fragment).
 */
export function parseToolArguments(text: string, provider: string, toolName: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw malformed(provider, `arguments of tool call \`${toolName}\` are not valid JSON: ${text.slice(0, 200)}`, error);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw malformed(provider, `arguments of tool call \`${toolName}\` are not a JSON object`, parsed);
  }
  return parsed as Record<string, unknown>;
}
