// Events already read, by the hash of their item's text: a rebuild after one `add` (or a save in
// serve) reads and validates only the items whose text changed. What an item's entry holds is a pure
// function of its text and of the loading code (a cache belongs to one fingerprint of that code), so
// a hit gives the value a fresh read would give. Only items of loads without an error are kept, and
// only those the last load used (one file's worth). Checks that need the whole file (unique ids,
// references, order, lint) still run on every load. `build` keeps it in a file (io/item-cache-file.ts),
// `serve` in memory.
//
// A load also remembers its text and where each item lay. The next load compares its text with that
// one (the part they share at the start, and at the end): an item whose text, and the line that ends
// it, lie in the shared part is the same item as before, so the reader takes whole runs of such items
// without scanning, hashing or character-checking them (a save in serve costs what it changed).
// In memory (serve) the last text itself is compared; a layout kept in a file (build) holds, instead
// of the text, where its blocks of up to 16 K end and the sha256 of each: the shared start and end
// are then found by hashing the new text's blocks, at the same places from the start and moved by
// the change in length from the end, until one differs: a few milliseconds for 8 MB where reading and
// writing the text again cost tens. The next layout keeps the blocks found equal (those of the end at
// their new places) and cuts only the changed part into new ones, so a rebuild hashes its text once.
// A block's hash stands for its text as an item's key does; the shared parts found are at most a
// block shorter than the true ones, and the items there are read and hashed as changed ones are.
import { hash } from 'node:crypto';
import type { ItemReuse, ItemSpan, ParsedItem } from './fast-yaml.js';
import type { BuiltEvents, TimelineEvent } from './model.js';

/** An item as kept: the hash of its text, where its content ends (relative to its start), its value;
 * and, read from a cache file, the event built from it (see `eventEntry`). */
export type ItemEntry = [key: string, end: number, value: unknown, event?: TimelineEvent];

/** An entry of a cache file that holds the event built from the item rather than the item's value
 * (JSON of both would be read slower than the event alone, and the event built again). Its value is
 * then only what the whole-file checks read of a reused item (validate.ts: the id, whether there is a
 * date, the status, and the references): a load that finds an error reads the text again without
 * the cache, so no other check ever sees such a value. The event's index is set by the load that
 * takes it (-1 until then). */
export function eventEntry(key: string, end: number, event: TimelineEvent): ItemEntry {
  // Every field, in one order (undefined reads as absent to those checks): one shape for 10,000.
  const value = {
    id: event.id,
    status: event.status,
    date: event.date?.text,
    claimed_by: event.claimedBy,
    actors: event.actors,
    tags: event.tags,
    related: event.related,
  };
  event.index = -1;
  return [key, end, value, event];
}

/** Where the items of one load lay: facts about its text only, whatever became of the load. */
export interface ItemLayout {
  /** The text itself (a load in this process), or none (a layout read from a file: `ends`, `hashes`). */
  text?: string;
  length: number;
  /** When `text` is not kept: the text cut in blocks, each starting where the one before ends (the
   * first at 0, the last ending at `length`), by where each ends and the sha256 of its characters. */
  ends?: number[];
  hashes?: string[];
  /** The fast reader read the whole text: it holds none of the characters the reader refuses. */
  clean: boolean;
  starts: number[];
  /** Where each item's text ends (the start of the line that ends it, or the end of the text). */
  stops: number[];
  /** Just past the last character the end of the item was decided by (the end of the text + 1 when
   * no line ended it): an item is the same only if these characters are too. */
  seens: number[];
  keys: string[];
  /** With `now`: per item, '1' when the lint rules found nothing in its event under that now (the
   * rules read only the event and now: rules.ts), else '0'. */
  quiet?: string[];
  now?: string;
}

const emptyLayout = (text: string): ItemLayout => ({
  text,
  length: text.length,
  clean: false,
  starts: [],
  stops: [],
  seens: [],
  keys: [],
  quiet: [],
});

/** The characters of a block whose hash a layout file keeps. 16 K: 1,000 hashes for an 8 MB file. */
export const BLOCK = 16_384;

/** sha256 of a text, base64url: a layout's block hashes and its checksum (io/item-cache-file.ts). */
export function blockHash(block: string): string {
  return hash('sha256', block, 'base64url');
}

