// The two bodies' transfer encodings, as nodemailer writes them: the text part quoted-printable, the
// HTML part base64 in lines of 76 characters. Per recipient, most of both bodies is the same for
// everyone (pass 2's fixed parts): `partsEncoder` encodes each fixed part once and reuses it, so a
// recipient pays only for the few lines and bytes around their own values.
import type { FixedPart, Part } from './render.js';

/** Text as quoted-printable (RFC 2045 6.7), line by line: printable ASCII stays as it is, every other
 * byte and `=` become =XX, a space or tab ending a line is encoded, and lines over 76 characters get
 * soft breaks. nodemailer's own wrap breaks lines that are short already. */
export function quotedPrintable(text: string, cache?: Map<string, string>): string {
  const normal = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
  if (!cache)
    return normal
      .split('\n')
      .map((line) => qpLine(line))
      .join('\r\n');
  // Lines are encoded independently, so paragraphs can be too: each one that is the same for every
  // recipient is encoded once (an empty line encodes to nothing, so the blank line between stays).
  let out = '';
  const blocks = normal.split('\n\n');
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    let encoded = cache.get(block);
    if (encoded === undefined) {
      encoded = quotedPrintable(block);
      // Paragraphs that differ per recipient would fill it: it keeps the first few thousand.
      if (cache.size < 4096) cache.set(block, encoded);
    }
    out += i === 0 ? encoded : `\r\n\r\n${encoded}`;
  }
  return out;
}

/** base64Lines as bytes, without building the lines as strings. */
export function base64LineBytes(text: string): Buffer {
  return wrapBase64(Buffer.from(text, 'utf8'));
}

/** UTF-8 text as base64 in lines of 76 characters joined by CRLF, as nodemailer writes a body. */
export function base64Lines(text: string): string {
  const encoded = Buffer.from(text, 'utf8').toString('base64');
  if (encoded.length <= 76) return encoded;
  const lines: string[] = [];
  for (let at = 0; at < encoded.length; at += 76) lines.push(encoded.slice(at, at + 76));
  return lines.join('\r\n');
}

/** Bytes as base64 lines joined by CRLF: the base64 is written once, then each line is moved right
 * (last first, in place) to make room for the CRLF before it. */
function wrapBase64(bytes: Buffer): Buffer {
  const encoded = bytes.toString('base64');
  const n = encoded.length;
  const lines = Math.max(Math.ceil(n / 76), 1);
  const out = Buffer.allocUnsafe(n + 2 * (lines - 1));
  out.write(encoded, 0, 'latin1');
  for (let i = lines - 1; i >= 1; i--) {
    const to = i * 78;
    out.copyWithin(to, i * 76, Math.min((i + 1) * 76, n));
    out[to - 2] = 13;
    out[to - 1] = 10;
  }
  return out;
}

/** Pieces of a message body: ASCII strings and bytes, in order (see `joinChunks`). */
export type Chunk = string | Buffer;

export interface PartsEncoder {
  /** = quotedPrintable(the parts joined), in pieces. */
  quotedPrintable(parts: readonly Part[]): Chunk[];
  /** = base64LineBytes(the parts joined), in pieces. */
  base64(parts: readonly Part[]): Chunk[];
}

/** The chunks as one buffer: one allocation, each chunk written into it once. */
export function joinChunks(chunks: readonly Chunk[]): Buffer {
  let length = 0;
  for (const chunk of chunks) length += typeof chunk === 'string' ? Buffer.byteLength(chunk, 'utf8') : chunk.length;
  const out = Buffer.allocUnsafe(length);
  let at = 0;
  for (const chunk of chunks) at += typeof chunk === 'string' ? out.write(chunk, at, 'utf8') : chunk.copy(out, at);
  return out;
}

// 57 bytes make one line of 76 base64 characters.
const LINE_BYTES = 57;
const CRLF = Buffer.from('\r\n');

/** Encoders for one issue's pass-2 parts. A fixed part's encoding is kept on first use: for the text,
 * its whole lines; for the HTML, its whole base64 lines for each of the 57 places in a line it can
 * start at (a recipient's name shifts what follows). So it is bounded by 57 times the size. */
