// Loaded with `node --require`: records every CommonJS module the process loads (require and
// createRequire, which the ESM hooks of trace-imports.mjs do not see) into $TRACE_IMPORTS_FILE.
const Module = require('node:module');
const { appendFileSync } = require('node:fs');

const file = process.env.TRACE_IMPORTS_FILE;
const load = Module._load;
Module._load = function traced(...args) {
  try {
    if (file) appendFileSync(file, `${Module._resolveFilename(...args)}\n`);
  } catch {
    // Not resolvable here: the real load reports it.
  }
  return load.apply(this, args);
};
