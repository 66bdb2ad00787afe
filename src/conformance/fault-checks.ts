import { isLLMError } from '../protocol/errors.js';
import { FAULT_CODES, FAULT_KINDS } from '../protocol/faults.js';
import type { CheckSuite } from './check-support.js';
import { instantiate, rejection, streamRejection } from './check-support.js';
import { check, describeValue } from './conformance-error.js';
import { HELLO } from './requests.js';

/** Provider failures surface as the right `LLMError` class (needs `capabilities.faults`). */
export function addFaultChecks(suite: CheckSuite): void {
  const { add, capabilities } = suite;
  const makeFaulty = capabilities.faults;
  const kinds = capabilities.faultKinds ?? FAULT_KINDS;
  for (const kind of FAULT_KINDS) {
    const code = FAULT_CODES[kind];
    const a = /^[aeiou]/.test(kind) ? 'an' : 'a';
    const skip = !makeFaulty ? 'capabilities.faults is not given' : kinds.includes(kind) ? undefined : 'not in capabilities.faultKinds';
    add(
      `${a} '${kind}' failure surfaces as ${code} from complete() and stream()`,
      async () => {
        for (const method of ['complete', 'stream'] as const) {
          const { provider } = await instantiate((context) => (makeFaulty as NonNullable<typeof makeFaulty>)(kind, context));
          const error = method === 'complete' ? await rejection(provider.complete(HELLO)) : await streamRejection(() => provider.stream(HELLO));
          check(isLLMError(error), `${method}(): ${a} '${kind}' failure must reject with an LLMError, got ${describeValue(error)}`);
          check(error.code === code, `${method}(): ${a} '${kind}' failure must have code ${code}, got ${error.code}`);
          check(error.provider === provider.name, `${method}(): error.provider must be ${describeValue(provider.name)}, got ${describeValue(error.provider)}`);
          check(error.status === undefined || Number.isInteger(error.status), `${method}(): error.status must be an integer when present`);
          if (isLLMError(error, 'LLM_RATE_LIMIT')) {
            check(
              error.retryAfterMs === undefined || (Number.isFinite(error.retryAfterMs) && error.retryAfterMs >= 0),
              `${method}(): retryAfterMs must be a non-negative number when present`,
            );
          }
        }
      },
      skip,
    );
  }
}
