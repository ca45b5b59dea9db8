// Loads the CLI bundled into one CommonJS file (dist/chronicle.cjs, made by bundle.mjs) with V8's code
// cache beside it (dist/chronicle.cjs.cache): V8 then deserializes the compiled functions instead of
// parsing and compiling ~70 modules' text on every start (Node 20 has no module.enableCompileCache).
// V8 checks a cache against its own version and flags, but of the source it checks only the length and
// of the data itself nothing (its checksum is verified in debug builds only), so the file starts with a
// SHA-256 of the bundle's text and one of the data: a cache made for other text, or damaged, is never
// given to V8. A cache V8 rejects (another Node) just costs the compilation it would have saved.
// CommonJS, like bin.cts: a process that starts from CommonJS and never imports a module does not set
// up Node's ES module loader.
import crypto = require('node:crypto');
import fs = require('node:fs');
import nodeModule = require('node:module');
import path = require('node:path');
import vm = require('node:vm');

const HASH_BYTES = 32;

interface LoadedBundle<T> {
  exports: T;
  /** Whether V8 used the code cache (false: none, made for other text, or rejected by V8). */
  cacheUsed: boolean;
  /** Writes the cache of everything compiled so far (bundle.mjs calls it after a warm-up run). */
  writeCache: () => void;
}

function codeCacheFile(bundle: string): string {
  return `${bundle}.cache`;
}

/** Runs `bundle` as Node runs a CommonJS module, and returns its exports. */
function loadBundle<T>(bundle: string): LoadedBundle<T> {
  const source = fs.readFileSync(bundle, 'utf8');
  const key = crypto.hash('sha256', source, 'buffer');
  const cached = readCache(codeCacheFile(bundle), key);
  // The wrapper Node puts around a CommonJS module; the bundle's text starts on the wrapper's line.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n})`, {
    filename: bundle,
    ...(cached ? { cachedData: cached } : {}),
    // Node 20 resolves an import() left in the bundle from the working folder (a callback of our own
    // needs --experimental-vm-modules): bundle.mjs refuses to write a bundle with one.
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const module = { exports: {} as T };
  script.runInThisContext()(module.exports, nodeModule.createRequire(bundle), module, bundle, path.dirname(bundle));
  return {
    exports: module.exports,
    cacheUsed: cached !== undefined && script.cachedDataRejected !== true,
    writeCache: () => {
      const data = script.createCachedData();
      fs.writeFileSync(codeCacheFile(bundle), Buffer.concat([key, crypto.hash('sha256', data, 'buffer'), data]));
    },
  };
}

function readCache(file: string, key: Buffer): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return undefined; // not made (a build without bundle.mjs): compile as usual
  }
  if (bytes.length <= 2 * HASH_BYTES || !key.equals(bytes.subarray(0, HASH_BYTES))) return undefined;
  const data = bytes.subarray(2 * HASH_BYTES);
  return crypto.hash('sha256', data, 'buffer').equals(bytes.subarray(HASH_BYTES, 2 * HASH_BYTES)) ? data : undefined;
}

export = { codeCacheFile, loadBundle };
