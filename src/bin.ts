#!/usr/bin/env node
// The `chronicle` binary: run the CLI with the real process, and set the exit code. Whatever escapes
// (a rejected promise, an 'error' event nobody listens to) is a bug, reported the one way exit 70 is.
// The CLI runs from dist/chronicle.cjs, the bundle `npm run build:ts` makes with a code cache (see
// code-cache.ts): one file to read and no compiling saves most of the start-up the ~70 modules cost.
// Without the bundle (a plain `tsc`), the modules are imported as they are.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadBundle } from './code-cache.js';

type Cli = typeof import('./cli.js');

const bundle = fileURLToPath(new URL('./chronicle.cjs', import.meta.url));
const { internalErrorText, processIO, runCli }: Cli = existsSync(bundle) ? loadBundle<Cli>(bundle).exports : await import('./cli.js');

const internal = (error: unknown): void => {
  process.stderr.write(internalErrorText(error));
  process.exit(70);
};
process.on('uncaughtException', internal);
process.on('unhandledRejection', internal);

runCli(process.argv.slice(2), processIO()).then((code) => {
  process.exitCode = code;
}, internal);
