import { describe, expect, test } from 'vitest';
import { PLACEHOLDER_KEYS, placeholderKeysWanted, usePlaceholderKeys } from './placeholder-keys.js';

describe('usePlaceholderKeys', () => {
  test('fills only the unset key variables and says which', () => {
    const env: NodeJS.ProcessEnv = { OPENAI_API_KEY: 'sk-real' };
    expect(usePlaceholderKeys(env)).toEqual(['ANTHROPIC_API_KEY', 'GEMINI_API_KEY']);
    expect(env['OPENAI_API_KEY']).toBe('sk-real');
    expect(env['ANTHROPIC_API_KEY']).toBe(PLACEHOLDER_KEYS['ANTHROPIC_API_KEY']);
  });

  test('leaves GEMINI_API_KEY unset when GOOGLE_API_KEY is set (@google/genai warns about both)', () => {
    const env: NodeJS.ProcessEnv = { GOOGLE_API_KEY: 'AIza-real' };
    usePlaceholderKeys(env);
    expect(env['GEMINI_API_KEY']).toBeUndefined();
  });

  test('an empty variable counts as unset', () => {
    const env: NodeJS.ProcessEnv = { OPENAI_API_KEY: '' };
    expect(usePlaceholderKeys(env)).toContain('OPENAI_API_KEY');
  });

  test('LLM_CASSETTE_PLACEHOLDER_KEYS=0 or false switches the runner integrations off', () => {
    expect(placeholderKeysWanted({})).toBe(true);
    expect(placeholderKeysWanted({ LLM_CASSETTE_PLACEHOLDER_KEYS: '0' })).toBe(false);
    expect(placeholderKeysWanted({ LLM_CASSETTE_PLACEHOLDER_KEYS: 'False' })).toBe(false);
    expect(placeholderKeysWanted({ LLM_CASSETTE_PLACEHOLDER_KEYS: '1' })).toBe(true);
  });
});
