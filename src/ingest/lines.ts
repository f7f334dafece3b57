import { isAscii, isUtf8 } from 'node:buffer';

/** Lines longer than this are truncated and the reader resynchronises at the next newline (B-18). */
export const DEFAULT_LINE_CAP = 1 << 20;

/** Bytes looked at before the first line is emitted, to choose the line-end policy (see crEndsLines). */
export const LINE_END_SNIFF = 64 * 1024;

/**
 * Lines per yielded array. A 1 MiB chunk holds ~4,000 log lines; decoding them all before the first
 * is parsed kept ~1 MB of line strings alive through every young-generation GC of the worker, which
 * copied and promoted them (GC was ~19% of the parse side on a combined log). A few hundred lines
 * keep that small while the async step per array stays rare.
 */
const LINES_PER_BATCH = 256;

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
 * True when the head of a file ends its lines with a lone CR (classic Mac OS, some old appliances):
 * it has more CRs not followed by LF than LFs. Otherwise only LF (and CRLF) end a line, and a stray
 * CR inside a line is data, kept and shown escaped later (a proxy that logs a header raw). A CR at
 * the very end of `head` counts as lone only at the end of the input (else its LF may follow).
 */
export function crEndsLines(head: Buffer, atEnd: boolean): boolean {
  let lone = 0;
  for (let i = head.indexOf(13); i >= 0; i = head.indexOf(13, i + 1)) {
    if (i + 1 < head.length ? head[i + 1] !== 10 : atEnd) lone++;
  }
  if (lone === 0) return false;
  let lf = 0;
  for (let i = head.indexOf(10); i >= 0 && lf < lone; i = head.indexOf(10, i + 1)) lf++;
  return lone > lf;
}

/**
 * Splits a byte stream into lines without ever holding more than one line (capped) plus one chunk
 * (and, before the first line, up to LINE_END_SNIFF bytes of small chunks), in arrays of at most
 * LINES_PER_BATCH lines that never span two chunks: an async step per array rather than per line
 * (the per-line promise cost ~0.3 µs, a tenth of parsing a line).
 * `\n` ends a line and a trailing `\r` is stripped (CRLF). A file whose head ends lines with a lone
 * CR (crEndsLines, security.md B-19) is split on CR, LF and CRLF alike, a CRLF split between two
 * chunks still counting once; otherwise a lone CR inside a line is kept. A last line without a
 * newline is still a line. Chunks may be reused by the producer once the next one is asked for.
 * A chunk that is all ASCII (most logs) is known valid UTF-8 at once, and its lines decode as latin1
 * (the same text, decoded faster).
 */
export async function* splitLineBatches(chunks: AsyncIterable<Buffer>, cap = DEFAULT_LINE_CAP): AsyncGenerator<Line[]> {
  // Choose the policy on the head. Small chunks (a pipe) are copied while more are read.
  const source = chunks[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headLen = 0;
  let ended = false;
  while (headLen < LINE_END_SNIFF) {
    const n = await source.next();
    if (n.done) {
      ended = true;
      break;
    }
    if (n.value.length === 0) continue;
    const last = headLen + n.value.length >= LINE_END_SNIFF;
    head.push(last ? n.value : Buffer.from(n.value));
    headLen += n.value.length;
  }
  const sniff = head.length === 1 ? head[0]!.subarray(0, LINE_END_SNIFF) : Buffer.concat(head, Math.min(headLen, LINE_END_SNIFF));
  const crMode = crEndsLines(sniff, ended && headLen <= LINE_END_SNIFF);

  let carry: Buffer[] = [];
  let carryLen = 0;
  let overflow = false; // current line already passed the cap: drop bytes until newline
  let lineNo = 0;
  let offset = 0; // offset of the current line start
  let pos = 0; // absolute offset of chunk start
  let lfAfterCr = false; // crMode: the previous chunk ended with a CR, so a leading LF belongs to it

  const emit = (buf: Buffer, truncated: boolean, ascii: boolean): Line => {
    let end = buf.length;
    if (!truncated && end > 0 && buf[end - 1] === 13) end--;
    const body = end === buf.length ? buf : buf.subarray(0, end);
    lineNo++;
    if (ascii) return { text: body.toString('latin1'), no: lineNo, offset, invalidUtf8: false, truncated };
    const valid = isUtf8(body);
    return { text: body.toString('utf8'), no: lineNo, offset, invalidUtf8: !valid, truncated };
  };
  /** A line that is not the common case (carried over from the previous chunk, over the cap, or not ASCII). */
  const lineOf = (chunk: Buffer, start: number, nl: number, ascii: boolean): Line => {
    let line: Buffer;
    let truncated = overflow;
    /** The line lies in this chunk alone (a carried head may hold a split UTF-8 sequence). */
    let whole = false;
    if (carryLen === 0 && !overflow) {
      line = chunk.subarray(start, nl);
      whole = true;
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
    carry = [];
    carryLen = 0;
    overflow = false;
    return emit(line, truncated, ascii && whole);
  };
  let out: Line[] = [];

  async function* all(): AsyncGenerator<Buffer> {
    yield* head;
    head.length = 0;
    if (ended) return;
    for (;;) {
      const n = await source.next();
      if (n.done) return;
      yield n.value;
    }
  }

  for await (const chunk of all()) {
    if (chunk.length === 0) continue;
    const ascii = isAscii(chunk);
    let start = 0;
    if (lfAfterCr) {
      lfAfterCr = false;
      if (chunk[0] === 10) {
        start = 1;
        offset = pos + 1;
      }
    }
    // crMode: the next CR and LF at or after `start`, each found once per chunk (-1: none left).
    let nextCr = crMode ? chunk.indexOf(13, start) : -1;
    let nextLf = crMode ? chunk.indexOf(10, start) : -1;
    for (;;) {
      let nl: number; // where the line's content ends
      let after: number; // where the next line starts
      if (!crMode) {
        nl = chunk.indexOf(10, start);
        if (nl < 0) break;
        after = nl + 1;
      } else {
        if (nextCr >= 0 && nextCr < start) nextCr = chunk.indexOf(13, start);
        if (nextLf >= 0 && nextLf < start) nextLf = chunk.indexOf(10, start);
        if (nextCr < 0 && nextLf < 0) break;
        if (nextCr >= 0 && (nextLf < 0 || nextCr < nextLf)) {
          nl = nextCr;
          if (nl + 1 === chunk.length) lfAfterCr = true;
          after = chunk[nl + 1] === 10 ? nl + 2 : nl + 1;
        } else {
          nl = nextLf;
          after = nl + 1;
        }
      }
      if (ascii && carryLen === 0 && !overflow && nl - start <= cap) {
        // The common line: whole in an ASCII chunk. Decoded straight from the chunk, without the
        // Buffer view per line that emit() takes (an allocation and a call per line).
        const end = nl > start && chunk[nl - 1] === 13 ? nl - 1 : nl;
        lineNo++;
        out.push({ text: chunk.toString('latin1', start, end), no: lineNo, offset, invalidUtf8: false, truncated: false });
      } else {
        out.push(lineOf(chunk, start, nl, ascii));
      }
      start = after;
      offset = pos + start;
      // The chunk stays valid while suspended here: the next one is asked for only after its last line.
      if (out.length >= LINES_PER_BATCH) {
        yield out;
        out = [];
      }
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
    if (out.length > 0) {
      yield out;
      out = [];
    }
  }
  if (carryLen > 0 || overflow) yield [emit(Buffer.concat(carry, carryLen), overflow, false)];
}
