import { randomBytes } from 'node:crypto';
import { type FileHandle, open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * `.<name>.yaml.<pid>.<hex>.tmp` beside the cassette: the same folder, so the rename that
 * replaces the cassette is atomic. Only a writer holding the cassette's lock makes one.
 */
function tempName(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Replaces `file` with `text` so that a crash at any point leaves either the old file or the new
 * one: the text goes to a temp file, which is flushed to disk (fsync) before it is renamed over
 * the cassette, and the folder is flushed after, so a power cut cannot leave an empty file or
 * lose the rename. A failure removes the temp file.
 */
export async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = tempName(file);
  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, 'wx');
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, file);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncFolder(dirname(file));
}

async function syncFolder(folder: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch {
    // @note Windows cannot open or flush a folder; elsewhere the rename is still done, only not yet durable
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * The temp files of `file` in its folder. Holding the cassette's lock, every one of them was left
 * by a writer killed mid-save (none can be in use): only then may they be removed.
 */
export async function leftoverTemps(file: string): Promise<string[]> {
  const prefix = `.${basename(file)}.`;
  let names: string[];
  try {
    names = await readdir(dirname(file));
  } catch {
    return [];
  }
  return names
    .filter((name) => name.startsWith(prefix) && name.endsWith('.tmp') && /^\d+\.[0-9a-f]+$/.test(name.slice(prefix.length, -'.tmp'.length)))
    .map((name) => join(dirname(file), name));
}

export async function removeAll(paths: string[]): Promise<void> {
  await Promise.all(paths.map((path) => rm(path, { force: true })));
}
