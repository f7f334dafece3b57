/**
 * Byte-level streaming scanner for HAR files: the fast path of the HAR parser.
 *
 * Why hand-written: a token-level streaming JSON parser (stream-json 3.8: ~64 MB per CPU-second here,
 * tokens only) is slower than `JSON.parse` on the whole file, but the whole file cannot be held in
 * memory (a HAR can be gigabytes; V8 strings stop at 512 MiB). So this scanner follows only the
 * *skeleton* of the document (root object, `log` object, `log.entries` array) with full JSON
 * validation, and inside every value below it tracks just string/escape state and bracket nesting
 * (bracket kinds checked up to MAX_DEPTH), jumping over long strings with `indexOf`. Each complete
 * entry is handed over as one byte slice for a native `JSON.parse`, which validates the rest.
 * Values the parser does not use (`log.browser`, unknown keys) are skipped, so invalid scalars
 * inside them go unnoticed: the one place where this is more lenient than JSON.parse.
 *
 * Memory: bounded by the largest single entry. A string inside an entry that grows past
 * `entryTextCap` (a huge base64 `content.text`) is not kept: its bytes go through a StringDigest
 * (size + SHA-256 + a short head) and are replaced in the slice by a marker string that the record
 * mapper recognises. Once an entry holds more than BIG_ENTRY_BYTES, later strings in it are elided
 * from SMALL_ELIDE bytes on, and an entry that still grows past `maxEntryBytes` (64 MiB or 4x the
 * cap) is dropped as `too_large`. Nesting deeper than MAX_DEPTH inside an entry is never parsed
 * (`too_deep`), so nothing recursive ever sees it.
 */
import { randomBytes } from 'node:crypto';
import { StringDigest, type ElidedString } from './digest.js';
import { wellFormed } from './text.js';

/** Maximum nesting inside one entry (and inside the log.* values we keep). */
export const MAX_DEPTH = 256;

export type ScanItem =
  | { t: 'entry'; index: number; bytes: Buffer; elided: Map<string, ElidedString> | null }
  | { t: 'entrySkip'; index: number; reason: string; excerpt: string }
  | { t: 'meta'; key: string; bytes: Buffer; byte: number };

/** The members of `log` besides entries that are always handed over (the record mapper needs them). */
export type MetaKey = 'version' | 'creator' | 'pages';

export interface ScanError {
  /** Absolute byte offset in the (decompressed) input, BOM included. */
  byte: number;
  expected: string;
  found: string;
}

export interface ScannerOptions {
  entryTextCap: number;
  /** Decoded bytes of an elided string kept for the excerpt. */
  headBytes: number;
  startEntry: number;
  /**
   * Hand over every member of `log` besides entries (`browser`, `comment`, custom `_x`), not only
   * version/creator/pages: `faultline sanitize` writes them back. Ingest leaves it off and skips them
   * without capturing their bytes.
   */
  logMembers?: boolean;
}

// Scanner modes.
const M_PRE = 0; // before the root value: BOM, whitespace, JSONP callback name
const M_JSONP_NAME = 1;
const M_JSONP_OPEN = 2; // after the callback name: whitespace, then '('
const M_OBJ_FIRST = 3; // after '{' of root/log: key or '}'
const M_OBJ_KEY = 4; // after ',': key
const M_KEY = 5; // inside a key string
const M_OBJ_COLON = 6;
const M_OBJ_VALUE = 7;
const M_OBJ_NEXT = 8; // ',' or '}'
const M_ARR_FIRST = 9; // after '[' of log.entries: value or ']'
const M_ARR_VALUE = 10; // after ',': value
const M_ARR_NEXT = 11; // ',' or ']'
const M_VALUE = 12; // one object/array/string value, skipped or captured
const M_SCALAR = 13; // one number/literal value
const M_POST = 14; // after the root value
const M_ERROR = 15;
const M_JSONP_ROOT = 16; // after the JSONP '(': whitespace, then the root '{'

// What the current value is.
const T_SKIP = 0;
const T_ENTRY = 1;
const T_META = 2;

