import { describe, expect, it } from 'vitest';
import { ENTER_ALT_SCREEN, LEAVE_ALT_SCREEN, runTui } from './run.js';
import { fakeTerminal, waitFor } from './testing/fake-terminal.js';
import { handBuilt } from './testing/hand-built.js';
import { createTheme } from './theme.js';

describe('runTui (the real app on a fake TTY)', () => {
  it('enters the alternate screen, draws, and on q unmounts and restores screen and cursor', async () => {
    const term = fakeTerminal(80, 24);
    const { source } = handBuilt();
    const sigterm = process.listenerCount('SIGTERM');
    const done = runTui(source, { ...term.streams, theme: createTheme({ noColor: true }), patchConsole: false });
    await waitFor(() => term.stdout.output().includes('Upstream 503'), 30000, 'the overview');
    expect(term.stdout.output().startsWith(ENTER_ALT_SCREEN)).toBe(true);
    expect(term.stdin.isRaw).toBe(true);
    term.stdin.write('q');
    await done;
    const out = term.stdout.output();
    expect(out.endsWith(LEAVE_ALT_SCREEN + '\x1b[?25h')).toBe(true);
    expect(out.split(ENTER_ALT_SCREEN)).toHaveLength(2);
    expect(out.split(LEAVE_ALT_SCREEN)).toHaveLength(2);
    expect(term.stdin.isRaw).toBe(false);
    // Ink's own exit hooks stay installed once loaded; ours must not pile up session after session.
    const afterFirst = [process.listenerCount('SIGTERM'), process.listenerCount('SIGHUP'), process.listenerCount('exit')];
    expect(afterFirst[0]).toBeLessThanOrEqual(sigterm + 1);
    const again = fakeTerminal(80, 24);
    const second = runTui(source, { ...again.streams, theme: createTheme({ noColor: true }), patchConsole: false });
    await waitFor(() => again.stdout.output().includes('Upstream 503'), 30000, 'the second session');
    again.stdin.write('q');
    await second;
    expect([process.listenerCount('SIGTERM'), process.listenerCount('SIGHUP'), process.listenerCount('exit')]).toEqual(afterFirst);
  });

  it('redraws for the new size on resize', async () => {
    const term = fakeTerminal(100, 30);
    const { source } = handBuilt();
    const done = runTui(source, { ...term.streams, theme: createTheme({ noColor: true }), patchConsole: false });
    await waitFor(() => term.stdout.output().includes('TREND'), 30000, 'the wide overview');
    const lastFrame = () => term.stdout.chunks.filter((c) => c.includes('faultline')).at(-1) ?? '';
    term.stdout.resize(50, 12);
    await waitFor(() => !lastFrame().includes('TREND'), 30000, 'a redraw without the trend column');
    const frame = lastFrame();
    expect(frame).toContain('Upstream');
    // 11 rows drawn: the frame never reaches the terminal's last row, so nothing scrolls.
    expect(frame.slice(frame.indexOf('faultline')).split('\n').length).toBeLessThanOrEqual(12);
    term.stdin.write('q');
    await done;
  });
});
