// Loaded with `node --import`: records every module the process loads into $TRACE_IMPORTS_FILE,
// so tests can prove that fast commands do not import heavy libraries.
import { register } from 'node:module';

register('./trace-imports-hooks.mjs', import.meta.url, { data: { file: process.env.TRACE_IMPORTS_FILE } });
