/**
 * Streaming digest of one JSON string value whose raw bytes are too large to keep (the capped path
 * for a huge `content.text`). It decodes JSON escapes on the fly so that size and SHA-256 describe
 * the same UTF-8 text that `JSON.parse` + `hash.update(text)` would have seen on the fast path,
 * and it keeps only a short head of the decoded text for the body excerpt.
 */
import { createHash, type Hash } from 'node:crypto';

/** What is left of a string that was not kept in memory. */
export interface ElidedString {
  /** Decoded size in UTF-8 bytes. */
  size: number;
  /** SHA-256 hex of the decoded UTF-8 text. */
  sha256: string;
  /** First bytes of the decoded text (for an excerpt). */
  head: Buffer;
  /** Last (up to) two decoded bytes: enough to count base64 `=` padding. */
  tail: string;
  /** An escape sequence was not valid JSON (the entry is then invalid, as JSON.parse would say). */
  invalid: boolean;
}

const SIMPLE_ESCAPES: Record<number, number> = {
  0x22: 0x22, 0x5c: 0x5c, 0x2f: 0x2f, 0x62: 0x08, 0x66: 0x0c, 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09,
};

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

const SCRATCH_SIZE = 64 * 1024;

export class StringDigest {
  private readonly hash: Hash = createHash('sha256');
  private size = 0;
  private readonly headCap: number;
  private readonly headParts: Buffer[] = [];
  private headLen = 0;
  /** Decoded bytes waiting to be hashed (escapes produce tiny pieces; batch them). */
  private readonly scratch = Buffer.allocUnsafe(SCRATCH_SIZE);
  private scratchLen = 0;
  /** Pending escape: bytes after the backslash seen so far (-1 = none pending). */
  private escLen = -1;
  private escKind = 0;
  private escCode = 0;
  /** A high surrogate from `\uD8xx` waiting for its low half (-1 = none). */
  private highSurrogate = -1;
  private last2 = '';
  private invalid = false;

  constructor(headCap: number) {
    this.headCap = headCap;
  }

  /** Feeds raw JSON string content bytes `buf[start, end)` (no surrounding quotes). */
  update(buf: Buffer, start: number, end: number): void {
    let p = start;
    while (p < end) {
      if (this.escLen >= 0) {
        p = this.continueEscape(buf, p, end);
        continue;
      }
      let bs = buf.indexOf(0x5c, p);
      if (bs < 0 || bs > end) bs = end;
      if (bs > p) {
        if (this.highSurrogate >= 0) this.flushHighSurrogate();
        this.emitRaw(buf, p, bs);
      }
      if (bs >= end) break;
      this.escLen = 0;
      p = bs + 1;
    }
  }

  finish(): ElidedString {
    if (this.escLen >= 0) this.invalid = true;
    if (this.highSurrogate >= 0) this.flushHighSurrogate();
    this.flushScratch();
    return {
      size: this.size,
      sha256: this.hash.digest('hex'),
      head: Buffer.concat(this.headParts),
      tail: this.last2,
      invalid: this.invalid,
    };
  }

  private continueEscape(buf: Buffer, p: number, end: number): number {
    if (this.escLen === 0) {
      const c = buf[p]!;
      this.escKind = c;
      this.escLen = 1;
      p++;
      if (c !== 0x75 /* u */) {
        const out = SIMPLE_ESCAPES[c];
        this.escLen = -1;
        if (this.highSurrogate >= 0) this.flushHighSurrogate();
        if (out === undefined) {
          this.invalid = true;
          return p;
        }
        this.emitByte(out);
        return p;
      }
      this.escCode = 0;
      return p;
    }
    // inside \uXXXX: escLen counts 1 (the u) + hex digits read
    while (p < end && this.escLen < 5) {
      const h = hexVal(buf[p]!);
      if (h < 0) {
        this.invalid = true;
        this.escLen = -1;
        return p;
      }
      this.escCode = (this.escCode << 4) | h;
      this.escLen++;
      p++;
    }
    if (this.escLen === 5) {
      this.escLen = -1;
      this.emitCodeUnit(this.escCode);
    }
    return p;
  }

  private emitCodeUnit(cu: number): void {
    if (cu >= 0xd800 && cu <= 0xdbff) {
      if (this.highSurrogate >= 0) this.flushHighSurrogate();
      this.highSurrogate = cu;
      return;
    }
    if (cu >= 0xdc00 && cu <= 0xdfff) {
      if (this.highSurrogate >= 0) {
        const cp = 0x10000 + ((this.highSurrogate - 0xd800) << 10) + (cu - 0xdc00);
        this.highSurrogate = -1;
        this.emitCodePoint(cp);
      } else {
        this.emitCodePoint(0xfffd); // lone low surrogate → U+FFFD, as Node's UTF-8 encoder does
      }
      return;
    }
    if (this.highSurrogate >= 0) this.flushHighSurrogate();
    this.emitCodePoint(cu);
  }

  private flushHighSurrogate(): void {
    this.highSurrogate = -1;
    this.emitCodePoint(0xfffd);
  }

  private emitCodePoint(cp: number): void {
    if (cp < 0x80) this.emitByte(cp);
    else if (cp < 0x800) {
      this.emitByte(0xc0 | (cp >> 6));
      this.emitByte(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      this.emitByte(0xe0 | (cp >> 12));
      this.emitByte(0x80 | ((cp >> 6) & 0x3f));
      this.emitByte(0x80 | (cp & 0x3f));
    } else {
      this.emitByte(0xf0 | (cp >> 18));
      this.emitByte(0x80 | ((cp >> 12) & 0x3f));
      this.emitByte(0x80 | ((cp >> 6) & 0x3f));
      this.emitByte(0x80 | (cp & 0x3f));
    }
  }

  private emitByte(b: number): void {
    if (this.scratchLen === SCRATCH_SIZE) this.flushScratch();
    this.scratch[this.scratchLen++] = b;
  }

  private emitRaw(buf: Buffer, start: number, end: number): void {
    const len = end - start;
    if (len <= SCRATCH_SIZE - this.scratchLen) {
      buf.copy(this.scratch, this.scratchLen, start, end);
      this.scratchLen += len;
      return;
    }
    this.flushScratch();
    this.take(buf.subarray(start, end));
  }

  private flushScratch(): void {
    if (this.scratchLen === 0) return;
    // no copy needed: take() hashes now and copies what the head keeps
    this.take(this.scratch.subarray(0, this.scratchLen));
    this.scratchLen = 0;
  }

  private take(bytes: Buffer): void {
    this.hash.update(bytes);
    this.size += bytes.length;
    if (this.headLen < this.headCap) {
      const part = bytes.subarray(0, this.headCap - this.headLen);
      this.headParts.push(Buffer.from(part));
      this.headLen += part.length;
    }
    if (bytes.length >= 2) this.last2 = bytes.toString('latin1', bytes.length - 2);
    else if (bytes.length === 1) this.last2 = (this.last2 + bytes.toString('latin1')).slice(-2);
  }
}
