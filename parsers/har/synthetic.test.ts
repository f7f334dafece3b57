/**
 * Synthetic HAR fixtures (note: 'synthetic' — built here, not real exports) for the signals the real
 * corpus lacks: truncation (B-2), JSONP, pages after entries, wrong shapes (B-5), odd entries (B-6),
 * a huge content.text on the capped path (B-11), deep nesting (B-12), resume, encodings.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import type { ParseEvent, RequestRecord } from '../../src/core/types.js';
import { harEntryToRecord, parseHar, sniffHar, type HarMeta, type HarParseOptions } from './index.js';

type Ev = ParseEvent | HarMeta;

async function* chunked(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

async function run(input: string | Buffer | AsyncIterable<Buffer>, opts?: HarParseOptions, chunk = 65536): Promise<Ev[]> {
  const src = typeof input === 'string' || Buffer.isBuffer(input) ? chunked(Buffer.from(input), chunk) : input;
  const out: Ev[] = [];
  for await (const ev of parseHar(src, opts)) out.push(ev);
  return out;
}

async function rejects(input: string | Buffer): Promise<UserError> {
  const seen: Ev[] = [];
  try {
    for await (const ev of parseHar(chunked(Buffer.from(input), 3))) seen.push(ev);
  } catch (e) {
    expect(seen).toEqual([]); // thrown before anything was yielded
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error(`expected a UserError, got ${seen.length} events`);
}

const recs = (evs: Ev[]): RequestRecord[] => evs.flatMap((e) => (e.kind === 'record' ? [e.record] : []));
const skips = (evs: Ev[]) => evs.flatMap((e) => (e.kind === 'skip' ? [e] : []));
const metaOf = (evs: Ev[]) => evs.find((e): e is HarMeta => e.kind === 'meta')!;
const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

/** A plausible Chrome-like entry (synthetic). */
function entry(i: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    startedDateTime: `2024-03-01T10:00:0${i % 10}.250+01:00`,
    time: 10 + i,
    request: {
      method: 'GET',
      url: `https://api.example.test/v1/items/${i}?page=${i}#frag-${i}`,
      httpVersion: 'HTTP/1.1',
      headers: [
        { name: 'User-Agent', value: 'synthetic-agent/1.0' },
        { name: 'traceparent', value: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
      ],
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status: 200 + i,
      statusText: 'OK',
      httpVersion: 'HTTP/1.1',
      headers: [{ name: 'x-request-id', value: `req-${i}` }],
      cookies: [],
      content: { size: 13, mimeType: 'application/json', text: `{"item":${i}}` },
      redirectURL: '',
      headersSize: -1,
      bodySize: 13,
    },
    cache: {},
    timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0.1, wait: 8, receive: 0.5 },
    ...over,
  };
}

function har(entries: unknown[], log: Record<string, unknown> = {}): string {
  return JSON.stringify({ log: { version: '1.2', creator: { name: 'synthetic', version: '0' }, pages: [], entries, ...log } }, null, 2);
}

