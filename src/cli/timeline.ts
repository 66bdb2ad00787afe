import type { StoredResponse } from '../types.js';

/** How a recorded stream unfolded, in milliseconds from the start of the request. */
export interface StreamTimeline {
  headersMs: number;
  firstChunkMs?: number;
  chunks: number;
  /** Between consecutive chunks; absent with fewer than two. */
  gapsMs?: { min: number; median: number; max: number };
  end?: { state: string; atMs: number; detail?: string };
}

export function streamTimeline(response: StoredResponse): StreamTimeline | undefined {
  const chunks = response.chunks;
  if (!chunks) return undefined;
  const timeline: StreamTimeline = { headersMs: response.headersAtMs, chunks: chunks.length };
  if (chunks.length > 0) timeline.firstChunkMs = chunks[0]!.atMs;
  const gaps = chunks
    .slice(1)
    .map((chunk, i) => round(chunk.atMs - chunks[i]!.atMs))
    .sort((a, b) => a - b);
  if (gaps.length > 0) timeline.gapsMs = { min: gaps[0]!, median: median(gaps), max: gaps.at(-1)! };
  const end = response.end;
  if (end) {
    timeline.end = { state: end.state, atMs: end.atMs };
    if (end.state === 'failed') timeline.end.detail = [end.error.name, end.error.code, end.error.message].filter(Boolean).join(' ');
    if (end.state === 'aborted') timeline.end.detail = `cut by the client after ${end.bytes} bytes`;
  }
  return timeline;
}

function median(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/** @note stored times have one decimal; sums of them pick up float noise (0.30000000000000004) */
function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
