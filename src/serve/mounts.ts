import { CassetteError } from '../errors.js';
import type { WireProvider } from '../mock/wire/types.js';

/**
 * A path prefix of the server that stands for one upstream host: `/openai/v1/chat/completions`
 * is `https://api.openai.com/v1/chat/completions`.
 */
export interface Mount {
  readonly name: string;
  /** Where the path after the mount's name goes: origin, and a path prefix if it has one. */
  readonly upstream: URL;
  /** Whose error shape a miss answers in, and which header carries a key `--key` supplies. */
  readonly provider: WireProvider | undefined;
}

export const PROVIDER_HOSTS: Readonly<Record<WireProvider, string>> = {
  openai: 'https://api.openai.com',
  anthropic: 'https://api.anthropic.com',
  gemini: 'https://generativelanguage.googleapis.com',
};

const PROVIDERS = Object.keys(PROVIDER_HOSTS) as WireProvider[];

/** Path segments the server keeps for itself: the session API and the session prefix. */
const RESERVED = new Set(['__cassettes', 's']);
const NAME = /^[a-z0-9][a-z0-9_-]*$/i;

/** The three provider mounts, with `overrides` (`--upstream NAME=URL`) pointing some elsewhere or adding others. */
export function buildMounts(overrides: Readonly<Record<string, string>> = {}): Map<string, Mount> {
  const mounts = new Map<string, Mount>();
  for (const provider of PROVIDERS) mounts.set(provider, { name: provider, upstream: new URL(PROVIDER_HOSTS[provider]), provider });
  for (const [name, raw] of Object.entries(overrides)) {
    if (!NAME.test(name) || RESERVED.has(name)) {
      throw new CassetteError(
        'LLM_CASSETTE_OPTIONS',
        `cassettes: "${name}" cannot name a mount: use letters, digits, - and _ (and not ${[...RESERVED].join(' or ')})\n` +
          `  fix:      e.g. --upstream openai=http://127.0.0.1:9000`,
      );
    }
    let upstream: URL;
    try {
      upstream = new URL(raw);
    } catch {
      throw new CassetteError(
        'LLM_CASSETTE_OPTIONS',
        `cassettes: --upstream ${name}=${raw}: "${raw}" is not a URL\n  fix:      e.g. --upstream ${name}=http://127.0.0.1:9000`,
      );
    }
    if (upstream.protocol !== 'http:' && upstream.protocol !== 'https:') {
      throw new CassetteError('LLM_CASSETTE_OPTIONS', `cassettes: --upstream ${name}=${raw}: only http and https upstreams are supported`);
    }
    const provider = PROVIDERS.find((p) => p === name);
    mounts.set(name, { name, upstream, provider });
  }
  return mounts;
}

/**
 * The URL the upstream is asked: the mount's upstream, then the path after the mount's name and
 * the query. `rest` starts with `/` (or is empty).
 * @note the AI SDK's Anthropic provider takes ANTHROPIC_BASE_URL as its `…/v1` base and posts to
 * `${base}/messages`, while the Anthropic SDK posts to `${base}/v1/messages`: both reach
 * `/v1/messages` upstream.
 */
export function upstreamUrl(mount: Mount, rest: string, search: string): string {
  let path = rest;
  if (mount.provider === 'anthropic' && !/^\/v1(\/|$)/.test(path)) path = `/v1${path}`;
  const base = mount.upstream.pathname.replace(/\/+$/, '');
  return `${mount.upstream.origin}${base}${path}${search}`;
}

/** The header a provider's API key travels in, as its SDKs send it. */
export function keyHeader(mount: Mount, key: string): [string, string] {
  if (mount.provider === 'anthropic') return ['x-api-key', key];
  if (mount.provider === 'gemini') return ['x-goog-api-key', key];
  return ['authorization', `Bearer ${key}`];
}
