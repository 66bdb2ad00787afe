import { CassetteError, NoMatchError } from '../errors.js';
import { hashIdentity } from '../match/request-key.js';
import { decide, type RecordPolicy } from '../record-mode.js';
import type { RecordingLog } from '../session/recording-log.js';
import { now, sleep } from '../stream/clock.js';
import type { CallRecord, RecordedBy, StoredCallError, TimingMode } from '../types.js';
import { type CallRecording, type CallRecordings, callIdentity } from './call-recordings.js';
import { type CallEvent, type CassetteRef, listening, publish } from './events.js';
import { assertJson } from './json-value.js';

/** What the journal needs from its cassette session. */
export interface JournalHost {
  readonly policy: RecordPolicy;
  readonly timing: TimingMode;
  readonly ref: CassetteRef;
  readonly errors: CassetteError[];
  readonly log: RecordingLog;
  /** The value with every known secret scrubbed (the session's redaction). */
  scrub<T>(value: T): T;
  /** The test running now, when a runner integration knows it. */
  test(): RecordedBy | undefined;
}

/**
 * Non-HTTP calls and notes in a cassette's timeline: `cassette.call(name, input, fn)` records
 * what `fn` returned or threw, and replays it without running `fn`, by the same mode rules as
 * HTTP (keyed by name and canonical input, repeated calls in order).
 */
export class Journal {
  readonly counts = { replayed: 0, recorded: 0, refused: 0, warned: 0 };

  constructor(
    private readonly host: JournalHost,
    private readonly calls: CallRecordings,
  ) {}

  async call<T>(name: string, input: unknown, fn: () => T | Promise<T>): Promise<T> {
    if (typeof name !== 'string' || name === '' || typeof fn !== 'function') {
      throw new CassetteError(
        'LLM_CASSETTE_OPTIONS',
        `cassettes: cassette.call(name, input, fn) needs a name and a function (got ${typeof name}, ${typeof fn})`,
      );
    }
    assertJson(input, 'input', `the input of call "${name}"`);
    const stored = this.host.scrub(input);
    const identity = callIdentity(name, stored);
    const recording = this.calls.take(identity);
    switch (decide(this.host.policy, recording !== undefined)) {
      case 'replay':
        return this.replay(recording!, 'replayed');
      case 'closest': {
        const closest = this.calls.closest(name);
        if (!closest) return this.refuse(name, stored);
        process.stderr.write(`cassettes: warning: no recorded call ${name} with this input in ${this.host.ref.file}; answered from #${closest.index}\n`);
        this.counts.warned++;
        return this.replay(closest, 'replayed');
      }
      case 'refuse':
        return this.refuse(name, stored);
      case 'passthrough':
        this.event(name, 'passed-through', 0, false);
        return fn();
      case 'record':
        return this.record(name, stored, identity, fn);
    }
  }

  /** Indices (in the timeline) of recorded calls this session never used. */
  unused(): number[] {
    return this.calls.unused();
  }

  /** A checkpoint: kept in the timeline when the cassette saves what it records; replay ignores it. */
  note(label: string, data?: unknown): void {
    if (this.host.policy.saves === 'nothing' || this.host.policy.onMiss !== 'record') return;
    if (data !== undefined) assertJson(data, 'data', `the data of note "${label}"`);
    const slot = this.host.log.reserve();
    const note: { label: string; data?: unknown } = { label };
    if (data !== undefined) note.data = this.host.scrub(data);
    this.host.log.fill(slot, { recordedAt: new Date().toISOString(), ...this.attribution(), note });
  }

  private async replay<T>(recording: CallRecording, outcome: 'replayed'): Promise<T> {
    this.counts.replayed++;
    const { call } = recording.record;
    const speed = this.host.timing === 'instant' ? 0 : this.host.timing === 'recorded' ? 1 : this.host.timing.speed;
    if (speed > 0) await sleep(call.durationMs / speed);
    this.event(call.name, outcome, call.durationMs, call.error !== undefined);
    if (call.error) throw rebuildError(call.error);
    return structuredClone(call.output) as T;
  }

  private refuse(name: string, input: unknown): never {
    this.counts.refused++;
    this.event(name, 'refused', 0, true);
    const closest = this.calls.closest(name);
    const shown = JSON.stringify(input);
    const error = new NoMatchError(
      [
        `cassettes: no recorded call ${name} matches the input ${shown.length > 200 ? `${shown.slice(0, 197)}...` : shown}`,
        `  cassette: ${this.host.ref.file} (mode: ${this.host.ref.mode})`,
        closest
          ? `  closest:  #${closest.index}, input ${JSON.stringify(closest.record.call.input).slice(0, 200)}`
          : `  closest:  (no call named ${name} was recorded)`,
        `  fix:      re-record with --record=new, or LLM_CASSETTE_RECORD=new`,
      ].join('\n'),
      { file: this.host.ref.file, method: 'CALL', url: name },
    );
    this.host.errors.push(error);
    throw error;
  }

  private async record<T>(name: string, input: unknown, identity: string, fn: () => T | Promise<T>): Promise<T> {
    const slot = this.host.log.reserve();
    const recordedAt = new Date().toISOString();
    const started = now();
    const base = { key: hashIdentity(identity), recordedAt, ...this.attribution() };
    const done = (call: Omit<CallRecord['call'], 'name' | 'input' | 'durationMs'>): number => {
      const durationMs = Math.round((now() - started) * 10) / 10;
      this.host.log.fill(slot, { ...base, call: { name, input, ...call, durationMs } });
      this.counts.recorded++;
      return durationMs;
    };
    let output: T;
    try {
      output = await fn();
    } catch (error) {
      this.event(name, 'recorded', done({ error: this.host.scrub(storedError(error)) }), true);
      throw error;
    }
    if (output !== undefined) assertJson(output, 'output', `the output of call "${name}"`);
    this.event(name, 'recorded', done(output === undefined ? {} : { output: this.host.scrub(output) }), false);
    return output;
  }

  private attribution(): { test?: RecordedBy } {
    const test = this.host.test();
    return test ? { test } : {};
  }

  private event(name: string, outcome: CallEvent['outcome'], durationMs: number, failed: boolean): void {
    if (listening('call')) publish('call', { type: 'call', outcome, cassette: this.host.ref, name, durationMs, failed });
  }
}

/** What a thrown value becomes in the cassette. */
function storedError(thrown: unknown): StoredCallError {
  if (!(thrown instanceof Error) && (typeof thrown !== 'object' || thrown === null)) return { name: 'Error', message: String(thrown) };
  const error = thrown as Error & Record<string, unknown>;
  const stored: StoredCallError = { name: error.name ?? 'Error', message: String(error.message ?? '') };
  if (typeof error['code'] === 'string' || typeof error['code'] === 'number') stored.code = error['code'];
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (key === 'code' || key === 'name' || key === 'message' || key === 'stack' || value === undefined) continue;
    try {
      assertJson(value, key, 'an error property');
      data[key] = value;
    } catch {
      // not JSON: left out (the error still rethrows with its name, message and code)
    }
  }
  if (Object.keys(data).length > 0) stored.data = data;
  return stored;
}

/** An error equivalent to the recorded one: same name, message, code and JSON properties. */
function rebuildError(stored: StoredCallError): Error {
  const error = new Error(stored.message) as Error & Record<string, unknown>;
  error.name = stored.name;
  if (stored.code !== undefined) error['code'] = stored.code;
  if (stored.data) Object.assign(error, structuredClone(stored.data));
  return error;
}
