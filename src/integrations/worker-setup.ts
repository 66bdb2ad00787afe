import { resolveMode } from '../config.js';
import { installInterception } from '../intercept/install.js';
import { placeholderKeysWanted, usePlaceholderKeys } from '../placeholder-keys.js';
import { applyPluginOptions } from './plugin-options.js';

/**
 * What both runners do in each worker (Jest: each test file) before a test module loads:
 * interception in place (SDK clients built at a module's top level are caught), the plugin's
 * options applied, and in a replay-only run placeholder keys where the standard key variables are
 * unset, so `new OpenAI()` works in a CI with no key.
 */
export function prepareWorker(): void {
  installInterception();
  applyPluginOptions();
  if (placeholderKeysWanted() && resolveMode(undefined) === 'none') usePlaceholderKeys();
}