describe('synthetic: truncation (B-2)', () => {
  it('a HAR cut in the middle of its third entry gives 2 records and a har_truncated tail', async () => {
    const full = har([entry(0), entry(1), entry(2)]);
    const third = full.indexOf('"startedDateTime"', full.indexOf('items/1?'));
    const cut = third + 200;
    const evs = await run(full.slice(0, cut), undefined, 50);
    expect(recs(evs).map((r) => r.path)).toEqual(['/v1/items/0', '/v1/items/1']);
    const tail = evs[evs.length - 1]!;
    expect(tail).toMatchObject({ kind: 'skip', reason: 'har_truncated', unit: 2, locator: { line: null, entry: 2 } });
    expect(evs[evs.length - 2]!.kind).toBe('meta');
  });

  it('at every cut position: complete entries are records, then a tail; before entries it is a UserError', async () => {
    const parts = [entry(0), entry(1, { comment: 'a "quoted" \\ back\\slash } ] { [' }), entry(2)].map((e) => JSON.stringify(e));
    const head = '{"log":{"version":"1.2","entries":[';
    const doc = head + parts.join(',') + ']}}';
    const ends: number[] = [];
    let at = head.length;
    for (const p of parts) {
      ends.push(at + p.length);
      at += p.length + 1;
    }
    const arrayOpen = head.length; // bytes needed to have seen '['
    for (let cut = 0; cut <= doc.length; cut++) {
      const input = doc.slice(0, cut);
      if (cut < arrayOpen) {
        await rejects(input);
        continue;
      }
      const evs = await run(input, undefined, 7);
      const complete = ends.filter((e) => e <= cut).length;
      expect(recs(evs).length, `cut ${cut}`).toBe(complete);
      const tail = skips(evs);
      if (cut === doc.length) expect(tail).toEqual([]);
      else {
        expect(tail, `cut ${cut}`).toHaveLength(1);
        expect(tail[0]!.reason).toBe('har_truncated');
        // the tail's unit is the entry that was being read (or the next one)
        expect(tail[0]!.unit).toBe(complete);
      }
    }
  });

  it('bytes that stop being JSON after some entries: entries kept, then a tail naming the byte', async () => {
    const doc = har([entry(0), entry(1)]).replace(/\]\s*\}\s*\}\s*$/, '] } } garbage');
    const evs = await run(doc);
    expect(recs(evs)).toHaveLength(2);
    const tail = skips(evs);
    expect(tail).toHaveLength(1);
    expect(tail[0]!.reason).toBe('har_truncated');
    expect(tail[0]!.excerpt).toContain(`invalid JSON at byte ${doc.indexOf('garbage')}`);
  });
});

describe('synthetic: wrappers, BOM, meta placement', () => {
  it('reads JSONP-wrapped HAR (harviewer `onInputData({...});`) and sniffs it', async () => {
    const plain = har([entry(0), entry(1)]);
    const want = recs(await run(plain));
    for (const wrapped of [`onInputData(${plain});`, `onInputData(\n${plain}\n)\n`, `\ufeffwindow.cb_1 ( ${plain} ) ;\n`]) {
      expect(sniffHar(Buffer.from(wrapped).subarray(0, 64))).toBe(true);
      const evs = await run(wrapped, undefined, 5);
      expect(recs(evs)).toEqual(want);
      expect(skips(evs)).toEqual([]);
    }
    await rejects(`onInputData ${plain}`);
  });

  it('reads pages, creator and version written after the entries', async () => {
    const doc = JSON.stringify({
      log: {
        entries: [entry(0, { pageref: 'page_1' })],
        pages: [{ id: 'page_1', title: 'Checkout', startedDateTime: '2024-03-01T09:00:00Z', pageTimings: {} }],
        creator: { name: 'Late Writer', version: '9.9' },
        version: '1.2',
      },
    });
    const evs = await run(doc, undefined, 11);
    expect(metaOf(evs)).toEqual({
      kind: 'meta',
      version: '1.2',
      creator: 'Late Writer',
      creatorVersion: '9.9',
      pages: [{ id: 'page_1', title: 'Checkout', startedMs: Date.UTC(2024, 2, 1, 9) }],
    });
    const r = recs(evs)[0]!;
    expect(r.extra?.['pageref']).toBe('page_1');
    expect(r.extra?.['harCreator']).toBeUndefined(); // not known yet when the entry was read
  });

  it('strips a UTF-8 BOM split across chunks and refuses UTF-16 with a hint', async () => {
    const doc = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(har([entry(0)]))]);
    expect(recs(await run(doc, undefined, 1))).toHaveLength(1);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(har([entry(0)]), 'utf16le')]);
    const err = await rejects(utf16);
    expect(err.message).toContain('UTF-16');
  });
});

