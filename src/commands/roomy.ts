// A large events file is built in a worker thread whose young generation is four times V8's
// default. Loading and rendering 100,000 events keeps most of what it makes alive until the end, so
// with the default 16 MB semi-spaces the garbage collector copies the same objects again and again
// (about a sixth of the build, 129 scavenges). The young generation is fixed when a V8 heap is made
// (v8.setFlagsFromString cannot widen it afterwards), and a worker's heap is the one Node lets a
// program size from inside: the same command runs again there, with the same arguments, and its exit
// code is the process's. Small files build in the process itself: a worker's start-up (~30 ms) would
// cost them more than the garbage collector does.
import { stat } from 'node:fs/promises';
import type { Terminal } from './io.js';

/** worker_threads, loaded only for a large file: it costs every build and check ~4 ms to load. */
const threads = () => process.getBuiltinModule('node:worker_threads') as typeof import('node:worker_threads');

/** Files from this size on are built in the roomy worker (~30,000 events of the usual size). */
const LARGE_FILE_BYTES = 24 * 1024 * 1024;
/** Semi-spaces of 64 MB (V8's young generation is three semi-spaces' worth). */
export const ROOMY_YOUNG_GENERATION_MB = 192;

/**
 * Runs this process's command again in a roomy worker when `file` is large, and gives its exit code;
 * undefined when the command should go on here (a small or unreadable file: the command reports it;
 * already in a worker; `CHRONICLE_LARGE_FILE_MB=off`, `false` or `no`).
 */
export async function rerunIfLarge(
  file: string,
  env: Record<string, string | undefined>,
  terminal: () => Terminal,
): Promise<number | undefined> {
  if (process.argv[1] === undefined) return undefined;
  const setting = env.CHRONICLE_LARGE_FILE_MB;
  // As lenient as CHRONICLE_CACHE: off words turn it off, a whole number of MB moves the threshold,
  // anything else keeps the default.
  if (/^(off|false|no)$/i.test(setting ?? '')) return undefined;
  const from = setting !== undefined && /^\d+$/.test(setting) ? Number(setting) * 1024 * 1024 : LARGE_FILE_BYTES;
  const size = await stat(file).then(
    (info) => (info.isFile() ? info.size : -1),
    () => -1,
  );
  if (size < from || !threads().isMainThread) return undefined;
  return runInRoomyWorker(process.argv[1], process.argv.slice(2), terminal());
}

/** Runs `entry` (a script that reads process.argv) in a worker with the roomy young generation;
 * `terminal` is what this process knows of its terminal (the worker's stdout is a pipe). */
export function runInRoomyWorker(entry: string, argv: string[], terminal?: Terminal): Promise<number> {
  return new Promise((done, fail) => {
    const worker = new (threads().Worker)(entry, {
      argv,
      resourceLimits: { maxYoungGenerationSizeMb: ROOMY_YOUNG_GENERATION_MB },
      ...(terminal ? { workerData: { terminal } } : {}),
    });
    // The entry reports its own errors (bin.cts): an 'error' here is one it could not catch.
    worker.once('error', fail);
    worker.once('exit', done);
  });
}
