import { readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { decodeCassette } from '../cassette/codec.js';
import { writeCassette } from '../cassette/store.js';
import type { CassetteData } from '../types.js';
import { UsageError } from './exit.js';

/** The folder the library writes cassettes to by default. */
export const DEFAULT_DIR = '__cassettes__';

const CASSETTE_FILE = /\.ya?ml$/;

/** A path as the user should read it: relative to the working directory when it is inside it. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/**
 * The cassette files named by `paths`: a file as given (whatever its name), a folder's `.yaml` /
 * `.yml` files at any depth (hidden entries and node_modules skipped), sorted. No paths: the
 * default folder. A path that does not exist is a UsageError.
 */
export async function cassetteFiles(paths: readonly string[]): Promise<string[]> {
  const wanted = paths.length > 0 ? paths : [DEFAULT_DIR];
  const files: string[] = [];
  for (const path of wanted) {
    const info = await stat(path).catch(() => undefined);
    if (!info) {
      throw new UsageError(
        paths.length > 0 ? `no such file or folder: ${path}` : `no ${DEFAULT_DIR} folder here (${process.cwd()}); name the cassettes or their folder`,
      );
    }
    if (info.isDirectory()) files.push(...(await filesUnder(path)));
    else files.push(path);
  }
  return [...new Set(files.map((f) => resolve(f)))].sort();
}

async function filesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await filesUnder(path)));
    else if (entry.isFile() && CASSETTE_FILE.test(entry.name)) found.push(path);
  }
  return found;
}

/** The text of one cassette file; a missing file or a folder is a UsageError. */
export async function readCassetteText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`no such file: ${file}`);
    if (code === 'EISDIR') throw new UsageError(`${file} is a folder; name a cassette file in it`);
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

export interface CassetteFile {
  file: string;
  text: string;
  data: CassetteData;
}

/** Reads and decodes one cassette with the library's codec (its CassetteFormatError passes through). */
export async function readCassetteFile(file: string): Promise<CassetteFile> {
  const text = await readCassetteText(file);
  return { file, text, data: decodeCassette(text, displayPath(file)) };
}

/**
 * Writes a cassette in canonical form, atomically, only when its text changes; returns whether
 * it wrote. The verbs that rewrite files (prune, merge, verify --fix) all go through here.
 */
export function writeCassetteFile(file: string, data: CassetteData): Promise<boolean> {
  return writeCassette(file, data);
}
