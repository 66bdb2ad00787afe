/**
 * A parsed URL for code that only reads it. An SDK sends request after request to the same
 * few endpoints, and a replay would otherwise parse the same string twice (routing, keying):
 * a small memo keeps that to once per distinct URL.
 * @note callers must not mutate the result: it is shared.
 */
const memo = new Map<string, URL>();
const MEMO_SIZE = 64;

export function readUrl(href: string): URL {
  let url = memo.get(href);
  if (url === undefined) {
    url = new URL(href);
    if (memo.size >= MEMO_SIZE) memo.clear();
    memo.set(href, url);
  }
  return url;
}
