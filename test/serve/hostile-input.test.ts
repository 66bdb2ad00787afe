/**
 * Hostile input against the server: any method, path, header and body gets an answer (never a
 * hang, never an internal error), and the server goes on serving. Replay only and an empty
 * folder: nothing may reach a network.
 */
import { connect } from 'node:net';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { sessionClient } from '../../src/entries/serve.js';
import { call, serve } from './support.js';

/**
 * A raw request on a socket of its own: the status, or what went wrong.
 * @note not node:http's client: in this process it meets @mswjs/interceptors (the server
 * installed interception), whose ClientRequest interceptor throws on a path such as `//`.
 */
function raw(url: string, method: string, path: string, headers: Record<string, string>, body: string): Promise<number | string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let response = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(`no answer within 5 s: ${response.slice(0, 80)}`);
    }, 5000);
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => {
      response += text;
      const status = /^HTTP\/1\.1 (\d{3}) /.exec(response);
      if (status) {
        clearTimeout(timer);
        socket.destroy();
        resolve(Number(status[1]));
      }
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      resolve(`socket error: ${e.message}`);
    });
    const bytes = Buffer.from(body);
    const head = [`${method} ${path} HTTP/1.1`, `host: ${hostname}:${port}`, 'connection: close', `content-length: ${bytes.length}`];
    for (const [name, value] of Object.entries(headers)) head.push(`${name}: ${value}`);
    socket.write(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), bytes]));
  });
}

const segment = fc.oneof(
  fc.constantFrom('openai', 'anthropic', 'gemini', 's', '__cassettes', 'sessions', 'health', '..', '.', '', '%2e%2e', '%00', 'v1', 'chat', 'completions'),
  fc.stringMatching(/^[A-Za-z0-9%._~:@!$&'()*+,;=-]{0,12}$/),
);

test('any method, path, header and body is answered with a status, never an internal error, and the server stays up (property, 150 runs)', {
  timeout: 120_000,
}, async () => {
  const server = await serve({ mode: 'none' });
  const session = await sessionClient(server.url).open(null);
  let tried = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
      fc.array(segment, { maxLength: 6 }),
      fc.option(fc.constantFrom(session.id, 'unknown', ''), { nil: undefined }),
      fc.oneof(fc.constant(''), fc.json(), fc.string({ maxLength: 200 })),
      fc.option(fc.stringMatching(/^[A-Za-z0-9_-]{0,20}$/), { nil: undefined }),
      async (method, segments, prefix, body, sessionHeader) => {
        tried++;
        const path = `${prefix === undefined ? '' : `/s/${prefix}`}/${segments.join('/')}`;
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (sessionHeader !== undefined) headers['x-cassette-session'] = sessionHeader;
        const status = await raw(server.url, method, path, headers, method === 'GET' || method === 'HEAD' ? '' : body);
        expect(typeof status === 'number' && status >= 200 && status < 600, `${method} ${path} → ${status}`).toBe(true);
      },
    ),
    { numRuns: 150 },
  );
  for (const path of ['/s/%E0%A4%A/openai/v1/chat/completions', '/s/%/anthropic/v1/messages', '/%E0/v1', '/__cassettes/sessions/%E0']) {
    expect(await raw(server.url, 'POST', path, {}, '{}'), path).toBeGreaterThanOrEqual(400);
  }
  expect(server.logs.filter((line) => line.includes('internal error'))).toEqual([]);
  expect((await call(`${server.url}/__cassettes/health`)).status).toBe(200);
  process.stderr.write(`serve hostile input: ${tried} tried, ${tried} answered, 0 internal errors\n`);
});
