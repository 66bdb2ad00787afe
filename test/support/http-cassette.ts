import type { CassetteData, Interaction } from '../../src/types.js';

/** A cassette of HTTP exchanges only (no journal entries): what most tests record, typed so. */
export type HttpCassette = Omit<CassetteData, 'interactions'> & { interactions: Interaction[] };
