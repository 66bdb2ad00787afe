// The local "provider" every scenario talks to: 127.0.0.1 only, deterministic answers.
// It runs in the orchestrator (bench/run.mjs), never in the process being measured.
import { createServer } from 'node:http';
import { chatRequest, chatResponse, chatStreamEvents, deltaEvent, gapSchedule, smallResponse } from './fixtures.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startServer() {
  const sockets = new Set();
  let hits = 0;
  const server = createServer({ noDelay: true, keepAliveTimeout: 30_000 }, (req, res) => {
    hits++;
    const parts = [];
    req.on('data', (c) => parts.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(parts).toString('utf8')).catch((error) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error?.stack ?? error));
      });
    });
  });
  server.on('connection', (socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    /** Requests served so far: a replaying contender must not add any. */
    hits: () => hits,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function handle(req, res, body) {
  const url = new URL(req.url, 'http://x');
  const q = (name, fallback) => (url.searchParams.has(name) ? Number(url.searchParams.get(name)) : fallback);

  if (url.pathname === '/small') {
    const i = Number(/Question number (\d+)/.exec(body)?.[1] ?? -1);
    const r = smallResponse(i);
    res.writeHead(r.status, { ...r.headers, 'content-length': Buffer.byteLength(r.body) });
    res.end(r.body);
    return;
  }

  if (url.pathname === '/v1/chat/completions') {
    const parsed = JSON.parse(body);
    const i = Number(/ticket (\d+)\./.exec(parsed.messages?.[0]?.content ?? '')?.[1] ?? 0);
    if (body !== chatRequest(i, { stream: !!parsed.stream })) throw new Error(`unexpected chat request for #${i}`);
    if (parsed.stream) {
      const r = chatStreamEvents(i);
      res.writeHead(r.status, r.headers);
      for (const event of r.events) {
        res.write(event);
        await sleep(1); // keep events apart on the wire, as a provider does
      }
      res.end();
      return;
    }
    const r = chatResponse(i);
    res.writeHead(r.status, { ...r.headers, 'content-length': Buffer.byteLength(r.body) });
    res.end(r.body);
    return;
  }

  // C: SSE with a seeded schedule of gaps; headers at once, first event after `ttfc` ms.
  if (url.pathname === '/sse-gaps') {
    const gaps = gapSchedule(q('n', 240), q('seed', 42), q('min', 1), q('max', 20));
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.flushHeaders();
    await sleep(q('ttfc', 25));
    res.write(deltaEvent(0));
    // @note absolute deadlines, so a late timer does not push every later event back
    const start = performance.now();
    let due = 0;
    for (let k = 0; k < gaps.length; k++) {
      due += gaps[k];
      const wait = start + due - performance.now();
      if (wait > 0) await sleep(wait);
      res.write(deltaEvent(k + 1));
    }
    res.end();
    return;
  }

  // D: a fixed 50 ms time to first byte, then `n` events `gap` ms apart.
  if (url.pathname === '/ttfb') {
    const n = q('n', 10);
    const gap = q('gap', 5);
    await sleep(q('ttfb', 50));
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(deltaEvent(0));
    for (let k = 1; k < n; k++) {
      await sleep(gap);
      res.write(deltaEvent(k));
    }
    res.end();
    return;
  }

  // F: a large text event stream, as fast as the client takes it.
  if (url.pathname === '/big') {
    const total = q('bytes', 10 * 1024 * 1024);
    const size = q('chunk', 16 * 1024);
    const line = `data: ${'x'.repeat(size - 8)}\n\n`; // exactly `size` bytes
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    let sent = 0;
    while (sent < total) {
      const piece = total - sent >= size ? line : 'y'.repeat(total - sent);
      sent += piece.length;
      if (!res.write(piece)) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
    return;
  }

  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found');
}
