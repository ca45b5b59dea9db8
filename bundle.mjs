// `npm run build:ts`, last step: bundles the CLI (dist/cli.js and every module it reaches) into
// dist/chronicle.cjs, and makes its V8 code cache by running commands once (src/code-cache.cts). dist/bin.cjs
// runs the bundle; the library (dist/index.js) stays the separate modules tsc wrote.
//
// Libraries and Node's own modules stay outside the bundle, and are loaded when the first module that
// imports them runs, not when the bundle starts: each becomes a tiny CommonJS module `require`-ing it,
// which the bundler wraps in a function called by its importers. A plain external import would be
// hoisted to the bundle's top, loading Handlebars, MJML and the mail libraries for every command.
//
// commander, which every command loads, is bundled in (its seven files compiled into the code cache),
// and its child_process is loaded only if used: commander spawns it for executable subcommands, which
// chronicle has none of, and loading it (with net and stream) costs every command.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rolldown } from 'rolldown';
import { parseAst } from 'rolldown/parseAst';

const ROOT = import.meta.dirname;
const BUNDLE = join(ROOT, 'dist', 'chronicle.cjs');
const LAZY = '\0lazy-require:';
const ON_USE = '\0require-on-use:';
const BUNDLED = ['commander'];
const inCommander = (importer) => importer?.includes('/node_modules/commander/');

const lazyRequires = {
  name: 'lazy-requires',
  resolveId(id, importer) {
    if (id.startsWith('.') || id.startsWith('/') || id.startsWith(LAZY) || id.startsWith(ON_USE)) return null;
    if (importer?.startsWith(LAZY) || importer?.startsWith(ON_USE)) return { id, external: true };
    if (BUNDLED.includes(id)) return null;
    if (id === 'node:child_process' && inCommander(importer)) return ON_USE + id;
    return LAZY + id;
  },
  load(id) {
    if (id.startsWith(LAZY)) return { code: `module.exports = require(${JSON.stringify(id.slice(LAZY.length))});`, moduleType: 'js' };
    // Required when one of its functions is first looked up.
    if (id.startsWith(ON_USE))
      return {
        code: `module.exports = new Proxy({}, { get: (_, key) => require(${JSON.stringify(id.slice(ON_USE.length))})[key] });`,
        moduleType: 'js',
      };
    return null;
  },
};

const bundle = await rolldown({ input: join(ROOT, 'dist', 'cli.js'), platform: 'node', plugins: [lazyRequires] });
const { output } = await bundle.write({ file: BUNDLE, format: 'cjs', codeSplitting: false, strict: true });
await bundle.close();

// An import() of a name computed at run time stays an import() in the bundle, and Node 20 would resolve
// it from the working folder (src/code-cache.cts): require such a file with createRequire(import.meta.url).
const computed = [];
const visit = (node) => {
  if (Array.isArray(node)) for (const child of node) visit(child);
  else if (node && typeof node === 'object') {
    if (node.type === 'ImportExpression') computed.push(output[0].code.slice(node.start, node.end));
    for (const value of Object.values(node)) if (value && typeof value === 'object') visit(value);
  }
};
visit(parseAst(output[0].code));
if (computed.length > 0) throw new Error(`bundle.mjs: the bundle would resolve ${computed.join(', ')} from the working folder`);

// The warm-up: the functions compiled while these commands run go into the cache. A build without a
// cache folder and a rebuild with one (the two paths of `build`), and `check`.
const { loadBundle } = await import('./dist/code-cache.cjs');
const loaded = loadBundle(BUNDLE);
const work = mkdtempSync(join(tmpdir(), 'chronicle-bundle-'));
try {
  const io = (env) => ({
    cwd: work,
    stdout: () => {},
    stderr: (text) => process.stderr.write(text),
    color: false,
    interactive: false,
    env,
  });
  const events = join(ROOT, 'events.yaml');
  const cached = { CHRONICLE_CACHE_DIR: join(work, 'cache') };
  const runs = [
    [['build', events, '-o', 'out', '--quiet', '--no-newsletter'], { CHRONICLE_CACHE: 'off' }],
    [['build', events, '-o', 'out', '--quiet', '--no-newsletter'], cached],
    [['build', events, '-o', 'out', '--quiet', '--no-newsletter'], cached],
    [['check', events, '--quiet'], { CHRONICLE_CACHE: 'off' }],
  ];
  for (const [argv, env] of runs) {
    const code = await loaded.exports.runCli(argv, io(env));
    if (code !== 0) throw new Error(`bundle.mjs: the warm-up \`chronicle ${argv.join(' ')}\` exited with ${code}`);
  }
  loaded.writeCache();
} finally {
  rmSync(work, { recursive: true, force: true });
}
