// js-yaml, loaded on first use: the fast reader (fast-yaml.ts) reads most files without it, and only
// a file it declines, a scalar it cannot resolve alone, or a problem to locate needs the full parser.
import { createRequire } from 'node:module';
import type * as JsYaml from 'js-yaml';

let module: typeof JsYaml | undefined;

export function jsYaml(): typeof JsYaml {
  module ??= createRequire(import.meta.url)('js-yaml') as typeof JsYaml;
  return module;
}
