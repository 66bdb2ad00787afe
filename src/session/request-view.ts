import type { OutgoingRequest } from '../intercept/types.js';
import { bodyForMatching, exactText, toStoredBody, tryParseJson } from '../match/body.js';
import { idFree, mayHoldIds } from '../match/client-ids.js';
import type { Redactor } from '../redact/redact.js';
import type { Interaction, MatchRequestView, StoredRequest } from '../types.js';

/** The request as it will be stored (secrets out); matching keys on exactly this. */
export function storedRequest(request: OutgoingRequest, redactor: Redactor): StoredRequest {
  const raw: Interaction = {
    recordedAt: '',
    request: { method: request.method, url: request.url, headers: request.headers, body: toStoredBody(request.body) },
  };
  return redactor.interaction(raw).request;
}

/** A stored request as matching sees it. */
export function requestView(request: StoredRequest): MatchRequestView {
  const body = request.body;
  let value: unknown;
  if (body === undefined) value = undefined;
  else if ('json' in body) value = body.json;
  else value = bodyForMatching('text' in body ? Buffer.from(body.text) : Buffer.from(body.base64, 'base64'), request.headers['content-type']);
  return { method: request.method, url: request.url, headers: request.headers, body: value };
}

/**
 * The match view of a live request without building its stored form, when redaction cannot
 * change anything that keys it (the common case: the secret is only in the auth header).
 * @note the replay hot path: undefined sends the request the long, always-right way.
 */
export function liveView(request: OutgoingRequest, redactor: Redactor, keyHeaders: readonly string[]): MatchRequestView | undefined {
  const text = request.body.length === 0 ? '' : exactText(request.body);
  if (text === undefined) return undefined;
  let keyed = '';
  for (const name of keyHeaders) keyed += `\n${request.headers[name] ?? ''}`;
  if (redactor.mayChange(`${text}${keyed}`)) return undefined;
  const json = text === '' ? undefined : tryParseJson(text);
  // @note the text already says whether an id field can be there: the key skips that walk
  if (json && !mayHoldIds(text)) idFree(json.value);
  return {
    method: request.method,
    url: redactor.url(request.url),
    headers: request.headers,
    body: text === '' ? undefined : (json?.value ?? bodyForMatching(request.body, request.headers['content-type'])),
  };
}
