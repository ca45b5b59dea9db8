// Templates compiled to plain JavaScript, for the part of Handlebars chronicle's templates use.
// Handlebars' runtime pays, for every `{{#if}}` and `{{> partial}}`, an options object, a helper
// wrapper and a program wrapper: at 10,000 events that was ~300 ms of a cold build, and its module
// ~45 ms of start-up. Here each block becomes a direct call into compile-runtime.ts, which copies
// Handlebars' semantics rule by rule.
//
// Input is the AST of Handlebars' own parser (`Handlebars.parse`, which has already applied
// whitespace control and standalone lines, so text nodes hold exactly what Handlebars emits).
// Anything outside the subset (other block helpers, block params, decorators, partial blocks,
// dynamic partials, helpers other than ours, `@../`) makes compileToSource return undefined, and
// the caller uses Handlebars for that template. tests/unit/compile-differential.test.ts renders
// random templates of the subset and random hostile data with both and compares the bytes.

interface Node {
  type: string;
}
interface PathNode extends Node {
  type: 'PathExpression';
  data: boolean;
  depth: number;
  parts: string[];
  original: string;
}
interface Literal extends Node {
  value?: unknown;
}
interface HashNode extends Node {
  pairs: { key: string; value: Node }[];
}
interface CallNode extends Node {
  path: Node;
  params: Node[];
  hash?: HashNode;
}
interface ProgramNode extends Node {
  body: Node[];
  blockParams?: string[];
}
interface MustacheNode extends CallNode {
  escaped: boolean;
}
interface BlockNode extends CallNode {
  program?: ProgramNode;
  inverse?: ProgramNode;
}
interface PartialNode extends Node {
  name: Node;
  params: Node[];
  hash?: HashNode;
  indent?: string;
}

/** Helpers Handlebars registers itself, and ours (see compile-runtime.ts HELPERS). */
const BUILTIN_HELPERS = new Set(['helperMissing', 'blockHelperMissing', 'each', 'if', 'unless', 'with', 'log', 'lookup']);
const OUR_HELPERS = new Set(['fill', 'eq', 'wrap']);
const BLOCKS = new Set(['if', 'unless', 'each', 'with']);

class Unsupported extends Error {}

export interface CompileOptions {
  /** Handlebars' noEscape: `{{x}}` appends as `{{{x}}}` does. */
  noEscape?: boolean;
}

/** The body of a function of `rt` (the runtime) that returns `{ main, useDepths }`, or undefined
 * when the template uses anything outside the subset. */
