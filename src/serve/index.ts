export type { SessionClient, SessionRequest } from './client.js';
export { sessionClient } from './client.js';
export { CASSETTES_URL_ENV, SESSION_COOKIE, SESSION_HEADER } from './constants.js';
export type { BaseUrls } from './context.js';
export type { ServeOptions } from './options.js';
export type { RunningServer, ServerDescription } from './server.js';
export { startServer } from './server.js';
export type { SessionInfo } from './session-api.js';
export type { SessionSummary } from './summary.js';
