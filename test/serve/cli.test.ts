/** `cassettes serve`'s command line: flags onto startServer's options, usage errors as one line and exit 2. */
import { Writable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { serveOptions } from '../../src/cli/serve.js';

type Io = NonNullable<Parameters<typeof main>[1]>;

function io(): { io: Io; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const sink = (write: (text: string) => void): Writable =>
    new Writable({
      write(chunk, _encoding, done) {
        write(String(chunk));
        done();
      },
    });
  // main()'s io is typed after process.stdout; it only ever writes
  const streams = { out: sink((t) => (out += t)), err: sink((t) => (err += t)) } as unknown as Io;
  return { io: streams, out: () => out, err: () => err };
}

describe('cassettes serve flags', () => {
  test('every flag maps onto the option of the same name; repeated --upstream and --key collect', () => {
    expect(
      serveOptions([
        '--dir',
        'cassettes',
        '--mode',
        'new',
        '--timing',
        '2',
        '--port',
        '4555',
        '--host',
        '0.0.0.0',
        '--upstream',
        'openai=http://127.0.0.1:9000',
        '--upstream',
        'mistral=https://api.mistral.ai',
        '--key',
        'openai=env:OPENAI_API_KEY',
        '--cassette',
        'default/one',
      ]),
    ).toEqual({
      dir: 'cassettes',
      mode: 'new',
      timing: { speed: 2 },
      port: 4555,
      host: '0.0.0.0',
      upstream: { openai: 'http://127.0.0.1:9000', mistral: 'https://api.mistral.ai' },
      key: { openai: 'env:OPENAI_API_KEY' },
      cassette: 'default/one',
    });
    expect(serveOptions(['--record', 'none'])).toEqual({ mode: 'none' });
    expect(serveOptions([])).toEqual({});
  });

  test('--help prints the usage and exits 0', async () => {
    const t = io();
    expect(await main(['serve', '--help'], t.io)).toBe(0);
    expect(t.out()).toContain('usage: cassettes serve');
    expect(t.out()).toContain('--upstream NAME=URL');
  });

  test.each([
    [['--port', 'eighty'], '--port eighty: expected a port number'],
    [['--upstream', 'openai'], '--upstream openai: expected NAME=VALUE'],
    [['--nope'], "Unknown option '--nope'"],
    [['extra'], 'serve takes no file or name'],
  ])('%j is a usage error: one line, exit 2', async (args, message) => {
    const t = io();
    expect(await main(['serve', ...args], t.io)).toBe(2);
    expect(t.err()).toContain(message);
    expect(t.err()).not.toContain('    at ');
  });

  test('a bad mode, timing or key source is a cassettes error naming the fix, exit 1, before anything listens', async () => {
    for (const [args, text] of [
      [['--mode', 'sometimes'], 'unknown record mode "sometimes"'],
      [['--timing', 'fast'], 'invalid timing "fast"'],
      [['--key', 'openai=sk-live-123'], 'env:VAR'],
      [['--key', 'nothere=env:X'], 'there is no mount "nothere"'],
    ] as const) {
      const t = io();
      expect(await main(['serve', ...args], t.io)).toBe(1);
      expect(t.err()).toContain(text);
      expect(t.out()).toBe('');
    }
  });
});

test('a server that fails to start leaves no signal handlers behind', async () => {
  const before = [process.listenerCount('SIGTERM'), process.listenerCount('SIGINT')];
  const t = io();
  expect(await main(['serve', '--key', 'nothere=env:X'], t.io)).toBe(1);
  expect([process.listenerCount('SIGTERM'), process.listenerCount('SIGINT')]).toEqual(before);
});
