// Text + file name -> Timeline, or every problem located at its file, line and column.
// The valid path parses once and never computes a position; locating happens only when there is
// something to report (see yaml-source.ts).
import type { Problem } from '../errors.js';
import type { ItemCache } from './item-cache.js';
import { LineIndex } from './line-index.js';
import { buildTimeline, type Timeline } from './model.js';
import { formatPath, type PathSegment } from './path.js';
import { lintTimeline, RULES } from './rules.js';
import type { EventsFileInput } from './schema.js';
import { hasEventSourceKey, setEventSourceKey } from './source-key.js';
import { todayIso } from './today.js';
import { type Finding, validateEventsValue } from './validate.js';
import { locatePaths, type NodePosition, parseYamlSource, type YamlSource } from './yaml-source.js';

export interface LoadOptions {
  /** The name to show in problems; defaults to `events.yaml`. */
  file?: string;
  /** `YYYY-MM-DD`; overrides `as_of` (DESIGN.md: --now, else as_of, else today). */
  now?: string;
  /** false: warnings are only counted (`warningCount`), not located, which costs a second parse. */
  locateWarnings?: boolean;
  /** false: the file-wide lint rules (warnings) are not run at all: for callers that show no warnings
   * (serve's pages). Errors are checked all the same. */
  lint?: boolean;
  /** Events read before (build: from a file, serve: in memory): only items whose text changed are
   * read and checked on their own again. The result is the same with or without it. */
  items?: ItemCache;
}

export interface LoadResult {
  /** Present when there is no error (warnings allowed). */
  timeline?: Timeline;
  /** Errors and warnings, in file order. */
  problems: Problem[];
  /** With `locateWarnings: false`: how many warnings there are (they are not in `problems`). */
  warningCount?: number;
}

export function loadTimeline(text: string, options: LoadOptions = {}): LoadResult {
  const { source: _source, ...result } = loadTimelineWithSource(text, options);
  return result;
}

/** The same, keeping the parsed YAML (value, event spans) for callers that edit the text. */
export function loadTimelineWithSource(text: string, options: LoadOptions = {}): LoadResult & { source?: YamlSource } {
  const file = options.file ?? 'events.yaml';
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const items = options.items;
  items?.begin();
  const parsed = parseYamlSource(source, items);
  if (!parsed.ok) {
    items?.reject();
    const { line, column } = new LineIndex(source).position(parsed.failure.offset);
    return {
      problems: [
        {
          severity: 'error',
          code: 'yaml-syntax',
          file,
          line,
          column,
          path: '',
          message: parsed.failure.message,
          hint: parsed.failure.hint,
        },
      ],
    };
  }
  // The cache covers the events only when the fast reader read (or reused) every one of them.
  const count = Array.isArray((parsed.source.value as { events?: unknown })?.events)
    ? (parsed.source.value as { events: unknown[] }).events.length
    : -1;
  const cached = items && parsed.source.clean && items.count === count ? items : undefined;
  // Values taken from a cache file hold only what the whole-file checks read of them: when the cache
  // does not cover the load, or the load has an error to report, the text is read again without it.
  if (items?.partialValues && !cached) return loadAgain(text, options, items);
  const errors = validateEventsValue(parsed.source.value, undefined, {
    ...(parsed.source.clean ? { clean: true } : {}),
    ...(cached?.anyReused ? { reused: (i: number) => cached.reused(i) } : {}),
  });
  if (errors.length > 0) {
    if (items?.partialValues) return loadAgain(text, options, items);
    items?.reject();
    return { problems: locate(errors, parsed.source, file) };
  }
  const value = parsed.source.value as EventsFileInput;
  const timeline = buildTimeline(value, options.now ?? value.as_of ?? todayIso(), cached?.builtEvents());
  if (cached) {
    cached.accept();
    for (const event of timeline.events) if (!hasEventSourceKey(event)) setEventSourceKey(event, cached.keyOf(event.index)!);
  } else items?.reject();
  if (options.lint === false) return { timeline, problems: [], source: parsed.source };
  const warnings = lintTimeline(timeline, RULES, cached?.quietUnder(timeline.now));
  cached?.linted(timeline.now, warnings);
  if (options.locateWarnings === false) return { timeline, problems: [], warningCount: warnings.length, source: parsed.source };
  return { timeline, problems: warnings.length > 0 ? locate(warnings, parsed.source, file) : [], source: parsed.source };
}

function loadAgain(text: string, options: LoadOptions, items: ItemCache): LoadResult & { source?: YamlSource } {
  items.reject();
  const { items: _items, ...rest } = options;
  return loadTimelineWithSource(text, rest);
}

/** Locates findings of a check made after loading (e.g. of the picture files), parsing `text` again. */
export function locateFindings(findings: Finding[], text: string, file: string): Problem[] {
  if (findings.length === 0) return [];
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const parsed = parseYamlSource(source);
  if (!parsed.ok) throw new Error('internal: a loaded file did not parse again');
  return locate(findings, parsed.source, file);
}

/** Turns findings (data paths) into problems (file, line, column), sorted by position. */
function locate(findings: Finding[], source: YamlSource, file: string): Problem[] {
  const wanted = new Set<string>();
  for (const finding of findings) {
    for (let n = finding.path.length; n >= 0; n--) wanted.add(formatPath(finding.path.slice(0, n)));
  }
  const positions = locatePaths(source, wanted);
  const lines = new LineIndex(source.text);
  const located = findings.map((finding) => {
    const offset = offsetOf(finding, positions);
    const { line, column } = lines.position(offset);
    const problem: Problem = {
      severity: finding.severity,
      code: finding.code,
      file,
      line,
      column,
      path: formatPath(finding.path),
      message: finding.message,
      ...(finding.hint ? { hint: finding.hint } : {}),
    };
    return { problem, offset };
  });
  located.sort((a, b) => a.offset - b.offset);
  return located.map((l) => l.problem);
}

function offsetOf(finding: Finding, positions: Map<string, NodePosition>): number {
  for (let n = finding.path.length; n >= 0; n--) {
    const path: PathSegment[] = finding.path.slice(0, n);
    const position = positions.get(formatPath(path));
    if (!position) continue;
    if (n === finding.path.length && finding.at === 'key' && position.key !== undefined) return position.key;
    return position.value;
  }
  return 0;
}
