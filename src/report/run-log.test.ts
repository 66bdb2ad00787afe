import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { CassetteReport } from '../types.js';
import { noteFocused, noteSession, RUN_DIR_ENV, readRunLog, startRunLog } from './run-log.js';

afterEach(() => {
  delete process.env[RUN_DIR_ENV];
});

const report = { file: '/p/__cassettes__/a.yaml', name: 'a' } as CassetteReport;

describe('run log', () => {
  test('sessions and focused files come back apart; a focused file is listed once; a cut line is skipped; the folder is removed', () => {
    const dir = startRunLog();
    noteSession({ report, dir: '/p/__cassettes__', loaded: 2 });
    noteFocused('/p/test/c.test.ts');
    noteFocused('/p/test/c.test.ts');
    appendFileSync(join(dir, 'killed.jsonl'), '{"report":{"file":');
    const log = readRunLog(dir);
    expect(log.sessions).toEqual([{ report, dir: '/p/__cassettes__', loaded: 2 }]);
    expect(log.focused).toEqual(['/p/test/c.test.ts']);
    expect(existsSync(dir)).toBe(false);
  });

  test('outside a run (no folder in the environment) notes go nowhere, and a missing folder reads as empty', () => {
    noteFocused('/p/test/c.test.ts');
    expect(readRunLog('/nonexistent/cassettes-run-x')).toEqual({ sessions: [], focused: [] });
  });
});
