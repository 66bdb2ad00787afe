import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { decodeCassette } from '../cassette/codec.js';
import type { CassetteData, Interaction } from '../types.js';
import { compareCassettes, compareInteractions } from './drift-compare.js';

/** A conformance cassette: HTTP exchanges only. */
const load = (name: string): CassetteData & { interactions: Interaction[] } => {
  const file = `__cassettes__/conformance/${name}.yaml`;
  return decodeCassette(readFileSync(file, 'utf8'), file) as CassetteData & { interactions: Interaction[] };
};

describe('compareCassettes', () => {
  test.each(['openai-chat', 'openai-responses', 'anthropic', 'gemini'])('%s against itself: no drift, nothing unpaired', (name) => {
    expect(compareCassettes(load(name), load(name))).toEqual({ drifted: [], onlyOld: [], onlyNew: [] });
  });

  test('an SSE stream: a field added to one event type, an event type gone (Anthropic pings)', () => {
    const before = load('anthropic');
    const after = structuredClone(before);
    for (const chunk of after.interactions[2]!.response!.chunks!) {
      chunk.events = chunk.events!.filter((e) => e.event !== 'ping');
      for (const e of chunk.events) if (e.event === 'message_stop') (e.data as Record<string, unknown>)['stop_details'] = { kind: 'end' };
    }
    const drift = compareCassettes(before, after);
    expect(drift.drifted).toEqual([
      {
        label: '#2 POST https://api.anthropic.com/v1/messages',
        changes: ['event message_stop: + stop_details (object)', 'event type vanished: ping'],
      },
    ]);
  });

  test('requests whose bodies changed are still compared, paired by method, URL and order; the rest is listed', () => {
    const before = load('gemini');
    const after = structuredClone(before);
    after.interactions = after.interactions.slice(0, 3) as typeof after.interactions;
    for (const it of after.interactions) {
      delete it.key;
      (it.request.body as { json: Record<string, unknown> }).json['labels'] = { run: 'nightly' };
    }
    const drift = compareCassettes(before, after);
    expect(drift.drifted).toEqual([]);
    expect(drift.onlyNew).toEqual([]);
    expect(drift.onlyOld).toHaveLength(16);
  });

  test('a response against a network error, a stream against a whole body, content-type and text bodies', () => {
    const [chat] = load('openai-chat').interactions as [Interaction];
    const failed: Interaction = { ...chat, response: undefined, error: { name: 'Error', code: 'ECONNRESET', message: 'reset', atMs: 1 } };
    expect(compareInteractions(chat, failed)).toEqual(['response → network error (ECONNRESET)']);
    expect(compareInteractions(failed, chat)).toEqual(['network error → response 200']);
    expect(compareInteractions(failed, failed)).toEqual([]);
    const streamed = load('openai-chat').interactions[2]!;
    expect(compareInteractions(chat, streamed)).toEqual(['content-type application/json → text/event-stream', 'whole body → stream']);
    const text: Interaction = { ...chat, response: { ...chat.response!, headers: {}, body: { text: 'not json' } } };
    const changes = compareInteractions(chat, text);
    expect(changes.slice(0, 2)).toEqual(['content-type application/json → (none)', 'body ~ (the whole value): object → text']);
    // the JSON's top-level fields went with it, each named once
    expect(changes.slice(2)).toEqual(
      Object.keys(JSON.parse((chat.response!.body as { text: string }).text))
        .sort()
        .map((key) => expect.stringMatching(new RegExp(`^body - ${key} \\(`))),
    );
  });
});
