// `node dist/timeline/precompile.js` (part of `npm run build:ts`): compiles the built-in timeline
// templates to JavaScript (src/render/compile.ts) and writes them beside the compiled code, so a
// build neither compiles nor loads Handlebars for them (see src/render/precompiled.ts).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { compileToSource } from '../render/compile.js';
import { BUILTIN_TEMPLATES } from '../render/locales.js';
import { compiledKey, forgetShipped, SHIPPED, timelineSources } from '../render/precompiled.js';
import { compactMarkup } from '../render/templates.js';
import { INLINE_TEMPLATES } from './page.js';

/** Writes the file; a template outside the compiler's subset is left out (Handlebars renders it). */
export async function precompileTimeline(path = SHIPPED): Promise<void> {
  const bodies: Record<string, string> = {};
  for (const source of await timelineSources(BUILTIN_TEMPLATES, compactMarkup, INLINE_TEMPLATES)) {
    const body = compileToSource(Handlebars.parse(source));
    if (body !== undefined) bodies[compiledKey(source)] = body;
  }
  writeFileSync(path, `${JSON.stringify(bodies)}\n`);
  forgetShipped();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await precompileTimeline();
