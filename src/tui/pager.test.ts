import { describe, expect, it } from 'vitest';
import { RequestPager, type FetchPage } from './pager.js';
import { storedRequest } from './testing/hand-built.js';

/** Keyset pages over an in-memory list (the Views.page contract: (ts, id) order, after the cursor). */
function lister(n: number): { fetch: FetchPage; calls: number[] } {
  const rows = Array.from({ length: n }, (_, i) => storedRequest(i + 1, { ts: 1000 + Math.floor(i / 3) }));
  const calls: number[] = [];
  const fetch: FetchPage = (after, limit) => {
    const start = after ? rows.findIndex((r) => (r.ts ?? -1) > (after.ts ?? -1) || ((r.ts ?? -1) === after.ts && r.id > after.id)) : 0;
    calls.push(start);
    const from = start < 0 ? rows.length : start;
    const page = rows.slice(from, from + limit);
    const more = from + limit < rows.length;
    const last = page[page.length - 1];
    return { rows: page, next: more && last ? { ts: last.ts, id: last.id } : null };
  };
  return { fetch, calls };
}

describe('RequestPager', () => {
  it('reads forward one page at a time and knows the total at the end', () => {
    const { fetch } = lister(250);
    const p = new RequestPager(fetch, 100, 2);
    expect(p.reach(0)).toBe(100);
    expect(p.complete).toBe(false);
    expect(p.slice(95, 10).map((r) => r.id)).toEqual([96, 97, 98, 99, 100, 101, 102, 103, 104, 105]);
    expect(p.reach(10_000)).toBe(250);
    expect(p.complete).toBe(true);
    expect(p.slice(245, 20).map((r) => r.id)).toEqual([246, 247, 248, 249, 250]);
    expect(p.at(250)).toBeUndefined();
  });

  it('holds at most maxPages pages and re-reads evicted ones by cursor', () => {
    const { fetch, calls } = lister(1000);
    const p = new RequestPager(fetch, 100, 3);
    p.reach(999);
    expect(p.fetches).toBe(10);
    expect(p.held).toBeLessThanOrEqual(300);
    const before = calls.length;
    expect(p.at(0)?.id).toBe(1);
    expect(p.at(150)?.id).toBe(151);
    expect(calls.length).toBe(before + 2);
    expect(p.held).toBeLessThanOrEqual(300);
  });

  it('bounds the pages read by one call', () => {
    const { fetch } = lister(10_000);
    const p = new RequestPager(fetch, 100, 4);
    expect(p.reach(Number.MAX_SAFE_INTEGER, 5)).toBe(500);
    expect(p.fetches).toBe(5);
    expect(p.reach(Number.MAX_SAFE_INTEGER, 5)).toBe(1000);
  });

  it('handles an empty list and an exact multiple of the page size', () => {
    expect(new RequestPager(lister(0).fetch, 100).reach(50)).toBe(0);
    const p = new RequestPager(lister(200).fetch, 100);
    expect(p.reach(500)).toBe(200);
    expect(p.complete).toBe(true);
    expect(p.slice(190, 50)).toHaveLength(10);
  });
});
