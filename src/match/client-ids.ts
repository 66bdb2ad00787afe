import type { StoredResponse } from '../types.js';

/**
 * Ids that a client made up itself and sends to the provider (the Vercel AI SDK with Gemini sends
 * its own `functionCall.id` / `functionResponse.id`; other clients put UUIDs in metadata) differ
 * on every run, so a recorded follow-up request could never match. The built-in normaliser
 * replaces, in a request body, every string value of an id field that no response of the cassette
 * held (nor one recorded in this session) by `<client-id-n>`, numbered by order of appearance in
 * that body. An id the provider sent (a tool call's `call_…`, `toolu_…`, a
 * `previous_response_id`) is in a response and still has to match exactly.
 * @note any response, not only earlier ones: a cassette shared by several tests holds responses
 * that one test's session never saw, and both sides must draw the line in the same place.
 *
 * Id fields: keys named `id`, or ending in `_id` or `Id` (`tool_call_id`, `call_id`,
 * `toolCallId`, `request_id`), at any depth of a JSON request body.
 */
const ID_KEY = /^(?:id|.+_id|.+Id)$/;

export const CLIENT_ID_PREFIX = '<client-id-';

export function isIdKey(key: string): boolean {
  return ID_KEY.test(key);
}

/** Whether a JSON text could hold an id field at all: a cheap test before a walk. */
export function mayHoldIds(text: string): boolean {
  return text.includes('id"') || text.includes('Id"');
}

/** Bodies already walked: a loaded request is asked twice (the index, then its key). */
const holding = new WeakMap<object, boolean>();

/** Whether a parsed body has an id field with a string value anywhere. */
export function holdsIds(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  let known = holding.get(value);
  if (known === undefined) {
    known = walkForIds(value, false);
    holding.set(value, known);
  }
  return known;
}

/** A body whose text has no `id"` / `Id"` in it: no walk needed to know it holds no id field. */
export function idFree(value: unknown): void {
  if (value !== null && typeof value === 'object') holding.set(value, false);
}

// @note for-in and index loops, not Object.entries: this runs over every request body at load
function walkForIds(value: unknown, underIdKey: boolean): boolean {
  if (typeof value === 'string') return underIdKey;
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (walkForIds(value[i], underIdKey)) return true;
    return false;
  }
  for (const key in value) if (walkForIds((value as Record<string, unknown>)[key], ID_KEY.test(key))) return true;
  return false;
}

/**
 * The body with its client-made ids replaced. `known`: every id the cassette's responses held. Keys are visited in sorted order, so the numbering does not depend on key order.
 */
export function normalizeClientIds(body: unknown, known: ReadonlySet<string>): unknown {
  const numbers = new Map<string, number>();
  const visit = (value: unknown, underIdKey: boolean): unknown => {
    if (typeof value === 'string') {
      if (!underIdKey || known.has(value)) return value;
      let n = numbers.get(value);
      if (n === undefined) {
        n = numbers.size + 1;
        numbers.set(value, n);
      }
      return `${CLIENT_ID_PREFIX}${n}>`;
    }
    if (Array.isArray(value)) return value.map((item) => visit(item, underIdKey));
    if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return Object.fromEntries(entries.map(([key, item]) => [key, visit(item, isIdKey(key))]));
    }
    return value;
  };
  return visit(body, false);
}

/** The string values of id fields anywhere in a stored response (JSON body, SSE events, JSON lines). */
export function responseIds(response: StoredResponse | undefined): string[] {
  if (!response) return [];
  const found: string[] = [];
  const collect = (value: unknown, underIdKey: boolean): void => {
    if (typeof value === 'string') {
      if (underIdKey) found.push(value);
    } else if (Array.isArray(value)) {
      for (const item of value) collect(item, underIdKey);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) collect(item, isIdKey(key));
    }
  };
  const collectText = (text: string): void => {
    if (!mayHoldIds(text)) return;
    for (const line of text.split('\n')) {
      const json = line.startsWith('data:') ? line.slice(5).trim() : line.trim();
      if (json.startsWith('{') || json.startsWith('[')) {
        try {
          collect(JSON.parse(json), false);
        } catch {
          // not JSON: no ids to learn
        }
      }
    }
  };
  const body = response.body;
  if (body && 'json' in body) collect(body.json, false);
  else if (body && 'text' in body) collectText(body.text);
  // text chunks are joined first: a chunk may end inside a JSON line
  let text = '';
  for (const chunk of response.chunks ?? []) {
    if (chunk.events) {
      for (const event of chunk.events) {
        if (event.data !== undefined) collect(event.data, false);
        else collectText(event.dataText ?? '');
      }
    } else if (chunk.text !== undefined) text += chunk.text;
  }
  if (text) collectText(text);
  return found;
}
