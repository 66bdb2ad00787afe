import stableStringify from 'fast-json-stable-stringify';
import type { CallRecord, TimelineEntry } from '../types.js';
import { isCall } from './timeline.js';

/** A call's identity: its name and canonical input (keys sorted), as for an HTTP request's body. */
export function callIdentity(name: string, input: unknown): string {
  return `call ${name}\n${stableStringify(input ?? null)}`;
}

export interface CallRecording {
  readonly record: CallRecord;
  /** Its place in the cassette's timeline. */
  readonly index: number;
  readonly identity: string;
  uses: number;
}

/** The calls a session loaded: taken by identity in recorded order, like HTTP recordings. */
export class CallRecordings {
  private readonly byKey = new Map<string, CallRecording[]>();
  private readonly list: CallRecording[] = [];

  constructor(
    entries: readonly TimelineEntry[],
    private readonly allowRepeats: boolean,
  ) {
    entries.forEach((entry, index) => {
      if (!isCall(entry)) return;
      const recording: CallRecording = { record: entry, index, identity: callIdentity(entry.call.name, entry.call.input), uses: 0 };
      this.list.push(recording);
      const group = this.byKey.get(recording.identity);
      if (group) group.push(recording);
      else this.byKey.set(recording.identity, [recording]);
    });
  }

  get size(): number {
    return this.list.length;
  }

  take(identity: string): CallRecording | undefined {
    const group = this.byKey.get(identity);
    if (!group) return undefined;
    const chosen = group.find((r) => r.uses === 0) ?? (this.allowRepeats ? group[group.length - 1] : undefined);
    if (chosen) chosen.uses++;
    return chosen;
  }

  /** The recorded call of the same name closest to a live one: the first unused, else the first. */
  closest(name: string): CallRecording | undefined {
    const named = this.list.filter((r) => r.record.call.name === name);
    return named.find((r) => r.uses === 0) ?? named[0];
  }

  unused(): number[] {
    return this.list.filter((r) => r.uses === 0).map((r) => r.index);
  }
}
