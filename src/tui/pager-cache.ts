import type { RequestFilter } from '../store/views.js';
import { RequestPager } from './pager.js';
import type { TuiSource } from './source.js';

export const PAGE_SIZE = 100;

/**
 * Pagers by filter, kept across screen changes: going into a request and back (or opening help)
 * must not lose the cursors, or returning to row 50,000 would walk 500 pages again. Bounded LRU;
 * each pager itself holds at most a few pages of rows.
 */
export class PagerCache {
  private readonly pagers = new Map<string, RequestPager>();

  constructor(private readonly source: TuiSource, private readonly max = 8) {}

  get(filter: RequestFilter): RequestPager {
    const key = JSON.stringify(filter);
    let p = this.pagers.get(key);
    if (p) {
      this.pagers.delete(key);
    } else {
      p = new RequestPager((after, limit) => this.source.page(filter, limit, after), PAGE_SIZE);
    }
    this.pagers.set(key, p);
    while (this.pagers.size > this.max) this.pagers.delete(this.pagers.keys().next().value as string);
    return p;
  }
}
