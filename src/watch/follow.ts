import { createHash } from 'node:crypto';
import { promises as fs, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isUtf8 } from 'node:buffer';
import { isFailure } from '../core/types.js';
import type { LineParser, LogFormat } from '../../parsers/access-log/format.js';
import { detectFormat } from '../../parsers/access-log/detect.js';
import { findFormat } from '../../parsers/access-log/registry.js';
import type { Redactor } from '../redact/index.js';
import type { BatchItem, Store } from '../store/index.js';
import { crEndsLines, LINE_END_SNIFF } from '../ingest/lines.js';

/** Bytes of the file start that identify one generation of a followed file (rotation/truncation check). */
const PREFIX = 1024;
/** Read at most this much per poll and file, so one burst cannot hold memory. */
const READ_MAX = 8 * 1024 * 1024;
const LINE_CAP = 1 << 20;
const EXCERPT = 200;

export interface FollowOutcome {
  path: string;
  records: number;
  skipped: number;
  failures: number;
  /** What happened this poll: "new lines", "rotated", "truncated", "waiting for a format"… */
  events: string[];
}

interface Generation {
  sourceId: number;
  ino: number;
  /** Bytes of the prefix hashed when the generation started (files shorter than PREFIX grow into it). */
  prefixLen: number;
  prefixHash: string;
  offset: number;
  nextLine: number;
  format: LogFormat | null;
  parse: LineParser | null;
  /** The file ends its lines with a lone CR (classic Mac, src/ingest/lines.ts crEndsLines); null: not known yet. */
  crLines: boolean | null;
}

