// Every cache folder keeps at most so many files: the oldest (by modification time) go first.
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export async function evictOldest(folder: string, suffix: string, keep: number): Promise<void> {
  const names = (await readdir(folder)).filter((n) => n.endsWith(suffix));
  if (names.length <= keep) return;
  const dated = await Promise.all(names.map(async (name) => ({ name, time: (await stat(join(folder, name))).mtimeMs })));
  dated.sort((a, b) => a.time - b.time);
  await Promise.all(dated.slice(0, names.length - keep).map(({ name }) => rm(join(folder, name), { force: true })));
}
