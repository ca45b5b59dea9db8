// `node dist/timeline/precompile.js` (part of `npm run build:ts`): writes the specs of the built-in
// timeline templates beside the compiled code, so a build does not run Handlebars' compiler for
// them (see src/render/precompiled.ts).
import { fileURLToPath } from 'node:url';
import { BUILTIN_TEMPLATES } from '../render/locales.js';
import { timelineSources, writeShippedSpecs } from '../render/precompiled.js';
import { compactMarkup } from '../render/templates.js';
import { INLINE_TEMPLATES } from './page.js';

export async function precompileTimeline(path?: string): Promise<void> {
  writeShippedSpecs(await timelineSources(BUILTIN_TEMPLATES, compactMarkup, INLINE_TEMPLATES), path);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await precompileTimeline();