describe('synthetic: wrong shapes (B-5) and non-JSON (B-1)', () => {
  const cases: [string, string][] = [
    ['{"log":{}}', 'log.entries must be an array'],
    ['{"log":{"entries":{}}}', 'log.entries must be an array, found an object'],
    ['{"log":{"entries":"x"}}', 'log.entries must be an array, found a string'],
    ['{"entries":[{"request":{"url":"http://a/"}}]}', 'log.entries must be an array'],
    ['[]', 'the top level must be an object'],
    ['{"log":[]}', 'log must be an object, found an array'],
    ['{"log":null}', 'log must be an object, found null'],
    ['{}', 'no "log" object'],
    ['', 'the file is empty'],
    ['\ufeff  \n', 'the file is empty'],
    ['{"log":{"version":"1.2","creator":{"na', 'unexpected end of input at byte 38'],
    ['{"log":{"version":1.2.3,"entries":[]}}', 'invalid JSON at byte 18'],
    ['{"log" {"entries":[]}}', "invalid JSON at byte 7 (expected ':', found '{')"],
    ['<html><body>not a har</body></html>', "invalid JSON at byte 0 (expected '{', found '<')"],
  ];
  for (const [input, msg] of cases) {
    it(`${JSON.stringify(input.slice(0, 40))} → UserError “${msg}”`, async () => {
      const err = await rejects(input);
      expect(err.message).toContain(msg);
      expect(err.message.startsWith('not a HAR: ')).toBe(true);
    });
  }

  it('a bad byte after a valid (empty) entries array is a partial result, not a rejection', async () => {
    const evs = await run('{"log":{"entries":[]}]');
    expect(evs.map((e) => e.kind)).toEqual(['meta', 'skip']);
    expect(skips(evs)[0]).toMatchObject({ reason: 'har_truncated', unit: 0 });
    expect(skips(evs)[0]!.excerpt).toContain("invalid JSON at byte 21 (expected ',' or '}', found ']')");
  });

  it('{"log":{"entries":[]}} is zero entries, not an error', async () => {
    const evs = await run('{"log":{"entries":[]}}');
    expect(evs).toEqual([{ kind: 'meta', version: null, creator: null, creatorVersion: null, pages: [] }]);
  });

  it('random bytes are refused with "invalid JSON at byte N" (seeded, 20 files)', async () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 24) & 0xff;
    for (let k = 0; k < 20; k++) {
      const bytes = Buffer.from(Buffer.alloc(4096, 0).map(() => rnd()));
      if (bytes[0] === 0x7b || (bytes[0]! >= 0x41 && bytes[0]! <= 0x7a)) bytes[0] = 0x00;
      const err = await rejects(bytes);
      expect(err.message).toMatch(/^not a HAR: invalid JSON at byte \d+ \(expected .+, found .+\)$/);
    }
  });
});

