import { describeAge, parseDuration } from '../duration.js';
import { CassetteError } from '../errors.js';
import type { RecordPolicy } from '../record-mode.js';
import type { CassetteData, CassetteOptions, TimelineEntry } from '../types.js';

/** What `maxAge` found in a loaded cassette, and what the session does about it. */
export interface Expiry {
  /** Places (in the timeline) of recordings older than maxAge. */
  expired: number[];
  /**
   * Re-recorded: the session leaves the expired ones out (they miss and are recorded again; places
   * keep their numbers), and they are dropped from the file when a fresh one takes their key.
   */
  rerecord: boolean;
  /** The error `expired: 'error'` fails the cassette with, when something expired. */
  error: CassetteError | undefined;
  /** The warning line for `expired: 'warn'`. */
  warning: string | undefined;
}

/**
 * `maxAge` (`'30d'`, or ms) and `expired` (`'warn'` by default, `'error'`, `'record'`), as Polly's
 * expiresIn / expiryStrategy: a recording older than maxAge is reported, fails the cassette, or is
 * re-recorded where the mode records (elsewhere `'record'` warns).
 */
export function checkExpiry(loaded: CassetteData | undefined, options: CassetteOptions, policy: RecordPolicy, file: string, now = Date.now()): Expiry {
  const none: Expiry = { expired: [], rerecord: false, error: undefined, warning: undefined };
  if (options.maxAge === undefined || !loaded) return none;
  const maxAge = parseDuration(options.maxAge);
  if (maxAge === undefined) {
    throw new CassetteError(
      'LLM_CASSETTE_OPTIONS',
      `cassettes: maxAge ${JSON.stringify(options.maxAge)} is not a duration\n  fix: a number of milliseconds, or '30d', '12h', '90m', '2w'`,
      { file },
    );
  }
  const isExpired = (entry: TimelineEntry): boolean => !('note' in entry) && now - Date.parse(entry.recordedAt) > maxAge;
  const expired = loaded.interactions.flatMap((entry, i) => (isExpired(entry) ? [i] : []));
  if (expired.length === 0) return none;
  const oldest = Math.min(...expired.map((i) => Date.parse(loaded.interactions[i]!.recordedAt)));
  const what = `${expired.length} recording(s) in ${file} are older than maxAge ${options.maxAge} (#${expired.join(', #')}; the oldest ${describeAge(now - oldest)} old)`;
  const strategy = options.expired ?? 'warn';
  if (strategy === 'record' && policy.onMiss === 'record') {
    return { ...none, expired, rerecord: true };
  }
  if (strategy === 'error') {
    const fix = '  fix:      re-record them (--record=new with expired: record, or --record=all), or raise maxAge';
    return { ...none, expired, error: new CassetteError('LLM_CASSETTE_EXPIRED', `cassettes: ${what}\n${fix}`, { file }) };
  }
  return { ...none, expired, warning: `cassettes: warning: ${what}; re-record them or raise maxAge` };
}

/** Whether a disk entry is an expired recording (for the save's drop rule). */
export function expiredBefore(maxAgeMs: number, now = Date.now()): (entry: TimelineEntry) => boolean {
  return (entry) => !('note' in entry) && now - Date.parse(entry.recordedAt) > maxAgeMs;
}
