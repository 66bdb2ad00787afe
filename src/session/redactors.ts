import type { OutgoingRequest } from '../intercept/types.js';
import { createRedactor, type Redactor, secretsOfRequest } from '../redact/redact.js';
import type { RedactOptions } from '../types.js';

/** A session's redactors: one for what every request shares, one per set of keys a request carries. */
export class SessionRedactors {
  readonly base: Redactor;
  /** Built once per set of keys, not per request. */
  private readonly byKeys = new Map<string, Redactor>();

  constructor(private readonly options: RedactOptions | undefined) {
    this.base = createRedactor(options);
  }

  /** The redactor that also knows this request's own keys (auth headers, key query parameters). */
  for(request: OutgoingRequest): Redactor {
    const own = secretsOfRequest(request.url, request.headers);
    if (own.length === 0) return this.base;
    const memo = own.join('\0');
    let redactor = this.byKeys.get(memo);
    if (!redactor) {
      redactor = createRedactor(this.options, own);
      this.byKeys.set(memo, redactor);
    }
    return redactor;
  }
}