const MAX_KEY_BYTES = 1024;
const MAX_SCALAR_CHARS = 512;
const EXCERPT_CHARS = 200;
/** After an entry holds this many bytes, strings in it are elided from SMALL_ELIDE bytes on. */
const BIG_ENTRY_BYTES = 8 * 1024 * 1024;
const SMALL_ELIDE = 256 * 1024;

const EMPTY = Buffer.alloc(0);
const BOM = [0xef, 0xbb, 0xbf];

/** Bytes that may appear in a number or literal (validated later). */
const SCALAR = new Uint8Array(256);
for (const ch of '0123456789+-.eEabcdfghijklmnopqrstuvwxyzABCDFGHIJKLMNOPQRSTUVWXYZ') SCALAR[ch.charCodeAt(0)] = 1;
/** Bytes the value scanner must look at: quote and brackets. */
const STRUCT = new Uint8Array(256);
for (const ch of '"{}[]') STRUCT[ch.charCodeAt(0)] = 1;
const JSON_SCALAR = /^(?:-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null)$/;

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isIdentStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x24;
}

function isIdent(c: number): boolean {
  return isIdentStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2e;
}

/** Printable description of a byte for error messages. */
export function describeByte(c: number | undefined): string {
  if (c === undefined) return 'end of input';
  if (c >= 0x21 && c <= 0x7e) return `'${String.fromCharCode(c)}'`;
  return `byte 0x${c.toString(16).padStart(2, '0')}`;
}

/**
 * Finds the closing quote of a string whose content starts at `i` (a clean position, i.e. not the
 * byte after a backslash). Returns its index, or `n` / `n + 1` when the chunk ends first (`n + 1`:
 * the chunk ended on a backslash, so the next chunk's first byte is escaped).
 */
export function scanString(buf: Buffer, i: number, n: number): number {
  // short strings (header names, small values): a plain loop beats a native call
  const stop = i + 64 < n ? i + 64 : n;
  while (i < stop) {
    const c = buf[i]!;
    if (c === 0x22) return i;
    if (c === 0x5c) {
      i += 2;
      continue;
    }
    i++;
  }
  if (i >= n) return i;
  // long strings: memchr for quotes, then check the backslash run before each one
  const clean = i;
  let q = buf.indexOf(0x22, i);
  while (q !== -1) {
    let k = q - 1;
    while (k >= clean && buf[k] === 0x5c) k--;
    if (((q - 1 - k) & 1) === 0) return q;
    q = buf.indexOf(0x22, q + 1);
  }
  let k = n - 1;
  while (k >= clean && buf[k] === 0x5c) k--;
  return ((n - 1 - k) & 1) === 1 ? n + 1 : n;
}

export class HarScanner {
  // options
  private readonly entryTextCap: number;
  private readonly headBytes: number;
  private readonly startEntry: number;
  private readonly logMembers: boolean;
  private readonly maxEntryBytes: number;
  /** Marker prefix for elided strings; the nonce makes it unforgeable by the input. */
  readonly markerPrefix: string;
  private readonly markerJsonPrefix: string;

  // input position
  private buf: Buffer = EMPTY;
  private i = 0;
  /** Absolute offset of buf[0]. */
  private base = 0;
  /** 1 when the previous chunk ended on a backslash inside a string. */
  private skipCarry = 0;
  private mode = M_PRE;
  /** 0 = outside the root, 1 = root object, 2 = log object, 3 = log.entries array. */
  private level = 0;
  private bomMatched = 0;
  private seenContent = false;

  // JSONP
  private jsonp = false;
  private jsonpNameLen = 0;
  /** After the root: 0 expect ')', 1 expect ';' or whitespace, 2 whitespace only. */
  private jsonpStage = 0;

  // current key
  private keyParts: Buffer[] = [];
  private keyLen = 0;
  private keyFrom = 0;
  private key = '';

