import type { LLMRequest } from '../protocol/request.js';

/** The requests the checks send: small, deterministic, valid for every provider. */
export const HELLO: LLMRequest = { messages: [{ role: 'user', content: 'Say hello in one short sentence.' }], maxTokens: 64 };

export const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'Get the current weather for a city.',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string', description: 'City name' } },
    required: ['city'],
    additionalProperties: false,
  },
} as const;

export const TOOL_REQUEST: LLMRequest = {
  messages: [{ role: 'user', content: 'What is the weather in Paris? Use the get_weather tool.' }],
  tools: [WEATHER_TOOL],
  toolChoice: { type: 'tool', name: 'get_weather' },
  maxTokens: 256,
};

/** The JSON checks' question and the schema of its answer. */
export const ANSWER_REQUEST: LLMRequest = {
  messages: [{ role: 'user', content: 'Answer in JSON: what is the capital of France? Use the key "answer".' }],
  maxTokens: 128,
};

export const ANSWER_SCHEMA = {
  type: 'object',
  properties: { answer: { type: 'string' } },
  required: ['answer'],
  additionalProperties: false,
} as const;

/** Requests every provider must refuse, and the field each one gets wrong. */
export const INVALID_REQUESTS: readonly { readonly label: string; readonly field: string; readonly request: unknown }[] = [
  { label: 'temperature 5', field: 'temperature', request: { ...HELLO, temperature: 5 } },
  { label: 'empty messages', field: 'messages', request: { messages: [] } },
  { label: 'maxTokens 0', field: 'maxTokens', request: { ...HELLO, maxTokens: 0 } },
  { label: 'topP 1.5', field: 'topP', request: { ...HELLO, topP: 1.5 } },
  { label: 'unknown role', field: 'messages[0].role', request: { messages: [{ role: 'wizard', content: 'Hi' }] } },
];
