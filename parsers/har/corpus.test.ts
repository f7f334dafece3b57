/**
 * Every real HAR in shared/corpus/har goes through the streaming parser; the results are
 * cross-checked against a plain JSON.parse of the same file (the oracle).
 */
import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import type { ParseEvent, RequestRecord } from '../../src/core/types.js';
import { parseHar, sniffHar, type HarMeta } from './index.js';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/har/', import.meta.url));
const files = readdirSync(CORPUS).filter((f) => f.endsWith('.har')).sort();
const BROKEN = 'mitmproxy__brokenfile.har';

type Ev = ParseEvent | HarMeta;

async function* chunked(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

async function collect(input: AsyncIterable<Buffer>): Promise<Ev[]> {
  const out: Ev[] = [];
  for await (const ev of parseHar(input)) out.push(ev);
  return out;
}

function oracle(file: string): any {
  let text = readFileSync(CORPUS + file, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return JSON.parse(text);
}

function records(evs: Ev[]): RequestRecord[] {
  return evs.flatMap((e) => (e.kind === 'record' ? [e.record] : []));
}

function nonEmptyString(v: unknown): boolean {
  return typeof v === 'string' && v.trim().length > 0;
}

describe('real HAR corpus', () => {
  it('has the files the MANIFEST lists', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
    expect(files).toContain(BROKEN);
  });

  for (const file of files.filter((f) => f !== BROKEN)) {
    it(`${file}: counts match JSON.parse`, async () => {
      const har = oracle(file);
      const entries: any[] = har.log.entries;
      const evs = await collect(createReadStream(CORPUS + file));
      const recs = records(evs);
      const skips = evs.filter((e) => e.kind === 'skip');
      const metas = evs.filter((e) => e.kind === 'meta') as HarMeta[];

      // accounting: one event per entry, no skips in these well-formed files, one meta at the end
      expect(recs.length + skips.length).toBe(entries.length);
      expect(skips).toEqual([]);
      expect(metas).toHaveLength(1);
      expect(evs[evs.length - 1]!.kind).toBe('meta');
      evs.forEach((e, i) => {
        if (e.kind !== 'meta') expect(e.unit).toBe(i);
      });

      // statuses (a missing or null response counts as 0)
      const want = entries.map((e) => (e.response ? e.response.status : 0)).sort();
      const got = recs.map((r) => r.status).sort();
      expect(got).toEqual(want);

      // Chrome's _error (on the response, or on the entry in older exports)
      const errs = entries.filter((e) => nonEmptyString(e.response?._error) || nonEmptyString(e._error)).length;
      expect(recs.filter((r) => r.extra?.['harError'] === true).length).toBe(errs);

      // meta
      const meta = metas[0]!;
      expect(meta.version).toBe(har.log.version ?? null);
      expect(meta.creator).toBe(har.log.creator?.name ?? null);
      expect(meta.pages.map((p) => p.id)).toEqual((har.log.pages ?? []).map((p: any) => p.id));

      entries.forEach((e, i) => {
        const r = recs[i]!;
        expect(r.method).toBe(e.request.method);
        // the URL comes back from its parts, minus the fragment (dropped on purpose)
        const url: string = e.request.url;
        if (!url.startsWith('data:') && !url.includes('@')) {
          const noFrag = url.split('#')[0]!;
          const rebuilt = `${r.scheme}://${r.host}${r.path}${r.query !== null ? `?${r.query}` : ''}`;
          expect(rebuilt.toLowerCase()).toBe(noFrag.toLowerCase().replace(/^(https?:\/\/[^/?]+)(?=\?|$)/, '$1/'));
        }
        expect(r.ts).toBe(Date.parse(e.startedDateTime));
        expect(r.durationMs).toBe(e.time >= 0 ? e.time : null);
        expect(r.reqHeaders?.length ?? 0).toBe((e.request.headers ?? []).length);
        expect(r.respHeaders?.length ?? 0).toBe((e.response?.headers ?? []).length);
        const text = e.response?.content?.text;
        if (typeof text === 'string' && text.length > 0) {
          expect(r.bodyHash).toBe(createHash('sha256').update(text).digest('hex'));
        } else expect(r.bodyHash).toBeNull();
        if (nonEmptyString(e.response?._error)) expect(r.errorText).toBe(e.response._error);
        expect(r.upstreamAddr).toBe(nonEmptyString(e.serverIPAddress) ? e.serverIPAddress : null);
        // R-M1: never an excerpt of HTML/JS/CSS/images
        if (r.body !== null) expect(r.respMime ?? '').toMatch(/json|text\/plain/i);
        // harCreator is known only when log.creator comes before log.entries (Fiddler writes it after)
        const keys = Object.keys(har.log);
        const creatorFirst = keys.indexOf('creator') >= 0 && keys.indexOf('creator') < keys.indexOf('entries');
        expect(r.extra?.['harCreator']).toBe(creatorFirst ? har.log.creator.name : undefined);
      });
    });
  }

  it('gives identical results whatever the chunk size (1 byte, 7 bytes, 4 KiB, whole file)', async () => {
    for (const file of ['mitmproxy__with-bom.har', 'harviewer__issue-49_chrome51.har', 'mitmproxy__insomnia.har']) {
      const buf = readFileSync(CORPUS + file);
      const whole = await collect(chunked(buf, buf.length));
      for (const size of [1, 7, 4096]) expect(await collect(chunked(buf, size))).toEqual(whole);
    }
    const big = readFileSync(CORPUS + 'pagexray__responseCodes_304.har');
    const whole = await collect(chunked(big, big.length));
    expect(await collect(chunked(big, 997))).toEqual(whole);
  });

  it('reads BOM files (mitmproxy#6897, Fiddler) and sniffs them as HAR', async () => {
    for (const file of ['mitmproxy__with-bom.har', 'harviewer__www-cnn-com.har']) {
      const buf = readFileSync(CORPUS + file);
      expect(buf.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      expect(sniffHar(buf.subarray(0, 512))).toBe(true);
      const recs = records(await collect(chunked(buf, 2)));
      expect(recs.length).toBe(oracle(file).log.entries.length);
    }
  });

  it('sniffs every good corpus file as HAR', () => {
    for (const file of files.filter((f) => f !== BROKEN)) {
      expect(sniffHar(readFileSync(CORPUS + file).subarray(0, 4096)), file).toBe(true);
    }
  });

  it('rejects mitmproxy__brokenfile.har with a clear UserError before yielding anything', async () => {
    const seen: Ev[] = [];
    let err: unknown;
    try {
      for await (const ev of parseHar(createReadStream(CORPUS + BROKEN))) seen.push(ev);
    } catch (e) {
      err = e;
    }
    expect(seen).toEqual([]);
    expect(err).toBeInstanceOf(UserError);
    // the file is {"log":\n[\n    2,1,3\n]\n"request:"}: the bad byte is the '"' after ']'
    const text = readFileSync(CORPUS + BROKEN, 'utf8');
    const badByte = text.indexOf('"request');
    expect((err as UserError).message).toBe(`not a HAR: invalid JSON at byte ${badByte} (expected ',' or '}', found '"')`);
  });

  it('maps Chrome failures: status 0 with net::ERR_* as errorText and harError', async () => {
    const recs = records(await collect(createReadStream(CORPUS + 'harviewer__issue-49_chrome51.har')));
    const failed = recs.filter((r) => r.status === 0);
    expect(failed.map((r) => r.errorText).sort()).toEqual([
      'net::ERR_BLOCKED_BY_CLIENT',
      'net::ERR_INSECURE_RESPONSE',
      'net::ERR_INSECURE_RESPONSE',
    ]);
    expect(failed.every((r) => r.extra?.['harError'] === true)).toBe(true);
  });

  it('keeps JSON bodies as excerpts and lifts exporter extras (Polly, Chrome, HAR 1.1)', async () => {
    const polly = records(await collect(createReadStream(CORPUS + 'pollyjs__github-api-client_getUser_recording.har')))[0]!;
    expect(polly.respMime).toMatch(/^application\/json/);
    expect(polly.body).toBe(oracle('pollyjs__github-api-client_getUser_recording.har').log.entries[0].response.content.text);
    expect(polly.respHeaders!.some(([n]) => n === 'x-ratelimit-remaining')).toBe(true);

    const chrome = records(await collect(createReadStream(CORPUS + 'mitmproxy__timed_out.har')));
    expect(chrome.some((r) => typeof r.extra?.['resourceType'] === 'string')).toBe(true);
    expect(chrome.some((r) => typeof r.extra?.['initiatorType'] === 'string')).toBe(true);

    const ie = await collect(createReadStream(CORPUS + 'harviewer__issue-61_ie11.har'));
    const meta = ie[ie.length - 1] as HarMeta;
    expect(meta.version).toBe('1.1');
    expect(meta.pages).toHaveLength(3);
    expect(records(ie).filter((r) => r.status === 404)).toHaveLength(2);
  });
});
