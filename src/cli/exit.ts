/** Exit codes: 0 done, 1 findings (a check failed), 2 a usage error. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

/** A mistake in how the command was called: printed as one line, never with a stack (exit 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}
