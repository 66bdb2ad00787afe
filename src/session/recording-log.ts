import { nextTurn, now, sleep } from '../stream/clock.js';
import type { TimelineEntry } from '../types.js';

/** A recording in flight: what it waits for, and how to give up on it. */
export interface InFlight {
  /** `METHOD url`, secrets out: for messages. */
  readonly where: string;
  readonly finished: Promise<void>;
  abandon(reason: Error): void;
}

/**
 * What a session recorded, in the order the requests started (not the order they finished), and
 * the recordings still streaming.
 */
export class RecordingLog {
  private readonly slots: (TimelineEntry | undefined)[] = [];
  private readonly inFlight = new Set<InFlight>();

  /** A place for a recording that just started. */
  reserve(): number {
    this.slots.push(undefined);
    return this.slots.length - 1;
  }

  fill(slot: number, entry: TimelineEntry): void {
    this.slots[slot] = entry;
  }

  track(flight: InFlight): void {
    this.inFlight.add(flight);
    void flight.finished.finally(() => this.inFlight.delete(flight));
  }

  /** The finished recordings (HTTP, calls, notes), in order. */
  entries(): TimelineEntry[] {
    return this.slots.filter((i): i is TimelineEntry => i !== undefined);
  }

  /**
   * Waits until nothing is in flight, at most `limitMs` in all; then abandons what is left, with
   * the error `unfinished` gives for it, and waits for those to wind up.
   * @note a turn first, and after each round: a request the function fired and did not await
   * reaches the interceptor a few ticks after fetch() was called, and belongs to this cassette.
   */
  async settle(limitMs: number, unfinished: (flight: InFlight) => Error): Promise<void> {
    const deadline = now() + limitMs;
    await nextTurn();
    while (this.inFlight.size > 0) {
      const wait = new AbortController();
      const timedOut = await Promise.race([
        Promise.allSettled([...this.inFlight].map((f) => f.finished)).then(() => false),
        sleep(Math.max(0, deadline - now()), wait.signal).then(() => !wait.signal.aborted),
      ]);
      wait.abort();
      if (timedOut) {
        for (const flight of this.inFlight) flight.abandon(unfinished(flight));
        await Promise.allSettled([...this.inFlight].map((f) => f.finished));
      }
      await nextTurn();
    }
  }
}
