import type { Upstream } from '../intercept/types.js';
import type { OpenCassette } from '../session/open-cassette.js';
import type { RecordMode } from '../types.js';
import type { Mount } from './mounts.js';
import type { ReplayPool } from './pool.js';
import type { SessionTable } from './sessions.js';

/** What the server's routes share: built once by startServer(). */
export interface ServeContext {
  /** `http://127.0.0.1:<port>`, once listening. */
  root: string;
  readonly mounts: ReadonlyMap<string, Mount>;
  /** Mount name → the environment variable that holds the key the server sends upstream. */
  readonly keys: ReadonlyMap<string, string>;
  readonly sessions: SessionTable;
  readonly pool: ReplayPool;
  /** `--cassette`: where requests that name no session go. */
  defaultCassette: OpenCassette | undefined;
  /** The mode sessions get when they name none (undefined: the in-process precedence decides). */
  readonly mode: RecordMode | undefined;
  readonly upstream: Upstream;
  readonly log: (line: string) => void;
}

/** The base URLs an SDK is pointed at, one per mount, under `prefix` (`''` or `/s/<id>`). */
export function baseUrlsOf(context: ServeContext, prefix: string): BaseUrls {
  const out: Record<string, string> = {};
  for (const mount of context.mounts.values()) {
    const root = `${context.root}${prefix}`;
    out[mount.name] = mount.provider === 'openai' ? `${root}/${mount.name}/v1` : `${root}/${mount.name}`;
  }
  return out as BaseUrls;
}

/** Base URLs by mount name: the three providers' always, any `--upstream` mount beside them. */
export type BaseUrls = { openai: string; anthropic: string; gemini: string } & Record<string, string>;
