import { describe, expect, it } from 'vitest';
import { fitBuckets, fmtMs, fmtPct, fmtWindow, rateSeries, reportFileName, sparkline } from '../format.js';
import { lineText } from '../lines.js';
import { takeWidth, wrapSafe } from '../safe.js';
import { bodyLines } from './body.js';
import { waterfallBars, waterfallLines } from './waterfall.js';

describe('format', () => {
  it('formats rates, durations and UTC windows', () => {
    expect(fmtPct(0.055)).toBe('5.5%');
    expect(fmtPct(0.5)).toBe('50%');
    expect(fmtPct(null)).toBe('–');
    expect(fmtMs(1234)).toBe('1.23 s');
    expect(fmtMs(-1)).toBe('–');
    const t = Date.UTC(2024, 4, 1, 23, 50);
    expect(fmtWindow(t, t + 5 * 60_000)).toBe('23:50–23:55');
    expect(fmtWindow(t, t + 20 * 60_000)).toBe('05-01 23:50–05-02 00:10');
    expect(reportFileName(new Date(t))).toBe('faultline-report-20240501-235000.md');
  });

  it('fits series by summing and draws zero as a space', () => {
    expect(fitBuckets([1, 2, 3, 4], 2)).toEqual([3, 7]);
    expect(fitBuckets([1, 2], 5)).toEqual([1, 2]);
    expect(sparkline([0, 1, 8])).toBe(' ▁█');
    const { rates, peak, peakIndex } = rateSeries([10, 10, 0, 4], [0, 5, 0, 4], 4);
    expect(rates).toEqual([0, 0.5, 0, 1]);
    expect(peak).toBe(1);
    expect(peakIndex).toBe(3);
  });
});

describe('waterfall', () => {
  const t = { blocked: 10, dns: 20, connect: 40, ssl: 20, send: 5, wait: 100, receive: 25 };

  it('offsets every phase by the ones before it; ssl sits at the end of connect', () => {
    const { bars, total } = waterfallBars(t, 200);
    expect(total).toBe(200);
    const by = Object.fromEntries(bars.map((b) => [b.phase, b]));
    expect(by['dns']!.offset).toBe(10);
    expect(by['connect']!.offset).toBe(30);
    expect(by['ssl']!.offset).toBe(50);
    expect(by['ssl']!.cells).toBe(20);
    expect(by['send']!.offset).toBe(70);
    expect(by['wait']!.cells).toBe(100);
    expect(by['receive']!.offset).toBe(175);
  });

  it('shows phases the source left out as n/a, without a bar', () => {
    const lines = waterfallLines({ blocked: -1, dns: null, connect: -1, ssl: -1, send: 1, wait: 50, receive: 3 }, 80).map(lineText);
    expect(lines[0]).toMatch(/blocked\s+n\/a\s+│$/);
    expect(lines.find((l) => l.includes('wait'))).toMatch(/█{10,}/);
    expect(lines[lines.length - 1]).toMatch(/total\s+54 ms/);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
  });
});

describe('body and wrapping', () => {
  it('pretty-prints JSON and leaves a cut excerpt as it is', () => {
    expect(bodyLines('{"error":{"code":42}}', 'application/json').lines).toEqual(['{', '  "error": {', '    "code": 42', '  }', '}']);
    const cut = bodyLines('{"error":"trunc', 'application/json');
    expect(cut.json).toBe(false);
    expect(cut.lines).toEqual(['{"error":"trunc']);
    expect(bodyLines('a\r\nb\rc', 'text/plain').lines).toEqual(['a', 'b\rc']);
    expect(bodyLines('x\n'.repeat(1000), null, 10)).toMatchObject({ cut: true });
  });

  it('wraps sanitized text by display width without splitting characters', () => {
    expect(wrapSafe('abcdefgh', 3)).toEqual(['abc', 'def', 'gh']);
    expect(wrapSafe('the quick brown fox', 10)).toEqual(['the quick ', 'brown fox']);
    expect(wrapSafe('日本語テキスト', 4)).toEqual(['日本', '語テ', 'キス', 'ト']);
    expect(wrapSafe('a\x1b[2Jb', 4)).toEqual(['a^[[', '2Jb']);
    expect(wrapSafe('x'.repeat(100), 10, 2)).toEqual(['x'.repeat(10), 'x'.repeat(9) + '…']);
    expect(takeWidth('😀x', 1)).toEqual(['😀', 'x']);
  });
});
