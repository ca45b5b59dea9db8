// What a cache generation is made by: our compiled files (size and time: any rebuild or upgrade
// changes them) and the versions of the libraries whose output lands in the cached values. A cached
// value is reused only under the same fingerprint, so upgrading markdown-it or Handlebars alone
// (same chronicle files) cannot serve fragments rendered by the old version.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

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

/** Read from its package.json, without loading the library (a cached build may never need it). The
 * package is looked for as Node looks for it (node_modules/NAME in this folder, then in each parent),
 * not with require.resolve, whose handling of a package's "exports" cost every build ~7 ms. */
export function packageVersion(name: string): string {
  for (let dir = HERE; ; dir = dirname(dir)) {
    if (basename(dir) !== 'node_modules') {
      let text: string | undefined;
      try {
        text = readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8');
      } catch {
        text = undefined;
      }
      if (text !== undefined) {
        try {
          return String(JSON.parse(text).version);
        } catch {
          return 'unknown';
        }
      }
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}
