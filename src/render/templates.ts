// The Handlebars instance of chronicle: an isolated environment with our helpers, templates compiled
// once and cached, and a user folder (--templates DIR) that overrides any file by name.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { chronicleError, UserError } from '../errors.js';
import { fillLabel } from './fill.js';
import { BUILTIN_TEMPLATES } from './locales.js';
import { compileTemplate, isPrecompiled } from './precompiled.js';

/** `runtime.partials` replaces partials for one call (the page passes cached event fragments). */
export type Template = (data: unknown, runtime?: { partials?: Record<string, (context: Record<string, unknown>) => string> }) => string;

export interface TemplateSet {
  /** Compiles (once) and returns the template `group/name` (e.g. `timeline/page.hbs`); `text`
   * templates (the mail's plain-text part) do not escape HTML. */
  template(name: string, options?: { text?: boolean }): Promise<Template>;
  /** The raw text of an asset (CSS, JS) of the set, from the override folder first. */
  asset(name: string): Promise<string>;
  /** A template given as text, rendered with the partials of `group` (e.g. `{{> year}}`). */
  inline(group: string, source: string): Promise<Template>;
  /** The partials of `group` as compiled (name -> source): what a cached fragment depends on. */
  partials(group: string): Promise<ReadonlyMap<string, string>>;
}

/** Words wrapped at 78 columns for a terminal, each line after the first indented by `indent`
 * (the caller puts as much before the first line: `* ` or two spaces). */
export function wrapText(text: string, indent = '', width = 78): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && `${indent}${line} ${word}`.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line) lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : indent + l)).join('\n');
}

export function createTemplateSet(overrideDir?: string): TemplateSet {
  // One Handlebars environment per group (timeline, newsletter): both have an `event` partial.
  const environments = new Map<string, Promise<typeof Handlebars>>();
  const partialSources = new Map<string, Map<string, string>>();
  const compiled = new Map<string, Promise<Template>>();
  const inlined = new Map<string, Promise<Template>>();

  const read = async (name: string): Promise<string> => (await readFrom(name)).text;
  /** The text of a template and the path it came from (for located errors). */
  const readFrom = async (name: string): Promise<{ text: string; path: string }> => {
    for (const dir of overrideDir ? [overrideDir, BUILTIN_TEMPLATES] : [BUILTIN_TEMPLATES]) {
      try {
        return { text: await readFile(join(dir, name), 'utf8'), path: join(dir, name) };
      } catch {
        // try the next folder
      }
    }
    throw new UserError(`the template ${name} cannot be read`, {
      hint: overrideDir ? `check ${join(overrideDir, name)}, or remove it to use the built-in one` : undefined,
    });
  };

  const environment = (group: string): Promise<typeof Handlebars> => {
    let env = environments.get(group);
    if (!env) {
      env = (async () => {
        const hbs = Handlebars.create();
        hbs.registerHelper('fill', (template: unknown, options: Handlebars.HelperOptions) =>
          fillLabel(String(template ?? ''), options.hash as Record<string, string>),
        );
        hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
        hbs.registerHelper('wrap', (text: unknown, indent: unknown) =>
          wrapText(String(text ?? ''), typeof indent === 'string' ? indent : ''),
        );
        const names = new Set<string>();
        for (const dir of overrideDir ? [BUILTIN_TEMPLATES, overrideDir] : [BUILTIN_TEMPLATES]) {
          const files = await readdir(join(dir, group, 'partials')).catch(() => [] as string[]);
          for (const file of files) if (file.endsWith('.hbs')) names.add(file);
        }
        const sources = new Map<string, string>();
        for (const file of [...names].sort()) {
          const partial = await readFrom(join(group, 'partials', file));
          const source = COMPACTED_GROUPS.has(group) ? compactMarkup(partial.text) : partial.text;
          // A shipped spec's source compiled without error: no need to parse it for errors.
          if (!COMPACTED_GROUPS.has(group) || !isPrecompiled(source))
            parseTemplate(hbs, partial.text, join(group, 'partials', file), partial.path);
          // A partial registered as text is compiled again by every top-level render that uses it
          // (Handlebars keeps the result in that call's copy of the partials): the page renders each
          // year on its own, so the timeline's partials are registered compiled, once. Text partials
          // take the compile options of the template that calls them (the mail's text part does not
          // escape): the other groups keep them as text.
          hbs.registerPartial(file.replace(/\.hbs$/, ''), COMPACTED_GROUPS.has(group) ? compileTemplate(hbs, source) : source);
          sources.set(file, source);
        }
        partialSources.set(group, sources);
        // Every template of the user's folder is parsed now: a typo is reported at its line and
        // column when the set loads, not as a crash at render time.
        if (overrideDir) {
          const own = await readdir(join(overrideDir, group)).catch(() => [] as string[]);
          for (const file of own.filter((f) => f.endsWith('.hbs'))) {
            const template = await readFrom(join(group, file));
            parseTemplate(hbs, template.text, join(group, file), template.path);
          }
        }
        return hbs;
      })();
      environments.set(group, env);
    }
    return env;
  };

  return {
    template(name, options = {}) {
      let template = compiled.get(name);
      if (!template) {
        template = (async () => {
          const hbs = await environment(name.split('/')[0]!);
          // Parsed as written (errors at the user's line and column), compiled compacted.
          const { text: raw, path } = await readFrom(name);
          const source = COMPACTED_GROUPS.has(name.split('/')[0]!) && options.text !== true ? compactMarkup(raw) : raw;
          const compileOptions = { noEscape: options.text === true };
          if (!isPrecompiled(source, compileOptions)) parseTemplate(hbs, raw, name, path);
          try {
            const render = compileTemplate(hbs, source, compileOptions);
            return (data: unknown, runtime?: Parameters<Template>[1]) => render(data, runtime as Handlebars.RuntimeOptions);
          } catch (error) {
            throw new UserError(`the template ${name} has an error: ${(error as Error).message}`, { cause: error });
          }
        })();
        compiled.set(name, template);
      }
      return template;
    },
    asset: read,
    inline(group, source) {
      // Compiled once per set: the page asks for the same `{{> year}}` for each of its pages.
      const key = `${group}\u0000${source}`;
      let template = inlined.get(key);
      if (!template) {
        template = (async () => {
          const render = compileTemplate(await environment(group), COMPACTED_GROUPS.has(group) ? compactMarkup(source) : source);
          return (data: unknown, runtime?: Parameters<Template>[1]) => render(data, runtime as Handlebars.RuntimeOptions);
        })();
        inlined.set(key, template);
      }
      return template;
    },
    async partials(group) {
      await environment(group);
      return partialSources.get(group) ?? new Map();
    },
  };
}

