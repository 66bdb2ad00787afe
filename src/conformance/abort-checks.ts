import { assertResponse } from './assert-response.js';
import type { CheckSuite } from './check-support.js';
import { isAbortRejection, noUnhandledRejections, rejection, streamRejection, within } from './check-support.js';
import { check, describeValue } from './conformance-error.js';
import { watchNetwork } from './network-watch.js';
import { HELLO } from './requests.js';

/** Aborts: before the call, in flight, and mid-stream. */
export function addAbortChecks(suite: CheckSuite): void {
  const { add, fresh, timeoutMs, abortWithinMs } = suite;
  add('an already-aborted signal rejects with its reason and sends nothing', async () => {
    const { provider, networkCalls } = await fresh();
    const controller = new AbortController();
    const reason = new Error('conformance: aborted before the call');
    controller.abort(reason);
    const { value: errors, requests } = await watchNetwork(async () => {
      const error = await within(rejection(provider.complete(HELLO, { signal: controller.signal })), abortWithinMs, 'complete() with an aborted signal');
      const streamError = await within(
        streamRejection(() => provider.stream(HELLO, { signal: controller.signal })),
        abortWithinMs,
        'stream() with an aborted signal',
      );
      return { error, streamError };
    });
    check(isAbortRejection(errors.error, reason), `complete() must reject with the signal's reason, got ${describeValue(errors.error)}`);
    check(isAbortRejection(errors.streamError, reason), `stream() must reject with the signal's reason, got ${describeValue(errors.streamError)}`);
    const seen = requests.length + networkCalls();
    check(seen === 0, `an aborted call made ${seen} network call(s)${requests.length > 0 ? `: ${requests.slice(0, 3).join(', ')}` : ''}`);
  });

  add('aborting an in-flight complete() rejects promptly and leaves nothing behind', async () => {
    const { provider } = await fresh();
    await noUnhandledRejections(async () => {
      const controller = new AbortController();
      const reason = new Error('conformance: aborted in flight');
      const pending = provider.complete(HELLO, { signal: controller.signal });
      controller.abort(reason);
      const error = await within(rejection(pending), abortWithinMs, 'an aborted complete()');
      check(isAbortRejection(error, reason), `an aborted complete() must reject with the signal's reason, got ${describeValue(error)}`);
    });
    assertResponse(await provider.complete(HELLO), 'complete() after an abort');
  });

  add('aborting mid-stream rejects the next pull promptly, closes the stream and leaves nothing behind', async () => {
    const { provider } = await fresh();
    await noUnhandledRejections(async () => {
      const controller = new AbortController();
      const reason = new Error('conformance: aborted mid-stream');
      const iterator = provider.stream(HELLO, { signal: controller.signal })[Symbol.asyncIterator]();
      const first = await within(iterator.next(), timeoutMs, 'the first stream event');
      check(!first.done, 'stream(): ended before its first event');
      controller.abort(reason);
      const outcome = await within(
        iterator.next().then(
          (step) => ({ step, error: undefined as unknown }),
          (error: unknown) => ({ step: undefined, error }),
        ),
        abortWithinMs,
        'the pull after an abort',
      );
      if (outcome.step) {
        // Only a stream that had already finished may end instead of rejecting.
        check(
          outcome.step.done || outcome.step.value.type === 'finish',
          `stream(): after an abort the next pull must reject with the reason, got event ${describeValue(outcome.step.value)}`,
        );
      } else {
        check(
          isAbortRejection(outcome.error, reason),
          `stream(): after an abort the next pull must reject with the reason, got ${describeValue(outcome.error)}`,
        );
      }
      const after = await within(iterator.next(), abortWithinMs, 'a pull on an aborted stream');
      check(after.done === true, 'stream(): an aborted stream must be finished afterwards');
    });
    assertResponse(await provider.complete(HELLO), 'complete() after an aborted stream');
  });
}
