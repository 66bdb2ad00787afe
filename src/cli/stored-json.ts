import { tryParseJson } from '../match/body.js';
import type { StoredBody } from '../types.js';

/** A stored body as a JSON value where it is JSON (padded JSON kept as text too); else undefined. */
export function storedJson(body: StoredBody | undefined): unknown {
  if (body === undefined) return undefined;
  if ('json' in body) return body.json;
  if ('text' in body) return tryParseJson(body.text)?.value;
  return undefined;
}
