import type { CallRecord, Interaction, NoteRecord, TimelineEntry } from '../types.js';

export function isHttp(entry: TimelineEntry): entry is Interaction {
  return 'request' in entry;
}

export function isCall(entry: TimelineEntry): entry is CallRecord {
  return 'call' in entry;
}

export function isNote(entry: TimelineEntry): entry is NoteRecord {
  return 'note' in entry;
}

/** A cassette's HTTP exchanges, in order (its calls and notes left out). */
export function httpInteractions(data: { interactions: readonly TimelineEntry[] }): Interaction[] {
  return data.interactions.filter(isHttp);
}

/** One line naming an entry: `POST https://…`, `call tool:weather`, `note after-tool`. */
export function describeEntry(entry: TimelineEntry): string {
  if (isCall(entry)) return `call ${entry.call.name}`;
  if (isNote(entry)) return `note ${entry.note.label}`;
  return `${entry.request.method} ${entry.request.url}`;
}
