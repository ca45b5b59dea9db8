// Start-up pays only for what a command uses: building a valid file loads neither zod (a hand-written
// shape check vouches for it) nor js-yaml (the fast reader resolves its scalars); a file with an error
// loads zod to describe it. The trace covers ES modules and CommonJS (createRequire) alike.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runBinary, tempDir } from '../helpers.js';

const SEED = readFileSync(join(ROOT, 'events.yaml'), 'utf8');
const IMPORTS = join(ROOT, 'tests/support/trace-imports.mjs');
const REQUIRES = join(ROOT, 'tests/support/trace-requires.cjs');

function traced(dir: string, argv: string[], env: Record<string, string> = { CHRONICLE_CACHE: 'off' }) {
  const trace = join(dir, `modules-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(trace, '');
  const result = runBinary(argv, {
    cwd: dir,
    env: { ...env, TRACE_IMPORTS_FILE: trace, NODE_OPTIONS: `--require ${REQUIRES} --import ${IMPORTS}` },
  });
  const modules = readFileSync(trace, 'utf8');
  return { code: result.code, zod: modules.includes('/node_modules/zod/'), jsYaml: modules.includes('/node_modules/js-yaml/') };
}

describe('lazy imports', () => {
  it('a build or a rebuild of a valid file loads neither zod nor js-yaml', { timeout: 120_000 }, () => {
    const dir = tempDir({ 'events.yaml': SEED });
    expect(traced(dir, ['build', '--no-newsletter', '--quiet'])).toEqual({ code: 0, zod: false, jsYaml: false });
    const warm = { CHRONICLE_CACHE_DIR: join(dir, 'cache') };
    traced(dir, ['build', '--no-newsletter', '--quiet'], warm);
    expect(traced(dir, ['build', '--no-newsletter', '--quiet'], warm)).toEqual({ code: 0, zod: false, jsYaml: false });
  });

  it('a file with a mistake loads zod and js-yaml to describe and locate it', { timeout: 120_000 }, () => {
    const dir = tempDir({ 'events.yaml': SEED.replace(/^ {4}title: .*$/m, '    titel: typo') });
    expect(traced(dir, ['check'])).toEqual({ code: 1, zod: true, jsYaml: true });
  });
});
