/**
 * Where a running `cassettes serve` is: set by startServer() in its own environment (Playwright
 * workers started after a globalSetup inherit it), read by `cassettes/playwright` and
 * `cassettes/propagate`.
 */
export const CASSETTES_URL_ENV = 'CASSETTES_URL';

/** The header that names a request's session: stripped by the server before it keys or forwards the request. */
export const SESSION_HEADER = 'x-cassette-session';

/** The cookie `cassettes/playwright` sets on the browser, read by `cassettes/propagate`. */
export const SESSION_COOKIE = 'cassettes-session';
