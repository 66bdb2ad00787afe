import { installInterception } from './intercept/install.js';

export { withCassette, cassetteFile } from './with-cassette.js';
export { configure, resetConfiguration } from './config.js';
export { installInterception } from './intercept/install.js';
export { decide } from './session.js';
export type { Decision } from './session.js';
export { CassetteError, NoMatchError, CassetteFormatError, isCassetteError } from './errors.js';
export type { CassetteErrorCode } from './errors.js';
export { requestKey } from './match/request-key.js';
export { RECORD_MODES } from './types.js';
export type {
  CassetteData,
  CassetteOptions,
  CassetteReport,
  Interaction,
  MatchOptions,
  MatchRequestView,
  RecordMode,
  RedactOptions,
  StoredBody,
  StoredChunk,
  StoredRequest,
  StoredResponse,
  StreamEnd,
  TimingMode,
} from './types.js';

// @note importing the package installs the one process-wide interceptor (its job, and the only
// way to catch SDK clients built at the top of a test module); it routes nothing until a
// cassette is active.
installInterception();
