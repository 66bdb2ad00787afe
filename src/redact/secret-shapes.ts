import { MIN_SECRET_LENGTH, REDACTED, SECRET_ENV_VARS } from './rules.js';

/** A secret found in a text: what it looks like and where it is. */
export interface SecretHit {
  /** Says what was found without repeating it: `an OpenAI API key (sk-…)`. */
  kind: string;
  start: number;
  end: number;
}

/** A value that counts as a secret wherever it appears, and how to name it. */
export interface KnownSecret {
  value: string;
  kind: string;
}

/**
 * Shapes of credentials, most specific first: where two overlap, the first one names the hit.
 * @note `\b` before `sk-` and `AIza` keeps `task-…` and base64 runs from matching; the lengths are
 * the short end of what the providers issue, so ordinary words never reach them.
 */
const SHAPES: readonly { kind: string; pattern: RegExp }[] = [
  { kind: 'an Anthropic API key (sk-ant-…)', pattern: /\bsk-ant-[A-Za-z0-9_-]{20,}/g },
  { kind: 'an OpenAI API key (sk-…)', pattern: /\bsk-(?!ant-)[A-Za-z0-9_-]{20,}/g },
  { kind: 'a Google API key (AIza…)', pattern: /\bAIza[0-9A-Za-z_-]{35}/g },
  { kind: 'a JSON Web Token (eyJ….eyJ….…)', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  // `[REDACTED]` is what the scrubber leaves: it starts with `[`, which the token class excludes
  { kind: 'a bearer token (Bearer …)', pattern: /\bBearer\s+[A-Za-z0-9._~+/-]{16,}=*/gi },
];

/** What every shape starts with: most texts hold none of it, and need no further look. */
const MAY_HOLD_SHAPE = /sk-|AIza|eyJ|bearer/i;

/** The values of the provider key variables set in `env` (8 characters or more), named after their variable. */
export function secretsOfEnvironment(env: NodeJS.ProcessEnv = process.env): KnownSecret[] {
  const found: KnownSecret[] = [];
  for (const name of SECRET_ENV_VARS) {
    const value = env[name];
    if (value !== undefined && value.length >= MIN_SECRET_LENGTH) found.push({ value, kind: `the value of $${name}` });
  }
  return found;
}

/**
 * Every secret in `text`: known values first (they name their variable), then the shapes, in
 * order of position. A stretch of text is reported once, under the first rule that covers it.
 */
export function findSecrets(text: string, known: readonly KnownSecret[] = []): SecretHit[] {
  const hits: SecretHit[] = [];
  const taken = (start: number, end: number): boolean => hits.some((hit) => start < hit.end && hit.start < end);
  for (const { value, kind } of known) {
    if (value.length < MIN_SECRET_LENGTH) continue;
    for (let at = text.indexOf(value); at !== -1; at = text.indexOf(value, at + value.length)) {
      if (!taken(at, at + value.length)) hits.push({ kind, start: at, end: at + value.length });
    }
  }
  if (!MAY_HOLD_SHAPE.test(text)) return hits.sort((a, b) => a.start - b.start);
  for (const { kind, pattern } of SHAPES) {
    // @note matchAll runs on a copy of the pattern: the shared one's lastIndex never moves
    for (const match of text.matchAll(pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      if (!taken(start, end)) hits.push({ kind, start, end });
    }
  }
  return hits.sort((a, b) => a.start - b.start);
}

/** `text` with every secret findSecrets() sees replaced by the scrubber's marker. */
export function maskSecrets(text: string, known: readonly KnownSecret[] = []): string {
  const hits = findSecrets(text, known);
  if (hits.length === 0) return text;
  let out = '';
  let from = 0;
  for (const hit of hits) {
    out += text.slice(from, hit.start) + REDACTED;
    from = hit.end;
  }
  return out + text.slice(from);
}
