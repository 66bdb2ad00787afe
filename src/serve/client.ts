import { CassetteError, type CassetteErrorCode } from '../errors.js';
import type { RecordMode, TimingMode } from '../types.js';
import { CASSETTES_URL_ENV } from './constants.js';
import type { SessionInfo } from './session-api.js';
import type { SessionSummary } from './summary.js';

export interface SessionRequest {
  name: string;
  mode?: RecordMode;
  timing?: TimingMode;
}

/** The session API of a running `cassettes serve`, for test harnesses in Node. */
export interface SessionClient {
  readonly url: string;
  /** Opens a session on a cassette; with null, a session with none yet (re-pointed later). */
  open(request: SessionRequest | null): Promise<SessionInfo>;
  /** Points the session at another cassette (null: none, between tests); answers the summary of the one it left. */
  repoint(id: string, request: SessionRequest | null): Promise<SessionInfo & { left: SessionSummary | null }>;
  /** Ends the session, saving its cassette; answers that cassette's summary (null if it had none). */
  end(id: string): Promise<SessionSummary | null>;
}

/** A client of the server at `url`, by default the one CASSETTES_URL names. */
export function sessionClient(url: string | undefined = process.env[CASSETTES_URL_ENV]): SessionClient {
  if (!url) {
    throw new CassetteError(
      'LLM_CASSETTE_SESSION',
      `cassettes: no server to open sessions on: ${CASSETTES_URL_ENV} is not set\n` +
        `  fix:      start one with startServer() in a globalSetup (it sets ${CASSETTES_URL_ENV}), or set ${CASSETTES_URL_ENV} to the url \`cassettes serve\` printed`,
    );
  }
  const root = url.replace(/\/+$/, '');
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { 'content-type': 'application/json' };
    }
    let res: Response;
    try {
      res = await fetch(`${root}${path}`, init);
    } catch (error) {
      throw new CassetteError(
        'LLM_CASSETTE_SESSION',
        `cassettes: cannot reach the cassettes server at ${root} (${method} ${path}): ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    const text = await res.text();
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    if (!res.ok) {
      const failure = (value as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new CassetteError(
        (failure?.code as CassetteErrorCode | undefined) ?? 'LLM_CASSETTE_SESSION',
        failure?.message ?? `cassettes: ${method} ${root}${path} answered ${res.status}: ${text.slice(0, 200)}`,
      );
    }
    return value as T;
  };
  return {
    url: root,
    open: (request) => call('POST', '/__cassettes/sessions', request ?? { name: null }),
    repoint: (id, request) => call('PUT', `/__cassettes/sessions/${encodeURIComponent(id)}`, request ?? { name: null }),
    end: (id) => call('DELETE', `/__cassettes/sessions/${encodeURIComponent(id)}`),
  };
}