  // current value
  private vTarget = T_SKIP;
  private vMeta = 'version';
  private vIndex = 0;
  private inEntry = false;
  private vStartAbs = 0;
  private vDepth = 0;
  private vInStr = false;
  private readonly vTypes = new Uint8Array(MAX_DEPTH + 2);
  private vTooDeep = false;
  private strAbs = 0;
  private scalarText = '';
  private scalarFrom = 0;

  // capture of the current value
  private capturing = false;
  private capFrom = 0;
  private pieces: Buffer[] = [];
  private piecesAbs: number[] = [];
  private capBytes = 0;
  private elideLimit: number;
  private eliding = false;
  private digest: StringDigest | null = null;
  private elided: Map<string, ElidedString> | null = null;
  private elidedCount = 0;
  private elideInvalid = false;
  private tooLarge = false;
  private dropExcerpt = '';

  // results visible to the caller
  entryIndex = 0;
  entriesSeen = false;
  entriesClosed = false;
  logSeen = false;
  topLevelEntries = false;
  rootDone = false;
  shapeError: string | null = null;
  error: ScanError | null = null;
  /** Set by end() when the input stopped before the document did. */
  eof: { byte: number; expected: string } | null = null;
  bytesSeen = 0;

  constructor(opts: ScannerOptions) {
    this.entryTextCap = opts.entryTextCap;
    this.headBytes = opts.headBytes;
    this.startEntry = opts.startEntry;
    this.logMembers = opts.logMembers ?? false;
    this.elideLimit = opts.entryTextCap;
    this.maxEntryBytes = Math.max(64 * 1024 * 1024, 4 * opts.entryTextCap);
    const nonce = randomBytes(8).toString('hex');
    this.markerPrefix = `\u0000faultline-elided:${nonce}:`;
    this.markerJsonPrefix = `\\u0000faultline-elided:${nonce}:`;
  }

  /** Index of the entry being read when the input stopped (or of the next one): the tail skip's unit. */
  get tailUnit(): number {
    return this.inEntry ? this.vIndex : this.entryIndex;
  }

  get failed(): boolean {
    return this.mode === M_ERROR;
  }

  /** Hands the scanner the next chunk. Call next() until it returns null before feeding again. */
  feed(chunk: Buffer): void {
    if (this.mode === M_ERROR) return;
    this.flushChunkTail();
    this.base += this.buf.length;
    this.bytesSeen += chunk.length;
    this.buf = chunk;
    this.i = 0;
    if (this.skipCarry > 0 && chunk.length > 0) {
      this.i = this.skipCarry;
      this.skipCarry = 0;
    }
    this.capFrom = 0;
    this.keyFrom = 0;
    this.scalarFrom = 0;
  }

  /**
   * The input ended. Finishes a root-level scalar if one is pending, and records in `eof` where
   * the document stopped when it is incomplete. Produces no item (callers check the flags).
   */
  end(): void {
    if (this.mode === M_ERROR) return;
    const n = this.buf.length;
    this.i = n;
    if (this.mode === M_SCALAR && this.level === 0) {
      // a root-level scalar may end at EOF; anywhere else a scalar before EOF is still a truncation
      this.scalarText += this.buf.toString('latin1', this.scalarFrom, n);
      this.scalarFrom = n;
      this.finishScalar();
      return;
    }
    if (this.mode === M_POST) return;
    this.eof = { byte: this.base + n, expected: this.expectedHere() };
    this.dropCapture();
  }

  /** True when the input held nothing but whitespace and a BOM. */
  get empty(): boolean {
    return !this.seenContent;
  }

