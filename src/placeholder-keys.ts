/**
 * The official SDKs refuse to start without a key (`new OpenAI()` throws when OPENAI_API_KEY is
 * unset), even when every answer will come from a cassette or a mock. A replay never sends a key
 * anywhere, so any value will do: these are set only where the variable is unset.
 */
export const PLACEHOLDER_KEYS: Readonly<Record<string, string>> = {
  OPENAI_API_KEY: 'sk-cassettes-placeholder',
  ANTHROPIC_API_KEY: 'sk-ant-cassettes-placeholder',
  // @note @google/genai reads GOOGLE_API_KEY or GEMINI_API_KEY and warns when both are set:
  // GEMINI_API_KEY is set only when neither is.
  GEMINI_API_KEY: 'cassettes-placeholder',
};

/** Off switch for the runner integrations (`0` or `false`); the Vitest plugin also takes `placeholderKeys: false`. */
export const PLACEHOLDER_KEYS_ENV = 'LLM_CASSETTE_PLACEHOLDER_KEYS';

/** Sets a placeholder in each standard key variable that is unset; returns the names it set. */
export function usePlaceholderKeys(env: NodeJS.ProcessEnv = process.env): string[] {
  const set: string[] = [];
  for (const [name, value] of Object.entries(PLACEHOLDER_KEYS)) {
    if (env[name]) continue;
    if (name === 'GEMINI_API_KEY' && env['GOOGLE_API_KEY']) continue;
    env[name] = value;
    set.push(name);
  }
  return set;
}

/** Whether the runner integrations should set placeholders: not when switched off. */
export function placeholderKeysWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  const flag = env[PLACEHOLDER_KEYS_ENV]?.trim().toLowerCase();
  return flag !== '0' && flag !== 'false';
}
