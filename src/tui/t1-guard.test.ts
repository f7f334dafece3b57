/**
 * T1 made checkable: only components/safe-text.tsx may import Ink's <Text>, and it sanitizes
 * every string it draws. Any other file that wants text on screen must go through it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIR = fileURLToPath(new URL('.', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(ts|tsx)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

describe('T1 choke point in the TUI', () => {
  it('imports Text from ink in exactly one file, which sanitizes everything it draws', () => {
    const importers = sources(DIR).filter((f) => /import\s*\{[^}]*\bText\b[^}]*\}\s*from\s*'ink'/.test(readFileSync(f, 'utf8')));
    expect(importers.map((f) => relative(DIR, f))).toEqual([join('components', 'safe-text.tsx')]);
    const src = readFileSync(join(DIR, 'components', 'safe-text.tsx'), 'utf8');
    expect(src).toMatch(/safe\(s\.text/);
  });

  it('writes nothing to the terminal except through Ink, apart from our fixed screen sequences', () => {
    for (const f of sources(DIR)) {
      const src = readFileSync(f, 'utf8');
      const writes = src.match(/(?:stdout|stderr)\.write\(([^)]*)\)/g) ?? [];
      for (const w of writes) expect(`${relative(DIR, f)}: ${w}`).toMatch(/run\.ts: .*(ALT_SCREEN|CURSOR|HOME_CLEAR)/);
      expect(src, relative(DIR, f)).not.toMatch(/console\.(log|error|warn)\(/);
    }
  });
});