export function partsEncoder(): PartsEncoder {
  const lines = new Map<FixedPart, { head: string; middle: Buffer; tail: string } | null>();
  const bytes = new Map<FixedPart, { bytes: Buffer; wrapped: (Buffer | undefined)[] }>();

  function qpOf(part: FixedPart) {
    let cached = lines.get(part);
    if (cached === undefined) {
      const first = part.fixed.indexOf('\n');
      const last = part.fixed.lastIndexOf('\n');
      cached =
        first === -1
          ? null
          : {
              head: part.fixed.slice(0, first),
              // The lines between the first and the last line break, each with its CRLF.
              middle: Buffer.from(
                part.fixed
                  .slice(first + 1, last + 1)
                  .split('\n')
                  .slice(0, -1)
                  .map((line) => `${qpLine(line)}\r\n`)
                  .join(''),
                'latin1',
              ),
              tail: part.fixed.slice(last + 1),
            };
      lines.set(part, cached);
    }
    return cached;
  }

  function bytesOf(part: FixedPart) {
    let cached = bytes.get(part);
    if (cached === undefined) {
      cached = { bytes: Buffer.from(part.fixed, 'utf8'), wrapped: [] };
      bytes.set(part, cached);
    }
    return cached;
  }

  return {
    quotedPrintable(parts) {
      // A carriage return would change where lines end (quotedPrintable normalises it first).
      if (parts.some((part) => (typeof part === 'string' ? part : part.fixed).includes('\r')))
        return [quotedPrintable(parts.map((part) => (typeof part === 'string' ? part : part.fixed)).join(''))];
      const out: Chunk[] = [];
      // The current line, not yet encoded: it may continue in the next part.
      let line = '';
      for (const part of parts) {
        if (typeof part !== 'string') {
          const cached = qpOf(part);
          if (cached === null) line += part.fixed;
          else {
            out.push(`${qpLine(line + cached.head)}\r\n`, cached.middle);
            line = cached.tail;
          }
        } else if (!part.includes('\n')) line += part;
        else {
          const split = part.split('\n');
          out.push(`${qpLine(line + split[0])}\r\n`);
          for (let i = 1; i < split.length - 1; i++) out.push(`${qpLine(split[i]!)}\r\n`);
          line = split[split.length - 1]!;
        }
      }
      out.push(qpLine(line));
      return out;
    },

    base64(parts) {
      const out: Chunk[] = [];
      // The bytes of the line being filled, and how many there are.
      const pending = Buffer.allocUnsafe(LINE_BYTES);
      let filled = 0;
      let started = false;
      const emit = (lineBytes: Buffer) => {
        out.push(started ? `\r\n${lineBytes.toString('base64')}` : lineBytes.toString('base64'));
        started = true;
      };
      // Adds bytes to the pending line, emitting it each time it is full; returns how many it took.
      const feed = (source: Buffer, from: number, to: number) => {
        while (from < to) {
          const n = Math.min(to - from, LINE_BYTES - filled);
          source.copy(pending, filled, from, from + n);
          filled += n;
          from += n;
          if (filled === LINE_BYTES) {
            emit(pending);
            filled = 0;
          }
        }
      };
      for (const part of parts) {
        if (typeof part === 'string') {
          const own = Buffer.from(part, 'utf8');
          feed(own, 0, own.length);
          continue;
        }
        const fixed = bytesOf(part);
        const length = fixed.bytes.length;
        // First complete the line a previous part began; then whole lines come from the cache.
        const at = filled;
        const head = at === 0 ? 0 : Math.min(length, LINE_BYTES - at);
        feed(fixed.bytes, 0, head);
        const whole = Math.floor((length - head) / LINE_BYTES) * LINE_BYTES;
        if (whole > 0) {
          let wrapped = fixed.wrapped[at];
          if (wrapped === undefined) {
            // Kept with a CRLF in front; the first line of a body goes without it.
            wrapped = Buffer.concat([CRLF, wrapBase64(fixed.bytes.subarray(head, head + whole))]);
            fixed.wrapped[at] = wrapped;
          }
          out.push(started ? wrapped : wrapped.subarray(2));
          started = true;
        }
        feed(fixed.bytes, head + whole, length);
      }
      if (filled > 0) emit(pending.subarray(0, filled));
      return out;
    },
  };
}

/** One line of text, quoted-printable, with its soft breaks. */
function qpLine(line: string): string {
  return softWrap(encodeLine(line));
}

function encodeLine(line: string): string {
  let out = '';
  for (const byte of Buffer.from(line, 'utf8')) {
    out += (byte >= 33 && byte <= 126 && byte !== 61) || byte === 32 || byte === 9 ? String.fromCharCode(byte) : `=${HEX[byte]}`;
  }
  const last = out.charCodeAt(out.length - 1);
  if (last === 32 || last === 9) out = `${out.slice(0, -1)}=${HEX[last]}`;
  return out;
}

function softWrap(line: string): string {
  if (line.length <= 76) return line;
  const parts: string[] = [];
  let rest = line;
  while (rest.length > 76) {
    let cut = 75;
    // Never split an =XX triple.
    if (rest[cut - 1] === '=') cut -= 1;
    else if (rest[cut - 2] === '=') cut -= 2;
    parts.push(`${rest.slice(0, cut)}=`);
    rest = rest.slice(cut);
  }
  parts.push(rest);
  return parts.join('\r\n');
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));
