// The Handlebars instance of chronicle: an isolated environment with our helpers, templates compiled
// once and cached, and a user folder (--templates DIR) that overrides any file by name.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Handlebars from 'handlebars';
import { ChronicleError, chronicleError, UserError } from '../errors.js';
import { compileToSource } from './compile.js';
import { HELPERS, loadCompiled, type Partials } from './compile-runtime.js';
import { BUILTIN_TEMPLATES } from './locales.js';
import { shippedBody } from './precompiled.js';

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

export interface TemplateSetOptions {
  /** `handlebars`: render every template with Handlebars itself (tests compare the two engines). */
  engine?: 'compiled' | 'handlebars';
}

/** Handlebars, loaded only when a template needs it: a user's template the compiler does not take,
 * a template of another group, or a parse for located errors. */
let handlebarsModule: Promise<typeof Handlebars> | undefined;
const loadHandlebars = (): Promise<typeof Handlebars> => {
  handlebarsModule ??= import('handlebars').then((module) => module.default);
  return handlebarsModule;
};

interface PartialSource {
  /** As written (errors are located in it). */
  text: string;
  path: string;
  /** As compiled (compacted in the compacted groups). */
  source: string;
}

export function createTemplateSet(overrideDir?: string, setOptions: TemplateSetOptions = {}): TemplateSet {
  // One Handlebars environment per group (timeline, newsletter): both have an `event` partial.
  const environments = new Map<string, Promise<typeof Handlebars>>();
  const partialFiles = new Map<string, Promise<Map<string, PartialSource>>>();
  const ownPartials = new Map<string, Promise<Partials | undefined>>();
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

  /** The partials of a group by file name, the user's folder overriding the built-in ones. */
  const partialsOf = (group: string): Promise<Map<string, PartialSource>> => {
    let files = partialFiles.get(group);
    if (!files) {
      files = (async () => {
        const names = new Set<string>();
        for (const dir of overrideDir ? [BUILTIN_TEMPLATES, overrideDir] : [BUILTIN_TEMPLATES]) {
          const found = await readdir(join(dir, group, 'partials')).catch(() => [] as string[]);
          for (const file of found) if (file.endsWith('.hbs')) names.add(file);
        }
        const sources = new Map<string, PartialSource>();
        for (const file of [...names].sort()) {
          const partial = await readFrom(join(group, 'partials', file));
          sources.set(file, { ...partial, source: COMPACTED_GROUPS.has(group) ? compactMarkup(partial.text) : partial.text });
        }
        return sources;
      })();
      partialFiles.set(group, files);
    }
    return files;
  };

  const environment = (group: string): Promise<typeof Handlebars> => {
    let env = environments.get(group);
    if (!env) {
      env = (async () => {
        const handlebars = await loadHandlebars();
        const hbs = handlebars.create();
        for (const [name, helper] of Object.entries(HELPERS)) hbs.registerHelper(name, helper);
        for (const [file, partial] of await partialsOf(group)) {
          const label = join(group, 'partials', file);
          parseTemplate(hbs, partial.text, label, partial.path);
          // A partial registered as text is compiled again by every top-level render that uses it
          // (Handlebars keeps the result in that call's copy of the partials): the page renders each
          // year on its own, so the timeline's partials are registered compiled, once. Text partials
          // take the compile options of the template that calls them (the mail's text part does not
          // escape): the other groups keep them as text.
          hbs.registerPartial(file.replace(/\.hbs$/, ''), COMPACTED_GROUPS.has(group) ? hbs.compile(partial.source) : partial.source);
        }
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

  /** Our compiled body of a template: shipped, or compiled now (Handlebars' parser loaded, syntax
   * errors located in `text`); undefined when it uses what the compiler does not take. */
  const compiledBody = async (source: string, text: string, label: string, path: string): Promise<string | undefined> => {
    const body = shippedBody(source);
    if (body !== undefined) return body;
    const handlebars = await loadHandlebars();
    parseTemplate(handlebars, text, label, path);
    return compileToSource(handlebars.parse(source));
  };

  /** The group's partials compiled by us, or undefined when the group renders with Handlebars (not
   * a compacted group, or a partial outside the compiler's subset). */
  const compiledPartials = (group: string): Promise<Partials | undefined> => {
    let partials = ownPartials.get(group);
    if (!partials) {
      partials = (async () => {
        if (setOptions.engine === 'handlebars' || !COMPACTED_GROUPS.has(group)) return undefined;
        // The user's folder is checked as Handlebars checks it (every template parsed, located errors).
        if (overrideDir) await environment(group);
        const made: Partials = {};
        for (const [file, partial] of await partialsOf(group)) {
          const body = await compiledBody(partial.source, partial.text, join(group, 'partials', file), partial.path);
          if (body === undefined) return undefined;
          made[file.replace(/\.hbs$/, '')] = loadCompiled(body, () => made);
        }
        return made;
      })();
      ownPartials.set(group, partials);
    }
    return partials;
  };

  /** A user's templates can fail as they render (a partial that does not exist, a helper called
   * wrongly): that is a problem of their folder, reported as such, not a crash. The built-in ones
   * are tested, so an error there stays a bug. */
  const guarded = (what: string, render: Template): Template => {
    if (!overrideDir) return render;
    return (data, runtime) => {
      try {
        return render(data, runtime);
      } catch (error) {
        if (error instanceof ChronicleError) throw error;
        throw new UserError(`${what} could not be rendered: ${(error as Error)?.message ?? String(error)}`, {
          hint: `check the templates in ${overrideDir}`,
          cause: error,
        });
      }
    };
  };

  return {
    template(name, options = {}) {
      let template = compiled.get(name);
      if (!template) {
        template = (async () => {
          const group = name.split('/')[0]!;
          // Parsed as written (errors at the user's line and column), compiled compacted.
          const { text: raw, path } = await readFrom(name);
          const source = COMPACTED_GROUPS.has(group) && options.text !== true ? compactMarkup(raw) : raw;
          const partials = options.text === true ? undefined : await compiledPartials(group);
          const body = partials && (await compiledBody(source, raw, name, path));
          if (partials && body !== undefined) return guarded(`the template ${name}`, loadCompiled(body, () => partials) as Template);
          const hbs = await environment(group);
          parseTemplate(hbs, raw, name, path);
          try {
            const render = hbs.compile(source, { noEscape: options.text === true });
            return guarded(`the template ${name}`, (data: unknown, runtime?: Parameters<Template>[1]) =>
              render(data, runtime as Handlebars.RuntimeOptions),
            );
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
          const compact = COMPACTED_GROUPS.has(group) ? compactMarkup(source) : source;
          const partials = await compiledPartials(group);
          const body = partials && (await compiledBody(compact, source, `${group} (inline)`, '(inline)'));
          if (partials && body !== undefined) return guarded(`the ${group} templates`, loadCompiled(body, () => partials) as Template);
          const render = (await environment(group)).compile(compact);
          return guarded(`the ${group} templates`, (data: unknown, runtime?: Parameters<Template>[1]) =>
            render(data, runtime as Handlebars.RuntimeOptions),
          );
        })();
        inlined.set(key, template);
      }
      return template;
    },
    async partials(group) {
      return new Map([...(await partialsOf(group))].map(([file, partial]) => [file, partial.source]));
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
    const loc = (hbs as unknown as { Parser: { lexer?: { yylloc?: Record<string, number> } } }).Parser.lexer?.yylloc;
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