  /** Returns the next item found in the current chunk, or null when the chunk is used up. */
  next(): ScanItem | null {
    const buf = this.buf;
    const n = buf.length;
    while (this.i < n) {
      switch (this.mode) {
        case M_VALUE: {
          const item = this.scanValue(buf, n);
          if (item !== null) return item;
          break;
        }
        case M_SCALAR: {
          const item = this.scanScalar(buf, n);
          if (item !== null) return item;
          break;
        }
        case M_KEY:
          this.scanKey(buf, n);
          break;
        case M_ERROR:
          return null;
        default: {
          const item = this.skeleton(buf, n);
          if (item !== null) return item;
        }
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- skeleton

  /** One skeleton step: consumes whitespace and at most one structural token. */
  private skeleton(buf: Buffer, n: number): ScanItem | null {
    let i = this.i;
    if (this.mode !== M_JSONP_NAME) {
      while (i < n && isWs(buf[i]!)) i++;
      this.i = i;
      if (i >= n) return null;
    }
    const c = buf[i]!;
    switch (this.mode) {
      case M_PRE: {
        const abs = this.base + i;
        if (abs === this.bomMatched && abs < 3 && c === BOM[abs]) {
          this.bomMatched++;
          this.i = i + 1;
          return null;
        }
        this.seenContent = true;
        if (this.bomMatched > 0 && this.bomMatched < 3) return this.fail(i, 'a UTF-8 byte order mark (EF BB BF)');
        if (abs < 2 && (c === 0xfe || c === 0xff)) {
          return this.fail(i, 'UTF-8 (this looks like a UTF-16 file: convert it with `iconv -f UTF-16 -t UTF-8`)');
        }
        if (c === 0x7b) {
          this.level = 1;
          this.mode = M_OBJ_FIRST;
          this.i = i + 1;
          return null;
        }
        if (isIdentStart(c)) {
          this.jsonp = true;
          this.mode = M_JSONP_NAME;
          return null;
        }
        if (c === 0x5b || c === 0x22 || c === 0x2d || (c >= 0x30 && c <= 0x39)) {
          this.setShape(`the top level must be an object {"log":{…}}, found ${this.kindOf(c)}`);
          return this.beginValue(buf, i, T_SKIP);
        }
        return this.fail(i, "'{'");
      }
      case M_JSONP_NAME: {
        while (i < n && isIdent(buf[i]!)) {
          i++;
          if (++this.jsonpNameLen > 256) return this.fail(i, "'(' after a JSONP callback name");
        }
        this.i = i;
        if (i < n) this.mode = M_JSONP_OPEN;
        return null;
      }
      case M_JSONP_OPEN: {
        if (c !== 0x28) return this.fail(i, "'(' after a JSONP callback name");
        this.mode = M_JSONP_ROOT;
        this.i = i + 1;
        return null;
      }
      case M_JSONP_ROOT: {
        if (c !== 0x7b) return this.fail(i, "'{' after the JSONP '('");
        this.level = 1;
        this.mode = M_OBJ_FIRST;
        this.i = i + 1;
        return null;
      }
      case M_OBJ_FIRST:
      case M_OBJ_KEY: {
        if (c === 0x22) {
          this.mode = M_KEY;
          this.keyParts = [];
          this.keyLen = 0;
          this.i = i + 1;
          this.keyFrom = i + 1;
          return null;
        }
        if (c === 0x7d && this.mode === M_OBJ_FIRST) return this.closeObject(i);
        return this.fail(i, this.mode === M_OBJ_FIRST ? "a key string or '}'" : 'a key string');
      }
      case M_OBJ_COLON: {
        if (c !== 0x3a) return this.fail(i, "':'");
        this.mode = M_OBJ_VALUE;
        this.i = i + 1;
        return null;
      }
      case M_OBJ_VALUE:
        return this.objectValue(buf, i, c);
      case M_OBJ_NEXT: {
        if (c === 0x2c) {
          this.mode = M_OBJ_KEY;
          this.i = i + 1;
          return null;
        }
        if (c === 0x7d) return this.closeObject(i);
        return this.fail(i, "',' or '}'");
      }
      case M_ARR_FIRST:
      case M_ARR_VALUE: {
        if (c === 0x5d && this.mode === M_ARR_FIRST) {
          this.closeEntries(i);
          return null;
        }
        return this.beginValue(buf, i, T_ENTRY);
      }
      case M_ARR_NEXT: {
        if (c === 0x2c) {
          this.mode = M_ARR_VALUE;
          this.i = i + 1;
          return null;
        }
        if (c === 0x5d) {
          this.closeEntries(i);
          return null;
        }
        return this.fail(i, "',' or ']' between entries");
      }
      case M_POST: {
        if (this.jsonp && this.jsonpStage === 0 && c === 0x29) {
          this.jsonpStage = 1;
          this.i = i + 1;
          return null;
        }
        if (this.jsonp && this.jsonpStage === 1 && c === 0x3b) {
          this.jsonpStage = 2;
          this.i = i + 1;
          return null;
        }
        return this.fail(i, this.jsonp && this.jsonpStage === 0 ? "')' closing the JSONP call" : 'the end of the file');
      }
    }
    return this.fail(i, 'valid JSON');
  }

  private objectValue(buf: Buffer, i: number, c: number): ScanItem | null {
    const key = this.key;
    if (this.level === 1) {
      if (key === 'log') {
        if (c === 0x7b) {
          this.logSeen = true;
          this.level = 2;
          this.mode = M_OBJ_FIRST;
          this.i = i + 1;
          return null;
        }
        this.setShape(`log must be an object, found ${this.kindOf(c)}`);
      } else if (key === 'entries') {
        this.topLevelEntries = true;
      }
      return this.beginValue(buf, i, T_SKIP);
    }
    // level 2: inside log
    if (key === 'entries') {
      if (c === 0x5b) {
        this.entriesSeen = true;
        this.level = 3;
        this.mode = M_ARR_FIRST;
        this.i = i + 1;
        return null;
      }
      this.setShape(`log.entries must be an array, found ${this.kindOf(c)}`);
      return this.beginValue(buf, i, T_SKIP);
    }
    if (key === 'version' || key === 'creator' || key === 'pages' || this.logMembers) {
      this.vMeta = key;
      return this.beginValue(buf, i, T_META);
    }
    return this.beginValue(buf, i, T_SKIP);
  }

  private closeObject(i: number): null {
    this.i = i + 1;
    if (this.level === 2) {
      this.level = 1;
      this.mode = M_OBJ_NEXT;
    } else {
      this.level = 0;
      this.rootDone = true;
      this.mode = M_POST;
    }
    return null;
  }

  private closeEntries(i: number): void {
    this.entriesClosed = true;
    this.level = 2;
    this.mode = M_OBJ_NEXT;
    this.i = i + 1;
  }

  /** Where the value that just ended hands control back to. */
  private afterValue(): void {
    this.inEntry = false;
    this.mode = this.level === 0 ? M_POST : this.level === 3 ? M_ARR_NEXT : M_OBJ_NEXT;
    if (this.level === 0) this.rootDone = true;
  }

  // ---------------------------------------------------------------- keys

  private scanKey(buf: Buffer, n: number): void {
    const q = scanString(buf, this.i, n);
    if (q >= n) {
      this.skipCarry = q - n;
      this.i = n;
      return;
    }
    let bytes: Buffer;
    if (this.keyParts.length === 0) bytes = buf.subarray(this.keyFrom, q);
    else {
      if (this.keyLen <= MAX_KEY_BYTES) this.keyParts.push(buf.subarray(this.keyFrom, q));
      bytes = Buffer.concat(this.keyParts);
    }
    this.keyLen += q - this.keyFrom;
    this.key = '';
    if (this.keyLen <= MAX_KEY_BYTES) {
      const raw = bytes.toString('utf8');
      if (bytes.includes(0x5c)) {
        try {
          this.key = JSON.parse(`"${raw}"`) as string;
        } catch {
          this.fail(q - 1, 'a valid escape in a key');
          return;
        }
      } else this.key = raw;
    }
    this.keyParts = [];
    this.mode = M_OBJ_COLON;
    this.i = q + 1;
  }

  // ---------------------------------------------------------------- values

  private kindOf(c: number): string {
    if (c === 0x7b) return 'an object';
    if (c === 0x5b) return 'an array';
    if (c === 0x22) return 'a string';
    if (c === 0x74 || c === 0x66) return 'a boolean';
    if (c === 0x6e) return 'null';
    return 'a number';
  }

  private setShape(msg: string): void {
    if (this.shapeError === null) this.shapeError = msg;
  }

  private beginValue(buf: Buffer, i: number, target: number): ScanItem | null {
    const c = buf[i]!;
    this.inEntry = target === T_ENTRY;
    if (target === T_ENTRY) {
      this.vIndex = this.entryIndex++;
      if (this.vIndex < this.startEntry) target = T_SKIP;
    }
    this.vTarget = target;
    this.vStartAbs = this.base + i;
    this.vTooDeep = false;
    this.tooLarge = false;
    this.elideInvalid = false;
    this.capturing = target !== T_SKIP;
    this.capFrom = i;
    this.pieces = [];
    this.piecesAbs = [];
    this.capBytes = 0;
    this.elided = null;
    this.elideLimit = this.entryTextCap;
    if (c === 0x7b || c === 0x5b || c === 0x22) {
      this.mode = M_VALUE;
      this.vDepth = 0;
      this.vInStr = false;
      this.i = i;
      return null;
    }
    if (SCALAR[c] === 1) {
      this.mode = M_SCALAR;
      this.scalarText = '';
      this.scalarFrom = i;
      this.i = i;
      return null;
    }
    return this.fail(i, target === T_ENTRY ? "an entry object or ']'" : 'a JSON value');
  }

  /** The hot loop: strings, brackets and nothing else. */
  private scanValue(buf: Buffer, n: number): ScanItem | null {
    let i = this.i;
    let depth = this.vDepth;
    let inStr = this.vInStr;
    const types = this.vTypes;
    let done = false;
    while (i < n) {
      if (inStr) {
        const q = scanString(buf, i, n);
        if (q >= n) {
          this.skipCarry = q - n;
          i = n;
          break;
        }
        if (this.capturing && (this.eliding || this.base + q - this.strAbs - 1 > this.elideLimit)) this.closeElided(buf, q);
        inStr = false;
        i = q + 1;
        if (depth === 0) {
          done = true;
          break;
        }
        continue;
      }
      const c = buf[i]!;
      if (STRUCT[c] === 0) {
        // whitespace, ':', ',', digits, literals: nothing to track (JSON.parse validates them)
        i++;
        continue;
      }
      if (c === 0x22) {
        inStr = true;
        this.strAbs = this.base + i;
        i++;
        continue;
      }
      if (c === 0x7b || c === 0x5b) {
        depth++;
        if (depth <= MAX_DEPTH) types[depth] = c;
        else if (!this.vTooDeep) this.markTooDeep(buf, i);
        i++;
        continue;
      }
      if (c === 0x7d || c === 0x5d) {
        if (depth <= MAX_DEPTH && types[depth]! + 2 !== c) {
          this.i = i;
          this.vDepth = depth;
          return this.fail(i, types[depth] === 0x7b ? "',' or '}'" : "',' or ']'");
        }
        depth--;
        i++;
        if (depth === 0) {
          done = true;
          break;
        }
        continue;
      }
      i++;
    }
    this.i = i;
    this.vDepth = depth;
    this.vInStr = inStr;
    if (!done) return null;
    return this.finishValue(buf, i);
  }

  private scanScalar(buf: Buffer, n: number): ScanItem | null {
    let i = this.i;
    while (i < n && SCALAR[buf[i]!] === 1) i++;
    this.i = i;
    if (i >= n) return null;
    if (this.scalarText.length + (i - this.scalarFrom) > MAX_SCALAR_CHARS) {
      return this.fail(i, 'a number or literal of sane length');
    }
    this.scalarText += buf.toString('latin1', this.scalarFrom, i);
    this.scalarFrom = i;
    return this.finishScalar();
  }

  private finishScalar(): ScanItem | null {
    const text = this.scalarText;
    this.afterValue();
    if (this.vTarget === T_ENTRY) {
      // not an object: let the record mapper say so (entry_invalid:entry) or JSON.parse fail
      return { t: 'entry', index: this.vIndex, bytes: Buffer.from(text, 'latin1'), elided: null };
    }
    if (!JSON_SCALAR.test(text)) return this.fail(this.i - 1, 'a JSON value', this.vStartAbs);
    if (this.vTarget === T_META) return { t: 'meta', key: this.vMeta, bytes: Buffer.from(text, 'latin1'), byte: this.vStartAbs };
    return null;
  }

  private finishValue(buf: Buffer, end: number): ScanItem | null {
    this.afterValue();
    const target = this.vTarget;
    if (target === T_SKIP) return null;
    if (this.vTooDeep || this.tooLarge) {
      const reason = this.vTooDeep ? 'too_deep' : 'too_large';
      const excerpt = this.dropExcerpt;
      this.dropExcerpt = '';
      if (target === T_META) return null;
      return { t: 'entrySkip', index: this.vIndex, reason, excerpt };
    }
    this.capturing = false;
    let bytes: Buffer;
    if (this.pieces.length === 0) bytes = buf.subarray(this.capFrom, end);
    else {
      this.pieces.push(buf.subarray(this.capFrom, end));
      bytes = Buffer.concat(this.pieces);
      this.pieces = [];
      this.piecesAbs = [];
    }
    if (target === T_META) return { t: 'meta', key: this.vMeta, bytes, byte: this.vStartAbs };
    if (this.elideInvalid) {
      return { t: 'entrySkip', index: this.vIndex, reason: 'json', excerpt: excerptOf(bytes) };
    }
    const elided = this.elided;
    this.elided = null;
    return { t: 'entry', index: this.vIndex, bytes, elided };
  }

  // ---------------------------------------------------------------- capture bookkeeping

  /** Keeps the bytes of the current chunk that belong to the value being captured. */
  private flushChunkTail(): void {
    const buf = this.buf;
    const n = buf.length;
    if (this.mode === M_KEY) {
      if (this.keyLen <= MAX_KEY_BYTES && this.keyFrom < n) this.keyParts.push(buf.subarray(this.keyFrom, n));
      this.keyLen += n - this.keyFrom;
      this.keyFrom = n;
      return;
    }
    if (this.mode === M_SCALAR) {
      if (this.scalarText.length + (n - this.scalarFrom) > MAX_SCALAR_CHARS) {
        this.fail(n - 1, 'a number or literal of sane length');
        return;
      }
      this.scalarText += buf.toString('latin1', this.scalarFrom, n);
      this.scalarFrom = n;
      return;
    }
    if (this.mode !== M_VALUE || !this.capturing || this.capFrom >= n) return;
    if (this.eliding) {
      this.digest!.update(buf, this.capFrom, n);
      this.capFrom = n;
      return;
    }
    this.pieces.push(buf.subarray(this.capFrom, n));
    this.piecesAbs.push(this.base + this.capFrom);
    this.capBytes += n - this.capFrom;
    this.capFrom = n;
    if (this.vInStr && this.base + n - this.strAbs - 1 > this.elideLimit) this.startElision(buf, n);
    if (this.capBytes > BIG_ENTRY_BYTES) this.elideLimit = Math.min(this.elideLimit, SMALL_ELIDE);
    if (this.capBytes > this.maxEntryBytes) {
      this.tooLarge = true;
      this.dropCaptureKeepingExcerpt();
    }
  }

  /**
   * The current string (content starting at strAbs + 1) is too long to keep: moves its bytes kept so
   * far, plus buf[capFrom, upto), into a digest and keeps streaming the rest of it there.
   */
  private startElision(buf: Buffer, upto: number): void {
    const contentAbs = this.strAbs + 1;
    const digest = new StringDigest(this.headBytes);
    const curAbs = this.base + this.capFrom;
    if (contentAbs >= curAbs) {
      // the content starts in the current chunk region
      const s = contentAbs - this.base;
      if (s > this.capFrom) {
        this.pieces.push(buf.subarray(this.capFrom, s));
        this.piecesAbs.push(this.base + this.capFrom);
        this.capBytes += s - this.capFrom;
      }
      digest.update(buf, s, upto);
    } else {
      // find the kept piece where the content starts, cut there, digest everything after
      let k = this.pieces.length - 1;
      while (k > 0 && this.piecesAbs[k]! > contentAbs) k--;
      const piece = this.pieces[k]!;
      const cut = contentAbs - this.piecesAbs[k]!;
      digest.update(piece, cut, piece.length);
      for (let j = k + 1; j < this.pieces.length; j++) {
        const p = this.pieces[j]!;
        digest.update(p, 0, p.length);
      }
      this.pieces.length = k + 1;
      this.piecesAbs.length = k + 1;
      this.pieces[k] = piece.subarray(0, cut);
      digest.update(buf, this.capFrom, upto);
      let total = 0;
      for (const p of this.pieces) total += p.length;
      this.capBytes = total;
    }
    this.capFrom = upto;
    this.digest = digest;
    this.eliding = true;
  }

  /** The elided string closes at q: finishes its digest and puts a marker in its place. */
  private closeElided(buf: Buffer, q: number): void {
    if (!this.eliding) this.startElision(buf, q);
    else this.digest!.update(buf, this.capFrom, q);
    const info = this.digest!.finish();
    this.digest = null;
    this.eliding = false;
    if (info.invalid) this.elideInvalid = true;
    const id = String(this.elidedCount++);
    if (this.elided === null) this.elided = new Map();
    this.elided.set(this.markerPrefix + id, info);
    const marker = Buffer.from(this.markerJsonPrefix + id, 'latin1');
    this.pieces.push(marker);
    this.piecesAbs.push(-1);
    this.capBytes += marker.length;
    this.capFrom = q; // the closing quote is kept
  }

  private markTooDeep(buf: Buffer, i: number): void {
    this.vTooDeep = true;
    if (this.capturing) {
      // keep the head for the skip excerpt, then stop keeping anything
      this.pieces.push(buf.subarray(this.capFrom, i));
      this.dropCaptureKeepingExcerpt();
    }
  }

  private dropCaptureKeepingExcerpt(): void {
    const head: Buffer[] = [];
    let len = 0;
    for (const p of this.pieces) {
      if (len >= EXCERPT_CHARS * 4) break;
      head.push(p.subarray(0, EXCERPT_CHARS * 4 - len));
      len += Math.min(p.length, EXCERPT_CHARS * 4 - len);
    }
    this.dropExcerpt = excerptOf(Buffer.concat(head));
    this.dropCapture();
  }

  private dropCapture(): void {
    this.capturing = false;
    this.eliding = false;
    this.digest = null;
    this.pieces = [];
    this.piecesAbs = [];
    this.capBytes = 0;
    this.elided = null;
  }

  // ---------------------------------------------------------------- errors

  private fail(i: number, expected: string, byteOverride?: number): null {
    this.error = {
      byte: byteOverride ?? this.base + i,
      expected,
      found: byteOverride !== undefined ? 'an invalid value' : describeByte(this.buf[i]),
    };
    this.mode = M_ERROR;
    this.dropCapture();
    this.i = this.buf.length;
    return null;
  }

  private expectedHere(): string {
    switch (this.mode) {
      case M_PRE:
      case M_JSONP_ROOT:
        return "'{'";
      case M_JSONP_NAME:
      case M_JSONP_OPEN:
        return "'('";
      case M_OBJ_FIRST:
      case M_OBJ_KEY:
      case M_KEY:
        return 'a key string';
      case M_OBJ_COLON:
        return "':'";
      case M_OBJ_NEXT:
        return "',' or '}'";
      case M_ARR_FIRST:
      case M_ARR_VALUE:
        return 'an entry';
      case M_ARR_NEXT:
        return "',' or ']'";
      case M_VALUE:
        return this.vInStr ? "'\"' closing a string" : "'}' or ']' closing a value";
      default:
        return 'more input';
    }
  }
}

/** First EXCERPT_CHARS characters of some raw bytes, lone surrogates made safe. */
export function excerptOf(bytes: Buffer): string {
  const s = bytes.toString('utf8', 0, Math.min(bytes.length, EXCERPT_CHARS * 4)).slice(0, EXCERPT_CHARS);
  return wellFormed(s);
}
