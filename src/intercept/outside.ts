import { runMode } from '../config.js';
import { CassetteError } from '../errors.js';
import { createRedactor } from '../redact/redact.js';
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
export interface OutsideTarget {
  method: string;
  url: string;
  hostname: string;
  port: string;
}

const debugOn = (): boolean => {
  const debug = process.env['LLM_CASSETTE_DEBUG'];
  return debug !== undefined && debug !== '' && debug !== '0';
};

/** A URL as messages show it: secret query parameters out. */
export function shownUrl(url: string): string {
  return createRedactor().url(url);
}

/**
 * What happens to a request made outside any cassette: undefined lets it through. `via` names
 * the client kind in the debug line.
 */
export function outsideRefusal(target: OutsideTarget, via: string): OutsideRefusal | undefined {
  const reg = registry();
  let refusal: OutsideRefusal | undefined;
  if (reg.blockOutsideScopes) {
    refusal = { error: blockedError(target), respond: false };
  } else if (reg.providerHosts?.(target.hostname, target.port)) {
    refusal = providerRefusal(target, reg.configuredMode);
  }
  if (debugOn()) {
    const what = refusal ? (refusal.respond ? 'refused' : 'blocked') : 'passed through';
    process.stderr.write(`cassettes: outside ${target.method} ${shownUrl(target.url)} (${what}, ${via})\n`);
  }
  if (refusal?.respond) warnOnce(refusal.error);
  return refusal;
}

function blockedError(target: OutsideTarget): CassetteError {
  return new CassetteError(
    'LLM_CASSETTE_BLOCKED',
    `cassettes: network blocked outside a cassette: ${target.method} ${shownUrl(target.url)}\n` +
      `  blockNetwork is on: a request made outside withCassette fails\n` +
      `  fix:      make the request inside withCassette(...), or turn blockNetwork off`,
  );
}

function providerRefusal(target: OutsideTarget, configured: Parameters<typeof runMode>[0]): OutsideRefusal | undefined {
  let run: { mode: string; source: string };
  try {
    run = runMode(configured);
  } catch (error) {
    // @note a misspelt mode fails every cassette anyway; until then, refusing is the safe side
    run = { mode: 'none', source: `an invalid mode (${(error as Error).message.split('\n')[0]})` };
  }
  if (run.mode !== 'none') return undefined;
  const host = target.port === '' ? target.hostname : `${target.hostname}:${target.port}`;
  const error = new CassetteError(
    'LLM_CASSETTE_BLOCKED',
    `cassettes: ${target.method} ${shownUrl(target.url)} was refused: it was made outside any cassette in a replay-only run\n` +
      `  mode:     none (${run.source}); ${host} is an LLM provider host (providerHosts)\n` +
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

const hosts = new Map<string, { hostname: string; port: string } | null>();

/** Hostname and port of an origin (`http://host:port`), memoised: origins repeat. */
export function hostOfOrigin(origin: string): { hostname: string; port: string } | undefined {
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
