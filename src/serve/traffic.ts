import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolveMode } from '../config.js';
import { isCassetteError } from '../errors.js';
import { recordPolicy } from '../record-mode.js';
import { createRedactor } from '../redact/redact.js';
import type { OpenCassette } from '../session/open-cassette.js';
import { SESSION_HEADER } from './constants.js';
import type { ServeContext } from './context.js';
import { errorAnswer } from './error-answer.js';
import { httpSink, sendAnswer } from './http-sink.js';
import { clientGone, forwardedHeaders, outgoingRequest, readBody } from './incoming.js';
import { keyHeader, type Mount, upstreamUrl } from './mounts.js';

/** Request bodies above this are refused (413): an LLM request is far smaller. */
const MAX_REQUEST_BYTES = 64 * 1024 * 1024;

const plainRedactor = createRedactor();
/** `--key` variables found unset, said once per server and mount. */
const warnedUnset = new Set<string>();

/** Where a request goes: the session it names, else the default cassette, else the replay pool. */
type Attribution = { cassette: OpenCassette } | { refusal: { status: number; code: string; message: string } };

/**
 * A provider request: `/<mount>/<path>` or `/s/<id>/<mount>/<path>`. It is turned into the
 * request the upstream would be asked, attributed to a cassette, and handed to that cassette's
 * session exactly as an intercepted in-process request is.
 */
export async function handleTraffic(context: ServeContext, req: IncomingMessage, res: ServerResponse, route: TrafficRoute): Promise<void> {
  const mount = context.mounts.get(route.mount);
  if (!mount) {
    const known = [...context.mounts.keys()].map((m) => `/${m}/…`).join(', ');
    const message =
      `cassettes: no mount "${route.mount}" on this server (${req.method} ${req.url})\n` +
      `  mounts:   ${known}; a session's requests go under /s/<id>/<mount>/…\n` +
      `  fix:      point the SDK at one of the server's baseUrls, or add a mount with --upstream ${route.mount}=https://host`;
    return sendAnswer(res, errorAnswer(undefined, 404, 'LLM_CASSETTE_SERVE', message));
  }
  const body = await readBody(req, MAX_REQUEST_BYTES);
  if (!body) {
    return sendAnswer(res, errorAnswer(mount.provider, 413, 'LLM_CASSETTE_SERVE', `cassettes: request body over ${MAX_REQUEST_BYTES} bytes`));
  }
  const headers = forwardedHeaders(req);
  let url = upstreamUrl(mount, route.rest, route.search);
  url = supplyKey(context, mount, headers, url);
  const request = outgoingRequest(req, url, headers, body, clientGone(res));
  const where = `${request.method} ${plainRedactor.url(url)}`;

  const sessionId = route.session ?? headerValue(req, SESSION_HEADER);
  const target = await attribute(context, sessionId, request, where);
  if ('refusal' in target) {
    const { status, code, message } = target.refusal;
    context.log(message);
    return sendAnswer(res, errorAnswer(mount.provider, status, code, message));
  }
  const sink = httpSink(res, { provider: mount.provider, log: context.log, where });
  try {
    await target.cassette.session.handle(request, sink, context.upstream);
  } catch (error) {
    sink.error(error as Error);
  }
}

export interface TrafficRoute {
  /** The session named by the path prefix, if any. */
  session: string | undefined;
  mount: string;
  /** The path after the mount's name, as the client sent it (`/v1/chat/completions`). */
  rest: string;
  search: string;
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text?.trim() || undefined;
}

/** `--key`: the key in the named variable replaces whatever key the app sent. */
function supplyKey(context: ServeContext, mount: Mount, headers: Record<string, string>, url: string): string {
  const variable = context.keys.get(mount.name);
  if (!variable) return url;
  const key = process.env[variable];
  if (!key) {
    const once = `${context.root} ${mount.name}`;
    if (!warnedUnset.has(once)) context.log(`cassettes: --key ${mount.name}=env:${variable}: ${variable} is not set; the app's own key is sent`);
    warnedUnset.add(once);
    return url;
  }
  if (mount.provider === 'gemini' && /[?&]key=/.test(url)) {
    const parsed = new URL(url);
    parsed.searchParams.set('key', key);
    return parsed.toString();
  }
  const [name, value] = keyHeader(mount, key);
  if (name === 'authorization') delete headers['x-api-key'];
  headers[name] = value;
  return url;
}

async function attribute(
  context: ServeContext,
  sessionId: string | undefined,
  request: Parameters<ServeContext['upstream']>[0],
  where: string,
): Promise<Attribution> {
  if (sessionId !== undefined) {
    const session = context.sessions.get(sessionId);
    if (!session) {
      return {
        refusal: {
          status: 404,
          code: 'LLM_CASSETTE_SESSION',
          message:
            `cassettes: ${where} names session "${sessionId}", which this server does not have (it ended, or was opened on another server)\n` +
            `  fix:      open a session with POST ${context.root}/__cassettes/sessions {"name": "…"} and use the base URLs it answers`,
        },
      };
    }
    const cassette = await session.current;
    if (!cassette) {
      return {
        refusal: {
          status: 409,
          code: 'LLM_CASSETTE_SESSION',
          message:
            `cassettes: ${where} came for session "${sessionId}" while it has no cassette (between two tests)\n` +
            `  fix:      make the call inside a test, or re-point the session with PUT ${context.root}/__cassettes/sessions/${sessionId} {"name": "…"}`,
        },
      };
    }
    return { cassette };
  }
  if (context.defaultCassette) return { cassette: context.defaultCassette };
  let found: Awaited<ReturnType<ServeContext['pool']['find']>>;
  try {
    found = await context.pool.find(request);
  } catch (error) {
    const message = isCassetteError(error) ? error.message : `cassettes: the replay pool failed: ${(error as Error).message}`;
    return { refusal: { status: 500, code: isCassetteError(error) ? error.code : 'LLM_CASSETTE_SERVE', message } };
  }
  if (found.kind === 'one') return { cassette: found.cassette };
  const fix =
    `  fix:      name the session: use a session's base URLs (/s/<id>/…), send the header ${SESSION_HEADER}: <id>,\n` +
    `            or start the server with --cassette NAME`;
  if (found.kind === 'many') {
    const shown = found.names.slice(0, 5).join(', ') + (found.names.length > 5 ? `, and ${found.names.length - 5} more` : '');
    return {
      refusal: {
        status: 400,
        code: 'LLM_CASSETTE_SESSION',
        message: `cassettes: ${where} names no session, and ${found.names.length} cassettes hold a recording of it: ${shown}\n${fix}`,
      },
    };
  }
  const records = recordPolicy(resolveMode(context.mode), { exists: true, createdThisRun: true }).onMiss === 'record';
  return {
    refusal: {
      status: 400,
      code: 'LLM_CASSETTE_SESSION',
      message:
        (records
          ? `cassettes: ${where} names no session, so it cannot be recorded (no cassette to record it in), and no cassette holds it\n`
          : `cassettes: ${where} names no session, and no cassette under the server's folder holds a recording of it\n`) + fix,
    },
  };
}
