import { randomBytes } from 'node:crypto';
import type { OpenCassette } from '../session/open-cassette.js';
import type { RecordMode, TimingMode } from '../types.js';
import { type SessionSummary, summaryOf } from './summary.js';

/** What a session asks for: a cassette, and its own mode and timing if it names them. */
export interface SessionSpec {
  name: string;
  mode?: RecordMode | undefined;
  timing?: TimingMode | undefined;
}

export type OpenFn = (spec: SessionSpec) => Promise<OpenCassette>;

/** One test's (or one worker's) handle on the server: which cassette its requests go to. */
export interface ServedSession {
  readonly id: string;
  /**
   * The cassette now in use, once open; undefined while parked (re-pointed at no cassette)
   * between tests. A request that comes while the session is being re-pointed waits for it.
   */
  current: Promise<OpenCassette | undefined>;
  spec: SessionSpec | undefined;
  /** Re-points and the end run one after another. */
  queue: Promise<unknown>;
}

/**
 * The sessions of one server, by id. Each holds one open cassette at a time, opened and closed
 * through the same lifecycle withCassette uses (openCassette / close: settle, save, report).
 */
export class SessionTable {
  private readonly byId = new Map<string, ServedSession>();

  constructor(
    private readonly open: OpenFn,
    /** Told about every cassette a session closed (the replay pool re-reads what was written). */
    private readonly closed: (summary: SessionSummary) => void,
  ) {}

  get size(): number {
    return this.byId.size;
  }

  get(id: string): ServedSession | undefined {
    return this.byId.get(id);
  }

  /** Opens the cassette first (if it names one): a session exists only once its cassette does. */
  async create(spec: SessionSpec | undefined): Promise<ServedSession> {
    const current = spec ? await this.open(spec) : undefined;
    let id: string;
    do id = randomBytes(9).toString('base64url');
    while (this.byId.has(id));
    const session: ServedSession = { id, current: Promise.resolve(current), spec, queue: Promise.resolve() };
    this.byId.set(id, session);
    return session;
  }

  /**
   * Points the session at another cassette (or none: parked). The one it leaves is closed first,
   * saving it, so re-pointing at the same cassette (record, then replay) reads what was just
   * written; requests that come meanwhile wait for the new one. If the new one cannot be opened
   * (a replay-only cassette that does not exist), the session is left parked and this throws.
   */
  repoint(session: ServedSession, spec: SessionSpec | undefined): Promise<SessionSummary | undefined> {
    const run = async (): Promise<SessionSummary | undefined> => {
      const left = await session.current;
      let summary: SessionSummary | undefined;
      const next = (async () => {
        if (left) summary = await this.close(left);
        return spec ? this.open(spec) : undefined;
      })();
      session.current = next.catch(() => undefined);
      session.spec = spec;
      await next;
      return summary;
    };
    const result = session.queue.then(run, run);
    session.queue = result.catch(() => undefined);
    return result;
  }

  /** Removes the session (later requests naming it are refused) and closes its cassette. */
  end(session: ServedSession): Promise<SessionSummary | undefined> {
    this.byId.delete(session.id);
    const run = async (): Promise<SessionSummary | undefined> => {
      const left = await session.current;
      session.current = Promise.resolve(undefined);
      return left ? this.close(left) : undefined;
    };
    const result = session.queue.then(run, run);
    session.queue = result.catch(() => undefined);
    return result;
  }

  /** Ends every session (the server is stopping): every cassette is saved. */
  async endAll(): Promise<SessionSummary[]> {
    const summaries = await Promise.all([...this.byId.values()].map((session) => this.end(session)));
    return summaries.filter((s): s is SessionSummary => s !== undefined);
  }

  async close(cassette: OpenCassette): Promise<SessionSummary> {
    const { report, errors } = await cassette.close();
    const summary = summaryOf(report, errors);
    this.closed(summary);
    return summary;
  }
}
