// A side index of a fragment cache file (pipeline/fragments.ts): where each record lies, in a table by
// its key's first characters, read as one typed array. Finding the records by reading the file cost a
// rebuild some 25-40 ms at 21,000 records (a loop run once per process is never optimised, whatever
// it does per record); with the index a build reads only the records appended since it was written.
// Never trusted: it names the data file by the length it covers and a CRC-32 of the bytes before that
// length, it carries a CRC-32 of its table, and each lookup checks the record it points to (the whole
// key, the tab, the length, inside the covered part). A damaged, stale or foreign index gives misses
// or is ignored, never a wrong fragment.
import { endianness } from 'node:os';
import { crc32 } from 'node:zlib';

/** The table is written as the machine's Uint32Array: a big-endian machine neither reads nor writes one. */
const LITTLE_ENDIAN = endianness() === 'LE';
const MAGIC = 'chronicle-fragment-index 1 LE\n';
/** The magic, padded, then five numbers: the bytes covered, the records, the slots, the data's sum,
 * the table's. */
const HEADER = 52;
const NUMBERS = 32;
/** The data bytes (before the covered length) whose sum names the data file. */
const TAIL_SUMMED = 4096;

/** The length of hashKey's keys: a sha256 in base64url. */
export const KEY_LENGTH = 43;
const PREFIX_LENGTH = 5;
const TAB = 9;
/** fragments.ts's SUM_LENGTH (not imported: fragments.ts imports this module). */
const VALUE_SUM_LENGTH = 8;
const NEWLINE = 10;
const ZERO = 48;

/** Where the records of a data file's first `covered` bytes are. */
export interface FragmentIndex {
  covered: number;
  /** How many records the table holds. */
  count: number;
  /** Slot i: the offset of a record's key (0: empty), at the slot of its prefix or after it. */
  table: Uint32Array;
}

/** The index in `file` when it is one and describes `bytes` (the data file), else undefined. */
export function readIndex(file: Buffer, bytes: Buffer): FragmentIndex | undefined {
  if (!LITTLE_ENDIAN || file.length < HEADER || file.toString('latin1', 0, MAGIC.length) !== MAGIC) return undefined;
  const [covered, count, slots, dataSum, tableSum] = [0, 1, 2, 3, 4].map((i) => file.readUInt32LE(NUMBERS + 4 * i)) as number[] as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (covered > bytes.length || slots === 0 || (slots & (slots - 1)) !== 0 || count > slots || file.length !== HEADER + 4 * slots)
    return undefined;
  if (crc32(bytes.subarray(Math.max(0, covered - TAIL_SUMMED), covered)) !== dataSum) return undefined;
  const tableBytes = file.subarray(HEADER);
  if (crc32(tableBytes) !== tableSum) return undefined;
  const table = new Uint32Array(slots);
  new Uint8Array(table.buffer).set(tableBytes);
  return { covered, count, table };
}

/** An index of the records whose keys start at `offsets` (with their `prefixes`, see keyPrefix) in
 * `data`, a data file's bytes; undefined on a big-endian machine. */
export function writeIndex(offsets: number[], prefixes: number[], data: Buffer): Buffer | undefined {
  if (!LITTLE_ENDIAN) return undefined;
  let slots = 1024;
  while (slots < 2 * offsets.length) slots *= 2;
  const table = new Uint32Array(slots);
  const mask = slots - 1;
  // The last record first: a lookup finds it before an earlier one of the same key (a log's last word).
  for (let i = offsets.length - 1; i >= 0; i--) {
    let slot = prefixes[i]! & mask;
    while (table[slot] !== 0) slot = (slot + 1) & mask;
    table[slot] = offsets[i]!;
  }
  const tableBytes = Buffer.from(table.buffer);
  const header = Buffer.alloc(HEADER, ' ');
  header.write(MAGIC, 0, 'latin1');
  const numbers = [data.length, offsets.length, slots, crc32(data.subarray(Math.max(0, data.length - TAIL_SUMMED))), crc32(tableBytes)];
  for (const [i, n] of numbers.entries()) header.writeUInt32LE(n, NUMBERS + 4 * i);
  return Buffer.concat([header, tableBytes]);
}

/** Where the value of `key` is in `bytes`, by the index: only a record that checks out there. */
export function lookup(index: FragmentIndex, bytes: Buffer, key: string): [start: number, end: number] | undefined {
  const prefix = keyPrefix(key);
  if (prefix === -1) return undefined;
  const { table, covered } = index;
  const mask = table.length - 1;
  for (let slot = prefix & mask, n = 0; n < table.length; slot = (slot + 1) & mask, n++) {
    const at = table[slot]!;
    if (at === 0) return undefined;
    if (at + KEY_LENGTH >= covered || bytesPrefix(bytes, at) !== prefix) continue;
    if (bytes.toString('latin1', at, at + KEY_LENGTH) !== key || bytes[at + KEY_LENGTH] !== TAB) continue;
    const value = recordValue(bytes, at + KEY_LENGTH, covered);
    if (value) return value;
  }
  return undefined;
}

/** The value of the record whose key ends at `tab`: `LENGTH <newline> VALUE`, all before `limit`. */
function recordValue(bytes: Buffer, tab: number, limit: number): [start: number, end: number] | undefined {
  let length = 0;
  let at = tab + 1;
  for (; at < limit && bytes[at] !== NEWLINE; at++) {
    const digit = bytes[at]! - ZERO;
    if (digit < 0 || digit > 9 || at - tab > 10) return undefined;
    length = length * 10 + digit;
  }
  // The value's sum follows it (fragments.ts checks it when the value is used).
  if (at === tab + 1 || at >= limit || at + 1 + length + VALUE_SUM_LENGTH > limit) return undefined;
  return [at + 1, at + 1 + length];
}

/** Each base64url character's value, -1 for any other byte. */
const BASE64URL = (() => {
  const values = new Int8Array(128).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  for (let i = 0; i < alphabet.length; i++) values[alphabet.charCodeAt(i)] = i;
  return values;
})();

/** The number of a key's first `length` characters (6 bits each) when it has hashKey's shape, else
 * -1. The index uses 5 (30 bits, a Uint32Array's slots); fragments.ts's in-memory table 8. */
export function keyPrefix(key: string, length = PREFIX_LENGTH): number {
  if (key.length !== KEY_LENGTH) return -1;
  let n = 0;
  for (let i = 0; i < length; i++) {
    const code = key.charCodeAt(i);
    const value = code < 128 ? BASE64URL[code]! : -1;
    if (value === -1) return -1;
    n = n * 64 + value;
  }
  return n;
}

/** keyPrefix of the key whose bytes start at `at`. */
export function bytesPrefix(bytes: Buffer, at: number, length = PREFIX_LENGTH): number {
  let n = 0;
  for (let i = 0; i < length; i++) {
    const code = bytes[at + i]!;
    const value = code < 128 ? BASE64URL[code]! : -1;
    if (value === -1) return -1;
    n = n * 64 + value;
  }
  return n;
}
