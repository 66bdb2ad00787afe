import { type KnownSecret, maskSecrets, secretsOfEnvironment } from '../redact/secret-shapes.js';
import type { CliIo } from './verbs.js';

type Stream = CliIo['out'];

/**
 * Colours only on a terminal, and never when NO_COLOR is set to anything (no-color.org) or the
 * terminal says it is dumb.
 */
export function useColour(stream: Stream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (stream.isTTY !== true) return false;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  return env['TERM'] !== 'dumb';
}

export interface Paint {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const SGR = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], cyan: [36, 39] } as const;

export function paint(enabled: boolean): Paint {
  const style =
    (name: keyof typeof SGR) =>
    (text: string): string =>
      enabled && text !== '' ? `\x1b[${SGR[name][0]}m${text}\x1b[${SGR[name][1]}m` : text;
  return { bold: style('bold'), dim: style('dim'), red: style('red'), green: style('green'), yellow: style('yellow'), cyan: style('cyan') };
}

/** Where a verb prints: every line scrubbed of secrets first (the values of the key variables, key shapes). */
export interface Printer {
  /** A line of results on stdout. */
  out(line: string): void;
  /** A line about a problem on stderr. */
  err(line: string): void;
  /** Styles for stdout. */
  paint: Paint;
  /** Masks secrets in a text that is not printed line by line (JSON output). */
  scrub(text: string): string;
}

export function printer(io: CliIo, env: NodeJS.ProcessEnv = process.env): Printer {
  const known: KnownSecret[] = secretsOfEnvironment(env);
  const scrub = (text: string): string => maskSecrets(text, known);
  return {
    out: (line) => io.out.write(`${scrub(line)}\n`),
    err: (line) => io.err.write(`${scrub(line)}\n`),
    paint: paint(useColour(io.out, env)),
    scrub,
  };
}
