// A small chat app in its own process: GET /chat?q=… asks the model (the OpenAI SDK, which reads
// OPENAI_BASE_URL) and streams the answer to its HTTP client as it arrives; GET / is a chat page.
// With &trace=1 it streams NDJSON instead: one line per answer event, then one line with every
// read of the model's response body as the app's fetch got it (its size and time).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import OpenAI from 'openai';

const page = readFileSync(new URL('./chat.html', import.meta.url));

/** fetch, noting each read of a response body: the chunk boundaries and timing the server sent. */
function tracingFetch(trace) {
  return async (url, init) => {
    const res = await fetch(url, init);
    if (!trace || !res.body) return res;
    const hash = createHash('sha256');
    const body = res.body.pipeThrough(
      new TransformStream({
        transform(chunk, controller) {
          trace.reads.push({ at: performance.now() - trace.t0, bytes: chunk.byteLength });
          hash.update(chunk);
          controller.enqueue(chunk);
        },
        flush() {
          trace.sha256 = hash.digest('hex');
        },
      }),
    );
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://app');
  if (url.pathname === '/') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page);
    return;
  }
  if (url.pathname !== '/chat') {
    res.writeHead(404);
    res.end();
    return;
  }
  const trace = url.searchParams.has('trace') ? { t0: performance.now(), reads: [], sha256: '' } : undefined;
  const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY || 'placeholder', maxRetries: 0, fetch: tracingFetch(trace) });
  try {
    const stream = await client.chat.completions.create({
      model: 'gpt-e2e',
      stream: true,
      messages: [{ role: 'user', content: url.searchParams.get('q') ?? '' }],
    });
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache' });
    res.flushHeaders();
    for await (const part of stream) {
      const text = part.choices[0]?.delta?.content;
      if (!text) continue;
      res.write(trace ? `${JSON.stringify({ text })}\n` : text);
    }
    res.end(trace ? `${JSON.stringify({ reads: trace.reads, sha256: trace.sha256 })}\n` : undefined);
  } catch (error) {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`app error: ${error.message}`);
  }
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
