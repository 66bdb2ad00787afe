import { storedBodyBytes } from '../match/body.js';
import { editPath } from '../match/body-path.js';
import { chunkBytes } from '../stream/stored-chunk.js';
import type { Interaction, RedactOptions, StoredBody } from '../types.js';
import { SECRET_HEADERS, SECRET_QUERY_PARAMS } from './rules.js';

/** The rules that name secrets by where they sit, built-in and the user's, ready to apply. */
export interface RedactRules {
  /** Header names (lower case) whose values are secrets. */
  headers: ReadonlySet<string>;
  /** Query parameter names (lower case) whose values are secrets. */
  queryParams: ReadonlySet<string>;
  /** JSON body paths (match/body-path.ts). */
  bodyPaths: readonly string[];
  /** The user named headers or query parameters: their values are learned from each request. */
  userNamed: boolean;
}

const BUILT_IN: RedactRules = buildRules({});

export function rulesOf(options: RedactOptions = {}): RedactRules {
  // the common case, once per cassette: no names or paths of the user's own
  if (!options.headers?.length && !options.queryParams?.length && !options.bodyPaths?.length) return BUILT_IN;
  return buildRules(options);
}

function buildRules(options: RedactOptions): RedactRules {
  const headers = (options.headers ?? []).map((h) => h.toLowerCase());
  const queryParams = (options.queryParams ?? []).map((q) => q.toLowerCase());
  return {
    headers: new Set<string>([...SECRET_HEADERS, ...headers]),
    queryParams: new Set<string>([...SECRET_QUERY_PARAMS, ...queryParams]),
    bodyPaths: options.bodyPaths ?? [],
    userNamed: headers.length > 0 || queryParams.length > 0,
  };
}

const AUTH_SCHEME = /^(Bearer|Basic|Token|Digest|Bot)\s+/i;

/**
 * The secrets in one header value named secret: the value itself, and the parts an echo could
 * carry on their own — the credential without its scheme, a Basic credential decoded (and its
 * password), each cookie's value.
 */
export function secretsOfHeader(name: string, value: string): string[] {
  const found = [value];
  if (name === 'cookie' || name === 'set-cookie') {
    // `a=1; b=2` (a request's cookies: every value) or `a=1; Path=/; Domain=…` (one cookie set:
    // its own value only, the attributes are no secret and scrubbing a domain would eat URLs)
    const pairs = value.split(';');
    for (const pair of name === 'cookie' ? pairs : pairs.slice(0, 1)) {
      const eq = pair.indexOf('=');
      if (eq > 0) found.push(pair.slice(eq + 1).trim());
    }
    return found;
  }
  const scheme = AUTH_SCHEME.exec(value);
  if (!scheme) return found;
  const credential = value.slice(scheme[0].length).trim();
  found.push(credential);
  if (scheme[1]!.toLowerCase() === 'basic') {
    const decoded = Buffer.from(credential, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) found.push(decoded, decoded.slice(colon + 1));
  }
  return found;
}

/** Values worth scrubbing from a request's own auth headers and query. */
export function secretsOfRequest(url: string, headers: Record<string, string | string[]>, rules: RedactRules = BUILT_IN): string[] {
  const found: string[] = [];
  for (const name in headers) {
    const lower = name.toLowerCase();
    if (!rules.headers.has(lower)) continue;
    const value = headers[name]!;
    for (const one of Array.isArray(value) ? value : [value]) found.push(...secretsOfHeader(lower, one));
  }
  // @note most requests carry no query: no need to parse the URL on every replay
  if (!url.includes('?')) return found;
  try {
    for (const [name, value] of new URL(url).searchParams) {
      if (rules.queryParams.has(name.toLowerCase())) found.push(value);
    }
  } catch {
    // not a URL we can read: nothing to add
  }
  return found;
}

/**
 * Every secret value an interaction carries by a rule — secret headers either way, secret query
 * parameters, the values at the user's body paths in either body or in any JSON document of a
 * stream — so that it can be scrubbed wherever else it shows up (a server that echoes it).
 */
export function secretsOfInteraction(interaction: Interaction, rules: RedactRules): string[] {
  const found = secretsOfRequest(interaction.request.url, interaction.request.headers, rules);
  const response = interaction.response;
  if (response) found.push(...secretsOfRequest('', response.headers, rules));
  if (rules.bodyPaths.length === 0) return found;
  const documents = [...jsonDocuments(interaction.request.body), ...jsonDocuments(response?.body)];
  if (response?.chunks) documents.push(...jsonDocumentsOf(Buffer.concat(response.chunks.map((chunk) => chunkBytes(chunk))).toString('utf8')));
  for (const document of documents) for (const path of rules.bodyPaths) collectAt(document, path, found);
  return found;
}

function jsonDocuments(body: StoredBody | undefined): unknown[] {
  if (body === undefined) return [];
  if ('json' in body) return [body.json];
  return jsonDocumentsOf(storedBodyBytes(body).toString('utf8'));
}

/** The JSON documents in a text: the whole, each SSE event's data, each line (NDJSON). */
export function jsonDocumentsOf(text: string): unknown[] {
  const out: unknown[] = [];
  const add = (candidate: string): void => {
    const trimmed = candidate.trim();
    if (trimmed[0] !== '{' && trimmed[0] !== '[') return;
    try {
      out.push(JSON.parse(trimmed));
    } catch {
      // not a document
    }
  };
  add(text);
  let data: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('data:')) data.push(line.slice(line[5] === ' ' ? 6 : 5));
    else if (line === '' && data.length > 0) {
      add(data.join('\n'));
      data = [];
    } else add(line);
  }
  if (data.length > 0) add(data.join('\n'));
  return out;
}

/** The string (and number) leaves wherever a body path reaches. */
function collectAt(value: unknown, path: string, out: string[]): void {
  editPath(value, path, (found) => {
    collectLeaves(found, out);
    return found;
  });
}

function collectLeaves(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'number' && Number.isFinite(value)) out.push(String(value));
  else if (Array.isArray(value)) for (const item of value) collectLeaves(item, out);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) collectLeaves(item, out);
}
