/**
 * How a replayed stream reached its reader, against the recording: where the reads' boundaries
 * fall among the recorded chunks', and how far each gap between chunk deliveries is from the
 * recorded gap. A read that ends inside a recorded chunk is a split (never allowed); a recorded
 * boundary with no read ending there is a merge (the reader was busy when two chunks came).
 */
import { renderSse } from '../../../src/stream/sse.js';
import type { StoredChunk } from '../../../src/types.js';

export interface Read {
  at: number;
  bytes: number;
}

export function chunkBytes(chunk: StoredChunk): number {
  if (chunk.events !== undefined) return Buffer.byteLength(renderSse(chunk.events, chunk.eol === 'crlf' ? 'crlf' : 'lf'));
  if (chunk.text !== undefined) return Buffer.byteLength(chunk.text);
  return Buffer.from(chunk.base64 ?? '', 'base64').length;
}

export interface Delivery {
  /** Reads that ended inside a recorded chunk. */
  splits: number;
  /** Recorded chunk boundaries the reads did not keep. */
  merges: number;
  /** |delivered gap − recorded gap| per pair of consecutive chunks, ms. */
  gapErrors: number[];
}

export function delivery(reads: readonly Read[], chunks: readonly StoredChunk[]): Delivery {
  const ends: number[] = [];
  let total = 0;
  for (const chunk of chunks) ends.push((total += chunkBytes(chunk)));
  const readEnds = new Set<number>();
  let read = 0;
  for (const r of reads) readEnds.add((read += r.bytes));
  if (read !== total) throw new Error(`the reads hold ${read} bytes, the recording ${total}`);
  const endSet = new Set(ends);
  const splits = [...readEnds].filter((end) => !endSet.has(end)).length;
  const merges = ends.filter((end) => !readEnds.has(end)).length;
  // each chunk is delivered by the read that holds its last byte
  const deliveredAt: number[] = [];
  let r = 0;
  let readEnd = reads[0]?.bytes ?? 0;
  for (const end of ends) {
    while (readEnd < end) readEnd += reads[++r]!.bytes;
    deliveredAt.push(reads[r]!.at);
  }
  const gapErrors = ends.slice(1).map((_, i) => Math.abs(deliveredAt[i + 1]! - deliveredAt[i]! - (chunks[i + 1]!.atMs - chunks[i]!.atMs)));
  return { splits, merges, gapErrors };
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
