/**
 * An unbound SourceSink (ingest of a new file parses while the file is hashed, before its source row
 * exists) holds what the parsing side sends, makes it wait past its byte budget, and on bind() writes
 * everything in arrival order into the real SQLite store, as if it had been bound from the start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { emptyRecord } from '../core/types.js';
import { BatchStrings, openStore } from '../store/index.js';
import { BatchEncoder, type EncodedBatch } from './batch.js';
import { SourceSink } from './sink.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-sink-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `count` batches of 100 requests each (units from `first`), the last request of each a 503 with its raw line. */
function batches(enc = new BatchEncoder(), count = 3, first = 1): EncodedBatch[] {
  const out: EncodedBatch[] = [];
  let unit = first;
  for (let b = 0; b < count; b++) {
    for (let i = 0; i < 100; i++, unit++) {
      const failed = i === 99;
      const r = { ...emptyRecord(), ts: 1_700_000_000_000 + unit * 1000, method: 'GET', path: `/items/${unit % 7}`, status: failed ? 503 : 200, clientIp: '192.0.2.1' };
      enc.addRecord(unit, r, failed, 'log', failed ? `192.0.2.1 - - "GET /items/${unit % 7}" 503` : null);
    }
    out.push(enc.take(unit, unit * 40));
  }
  return out;
}

it('holds batches until bind, makes the sender wait past its budget, then writes them in order', async () => {
  const store = openStore(join(dir, 'held.db'));
  try {
    const sink = new SourceSink(store, null, new BatchStrings(), null, 1);
    sink.format('combined');
    const [b1, b2, b3] = batches();
    // The first batch is over a 1-byte budget already: every batch makes the sender wait.
    const waits = [sink.batch(b1!, 100), sink.batch(b2!, 200), sink.batch(b3!, 300)];
    for (const w of waits) expect(w).toBeInstanceOf(Promise);
    let released = 0;
    for (const w of waits) void (w as Promise<void>).then(() => released++);
    await new Promise((r) => setImmediate(r));
    expect(released).toBe(0);
    expect(store.requests.count().total).toBe(0);

    const row = store.sources.create({ path: 'held.log', kind: 'log', format: 'detecting', size: 1, sha256: 'a'.repeat(64) });
    sink.bind(row.id);
    await Promise.all(waits);
    expect(released).toBe(3);
    const after = store.sources.byId(row.id)!;
    expect(after.format).toBe('combined');
    expect([after.records, after.failures, after.nextUnit]).toEqual([300, 3, 301]);
    expect(sink.counts).toEqual({ records: 300, failures: 3, skipped: 0 });
    // Bound now: the next batch is written at once.
    expect(() => sink.bind(row.id)).toThrow(/already bound/);
  } finally {
    store.close();
  }
});

it('within its budget an unbound sink lets the sender go on at once', () => {
  const store = openStore(join(dir, 'budget.db'));
  try {
    const sink = new SourceSink(store, null, new BatchStrings(), null);
    for (const b of batches()) expect(sink.batch(b, 0)).toBeUndefined();
    const row = store.sources.create({ path: 'b.log', kind: 'log', format: 'combined', size: 1, sha256: 'b'.repeat(64) });
    sink.bind(row.id);
    expect(store.sources.byId(row.id)!.records).toBe(300);
  } finally {
    store.close();
  }
});


it('discard lets a waiting sender go, stores nothing, and keeps the string table whole for the next source', async () => {
  const store = openStore(join(dir, 'discard.db'));
  try {
    const strings = new BatchStrings();
    const enc = new BatchEncoder();
    const [b1, b2] = batches(enc, 2);
    const dropped = new SourceSink(store, null, strings, null, 1);
    const waits = [dropped.batch(b1!, 100), dropped.batch(b2!, 200)];
    dropped.discard();
    await Promise.all(waits);
    const [late] = batches(enc, 1, 201);
    expect(dropped.batch(late!, 300)).toBeUndefined(); // dropped at once, never held
    expect(store.requests.count().total).toBe(0);
    // The next source of the session: its batch names the method, paths and client by ids that only
    // the dropped batches sent as new strings.
    const [b4] = batches(enc, 1, 1);
    expect(b4!.newStrings).toEqual([]);
    const row = store.sources.create({ path: 'next.log', kind: 'log', format: 'combined', size: 2, sha256: 'c'.repeat(64) });
    const next = new SourceSink(store, row.id, strings, null);
    next.batch(b4!, 100);
    const got = store.views.page({ sourceId: row.id }, 3).map((r) => [r.line, r.method, r.path, r.clientIp]);
    expect(got).toEqual([[1, 'GET', '/items/1', '192.0.2.1'], [2, 'GET', '/items/2', '192.0.2.1'], [3, 'GET', '/items/3', '192.0.2.1']]);
  } finally {
    store.close();
  }
});
