/**
 * Colour comes only from the theme: with the colour theme our SGR colours appear; with NO_COLOR
 * there is no colour at all, and the selection still shows (inverse, bold, the ▸ marker).
 */
process.env['FORCE_COLOR'] = '3';

import { describe, expect, it } from 'vitest';
import { createTheme, noColorRequested, TONES } from './theme.js';

const { render, cleanup } = await import('ink-testing-library');
const { App } = await import('./app.js');
const { handBuilt } = await import('./testing/hand-built.js');
const { settle } = await import('./testing/keys.js');

/** SGR parameters that set a colour: 30–38, 40–48, 90–97, 100–107 (39/49 reset them). */
function colourCodes(frame: string): string[] {
  const out: string[] = [];
  for (const m of frame.matchAll(/\x1b\[([0-9;]*)m/g)) {
    const params = m[1]!.split(';').map(Number);
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      if ((p >= 30 && p <= 38) || (p >= 40 && p <= 48) || (p >= 90 && p <= 97) || (p >= 100 && p <= 107)) out.push(String(p));
      if (p === 38 || p === 48) i += params[i + 1] === 5 ? 2 : 4;
    }
  }
  return out;
}

describe('theme', () => {
  it('follows NO_COLOR as no-color.org says: set and not empty', () => {
    expect(noColorRequested({ NO_COLOR: '1' })).toBe(true);
    expect(noColorRequested({ NO_COLOR: '' })).toBe(false);
    expect(noColorRequested({})).toBe(false);
    expect(createTheme({ noColor: true }).noColor).toBe(true);
  });

  it('has a style for every tone in both tables, and no colour in the NO_COLOR one', () => {
    const mono = createTheme({ noColor: true });
    const colour = createTheme({ noColor: false });
    for (const t of TONES) {
      expect(mono.tones[t]).toBeDefined();
      expect(mono.tones[t].color).toBeUndefined();
      expect(colour.tones[t]).toBeDefined();
    }
  });

  it('draws colour with the colour theme and none with NO_COLOR, the selection visible either way', async () => {
    const { source } = handBuilt();
    const coloured = render(<App source={source} size={{ columns: 80, rows: 24 }} theme={createTheme({ noColor: false })} />);
    await settle(40);
    expect(colourCodes(coloured.lastFrame() ?? '').length).toBeGreaterThan(5);
    cleanup();

    const mono = render(<App source={source} size={{ columns: 80, rows: 24 }} theme={createTheme({ noColor: true })} />);
    await settle(40);
    const frame = mono.lastFrame() ?? '';
    expect(colourCodes(frame)).toEqual([]);
    expect(frame).toMatch(/\x1b\[7m/); // inverse selection
    expect(frame).toMatch(/\x1b\[1m/); // bold headings
    expect(frame).toMatch(/▸/);
    cleanup();
  });
});
