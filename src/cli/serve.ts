import { parseArgs } from 'node:util';
import { parseMode } from '../config.js';
import type { ServeOptions } from '../serve/options.js';
import { parseTiming } from '../serve/options.js';
import { startServer } from '../serve/server.js';
import type { SessionSummary } from '../serve/summary.js';
import { EXIT, UsageError } from './main.js';
import type { CliIo, Verb } from './verbs.js';

const HELP = `
usage: cassettes serve [--dir __cassettes__] [--mode MODE] [--timing recorded|instant|<factor>]
                       [--port 0] [--host 127.0.0.1] [--upstream NAME=URL …] [--key NAME=env:VAR …]
                       [--cassette NAME]

Records and replays provider traffic for apps outside the test process (an app server driven by
Playwright, a Python or Go service), in the same cassettes withCassette uses. Point an SDK at a
base URL: /openai/v1 (api.openai.com), /anthropic (api.anthropic.com), /gemini
(generativelanguage.googleapis.com). When ready, prints one JSON line on stdout:
{ url, baseUrls, env: { OPENAI_BASE_URL, ANTHROPIC_BASE_URL, GOOGLE_GEMINI_BASE_URL } }.

  --dir DIR            cassette folder (default __cassettes__)
  --mode MODE          none | once | new | all | passthrough, for sessions that name none
                       (default: LLM_CASSETTE_RECORD, else none under CI and once elsewhere; --record is the same)
  --timing T           replay timing: recorded (default), instant, or a speed factor such as 2
  --port N             default 0: a free port (read it from the JSON line)
  --host H             default 127.0.0.1
  --upstream NAME=URL  send mount NAME to URL instead (a gateway, a local server), or add a mount
  --key NAME=env:VAR   send the key in VAR upstream for mount NAME; the app can use a placeholder
  --cassette NAME      the cassette for requests that name no session
  -h, --help

Sessions: POST /__cassettes/sessions {"name", "mode"?, "timing"?} → { id, baseUrls };
PUT /__cassettes/sessions/<id> {"name"} re-points it; DELETE ends it and answers its summary.
SIGTERM or SIGINT ends every session, saving its cassette, then exits 0.
`;

/** `NAME=VALUE` pairs of a repeated flag. */
function pairs(values: readonly string[], flag: string, example: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values) {
    const at = value.indexOf('=');
    if (at <= 0) throw new UsageError(`--${flag} ${value}: expected NAME=VALUE, e.g. --${flag} ${example}`);
    out[value.slice(0, at)] = value.slice(at + 1);
  }
  return out;
}

export function serveOptions(args: readonly string[]): ServeOptions | undefined {
  let parsed: ReturnType<typeof parseServeArgs>;
  try {
    parsed = parseServeArgs(args);
  } catch (error) {
    throw new UsageError(String((error as Error).message).split('. ')[0]!);
  }
  const { values, positionals } = parsed;
  if (values.help) return undefined;
  if (positionals.length > 0) throw new UsageError(`serve takes no file or name (got ${positionals.join(' ')})`);
  const options: ServeOptions = {};
  if (values.dir !== undefined) options.dir = values.dir;
  const mode = values.mode ?? values.record;
  if (mode !== undefined) options.mode = parseMode(mode, '--mode');
  if (values.timing !== undefined) options.timing = parseTiming(values.timing, '--timing');
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${values.port}: expected a port number (0 picks a free one)`);
    options.port = port;
  }
  if (values.host !== undefined) options.host = values.host;
  if (values.upstream) options.upstream = pairs(values.upstream, 'upstream', 'openai=http://127.0.0.1:9000');
  if (values.key) options.key = pairs(values.key, 'key', 'openai=env:OPENAI_API_KEY');
  if (values.cassette !== undefined) options.cassette = values.cassette;
  return options;
}

function parseServeArgs(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      dir: { type: 'string' },
      mode: { type: 'string' },
      record: { type: 'string' },
      timing: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      upstream: { type: 'string', multiple: true },
      key: { type: 'string', multiple: true },
      cassette: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function describeSummary(summary: SessionSummary): string {
  const misses = summary.misses.length > 0 ? `, ${summary.misses.length} refused` : '';
  return `cassettes serve: ${summary.name}: ${summary.replayed} replayed, ${summary.recorded} recorded${misses}${summary.written ? ' (saved)' : ''}`;
}

/** Waits for SIGTERM or SIGINT (from now on: one that comes while the server starts counts too). */
function stopSignal(): { received: Promise<NodeJS.Signals>; cancel: () => void } {
  let on!: (signal: NodeJS.Signals) => void;
  const cancel = (): void => {
    process.off('SIGTERM', on);
    process.off('SIGINT', on);
  };
  const received = new Promise<NodeJS.Signals>((resolve) => {
    // @note the listeners stay until the shutdown is done (run() cancels them): signal-exit, which
    // the cassette lock loads, re-raises a signal once no other listener of it is left
    on = (signal) => resolve(signal);
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
  return { received, cancel };
}

export const serveVerb: Verb = {
  name: 'serve',
  summary: 'a local server that records and replays provider traffic for apps outside the test process',
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const options = serveOptions(args);
    if (!options) {
      io.out.write(`${HELP.trim()}\n`);
      return EXIT.ok;
    }
    const stopped = stopSignal();
    let server: Awaited<ReturnType<typeof startServer>>;
    try {
      server = await startServer({ ...options, log: (line) => void io.err.write(`${line}\n`) });
    } catch (error) {
      stopped.cancel();
      throw error;
    }
    const { close: _close, ...description } = server;
    io.out.write(`${JSON.stringify(description)}\n`);
    io.err.write(`cassettes serve: listening on ${server.url} (cassettes in ${options.dir ?? '__cassettes__'})\n`);
    const signal = await stopped.received;
    io.err.write(`cassettes serve: ${signal}: ending every session and saving its cassette\n`);
    const summaries = await server.close();
    stopped.cancel();
    for (const summary of summaries) io.err.write(`${describeSummary(summary)}\n`);
    return EXIT.ok;
  },
};