/** Cuts `text` from `from` to `to` into blocks of `size` characters (the last one shorter). */
function cut(text: string, from: number, to: number, size: number, ends: number[], hashes: string[]): void {
  for (let at = from; at < to; at += size) {
    const end = Math.min(to, at + size);
    ends.push(end);
    hashes.push(blockHash(text.slice(at, end)));
  }
}

export class ItemCache implements ItemReuse {
  /** A hash of the loading code's fingerprint: entries of another one are never used. */
  readonly code: string;
  /** Every entry kept, by key (pruned to the last accepted load's when it grows past twice that). */
  private kept = new Map<string, ItemEntry>();
  /** Events built from the kept items (`keepEvents`: serve, whose loads follow one another in memory).
   * Never one with a picture: resolving a local picture fills in its event. */
  private built: Map<string, TimelineEvent> | undefined;
  /** Events built from items read (not taken from a cache file), for a cache file's entries (never
   * one with a picture); pruned as the kept entries are. */
  private made = new Map<string, TimelineEvent>();
  /** Whether this load took an item whose value is only what the whole-file checks read. */
  private partial = false;
  /** The keys of the last load without an error (undefined before the first). */
  private acceptedKeys: string[] | undefined;
  /** Per item of this load, in file order, the entry it was taken from the cache (undefined: read),
   * so that its event is found without a second lookup by key. */
  private taken: (ItemEntry | undefined)[] = [];
  private fresh: ItemEntry[] = [];
  /** Entries kept since the cache was made: what a file that held `entries` lacks. */
  added: ItemEntry[] = [];
  private last: ItemLayout | undefined;
  private load: ItemLayout | undefined;
  /** How much of this load's text is the last load's, at its start and at its end. */
  private prefix = 0;
  private suffix = 0;
  /** How many of the last layout's blocks this load's text has at its start, and the first of those
   * it has at its end (moved by the change in length): the comparison hashed them already. */
  private headBlocks = 0;
  private tailBlock = 0;

  /** The largest block of the layouts this cache describes by hashes (see BLOCK). */
  readonly block: number;

  /** `fingerprint`: changes whenever the code that reads and validates items changes. `block`: small
   * in tests, so that a text of a few hundred characters spans many blocks. */
  constructor(fingerprint: string, entries: Iterable<ItemEntry> = [], options: { keepEvents?: boolean; block?: number } = {}) {
    this.code = codeHash(fingerprint);
    this.block = options.block ?? BLOCK;
    if (options.keepEvents) this.built = new Map();
    for (const entry of entries) this.kept.set(entry[0], entry);
  }

  /** The layout of the last load, to compare the next one with (build keeps it in a file). */
  get layout(): ItemLayout | undefined {
    return this.load ?? this.last;
  }

  /** Whether the last load's text is the very text the one before it read. */
  get sameText(): boolean {
    const { load, last } = this;
    return load !== undefined && last !== undefined && load.length === last.length && this.prefix === load.length;
  }

  /** How much of the last load's text was found to be the text before it's, at its start and at its
   * end (tests hold these to the true amounts). */
  get shared(): [prefix: number, suffix: number] {
    return [this.prefix, this.suffix];
  }

  /** The blocks of the last load's text, for a layout file: those the comparison found equal to the
   * last layout's are kept (the ones of the end moved by the change in length), the rest is cut anew
   * and hashed. */
  blocks(): { ends: number[]; hashes: string[] } | undefined {
    const layout = this.layout;
    const text = layout?.text;
    if (text === undefined) return undefined;
    const last = this.last;
    const ends: number[] = [];
    const hashes: string[] = [];
    if (layout !== this.load || !last?.ends || !last.hashes) {
      cut(text, 0, text.length, this.block, ends, hashes);
      return { ends, hashes };
    }
    for (let k = 0; k < this.headBlocks; k++) {
      ends.push(last.ends[k]!);
      hashes.push(last.hashes[k]!);
    }
    const from = this.prefix;
    const shift = text.length - last.length;
    // The blocks of the end, from the first that starts where the start's blocks end or after.
    let j = this.tailBlock;
    while (j < last.ends.length && (j > 0 ? last.ends[j - 1]! : 0) + shift < from) j++;
    cut(text, from, j < last.ends.length ? (j > 0 ? last.ends[j - 1]! : 0) + shift : text.length, this.block, ends, hashes);
    for (; j < last.ends.length; j++) {
      ends.push(last.ends[j]! + shift);
      hashes.push(last.hashes[j]!);
    }
    // Edits leave short blocks where they cut: past twice as many blocks as needed, cut all anew.
    if (ends.length > 2 * Math.ceil(text.length / this.block) + 8) {
      ends.length = 0;
      hashes.length = 0;
      cut(text, 0, text.length, this.block, ends, hashes);
    }
    return { ends, hashes };
  }

