import type { Db } from './open.js';
import type Database from 'better-sqlite3';

/** Cap on cached strings: bounds memory on logs with millions of distinct paths. */
const CACHE_MAX = 200_000;
/** …and on their characters (all-distinct long values must not pile up). */
const CACHE_CHARS = 4 * 1024 * 1024;

/**
 * Dictionary encoding of repeating strings (hosts, paths, clients, user agents, referers).
 * Must be used inside the writer's transaction; call `reset()` if that transaction rolls back,
 * because ids inserted by it no longer exist.
 */
export class Dict {
  private cache = new Map<string, number>();
  private cacheChars = 0;
  private readonly select: Database.Statement<[string], { id: number }>;
  private readonly insert: Database.Statement<[string]>;

  constructor(db: Db) {
    this.select = db.prepare('SELECT id FROM dict WHERE s = ?');
    this.insert = db.prepare('INSERT INTO dict(s) VALUES (?)');
  }

  id(s: string | null): number | null {
    if (s === null) return null;
    const hit = this.cache.get(s);
    if (hit !== undefined) return hit;
    const row = this.select.get(s);
    const id = row ? row.id : Number(this.insert.run(s).lastInsertRowid);
    if (this.cache.size >= CACHE_MAX || this.cacheChars >= CACHE_CHARS) {
      this.cache.clear();
      this.cacheChars = 0;
    }
    this.cache.set(s, id);
    this.cacheChars += s.length;
    return id;
  }

  reset(): void {
    this.cache.clear();
    this.cacheChars = 0;
  }
}
