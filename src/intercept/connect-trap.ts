import { subscribe } from 'node:diagnostics_channel';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import tls from 'node:tls';
import { registry } from './registry.js';

/**
 * Stops the connection of a request that was stopped (a bypass, or a request refused outside any
 * cassette) before its socket opens.
 *
 * undici publishes `undici:request:create` from inside the Request constructor, before the request
 * joins its client's queue; failing it there fails the caller, but the client then connects anyway
 * (`_resume` opens a socket for any queued request, aborted or not) and only drops the request when
 * it would write it. Nothing in the message reaches the client. What does: `undici:client:
 * beforeConnect` is published right before the client calls its connector, in the same turn, and
 * the connector calls `net.connect` / `tls.connect` synchronously. So a stopped request marks its
 * host; the next beforeConnect for that host arms a one-shot trap; the trap makes the socket
 * factory throw before a socket exists. undici takes that as a connection error: it fails every
 * request queued on that client and opens nothing (docs/discoveries/undici-bypass-sockets.md).
 */

/** Hosts with a stopped request that may still make its client connect, until the next macrotask. */
const stopped = new Map<string, { count: number; error: Error }>();
/** Traps armed by beforeConnect for the connector call that follows it in the same turn. */
let armed: { hostname: string; error: Error }[] = [];

const normalise = (hostname: string): string =>
  hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.+$/, '')
    .toLowerCase();

/** A request to `hostname` was stopped: a connection its client opens for it now is refused. */
export function stopConnectionTo(hostname: string, error: Error): void {
  const key = normalise(hostname);
  const entry = stopped.get(key);
  if (entry) entry.count++;
  else stopped.set(key, { count: 1, error });
  // @note a client connects in the turn of the dispatch, or one microtask later (a streamed
  // body); by the next macrotask the request has either made its client connect or was dropped
  setImmediate(() => {
    const current = stopped.get(key);
    if (current && --current.count <= 0) stopped.delete(key);
  });
}

function hostOf(args: unknown[]): string | undefined {
  const [first, second] = args;
  if (typeof first === 'object' && first !== null) {
    const options = first as { host?: unknown; path?: unknown };
    if (options.path !== undefined && options.host === undefined) return undefined;
    return typeof options.host === 'string' ? options.host : 'localhost';
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) return typeof second === 'string' ? second : 'localhost';
  return undefined;
}

function trapped(args: unknown[]): Error | undefined {
  if (armed.length === 0) return undefined;
  const host = hostOf(args);
  if (host === undefined) return undefined;
  const key = normalise(host);
  const index = armed.findIndex((trap) => trap.hostname === key);
  if (index < 0) return undefined;
  const [trap] = armed.splice(index, 1);
  return trap!.error;
}

function wrap<F extends (...args: never[]) => unknown>(original: F): F {
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    const error = trapped(args);
    if (error) throw error;
    return original.apply(this, args as Parameters<F>);
  };
  Object.defineProperty(wrapped, 'name', { value: original.name });
  return wrapped as unknown as F;
}

export function installConnectTrap(): void {
  const reg = registry();
  if (reg.installed.connectTrap) return;
  reg.installed.connectTrap = true;

  subscribe('undici:client:beforeConnect', (message) => {
    if (stopped.size === 0) return;
    const hostname = (message as { connectParams?: { hostname?: unknown } }).connectParams?.hostname;
    if (typeof hostname !== 'string') return;
    const entry = stopped.get(normalise(hostname));
    if (!entry) return;
    const trap = { hostname: normalise(hostname), error: entry.error };
    armed.push(trap);
    // the connector runs right after this message, in the same turn
    queueMicrotask(() => {
      armed = armed.filter((t) => t !== trap);
    });
  });

  // @note the trap throws only while armed (between a beforeConnect for a stopped host and the
  // end of that turn); at any other time these are one array-length check in front of Node's own
  const connect = wrap(net.connect);
  net.connect = connect;
  net.createConnection = connect;
  tls.connect = wrap(tls.connect);
  syncBuiltinESMExports();
}
