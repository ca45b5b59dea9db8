#!/usr/bin/env node
// The `chronicle` binary: run the CLI with the real process, and set the exit code.
import { runCli } from './cli.js';
import { processIO } from './commands/io.js';

runCli(process.argv.slice(2), processIO()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`chronicle: internal error (please report it): ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 70;
  },
);
