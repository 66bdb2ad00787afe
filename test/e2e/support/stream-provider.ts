/**
 * An OpenAI-compatible chat-completions endpoint on 127.0.0.1 whose streams keep their events
 * apart in time (a seeded schedule of gaps), so chunk boundaries and timing can be checked after
 * a replay. The answer echoes the prompt word by word.
 */
import type { ServerResponse } from 'node:http';
import { type LocalServer, startLocalServer } from '../../support/local-server.js';

export interface StreamProviderOptions {
  /** Gaps between events, ms: a seeded value in [min, max]. */
  minGapMs?: number;
  maxGapMs?: number;
  /** Events per answer beyond the echoed words (padding), to get enough gaps to measure. */
  extraEvents?: number;
}

/** A small deterministic generator: the same seed gives the same gaps. */
function gaps(seed: number, count: number, min: number, max: number): number[] {
  let x = seed >>> 0 || 1;
  return Array.from({ length: count }, () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return min + ((x >>> 0) % (max - min + 1));
  });
}

function chunk(id: string, delta: Record<string, unknown>, finish: string | null): string {
  return `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1, model: 'gpt-e2e', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
}

async function streamAnswer(res: ServerResponse, id: string, words: string[], seed: number, options: Required<StreamProviderOptions>): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.flushHeaders();
  const schedule = gaps(seed, words.length + 1, options.minGapMs, options.maxGapMs);
  const start = performance.now();
  let at = 0;
  for (let i = 0; i < words.length; i++) {
    at += schedule[i]!;
    // @note absolute deadlines: a late timer does not push every later event back
    await new Promise((r) => setTimeout(r, Math.max(0, start + at - performance.now())));
    if (res.destroyed) return;
    res.write(chunk(id, i === 0 ? { role: 'assistant', content: words[i] } : { content: ` ${words[i]}` }, null));
  }
  at += schedule[words.length]!;
  await new Promise((r) => setTimeout(r, Math.max(0, start + at - performance.now())));
  res.write(chunk(id, {}, 'stop'));
  res.end('data: [DONE]\n\n');
}

export async function startStreamProvider(options: StreamProviderOptions = {}): Promise<LocalServer> {
  const settings: Required<StreamProviderOptions> = { minGapMs: 5, maxGapMs: 30, extraEvents: 0, ...options };
  let calls = 0;
  return startLocalServer(async (request, res) => {
    const body = JSON.parse(request.body || '{}') as { stream?: boolean; messages?: { content: string }[] };
    const prompt = body.messages?.at(-1)?.content ?? '';
    const id = `chatcmpl-e2e-${++calls}`;
    const words = ['echo:', ...prompt.split(' '), ...Array.from({ length: settings.extraEvents }, (_, i) => `w${i}`)];
    if (body.stream) return streamAnswer(res, id, words, prompt.length * 7919 + 17, settings);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id,
        object: 'chat.completion',
        created: 1,
        model: 'gpt-e2e',
        choices: [{ index: 0, message: { role: 'assistant', content: words.join(' ') }, finish_reason: 'stop' }],
      }),
    );
  });
}
