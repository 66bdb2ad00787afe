/**
 * Where a running `cassettes serve` is: set by startServer() in its own environment (Playwright
 * workers started after a globalSetup inherit it), read by `cassettes/playwright` and
 * `cassettes/propagate`.
 */
export const CASSETTES_URL_ENV = 'CASSETTES_URL';
