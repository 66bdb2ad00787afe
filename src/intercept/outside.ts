import { runMode } from '../config.js';
import { CassetteError } from '../errors.js';
import { listening, publish, requestEvent } from '../journal/events.js';
import { recordPolicy } from '../record-mode.js';
import { scrubMessage } from '../redact/message.js';
import { createRedactor } from '../redact/redact.js';
import type { RecordMode } from '../types.js';
import type { HostMatcher } from './provider-hosts.js';
import { registry } from './registry.js';

/**
 * Requests made outside any cassette: a module's top level, a trace exporter, a timer set up
 * before the cassette. They pass through, except that `blockNetwork` fails them all, and a
 * replay-only run (mode `none`, the CI default) refuses the LLM provider hosts — so such a run
 * cannot spend money or send a key whichever way a request is made.
 */
export interface OutsideRefusal {
  error: CassetteError;
  /**
   * Answer with a 400 that carries the message (the SDKs make one attempt and show it), rather
   * than failing the request as a network error (what `blockNetwork` has always done).
   */
  respond: boolean;
}

/** A request's host, as the policy needs it (`port` empty for the scheme's default). */
export interface OutsideHost {
  hostname: string;
  port: string;
}

/**
 * Reads LLM_CASSETTE_DEBUG for requests outside any cassette. Called whenever interception is
 * installed — on import, in the runners' setup files, and as each cassette starts (where a
 * session reads it too).
 * @note not read per request: `process.env` costs ~0.5 µs a read, more than the rest of the
 * outside path together.
 */
export function readDebugFlag(): void {
  const debug = process.env['LLM_CASSETTE_DEBUG'];
  registry().debugOutside = debug !== undefined && debug !== '' && debug !== '0';
}

/** A URL as messages show it: secret query parameters out. */
export function shownUrl(url: string, headers: Record<string, string | string[]> = {}): string {
  return scrubMessage(createRedactor().url(url), { url, headers });
}

/**
 * What happens to a request made outside any cassette: undefined lets it through. `url` may be
 * a function, called only when the answer needs it; `via` names the client kind in the debug line;
 * `headers`: the request's, so that its own credentials are scrubbed wherever the URL holds them.
 */
export function outsideRefusal(
  method: string,
  host: OutsideHost,
  url: string | (() => string),
  via: string,
  headers: () => Record<string, string | string[]> = () => ({}),
): OutsideRefusal | undefined {
  const reg = registry();
  const block = reg.blockOutsideScopes;
  const provider = !block && isProviderHost(host, reg.providerHosts);
  const told = listening('request');
  if (!block && !provider && !reg.debugOutside && !told) return undefined;
  const target = { method, url: typeof url === 'string' ? url : url(), headers: headers(), ...host };
  let refusal: OutsideRefusal | undefined;
  if (block) refusal = { error: blockedError(target), respond: false };
  else if (provider) refusal = providerRefusal(target, reg.configuredMode);
  if (reg.debugOutside) {
    const what = refusal ? (refusal.respond ? 'refused' : 'blocked') : 'passed through';
    process.stderr.write(`cassettes: outside ${target.method} ${shownUrl(target.url, target.headers)} (${what}, ${via})\n`);
  }
  if (refusal?.respond) warnOnce(refusal.error);
  if (told) {
    const status = refusal?.respond ? 400 : undefined;
    publish('request', { ...requestEvent('outside', undefined, { method, url: shownUrl(target.url, target.headers) }, '-', undefined, 0), status });
  }
  return refusal;
}

interface OutsideTarget extends OutsideHost {
  method: string;
  url: string;
  headers: Record<string, string | string[]>;
}

function blockedError(target: OutsideTarget): CassetteError {
  return new CassetteError(
    'LLM_CASSETTE_BLOCKED',
    `cassettes: network blocked outside a cassette: ${target.method} ${shownUrl(target.url, target.headers)}\n` +
      `  blockNetwork is on: a request made outside withCassette fails\n` +
      `  fix:      make the request inside withCassette(...), or turn blockNetwork off`,
  );
}

/**
 * A run is replay-only when no cassette of it can reach the network, whether its file exists or
 * not (`none`, `warn`), as the record-mode table says.
 */
function replayOnly(mode: RecordMode): boolean {
  return [true, false].every((exists) => {
    const policy = recordPolicy(mode, { exists, createdThisRun: false });
    return policy.onMatch === 'replay' && (policy.onMiss === 'refuse' || policy.onMiss === 'closest');
  });
}

function providerRefusal(target: OutsideTarget, configured: RecordMode | undefined): OutsideRefusal | undefined {
  let mode: RecordMode;
  let source: string;
  try {
    [mode, source] = runMode(configured);
  } catch (error) {
    // @note a misspelt mode fails every cassette anyway; until then, refusing is the safe side
    [mode, source] = ['none', `an invalid mode: ${(error as Error).message.split('\n')[0]}`];
  }
  if (!replayOnly(mode)) return undefined;
  const host = target.port === '' ? target.hostname : `${target.hostname}:${target.port}`;
  const error = new CassetteError(
    'LLM_CASSETTE_BLOCKED',
    `cassettes: ${target.method} ${shownUrl(target.url, target.headers)} was refused: it was made outside any cassette in a replay-only run\n` +
      `  mode:     ${mode} (from ${source}); ${host} is an LLM provider host (providerHosts)\n` +
      `  fix:      make the call inside withCassette(...) so that it replays, record it with --record=new, ` +
      `or leave the host out of configure({ providerHosts })`,
  );
  return { error, respond: true };
}

const warned = new Set<string>();

/**
 * A refusal answered with a 400 is also said on stderr (once per request line): a caller that
 * ignores the status — a trace exporter, a fire-and-forget call — should not hide it.
 */
function warnOnce(error: CassetteError): void {
  const line = error.message.split('\n')[0]!;
  if (warned.has(line)) return;
  if (warned.size > 1000) warned.clear();
  warned.add(line);
  process.emitWarning(error.message, { code: error.code });
}

/** The 400 a refusal is answered with, in the shape of the cassette's own refusal. */
export function refusalBody(error: CassetteError): { headers: [string, string][]; body: Buffer } {
  const body = Buffer.from(JSON.stringify({ type: 'error', error: { type: 'llm_cassette_blocked', code: 400, status: error.code, message: error.message } }));
  return {
    headers: [
      ['content-type', 'application/json'],
      ['x-should-retry', 'false'],
      ['content-length', String(body.length)],
    ],
    body,
  };
}

/** A host as the memo keeps it: with the verdict of the host list it was last checked against. */
interface KnownHost extends OutsideHost {
  checkedWith?: HostMatcher | undefined;
  provider?: boolean;
}

function isProviderHost(host: OutsideHost & KnownHost, matcher: HostMatcher | undefined): boolean {
  if (!matcher) return false;
  if (host.checkedWith !== matcher) {
    host.provider = matcher(host.hostname, host.port);
    host.checkedWith = matcher;
  }
  return host.provider === true;
}

const hosts = new Map<string, KnownHost | null>();

/**
 * Hostname and port of an origin (`http://host:port`), memoised with its verdict: origins repeat,
 * and this runs for every request made outside a cassette.
 */
export function hostOfOrigin(origin: string): OutsideHost | undefined {
  let found = hosts.get(origin);
  if (found === undefined) {
    try {
      const url = new URL(origin);
      found = { hostname: url.hostname, port: url.port };
    } catch {
      found = null;
    }
    if (hosts.size > 1000) hosts.clear();
    hosts.set(origin, found);
  }
  return found ?? undefined;
}
