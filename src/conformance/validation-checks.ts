import { isLLMError } from '../protocol/errors.js';
import type { LLMRequest } from '../protocol/request.js';
import type { CheckSuite } from './check-support.js';
import { rejection, streamRejection } from './check-support.js';
import { check, describeValue } from './conformance-error.js';
import { watchNetwork } from './network-watch.js';
import { INVALID_REQUESTS } from './requests.js';

/** Invalid requests: the right error, and no network call. */
export function addValidationChecks(suite: CheckSuite): void {
  const { add, fresh } = suite;
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

  add('invalid requests are rejected before any network call', async () => {
    const { provider, networkCalls } = await fresh();
    // @note the package's interceptor sees every HTTP request (and refuses it); onNetwork adds
    // what the provider answers itself, inside its own cassette or mock
    const { requests } = await watchNetwork(async () => {
      for (const { request } of INVALID_REQUESTS) {
        await rejection(provider.complete(request as LLMRequest));
        await streamRejection(() => provider.stream(request as LLMRequest));
      }
    });
    const seen = requests.length + networkCalls();
    check(seen === 0, `invalid requests caused ${seen} network call(s)${requests.length > 0 ? `: ${requests.slice(0, 3).join(', ')}` : ''}`);
  });
}
