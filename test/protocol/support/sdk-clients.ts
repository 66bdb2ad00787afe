import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';

export interface ClientOptions {
  /** Called once per HTTP request the SDK makes. */
  readonly onNetwork?: () => void;
  /** Client-side timeout in ms. */
  readonly timeoutMs?: number;
}

function countingFetch(onNetwork: (() => void) | undefined): typeof fetch {
  return (input, init) => {
    onNetwork?.();
    return fetch(input, init);
  };
}

// @note maxRetries 0: the SDKs retry 429/5xx twice by default, which would hide the mapping
// under test and triple every fault test's run time.
export function openaiClient(baseURL: string, options: ClientOptions = {}): OpenAI {
  return new OpenAI({
    apiKey: 'sk-test',
    baseURL: `${baseURL}/v1`,
    maxRetries: 0,
    fetch: countingFetch(options.onNetwork),
    ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
  });
}

export function anthropicClient(baseURL: string, options: ClientOptions = {}): Anthropic {
  return new Anthropic({
    apiKey: 'sk-ant-test',
    baseURL,
    maxRetries: 0,
    fetch: countingFetch(options.onNetwork),
    ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
  });
}

export function geminiClient(baseURL: string, options: ClientOptions = {}): GoogleGenAI {
  return new GoogleGenAI({
    apiKey: 'gemini-test',
    httpOptions: {
      baseUrl: baseURL,
      fetch: countingFetch(options.onNetwork),
      ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
    },
  });
}
