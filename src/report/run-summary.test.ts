import { describe, expect, test } from 'vitest';
import type { CassetteReport } from '../types.js';
import type { SessionNote } from './run-log.js';
import { buildRunReport, formatSummary } from './run-summary.js';

const report = (over: Partial<CassetteReport>): CassetteReport => ({
  name: 'n',
  file: '/p/__cassettes__/n.yaml',
  mode: 'none',
  replayed: 0,
  recorded: 0,
  refused: 0,
  passedThrough: 0,
  warned: 0,
  calls: { replayed: 0, recorded: 0, refused: 0, warned: 0 },
  unused: [],
  written: false,
  bytesReplayed: 0,
  tokensReplayed: { inputTokens: 0, outputTokens: 0 },
  timeSavedMs: 0,
  ...over,
});
const note = (over: Partial<CassetteReport>, loaded: number): SessionNote => ({ report: report(over), dir: '/p/__cassettes__', loaded });
const run = { runner: 'vitest' as const, startedAt: 0, filtered: false };

describe('buildRunReport', () => {
  test('an interaction is unused by the run only when no session of its file used it', () => {
    const built = buildRunReport([note({ replayed: 1, unused: [1, 2] }, 3), note({ replayed: 1, unused: [0, 2] }, 3)], run);
    expect(built.cassettes).toEqual([expect.objectContaining({ file: '/p/__cassettes__/n.yaml', sessions: 2, replayed: 2, unused: [2] })]);
  });

  test('a session that loaded fewer interactions (the file grew during the run) does not hide later ones', () => {
    const built = buildRunReport([note({ unused: [] }, 1), note({ unused: [0, 1] }, 2)], run);
    expect(built.cassettes[0]?.unused).toEqual([1]);
  });

  test('a session in mode all marks nothing used (it loaded nothing); the others decide', () => {
    const built = buildRunReport([note({ mode: 'all', recorded: 2 }, 0), note({ unused: [0] }, 2)], run);
    expect(built.cassettes[0]?.unused).toEqual([0]);
  });

  test('the summary is empty when no cassette was used, one line and the unused ones otherwise', () => {
    expect(formatSummary(buildRunReport([], run), 0)).toBe('');
    const text = formatSummary(buildRunReport([note({ replayed: 2, unused: [1] }, 2)], { ...run, filtered: true }), 1234, '/p');
    expect(text).toBe('cassettes: 1 cassette · 2 replayed · 0 recorded · 0 refused · 1 unused · 1,234 tokens replayed\n  unused: __cassettes__/n.yaml #1');
  });
});