function sha(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

async function readRange(path: string, start: number, length: number): Promise<Buffer> {
  const fh = await fs.open(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await fh.read(buf, 0, length, start);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/**
 * Follows one growing access log (`tail -F` semantics) into the store. Each generation of the file
 * (a new inode, or a truncation) is its own source, keyed by the hash of its first bytes, with the
 * usual checkpoint: every batch commits with the next offset and line, so a restart resumes where
 * the last batch ended and a line is never stored twice. Only complete lines are consumed.
 */
export class FollowedLog {
  private gen: Generation | null = null;

  constructor(
    readonly path: string,
    private readonly store: Store,
    private readonly redactor: Redactor,
    private readonly forced: LogFormat | null,
  ) {}

  /** Reads whatever was appended since the last poll. */
  async poll(): Promise<FollowOutcome> {
    const out: FollowOutcome = { path: this.path, records: 0, skipped: 0, failures: 0, events: [] };
    let st: Stats;
    try {
      st = await fs.stat(this.path);
    } catch {
      out.events.push('missing (waiting for it to appear)');
      return out;
    }
    if (this.gen === null) this.gen = await this.resume(st, out);
    else if (st.ino !== this.gen.ino) {
      await this.finishRotated(out);
      this.gen = await this.resume(st, out);
    } else if (st.size < this.gen.offset) {
      out.events.push('truncated: a new generation starts (earlier rows are kept)');
      this.gen = await this.startGeneration(st, out);
    }
    if (this.gen) await this.readNew(this.path, this.gen, st.size, out);
    return out;
  }

  /** The stored generation whose prefix still matches this file, or a new one. */
  private async resume(st: Stats, out: FollowOutcome): Promise<Generation | null> {
    for (const s of this.store.sources.all().filter((x) => x.path === this.path && x.sha256.startsWith('follow:')).reverse()) {
      const prefixLen = s.stats['prefixLen'] ?? 0;
      if (prefixLen === 0) continue;
      const head = st.size >= prefixLen ? await readRange(this.path, 0, prefixLen) : null;
      if (head === null || `follow:${sha(head)}` !== s.sha256 || st.size < s.nextOffset) {
        // The file at this path is a new generation: finish the old one where rotation put it.
        await this.finishRotatedSource(s.id, prefixLen, s.sha256, s.nextOffset, s.nextUnit, s.format, out);
        continue;
      }
      const format = this.forced ?? findFormat(s.format) ?? null;
      return {
        sourceId: s.id, ino: st.ino, prefixLen, prefixHash: s.sha256, offset: s.nextOffset,
        nextLine: Math.max(s.nextUnit, 1), format, parse: format ? format.create() : null, crLines: null,
      };
    }
    return this.startGeneration(st, out);
  }

  private async startGeneration(st: Stats, out: FollowOutcome): Promise<Generation | null> {
    const prefixLen = Math.min(st.size, PREFIX);
    if (prefixLen === 0) {
      out.events.push('empty (waiting for lines)');
      return null;
    }
    const head = await readRange(this.path, 0, prefixLen);
    const key = `follow:${sha(head)}`;
    const existing = this.store.sources.bySha(key);
    if (existing) {
      const format = this.forced ?? findFormat(existing.format) ?? null;
      return { sourceId: existing.id, ino: st.ino, prefixLen, prefixHash: key, offset: existing.nextOffset, nextLine: Math.max(existing.nextUnit, 1), format, parse: format?.create() ?? null, crLines: null };
    }
    const row = this.store.sources.create({ path: this.path, kind: 'log', format: this.forced?.id ?? 'detecting', size: null, sha256: key });
    this.store.sources.finish(row.id, 'ingesting', null, { prefixLen });
    out.events.push('following a new file generation');
    return { sourceId: row.id, ino: st.ino, prefixLen, prefixHash: key, offset: 0, nextLine: 1, format: this.forced, parse: this.forced?.create() ?? null, crLines: null };
  }

  /** In a long run the old inode may already be renamed: find it beside the path and read its tail. */
  private async finishRotated(out: FollowOutcome): Promise<void> {
    const g = this.gen!;
    await this.finishRotatedSource(g.sourceId, g.prefixLen, g.prefixHash, g.offset, g.nextLine, g.format?.id ?? 'detecting', out);
  }

  private async finishRotatedSource(sourceId: number, prefixLen: number, key: string, offset: number, nextLine: number, formatId: string, out: FollowOutcome): Promise<void> {
    const dir = dirname(this.path);
    const base = basename(this.path);
    let names: string[] = [];
    try {
      names = (await fs.readdir(dir)).filter((n) => n !== base && n.startsWith(base) && !n.endsWith('.gz'));
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(dir, n);
      try {
        const st = await fs.stat(p);
        if (st.size < prefixLen) continue;
        if (`follow:${sha(await readRange(p, 0, prefixLen))}` !== key) continue;
        const format = this.forced ?? findFormat(formatId) ?? null;
        const gen: Generation = { sourceId, ino: st.ino, prefixLen, prefixHash: key, offset, nextLine: Math.max(nextLine, 1), format, parse: format?.create() ?? null, crLines: null };
        await this.readNew(p, gen, st.size, out);
        out.events.push(`rotated: finished ${n}`);
        this.store.sources.finish(sourceId, 'ingested', null, { prefixLen });
        return;
      } catch {
        continue;
      }
    }
  }

  /**
   * Whether this generation's lines end with a lone CR, decided on the file's head as ingest decides it
   * (crEndsLines). Until the head shows a line end either way (a new file of one CR-ended line), LF.
   */
  private async lineEnds(path: string, gen: Generation, size: number): Promise<boolean> {
    if (gen.crLines !== null) return gen.crLines;
    const head = await readRange(path, 0, Math.min(size, LINE_END_SNIFF));
    if (crEndsLines(head, false)) gen.crLines = true;
    else if (head.includes(10)) gen.crLines = false;
    return gen.crLines ?? false;
  }

  /** Reads complete lines in [gen.offset, size) and stores them, batch by batch with the checkpoint. */
  private async readNew(path: string, gen: Generation, size: number, out: FollowOutcome): Promise<void> {
    const cr = await this.lineEnds(path, gen, size);
    while (gen.offset < size) {
      const want = Math.min(size - gen.offset, READ_MAX);
      const buf = await readRange(path, gen.offset, want);
      if (cr && buf[0] === 10 && gen.offset > 0 && (await readRange(path, gen.offset - 1, 1))[0] === 13) {
        // The LF of a CRLF whose CR ended the last line read: not a line of its own.
        gen.offset++;
        continue;
      }
      let end = cr ? Math.max(buf.lastIndexOf(10), buf.lastIndexOf(13)) : buf.lastIndexOf(10);
      if (end < 0) {
        if (buf.length < LINE_CAP || want < READ_MAX) return; // an incomplete last line: wait for its newline
        end = buf.length - 1; // an over-long line: consume the cap and resynchronise
      }
      const lines: Array<{ text: string; no: number; bad: boolean }> = [];
      let start = 0;
      // cr: the next CR and LF at or after `start`, each searched once per buffer (-1: none left)
      let nextCr = cr ? buf.indexOf(13) : -1;
      let nextLf = cr ? buf.indexOf(10) : -1;
      while (start <= end) {
        let stop: number;
        let after: number;
        if (!cr) {
          const nl = buf.indexOf(10, start);
          stop = nl < 0 || nl > end ? end + 1 : nl;
          after = stop + 1;
        } else {
          if (nextCr >= 0 && nextCr < start) nextCr = buf.indexOf(13, start);
          if (nextLf >= 0 && nextLf < start) nextLf = buf.indexOf(10, start);
          const e = nextCr >= 0 && (nextLf < 0 || nextCr < nextLf) ? nextCr : nextLf;
          stop = e < 0 || e > end ? end + 1 : e;
          after = stop < end && buf[stop] === 13 && buf[stop + 1] === 10 ? stop + 2 : stop + 1;
        }
        let slice = buf.subarray(start, Math.min(stop, start + LINE_CAP));
        if (slice.length && slice[slice.length - 1] === 13) slice = slice.subarray(0, slice.length - 1);
        lines.push({ text: slice.toString('utf8'), no: gen.nextLine++, bad: !isUtf8(slice) });
        start = after;
      }
      if (!gen.parse) {
        const det = detectFormat(lines.map((l) => l.text));
        if (!det.format) {
          out.events.push(`no known format yet: ${det.reasons.slice(0, 3).join('; ')}`);
          gen.nextLine -= lines.length;
          return;
        }
        gen.format = det.format;
        gen.parse = det.format.create();
        this.store.sources.setFormat(gen.sourceId, det.format.id);
      }
      const items: BatchItem[] = [];
      for (const l of lines) {
        if (l.text.trim() === '') continue;
        let res;
        try {
          res = gen.parse(l.text);
        } catch (err) {
          res = { ok: false as const, reason: `parser error: ${(err as Error).message}` };
        }
        if ('directive' in res) continue;
        if (res.ok) {
          const record = res.record;
          this.redactor.redactRecord(record);
          const failed = isFailure(record);
          items.push({ kind: 'record', unit: l.no, record, failed, raw: failed ? this.redactor.redactLogLine(l.text.slice(0, 8192)) : null });
        } else {
          items.push({ kind: 'skip', unit: l.no, reason: 'unparsed_line', detail: this.redactor.redactLogLine(res.reason), excerpt: this.redactor.redactLogLine(l.text.slice(0, EXCERPT)) });
        }
      }
      gen.offset += end + 1;
      const r = this.store.writer.write(gen.sourceId, 'log', items, { nextUnit: gen.nextLine, nextOffset: gen.offset });
      out.records += r.records;
      out.skipped += r.skipped;
      out.failures += r.failures;
    }
  }
}
