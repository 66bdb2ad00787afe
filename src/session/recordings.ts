import stableStringify from 'fast-json-stable-stringify';
import { CassetteError } from '../errors.js';
import { callIdentity } from '../journal/call-recordings.js';
import { isCall, isHttp } from '../journal/timeline.js';
import { holdsIds, responseIds } from '../match/client-ids.js';
import { distance } from '../match/diff.js';
import { type CanonicalRequest, canonicalRequest, identityOf } from '../match/request-key.js';
import { redactedGroup } from '../redact/redacted-match.js';
import { prepare } from '../stream/player.js';
import type { Interaction, MatchOptions, MatchRequestView, TimelineEntry } from '../types.js';
import { requestView } from './request-view.js';

/** One loaded recording: its request as matching sees it, and how often this session used it. */
export interface Recording {
  readonly interaction: Interaction;
  /** Its place in the cassette file (`#n` in messages and reports). */
  readonly index: number;
  readonly canonical: CanonicalRequest;
  /** The request's exact identity (identityOf): the index key. */
  readonly key: string;
  uses: number;
}

/** The ids every response of the file held, learnt only when some request has id fields. */
function knownIdsOf(interactions: readonly Interaction[], views: readonly MatchRequestView[], options: MatchOptions): Set<string> {
  const ids = new Set<string>();
  if (options.normalizeClientIds !== false && views.some((view) => holdsIds(view.body))) {
    for (const interaction of interactions) for (const id of responseIds(interaction.response)) ids.add(id);
  }
  return ids;
}

/**
 * How a session that loaded `entries` keys each of them: a save merges by these keys
 * (cassette/merge.ts), so that a place in the file is what a later replay will see. Calls key by
 * name and input, notes by label and data.
 */
export function keysOf(entries: readonly TimelineEntry[], options: MatchOptions): (entry: TimelineEntry) => string {
  const http = entries.filter(isHttp);
  const knownIds = knownIdsOf(
    http,
    http.map((interaction) => requestView(interaction.request)),
    options,
  );
  return (entry) => {
    if (isCall(entry)) return callIdentity(entry.call.name, entry.call.input);
    if (!isHttp(entry)) return `note ${entry.note.label}\n${stableStringify(entry.note.data ?? null)}`;
    return identityOf(canonicalRequest(requestView(entry.request), options, knownIds));
  };
}

/**
 * The recordings a session loaded, indexed by request identity. Requests with the same identity
 * take their recordings in recorded order; each is used once unless repeats are allowed.
 */
export class Recordings {
  private readonly list: Recording[] = [];
  private readonly byKey = new Map<string, Recording[]>();
  /** Ids the responses in the file held: the provider's, not the client's (client-ids.ts). */
  readonly knownIds: Set<string>;

  /** `entries`: the cassette's whole timeline; only its HTTP exchanges are indexed, by their place in it. */
  constructor(
    private readonly entries: readonly TimelineEntry[],
    private readonly options: MatchOptions & { allowPlaybackRepeats?: boolean | undefined },
  ) {
    const http = entries.flatMap((entry, index) => (isHttp(entry) ? [{ interaction: entry, index }] : []));
    const views = http.map(({ interaction }) => requestView(interaction.request));
    this.knownIds = knownIdsOf(
      http.map(({ interaction }) => interaction),
      views,
      options,
    );
    http.forEach(({ interaction, index }, i) => {
      const view = views[i]!;
      const canonical = canonicalRequest(view, options, this.knownIds);
      const recording: Recording = { interaction, index, canonical, key: identityOf(canonical), uses: 0 };
      prepare(interaction);
      this.list.push(recording);
      const group = this.byKey.get(recording.key);
      if (group) group.push(recording);
      else this.byKey.set(recording.key, [recording]);
    });
  }

  get size(): number {
    return this.list.length;
  }

  /** The whole timeline as loaded (calls and notes included). */
  timeline(): readonly TimelineEntry[] {
    return this.entries;
  }

  /**
   * The next unused recording with this identity, in recorded order (the last one again when
   * repeats are allowed). `peek` leaves its use count alone. `live`: the live request's view, for
   * the `match` hook; a hook that throws becomes an LLM_CASSETTE_HOOK error thrown from here.
   */
  take(key: string, live: () => MatchRequestView, peek: boolean): Recording | undefined {
    const group = this.byKey.get(key) ?? redactedGroup(this.list, key);
    if (!group) return undefined;
    const candidates = this.options.match ? group.filter((r) => this.accepts(live(), r)) : group;
    let chosen: Recording | undefined;
    for (const r of candidates) {
      if (r.uses === 0) {
        chosen = r;
        break;
      }
    }
    if (!chosen && this.options.allowPlaybackRepeats) chosen = candidates[candidates.length - 1];
    if (chosen && !peek) chosen.uses++;
    return chosen;
  }

  /**
   * The recording closest to a request that matched none: fewest differing fields.
   * `sameEndpoint`: only recordings of the same method and path.
   */
  closest(canonical: CanonicalRequest, { sameEndpoint = false } = {}): Recording | undefined {
    let best: { recording: Recording; distance: number } | undefined;
    for (const recording of this.list) {
      if (sameEndpoint && (recording.canonical.method !== canonical.method || recording.canonical.path !== canonical.path)) continue;
      const d = distance(recording.canonical, canonical);
      if (!best || d < best.distance) best = { recording, distance: d };
    }
    return best?.recording;
  }

  /** Indices of recordings this session never used. */
  unused(): number[] {
    return this.list.flatMap((r) => (r.uses === 0 ? [r.index] : []));
  }

  private accepts(live: MatchRequestView, recording: Recording): boolean {
    try {
      return this.options.match!(live, requestView(recording.interaction.request));
    } catch (error) {
      throw new CassetteError(
        'LLM_CASSETTE_HOOK',
        `cassettes: the match hook threw on ${live.method} ${live.url} against interaction #${recording.index}: ${(error as Error)?.message ?? String(error)}\n` +
          `  fix:      make the match option return true or false for every pair`,
        { cause: error },
      );
    }
  }
}
