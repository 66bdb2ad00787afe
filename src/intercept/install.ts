import { installClientRequest } from './client-request.js';
import { installConnectTrap } from './connect-trap.js';
import { installDispatcher } from './dispatcher.js';
import { installFetchFastPath } from './fetch.js';
import { installBypassGuard } from './guard.js';
import { installHttp2Guard } from './http2.js';
import { readDebugFlag } from './outside.js';
import { registry } from './registry.js';

/**
 * Installs the one process-wide interceptor (idempotent; also re-wraps undici's global
 * dispatcher if a user replaced it since). It routes nothing until a cassette is active.
 */
export function installInterception(): void {
  installDispatcher();
  installFetchFastPath();
  installClientRequest();
  installConnectTrap();
  installBypassGuard();
  installHttp2Guard();
  readDebugFlag();
}

/** `blockNetwork`: fail requests made outside any cassette (pytest-recording's --block-network). */
export function setBlockNetwork(block: boolean): void {
  registry().blockOutsideScopes = block;
}
