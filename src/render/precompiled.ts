// The built-in timeline templates, precompiled when chronicle is built (`npm run build:ts` writes
// dist/precompiled-templates.json): compiling them took about 0.4 s of every build, more than half
// of a 1,000-event build's rendering, because Handlebars' compiler runs cold in each new process.
// A spec is found by the hash of its source, its compile options and the Handlebars version, so an
// edited or overridden template (--templates DIR) that differs is compiled as before, and one that
// does not gives the bytes compiling it gives (Handlebars.template of Handlebars.precompile is what
// Handlebars.compile does).
import { hash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

export type CompileOptions = { noEscape?: boolean };

const SHIPPED = fileURLToPath(new URL('../precompiled-templates.json', import.meta.url));

let shipped: Map<string, string> | undefined;

function specKey(source: string, options: CompileOptions): string {
  return hash('sha256', `${Handlebars.VERSION}\u0000${options.noEscape === true}\u0000${source}`, 'base64url');
}

function shippedSpecs(): Map<string, string> {
  if (!shipped) {
    shipped = new Map();
    try {
      const specs: unknown = JSON.parse(readFileSync(SHIPPED, 'utf8'));
      if (specs && typeof specs === 'object') {
        for (const [key, spec] of Object.entries(specs)) if (typeof spec === 'string') shipped.set(key, spec);
      }
    } catch {
      // Not built (tests run from src/) or damaged: every template compiles from its source.
    }
  }
  return shipped;
}

/** Whether `source` has a shipped spec: it compiled without error when chronicle was built. */
export function isPrecompiled(source: string, options: CompileOptions = {}): boolean {
  return shippedSpecs().has(specKey(source, options));
}

/** `hbs.compile(source, options)`, from the shipped spec when there is one. */
export function compileTemplate(hbs: typeof Handlebars, source: string, options: CompileOptions = {}): HandlebarsTemplateDelegate {
  const spec = shippedSpecs().get(specKey(source, options));
  if (spec === undefined) return hbs.compile(source, options);
  // The spec is JavaScript that Handlebars.precompile wrote when chronicle was built.
  return hbs.template(new Function(`return ${spec}`)());
}

/** Every built-in timeline template as the template set compiles it: the page, the partials and the
 * inline templates the page renders with (`compact` is the set's whitespace step). */
export async function timelineSources(templatesRoot: string, compact: (source: string) => string, inline: string[]): Promise<string[]> {
  const sources = [compact(await readFile(join(templatesRoot, 'timeline', 'page.hbs'), 'utf8'))];
  for (const file of (await readdir(join(templatesRoot, 'timeline', 'partials'))).filter((f) => f.endsWith('.hbs')).sort())
    sources.push(compact(await readFile(join(templatesRoot, 'timeline', 'partials', file), 'utf8')));
  return [...sources, ...inline.map(compact)];
}

/** Writes dist/precompiled-templates.json (run after tsc, see package.json `build:ts`). */
export function writeShippedSpecs(sources: string[], path = SHIPPED): void {
  const specs: Record<string, string> = {};
  for (const source of sources) specs[specKey(source, {})] = Handlebars.precompile(source) as string;
  writeFileSync(path, `${JSON.stringify(specs)}\n`);
  shipped = undefined;
}
