import { scrubFreeText } from './free-text.js';
import { envSecrets, knownSecrets } from './known-secrets.js';
import { secretsOfRequest } from './learn.js';
import { SECRET_HEADERS, SECRET_QUERY_PARAMS } from './rules.js';
import { SecretSet } from './secret-set.js';

interface MessageScrubber {
  version: number;
  env: string;
  secrets: SecretSet;
  names: { queryParams: ReadonlySet<string>; headers: ReadonlySet<string> };
}

let cached: MessageScrubber | undefined;

/**
 * The one scrubber for every message, `cause`, debug line and report: what follows a secret
 * query parameter or header name (known or not), the provider key variables of the environment,
 * every secret the process was told of or has seen (known-secrets.ts), and the credentials of
 * the request the message is about, when given. Safe to call where no cassette is active.
 */
export function scrubMessage(text: string, request?: { url: string; headers: Record<string, string | string[]> }): string {
  const { secrets, names } = scrubber();
  // the request the message is about: its own credentials, wherever else it put them (a path)
  const own = request ? secrets.with(secretsOfRequest(request.url, request.headers)) : secrets;
  return scrubFreeText(text, own, names);
}

function scrubber(): MessageScrubber {
  const known = knownSecrets();
  const env = envSecrets();
  const envKey = env.join('\0');
  if (cached && cached.version === known.version && cached.env === envKey) return cached;
  cached = {
    version: known.version,
    env: envKey,
    secrets: new SecretSet([...env, ...known.values], [...known.patterns.values()]),
    names: {
      queryParams: new Set([...SECRET_QUERY_PARAMS, ...known.queryParams]),
      headers: new Set<string>([...SECRET_HEADERS, ...known.headers]),
    },
  };
  return cached;
}
