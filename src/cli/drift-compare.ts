import { isHttp } from '../journal/timeline.js';
import { type RecordedEvent, recordedEvents } from '../stream/recorded-events.js';
import type { CassetteData, Interaction, StoredResponse } from '../types.js';
import { placesOf } from './places.js';
import { addShape, compareShapes, describeChange, opaque, type Shape } from './shape.js';
import { storedJson } from './stored-json.js';

/** The structural differences of one pair of recordings of the same request. */
export interface InteractionDrift {
  /** `#2 POST https://…` (the new recording's index). */
  label: string;
  changes: string[];
}

export interface CassetteDrift {
  drifted: InteractionDrift[];
  /** Recordings with no counterpart on the other side (`#3 POST https://…`): listed, not drift. */
  onlyOld: string[];
  onlyNew: string[];
}

/** A cassette's HTTP exchanges and, for each, its index in the whole timeline. */
function httpWithPlaces(data: CassetteData): { interactions: Interaction[]; places: number[] } {
  const interactions: Interaction[] = [];
  const places: number[] = [];
  data.interactions.forEach((entry, index) => {
    if (!isHttp(entry)) return;
    interactions.push(entry);
    places.push(index);
  });
  return { interactions, places };
}

const label = (interaction: Interaction, index: number): string => `#${index} ${interaction.request.method} ${interaction.request.url}`;

/**
 * Compares the structure of two recordings of the same requests. Pairs by place (request key and
 * ordinal); what is left is paired by method, URL and order, so that requests whose bodies vary
 * from run to run (a timestamp in a prompt) are still compared.
 */
export function compareCassettes(beforeData: CassetteData, afterData: CassetteData): CassetteDrift {
  // HTTP exchanges only, each with its place in its timeline (what `#n` means everywhere)
  const before = httpWithPlaces(beforeData);
  const after = httpWithPlaces(afterData);
  const pairs: [number, number][] = [];
  const oldPlaces = placesOf(before.interactions);
  const newPlaces = placesOf(after.interactions);
  const freeOld = new Set(before.interactions.keys());
  const freeNew = new Set(after.interactions.keys());
  newPlaces.forEach((place, j) => {
    const i = oldPlaces.indexOf(place);
    if (i === -1) return;
    pairs.push([i, j]);
    freeOld.delete(i);
    freeNew.delete(j);
  });
  const route = (it: Interaction): string => `${it.request.method} ${it.request.url}`;
  for (const j of [...freeNew]) {
    const i = [...freeOld].find((candidate) => route(before.interactions[candidate]!) === route(after.interactions[j]!));
    if (i === undefined) continue;
    pairs.push([i, j]);
    freeOld.delete(i);
    freeNew.delete(j);
  }
  const drifted: InteractionDrift[] = [];
  for (const [i, j] of pairs.sort((a, b) => a[1] - b[1])) {
    const changes = compareInteractions(before.interactions[i]!, after.interactions[j]!);
    if (changes.length > 0) drifted.push({ label: label(after.interactions[j]!, after.places[j]!), changes });
  }
  return {
    drifted,
    onlyOld: [...freeOld].map((i) => label(before.interactions[i]!, before.places[i]!)),
    onlyNew: [...freeNew].map((j) => label(after.interactions[j]!, after.places[j]!)),
  };
}

export function compareInteractions(before: Interaction, after: Interaction): string[] {
  const a = before.response;
  const b = after.response;
  if (!a || !b) {
    if (!a && !b) return [];
    return [a ? `response → network error (${after.error?.code ?? after.error?.name})` : `network error → response ${b!.status}`];
  }
  const changes: string[] = [];
  if (a.status !== b.status) changes.push(`status ${a.status} → ${b.status}`);
  const typeA = mediaType(a);
  const typeB = mediaType(b);
  if (typeA !== typeB) changes.push(`content-type ${typeA ?? '(none)'} → ${typeB ?? '(none)'}`);
  const streamA = a.chunks !== undefined;
  if (streamA !== (b.chunks !== undefined)) {
    changes.push(streamA ? 'stream → whole body' : 'whole body → stream');
    return changes;
  }
  if (!streamA) {
    for (const change of compareShapes(bodyShape(a), bodyShape(b))) changes.push(`body ${describeChange(change)}`);
    return changes;
  }
  const eventsA = byEventType(recordedEvents(a) ?? []);
  const eventsB = byEventType(recordedEvents(b) ?? []);
  for (const type of [...new Set([...eventsA.keys(), ...eventsB.keys()])].sort()) {
    const shapeA = eventsA.get(type);
    const shapeB = eventsB.get(type);
    if (!shapeA) changes.push(`event type added: ${type}`);
    else if (!shapeB) changes.push(`event type vanished: ${type}`);
    else for (const change of compareShapes(shapeA, shapeB)) changes.push(`event ${type}: ${describeChange(change)}`);
  }
  return changes;
}

function mediaType(response: StoredResponse): string | undefined {
  const value = response.headers['content-type'];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined ? undefined : text.split(';')[0]!.trim().toLowerCase();
}

function bodyShape(response: StoredResponse): Shape {
  const shape: Shape = new Map();
  const body = response.body;
  if (body === undefined) return shape;
  const json = storedJson(body);
  addShape(shape, json !== undefined ? json : opaque('base64' in body ? 'bytes' : 'text'), '');
  return shape;
}

/**
 * Events grouped by type: the SSE event name, else the data's own `type` (or `object`, as in
 * OpenAI's chat chunks), else a short text such as `[DONE]`.
 */
function byEventType(events: readonly RecordedEvent[]): Map<string, Shape> {
  const groups = new Map<string, Shape>();
  for (const event of events) {
    const data = event.data as Record<string, unknown> | null;
    const fromData = event.json && data !== null && typeof data === 'object' ? (data['type'] ?? data['object']) : undefined;
    const type = event.event ?? (typeof fromData === 'string' ? fromData : event.json ? '(data)' : textType(String(event.data)));
    let shape = groups.get(type);
    if (!shape) groups.set(type, (shape = new Map()));
    addShape(shape, event.json ? event.data : opaque('text'), '');
  }
  return groups;
}

function textType(text: string): string {
  return text.length <= 24 && !/\s/.test(text) ? text : '(text)';
}
