// A file's bytes in one read. fs.promises.readFile reads 512 KB at a time, each read a job of its own
// for the thread pool, queued behind the other jobs of the moment (a build reads its events file and
// two cache files at once): an 8 MB file took 16 round trips while the main thread had nothing to do.
import { open } from 'node:fs/promises';

export async function readWhole(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const info = await handle.stat();
    // A pipe or a device has no size to read at once, nor has a file of /proc (size 0, and text).
    if (!info.isFile() || info.size === 0) return await handle.readFile();
    const bytes = Buffer.allocUnsafe(info.size);
    let at = 0;
    while (at < info.size) {
      const { bytesRead } = await handle.read(bytes, at, info.size - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return bytes.subarray(0, at);
  } finally {
    await handle.close();
  }
}
