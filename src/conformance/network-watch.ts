import { CassetteError } from '../errors.js';
import { installInterception } from '../intercept/install.js';
import { registry } from '../intercept/registry.js';
import type { InterceptScope, OutgoingRequest, ResponseSink } from '../intercept/types.js';

/**
 * An interception scope that counts every HTTP request made while it is active (fetch, undici,
 * node:http, and requests that escaped through a dispatcher of their own) and fails it at once:
 * during the checks that use it, any request at all is the defect being looked for, and it must
 * not reach a real provider.
 */
class NetworkWatch implements InterceptScope {
  readonly requests: string[] = [];

  constructor(readonly parent: InterceptScope | undefined) {}

  ignores(): boolean {
    return false;
  }

  async handle(request: OutgoingRequest, sink: ResponseSink): Promise<void> {
    this.requests.push(`${request.method} ${request.url}`);
    // @note no code says "blocked" yet (blockNetwork's refusal has none either): BYPASS is the nearest
    sink.error(
      new CassetteError(
        'LLM_CASSETTE_BYPASS',
        `cassettes conformance: ${request.method} ${request.url} was sent while no request should leave the process; refused`,
      ),
    );
  }

  bypassed(description: string): void {
    this.requests.push(description);
    this.parent?.bypassed(description);
  }
}

/**
 * Runs `fn` with the package's own interceptor watching the network, so a provider needs no
 * `onNetwork` wiring for the suite to see what it sends.
 *
 * @note Requests a provider answers itself, inside its own `withCassette` or `withMockLLM`, never
 * get this far: such a provider reports them through `context.onNetwork`.
 */
export async function watchNetwork<T>(fn: () => Promise<T>): Promise<{ value: T; requests: readonly string[] }> {
  installInterception();
  const reg = registry();
  const watch = new NetworkWatch(reg.als.getStore());
  const value = await reg.als.run(watch, fn);
  return { value, requests: watch.requests };
}
