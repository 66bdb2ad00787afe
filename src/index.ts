import { installInterception } from './intercept/install.js';

export { configure, resetConfiguration } from './config.js';
export type { CassetteErrorCode } from './errors.js';
export { CassetteError, CassetteFormatError, isCassetteError, NoMatchError } from './errors.js';
export { installInterception } from './intercept/install.js';
export { requestKey } from './match/request-key.js';
export type { Decision } from './session.js';
export { decide } from './session.js';
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
export { RECORD_MODES } from './types.js';
export { cassetteFile, withCassette } from './with-cassette.js';

// @note importing the package installs the one process-wide interceptor (its job, and the only
// way to catch SDK clients built at the top of a test module); it routes nothing until a
// cassette is active.
installInterception();
