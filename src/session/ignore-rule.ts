import type { CassetteOptions, IgnoreRule } from '../types.js';

/**
 * One test for the `ignore` option (and the older `ignoreHosts`): a host (`localhost:5432`,
 * `db.internal`), a URL prefix (`https://api.example.com/v1/embeddings`, or a path prefix
 * `/health`), a RegExp tested against the whole URL, or a predicate.
 */
export function ignoreTest(options: Pick<CassetteOptions, 'ignore' | 'ignoreHosts'>): ((url: URL) => boolean) | undefined {
  const rules: IgnoreRule[] = [...(options.ignoreHosts ?? []), ...(options.ignore ?? [])];
  if (rules.length === 0) return undefined;
  const hosts = new Set<string>();
  const prefixes: string[] = [];
  const paths: string[] = [];
  const patterns: RegExp[] = [];
  const predicates: ((url: URL) => boolean)[] = [];
  for (const rule of rules) {
    if (typeof rule === 'function') predicates.push(rule);
    else if (rule instanceof RegExp) patterns.push(new RegExp(rule.source, rule.flags.replace(/[gy]/g, '')));
    else if (rule.includes('://')) prefixes.push(rule);
    else if (rule.startsWith('/')) paths.push(rule);
    else hosts.add(rule.toLowerCase());
  }
  return (url) =>
    hosts.has(url.host.toLowerCase()) ||
    hosts.has(url.hostname.toLowerCase()) ||
    prefixes.some((prefix) => url.href.startsWith(prefix)) ||
    paths.some((path) => url.pathname.startsWith(path)) ||
    patterns.some((pattern) => pattern.test(url.href)) ||
    predicates.some((predicate) => predicate(url));
}