  /** A layout an earlier process saved: the next load compares its text with it. */
  restore(layout: ItemLayout): void {
    this.last ??= layout;
  }

  /** Starts a load: forgets the items of a load that was not finished. */
  begin(): void {
    // A text the reader took whole is the better one to compare the next with (a save with a syntax
    // error is usually followed by its fix, which resembles the text before the error).
    if (this.load && (this.load.clean || !this.last?.clean)) this.last = this.load;
    this.load = undefined;
    this.taken = [];
    this.fresh = [];
    this.partial = false;
  }

  /** Whether the last load took values that only the whole-file checks may read (see eventEntry). */
  get partialValues(): boolean {
    return this.partial;
  }

  /** The event built from the item of `key`, if this cache has it (for a cache file's entries). */
  eventOf(key: string): TimelineEvent | undefined {
    return this.made.get(key) ?? this.kept.get(key)?.[3];
  }

  private layoutOf(text: string): ItemLayout {
    if (this.load?.text === text) return this.load;
    const layout = emptyLayout(text);
    this.load = layout;
    this.compare(text);
    return layout;
  }

  /** How much of `text` is the last load's, at the start and at the end. */
  private compare(text: string): void {
    this.headBlocks = this.tailBlock = 0;
    const last = this.last?.text;
    if (last === undefined) {
      this.prefix = this.suffix = 0;
      if (this.last?.ends && this.last.hashes) this.compareBlocks(text, this.last.ends, this.last.hashes, this.last.length);
      return;
    }
    const most = Math.min(text.length, last.length);
    const STEP = 4096;
    let prefix = 0;
    while (prefix + STEP <= most && text.slice(prefix, prefix + STEP) === last.slice(prefix, prefix + STEP)) prefix += STEP;
    while (prefix < most && text.charCodeAt(prefix) === last.charCodeAt(prefix)) prefix++;
    let suffix = 0;
    while (
      suffix + STEP <= most &&
      text.slice(text.length - suffix - STEP, text.length - suffix) === last.slice(last.length - suffix - STEP, last.length - suffix)
    )
      suffix += STEP;
    while (suffix < most && text.charCodeAt(text.length - suffix - 1) === last.charCodeAt(last.length - suffix - 1)) suffix++;
    this.prefix = prefix;
    this.suffix = suffix;
  }

  /** The same from block hashes: as far as the blocks are equal (equal hashes, equal texts), at the
   * same places from the start, and moved by the change in length from the end. */
  private compareBlocks(text: string, ends: number[], hashes: string[], length: number): void {
    let k = 0;
    let start = 0;
    for (; k < ends.length && ends[k]! <= text.length; k++) {
      if (blockHash(text.slice(start, ends[k])) !== hashes[k]) break;
      start = ends[k]!;
    }
    this.headBlocks = k;
    this.prefix = start;
    if (k === ends.length && text.length === length) {
      // The very text: its end is all of it too.
      this.suffix = length;
      return;
    }
    const shift = text.length - length;
    let j = ends.length;
    let end = length;
    for (; j > 0; j--) {
      const from = j > 1 ? ends[j - 2]! : 0;
      if (from + shift < 0 || blockHash(text.slice(from + shift, ends[j - 1]! + shift)) !== hashes[j - 1]) break;
      end = from;
    }
    this.tailBlock = j;
    this.suffix = length - end;
  }

