import { isAbsolute } from 'node:path';
import { CassetteError } from '../errors.js';
import type { CassetteUse, RunReport } from './run-report.js';

const RUNNERS: readonly RunReport['runner'][] = ['vitest', 'jest', 'script'];

/**
 * Parses and validates a run report's JSON text (run-report.ts). Anything that is not a version 1
 * report is an LLM_CASSETTE_REPORT error naming the file and the first wrong field.
 */
export function parseRunReport(text: string, file: string): RunReport {
  const fail = (what: string): never => {
    throw new CassetteError(
      'LLM_CASSETTE_REPORT',
      `cassettes: ${file} is not a run report: ${what}\n  fix: pass the JSON report a whole test run wrote (LLM_CASSETTE_REPORT, or the runner plugin's report option)`,
      { file },
    );
  };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return fail(`not JSON (${(error as Error).message})`);
  }
  if (!isObject(raw)) return fail('the top level must be an object');
  if (raw['version'] !== 1) return fail(`unknown version ${JSON.stringify(raw['version'])} (this cassettes reads version 1)`);
  if (!RUNNERS.includes(raw['runner'] as RunReport['runner'])) return fail(`runner must be one of ${RUNNERS.join(', ')}`);
  for (const field of ['startedAt', 'finishedAt'] as const) {
    if (typeof raw[field] !== 'string' || Number.isNaN(Date.parse(raw[field]))) fail(`${field} must be an ISO date`);
  }
  if (typeof raw['filtered'] !== 'boolean') fail('filtered must be true or false');
  const dirs = raw['cassetteDirs'];
  if (!Array.isArray(dirs) || !dirs.every(isAbsolutePath)) fail('cassetteDirs must be a list of absolute paths');
  const cassettes = raw['cassettes'];
  if (!Array.isArray(cassettes)) return fail('cassettes must be a list');
  for (const [i, use] of cassettes.entries()) {
    const at = `cassettes[${i}]`;
    if (!isObject(use)) return fail(`${at} must be an object`);
    if (!isAbsolutePath(use['file'])) fail(`${at}.file must be an absolute path`);
    for (const field of ['names', 'modes'] as const) {
      if (!Array.isArray(use[field]) || !use[field].every((v) => typeof v === 'string')) fail(`${at}.${field} must be a list of strings`);
    }
    for (const field of ['sessions', 'replayed', 'recorded', 'refused', 'passedThrough'] as const) {
      if (!isCount(use[field])) fail(`${at}.${field} must be a whole number, 0 or more`);
    }
    const unused = use['unused'];
    if (!Array.isArray(unused) || !unused.every(isCount)) fail(`${at}.unused must be a list of interaction indices`);
    if (typeof use['written'] !== 'boolean') fail(`${at}.written must be true or false`);
  }
  return raw as unknown as RunReport & { cassettes: CassetteUse[] };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function isAbsolutePath(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && isAbsolute(value);
}
