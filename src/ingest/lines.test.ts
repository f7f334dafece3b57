import { describe, expect, it } from 'vitest';
import { splitLines, type Line } from './lines.js';

async function collect(chunks: Buffer[], cap?: number): Promise<Line[]> {
  async function* gen() {
    for (const c of chunks) yield c;
  }
  const out: Line[] = [];
  for await (const l of splitLines(gen(), cap)) out.push(l);
  return out;
}

describe('splitLines', () => {
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
});
