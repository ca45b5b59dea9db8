// Where chronicle's own files are. This module sits at the top of the code folder in every way the
// code runs: src/own-files.ts (tests run the sources), dist/own-files.js (tsc's output, the library
// API) and dist/chronicle.cjs (the CLI bundled into one file, where every module's import.meta.url
// is the bundle's). All three are one level below the package root, so paths taken from here hold
// in each, while a path taken from a module's own URL (`../../templates/`) breaks once bundled.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of the code that runs: dist/ when built (bundled or not), src/ when the sources run. */
const CODE_DIR = fileURLToPath(new URL('.', import.meta.url));

/** The package's root: templates/ and package.json are there. */
export const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A file or folder of the code, by its path under src/ or dist/ (`render/compile`, `events/`). */
export function codePath(relative: string): string {
  return join(CODE_DIR, relative);
}
