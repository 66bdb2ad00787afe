import { isLLMError } from '../protocol/errors.js';
import type { LLMRequest } from '../protocol/request.js';
import type { CheckSuite } from './check-support.js';
import { rejection, streamRejection } from './check-support.js';
import { check, describeValue } from './conformance-error.js';
import { HELLO, INVALID_REQUESTS } from './requests.js';

/** Invalid requests: the right error, and no network call. */
export function addValidationChecks(suite: CheckSuite): void {
  const { add, fresh, options } = suite;
  add('invalid requests are rejected with LLMRequestError naming the field', async () => {
    const { provider } = await fresh();
    for (const { label, field, request } of INVALID_REQUESTS) {
      const error = await rejection(provider.complete(request as LLMRequest));
      check(isLLMError(error, 'LLM_INVALID_REQUEST'), `complete(${label}): expected an LLMRequestError, got ${describeValue(error)}`);
      check(
        error.field === undefined || error.field === field,
        `complete(${label}): expected field ${describeValue(field)}, got ${describeValue(error.field)}`,
      );
      const streamError = await streamRejection(() => provider.stream(request as LLMRequest));
      check(isLLMError(streamError, 'LLM_INVALID_REQUEST'), `stream(${label}): expected an LLMRequestError, got ${describeValue(streamError)}`);
    }
  });

  if (options.networkHook !== false) {
    add('invalid requests are rejected before any network call', async () => {
      const { provider, networkCalls } = await fresh();
      for (const { request } of INVALID_REQUESTS) {
        await rejection(provider.complete(request as LLMRequest));
        await streamRejection(() => provider.stream(request as LLMRequest));
      }
      check(networkCalls() === 0, `invalid requests caused ${networkCalls()} network call(s)`);
      // @note The hook must be proven live, or a silent factory would pass without evidence.
      await provider.complete(HELLO);
      check(
        networkCalls() > 0,
        'a valid call reported no network use: call `context.onNetwork()` from your transport ' +
          "(e.g. the SDK client's `fetch` option, or MockLLMProvider's `onCall`), or pass `networkHook: false`",
      );
    });
  }
}
