import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { commandFor, COMMANDS, footerEntries, helpRows, KEYMAP, type KeyContext } from './keymap.js';

const NO_KEY: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false,
};
const key = (over: Partial<Key> = {}): Key => ({ ...NO_KEY, ...over });
const CONTEXTS: KeyContext[] = ['overview', 'incident', 'request'];

describe('key map', () => {
  it('gives every command at least one binding and a help text', () => {
    for (const c of COMMANDS) {
      const spec = KEYMAP.find((s) => s.command === c);
      expect(spec, c).toBeDefined();
      expect(spec!.bindings.length).toBeGreaterThan(0);
      expect(spec!.help.length).toBeGreaterThan(3);
    }
  });

  it('never binds one key to two commands in the same context', () => {
    for (const ctx of CONTEXTS) {
      const seen = new Map<string, string>();
      for (const spec of KEYMAP.filter((s) => s.contexts.includes(ctx))) {
        for (const b of spec.bindings) {
          const id = `${b.key ?? ''}|${b.input ?? ''}|${b.ctrl ? 'ctrl' : ''}`;
          expect(seen.get(id), `${ctx}: ${id} for ${spec.command}`).toBeUndefined();
          seen.set(id, spec.command);
        }
      }
    }
  });

  it('maps arrows, vi keys, Enter, Esc, Backspace, / f s t e ? q', () => {
    expect(commandFor('', key({ downArrow: true }), 'overview')).toBe('down');
    expect(commandFor('j', key(), 'overview')).toBe('down');
    expect(commandFor('k', key(), 'incident')).toBe('up');
    expect(commandFor('', key({ return: true }), 'overview')).toBe('open');
    expect(commandFor('', key({ escape: true, meta: true }), 'request')).toBe('back');
    expect(commandFor('', key({ delete: true }), 'request')).toBe('back');
    expect(commandFor('', key({ backspace: true }), 'request')).toBe('back');
    expect(commandFor('/', key(), 'incident')).toBe('search');
    expect(commandFor('f', key(), 'overview')).toBe('filter');
    expect(commandFor('f', key({ ctrl: true }), 'overview')).toBe('pageDown');
    expect(commandFor('s', key(), 'overview')).toBe('sort');
    expect(commandFor('s', key(), 'request')).toBeNull();
    expect(commandFor('t', key(), 'request')).toBe('time');
    expect(commandFor('e', key(), 'incident')).toBe('export');
    expect(commandFor('?', key({ shift: true }), 'overview')).toBe('help');
    expect(commandFor('q', key(), 'request')).toBe('quit');
    expect(commandFor('G', key({ shift: true }), 'incident')).toBe('end');
    expect(commandFor('x', key(), 'overview')).toBeNull();
  });

  it('generates the footer from the table, fitting the width and keeping help and quit', () => {
    const full = footerEntries('overview').map(([k, l]) => `${k} ${l}`);
    expect(full).toContain('⏎ open');
    expect(full).toContain('s sort');
    expect(full).not.toContain('Tab pane');
    const text = (w: number) => footerEntries('overview', w).map(([k, l]) => `${k} ${l}`).join('  ');
    expect(text(80).length).toBeLessThanOrEqual(80);
    expect(text(80)).toMatch(/e export/);
    expect(text(30)).toMatch(/\? help/);
    expect(text(30)).toMatch(/q quit/);
    expect(text(30).length).toBeLessThanOrEqual(30);
    expect(footerEntries('incident').map(([, l]) => l)).toContain('pane');
  });

  it('generates help rows for exactly the commands of the context', () => {
    const rows = helpRows('request').map(([k]) => k);
    expect(rows).toContain('q');
    expect(rows).not.toContain('Enter');
    expect(helpRows('overview').length).toBe(KEYMAP.filter((s) => s.contexts.includes('overview')).length);
  });
});
