import type { ServerResponse } from 'node:http';
import { isCassetteError } from '../errors.js';
import { sinkContract } from '../intercept/sink-contract.js';
import type { ResponseSink } from '../intercept/types.js';
import type { WireProvider } from '../mock/wire/types.js';
import { type ErrorAnswer, errorAnswer } from './error-answer.js';

/**
 * Response headers that describe one connection, not the response: Node writes its own.
 * @note content-length too: the body is written as it comes (chunked), whatever the upstream
 * framed it as; a whole replay sets its own.
 */
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade', 'te', 'trailer', 'content-length']);

function flat(headers: readonly [string, string][]): string[] {
  const out: string[] = [];
  for (const [name, value] of headers) if (!CONNECTION_HEADERS.has(name.toLowerCase())) out.push(name, value);
  return out;
}

function writeHead(res: ServerResponse, status: number, statusText: string, headers: string[]): void {
  try {
    res.writeHead(status, statusText || undefined, headers);
  } catch {
    // a status text or header value Node will not send as is (a recording from another stack)
    res.writeHead(status, headers);
  }
}

/** Writes a whole error answer, unless the response has started. */
export function sendAnswer(res: ServerResponse, answer: ErrorAnswer): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(answer.status, answer.headers.flat());
  res.end(answer.body);
}

export interface HttpSinkContext {
  provider: WireProvider | undefined;
  log: (line: string) => void;
  /** `POST https://api.openai.com/v1/chat/completions`, for log lines (already without secrets). */
  where: string;
}

/**
 * A ResponseSink onto a client's HTTP response: each chunk is written the moment it is given
 * (headers flushed at once, no buffering, no compression; the socket has Nagle off), so a stream
 * reaches the client with its recorded boundaries and timing. A failure after the head cuts the
 * connection, as the upstream's did; a refusal answers in the provider's error shape.
 */
export function httpSink(res: ServerResponse, context: HttpSinkContext): ResponseSink {
  const sink = sinkContract<ResponseSink>({
    head(status, statusText, headers) {
      writeHead(res, status, statusText, flat(headers));
      res.flushHeaders();
    },
    whole(status, statusText, headers, body) {
      const parts = Array.isArray(body) ? body : [body];
      let length = 0;
      for (const part of parts) length += part.byteLength;
      writeHead(res, status, statusText, [...flat(headers), 'content-length', String(length)]);
      for (const part of parts) res.write(part);
      res.end();
    },
    data(chunk) {
      if (res.write(chunk) || res.destroyed) return;
      return new Promise<void>((resolve) => {
        const done = (): void => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    },
    end() {
      res.end();
    },
    error(error) {
      if (res.headersSent || res.destroyed) {
        // @note a stream that failed or was cut midway: the client sees the same break
        res.destroy();
        return;
      }
      if (isCassetteError(error)) {
        context.log(error.message);
        sendAnswer(res, errorAnswer(context.provider, 500, error.code, error.message));
        return;
      }
      // a request that failed before any answer (refused, reset): the client's request fails too
      context.log(`cassettes: ${context.where} failed before a response: ${error.message}`);
      res.destroy();
    },
  });
  const refuse = (error: Parameters<NonNullable<ResponseSink['refuse']>>[0]): void => {
    context.log(error.message);
    const answer = errorAnswer(context.provider, 400, error.code, error.message);
    sink.head(answer.status, 'Bad Request', answer.headers);
    void Promise.resolve(sink.data(answer.body)).then(() => sink.end());
  };
  return Object.assign(sink, { refuse });
}
