import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CassetteError } from '../errors.js';
import type { CassetteData } from '../types.js';
import { decodeCassette, encodeCassette } from './codec.js';

export interface LoadedCassette {
  data: CassetteData;
  /** The exact text on disk, to skip writes that would change nothing. */
  text: string;
}

export async function loadCassette(file: string): Promise<LoadedCassette | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    // ENOTDIR: a path that cannot hold a file yet; the write will say why
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new CassetteError('LLM_CASSETTE_FORMAT', `cassettes: cannot read cassette ${file}: ${(error as Error).message}`, {
      file,
      cause: error,
    });
  }
  return { data: decodeCassette(text, file), text };
}

/**
 * Writes only when the text changed, through a temp file and a rename in the same folder, so a
 * crash or a full disk never leaves a half-written cassette in place of a good one.
 */
export async function saveCassette(file: string, data: CassetteData, previousText: string | undefined): Promise<boolean> {
  const text = encodeCassette(data);
  if (text === previousText) return false;
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(temp, text, 'utf8');
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw new CassetteError(
      'LLM_CASSETTE_WRITE',
      `cassettes: could not write cassette ${file}: ${(error as Error).message}\n` +
        `  the previous file (if any) is intact; the responses were served but this recording is lost\n` +
        `  fix: make the folder writable, or set the dir option to a writable folder`,
      { file, cause: error },
    );
  }
  return true;
}
