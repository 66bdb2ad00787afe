import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { UsageError } from './exit.js';
import type { CliIo } from './verbs.js';

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

/**
 * Parses a verb's arguments with node:util's parseArgs (strict: an unknown option or a missing
 * value is a UsageError). `--help`/`-h` prints `help` to stdout; the result is then undefined.
 */
export function parseVerbArgs(args: readonly string[], options: ParseArgsOptionsConfig, help: string, io: CliIo): ParsedArgs | undefined {
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs({ args: [...args], options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true }) as ParsedArgs;
  } catch (error) {
    // @note parseArgs' messages are one sentence plus advice on `--`; the first sentence is the point
    throw new UsageError(
      String((error as Error).message)
        .split('. ')[0]!
        .replace(/\.$/, ''),
    );
  }
  if (parsed.values['help'] === true) {
    io.out.write(`${help.trim()}\n`);
    return undefined;
  }
  return parsed;
}

export function stringOption(parsed: ParsedArgs, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function stringsOption(parsed: ParsedArgs, name: string): string[] {
  const value = parsed.values[name];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function flag(parsed: ParsedArgs, name: string): boolean {
  return parsed.values[name] === true;
}
