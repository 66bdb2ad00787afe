// The report writer in this process: two writers for one directory stand for two workers of one
// run; the merged matrix holds both, and parts left by a run whose runner has exited are cleared.

import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ConformanceReport, reportFor } from '../../src/conformance/report.js';

const dir = mkdtempSync(join(tmpdir(), 'cassettes-report-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const partsRoot = (reportDir: string): string => join(tmpdir(), 'cassettes-conformance', createHash('sha1').update(reportDir).digest('hex').slice(0, 16));

describe('ConformanceReport', () => {
  test('two writers of one run merge into one conformance.json and conformance.md; a check recorded again replaces its result', () => {
    const target = join(dir, 'merged');
    const a = new ConformanceReport(target);
    const b = new ConformanceReport(target);
    a.record({ provider: 'alpha', check: 'first check', order: 0, status: 'pass' });
    b.record({ provider: 'beta', check: 'first check', order: 0, status: 'fail', detail: 'broke' });
    b.record({ provider: 'beta', check: 'second check', order: 1, status: 'skip', detail: 'capabilities.json is not declared' });
    a.record({ provider: 'alpha', check: 'first check', order: 0, status: 'fail', detail: 'broke later' });
    const matrix = JSON.parse(readFileSync(join(target, 'conformance.json'), 'utf8'));
    expect(matrix).toEqual({
      providers: ['alpha', 'beta'],
      checks: ['first check', 'second check'],
      results: {
        alpha: { 'first check': { status: 'fail', detail: 'broke later' } },
        beta: { 'first check': { status: 'fail', detail: 'broke' }, 'second check': { status: 'skip', detail: 'capabilities.json is not declared' } },
      },
    });
    expect(readFileSync(join(target, 'conformance.md'), 'utf8')).toContain('| first check | **fail** [1] | **fail** [2] |');
    // nothing but the two files in the report directory: parts live in the temp dir
    expect(readdirSync(target).sort()).toEqual(['conformance.json', 'conformance.md']);
  });

  test('parts of an earlier run whose runner has exited are removed; a part being written is skipped', () => {
    const target = join(dir, 'stale');
    const root = partsRoot(join(dir, 'stale'));
    const dead = join(root, '999999999');
    mkdirSync(dead, { recursive: true });
    writeFileSync(join(dead, 'old.json'), JSON.stringify([{ provider: 'ghost', check: 'c', order: 0, status: 'pass' }]));
    const report = new ConformanceReport(target);
    expect(readdirSync(root)).not.toContain('999999999');
    const run = readdirSync(root)[0]!;
    writeFileSync(join(root, run, 'half-written.json'), '[{"provider": "x"');
    report.record({ provider: 'live', check: 'c', order: 0, status: 'pass' });
    expect(JSON.parse(readFileSync(join(target, 'conformance.json'), 'utf8')).providers).toEqual(['live']);
  });

  test('reportFor: the option wins over LLM_CASSETTE_CONFORMANCE_REPORT; neither means no report; one writer per directory', () => {
    const previous = process.env['LLM_CASSETTE_CONFORMANCE_REPORT'];
    try {
      delete process.env['LLM_CASSETTE_CONFORMANCE_REPORT'];
      expect(reportFor(undefined)).toBeUndefined();
      process.env['LLM_CASSETTE_CONFORMANCE_REPORT'] = join(dir, 'from-env');
      expect(reportFor(undefined)?.dir).toBe(join(dir, 'from-env'));
      expect(reportFor(join(dir, 'from-option'))?.dir).toBe(join(dir, 'from-option'));
      expect(reportFor(join(dir, 'from-option'))).toBe(reportFor(join(dir, 'from-option')));
    } finally {
      if (previous === undefined) delete process.env['LLM_CASSETTE_CONFORMANCE_REPORT'];
      else process.env['LLM_CASSETTE_CONFORMANCE_REPORT'] = previous;
    }
  });
});