export function compileToSource(ast: unknown, options: CompileOptions = {}): string | undefined {
  try {
    return new Generator(options).module(ast as ProgramNode);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

/** Whether a path with `../` occurs anywhere in a node (Handlebars' useDepths of a program). */
function readsDepths(node: unknown): boolean {
  if (!node || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some(readsDepths);
  const record = node as Record<string, unknown>;
  if (record.type === 'PathExpression') return Boolean(record.depth);
  return Object.entries(record).some(([key, value]) => key !== 'loc' && readsDepths(value));
}

/** A property name JavaScript reads with a dot. */
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

const isPath = (node: Node): node is PathNode => node.type === 'PathExpression';
/** AST.helpers.scopedId / simpleId. */
const scoped = (path: PathNode): boolean => /^\.|this\b/.test(path.original);
const simpleId = (path: PathNode): boolean => path.parts.length === 1 && !scoped(path) && !path.depth;

class Generator {
  private readonly programs: string[] = [];
  private useDepths = false;
  /** Whether the program being generated, or one inside it, reads `../` (see depthsFor). */
  private depthy: boolean[] = [];
  /** How many temporaries each program being generated uses. */
  private temps: number[] = [];

  constructor(private readonly options: CompileOptions) {}

  module(ast: ProgramNode): string {
    if (ast?.type !== 'Program') throw new Unsupported();
    const main = this.program(ast);
    return [
      '"use strict";',
      'const { escapeExpression: esc, own, lambda, ambiguous, pushDepth, ifHelper, withHelper, eachHelper, invokePartial, helpers, NULL_CONTEXT } = rt;',
      ...this.programs,
      `return { main: p${main}, useDepths: ${this.useDepths} };`,
    ].join('\n');
  }

  /** Emits a function `pN(c, d, ds, P)` (context, data, depths, partials); returns N. */
  private program(node: ProgramNode): number {
    if (node.blockParams?.length) throw new Unsupported();
    const index = this.programs.length;
    this.programs.push(''); // reserve the index: children are numbered after their parent
    this.depthy.push(readsDepths(node));
    this.temps.push(0);
    if (index === 0) this.useDepths = this.depthy[0]!;
    const pieces: string[] = [];
    for (const statement of node.body) {
      const piece = this.statement(statement);
      if (piece !== undefined) pieces.push(piece);
    }
    this.depthy.pop();
    const temps = Array.from({ length: this.temps.pop()! }, (_, i) => `, t${i + 1}`).join('');
    this.programs[index] =
      `function p${index}(c, d, ds, P) {\n  let t${temps};\n  const s = c != null ? c : NULL_CONTEXT;\n  return ${pieces.length ? pieces.join('\n    + ') : '""'};\n}`;
    return index;
  }

  private statement(node: Node): string | undefined {
    switch (node.type) {
      case 'ContentStatement': {
        const value = (node as Literal).value as string;
        return value ? JSON.stringify(value) : undefined;
      }
      case 'CommentStatement':
        return undefined;
      case 'MustacheStatement':
        return this.mustache(node as MustacheNode);
      case 'BlockStatement':
        return this.block(node as BlockNode);
      case 'PartialStatement':
        return this.partial(node as PartialNode);
      default:
        throw new Unsupported();
    }
  }

  private mustache(node: MustacheNode): string {
    if (!isPath(node.path)) throw new Unsupported();
    const path = node.path;
    let value: string;
    if (node.params.length || node.hash) value = this.helperCall(node);
    else if (simpleId(path)) {
      const name = path.parts[0]!;
      if (BUILTIN_HELPERS.has(name) || OUR_HELPERS.has(name)) throw new Unsupported();
      value = `ambiguous(${this.lookup(path)}, s, ${JSON.stringify(name)}, d)`;
    } else value = `lambda(${this.lookup(path)}, c)`;
    return node.escaped && !this.options.noEscape ? `esc(${value})` : `((t = ${value}) != null ? t : "")`;
  }

  /** `{{fill a b=c}}` or `(eq a b)`: one of our helpers, called as Handlebars calls it. */
  private helperCall(node: CallNode): string {
    const path = node.path;
    if (!isPath(path) || !simpleId(path) || path.data || !OUR_HELPERS.has(path.parts[0]!)) throw new Unsupported();
    const name = path.parts[0]!;
    const params = node.params.map((param) => this.param(param));
    const hash = node.hash ? this.hash(node.hash) : '{}';
    return `helpers[${JSON.stringify(name)}].call(s, ${[...params, `{ name: ${JSON.stringify(name)}, hash: ${hash}, data: d }`].join(', ')})`;
  }

  /** A helper's argument: a path's value (not called if a function), a literal, or a subexpression. */
  private param(node: Node): string {
    switch (node.type) {
      case 'PathExpression':
        return this.lookup(node as PathNode);
      case 'SubExpression':
        return this.helperCall(node as CallNode);
      case 'StringLiteral':
        return JSON.stringify((node as Literal).value);
      case 'NumberLiteral': {
        const value = (node as Literal).value as number;
        return Object.is(value, -0) ? '-0' : String(value);
      }
      case 'BooleanLiteral':
        return String((node as Literal).value);
      case 'UndefinedLiteral':
        return 'undefined';
      case 'NullLiteral':
        return 'null';
      default:
        throw new Unsupported();
    }
  }

  /** A hash as Handlebars builds it: pairs assigned last to first, so the first of two equal keys
   * wins; the key order is a JavaScript object's, as Handlebars' generated literal has; and a pair
   * whose value is the literal `undefined` is left out, as Handlebars' objectLiteral leaves out a
   * value whose code is `undefined` (so `{{> p a=undefined}}` adds no key `a` to the context). */
  private hash(node: HashNode): string {
    const values: Record<string, string> = {};
    for (let i = node.pairs.length - 1; i >= 0; i--) {
      const pair = node.pairs[i]!;
      values[pair.key] = this.param(pair.value);
    }
    return `{ ${Object.keys(values)
      .filter((key) => values[key] !== 'undefined')
      .map((key) => `${JSON.stringify(key)}: ${values[key]}`)
      .join(', ')} }`;
  }

  /** A path's value, as Handlebars' lookupOnContext / lookupData resolve it. */
  private lookup(path: PathNode): string {
    if (path.data && path.depth) throw new Unsupported();
    // Each step reads the property by name where the name allows (`c.title`: an inline cache at that
    // site, where Handlebars' `parent[name]` is one megamorphic load for every name), then applies
    // the own-property rule (own()). A step's parent goes through a temporary, so it is evaluated
    // once; context paths test `!= null`, data paths `&&`, as Handlebars does.
    let expr = path.data ? 'd' : path.depth ? `ds[${path.depth}]` : 'c';
    for (const part of path.parts) {
      const parent = /^(?:c|d|ds\[\d+\])$/.test(expr) ? expr : this.temp();
      const head = parent === expr ? parent : `(${parent} = ${expr})`;
      const read = `own(${parent}, ${JSON.stringify(part)}, ${parent}${IDENTIFIER.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`})`;
      expr = path.data ? `(${head} && ${read})` : `(${head} != null ? ${read} : ${parent})`;
    }
    return expr;
  }

  /** A new temporary of the program being generated (declared at its top). */
  private temp(): string {
    const count = this.temps.length - 1;
    this.temps[count]!++;
    return `t${this.temps[count]}`;
  }

  private block(node: BlockNode): string {
    const path = node.path;
    if (!isPath(path) || !simpleId(path) || path.data || !BLOCKS.has(path.parts[0]!) || node.params.length !== 1 || node.hash)
      throw new Unsupported();
    const name = path.parts[0]!;
    const value = this.param(node.params[0]!);
    const fn = node.program ? this.program(node.program) : undefined;
    const inverse = node.inverse ? this.program(node.inverse) : undefined;
    // A program called with a context x: Handlebars' wrapProgram, depths pushed if x differs.
    const call = (index: number | undefined, context: string, data: string) =>
      index === undefined ? '""' : `p${index}(${context}, ${data}, ${this.depthsFor(context)}, P)`;
    if (name === 'if' || name === 'unless') {
      const [yes, no] = name === 'if' ? [fn, inverse] : [inverse, fn];
      return `(ifHelper(${value}, s) ? ${call(yes, 's', 'd')} : ${call(no, 's', 'd')})`;
    }
    // No closure per call: the runtime runs the programs (pN or none) with this program's depths.
    const program = (index: number | undefined) => (index === undefined ? 'undefined' : `p${index}`);
    const depths = this.depthy.at(-1) ? 'ds' : 'undefined';
    return `${name === 'each' ? 'eachHelper' : 'withHelper'}(${value}, s, d, ${depths}, P, ${program(fn)}, ${program(inverse)})`;
  }

  /** The depths a child program runs with. Handlebars hands depths to a block's program only when
   * the program containing the block reads `../` itself or in a program inside it; only then does
   * it compare the new context with the current one (loosely: an object's toString may run). */
  private depthsFor(context: string): string {
    return this.depthy.at(-1) ? `pushDepth(ds, ${context})` : 'undefined';
  }

  private partial(node: PartialNode): string {
    if (!isPath(node.name) || node.name.data || node.params.length > 1) throw new Unsupported();
    const context = node.params.length ? this.param(node.params[0]!) : 'c';
    const hash = node.hash ? this.hash(node.hash) : 'undefined';
    return `invokePartial(P, ${JSON.stringify(node.name.original)}, ${context}, ${hash}, d, ${JSON.stringify(node.indent ?? '')})`;
  }
}
