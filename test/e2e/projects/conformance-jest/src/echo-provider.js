/**
 * A user's own LLMProvider, in CommonJS: a deterministic echo "service". It validates every
 * request before "sending" it, streams word by word, honours `signal`, and can be told to fail
 * like a real provider does (for the conformance suite's error-mapping checks).
 */
const {
  contentText,
  LLMAuthenticationError,
  LLMProviderUnavailableError,
  LLMRateLimitError,
  LLMRequestError,
  LLMResponseError,
  LLMTimeoutError,
  validateRequest,
} = require('cassettes/provider');

/** Resolves after `ms`, or rejects with `signal.reason` as soon as the signal aborts. */
function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      if (signal) signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (signal) signal.addEventListener('abort', onAbort, { once: true });
  });
}

const words = (text) => text.split(/\s+/).filter(Boolean);

class EchoProvider {
  name = 'echo';
  model = 'echo-1';
  #options;

  constructor(options = {}) {
    this.#options = options;
  }

  /** Token accounting: one token per word. Subclasses may override (see the broken one). */
  usage(inputTokens, outputTokens) {
    return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
  }

  #fail() {
    const provider = this.name;
    switch (this.#options.fault) {
      case 'rate-limit':
        return new LLMRateLimitError('echo: slow down', { provider, status: 429, retryAfterMs: 1000 });
      case 'timeout':
        return new LLMTimeoutError('echo: timed out', { provider, status: 408 });
      case 'unavailable':
        return new LLMProviderUnavailableError('echo: down for maintenance', { provider, status: 503 });
      case 'malformed':
        return new LLMResponseError('echo: the answer was not JSON', { provider, status: 200 });
      case 'authentication':
        return new LLMAuthenticationError('echo: who are you?', { provider, status: 401 });
      case 'invalid-request':
        return new LLMRequestError('echo: the service refused the request', { provider, status: 400 });
      default:
        return undefined;
    }
  }

  /** Validates, checks the signal, "sends": what both complete() and stream() do first. */
  async #send(request, signal) {
    validateRequest(request, { provider: this.name });
    if (signal) signal.throwIfAborted();
    if (this.#options.onNetwork) this.#options.onNetwork();
    const started = Date.now();
    await sleep(this.#options.latencyMs ?? 5, signal);
    const failure = this.#fail();
    if (failure) throw failure;

    const lastUser = [...request.messages].reverse().find((m) => m.role === 'user');
    const prompt = contentText(lastUser?.content);
    let content = `Echo: ${prompt}`;
    if (request.responseFormat && request.responseFormat.type === 'json') content = JSON.stringify({ answer: prompt });
    let out = content.split(/(?<= )/);
    let finishReason = 'stop';
    if (request.maxTokens !== undefined && out.length > request.maxTokens) {
      out = out.slice(0, request.maxTokens);
      finishReason = 'length';
    }
    const input = request.messages.reduce((n, m) => n + words(contentText(m.content)).length + 1, 0);
    const answer = {
      content: out.join(''),
      toolCalls: [],
      finishReason,
      model: request.model ?? this.model,
      usage: this.usage(input, out.length),
      latencyMs: Date.now() - started,
      raw: { echoed: prompt },
    };
    return { words: out, answer };
  }

  async complete(request, options = {}) {
    return (await this.#send(request, options.signal)).answer;
  }

  async *stream(request, options = {}) {
    const { signal } = options;
    const { words: chunks, answer } = await this.#send(request, signal);
    for (const [i, text] of chunks.entries()) {
      if (i > 0) await sleep(this.#options.chunkDelayMs ?? 2, signal);
      yield { type: 'text-delta', text };
    }
    if (signal) signal.throwIfAborted();
    yield { type: 'finish', response: answer };
  }

  async healthCheck() {
    const started = Date.now();
    try {
      await this.complete({ messages: [{ role: 'user', content: 'ping' }], maxTokens: 4 });
      return { healthy: true, latencyMs: Date.now() - started };
    } catch (error) {
      return { healthy: false, latencyMs: Date.now() - started, error: String(error) };
    }
  }
}

/** A bug a conformance run must catch: usage totals that do not add up. */
class BrokenUsageProvider extends EchoProvider {
  usage(inputTokens, outputTokens) {
    return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens + 1 };
  }
}

module.exports = { EchoProvider, BrokenUsageProvider };
