#!/usr/bin/env node
// The `chronicle` binary: run the CLI with the real process, and set the exit code. Whatever escapes
// (a rejected promise, an 'error' event nobody listens to) is a bug, reported the one way exit 70 is.
// The CLI runs from dist/chronicle.cjs, the bundle `npm run build:ts` makes with a code cache (see
// code-cache.cts): one file to read and no compiling saves most of the start-up the ~70 modules cost.
// CommonJS, so Node's ES module loader is not even set up. Without a bundle as new as the modules
// (a plain `tsc`), the modules are imported as they are.
import fs = require('node:fs');
import path = require('node:path');
import codeCache = require('./code-cache.cjs');

type Cli = typeof import('./cli.js');

const internal = (error: unknown, text: (error: unknown) => string): void => {
  process.stderr.write(text(error));
  process.exit(70);
};

function run({ internalErrorText, processIO, runCli }: Cli): void {
  const report = (error: unknown) => internal(error, internalErrorText);
  process.on('uncaughtException', report);
  process.on('unhandledRejection', report);
  runCli(process.argv.slice(2), processIO()).then((code) => {
    process.exitCode = code;
  }, report);
}

// A bundle older than the modules (a plain `tsc` after `npm run build:ts`) would run yesterday's code
// and stamp caches with today's fingerprints (they hash the modules): then the modules run instead.
const bundle = path.join(__dirname, 'chronicle.cjs');
if (modifiedSince(bundle, path.join(__dirname, 'cli.js'))) run(codeCache.loadBundle<Cli>(bundle).exports);
else void import('./cli.js').then(run);

/** Whether `file` exists and was written no earlier than `than` (or `than` is missing). */
function modifiedSince(file: string, than: string): boolean {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat) return false;
  const other = fs.statSync(than, { throwIfNoEntry: false });
  return !other || stat.mtimeMs >= other.mtimeMs;
}