describe('synthetic: odd entries (B-6)', () => {
  it('maps or skips every odd entry, never throws, and accounts for every entry', async () => {
    const odd: unknown[] = [
      entry(0, { response: null }), // 0: no response
      entry(1, { response: { status: 0, statusText: 'net::ERR_CONNECTION_RESET', headers: [], content: {} } }), // 1
      entry(2, { request: { method: 'POST', url: 'https://a.test/x', headers: { Accept: 'application/json', 'X-N': 5 } } }), // 2
      { startedDateTime: '2024-03-01T10:00:00Z', response: { status: 200 } }, // 3: missing request
      entry(4, { request: { method: 'GET', url: 42 } }), // 4: url not a string
      42, // 5
      null, // 6
      [entry(7)], // 7
      entry(8, { request: { method: 'GE\u0007T', url: 'https://a.test/', httpVersion: 'HTTP/1.1\r\n\u001b[31m' }, response: { status: 200, httpVersion: '' } }), // 8
      entry(9, { response: 'oops' }), // 9
      entry(10, { response: { status: -1, statusText: '', _failureText: 'net::ERR_TIMED_OUT', headers: [], content: {} } }), // 10: Playwright
      entry(11, { request: { method: 'GET', url: 'https://a.test/p', headers: [{ name: 'Accept', value: ['a/b', 'c/d'] }, { name: 'x-n', value: 7 }, 'junk', { value: 'no name' }] } }), // 11: Polly arrays
      entry(12, { response: { status: 502, headers: [], content: { mimeType: 'text/html', text: '<h1>Bad gateway</h1>' }, _error: 'net::ERR_HTTP_RESPONSE_CODE_FAILURE' } }), // 12
    ];
    const evs = await run(har(odd), undefined, 13);
    const events = evs.filter((e): e is ParseEvent => e.kind !== 'meta');
    expect(events.map((e) => e.unit)).toEqual(odd.map((_, i) => i)); // one event per entry, in order
    const byUnit = new Map(events.map((e) => [e.unit, e]));
    const rec = (u: number) => {
      const e = byUnit.get(u)!;
      if (e.kind !== 'record') throw new Error(`unit ${u} is a skip: ${e.reason}`);
      return e.record;
    };
    const reason = (u: number) => {
      const e = byUnit.get(u)!;
      return e.kind === 'skip' ? e.reason : 'record';
    };

    expect(rec(0)).toMatchObject({ status: 0, errorText: 'no response', respHeaders: null });
    expect(rec(1)).toMatchObject({ status: 0, errorText: 'net::ERR_CONNECTION_RESET' });
    expect(rec(1).extra?.['harError']).toBe(false);
    expect(rec(2).reqHeaders).toEqual([['Accept', 'application/json'], ['X-N', '5']]);
    expect(reason(3)).toBe('entry_invalid:request');
    expect(reason(4)).toBe('entry_invalid:request.url');
    expect(reason(5)).toBe('entry_invalid:entry');
    expect(reason(6)).toBe('entry_invalid:entry');
    expect(reason(7)).toBe('entry_invalid:entry');
    expect(rec(8).method).toBe('GE\\x07T');
    expect(rec(8).httpVersion).toBe('HTTP/1.1\\x0d\\x0a\\x1b[31m');
    expect(reason(9)).toBe('entry_invalid:response');
    expect(rec(10)).toMatchObject({ status: -1, errorText: 'net::ERR_TIMED_OUT' });
    expect(rec(11).reqHeaders).toEqual([['Accept', 'a/b, c/d'], ['x-n', '7']]);
    expect(rec(12)).toMatchObject({ status: 502, errorText: 'net::ERR_HTTP_RESPONSE_CODE_FAILURE', body: null, respMime: 'text/html' });
    expect(rec(12).bodyHash).toBe(sha('<h1>Bad gateway</h1>'));
    expect(rec(12).extra?.['harError']).toBe(true);
    for (const s of skips(evs)) expect(s.excerpt.length).toBeLessThanOrEqual(200);
  });

  it('an entry that is not valid JSON inside is a counted skip; its neighbours are fine', async () => {
    const doc = `{"log":{"entries":[${JSON.stringify(entry(0))},{"request":{"url":"http://a/"}, "x": tru},${JSON.stringify(entry(2))}]}}`;
    const evs = await run(doc, undefined, 9);
    expect(recs(evs).map((r) => r.path)).toEqual(['/v1/items/0', '/v1/items/2']);
    expect(skips(evs)).toMatchObject([{ reason: 'entry_invalid:json', unit: 1 }]);
    expect(skips(evs)[0]!.excerpt).toContain('"x": tru');
  });

  it('maps the whole entry: time, url parts, timings, ids, sizes, body (synthetic)', async () => {
    const r = recs(await run(har([entry(3)])))[0]!;
    expect(r).toMatchObject({
      ts: Date.UTC(2024, 2, 1, 9, 0, 3, 250),
      method: 'GET',
      scheme: 'https',
      host: 'api.example.test',
      path: '/v1/items/3',
      query: 'page=3',
      status: 203,
      httpVersion: 'HTTP/1.1',
      durationMs: 13,
      timings: { blocked: null, dns: null, connect: null, ssl: null, send: 0.1, wait: 8, receive: 0.5 },
      bytesOut: 13,
      bytesIn: 0,
      clientIp: null,
      userAgent: 'synthetic-agent/1.0',
      requestId: 'req-3',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      errorText: null,
      respMime: 'application/json',
      body: '{"item":3}',
      bodySize: 13,
      bodyHash: sha('{"item":3}'),
    });
    // the fragment is kept nowhere
    expect(JSON.stringify(r)).not.toContain('frag-3');
    expect(r.extra).toEqual({ harError: false, harCreator: 'synthetic' });
  });

  it('turns lone surrogates into U+FFFD everywhere (T5)', async () => {
    const doc = `{"log":{"entries":[{"request":{"method":"GET","url":"https://a.test/\\ud800x","headers":[{"name":"X-\\udc00","value":"v\\ud83d"}]},"response":{"status":500,"content":{"mimeType":"application/json","text":"{\\"e\\":\\"\\ud800\\"}"}}}]}}`;
    const r = recs(await run(doc))[0]!;
    expect(r.path).toBe('/\ufffdx');
    expect(r.reqHeaders).toEqual([['X-\ufffd', 'v\ufffd']]);
    expect(r.body).toBe('{"e":"\ufffd"}');
  });

  it('decodes base64 JSON bodies for the excerpt but never base64 binaries (R-B4, R-M1)', async () => {
    const json = '{"error":"quota exceeded","retryAfter":30}';
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5]);
    const doc = har([
      entry(0, { response: { status: 429, headers: [], content: { mimeType: 'application/problem+json', encoding: 'base64', text: Buffer.from(json).toString('base64') } } }),
      entry(1, { response: { status: 200, headers: [], content: { mimeType: 'image/png', encoding: 'base64', text: png.toString('base64') } } }),
      entry(2, { response: { status: 500, headers: [], content: { mimeType: 'text/plain; charset=utf-8', text: 'x'.repeat(50) } } }),
    ]);
    const [a, b, c] = recs(await run(doc, { bodyCap: 20 }));
    expect(a!.body).toBe(json.slice(0, 20));
    expect(a!.bodySize).toBe(json.length);
    expect(a!.extra?.['bodyTruncated']).toBe(true);
    expect(b!.body).toBeNull();
    expect(b!.bodySize).toBe(png.length);
    expect(b!.bodyHash).toBe(sha(png.toString('base64')));
    expect(c!.body).toBe('x'.repeat(20));
  });

  it('keeps data: URLs down to their media type', async () => {
    const r = recs(await run(har([entry(0, { request: { method: 'GET', url: `data:image/png;base64,${'A'.repeat(5000)}` } })])))[0]!;
    expect(r).toMatchObject({ scheme: 'data', host: null, path: 'image/png;base64', query: null });
  });

  it('harEntryToRecord works on parsed values too, and never throws on junk', () => {
    expect(harEntryToRecord(entry(5), 5)).toMatchObject({ kind: 'record', unit: 5, locator: { line: null, entry: 5 } });
    for (const junk of [undefined, true, 'x', [], {}, { request: [] }, { request: { url: '' } }]) {
      const ev = harEntryToRecord(junk, 0);
      expect(ev.kind).toBe('skip');
      if (ev.kind === 'skip') expect(ev.excerpt.length).toBeLessThanOrEqual(200);
    }
  });
});

