/**
 * kill -9 of a recording process at random points, over and over: the cassette stays valid,
 * every save the process reported as done is in it, and nothing is left beside it once the
 * cassette has been loaded or saved again.
 */
import { existsSync, mkdtempSync, rmSync, utimesSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { STALE_MS } from '../../src/cassette/lock.js';
import { loadCassette } from '../../src/cassette/store.js';
import { cassetteFile } from '../../src/index.js';
import { buildIfStale } from '../e2e/support/packed.js';
import { echoHandler, type LocalServer, startLocalServer } from '../support/local-server.js';
import { litter, promptsIn, readCassetteFile, startWriter } from './support/cassette-files.js';

const LANES = 4;
const KILLS_PER_LANE = 25;

let server: LocalServer;
let dir: string;

beforeAll(async () => {
  await buildIfStale();
  server = await startLocalServer(echoHandler());
  dir = mkdtempSync(join(tmpdir(), 'cassettes-crash-'));
}, 120_000);

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** mulberry32: the kill points are reproducible from the printed seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test(`${LANES * KILLS_PER_LANE} kill -9 of recording processes mid-run: 0 corrupt cassettes, 0 lost saves, 0 leftovers`, { timeout: 180_000 }, async () => {
  const seed = Number(process.env['CRASH_SEED'] ?? Date.now() % 1_000_000);
  const next = random(seed);
  const figures = { kills: 0, corrupt: 0, lostSaves: 0, savesConfirmed: 0, leftTemp: 0, leftLock: 0, leftoversAtEnd: 0 };

  const lane = async (l: number): Promise<void> => {
    const name = `crash-${l}`;
    const file = cassetteFile(name, dir);
    const confirmed: string[] = [];
    for (let k = 0; k < KILLS_PER_LANE; k++) {
      const writer = startWriter({ dir, name, baseUrl: server.url, id: `lane ${l} kill ${k}`, rounds: 0, parallel: 1, perCall: 2, mode: 'new' });
      // a third of the kills as a temp file of this cassette appears (inotify: within a
      // millisecond or so, mid-write or mid-fsync), a third at random among the saves after the
      // first, a third anywhere from start-up on (the first load, the first save)
      const how = next();
      if (how < 1 / 3) {
        const watcher = watch(dir, (_event, entry) => {
          if (entry?.startsWith(`.${name}.yaml.`) && entry.endsWith('.tmp')) writer.kill();
        });
        const fallback = setTimeout(writer.kill, 5000);
        await writer.exited.finally(() => {
          clearTimeout(fallback);
          watcher.close();
        });
      } else if (how < 2 / 3) {
        await writer.firstSave;
        await sleep(next() * 60);
      } else {
        await writer.ready;
        await sleep(next() * 400);
      }
      writer.kill();
      const exit = await writer.exited;
      expect(exit.signal, writer.output()).toBe('SIGKILL');
      figures.kills++;
      confirmed.push(...writer.saved);
      if (existsSync(file)) {
        let prompts: string[] = [];
        try {
          prompts = promptsIn(readCassetteFile(file));
        } catch (error) {
          figures.corrupt++;
          throw error;
        }
        const present = new Set(prompts);
        figures.lostSaves += confirmed.filter((p) => !present.has(p)).length;
      } else {
        figures.lostSaves += confirmed.length;
      }
      const left = litter(file);
      if (left.temps.length > 0) figures.leftTemp++;
      if (left.lock) {
        figures.leftLock++;
        // @note the lock of a killed process is taken over once its mtime is STALE_MS old: instead
        // of waiting that long, age it as the clock would (the next writer then takes it over)
        const past = new Date(Date.now() - 2 * STALE_MS);
        utimesSync(`${file}.lock`, past, past);
      }
    }
    figures.savesConfirmed += confirmed.length;
    // the next load of the cassette (a replay-only run, say) cleans up what the last kill left
    await loadCassette(file);
    const left = litter(file);
    figures.leftoversAtEnd += left.temps.length + (left.lock ? 1 : 0);
    expect(left, `lane ${l}`).toEqual({ temps: [], lock: false });
  };

  await Promise.all(Array.from({ length: LANES }, (_, l) => lane(l)));
  console.info(
    `crash (seed ${seed}): ${figures.kills} kill -9, ${figures.leftLock} mid-save (lock held), ${figures.leftTemp} during the temp file's write; ` +
      `${figures.corrupt} corrupt, ${figures.lostSaves} of ${figures.savesConfirmed} confirmed saves lost, ${figures.leftoversAtEnd} leftovers after the next load`,
  );
  expect(figures.kills).toBeGreaterThanOrEqual(100);
  expect(figures).toMatchObject({ corrupt: 0, lostSaves: 0, leftoversAtEnd: 0 });
  // the kills did land inside saves, or the test proves nothing
  expect(figures.leftLock).toBeGreaterThan(10);
});
