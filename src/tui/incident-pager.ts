/**
 * The overview's incident list as a window over SQLite: pages of `pageSize` incidents read by key
 * (keyset pagination through the sort order's index, src/store/views.ts incidentPage), a few pages
 * held (LRU), the first and last key of every page seen kept so scrolling back re-reads a page by
 * key. The count is exact (one count query per filter), so page k always covers rows
 * [k * pageSize, (k + 1) * pageSize) and End reads the last page backward from the end of the
 * order instead of walking 175,000 rows. Only a jump into the middle with no neighbouring page
 * known (a follow-mode re-anchor) reads by offset.
 */
import type { IncidentSummary } from '../queries/view-model.js';
import type { IncidentKey } from '../store/views.js';

export interface IncidentList {
  /** How many incidents the list holds (exact). */
  readonly count: number;
  /** Rows [start, start + n) that exist. */
  slice(start: number, n: number): IncidentSummary[];
}

export interface IncidentFetch {
  /** Rows are read by position only (a materialised list: every offset costs one page). */
  positional?: boolean;
  count(): number;
  /** Up to `limit` rows after `after` in order, or (backward) before it, nearest first; null: from the start / the end. */
  page(after: IncidentKey | null, limit: number, backward: boolean): IncidentSummary[];
  /** Rows [offset, offset + limit) in order. */
  at(offset: number, limit: number): IncidentSummary[];
  key(row: IncidentSummary): IncidentKey;
}

export class IncidentPager implements IncidentList {
  private readonly pages = new Map<number, IncidentSummary[]>();
  private readonly firstKey = new Map<number, IncidentKey>();
  private readonly lastKey = new Map<number, IncidentKey>();
  private total: number | null = null;
  /** Reads from the store, and how many of them were by offset (tests and the bench). */
  fetches = 0;
  offsetReads = 0;

  constructor(private readonly fetch: IncidentFetch, readonly pageSize = 50, private readonly maxPages = 8) {}

  get count(): number {
    this.total ??= this.fetch.count();
    return this.total;
  }

  slice(start: number, n: number): IncidentSummary[] {
    const out: IncidentSummary[] = [];
    const end = Math.min(start + n, this.count);
    for (let i = Math.max(0, start); i < end; ) {
      const k = Math.floor(i / this.pageSize);
      const page = this.page(k);
      const from = i - k * this.pageSize;
      const to = Math.min(page.length, end - k * this.pageSize);
      if (to <= from) break;
      for (let j = from; j < to; j++) out.push(page[j]!);
      i = k * this.pageSize + to;
    }
    return out;
  }

  /** Rows currently held in memory (never more than pageSize * maxPages). */
  get held(): number {
    let n = 0;
    for (const p of this.pages.values()) n += p.length;
    return n;
  }

  private page(k: number): IncidentSummary[] {
    const hit = this.pages.get(k);
    if (hit) {
      this.pages.delete(k);
      this.pages.set(k, hit); // most recently used last
      return hit;
    }
    const lastPage = Math.floor((this.count - 1) / this.pageSize);
    const len = k === lastPage ? this.count - k * this.pageSize : this.pageSize;
    let rows: IncidentSummary[];
    const before = this.lastKey.get(k - 1);
    const after = this.firstKey.get(k + 1);
    if (this.fetch.positional) rows = this.fetch.at(k * this.pageSize, len);
    else if (k === 0) rows = this.fetch.page(null, len, false);
    else if (before) rows = this.fetch.page(before, len, false);
    else if (k === lastPage) rows = this.fetch.page(null, len, true).reverse();
    else if (after) rows = this.fetch.page(after, len, true).reverse();
    else {
      rows = this.fetch.at(k * this.pageSize, len);
      this.offsetReads++;
    }
    this.fetches++;
    if (rows.length) {
      this.firstKey.set(k, this.fetch.key(rows[0]!));
      this.lastKey.set(k, this.fetch.key(rows[rows.length - 1]!));
    }
    this.pages.set(k, rows);
    while (this.pages.size > this.maxPages) this.pages.delete(this.pages.keys().next().value as number);
    return rows;
  }
}
