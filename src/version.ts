// Replaced at build time by tsup's `define`; the fallback covers running from source.
declare const __LLM_CASSETTE_VERSION__: string | undefined;
export const VERSION: string = typeof __LLM_CASSETTE_VERSION__ === 'string' ? __LLM_CASSETTE_VERSION__ : '0.0.0-dev';
