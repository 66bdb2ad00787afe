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
