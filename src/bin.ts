#!/usr/bin/env node
// The `chronicle` binary: run the CLI with the real process, and set the exit code. Whatever escapes
// (a rejected promise, an 'error' event nobody listens to) is a bug, reported the one way exit 70 is.
import { internalErrorText, runCli } from './cli.js';
import { processIO } from './commands/io.js';

const internal = (error: unknown): void => {
  process.stderr.write(internalErrorText(error));
  process.exit(70);
};
process.on('uncaughtException', internal);
process.on('unhandledRejection', internal);

runCli(process.argv.slice(2), processIO()).then((code) => {
  process.exitCode = code;
}, internal);