describe('synthetic: memory bounds (B-11, B-12)', () => {
  it('a 50 MB content.text goes through the capped path: size, SHA-256 and a head excerpt kept', async () => {
    // JSON text with escapes everywhere, including across chunk boundaries (synthetic)
    const unitRaw = 'abc\\"def\\\\ghi\\n\\u00e9\\ud83d\\ude00\\/xyz0123456789'; // as written in the file
    const unitText = JSON.parse(`"${unitRaw}"`) as string; // as JSON.parse would decode it
    const block = Buffer.from(unitRaw.repeat(20_000)); // ~1 MB of raw JSON string content
    const blocks = Math.ceil((50 * 1024 * 1024) / block.length);
    const total = block.length * blocks;
    const before = Buffer.from(`{"log":{"entries":[${JSON.stringify(entry(0))},{"startedDateTime":"2024-03-01T10:00:00Z","request":{"method":"GET","url":"https://big.test/dump"},"response":{"status":500,"content":{"mimeType":"application/json","text":"`);
    const after = Buffer.from(`"}}},${JSON.stringify(entry(2))}]}}`);
    const hash = createHash('sha256');
    const blockText = unitText.repeat(20_000);
    for (let k = 0; k < blocks; k++) hash.update(blockText);
    async function* source(): AsyncGenerator<Buffer> {
      yield before;
      // odd-sized chunks (65521 is prime) so escapes and surrogate pairs get split
      for (let pos = 0; pos < total; pos += 65521) {
        const len = Math.min(65521, total - pos);
        const off = pos % block.length;
        yield off + len <= block.length ? block.subarray(off, off + len) : Buffer.concat([block.subarray(off), block.subarray(0, off + len - block.length)]);
      }
      yield after;
    }
    const evs = await run(source(), { entryTextCap: 1024 * 1024, bodyCap: 100 });
    const [a, big, c] = recs(evs);
    expect(recs(evs)).toHaveLength(3);
    expect(a!.path).toBe('/v1/items/0');
    expect(c!.path).toBe('/v1/items/2');
    expect(big!.status).toBe(500);
    expect(big!.bodyHash).toBe(hash.digest('hex'));
    expect(big!.bodySize).toBe(Buffer.byteLength(blockText) * blocks);
    expect(big!.body).toBe(unitText.repeat(10).slice(0, 100));
    expect(big!.extra).toMatchObject({ bodyCapped: true, bodyTruncated: true });
  }, 60_000);

  it('the capped path gives the same hash and size as the fast path, at any chunking', async () => {
    const text = 'start "quoted" \\ back \u00e9 \ud83d\ude00 \u2028 end '.repeat(40) + 'x\\';
    const doc = har([entry(0, { response: { status: 200, headers: [], content: { mimeType: 'text/plain', text } } })]);
    const fast = recs(await run(doc))[0]!;
    expect(fast.bodyHash).toBe(sha(text));
    for (const size of [1, 2, 3, 5, 64, 4096]) {
      const capped = recs(await run(doc, { entryTextCap: 64, bodyCap: 30 }, size))[0]!;
      expect(capped.bodyHash, `chunk ${size}`).toBe(fast.bodyHash);
      expect(capped.bodySize).toBe(fast.bodySize);
      expect(capped.body).toBe(text.slice(0, 30));
      expect(capped.extra?.['bodyCapped']).toBe(true);
    }
  });

  it('a huge postData.text is elided too, and still counted in bytesIn', async () => {
    const post = 'p'.repeat(5000);
    const doc = har([entry(0, { request: { method: 'POST', url: 'https://a.test/upload', postData: { mimeType: 'text/plain', text: post } } })]);
    const r = recs(await run(doc, { entryTextCap: 1024 }, 333))[0]!;
    expect(r.bytesIn).toBe(5000);
    expect(r.method).toBe('POST');
  });

  it('1e5-deep nesting inside an entry is a too_deep skip, never a RangeError', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const doc = `{"log":{"browser":${deep},"entries":[${JSON.stringify(entry(0))},{"request":{"url":"http://a/"},"_x":${deep}},${JSON.stringify(entry(2))}],"pages":${deep}}}`;
    const evs = await run(doc, undefined, 4096);
    expect(recs(evs).map((r) => r.path)).toEqual(['/v1/items/0', '/v1/items/2']);
    expect(skips(evs)).toMatchObject([{ kind: 'skip', unit: 1, reason: 'entry_invalid:too_deep' }]);
    expect(skips(evs)[0]!.excerpt.startsWith('{"request":{"url":"http://a/"},"_x":[[[')).toBe(true);
    expect(metaOf(evs).pages).toEqual([]); // pages too deep: ignored
  });

  it('mismatched brackets inside an entry are invalid JSON (tail), not a silent mis-split', async () => {
    const doc = `{"log":{"entries":[${JSON.stringify(entry(0))},{"request":{"url":"http://a/"]}]}}`;
    const evs = await run(doc);
    expect(recs(evs)).toHaveLength(1);
    expect(skips(evs)).toMatchObject([{ reason: 'har_truncated', unit: 1 }]);
  });
});

