import { isUtf8 } from 'node:buffer';

/** Lines longer than this are truncated and the reader resynchronises at the next newline (B-18). */
export const DEFAULT_LINE_CAP = 1 << 20;

export interface Line {
  /** Decoded text, CR stripped, invalid UTF-8 as U+FFFD. */
  text: string;
  /** 1-based physical line number. */
  no: number;
  /** Byte offset of the line start in the decompressed input. */
  offset: number;
  invalidUtf8: boolean;
  /** The line was longer than the cap; `text` holds its first `cap` bytes. */
  truncated: boolean;
}

/**
 * Splits a byte stream into lines without ever holding more than one line (capped) plus one chunk.
 * Only `\n` ends a line; a trailing `\r` is stripped (CRLF); a lone CR inside a line is kept and
 * shown escaped later. A last line without a newline is still a line.
 */
export async function* splitLines(chunks: AsyncIterable<Buffer>, cap = DEFAULT_LINE_CAP): AsyncGenerator<Line> {
  let carry: Buffer[] = [];
  let carryLen = 0;
  let overflow = false; // current line already passed the cap: drop bytes until newline
  let lineNo = 0;
  let offset = 0; // offset of the current line start
  let pos = 0; // absolute offset of chunk start

  const emit = (buf: Buffer, truncated: boolean): Line => {
    let end = buf.length;
    if (!truncated && end > 0 && buf[end - 1] === 13) end--;
    const body = end === buf.length ? buf : buf.subarray(0, end);
    const valid = isUtf8(body);
    lineNo++;
    return { text: body.toString('utf8'), no: lineNo, offset, invalidUtf8: !valid, truncated };
  };

  for await (const chunk of chunks) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) break;
      let line: Buffer;
      let truncated = overflow;
      if (carryLen === 0 && !overflow) {
        line = chunk.subarray(start, nl);
      } else {
        if (!overflow) {
          const room = cap - carryLen;
          const piece = chunk.subarray(start, Math.min(nl, start + Math.max(room, 0)));
          carry.push(piece);
          carryLen += piece.length;
          if (nl - start > room) truncated = true;
        }
        line = Buffer.concat(carry, carryLen);
      }
      if (line.length > cap) {
        line = line.subarray(0, cap);
        truncated = true;
      }
      yield emit(line, truncated);
      carry = [];
      carryLen = 0;
      overflow = false;
      start = nl + 1;
      offset = pos + start;
    }
    if (start < chunk.length && !overflow) {
      const rest = chunk.subarray(start);
      const room = cap - carryLen;
      if (rest.length > room) {
        carry.push(Buffer.from(rest.subarray(0, room)));
        carryLen += room;
        overflow = true;
      } else {
        // Copy: the chunk's memory may be reused by the stream.
        carry.push(Buffer.from(rest));
        carryLen += rest.length;
      }
    }
    pos += chunk.length;
  }
  if (carryLen > 0 || overflow) yield emit(Buffer.concat(carry, carryLen), overflow);
}