  unchecked(text: string): [from: number, to: number] {
    this.layoutOf(text);
    if (!this.last?.clean) return [0, text.length];
    // Every character lies in the shared start or the shared end, which the reader took last time;
    // pairs of characters (CR LF, surrogate pairs) that straddle the changed part are looked at again.
    let from = Math.max(0, this.prefix - 1);
    let to = Math.min(text.length, text.length - this.suffix + 1);
    if (from >= to) return [0, 0];
    if (from > 0 && isLowSurrogate(text.charCodeAt(from))) from--;
    if (to < text.length && (isHighSurrogate(text.charCodeAt(to - 1)) || text.charCodeAt(to - 1) === 13)) to++;
    return [from, to];
  }

  accepted(text: string): void {
    this.layoutOf(text).clean = true;
  }

  run(text: string, start: number, values: unknown[], spans: ItemSpan[]): number {
    const load = this.layoutOf(text);
    const last = this.last;
    if (!last) return -1;
    const inPrefix = start < this.prefix;
    if (!inPrefix && start < text.length - this.suffix) return -1;
    const shift = inPrefix ? 0 : last.length - text.length;
    let k = indexOf(last.starts, start + shift);
    if (k === -1) return -1;
    let next = -1;
    for (; k < last.starts.length; k++) {
      const at = last.starts[k]! - shift;
      if (next !== -1 && at !== next) break;
      if (inPrefix ? last.seens[k]! > this.prefix : at < text.length - this.suffix) break;
      const key = last.keys[k]!;
      const entry = this.kept.get(key);
      if (!entry) break;
      if (entry[3]) this.partial = true;
      values.push(entry[2]);
      spans.push({ start: at, end: at + entry[1] });
      next = last.stops[k]! - shift;
      load.starts.push(at);
      load.stops.push(next);
      load.seens.push(last.seens[k]! - shift);
      load.keys.push(key);
      load.quiet?.push(last.quiet?.[k] ?? '0');
      this.taken.push(entry);
    }
    return next;
  }

  reuse(text: string, start: number, end: number, seen: number): ParsedItem | undefined {
    const load = this.layoutOf(text);
    const key = this.knownKey(text, start, end) ?? hash('sha256', text.slice(start, end), 'base64url');
    load.starts.push(start);
    load.stops.push(end);
    load.seens.push(seen);
    load.keys.push(key);
    load.quiet?.push('0');
    const entry = this.kept.get(key);
    this.taken.push(entry);
    if (!entry) return undefined;
    if (entry[3]) this.partial = true;
    return { value: entry[2], end: entry[1] };
  }

  /** The key the last load gave the same text, when the item lies in a part both texts share. */
  private knownKey(text: string, start: number, end: number): string | undefined {
    const last = this.last;
    if (!last) return undefined;
    if (end <= this.prefix) {
      const k = indexOf(last.starts, start);
      if (k !== -1 && last.stops[k] === end) return last.keys[k];
    }
    if (start >= text.length - this.suffix) {
      const shift = last.length - text.length;
      const k = indexOf(last.starts, start + shift);
      if (k !== -1 && last.stops[k] === end + shift) return last.keys[k];
    }
    return undefined;
  }

  read(_text: string, _start: number, _end: number, item: ParsedItem): void {
    const key = this.load?.keys.at(-1);
    if (key !== undefined) this.fresh.push([key, item.end, item.value]);
  }

  /** Whether event i of this load (its index: its item's) is known to have no lint finding under
   * `now`: its item had none under the same now in the load this one shares it with. */
  quietUnder(now: string): ((event: { index: number }) => boolean) | undefined {
    const quiet = this.load?.quiet;
    if (!quiet || this.last?.now !== now) return undefined;
    return (event) => quiet[event.index] === '1';
  }

  /** Records which items of this load had lint findings under `now` (all of its events were linted). */
  linted(now: string, findings: { path: readonly unknown[] }[]): void {
    const load = this.load;
    if (!load?.quiet || load.quiet.length !== load.keys.length) return;
    load.quiet.fill('1');
    for (const finding of findings) {
      const index = finding.path[1];
      if (typeof index === 'number' && index < load.quiet.length) load.quiet[index] = '0';
    }
    load.now = now;
  }

  /** Whether the layout of this load says what the last one's said (nothing to write). */
  get sameLayout(): boolean {
    return this.sameText && this.load?.now === this.last?.now && this.load?.quiet?.join('') === this.last?.quiet?.join('');
  }

