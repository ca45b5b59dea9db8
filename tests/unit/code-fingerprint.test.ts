// A cache generation belongs to one build of chronicle AND one version of each library whose output
// it holds: upgrading markdown-it or Handlebars alone must not serve fragments the old one rendered.
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { codeFingerprint as checkFingerprint } from '../../src/io/check-cache.js';
import { codeFingerprint } from '../../src/pipeline/code-fingerprint.js';
import { renderCodeFingerprint } from '../../src/pipeline/fragments.js';
import { ROOT } from '../helpers.js';

const version = (name: string) => JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
const folder = mkdtempSync(join(tmpdir(), 'chronicle-fingerprint-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('code fingerprints', () => {
  it('name the installed version of every library whose output is cached', () => {
    for (const name of ['handlebars', 'markdown-it', 'dayjs']) expect(renderCodeFingerprint()).toContain(`${name}@${version(name)}`);
    for (const name of ['js-yaml', 'zod', 'dayjs']) expect(checkFingerprint()).toContain(`${name}@${version(name)}`);
  });

  it('cover the template compiler and its runtime (a change there renders fragments again)', () => {
    for (const name of ['compile', 'compile-runtime']) expect(renderCodeFingerprint()).toMatch(new RegExp(`render[\\\\/]${name}\\.[jt]s:`));
  });

  it('change when a file of the code changes, in a named folder or named alone', () => {
    const file = join(folder, 'a.js');
    writeFileSync(file, 'one');
    const before = codeFingerprint([folder, file], []);
    expect(codeFingerprint([folder, file], [])).toBe(before);
    writeFileSync(file, 'two!');
    utimesSync(file, 1, 1);
    expect(codeFingerprint([folder, file], [])).not.toBe(before);
  });

  it('says so when a library cannot be found, rather than failing the build', () => {
    expect(codeFingerprint([], ['no-such-package-here'])).toBe('no-such-package-here@unknown');
  });
});
