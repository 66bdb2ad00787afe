import { describe, expect, test } from 'vitest';
import { decide, readsFile, recordPolicy } from './record-mode.js';
import { RECORD_MODES } from './types.js';

const NEW_FILE = { exists: false, createdThisRun: false };
const OLD_FILE = { exists: true, createdThisRun: false };
const THIS_RUN = { exists: true, createdThisRun: true };

// mode, the cassette on disk → loads, whenMissing, onMatch, onMiss, saves, reportsUnused
const TABLE = [
  ['none', OLD_FILE, true, 'fail', 'replay', 'refuse', 'nothing', true],
  ['none', NEW_FILE, true, 'fail', 'replay', 'refuse', 'nothing', true],
  ['once', NEW_FILE, true, 'start', 'replay', 'record', 'merge', true],
  ['once', THIS_RUN, true, 'start', 'replay', 'record', 'merge', true],
  ['once', OLD_FILE, true, 'start', 'replay', 'refuse', 'nothing', true],
  ['new', OLD_FILE, true, 'start', 'replay', 'record', 'merge', true],
  ['new', NEW_FILE, true, 'start', 'replay', 'record', 'merge', true],
  ['all', OLD_FILE, false, 'start', 'replay', 'record', 'rerecord', false],
  ['passthrough', OLD_FILE, false, 'start', 'passthrough', 'passthrough', 'nothing', false],
  ['warn', OLD_FILE, true, 'fail', 'replay', 'closest', 'nothing', true],
  ['hybrid', OLD_FILE, true, 'start', 'replay', 'passthrough', 'nothing', true],
  ['hybrid', NEW_FILE, true, 'start', 'replay', 'passthrough', 'nothing', true],
] as const;

describe('record-mode table', () => {
  test.each(TABLE)('%s with %o', (mode, disk, loads, whenMissing, onMatch, onMiss, saves, reportsUnused) => {
    expect(recordPolicy(mode, disk)).toEqual({ mode, loads, whenMissing, onMatch, onMiss, saves, reportsUnused });
  });

  test('every mode has a row', () => {
    expect(new Set(TABLE.map(([mode]) => mode))).toEqual(new Set(RECORD_MODES));
  });

  test('decide: a match takes onMatch, a miss onMiss', () => {
    const none = recordPolicy('none', OLD_FILE);
    expect([decide(none, true), decide(none, false)]).toEqual(['replay', 'refuse']);
    const fresh = recordPolicy('new', OLD_FILE);
    expect([decide(fresh, true), decide(fresh, false)]).toEqual(['replay', 'record']);
  });

  test('readsFile: all and passthrough never read the cassette file', () => {
    expect(RECORD_MODES.filter(readsFile)).toEqual(['none', 'once', 'new', 'warn', 'hybrid']);
  });
});
