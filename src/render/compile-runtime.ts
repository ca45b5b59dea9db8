// What templates compiled by compile.ts call at render time: Handlebars 4.7's runtime semantics,
// rewritten for the subset the compiler accepts, so rendering a built-in template loads no
// Handlebars at all. Each function copies the rule of the Handlebars function it names (escaping,
// the own-property rule of lookups, how #each walks arrays, iterables and objects, when a block
// pushes a context for `../`, how a partial merges its hash and indents its lines): any difference
// would change bytes, and tests/unit/compile-differential.test.ts compares the two on random
// templates and data.
import { fillLabel } from './fill.js';
import { wrapText } from './wrap-text.js';

/** Handlebars' `container.nullContext`: the `this` of a helper whose context is null. */
export const NULL_CONTEXT: object = Object.seal({});

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#x27;',
  '`': '&#x60;',
  '=': '&#x3D;',
};
const BAD = /[&<>"'`=]/g;
const POSSIBLE = /[&<>"'`=]/;
const escapeChar = (c: string): string => ESCAPES[c]!;

/** Handlebars.Utils.escapeExpression. */
export function escapeExpression(value: unknown): string {
  let text: string;
  if (typeof value !== 'string') {
    const withHtml = value as { toHTML?: unknown } | null | undefined;
    if (withHtml && typeof withHtml.toHTML === 'function') return (withHtml.toHTML as () => string)();
    if (value == null) return '';
    // `'' + value` as Handlebars writes it (valueOf before toString), not a template literal.
    // biome-ignore lint/style/useTemplate: a template literal would call toString first
    if (!value) return value + '';
    // biome-ignore lint/style/useTemplate: as above
    text = '' + value;
  } else text = value;
  return POSSIBLE.test(text) ? text.replace(BAD, escapeChar) : text;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** container.lookupProperty with the default prototype-access rules: an inherited value is never
 * read (Handlebars also logs a warning then; the output is the same). */
export function lookupProperty(parent: unknown, name: string): unknown {
  return own(parent, name, (parent as Record<string, unknown>)[name]);
}

/** The rule of lookupProperty for a value already read (`result` is `parent[name]`): generated code
 * reads the property by name itself. */
export function own(parent: unknown, name: string, result: unknown): unknown {
  if (result == null) return result;
  if (hasOwn.call(parent, name) && !(name === 'constructor' && typeof result === 'function' && parent === result.prototype)) return result;
  return undefined;
}

/** container.lambda: a function found by a path is called with the context. */
export function lambda(value: unknown, context: unknown): unknown {
  return typeof value === 'function' ? value.call(context) : value;
}

/** A single-name mustache (`{{title}}`) that names no helper: a function value is called like a
 * helper (with the options), a missing one gives undefined (helperMissing without arguments). */
export function ambiguous(value: unknown, self: unknown, name: string, data: unknown): unknown {
  if (value == null) return undefined;
  return typeof value === 'function' ? value.call(self, { name, hash: {}, data }) : value;
}

/** The depths list a block program runs with (wrapProgram): a context is pushed only when it
 * differs (loosely, `!=`) from the current one. */
export function pushDepth(depths: unknown[] | undefined, context: unknown): unknown[] | undefined {
  // biome-ignore lint/suspicious/noDoubleEquals: Handlebars compares loosely; so must we.
  return depths && context != depths[0] && !(context === NULL_CONTEXT && depths[0] === null) ? [context].concat(depths) : depths;
}

/** Utils.extend. */
export function extend(target: Record<string, unknown>, ...sources: unknown[]): Record<string, unknown> {
  for (const source of sources) {
    for (const key in source as object) if (hasOwn.call(source, key)) target[key] = (source as Record<string, unknown>)[key];
  }
  return target;
}

/** Utils.createFrame: a child data frame (`@index`... of an #each). */
export function createFrame(data: unknown): Record<string, unknown> {
  return new Frame(data as Partial<Frame>) as unknown as Record<string, unknown>;
}

/** A data frame as one fixed shape. Data is only ever ours: `{ root }` at the top, then frames; a
 * copy of either has exactly these keys in this order once #each has set key, index, first and last
 * (before that no template can see the frame). */
class Frame {
  root: unknown;
  _parent: unknown;
  key: unknown;
  index: unknown;
  first: unknown;
  last: unknown;
  constructor(parent: Partial<Frame>) {
    this.root = parent.root;
    this._parent = parent;
    this.key = parent.key;
    this.index = parent.index;
    this.first = parent.first;
    this.last = parent.last;
  }
}

/** Utils.isEmpty. */
function isEmpty(value: unknown): boolean {
  return (!value && value !== 0) || (Array.isArray(value) && value.length === 0);
}

/** A generated program: `(context, data, depths, partials)`. */
type Program = (context: unknown, data: unknown, depths: unknown[] | undefined, partials: Partials) => unknown;

/** Runs a block's program as Handlebars' wrapProgram does (depths pushed if the context differs;
 * `depths` is undefined when the calling program reads no `../`); no program is Handlebars' noop. */
function run(program: Program | undefined, context: unknown, data: unknown, depths: unknown[] | undefined, partials: Partials): unknown {
  return program ? program(context, data, pushDepth(depths, context), partials) : '';
}

/** The `if` helper (and `unless`, with fn and inverse swapped). */
export function ifHelper(conditional: unknown, self: unknown): boolean {
  const value = typeof conditional === 'function' ? conditional.call(self) : conditional;
  return !(!value || isEmpty(value));
}

/** A block helper as generated code calls it: the value, the context it was read in, the data
 * frame, the `../` depths, the partials, and the block's program and its `{{else}}`. */
type BlockHelper = (
  value: unknown,
  self: unknown,
  data: unknown,
  depths: unknown[] | undefined,
  partials: Partials,
  fn?: Program,
  inverse?: Program,
) => unknown;

/** The `with` helper. */
export const withHelper: BlockHelper = (value, self, data, depths, partials, fn, inverse) => {
  const context = typeof value === 'function' ? value.call(self) : value;
  return !isEmpty(context) ? run(fn, context, data, depths, partials) : run(inverse, self, data, depths, partials);
};

/** The `each` helper: arrays (holes skipped), then iterables, then an object's own keys. */
export const eachHelper: BlockHelper = (value, self, data, depths, partials, fn, inverse) => {
  let context = value;
  let i = 0;
  let ret: unknown = '';
  if (typeof context === 'function') context = context.call(self);
  const frame = data ? createFrame(data) : undefined;
  const step = (field: unknown, index: number, last: boolean, item: unknown) => {
    if (frame) {
      frame.key = field;
      frame.index = index;
      frame.first = index === 0;
      frame.last = !!last;
    }
    ret = (ret as string) + (run(fn, item, frame ?? data, depths, partials) as string);
  };
  if (context && typeof context === 'object') {
    if (Array.isArray(context)) {
      for (const j = context.length; i < j; i++) if (i in context) step(i, i, i === context.length - 1, context[i]);
    } else if ((context as Iterable<unknown>)[Symbol.iterator]) {
      const iterator = (context as Iterable<unknown>)[Symbol.iterator]();
      let current = iterator.next();
      while (!current.done) {
        const next = iterator.next();
        try {
          step(i, i, !!next.done, current.value);
        } catch (error) {
          if (!next.done) {
            try {
              if (typeof iterator.return === 'function') iterator.return();
            } catch {
              // the block's error is the one to report
            }
          }
          throw error;
        }
        current = next;
        i++;
      }
    } else {
      let prior: string | undefined;
      for (const key of Object.keys(context)) {
        if (prior !== undefined) step(prior, i - 1, false, (context as Record<string, unknown>)[prior]);
        prior = key;
        i++;
      }
      if (prior !== undefined) step(prior, i - 1, true, (context as Record<string, unknown>)[prior]);
    }
  }
  if (i === 0) ret = run(inverse, self, data, depths, partials);
  return ret;
};

export type Partials = Record<string, unknown>;

/** container.invokePartial (invokePartialWrapper, resolvePartial, VM.invokePartial). */
export function invokePartial(
  partials: Partials,
  name: string,
  context: unknown,
  hash: Record<string, unknown> | undefined,
  data: unknown,
  indent: string,
): unknown {
  const actual = hash ? extend({}, context, hash) : context;
  let partial = lookupProperty(partials, name);
  if (!partial) partial = partials[name];
  if (partial === undefined) throw new Error(`The partial ${name} could not be found`);
  const result =
    partial instanceof Function
      ? (partial as (c: unknown, o: unknown) => unknown)(actual, { name, hash, data, partials, partial: true })
      : undefined;
  if (result == null) throw new Error(`The partial ${name} could not be compiled when running in runtime-only mode`);
  if (!indent) return result;
  const lines = (result as string).split('\n');
  for (let i = 0, l = lines.length; i < l; i++) {
    if (!lines[i] && i + 1 === l) break;
    lines[i] = indent + lines[i];
  }
  return lines.join('\n');
}

/** Our helpers (templates.ts registers the same functions with Handlebars). */
export const HELPERS: Record<string, (...args: unknown[]) => unknown> = {
  fill: (template: unknown, options: unknown) => fillLabel(String(template ?? ''), (options as { hash: Record<string, string> }).hash),
  eq: (a: unknown, b: unknown) => a === b,
  wrap: (text: unknown, indent: unknown) => wrapText(String(text ?? ''), typeof indent === 'string' ? indent : ''),
};

/** Everything the generated code reads from (see compile.ts). */
export const RUNTIME = {
  escapeExpression,
  own,
  lambda,
  ambiguous,
  pushDepth,
  ifHelper,
  withHelper,
  eachHelper,
  invokePartial,
  helpers: HELPERS,
  NULL_CONTEXT,
};

export type Runtime = typeof RUNTIME;

/** A compiled template as Handlebars calls one: `(context, options)`; as a partial, options carry
 * the caller's data and partials. */
export type CompiledTemplate = (context: unknown, options?: { partials?: Partials; data?: unknown; partial?: boolean }) => string;

/** Turns the main program of a generated module into a template (Handlebars' `ret`). */
export function templateOf(
  main: (context: unknown, data: unknown, depths: unknown[] | undefined, partials: Partials) => unknown,
  useDepths: boolean,
  ownPartials: () => Partials,
): CompiledTemplate {
  return (context, options = {}) => {
    let data = options.data;
    let partials: Partials;
    if (!options.partial) {
      const own = ownPartials();
      partials = options.partials && options.partials !== own ? extend({}, own, options.partials) : (options.partials ?? own);
      // Handlebars' initData; data given by a caller (never, in chronicle) is copied as it does.
      if (!data || !('root' in (data as object))) data = data ? { ...extend({}, data), _parent: data, root: context } : { root: context };
    } else partials = options.partials ?? {};
    // `'' +`, as Handlebars: an object's valueOf comes before its toString.
    // biome-ignore lint/style/useTemplate: a template literal would call toString first.
    return '' + main(context, data, useDepths ? [context] : undefined, partials);
  };
}

/** A template from the body compileToSource generated (`ownPartials`: the set's compiled partials,
 * looked up when a render starts, so partials may refer to each other in any order). `runtime` is
 * replaced only by the tests that prove a broken rule is caught. */
export function loadCompiled(body: string, ownPartials: () => Partials, runtime: Runtime = RUNTIME): CompiledTemplate {
  const made = new Function('rt', body)(runtime) as {
    main: (context: unknown, data: unknown, depths: unknown[] | undefined, partials: Partials) => unknown;
    useDepths: boolean;
  };
  return templateOf(made.main, made.useDepths, ownPartials);
}
