import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseMode, validateTiming } from '../config.js';
import { CassetteError } from '../errors.js';
import { installInterception } from '../intercept/install.js';
import { registry } from '../intercept/registry.js';
import type { Upstream } from '../intercept/types.js';
import { openCassette } from '../session/open-cassette.js';
import type { CassetteOptions } from '../types.js';
import { CASSETTES_URL_ENV } from './constants.js';
import { type BaseUrls, baseUrlsOf, type ServeContext } from './context.js';
import { errorAnswer } from './error-answer.js';
import { sendAnswer } from './http-sink.js';
import { buildMounts } from './mounts.js';
import { keySources, type ServeOptions, sessionTiming } from './options.js';
import { ReplayPool } from './pool.js';
import { handleApi } from './session-api.js';
import { type SessionSpec, SessionTable } from './sessions.js';
import type { SessionSummary } from './summary.js';
import { handleTraffic } from './traffic.js';

/** Where the server is and how SDKs reach it: printed by `cassettes serve`, returned by startServer(). */
export interface ServerDescription {
  url: string;
  baseUrls: BaseUrls;
  /** The variables the SDKs read their base URL from (Node and Python alike). */
  env: { OPENAI_BASE_URL: string; ANTHROPIC_BASE_URL: string; GOOGLE_GEMINI_BASE_URL: string };
}

export interface RunningServer extends ServerDescription {
  /** Stops listening, ends every session (saving its cassette) and answers their summaries. */
  close(): Promise<SessionSummary[]>;
}

/**
 * Starts `cassettes serve` in this process: a local server that records and replays provider
 * traffic for apps that run outside the test process, through the same cassettes and the same
 * record/replay core as withCassette.
 */
export async function startServer(options: ServeOptions = {}): Promise<RunningServer> {
  const mode = options.mode === undefined ? undefined : parseMode(options.mode, 'the mode option');
  const serverTiming = options.timing === undefined ? undefined : validateTiming(options.timing, 'the timing option');
  const mounts = buildMounts(options.upstream);
  const keys = keySources(options.key);
  for (const mount of keys.keys()) {
    if (!mounts.has(mount)) {
      throw new CassetteError(
        'LLM_CASSETTE_OPTIONS',
        `cassettes: --key ${mount}=…: there is no mount "${mount}"\n  mounts:   ${[...mounts.keys()].join(', ')}`,
      );
    }
  }
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  installInterception();
  const network = registry().network!;
  // @note the upstream leaves every async context behind (dispatchToNetwork does), so a server
  // started inside a test's cassette never records into it
  const upstream: Upstream = (request, sink) => network(request, sink);

  const open = (spec: SessionSpec) => {
    const perCall: CassetteOptions = { ...options.cassetteOptions };
    if (options.dir !== undefined) perCall.dir = options.dir;
    const wantMode = spec.mode ?? mode;
    if (wantMode !== undefined) perCall.mode = wantMode;
    const timing = sessionTiming(spec.timing, serverTiming);
    if (timing !== undefined) perCall.timing = timing;
    return openCassette(spec.name, perCall, undefined);
  };
  const dir = options.dir ?? '__cassettes__';
  const pool = new ReplayPool(dir, { ...options.cassetteOptions }, (name) => open({ name, mode: 'none' }), log);
  const sessions = new SessionTable(open, (summary) => {
    if (summary.written) pool.written(summary.name);
  });
  const context: ServeContext = { root: '', mounts, keys, sessions, pool, defaultCassette: undefined, mode, upstream, log };
  if (options.cassette !== undefined) context.defaultCassette = await open({ name: options.cassette });

  const outside = registry().als;
  const server = createServer({ noDelay: true, keepAliveTimeout: 30_000 }, (req, res) => {
    // @note outside every cassette scope: the server's own work never routes through one
    outside.exit(() => void route(context, req, res));
  });
  server.on('connection', (socket) => socket.setNoDelay(true));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host =
    address.family === 'IPv6' ? `[${address.address === '::' ? '::1' : address.address}]` : address.address === '0.0.0.0' ? '127.0.0.1' : address.address;
  context.root = `http://${host}:${address.port}`;
  const baseUrls = baseUrlsOf(context, '');
  process.env[CASSETTES_URL_ENV] = context.root;

  let closing: Promise<SessionSummary[]> | undefined;
  const close = (): Promise<SessionSummary[]> => {
    closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const summaries = await sessions.endAll();
      if (context.defaultCassette) {
        summaries.push(await sessions.close(context.defaultCassette));
        context.defaultCassette = undefined;
      }
      await pool.close();
      server.closeAllConnections();
      await stopped;
      if (process.env[CASSETTES_URL_ENV] === context.root) delete process.env[CASSETTES_URL_ENV];
      return summaries;
    })();
    return closing;
  };

  return {
    url: context.root,
    baseUrls,
    env: { OPENAI_BASE_URL: baseUrls.openai, ANTHROPIC_BASE_URL: baseUrls.anthropic, GOOGLE_GEMINI_BASE_URL: baseUrls.gemini },
    close,
  };
}

/** Splits the path: the session API, a session's traffic (`/s/<id>/…`), or traffic. */
async function route(context: ServeContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const search = q < 0 ? '' : raw.slice(q);
  const parts = path.split('/').slice(1);
  try {
    if (parts[0] === '__cassettes') return await handleApi(context, req, res, parts.slice(1));
    let session: string | undefined;
    let at = 0;
    if (parts[0] === 's' && parts.length >= 3) {
      // ids are URL-safe as they are: nothing to decode (and a stray % must not throw)
      session = parts[1]!;
      at = 2;
    }
    const mount = parts[at] ?? '';
    const rest = `/${parts.slice(at + 1).join('/')}`;
    await handleTraffic(context, req, res, { session, mount, rest: rest === '/' && parts.length <= at + 1 ? '' : rest, search });
  } catch (error) {
    const message = `cassettes: internal error on ${req.method} ${raw}: ${(error as Error)?.stack ?? String(error)}`;
    context.log(message);
    sendAnswer(res, errorAnswer(undefined, 500, 'LLM_CASSETTE_SERVE', message));
    if (!res.writableEnded) res.destroy();
  }
}
