import { prepareWorker } from '../integrations/worker-setup.js';

/**
 * `node --import cassettes/register` (or `--require`, or in NODE_OPTIONS, which child processes
 * inherit): the interceptor in a process that does not load cassettes itself — a script or server
 * a test spawns — prepared as the runners prepare their workers. Requests outside any cassette
 * then meet the same rules as in the test's own process: a replay-only run (CI, or
 * LLM_CASSETTE_RECORD=none, both inherited) refuses the LLM provider hosts. The Vitest plugin's
 * options come along too (its workers' environment, which the child inherits), so a custom
 * `providerHosts` or `blockNetwork` holds there as well.
 */
prepareWorker();
