// Events already read, by the hash of their item's text: a rebuild after one `add` (or a save in
// serve) reads and validates only the items whose text changed. What an item's entry holds is a pure
// function of its text and of the loading code (a cache belongs to one fingerprint of that code), so
// a hit gives the value a fresh read would give. Only items of loads without an error are kept, and
// only those the last load used (one file's worth). Checks that need the whole file (unique ids,
// references, order, lint) still run on every load. `build` keeps it in a file (io/item-cache-file.ts),
// `serve` in memory.
import { hash } from 'node:crypto';
import type { ItemReuse, ParsedItem } from './fast-yaml.js';

/** An item as kept: the hash of its text, where its content ends (relative to its start), its value. */
export type ItemEntry = [key: string, end: number, value: unknown];

export class ItemCache implements ItemReuse {
  /** A hash of the loading code's fingerprint: entries of another one are never used. */
  readonly code: string;
  private previous: Map<string, ItemEntry>;
  private current = new Map<string, ItemEntry>();
  /** The keys of this load's items, in file order, and whether each came from the cache. */
  private keys: string[] = [];
  private hits: boolean[] = [];
  private fresh: ItemEntry[] = [];
  /** Entries kept since the cache was made: what a file that held `entries` lacks. */
  added: ItemEntry[] = [];
  /** The text of the load before this one and its items' keys by start (end, key): a key is a pure
   * function of the item's text, so an item whose text lies in the part the two texts share at their
   * start or at their end takes its key from there instead of hashing it again (a save in serve
   * hashes only the items it touched). */
  private lastText: string | undefined;
  private lastSpans = new Map<number, [end: number, key: string]>();
  private loadText: string | undefined;
  private loadSpans = new Map<number, [end: number, key: string]>();
  private prefix = 0;
  private suffix = 0;

  /** `fingerprint`: changes whenever the code that reads and validates items changes. */
  constructor(fingerprint: string, entries: Iterable<ItemEntry> = []) {
    this.code = codeHash(fingerprint);
    this.previous = new Map();
    for (const entry of entries) this.previous.set(entry[0], entry);
  }

  /** Starts a load: forgets the items of a load that was not finished. */
  begin(): void {
    if (this.loadText !== undefined) {
      this.lastText = this.loadText;
      this.lastSpans = this.loadSpans;
      this.loadText = undefined;
      this.loadSpans = new Map();
    }
    this.keys = [];
    this.hits = [];
    this.fresh = [];
  }

  reuse(text: string, start: number, end: number): ParsedItem | undefined {
    if (this.loadText !== text) this.startText(text);
    const key = this.knownKey(text, start, end) ?? hash('sha256', text.slice(start, end), 'base64url');
    this.loadSpans.set(start, [end, key]);
    this.keys.push(key);
    const entry = this.previous.get(key) ?? this.current.get(key);
    this.hits.push(entry !== undefined);
    if (!entry) return undefined;
    this.current.set(key, entry);
    return { value: entry[2], end: entry[1] };
  }

  /** The first item of a load: how much of its text is the last load's, at the start and at the end. */
  private startText(text: string): void {
    this.loadText = text;
    this.loadSpans = new Map();
    const last = this.lastText;
    if (last === undefined) {
      this.prefix = this.suffix = 0;
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

  /** The key the last load gave the same text, when the item lies in a part both texts share. */
  private knownKey(text: string, start: number, end: number): string | undefined {
    if (this.lastText === undefined) return undefined;
    if (end <= this.prefix) {
      const span = this.lastSpans.get(start);
      if (span && span[0] === end) return span[1];
    }
    if (start >= text.length - this.suffix) {
      const shift = this.lastText.length - text.length;
      const span = this.lastSpans.get(start + shift);
      if (span && span[0] === end + shift) return span[1];
    }
    return undefined;
  }

  read(_text: string, _start: number, _end: number, item: ParsedItem): void {
    const key = this.keys.at(-1);
    if (key !== undefined) this.fresh.push([key, item.end, item.value]);
  }

  /** How many items the last load read (or reused) through this cache. */
  get count(): number {
    return this.keys.length;
  }

  /** Item i of the last load came from the cache, so its own checks passed before. */
  reused(index: number): boolean {
    return this.hits[index] === true;
  }

  /** Whether some item of the last load came from the cache. */
  get anyReused(): boolean {
    return this.hits.includes(true);
  }

  /** A key of item i of the last load: the hash of its text, and of the loading code. */
  keyOf(index: number): string | undefined {
    const key = this.keys[index];
    return key === undefined ? undefined : `${this.code}.${key}`;
  }

  /** Ends a load that had no error: its new items are kept, and what it did not use is dropped. */
  accept(): void {
    for (const entry of this.fresh) {
      if (this.current.has(entry[0])) continue;
      this.current.set(entry[0], entry);
      this.added.push(entry);
    }
    this.fresh = [];
    this.previous = this.current;
    this.current = new Map();
  }

  /** Ends a load that had errors (or was not read item by item): nothing of it is kept, the earlier
   * entries stay. */
  reject(): void {
    for (const [key, entry] of this.current) this.previous.set(key, entry);
    this.current = new Map();
    this.fresh = [];
  }

  /** The kept entries (after `accept`). */
  entries(): IterableIterator<ItemEntry> {
    return this.previous.values();
  }

  /** How many entries are kept. */
  get size(): number {
    return this.previous.size;
  }
}

/** The short hash of a fingerprint of the loading code that names a cache's generation. */
export function codeHash(fingerprint: string): string {
  return hash('sha256', fingerprint, 'base64url').slice(0, 16);
}
