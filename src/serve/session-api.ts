import type { IncomingMessage, ServerResponse } from 'node:http';
import { CassetteError, isCassetteError } from '../errors.js';
import { type BaseUrls, baseUrlsOf, type ServeContext } from './context.js';
import { readBody } from './incoming.js';
import { checkCassetteName, modeFromJson, timingFromJson } from './options.js';
import type { SessionSpec } from './sessions.js';

const MAX_API_BODY = 64 * 1024;

/** What POST and GET answer about a session. */
export interface SessionInfo {
  id: string;
  /** The cassette its requests go to; null while it has none (parked). */
  name: string | null;
  /** The base URLs that select this session by their path prefix (`/s/<id>/…`). */
  baseUrls: BaseUrls;
}

function json(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(`${JSON.stringify(value)}\n`);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(body.length) });
  res.end(body);
}

function fail(res: ServerResponse, status: number, code: string, message: string): void {
  json(res, status, { error: { code, message } });
}

/** An error from opening a cassette, as an HTTP answer: a replay-only cassette that is not there is a 404. */
function failWith(res: ServerResponse, error: unknown): void {
  if (!isCassetteError(error)) throw error;
  const status = error.code === 'LLM_CASSETTE_NOT_FOUND' ? 404 : error.code === 'LLM_CASSETTE_WRITE' ? 500 : 400;
  fail(res, status, error.code, error.message);
}

async function readJson(req: IncomingMessage, route: string): Promise<Record<string, unknown>> {
  const body = await readBody(req, MAX_API_BODY);
  const expected = `  expected: a JSON object, e.g. {"name": "chat/says hello", "mode": "once", "timing": "recorded"}`;
  if (!body) throw new CassetteError('LLM_CASSETTE_SERVE', `cassettes: ${route}: the body is over ${MAX_API_BODY} bytes\n${expected}`);
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new CassetteError(
      'LLM_CASSETTE_SERVE',
      `cassettes: ${route}: the body is not JSON: ${JSON.stringify(body.toString('utf8').slice(0, 80))}\n${expected}`,
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CassetteError('LLM_CASSETTE_SERVE', `cassettes: ${route}: the body is JSON but not an object\n${expected}`);
  }
  return value as Record<string, unknown>;
}

function specOf(body: Record<string, unknown>, route: string): SessionSpec {
  const spec: SessionSpec = { name: checkCassetteName(body['name'], route) };
  const mode = modeFromJson(body['mode'], `${route} "mode"`);
  const timing = timingFromJson(body['timing'], `${route} "timing"`);
  if (mode !== undefined) spec.mode = mode;
  if (timing !== undefined) spec.timing = timing;
  return spec;
}

function infoOf(context: ServeContext, id: string, spec: SessionSpec | undefined): SessionInfo {
  return { id, name: spec?.name ?? null, baseUrls: baseUrlsOf(context, `/s/${id}`) };
}

const ROUTES = 'GET /__cassettes/health, POST /__cassettes/sessions, GET|PUT|DELETE /__cassettes/sessions/<id>';

/**
 * The session API under `/__cassettes/`: health, and sessions opened, re-pointed and ended by
 * a test harness (Playwright's fixture, or any language's).
 */
export async function handleApi(context: ServeContext, req: IncomingMessage, res: ServerResponse, path: string[]): Promise<void> {
  const method = req.method ?? 'GET';
  const [what, id, extra] = path;
  try {
    if (what === 'health' && path.length === 1) {
      return json(res, 200, { ok: true, url: context.root, sessions: context.sessions.size });
    }
    if (what === 'sessions' && id === undefined) {
      if (method !== 'POST') return fail(res, 405, 'LLM_CASSETTE_SERVE', `cassettes: ${method} /__cassettes/sessions: use POST to open a session`);
      const body = await readJson(req, 'POST /__cassettes/sessions');
      // no name: a session with no cassette yet (a Playwright worker's, re-pointed test by test)
      const spec = body['name'] === undefined || body['name'] === null ? undefined : specOf(body, 'POST /__cassettes/sessions');
      const session = await context.sessions.create(spec);
      return json(res, 201, infoOf(context, session.id, spec));
    }
    if (what === 'sessions' && id !== undefined && extra === undefined) {
      const route = `${method} /__cassettes/sessions/${id}`;
      const session = context.sessions.get(id);
      if (!session) {
        return fail(res, 404, 'LLM_CASSETTE_SESSION', `cassettes: ${route}: no session "${id}" on this server (it ended, or was opened on another server)`);
      }
      if (method === 'GET') return json(res, 200, infoOf(context, id, session.spec));
      if (method === 'DELETE') return json(res, 200, (await context.sessions.end(session)) ?? null);
      if (method === 'PUT') {
        const body = await readJson(req, route);
        const spec = body['name'] === null ? undefined : specOf(body, route);
        const left = await context.sessions.repoint(session, spec);
        return json(res, 200, { ...infoOf(context, id, spec), left: left ?? null });
      }
      return fail(res, 405, 'LLM_CASSETTE_SERVE', `cassettes: ${route}: use GET, PUT or DELETE`);
    }
    return fail(res, 404, 'LLM_CASSETTE_SERVE', `cassettes: no route ${method} ${req.url}\n  routes:   ${ROUTES}`);
  } catch (error) {
    failWith(res, error);
  }
}
