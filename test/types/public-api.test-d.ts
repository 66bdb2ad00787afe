/**
 * Type tests of the public API (checked by `npm run typecheck`, never run): what users write must
 * compile, and what they must not write must not.
 */
import { expectTypeOf } from 'vitest';
import {
  type CassetteError,
  type CassetteErrorCode,
  type CassetteOptions,
  type CassetteReport,
  configure,
  type Interaction,
  isCassetteError,
  type MatchRequestView,
  RECORD_MODES,
  type RecordMode,
  requestKey,
  type SseEventView,
  type StoredNetworkError,
  withCassette,
} from '../../src/index.js';

// withCassette keeps the function's result type, with or without a name
expectTypeOf(withCassette('chat/haiku', () => 42)).toEqualTypeOf<Promise<number>>();
expectTypeOf(withCassette(async () => 'text')).toEqualTypeOf<Promise<string>>();
expectTypeOf(withCassette('x', () => 1, { mode: 'new', timing: { speed: 2 } })).toEqualTypeOf<Promise<number>>();
// @ts-expect-error a misspelt mode does not compile
withCassette('x', () => 1, { mode: 'nwe' });
// @ts-expect-error timing is instant, recorded or { speed }
withCassette('x', () => 1, { timing: 'fast' });

expectTypeOf<RecordMode>().toEqualTypeOf<'none' | 'once' | 'new' | 'all' | 'passthrough' | 'warn' | 'hybrid'>();
expectTypeOf(RECORD_MODES).toEqualTypeOf<readonly ['none', 'once', 'new', 'all', 'passthrough', 'warn', 'hybrid']>();

// hooks receive what the docs say
expectTypeOf<NonNullable<CassetteOptions['match']>>().parameters.toEqualTypeOf<[MatchRequestView, MatchRequestView]>();
expectTypeOf<NonNullable<CassetteOptions['beforeRecord']>>().parameter(0).toEqualTypeOf<Interaction>();
expectTypeOf<NonNullable<CassetteOptions['onReport']>>().parameter(0).toEqualTypeOf<CassetteReport>();
configure({ beforeRecord: (interaction) => void interaction.response?.chunks?.[0]?.events });

// the types a beforeRecord hook needs are exported
expectTypeOf<NonNullable<Interaction['error']>>().toExtend<StoredNetworkError>();
expectTypeOf<SseEventView['data']>().toEqualTypeOf<unknown>();

// errors narrow by their code
declare const thrown: unknown;
if (isCassetteError(thrown)) {
  expectTypeOf(thrown).toEqualTypeOf<CassetteError>();
  expectTypeOf(thrown.code).toEqualTypeOf<CassetteErrorCode>();
  expectTypeOf(thrown.file).toEqualTypeOf<string | undefined>();
}

expectTypeOf(requestKey).returns.toEqualTypeOf<string>();
