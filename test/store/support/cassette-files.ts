import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeCassette } from '../../../src/cassette/codec.js';
import { isHttp } from '../../../src/journal/timeline.js';
import type { HttpCassette } from '../../support/http-cassette.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const WRITER = join(ROOT, 'test/store/support/writer.ts');

export interface WriterInput {
  dir: string;
  name: string;
  baseUrl: string;
  id: string;
  rounds: number;
  parallel: number;
  perCall: number;
  mode: 'new' | 'once' | 'all';
}

/** The prompt of every interaction, checking on the way that each answer is its own request's. */
export function promptsIn(data: HttpCassette): string[] {
  return data.interactions.map((interaction) => {
    const body = interaction.request.body as { json: { messages: { content: string }[] } };
    const prompt = body.json.messages.at(-1)!.content;
    const answer = interaction.response?.body as { json?: { echo?: string } } | undefined;
    if (answer?.json?.echo !== prompt) throw new Error(`interaction for ${prompt} holds the answer to ${JSON.stringify(answer)}`);
    return prompt;
  });
}

/** Decodes (and so validates) the cassette: throws a CassetteFormatError when it is corrupt. */

export function readCassetteFile(file: string): HttpCassette {
  const data = decodeCassette(readFileSync(file, 'utf8'), file);
  if (!data.interactions.every(isHttp)) throw new Error(`${file} holds journal entries`);
  return data as HttpCassette;
}

/** Temp files of `file` left beside it, and whether its lock directory is there. */
export function litter(file: string): { temps: string[]; lock: boolean } {
  const prefix = `.${basename(file)}.`;
  const temps = existsSync(dirname(file)) ? readdirSync(dirname(file)).filter((name) => name.startsWith(prefix) && name.endsWith('.tmp')) : [];
  return { temps, lock: existsSync(`${file}.lock`) };
}

export interface Writer {
  /** Prompts of every withCassette call that returned, as the process reported them. */
  saved: string[];
  output: () => string;
  ready: Promise<void>;
  /** Resolves at the first `saved` line (or at exit). */
  firstSave: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill: () => void;
}

/** Starts test/store/support/writer.ts in a fresh Node process (the built package). */
export function startWriter(input: WriterInput): Writer {
  const child = spawn(process.execPath, [WRITER, JSON.stringify(input)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const saved: string[] = [];
  let output = '';
  let pending = '';
  let onReady!: () => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  let onSave!: () => void;
  const firstSave = new Promise<void>((resolve) => (onSave = resolve));
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    output += text;
    pending += text;
    let newline = pending.indexOf('\n');
    while (newline !== -1) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (line === 'ready') onReady();
      else if (line.startsWith('saved ')) {
        saved.push(...(JSON.parse(line.slice(6)) as string[]));
        onSave();
      }
      newline = pending.indexOf('\n');
    }
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => (output += text));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  void exited.then(() => {
    onReady();
    onSave();
  });
  return { saved, output: () => output, ready, firstSave, exited, kill: () => child.kill('SIGKILL') };
}
