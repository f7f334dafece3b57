/**
 * The columnar batches between the parsing side and the writer: every field of a record survives the
 * trip (numbers, nulls, sparse free text, detail JSON), strings repeat as ids, and a structured clone
 * (what postMessage does) changes nothing. Records are synthetic: they exercise every field at once.
 */
import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { emptyRecord, type RequestRecord } from '../core/types.js';
import { BatchEncoder, decodeRecord, type EncodedBatch } from './batch.js';

function record(over: Partial<RequestRecord>): RequestRecord {
  return { ...emptyRecord(), ...over };
}

/** The receiving side's view of the string table (local id → string), as the writer keeps it. */
function strings(batches: EncodedBatch[]): string[][] {
  let table: string[] = [];
  return batches.map((b) => {
    if (b.stringsReset) table = [];
    table.push(...b.newStrings);
    return table.slice();
  });
}

describe('EncodedBatch', () => {
  it('round-trips every field through a structured clone, with nulls, sparse text and detail', () => {
    const enc = new BatchEncoder();
    const full = record({
      ts: 1714557600123, method: 'POST', scheme: 'https', host: 'api.example.com', path: '/v1/orders/42', query: 'a=1&b=2',
      status: 502, httpVersion: 'HTTP/2', durationMs: 1234.5, upstreamMs: 1200, bytesOut: 0, bytesIn: 512, clientIp: '198.51.100.7',
      userAgent: 'synthetic/1.0', referer: 'https://app.example.com/', upstreamAddr: '10.0.0.1:8080', upstreamStatus: '502',
      requestId: 'req-1', traceId: 'trace-1', errorText: 'upstream prematurely closed connection',
      reqHeaders: [['Accept', 'application/json']], respHeaders: [['Retry-After', '30']], respMime: 'application/json',
      body: '{"error":"bad gateway"}', bodySize: 23, bodyHash: 'ab'.repeat(32), extra: { lbError: true, note: null },
      timings: { blocked: -1, dns: 1, connect: 2, ssl: null, send: 0.5, wait: 1200, receive: 3 },
    });
    const bare = record({ ts: null, method: 'GET', path: '/', status: 200 });
    enc.addRecord(7, full, true, 'log', 'raw line');
    enc.addRecord(8, bare, false, 'log', null);
    enc.addRecord(9, record({ ...bare, query: 'x=1', errorText: null }), false, 'log', null);
    enc.addSkip({ unit: 10, reason: 'unparsed_line', detail: 'expected [time]', excerpt: 'garbage' });
    const b = deserialize(serialize(enc.take(11, 4096))) as EncodedBatch;
    const table = strings([b])[0]!;
    expect(b.n).toBe(3);
    expect(b.nextUnit).toBe(11);
    expect(b.nextOffset).toBe(4096);
    expect(b.skips).toEqual([{ unit: 10, reason: 'unparsed_line', detail: 'expected [time]', excerpt: 'garbage' }]);
    expect(decodeRecord(b, table, 0)).toEqual({ ...full, unit: 7, failed: true });
    expect(decodeRecord(b, table, 1)).toEqual({ ...bare, unit: 8, failed: false });
    expect(decodeRecord(b, table, 2)).toMatchObject({ unit: 9, query: 'x=1', errorText: null });
    // Detail only where the writer keeps it (a failure; the successes carry no headers or body), with the raw line of the failure.
    expect(b.detail.map((d) => [d.row, d.raw])).toEqual([[0, 'raw line']]);
    // Only non-null free text travels.
    expect(b.texts).toEqual(['a=1&b=2', '10.0.0.1:8080', '502', 'req-1', 'trace-1', 'upstream prematurely closed connection', 'x=1']);
  });

  it('sends a repeating string once per session, across batches', () => {
    const enc = new BatchEncoder();
    const ua = 'Mozilla/5.0 (synthetic)';
    for (let i = 0; i < 3; i++) enc.addRecord(i, record({ method: 'GET', path: '/a', userAgent: ua, status: 200 }), false, 'log', null);
    const b1 = enc.take(3, 0);
    for (let i = 3; i < 5; i++) enc.addRecord(i, record({ method: 'GET', path: '/b', userAgent: ua, status: 200 }), false, 'log', null);
    const b2 = enc.take(5, 0);
    expect(b1.newStrings).toEqual(['GET', '/a', ua]);
    expect(b2.newStrings).toEqual(['/b']);
    const [t1, t2] = strings([b1, b2]);
    expect(decodeRecord(b2, t2!, 1)).toMatchObject({ unit: 4, method: 'GET', path: '/b', userAgent: ua });
    expect(decodeRecord(b1, t1!, 2)).toMatchObject({ unit: 2, path: '/a' });
  });
});
