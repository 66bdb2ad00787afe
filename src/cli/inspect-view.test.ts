import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { decodeCassette } from '../cassette/codec.js';
import { httpInteractions } from '../journal/timeline.js';
import type { Interaction } from '../types.js';
import { renderInteraction } from './inspect-render.js';
import { viewInteraction } from './inspect-view.js';
import { paint } from './output.js';

const DIR = '__cassettes__/conformance';
const load = (name: string): Interaction[] => httpInteractions(decodeCassette(readFileSync(`${DIR}/${name}`, 'utf8'), name));

describe('inspect views', () => {
  test("every interaction of the project's cassettes has a view and renders, coloured or not, to the same text", async () => {
    let seen = 0;
    for (const name of readdirSync(DIR)) {
      for (const [index, interaction] of load(name).entries()) {
        const view = await viewInteraction(interaction, index);
        expect(view).toMatchObject({
          index,
          method: 'POST',
          url: interaction.request.url,
          recordedAt: interaction.recordedAt,
          status: interaction.response!.status,
        });
        expect(view.answer !== undefined || view.errorMessage !== undefined).toBe(true);
        const plain = renderInteraction(view, paint(false));
        const coloured = renderInteraction(view, paint(true));
        expect(coloured.map((line) => line.replaceAll(/\[\d+m/g, '').replaceAll('\x1b', ''))).toEqual(plain);
        expect(plain.join('\n')).not.toContain('\x1b');
        seen++;
      }
    }
    expect(seen).toBeGreaterThan(80);
  });

  test('a stream view: timeline, events, answer; a whole body: headers time and size', async () => {
    const interactions = load('openai-responses.yaml');
    const stream = await viewInteraction(interactions[2]!, 2);
    const chunks = interactions[2]!.response!.chunks!;
    expect(stream.stream).toMatchObject({ chunks: chunks.length, events: chunks.length, firstChunkMs: chunks[0]!.atMs, end: { state: 'completed' } });
    expect(stream.headersMs).toBeUndefined();
    const whole = await viewInteraction(interactions[0]!, 0);
    expect(whole.stream).toBeUndefined();
    expect(whole.headersMs).toBe(interactions[0]!.response!.headersAtMs);
    expect(whole.bodyBytes).toBeGreaterThan(500);
  });

  test('a long text answer keeps its lines, indented under its label', () => {
    const lines = renderInteraction(
      { index: 0, method: 'POST', url: 'u', recordedAt: 't', request: { stream: false }, status: 200, answer: { text: 'one\ntwo', toolCalls: [] } },
      paint(false),
    );
    expect(lines).toContain('    text       one');
    expect(lines).toContain('               two');
  });
});
