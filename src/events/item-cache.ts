// Events already read, by the hash of their item's text: a rebuild after one `add` (or a save in
// serve) reads and validates only the items whose text changed. What an item's entry holds is a pure
// function of its text and of the loading code (the fingerprint is part of every key), so a hit gives
// the value a fresh read would give. Only items of files that loaded without an error are kept, and
// only those the last load used (one file's worth). Checks that need the whole file (unique ids,
// references, order, lint) still run on every load. `build` keeps it in a file (io/item-cache-file.ts),
// `serve` in memory.
import { hash } from 'node:crypto';
import type { ItemReuse, ParsedItem } from './fast-yaml.js';

/** An item as kept: its key, where its content ends (relative to its start) and its value. */
export type ItemEntry = [key: string, end: number, value: unknown];

export class ItemCache implements ItemReuse {
  private previous: Map<string, ItemEntry>;
  private current = new Map<string, ItemEntry>();
  /** The keys of this load's items, in file order, and whether each came from the cache. */
  private keys: string[] = [];
  private hits: boolean[] = [];
  private fresh: ItemEntry[] = [];
  /** Whether the kept entries differ from what was read (else there is nothing to save). */
  changed = false;

  /** `fingerprint`: changes whenever the code that reads and validates items changes. */
  private readonly fingerprint: string;

  /** `fingerprint`: changes whenever the code that reads and validates items changes. */
  constructor(fingerprint: string, entries: Iterable<ItemEntry> = []) {
    this.fingerprint = hash('sha256', fingerprint, 'base64url');
    this.previous = new Map();
    for (const entry of entries) this.previous.set(entry[0], entry);
  }

  /** Starts a load: forgets the items of a load that was not finished. */
  begin(): void {
    this.keys = [];
    this.hits = [];
    this.fresh = [];
  }

  reuse(text: string, start: number, end: number): ParsedItem | undefined {
    const key = itemKey(this.fingerprint, text.slice(start, end));
    this.keys.push(key);
    const entry = this.previous.get(key) ?? this.current.get(key);
    this.hits.push(entry !== undefined);
    if (!entry) return undefined;
    this.current.set(key, entry);
    return { value: entry[2], end: entry[1] };
  }

  read(_text: string, _start: number, _end: number, item: ParsedItem): void {
    const key = this.keys.at(-1);
    if (key !== undefined) this.fresh.push([key, item.end, item.value]);
  }

  /** Item i of the last load came from the cache, so its own checks passed before. */
  reused(index: number): boolean {
    return this.hits[index] === true;
  }

  /** How many items the last load read (or reused) through this cache. */
  get count(): number {
    return this.keys.length;
  }

  /** Whether some item of the last load came from the cache. */
  get anyReused(): boolean {
    return this.hits.includes(true);
  }

  /** The key of item i of the last load (the hash of its text and the loading code). */
  keyOf(index: number): string | undefined {
    return this.keys[index];
  }

  /** Ends a load that had no error: its new items are kept, and what it did not use is dropped. */
  accept(): void {
    for (const entry of this.fresh) this.current.set(entry[0], entry);
    if (this.fresh.length > 0 || this.current.size !== this.previous.size) this.changed = true;
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
}

function itemKey(fingerprint: string, text: string): string {
  return hash('sha256', `${fingerprint}\u0000${text}`, 'base64url');
}