describe('synthetic: big entries', () => {
  async function* streamed(parts: (Buffer | (() => Generator<Buffer>))[]): AsyncGenerator<Buffer> {
    for (const p of parts) {
      if (Buffer.isBuffer(p)) yield p;
      else yield* p();
    }
  }

  it('once an entry holds > 8 MiB, its later strings are elided from 256 KiB on', async () => {
    const frame = 'w'.repeat(300 * 1024);
    const head = Buffer.from('{"log":{"entries":[{"request":{"url":"https://ws.test/socket"},"_webSocketMessages":[');
    const frames = function* (): Generator<Buffer> {
      for (let k = 0; k < 30; k++) yield Buffer.from(`${k ? ',' : ''}{"type":"receive","data":"${frame}"}`);
    };
    const tail = Buffer.from(`],"response":{"status":101,"content":{"mimeType":"application/json","text":"${'j'.repeat(300 * 1024)}"}}}]}}`);
    const evs = await run(streamed([head, frames, tail]));
    const r = recs(evs)[0]!;
    expect(r.extra?.['bodyCapped']).toBe(true); // 300 KiB < the 16 MiB default cap, elided because the entry is big
    expect(r.bodyHash).toBe(sha('j'.repeat(300 * 1024)));
    expect(r.body).toBe('j'.repeat(64 * 1024));
  });

  it('an entry that keeps growing past 64 MiB of small values is a too_large skip; the next entry is read', async () => {
    const head = Buffer.from('{"log":{"entries":[{"request":{"url":"https://a.test/"},"_junk":[');
    const junk = function* (): Generator<Buffer> {
      const block = Buffer.from('"0123456789",'.repeat(80_000)); // ~1 MB
      for (let k = 0; k < 70; k++) yield block;
    };
    const tail = Buffer.from(`"end"]},${JSON.stringify(entry(1))}]}}`);
    const evs = await run(streamed([head, junk, tail]));
    expect(skips(evs)).toMatchObject([{ unit: 0, reason: 'entry_invalid:too_large' }]);
    expect(skips(evs)[0]!.excerpt.startsWith('{"request":{"url":"https://a.test/"},"_junk":["0123456789"')).toBe(true);
    expect(recs(evs).map((r) => r.path)).toEqual(['/v1/items/1']);
  });

  it('invalid JSON in log.pages after the entries: all entries kept, then a tail (not silent)', async () => {
    const doc = `{"log":{"entries":[${JSON.stringify(entry(0))}],"pages":[{"id":"p","title":tru}]}}`;
    const evs = await run(doc);
    expect(recs(evs)).toHaveLength(1);
    expect(skips(evs)).toMatchObject([{ reason: 'har_truncated', unit: 1 }]);
    expect(skips(evs)[0]!.excerpt).toContain('the entries were all read');
  });
});

describe('synthetic: resume', () => {
  it('startEntry skips earlier entries without events; meta still read', async () => {
    const evs = await run(har([entry(0), entry(1), entry(2), entry(3)]), { startEntry: 2 }, 17);
    const events = evs.filter((e): e is ParseEvent => e.kind !== 'meta');
    expect(events.map((e) => e.unit)).toEqual([2, 3]);
    expect(metaOf(evs).creator).toBe('synthetic');
    const truncated = await run(har([entry(0), entry(1), entry(2)]).slice(0, -40), { startEntry: 1 });
    expect(truncated.filter((e) => e.kind === 'record').map((e) => (e as { unit: number }).unit)).toEqual([1]);
    expect(skips(truncated)).toMatchObject([{ reason: 'har_truncated', unit: 2 }]);
  });

  it('rejects nonsensical options with a UserError', async () => {
    await expect(run('{"log":{"entries":[]}}', { bodyCap: -1 })).rejects.toBeInstanceOf(UserError);
    await expect(run('{"log":{"entries":[]}}', { entryTextCap: Number.NaN })).rejects.toBeInstanceOf(UserError);
  });
});
