import { configure } from '../config.js';
import { CassetteError } from '../errors.js';
import type { CassetteOptions, ConfigureOptions } from '../types.js';

/** Options a runner plugin hands to its workers: JSON only (functions go through configure()). */
export const PLUGIN_OPTIONS_ENV = 'LLM_CASSETTE_PLUGIN_OPTIONS';

export type SerializableOptions = Omit<ConfigureOptions, 'beforeRecord' | 'onReport' | 'match' | 'normalize' | 'normalizeOrigin' | 'redact' | 'ignore'> & {
  normalizeOrigin?: boolean;
  /** Hosts and URL or path prefixes (RegExps and predicates go through configure()). */
  ignore?: string[];
  redact?: Omit<NonNullable<CassetteOptions['redact']>, 'patterns'> & { patterns?: string[] };
};

export function encodePluginOptions(options: SerializableOptions): string {
  return JSON.stringify(options);
}

export function applyPluginOptions(): void {
  const raw = process.env[PLUGIN_OPTIONS_ENV];
  if (!raw) return;
  let parsed: SerializableOptions;
  try {
    parsed = JSON.parse(raw) as SerializableOptions;
  } catch (error) {
    throw new CassetteError('LLM_CASSETTE_OPTIONS', `cassettes: cannot read ${PLUGIN_OPTIONS_ENV}: ${(error as Error).message}`);
  }
  const { redact, ...rest } = parsed;
  const options: ConfigureOptions = { ...rest };
  if (redact) {
    const { patterns, ...others } = redact;
    options.redact = { ...others, ...(patterns ? { patterns: patterns.map((p) => new RegExp(p, 'g')) } : {}) };
  }
  configure(options);
}
