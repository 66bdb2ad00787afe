import { parseMode, TIMING_ENV, validateTiming } from '../config.js';
import { CassetteError } from '../errors.js';
import type { CassetteOptions, RecordMode, TimingMode } from '../types.js';

/** What `startServer()` takes; `cassettes serve` maps its flags onto the same names. */
export interface ServeOptions {
  /** Folder of cassettes; default `__cassettes__` under the working directory. */
  dir?: string;
  /**
   * The record mode of every session that names none. Default, as in-process: `--record` on the
   * server's command line, LLM_CASSETTE_RECORD, then `none` under CI and `once` elsewhere.
   */
  mode?: RecordMode;
  /** Replay timing of every session that names none. Default: LLM_CASSETTE_TIMING, else `recorded`. */
  timing?: TimingMode;
  /** Default 0: a free port, never a fixed one. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Mount name → URL: points a provider mount elsewhere (a gateway, a local test server) or adds a mount. */
  upstream?: Record<string, string>;
  /**
   * Mount name → `env:VAR`: the server sends the key in VAR upstream (in the provider's own key
   * header), so the app can run with a placeholder. Keys are never stored or printed.
   */
  key?: Record<string, string>;
  /** The cassette requests that name no session go to (`--cassette`). */
  cassette?: string;
  /** Matching, redaction and recording options every session's cassette gets, as withCassette takes them. */
  cassetteOptions?: Omit<CassetteOptions, 'mode' | 'timing' | 'dir'>;
  /** Where miss messages and notices go, a line at a time; default stderr. */
  log?: (line: string) => void;
}

/** `recorded`, `instant`, or a speed factor (`2` plays twice as fast). */
export function parseTiming(value: string, source: string): TimingMode {
  if (value === 'recorded' || value === 'instant') return value;
  const speed = Number(value);
  if (value.trim() !== '' && Number.isFinite(speed) && speed > 0) return { speed };
  throw new CassetteError(
    'LLM_CASSETTE_OPTIONS',
    `cassettes: invalid timing "${value}" from ${source}\n  valid:      recorded, instant, or a speed factor > 0 (e.g. 2)`,
  );
}

/** A timing from a JSON body: the same forms, or `{ speed }`. */
export function timingFromJson(value: unknown, source: string): TimingMode | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return parseTiming(value, source);
  if (typeof value === 'number') return parseTiming(String(value), source);
  return validateTiming(value as TimingMode, source);
}

export function modeFromJson(value: unknown, source: string): RecordMode | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new CassetteError('LLM_CASSETTE_MODE', `cassettes: the mode from ${source} must be a string`);
  return parseMode(value, source);
}

/**
 * A session's timing: its own, else the server's, else LLM_CASSETTE_TIMING (openCassette reads
 * it), else `recorded`.
 * @note recorded, not instant as in-process: what an end-to-end test looks at is a UI that streams.
 */
export function sessionTiming(own: TimingMode | undefined, server: TimingMode | undefined): TimingMode | undefined {
  if (own !== undefined) return own;
  if (server !== undefined) return server;
  return process.env[TIMING_ENV] ? undefined : 'recorded';
}

/** `env:VAR` → the key in VAR, read when a request needs it (a key set after start is seen). */
export function keySources(keys: Readonly<Record<string, string>> = {}): Map<string, string> {
  const out = new Map<string, string>();
  for (const [mount, spec] of Object.entries(keys)) {
    const match = /^env:([A-Za-z_][A-Za-z0-9_]*)$/.exec(spec);
    if (!match) {
      throw new CassetteError(
        'LLM_CASSETTE_OPTIONS',
        `cassettes: --key ${mount}=…: a key is given as env:VAR, the environment variable that holds it (a key on a command line shows in process lists)\n` +
          `  fix:      e.g. --key ${mount}=env:OPENAI_API_KEY`,
      );
    }
    out.set(mount, match[1]!);
  }
  return out;
}

/** A cassette name from a client: relative, inside the cassette folder. */
export function checkCassetteName(name: unknown, source: string): string {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new CassetteError('LLM_CASSETTE_SERVE', `cassettes: ${source} needs a "name": the cassette's name, e.g. "chat/says hello"`);
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters cannot be in a file name
  if (/^[\\/]|^[a-z]:/i.test(name) || name.split(/[\\/]/).includes('..') || /[\u0000-\u001f]/.test(name)) {
    throw new CassetteError(
      'LLM_CASSETTE_SERVE',
      `cassettes: ${source}: the cassette name ${JSON.stringify(name)} must be a relative path inside the cassette folder (no leading /, no ..)`,
    );
  }
  return name;
}
