import { installInterception } from '../intercept/install.js';
import { applyPluginOptions } from './plugin-options.js';

// @note Jest runs setupFiles once per test file in a fresh module registry; the interceptor
// itself lives on the main realm and is installed only once per worker.
installInterception();
applyPluginOptions();
