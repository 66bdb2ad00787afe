import { editPath } from '../match/body-path.js';
import type { Interaction, RedactOptions, StoredBody } from '../types.js';
import { MIN_SECRET_LENGTH, REDACTED, SECRET_ENV_VARS, SECRET_HEADERS, SECRET_QUERY_PARAMS, VOLATILE_REQUEST_HEADERS } from './rules.js';

export interface Redactor {
  /** Replace every known secret value in a string. */
  scrub(text: string): string;
  /** A copy of the interaction with no secret left in it. */
  interaction(interaction: Interaction): Interaction;
  /** Secret query params removed from a URL (for messages). */
  url(url: string): string;
  /** Whether scrubbing a request body with this text could change it (a fast pre-check). */
  mayChange(text: string): boolean;
}

const AUTH_SCHEME = /^(Bearer|Basic|Token)\s+/i;

/** Values worth scrubbing from a request's own auth headers and query. */
export function secretsOfRequest(url: string, headers: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'authorization' || lower === 'proxy-authorization') {
      found.push(value, value.replace(AUTH_SCHEME, ''));
    } else if ((SECRET_HEADERS as readonly string[]).includes(lower) && lower !== 'cookie') {
      found.push(value);
    }
  }
  // @note most requests carry no query: no need to parse the URL on every replay
  if (!url.includes('?')) return found;
  try {
    for (const [name, value] of new URL(url).searchParams) {
      if (SECRET_QUERY_PARAMS.includes(name.toLowerCase())) found.push(value);
    }
  } catch {
    // not a URL we can read: nothing to add
  }
  return found;
}

export function createRedactor(options: RedactOptions = {}, extraValues: string[] = []): Redactor {
  const envValues = SECRET_ENV_VARS.map((name) => process.env[name]).filter((v): v is string => !!v);
  const values = [...new Set([...envValues, ...(options.values ?? []), ...extraValues])]
    .filter((v) => v.length >= MIN_SECRET_LENGTH)
    // longest first, so a key that contains another is replaced whole
    .sort((a, b) => b.length - a.length);
  const patterns = options.patterns ?? [];
  const secretHeaders = new Set<string>([...SECRET_HEADERS, ...(options.headers ?? []).map((h) => h.toLowerCase())]);
  const secretQuery = new Set<string>([...SECRET_QUERY_PARAMS, ...(options.queryParams ?? []).map((q) => q.toLowerCase())]);

  const scrub = (text: string): string => {
    let out = text;
    for (const value of values) if (out.includes(value)) out = out.split(value).join(REDACTED);
    for (const pattern of patterns) {
      const global = pattern.global ? pattern : new RegExp(pattern.source, `${pattern.flags}g`);
      out = out.replace(global, REDACTED);
    }
    return out;
  };

  const url = (raw: string): string => {
    if (!raw.includes('?')) return scrub(raw);
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      return scrub(raw);
    }
    for (const name of [...parsed.searchParams.keys()]) {
      if (secretQuery.has(name.toLowerCase())) parsed.searchParams.set(name, REDACTED);
    }
    return scrub(parsed.toString());
  };

  const headers = <V extends string | string[]>(record: Record<string, V>, dropVolatile: boolean): Record<string, V> => {
    const out: Record<string, V> = {};
    for (const [name, value] of Object.entries(record)) {
      const lower = name.toLowerCase();
      if (dropVolatile && (lower.startsWith('x-stainless-') || (VOLATILE_REQUEST_HEADERS as readonly string[]).includes(lower))) continue;
      if (secretHeaders.has(lower)) out[lower] = (Array.isArray(value) ? value.map(() => REDACTED) : REDACTED) as V;
      else out[lower] = (Array.isArray(value) ? value.map(scrub) : scrub(value as string)) as V;
    }
    return out;
  };

  const body = (stored: StoredBody | undefined): StoredBody | undefined => {
    if (stored === undefined) return undefined;
    if ('json' in stored) {
      let json = scrubDeep(stored.json, scrub);
      for (const path of options.bodyPaths ?? []) json = editPath(json, path, () => REDACTED);
      return { ...stored, json };
    }
    if ('text' in stored) return { text: scrub(stored.text) };
    return stored;
  };

  const bodyRules = (options.bodyPaths?.length ?? 0) > 0;
  // stateless copies: a global pattern's lastIndex would make test() skip matches
  const probes = patterns.map((pattern) => new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')));
  const mayChange = (text: string): boolean => bodyRules || values.some((value) => text.includes(value)) || probes.some((probe) => probe.test(text));

  return {
    scrub,
    url,
    mayChange,
    interaction(interaction) {
      const { request, response } = interaction;
      const out: Interaction = {
        ...interaction,
        request: {
          method: request.method,
          url: url(request.url),
          headers: headers(request.headers, true),
          body: body(request.body),
        },
      };
      if (response) {
        out.response = {
          ...response,
          headers: headers(response.headers, false),
          body: body(response.body),
          chunks: response.chunks?.map((chunk) => {
            if (chunk.events) return { ...chunk, events: scrubDeep(chunk.events, scrub) as typeof chunk.events };
            return chunk.text === undefined ? chunk : { ...chunk, text: scrub(chunk.text) };
          }),
        };
      }
      if (interaction.error) out.error = { ...interaction.error, message: scrub(interaction.error.message) };
      return out;
    },
  };
}

function scrubDeep(value: unknown, scrub: (s: string) => string): unknown {
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map((item) => scrubDeep(item, scrub));
  if (value !== null && typeof value === 'object') {
    // fromEntries, not assignment: a "__proto__" key must stay a key, not become the prototype
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrubDeep(item, scrub)]));
  }
  return value;
}
