export type { SessionClient, SessionRequest } from '../serve/client.js';
export { sessionClient } from '../serve/client.js';
export { CASSETTES_URL_ENV, SESSION_COOKIE, SESSION_HEADER } from '../serve/constants.js';
export type { BaseUrls } from '../serve/context.js';
export type { ServeOptions } from '../serve/options.js';
export type { RunningServer, ServerDescription } from '../serve/server.js';
export { startServer } from '../serve/server.js';
export type { SessionInfo } from '../serve/session-api.js';
export type { SessionSummary } from '../serve/summary.js';
