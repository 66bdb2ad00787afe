import { installInterception } from './intercept/install.js';

export { configure, resetConfiguration } from './config.js';
export type { CassetteErrorCode, ConformanceErrorCode, ErrorCode, LLMErrorCode } from './error-codes.js';
export { CassetteError, CassetteFormatError, isCassetteError, NoMatchError } from './errors.js';
export { PROVIDER_HOSTS } from './intercept/provider-hosts.js';
export type { ActiveCassette } from './introspect.js';
export { currentCassette, readCassette, recordCall } from './introspect.js';
export type { AnswerSummary } from './journal/answer.js';
export { answerOf } from './journal/answer.js';
export type {
  CallEvent,
  CassetteEndEvent,
  CassetteEvent,
  CassetteRef,
  CassetteStartEvent,
  RequestEvent,
  RequestOutcome,
} from './journal/events.js';
export { CHANNELS, subscribe } from './journal/events.js';
export { httpInteractions } from './journal/timeline.js';
export type { TokenUsage } from './journal/usage.js';
export { requestKey } from './match/request-key.js';
export { PLACEHOLDER_KEYS, usePlaceholderKeys } from './placeholder-keys.js';
export type { SseEventView } from './stream/sse.js';
export type {
  CallRecord,
  CassetteData,
  CassetteOptions,
  CassetteReport,
  ConfigureOptions,
  IgnoreRule,
  Interaction,
  MatchOptions,
  MatchRequestView,
  NoteRecord,
  RecordedBy,
  RecordMode,
  RedactOptions,
  StoredBody,
  StoredCallError,
  StoredChunk,
  StoredNetworkError,
  StoredRequest,
  StoredResponse,
  StreamEnd,
  StreamSummary,
  TimelineEntry,
  TimingMode,
} from './types.js';
export { RECORD_MODES } from './types.js';
export type { CassetteHandle } from './with-cassette.js';
export { cassetteFile, withCassette } from './with-cassette.js';

// @note importing the package installs the one process-wide interceptor (its job: a request made
// at a test module's top level, outside any cassette, must already meet it in a replay-only run);
// it routes nothing until a cassette is active. package.json's `sideEffects` says so.
installInterception();
