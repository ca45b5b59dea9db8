// The built-in timeline templates, compiled to JavaScript when chronicle is built (`npm run
// build:ts` writes dist/compiled-templates.json, see src/timeline/precompile.ts): a build then runs
// neither Handlebars' compiler nor even loads Handlebars for them. A compiled template is found by
// the hash of its source, its compile options, a hash of our compiler's code and Handlebars' version (its
// parser made the tree we compiled), so an edited or overridden template (--templates DIR) that
// differs is compiled when it is first used, and one that does not gives the same bytes.
import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { codePath } from '../own-files.js';
import { packageVersion } from '../pipeline/code-fingerprint.js';
import type { CompileOptions } from './compile.js';

export const SHIPPED = codePath('compiled-templates.json');

let shipped: Map<string, string> | undefined;
let handlebarsVersion: string | undefined;
let compilerCode: string | undefined;

/** A hash of the compiler and of the runtime its output calls: compiled bodies of another version
 * of either (a `tsc` run without `build:ts`, an upgrade) are never used. */
function compilerHash(): string {
  if (compilerCode === undefined) {
    const code = ['compile', 'compile-runtime'].map((name) => readOwnModule(name)).join('\u0000');
    compilerCode = hash('sha256', code, 'base64url');
  }
  return compilerCode;
}

/** The text of a module beside this one: `.js` when built, `.ts` when the tests run the sources (read from
 * the code folder, not from this module's URL, which is the bundle's when the CLI runs bundled). */
function readOwnModule(name: string): string {
  for (const extension of ['.js', '.ts']) {
    try {
      return readFileSync(codePath(`render/${name}${extension}`), 'utf8');
    } catch {
      // try the other extension
    }
  }
  return '';
}

/** The key of a compiled template: what it was compiled from and by. */
export function compiledKey(source: string, options: CompileOptions = {}): string {
  handlebarsVersion ??= packageVersion('handlebars');
  return hash('sha256', `${compilerHash()}\u0000${handlebarsVersion}\u0000${options.noEscape === true}\u0000${source}`, 'base64url');
}

function shippedBodies(): Map<string, string> {
  if (!shipped) {
    shipped = new Map();
    try {
      const bodies: unknown = JSON.parse(readFileSync(SHIPPED, 'utf8'));
      if (bodies && typeof bodies === 'object') {
        for (const [key, body] of Object.entries(bodies)) if (typeof body === 'string') shipped.set(key, body);
      }
    } catch {
      // Not built (tests run from src/) or damaged: every template compiles from its source.
    }
  }
  return shipped;
}

/** The shipped compiled body of `source` (it parsed without error when chronicle was built). */
export function shippedBody(source: string, options: CompileOptions = {}): string | undefined {
  return shippedBodies().get(compiledKey(source, options));
}

/** Forgets the shipped file (after precompile.ts wrote it in the same process). */
export function forgetShipped(): void {
  shipped = undefined;
}

/** Every built-in timeline template as the template set compiles it: the page, the partials and the
 * inline templates the page renders with (`compact` is the set's whitespace step). */
export async function timelineSources(templatesRoot: string, compact: (source: string) => string, inline: string[]): Promise<string[]> {
  const sources = [compact(await readFile(join(templatesRoot, 'timeline', 'page.hbs'), 'utf8'))];
  for (const file of (await readdir(join(templatesRoot, 'timeline', 'partials'))).filter((f) => f.endsWith('.hbs')).sort())
    sources.push(compact(await readFile(join(templatesRoot, 'timeline', 'partials', file), 'utf8')));
  return [...sources, ...inline.map(compact)];
}
