import { CassetteError, NoMatchError } from '../errors.js';
import type { OutgoingRequest, ResponseSink } from '../intercept/types.js';
import { diffCanonical, shownDifferences } from '../match/diff.js';
import type { CanonicalRequest } from '../match/request-key.js';
import type { Redactor } from '../redact/redact.js';
import type { Recording } from './recordings.js';

/** What every error of a session names: the cassette, its file and mode. */
export interface SessionIdentity {
  readonly name: string;
  readonly file: string;
  readonly mode: string;
}

export function bypassError(
  session: SessionIdentity,
  description: string,
  fix = 'do not pass a custom undici dispatcher/agent to the client, or list its host in ignoreHosts',
): CassetteError {
  return new CassetteError(
    'LLM_CASSETTE_BYPASS',
    `cassettes: a request escaped interception while cassette "${session.name}" was active: ${description}\n` +
      `  cassette: ${session.file} (mode: ${session.mode})\n` +
      `  fix:      ${fix}`,
    { file: session.file },
  );
}

export function tooLargeError(session: SessionIdentity, where: string, maxBodyBytes: number): CassetteError {
  return new CassetteError(
    'LLM_CASSETTE_TOO_LARGE',
    `cassettes: the response to ${where} exceeded maxBodyBytes (${maxBodyBytes} bytes) and was not recorded\n` +
      `  cassette: ${session.file} (mode: ${session.mode})\n` +
      `  fix:      raise the maxBodyBytes option for this cassette`,
    { file: session.file },
  );
}

export function authError(session: SessionIdentity, where: string, status: number): CassetteError {
  return new CassetteError(
    'LLM_CASSETTE_AUTH',
    `cassettes: ${where} answered ${status} while recording — almost always a missing or wrong API key; not saved\n` +
      `  cassette: ${session.file} (mode: ${session.mode})\n` +
      `  fix:      set the provider's API key (OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY) and record again, ` +
      `or pass recordAuthFailures: true to keep the ${status}`,
    { file: session.file },
  );
}

export function hookError(session: SessionIdentity, hook: string, where: string, error: unknown): CassetteError {
  return new CassetteError(
    'LLM_CASSETTE_HOOK',
    `cassettes: the ${hook} hook threw while recording ${where}: ${(error as Error)?.message ?? String(error)}\n` +
      `  cassette: ${session.file} (mode: ${session.mode}); the file was left as it was\n` +
      `  fix:      fix the ${hook} option`,
    { file: session.file, cause: error },
  );
}

/**
 * The miss message: the request, the cassette, the closest recording and what differs, the fix.
 * Everything that can hold a secret goes through the request's redactor.
 */
export function noMatchError(
  session: SessionIdentity,
  request: OutgoingRequest,
  canonical: CanonicalRequest,
  closest: Recording | undefined,
  redactor: Redactor,
): NoMatchError {
  const url = redactor.url(request.url);
  const lines = [`cassettes: no recorded interaction matches ${request.method} ${url}`, `  cassette: ${session.file} (mode: ${session.mode})`];
  if (!closest) {
    lines.push(`  closest:  (the cassette has no interactions)`);
  } else {
    const diff = shownDifferences(diffCanonical(closest.canonical, canonical)).map((line) => redactor.scrub(line));
    const same = closest.canonical.path === canonical.path ? 'same URL' : `URL ${redactor.url(closest.interaction.request.url)}`;
    if (diff.length === 0) {
      lines.push(`  closest:  interaction #${closest.index} (${same}) is identical but was already used ${closest.uses} time(s)`);
      lines.push(`            (the request was made more often than it was recorded; allowPlaybackRepeats: true replays the last one again)`);
    } else {
      lines.push(`  closest:  interaction #${closest.index} (${same}), differs:`);
      for (const line of diff) lines.push(`              ${line}`);
    }
  }
  lines.push(`  fix:      re-record with --record=new, or LLM_CASSETTE_RECORD=new`);
  return new NoMatchError(lines.join('\n'), { file: session.file, method: request.method, url });
}

/**
 * Answers a refused request: a 400 that carries the miss message.
 * @note 400 + x-should-retry: false: the SDKs then make one attempt and surface our message
 * (a network error would be retried twice and buried in `cause`).
 */
export function answerRefusal(sink: ResponseSink, error: NoMatchError): void {
  if (sink.refuse) {
    sink.refuse(error);
    return;
  }
  const body = Buffer.from(
    JSON.stringify({ type: 'error', error: { type: 'llm_cassette_no_match', code: 400, status: 'LLM_CASSETTE_NO_MATCH', message: error.message } }),
  );
  sink.head(400, 'Bad Request', [
    ['content-type', 'application/json'],
    ['x-should-retry', 'false'],
    ['content-length', String(body.length)],
  ]);
  void Promise.resolve(sink.data(body)).then(() => sink.end());
}

export function unfinishedError(session: SessionIdentity, where: string, waitedMs: number): CassetteError {
  return new CassetteError(
    'LLM_CASSETTE_UNFINISHED',
    `cassettes: the response to ${where} was still streaming ${waitedMs} ms after the cassette's function returned; it was cut there\n` +
      `  cassette: ${session.file} (mode: ${session.mode}); what arrived was saved, and replays end with LLM_CASSETTE_CUT at that point\n` +
      `  fix:      read or cancel the stream before returning, or raise maxRecordingWaitMs`,
    { file: session.file },
  );
}
