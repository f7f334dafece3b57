/**
 * Property tests (B-40): the streaming parser agrees with JSON.parse + harEntryToRecord on any
 * entries at any chunking; the capped path hashes exactly like the fast path; any bytes give
 * events or a UserError, never another exception.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import type { ParseEvent } from '../../src/core/types.js';
import { harEntryToRecord, parseHar, type HarMeta, type HarParseOptions } from './index.js';
import { wellFormed } from './text.js';

type Ev = ParseEvent | HarMeta;

async function* split(buf: Buffer, cuts: number[]): AsyncGenerator<Buffer> {
  let at = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    const p = Math.min(Math.max(c, at), buf.length);
    if (p > at) yield buf.subarray(at, p);
    at = p;
  }
  if (at < buf.length) yield buf.subarray(at);
}

async function run(buf: Buffer, cuts: number[], opts?: HarParseOptions): Promise<Ev[]> {
  const out: Ev[] = [];
  for await (const ev of parseHar(split(buf, cuts), opts)) out.push(ev);
  return out;
}

/** Skip excerpts differ by design (raw bytes vs a rendering of the parsed value): compare the rest. */
function comparable(e: Ev): unknown {
  return e.kind === 'skip' ? { ...e, excerpt: '' } : e;
}

const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('\ud800', 'a\udc00b', '"\\', '\u2028', '\u0000', ' ', ''),
  fc.string({ maxLength: 200 }),
);
const headerList = fc.oneof(
  fc.array(fc.record({ name: text, value: fc.oneof(text, fc.integer(), fc.array(text, { maxLength: 3 })) }), { maxLength: 4 }),
  fc.dictionary(text, text, { maxKeys: 3 }),
  fc.constant(null),
);
/** Entries shaped like HAR entries, with every field sometimes wrong. */
const harLikeEntry = fc.record(
  {
    startedDateTime: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), text),
    time: fc.oneof(fc.double(), fc.integer({ min: -1, max: 1e6 })),
    request: fc.oneof(
      fc.record(
        {
          method: fc.oneof(fc.constantFrom('GET', 'POST', 'TEST_METHOD_NOT_IN_SPEC'), text),
          url: fc.oneof(fc.webUrl({ withFragments: true, withQueryParameters: true }), text, fc.integer()),
          httpVersion: text,
          headers: headerList,
          bodySize: fc.integer({ min: -1, max: 1e6 }),
        },
        { requiredKeys: ['url'] },
      ),
      fc.constant(null),
    ),
    response: fc.oneof(
      fc.constant(null),
      fc.record(
        {
          status: fc.oneof(fc.integer({ min: -1, max: 599 }), text),
          statusText: text,
          headers: headerList,
          _error: fc.oneof(text, fc.constant(null)),
          content: fc.record(
            {
              size: fc.integer({ min: -1, max: 1e6 }),
              mimeType: fc.constantFrom('application/json', 'text/html', 'image/png', 'text/plain', ''),
              encoding: fc.constantFrom('base64', ''),
              text,
            },
            { requiredKeys: [] },
          ),
        },
        { requiredKeys: [] },
      ),
    ),
    timings: fc.dictionary(fc.constantFrom('blocked', 'dns', 'wait', 'receive'), fc.integer({ min: -1, max: 100 })),
    _deep: fc.jsonValue({ maxDepth: 6 }),
  },
  { requiredKeys: [] },
);
const anyEntry = fc.oneof(harLikeEntry, fc.jsonValue({ maxDepth: 4 }));

describe('properties', () => {
  it('streaming = JSON.parse + harEntryToRecord, for any entries, formatting and chunking', async () => {
    const kinds = { records: 0, skips: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(anyEntry, { maxLength: 8 }),
        fc.constantFrom(0, 1, 2, '\t'),
        fc.array(fc.nat({ max: 20_000 }), { maxLength: 30 }),
        async (entries, indent, cuts) => {
          const doc = Buffer.from(JSON.stringify({ log: { version: '1.2', entries } }, null, indent));
          const evs = await run(doc, cuts);
          const parsed = JSON.parse(doc.toString('utf8')).log.entries as unknown[];
          const want = parsed.map((e, i) => comparable(harEntryToRecord(e, i)));
          expect(evs.map(comparable)).toEqual([...want, { kind: 'meta', version: '1.2', creator: null, creatorVersion: null, pages: [] }]);
          kinds.records += want.filter((e) => (e as Ev).kind === 'record').length;
          kinds.skips += want.filter((e) => (e as Ev).kind === 'skip').length;
        },
      ),
      { numRuns: 300, seed: 20261123 },
    );
    // the generator is only useful if it yields plenty of both
    expect(kinds.records).toBeGreaterThan(100);
    expect(kinds.skips).toBeGreaterThan(100);
  });

  it('the capped path (tiny entryTextCap) hashes and sizes content.text exactly like the fast path', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', minLength: 0, maxLength: 600 }),
        fc.constantFrom('application/json', 'image/png'),
        fc.array(fc.nat({ max: 2_000 }), { maxLength: 40 }),
        async (body, mimeType, cuts) => {
          const e = { request: { url: 'https://a.test/' }, response: { status: 500, content: { mimeType, text: body } } };
          const doc = Buffer.from(JSON.stringify({ log: { entries: [e] } }));
          const [fast] = await run(doc, []);
          const [capped] = await run(doc, cuts, { entryTextCap: 64, bodyCap: 50 });
          if (fast?.kind !== 'record' || capped?.kind !== 'record') throw new Error('expected records');
          // the capped path really was taken whenever the raw string is longer than the cap
          expect(capped.record.extra?.['bodyCapped']).toBe(JSON.stringify(body).length - 2 > 64 ? true : undefined);
          expect(capped.record.bodyHash).toBe(fast.record.bodyHash);
          expect(capped.record.bodySize).toBe(fast.record.bodySize);
          if (body.length > 64 && mimeType === 'application/json') {
            // the head excerpt may end on a cut character (U+FFFD) but agrees before that
            expect(capped.record.body!.slice(0, 40)).toBe(wellFormed(fast.record.body!.slice(0, 40)));
          }
        },
      ),
      { numRuns: 300, seed: 20261123 },
    );
  });

  it('any bytes: events or a UserError before any event, never another exception', async () => {
    const prefixes = ['', '{"log":{"entries":[', '{"log":{"entries":[{"request":{"url":"http://a/"}},', 'cb(', '\ufeff{'];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...prefixes),
        fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.string({ maxLength: 200 }).map((s) => new TextEncoder().encode(s))),
        fc.array(fc.nat({ max: 400 }), { maxLength: 10 }),
        async (prefix, tail, cuts) => {
          const doc = Buffer.concat([Buffer.from(prefix), Buffer.from(tail)]);
          const seen: Ev[] = [];
          try {
            for await (const ev of parseHar(split(doc, cuts))) seen.push(ev);
          } catch (e) {
            expect(e).toBeInstanceOf(UserError);
            expect(seen).toEqual([]);
            return;
          }
          // accounting: units are 0..k-1 in order, then meta, then at most one tail skip
          const units = seen.filter((e): e is ParseEvent => e.kind !== 'meta').map((e) => e.unit);
          expect(units).toEqual(units.map((_, i) => i));
          const metaAt = seen.findIndex((e) => e.kind === 'meta');
          expect(metaAt).toBeGreaterThanOrEqual(seen.length - 2);
          if (metaAt === seen.length - 2) expect((seen[seen.length - 1] as { reason: string }).reason).toBe('har_truncated');
        },
      ),
      { numRuns: 500, seed: 20261123 },
    );
  });
});
