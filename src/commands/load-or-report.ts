// What build, newsletter and serve do first: read the file through the checked reader and load it,
// or print its problems as `check` does.
import type { ItemCache } from '../events/item-cache.js';
import type { Timeline } from '../events/model.js';
import { loadEventsFile } from '../io/load-events-file.js';
import { formatProblems, summarizeProblems } from '../report.js';
import type { CommandIO } from './io.js';

/** The timeline, or undefined after printing its problems. In a function of its own so the file's
 * text (tens of MB for a big file) is not kept alive during the build. */
export async function loadOrReport(
  file: string,
  io: CommandIO,
  now: string | undefined,
  options: { quiet?: boolean; items?: ItemCache } = {},
): Promise<Timeline | undefined> {
  // Warnings are located (a second parse) only by `check`, which prints them; here they are counted.
  const loaded = await loadEventsFile(file, {
    cwd: io.cwd,
    locateWarnings: false,
    ...(now ? { now } : {}),
    ...(options.items ? { items: options.items } : {}),
  });
  if (loaded.timeline) {
    const count = loaded.warningCount ?? 0;
    if (count > 0 && !options.quiet) {
      io.stderr(`chronicle: ${count} warning${count === 1 ? '' : 's'} in ${loaded.file}: run chronicle check ${loaded.file} to see them\n`);
    }
    return loaded.timeline;
  }
  io.stderr(`${formatProblems(loaded.problems, { sources: new Map([[loaded.file, loaded.text]]), color: io.color })}\n\n`);
  io.stderr(`${summarizeProblems(loaded.file, loaded.problems)}; nothing was built\n`);
  return undefined;
}
