/**
 * A window over a keyset-paginated request list. Only a few pages are held (LRU), the cursor of
 * every page seen so far is kept (two numbers each), so scrolling back re-reads a page by its
 * cursor instead of keeping rows. Never more than `pageSize * maxPages` rows in memory, however
 * long the list; never a whole-table query.
 */
import type { StoredRequest } from '../core/types.js';
import type { RequestPage } from '../queries/view-model.js';

export type PageKey = RequestPage['next'];
export type FetchPage = (after: PageKey, limit: number) => RequestPage;

export class RequestPager {
  /** cursors[k] is the key to pass to fetch page k; cursors[0] = null. */
  private readonly cursors: PageKey[] = [null];
  private readonly pages = new Map<number, StoredRequest[]>();
  /** Highest page index fetched so far (-1: none). */
  private maxPage = -1;
  private ended = false;
  private lastLen = 0;
  /** Pages read from the store, for tests and the bench. */
  fetches = 0;

  constructor(private readonly fetch: FetchPage, readonly pageSize = 100, private readonly maxPages = 6) {}

  /** Rows known to exist so far (exact once `complete`). */
  get known(): number {
    if (this.maxPage < 0) return 0;
    return this.ended ? this.maxPage * this.pageSize + this.lastLen : (this.maxPage + 1) * this.pageSize;
  }

  /** True once the last page was read, so `known` is the total. */
  get complete(): boolean {
    return this.ended;
  }

  /**
   * Makes sure rows up to index `i` are known (reading forward page by page, at most
   * `maxNewPages` pages per call so a keypress stays bounded) and returns `known`.
   */
  reach(i: number, maxNewPages = 1000): number {
    const want = Math.floor(Math.max(0, i) / this.pageSize);
    let budget = maxNewPages;
    while (!this.ended && this.maxPage < want && budget-- > 0) this.load(this.maxPage + 1);
    return this.known;
  }

  /** Rows [start, start + count) that exist, reading only the pages they fall in. */
  slice(start: number, count: number): StoredRequest[] {
    const out: StoredRequest[] = [];
    if (count <= 0) return out;
    this.reach(start + count - 1);
    const end = Math.min(start + count, this.known);
    for (let i = Math.max(0, start); i < end; ) {
      const k = Math.floor(i / this.pageSize);
      const page = this.page(k);
      if (!page) break;
      const from = i - k * this.pageSize;
      const to = Math.min(page.length, end - k * this.pageSize);
      for (let j = from; j < to; j++) out.push(page[j]!);
      i = k * this.pageSize + to;
      if (to <= from) break;
    }
    return out;
  }

  at(i: number): StoredRequest | undefined {
    return this.slice(i, 1)[0];
  }

  /** Page k from the cache, or re-read by its cursor. */
  private page(k: number): StoredRequest[] | undefined {
    const hit = this.pages.get(k);
    if (hit) {
      this.pages.delete(k);
      this.pages.set(k, hit); // most recently used last
      return hit;
    }
    if (k >= this.cursors.length) return undefined;
    return this.load(k);
  }

  private load(k: number): StoredRequest[] {
    const res = this.fetch(this.cursors[k]!, this.pageSize);
    this.fetches++;
    if (k > this.maxPage) {
      this.maxPage = k;
      if (res.next) this.cursors[k + 1] = res.next;
      else {
        this.ended = true;
        this.lastLen = res.rows.length;
      }
    }
    this.pages.set(k, res.rows);
    while (this.pages.size > this.maxPages) {
      const oldest = this.pages.keys().next().value as number;
      this.pages.delete(oldest);
    }
    return res.rows;
  }

  /** Rows currently held in memory (never more than pageSize * maxPages). */
  get held(): number {
    let n = 0;
    for (const p of this.pages.values()) n += p.length;
    return n;
  }
}
