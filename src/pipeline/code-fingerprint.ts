// What a cache generation is made by: our compiled files (size and time: any rebuild or upgrade
// changes them) and the versions of the libraries whose output lands in the cached values. A cached
// value is reused only under the same fingerprint, so upgrading markdown-it or Handlebars alone
// (same chronicle files) cannot serve fragments rendered by the old version.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/** `files`: paths of files, or of folders whose files all count. `packages`: library names. */
export function codeFingerprint(files: string[], packages: string[]): string {
  const parts: string[] = [];
  for (const path of files) {
    const info = statSync(path, { throwIfNoEntry: false });
    if (info?.isDirectory()) {
      for (const name of readdirSync(path).sort()) parts.push(fileStamp(join(path, name)));
    } else parts.push(fileStamp(path));
  }
  for (const name of packages) parts.push(`${name}@${packageVersion(name)}`);
  return parts.join('|');
}

function fileStamp(path: string): string {
  const info = statSync(path, { throwIfNoEntry: false });
  return `${path}:${info?.size}:${info?.mtimeMs}`;
}

/** Read from its package.json, without loading the library (a cached build may never need it). */
export function packageVersion(name: string): string {
  try {
    return String(JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version);
  } catch {
    return 'unknown';
  }
}
