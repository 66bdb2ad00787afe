#!/usr/bin/env node
import { main } from './main.js';

// @note exitCode, not exit(): a verb may still be flushing its output
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`cassettes: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 70;
  },
);
