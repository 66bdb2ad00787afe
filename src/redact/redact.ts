import type { Interaction, RedactOptions } from '../types.js';
import { envSecrets, rememberSecrets } from './known-secrets.js';
import { type RedactRules, rulesOf, secretsOfInteraction } from './learn.js';
import { scrubInteraction, scrubUrl } from './scrub-interaction.js';
import { SecretSet } from './secret-set.js';

export { secretsOfRequest } from './learn.js';

export interface Redactor {
  /** Replace every known secret value in a string. */
  scrub(text: string): string;
  /** A copy of the interaction with no secret left in it (what it carries by a rule included). */
  interaction(interaction: Interaction): Interaction;
  /**
   * This redactor, also knowing every secret the interaction carries by a rule: give it the
   * exchange as it was sent and received, before anything is scrubbed from it (a custom header's
   * value is gone once scrubbed, and the server may have echoed it).
   */
  knowing(interaction: Interaction): Redactor;
  /** Secret query params removed from a URL (for messages). */
  url(url: string): string;
  /** Whether scrubbing a request body with this text could change it (a fast pre-check). */
  mayChange(text: string): boolean;
}

/**
 * The redactor for one cassette's options: the provider key variables, `redact.values` and
 * `extraValues` (a request's own credentials) are scrubbed wherever they appear, with the
 * built-in rules and the user's. Deterministic: what it stores depends on these alone.
 */
export function createRedactor(options: RedactOptions = {}, extraValues: readonly string[] = []): Redactor {
  const env = envSecrets();
  // what a cassette knows, every message of the process may need (known-secrets.ts)
  rememberSecrets([...env, ...extraValues], options);
  return new RuleRedactor(new SecretSet([...env, ...(options.values ?? []), ...extraValues], options.patterns ?? []), rulesOf(options));
}

class RuleRedactor implements Redactor {
  /** A body can change though no known secret is in it: a rule names a place, or a value yet to learn. */
  private readonly ruled: boolean;

  constructor(
    private readonly secrets: SecretSet,
    private readonly rules: RedactRules,
  ) {
    this.ruled = rules.bodyPaths.length > 0 || rules.userNamed;
  }

  scrub(text: string): string {
    return this.secrets.scrubText(text);
  }

  url(url: string): string {
    return scrubUrl(url, this.secrets, this.rules);
  }

  mayChange(text: string): boolean {
    return this.ruled || this.secrets.mayMatch(text);
  }

  knowing(interaction: Interaction): Redactor {
    const learned = secretsOfInteraction(interaction, this.rules);
    const secrets = this.secrets.with(learned);
    if (secrets === this.secrets) return this;
    rememberSecrets(learned);
    return new RuleRedactor(secrets, this.rules);
  }

  interaction(interaction: Interaction): Interaction {
    const redactor = this.knowing(interaction) as RuleRedactor;
    return scrubInteraction(interaction, redactor.secrets, redactor.rules);
  }
}