  /** How many items the last load read (or reused) through this cache. */
  get count(): number {
    return this.load?.keys.length ?? 0;
  }

  /** Item i of the last load came from the cache, so its own checks passed before. */
  reused(index: number): boolean {
    return this.taken[index] !== undefined;
  }

  /** Per item of the last load, whether it came from the cache (see `reused`). */
  get reusedItems(): readonly boolean[] {
    return this.taken.map((entry) => entry !== undefined);
  }

  /** Whether some item of the last load came from the cache. */
  get anyReused(): boolean {
    return this.taken.some((entry) => entry !== undefined);
  }

  /** A key of item i of the last load: the hash of its text, and of the loading code. */
  keyOf(index: number): string | undefined {
    const key = this.load?.keys[index];
    return key === undefined ? undefined : `${this.code}.${key}`;
  }

  /** Ends a load that had no error: its new items are kept, and what it did not use is dropped. */
  accept(): void {
    for (const entry of this.fresh) {
      if (this.kept.has(entry[0])) continue;
      this.kept.set(entry[0], entry);
      this.added.push(entry);
    }
    this.fresh = [];
    const keys = this.load?.keys ?? [];
    this.acceptedKeys = keys;
    if (this.kept.size > 2 * keys.length + 64) {
      const kept = new Map<string, ItemEntry>();
      for (const key of keys) kept.set(key, this.kept.get(key)!);
      this.kept = kept;
    }
    if (this.made.size > 2 * keys.length + 64) {
      const made = new Map<string, TimelineEvent>();
      for (const key of keys) {
        const event = this.made.get(key);
        if (event) made.set(key, event);
      }
      this.made = made;
    }
    if (this.built && this.built.size > 2 * keys.length + 64) {
      const built = new Map<string, TimelineEvent>();
      for (const key of keys) {
        const event = this.built.get(key);
        if (event) built.set(key, event);
      }
      this.built = built;
    }
  }

  /** For buildTimeline, after a load without an error: the events built before from this load's items
   * (in memory, or read from a cache file), and a record of those it builds. */
  builtEvents(): BuiltEvents | undefined {
    const built = this.built;
    const keys = this.load?.keys;
    const taken = this.taken;
    if (!keys) return undefined;
    return {
      get: (index) => {
        const entry = taken[index];
        if (!entry) return undefined;
        const known = built?.get(keys[index]!);
        if (known) return known;
        const event = entry[3];
        // Taken for the first time: it is this load's (buildTimeline copies it for a second place).
        if (event?.index === -1) event.index = index;
        return event;
      },
      set: (index, event) => {
        if (event.image) return;
        const key = keys[index]!;
        built?.set(key, event);
        if (!taken[index] || !this.made.has(key)) this.made.set(key, event);
      },
    };
  }

  /** Ends a load that had errors (or was not read item by item): nothing of it is kept, the earlier
   * entries stay. */
  reject(): void {
    this.fresh = [];
  }

  /** The kept entries: those of the last load without an error (all of them before one). */
  *entries(): IterableIterator<ItemEntry> {
    if (!this.acceptedKeys) {
      yield* this.kept.values();
      return;
    }
    const seen = new Set<string>();
    for (const key of this.acceptedKeys) {
      if (seen.has(key)) continue;
      seen.add(key);
      yield this.kept.get(key)!;
    }
  }

  /** How many items the last accepted load had (entries kept, if none was accepted): at least as
   * many as its distinct entries, without counting them. */
  get acceptedCount(): number {
    return this.acceptedKeys?.length ?? this.kept.size;
  }

  /** How many entries are kept. */
  get size(): number {
    return this.acceptedKeys ? new Set(this.acceptedKeys).size : this.kept.size;
  }
}

/** The index of `value` in ascending `sorted`, or -1. */
function indexOf(sorted: number[], value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const at = sorted[mid]!;
    if (at === value) return mid;
    if (at < value) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/** The short hash of a fingerprint of the loading code that names a cache's generation. */
export function codeHash(fingerprint: string): string {
  return hash('sha256', fingerprint, 'base64url').slice(0, 16);
}
