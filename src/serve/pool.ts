import { readdir } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { loadCassette } from '../cassette/store.js';
import type { OutgoingRequest } from '../intercept/types.js';
import { httpInteractions } from '../journal/timeline.js';
import { canonicalRequest, identityOf } from '../match/request-key.js';
import { createRedactor, secretsOfRequest } from '../redact/redact.js';
import type { OpenCassette } from '../session/open-cassette.js';
import { requestView, storedRequest } from '../session/request-view.js';
import type { CassetteOptions } from '../types.js';

export type PoolMatch = { kind: 'one'; name: string; cassette: OpenCassette } | { kind: 'none' } | { kind: 'many'; names: string[] };

/**
 * Every cassette under the folder, for requests that name no session and meet no default
 * cassette: a request replays from the one cassette that holds its key. Replay only; each
 * cassette is a session of its own (mode none), so repeats and misses follow the in-process
 * rules. The index is read on first use and again after a session saved or on a key it lacks.
 */
export class ReplayPool {
  private index: Promise<Map<string, string[]>> | undefined;
  private builtAt = 0;
  private readonly sessions = new Map<string, Promise<OpenCassette>>();

  constructor(
    private readonly dir: string,
    private readonly options: CassetteOptions,
    private readonly open: (name: string) => Promise<OpenCassette>,
    private readonly log: (line: string) => void,
  ) {}

  /** A session of this server wrote `name`: the index and that cassette are read again when next needed. */
  written(name: string): void {
    this.index = undefined;
    const stale = this.sessions.get(name);
    this.sessions.delete(name);
    void stale?.then((s) => s.close()).catch(() => undefined);
  }

  async find(request: OutgoingRequest): Promise<PoolMatch> {
    const key = this.keyOf(request);
    let names = (await this.indexed()).get(key);
    // a key the index lacks: the folder may have changed under us (another process, git); at most once a second
    if (!names && Date.now() - this.builtAt > 1000) {
      this.index = undefined;
      names = (await this.indexed()).get(key);
    }
    if (!names || names.length === 0) return { kind: 'none' };
    if (names.length > 1) return { kind: 'many', names };
    const name = names[0]!;
    let session = this.sessions.get(name);
    if (!session) {
      session = this.open(name);
      this.sessions.set(name, session);
      session.catch(() => this.sessions.delete(name));
    }
    return { kind: 'one', name, cassette: await session };
  }

  async close(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((s) => s.then((c) => c.close()).catch(() => undefined)));
  }

  /** The request's identity, as a session computes it (the redacted stored form, canonical). */
  private keyOf(request: OutgoingRequest): string {
    const redactor = createRedactor(this.options.redact, secretsOfRequest(request.url, request.headers));
    return identityOf(canonicalRequest(requestView(storedRequest(request, redactor)), this.options));
  }

  private indexed(): Promise<Map<string, string[]>> {
    this.index ??= this.build();
    return this.index;
  }

  private async build(): Promise<Map<string, string[]>> {
    this.builtAt = Date.now();
    const folder = isAbsolute(this.dir) ? this.dir : resolve(process.cwd(), this.dir);
    const index = new Map<string, string[]>();
    let files: string[];
    try {
      files = (await readdir(folder, { recursive: true })).filter((f) => /\.ya?ml$/.test(f) && !f.split(sep).some((part) => part.startsWith('.')));
    } catch {
      return index;
    }
    for (const file of files.sort()) {
      const name = relative(folder, resolve(folder, file))
        .split(sep)
        .join('/')
        .replace(/\.yaml$/, '');
      let loaded: Awaited<ReturnType<typeof loadCassette>>;
      try {
        loaded = await loadCassette(resolve(folder, file));
      } catch (error) {
        this.log(`cassettes: the replay pool skips ${file}: ${(error as Error).message.split('\n')[0]}`);
        continue;
      }
      for (const interaction of loaded ? httpInteractions(loaded.data) : []) {
        const key = identityOf(canonicalRequest(requestView(interaction.request), this.options));
        const names = index.get(key);
        if (!names) index.set(key, [name]);
        else if (!names.includes(name)) names.push(name);
      }
    }
    return index;
  }
}
