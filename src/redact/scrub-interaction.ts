import { storedBodyBytes, toStoredBody, tryParseJson } from '../match/body.js';
import { editPath } from '../match/body-path.js';
import { chunkBytes, chunkText, storedChunk } from '../stream/stored-chunk.js';
import type { Interaction, StoredBody, StoredChunk, StoredResponse, StreamEnd } from '../types.js';
import { scrubFreeText } from './free-text.js';
import { scrubJson } from './json.js';
import type { RedactRules } from './learn.js';
import { REDACTED, VOLATILE_REQUEST_HEADERS } from './rules.js';
import type { SecretSet } from './secret-set.js';
import { scrubStream } from './stream.js';

const VOLATILE: ReadonlySet<string> = new Set(VOLATILE_REQUEST_HEADERS);

/**
 * A copy of the interaction with every secret the set knows, and every value the rules name,
 * replaced by the marker — in the URL, both sets of headers, both bodies in whatever form they
 * are stored (JSON, text or base64), the stream taken as one text across its chunks, and the
 * recorded errors.
 */
export function scrubInteraction(interaction: Interaction, secrets: SecretSet, rules: RedactRules): Interaction {
  const { request, response } = interaction;
  const out: Interaction = {
    ...interaction,
    request: {
      method: request.method,
      url: scrubUrl(request.url, secrets, rules),
      headers: scrubHeaders(request.headers, secrets, rules, true),
      body: scrubBody(request.body, secrets, rules),
    },
  };
  if (response) out.response = scrubResponse(response, secrets, rules);
  if (interaction.error) out.error = { ...interaction.error, message: scrubFreeText(interaction.error.message, secrets, rules) };
  return out;
}

function scrubResponse(response: StoredResponse, secrets: SecretSet, rules: RedactRules): StoredResponse {
  const sse = String(response.headers['content-type'] ?? '').includes('text/event-stream');
  return {
    ...response,
    statusText: secrets.scrubText(response.statusText),
    headers: scrubHeaders(response.headers, secrets, rules, false),
    body: scrubBody(response.body, secrets, rules),
    chunks: response.chunks && scrubChunks(response.chunks, secrets, sse),
    end: response.end && scrubEnd(response.end, secrets, rules),
  };
}

function scrubEnd(end: StreamEnd, secrets: SecretSet, rules: RedactRules): StreamEnd {
  if (end.state !== 'failed') return end;
  return { ...end, error: { ...end.error, message: scrubFreeText(end.error.message, secrets, rules) } };
}

/** Secret query parameters become the marker (whatever their value), then known values go. */
export function scrubUrl(raw: string, secrets: SecretSet, rules: RedactRules): string {
  if (!raw.includes('?')) return secrets.scrubText(raw);
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return scrubFreeText(raw, secrets, rules);
  }
  for (const name of [...parsed.searchParams.keys()]) {
    if (rules.queryParams.has(name.toLowerCase())) parsed.searchParams.set(name, REDACTED);
  }
  return secrets.scrubText(parsed.toString());
}

function scrubHeaders<V extends string | string[]>(
  record: Record<string, V>,
  secrets: SecretSet,
  rules: RedactRules,
  dropVolatile: boolean,
): Record<string, V> {
  const out: Record<string, V> = {};
  for (const [name, value] of Object.entries(record)) {
    const lower = name.toLowerCase();
    if (dropVolatile && (lower.startsWith('x-stainless-') || VOLATILE.has(lower))) continue;
    const named = rules.headers.has(lower);
    const scrub = (one: string): string => (named ? REDACTED : secrets.scrubText(one));
    out[lower] = (Array.isArray(value) ? value.map(scrub) : scrub(value as string)) as V;
  }
  return out;
}

/**
 * A body in any stored form: its bytes searched (a multipart upload stored as base64 included),
 * stored again from the result; then, for JSON, every string and key as parsed (escaped forms)
 * and the user's body paths.
 */