/** Groups whose templates are HTML without <pre> or <textarea>: their indentation is dropped once,
 * when they compile, instead of by regular expressions over every rendered page. (The newsletter's
 * MJML is minified by MJML; its text part keeps every space.) */
const COMPACTED_GROUPS = new Set(['timeline']);

/** Each line without its indentation and trailing blanks, and no empty lines. A newline stays
 * where lines met, so words and inline elements on two lines stay apart. */
export function compactMarkup(source: string): string {
  return source
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('\n')
    .concat(source.endsWith('\n') ? '\n' : '');
}

/** Parses a template now (Handlebars compiles lazily), turning a syntax error into a located one. */
function parseTemplate(hbs: typeof Handlebars, source: string, name: string, path: string): void {
  try {
    hbs.parse(source);
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    // Handlebars' errors carry no position, but its (shared, synchronous) lexer still holds the
    // offending token: its start for a parse error, its end for text the lexer cannot read.
    const loc = (Handlebars as unknown as { Parser: { lexer?: { yylloc?: Record<string, number> } } }).Parser.lexer?.yylloc;
    const lexical = message.startsWith('Lexical error');
    const line = (lexical ? loc?.last_line : loc?.first_line) ?? Number(/on line (\d+)/.exec(message)?.[1] ?? 1);
    const column = ((lexical ? loc?.last_column : loc?.first_column) ?? 0) + 1;
    const got = /got '([^']+)'/.exec(message)?.[1];
    const reason = lexical
      ? 'text Handlebars cannot read (a control character, or a {{ that is not closed)'
      : got === 'EOF'
        ? 'the template ends inside a block or a {{ ... }}: a {{/block}} or }} is missing'
        : `unexpected ${got === 'INVALID' ? 'text' : got ? `'${got}'` : 'text'} inside {{ ... }}`;
    throw chronicleError('template-syntax', { template: name, reason }, { location: { file: path, line, column }, cause: error });
  }
}
