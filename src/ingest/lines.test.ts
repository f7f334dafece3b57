import { describe, expect, it } from 'vitest';
import { crEndsLines, splitLineBatches, type Line } from './lines.js';

/** Yields each piece through ONE reused buffer, as readPlainReused does: a chunk is valid only until the next is asked for. */
async function collectReused(pieces: Buffer[], cap?: number): Promise<Line[]> {
  const shared = Buffer.alloc(Math.max(1, ...pieces.map((p) => p.length)));
  async function* gen() {
    for (const p of pieces) {
      p.copy(shared);
      yield shared.subarray(0, p.length);
      shared.fill(0x5a);
    }
  }
  const out: Line[] = [];
  for await (const batch of splitLineBatches(gen(), cap)) out.push(...batch);
  return out;
}

async function collect(chunks: Buffer[], cap?: number): Promise<Line[]> {
  async function* gen() {
    for (const c of chunks) yield c;
  }
  const out: Line[] = [];
  for await (const batch of splitLineBatches(gen(), cap)) out.push(...batch);
  return out;
}

describe('splitLineBatches', () => {
  it('B-19: CRLF, a lone CR, mixed endings and no final newline', async () => {
    const lines = await collect([Buffer.from('a\r\nb\rc\nd\ne')]);
    expect(lines.map((l) => l.text)).toEqual(['a', 'b\rc', 'd', 'e']);
    expect(lines.map((l) => l.no)).toEqual([1, 2, 3, 4]);
    expect(lines.map((l) => l.offset)).toEqual([0, 3, 7, 9]);
  });

  it('joins lines split across chunks, including a CRLF split between chunks', async () => {
    const lines = await collect([Buffer.from('hel'), Buffer.from('lo\r'), Buffer.from('\nwor'), Buffer.from('ld\n')]);
    expect(lines.map((l) => l.text)).toEqual(['hello', 'world']);
    expect(lines[1]!.offset).toBe(7);
  });

  it('a chunk of many lines comes out in several arrays, read before the producer reuses the chunk', async () => {
    const text = Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const lines = await collectReused([Buffer.from(text), Buffer.from('tail\r\n')]);
    expect(lines).toHaveLength(1001);
    expect(lines[999]!.text).toBe('line 999');
    expect(lines[1000]).toMatchObject({ text: 'tail', no: 1001, offset: text.length });
    for (const [i, l] of lines.slice(0, 1000).entries()) expect([l.text, l.no]).toEqual([`line ${i}`, i + 1]);
  });

  it('B-16: invalid UTF-8 becomes U+FFFD and is flagged per line', async () => {
    const bad = Buffer.concat([Buffer.from('ok\n'), Buffer.from([0x61, 0xff, 0x62, 0x0a]), Buffer.from([0xc0, 0xaf, 0x0a]), Buffer.from([0xe2, 0x82, 0x0a])]);
    const lines = await collect([bad]);
    expect(lines.map((l) => l.invalidUtf8)).toEqual([false, true, true, true]);
    expect(lines[1]!.text).toBe('a\uFFFDb');
    for (const l of lines.slice(1)) expect(l.text).toContain('\uFFFD');
  });

  it('B-18: an enormous line is truncated at the cap and the reader resynchronises', async () => {
    const cap = 1024;
    const huge = Buffer.alloc(64 * 1024, 0x41);
    const lines = await collect([Buffer.from('first\n'), huge.subarray(0, 30000), huge.subarray(30000), Buffer.from('\nnext\nlast')], cap);
    expect(lines.map((l) => l.text.length)).toEqual([5, cap, 4, 4]);
    expect(lines[1]!.truncated).toBe(true);
    expect(lines[2]!.text).toBe('next');
    expect(lines[2]!.no).toBe(3);
    expect(lines[3]!.truncated).toBe(false);
  });

  it('an over-long last line without a newline is still emitted, truncated', async () => {
    const lines = await collect([Buffer.alloc(5000, 0x42)], 100);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.text.length).toBe(100);
    expect(lines[0]!.truncated).toBe(true);
  });

  describe('B-19: a file whose lines end with a lone CR (classic Mac OS)', () => {
    it('splits on CR, and CRLF or LF still end one line each; offsets are the line starts', async () => {
      const lines = await collect([Buffer.from('a\rbb\rc\r\nd\ne\r')]);
      expect(lines.map((l) => l.text)).toEqual(['a', 'bb', 'c', 'd', 'e']);
      expect(lines.map((l) => l.no)).toEqual([1, 2, 3, 4, 5]);
      expect(lines.map((l) => l.offset)).toEqual([0, 2, 5, 8, 10]);
    });

    it('a CRLF split between two chunks is one line end, not an extra empty line', async () => {
      const lines = await collect([Buffer.from('a\rb\r'), Buffer.from('\nc\r'), Buffer.from('d')]);
      expect(lines.map((l) => l.text)).toEqual(['a', 'b', 'c', 'd']);
      expect(lines.map((l) => l.offset)).toEqual([0, 2, 5, 7]);
    });

    it('every way of cutting the input into two or three chunks gives the same lines and offsets, with a reused buffer too', async () => {
      const text = Buffer.from('GET /a 1\rGET /b 22\r\nGET /c 3\r\rGET /d 4\nGET /e 5\r');
      const whole = await collect([text]);
      expect(whole.map((l) => l.text)).toEqual(['GET /a 1', 'GET /b 22', 'GET /c 3', '', 'GET /d 4', 'GET /e 5']);
      for (const l of whole) expect(text.subarray(l.offset, l.offset + l.text.length).toString()).toBe(l.text);
      for (let i = 1; i < text.length; i++) {
        for (let j = i; j < text.length; j += 5) {
          const parts = [text.subarray(0, i), text.subarray(i, j), text.subarray(j)];
          expect(await collect(parts), `cut at ${i}, ${j}`).toEqual(whole);
          expect(await collectReused(parts), `reused, cut at ${i}, ${j}`).toEqual(whole);
        }
      }
    });

    it('a byte-at-a-time pipe (the policy is chosen on the head, not the first chunk)', async () => {
      const text = Buffer.from('x1\rx2\rx3\r');
      const lines = await collectReused([...text].map((b) => Buffer.from([b])));
      expect(lines.map((l) => l.text)).toEqual(['x1', 'x2', 'x3']);
      expect(lines.map((l) => l.offset)).toEqual([0, 3, 6]);
    });

    it('an over-long CR-terminated line is truncated at the cap and the reader resynchronises at the next CR', async () => {
      const lines = await collect([Buffer.from('ok\r' + 'A'.repeat(300) + '\rnext\r')], 100);
      expect(lines.map((l) => [l.text.length, l.truncated])).toEqual([[2, false], [100, true], [4, false]]);
      expect(lines[2]!.offset).toBe(3 + 300 + 1);
    });

    it('the policy: lone CRs must outnumber LFs in the head; a stray CR in an LF file is data', () => {
      expect(crEndsLines(Buffer.from('a\rb\rc\r'), true)).toBe(true);
      expect(crEndsLines(Buffer.from('a\rb\r'), false)).toBe(true); // the last CR may be a CRLF's: not counted
      expect(crEndsLines(Buffer.from('a\r'), false)).toBe(false);
      expect(crEndsLines(Buffer.from('a\r\nb\r\n'), true)).toBe(false);
      expect(crEndsLines(Buffer.from('x fake\roverwrite y\nz\n'), true)).toBe(false);
      expect(crEndsLines(Buffer.from('no line end at all'), true)).toBe(false);
      expect(crEndsLines(Buffer.from('a\r\rb\r\r\n'), true)).toBe(true); // 3 lone CRs, 1 LF
    });
  });
});