export function scrubBody(body: StoredBody | undefined, secrets: SecretSet, rules: RedactRules): StoredBody | undefined {
  if (body === undefined) return undefined;
  let out = body;
  if (!secrets.empty) {
    const bytes = storedBodyBytes(body);
    const scrubbed = secrets.scrubBytes(bytes);
    if (scrubbed !== bytes) out = toStoredBody(scrubbed) ?? body;
    // without a backslash, every string in the JSON is its own raw text: the byte search saw it all
    if (bytes.includes(0x5c)) out = scrubEscapedJson(out, secrets);
  }
  if ('json' in out) {
    let json = out.json;
    for (const path of rules.bodyPaths) json = editPath(json, path, () => REDACTED);
    out = withJson(out, json);
  }
  return out;
}

/**
 * JSON whose strings carry escapes: each string and key as parsed. A body kept as text (its
 * escapes do not re-serialise byte for byte) that held a secret is stored as its parsed form:
 * the same JSON, written plainly.
 */
function scrubEscapedJson(body: StoredBody, secrets: SecretSet): StoredBody {
  const scrub = (text: string): string => secrets.scrubText(text);
  if ('json' in body) return withJson(body, scrubJson(body.json, scrub));
  if (!('text' in body)) return body;
  const parsed = tryParseJson(body.text);
  if (!parsed) return body;
  const json = scrubJson(parsed.value, scrub);
  return json === parsed.value ? body : { json };
}

function withJson(body: Extract<StoredBody, { json: unknown }>, json: unknown): StoredBody {
  if (json === body.json) return body;
  return body.format === undefined ? { json } : { json, format: body.format };
}

/** The stream scrubbed as one text; only the chunks that changed are stored anew. */
export function scrubChunks(chunks: StoredChunk[], secrets: SecretSet, sse: boolean): StoredChunk[] {
  if (secrets.empty || !mayHoldSecret(chunks, secrets)) return chunks;
  const bytes = chunks.map((chunk) => chunkBytes(chunk));
  const scrubbed = scrubStream(bytes, secrets);
  if (!scrubbed) return chunks;
  return chunks.map((chunk, i) => (scrubbed[i]!.equals(bytes[i]!) ? chunk : storedChunk(chunk.atMs, scrubbed[i]!, sse || chunk.events !== undefined)));
}

/**
 * Whether a stored stream may hold a secret, without copying it whole: each chunk as it is
 * stored, and the bytes around each boundary (the last `reach` bytes of all before it and the
 * first `reach` of the chunk after), where any value crossing that boundary lies whole.
 * @note the usual recording holds no secret in its stream: this keeps it from rendering every
 * chunk to a buffer at once (docs/benchmarks.md, F). Patterns can match any length: a stream is
 * always scrubbed in full when there are some.
 */
function mayHoldSecret(chunks: readonly StoredChunk[], secrets: SecretSet): boolean {
  if (secrets.patterns.length > 0) return true;
  const reach = secrets.longestForm - 1;
  let tail: Buffer = Buffer.alloc(0);
  for (const chunk of chunks) {
    const text = chunkText(chunk);
    let head: Buffer;
    let last: Buffer;
    if (text !== undefined) {
      if (secrets.mayMatch(text)) return true;
      // `reach` characters are at least `reach` bytes
      head = Buffer.from(text.slice(0, reach));
      last = Buffer.from(text.slice(-reach));
    } else {
      const bytes = chunkBytes(chunk);
      if (secrets.byteRanges(bytes).length > 0) return true;
      head = bytes.subarray(0, reach);
      last = bytes.subarray(Math.max(0, bytes.length - reach));
    }
    if (tail.length > 0 && secrets.byteRanges(Buffer.concat([tail, head])).length > 0) return true;
    const joined = last.length >= reach ? last : Buffer.concat([tail, last]);
    tail = joined.subarray(Math.max(0, joined.length - reach));
  }
  return false;
}
