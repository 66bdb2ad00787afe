import type { CassetteError } from '../errors.js';
import type { CassetteReport, RecordMode } from '../types.js';

/** What a session's cassette did, answered when the session is re-pointed or ends. */
export interface SessionSummary {
  name: string;
  file: string;
  mode: RecordMode;
  replayed: number;
  recorded: number;
  /** Requests the mode sent on live without recording them (passthrough, hybrid). */
  passedThrough: number;
  /** Misses answered from the closest recording (mode `warn`). */
  warned: number;
  /** How many recordings this cassette loaded and never replayed. */
  unused: number;
  /** Refused requests: each message names the request, the cassette, the closest recording, the fix. */
  misses: { message: string }[];
  /** Whatever else the cassette failed with (a 401 while recording, a write that failed…). */
  errors: { code: string; message: string }[];
  /** The file was written (something new was recorded). */
  written: boolean;
}

export function summaryOf(report: CassetteReport, errors: readonly CassetteError[]): SessionSummary {
  return {
    name: report.name,
    file: report.file,
    mode: report.mode,
    replayed: report.replayed,
    recorded: report.recorded,
    passedThrough: report.passedThrough,
    warned: report.warned,
    unused: report.unused.length,
    misses: errors.filter((e) => e.code === 'LLM_CASSETTE_NO_MATCH').map((e) => ({ message: e.message })),
    errors: errors.filter((e) => e.code !== 'LLM_CASSETTE_NO_MATCH').map((e) => ({ code: e.code, message: e.message })),
    written: report.written,
  };
}
