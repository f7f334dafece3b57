/**
 * A SYNTHETIC HAR (written by tests into a temp dir, never committed as data) whose URLs, user
 * agents, headers, status texts, error texts and bodies carry the B-25 terminal payloads.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const B25_PAYLOADS = [
  '\x1b]0;PWNED\x07', // OSC 0: window title
  '\x1b]52;c;AAAA\x07', // OSC 52: clipboard write
  '\x1b]8;;https://evil\x1b\\x\x1b]8;;\x1b\\', // OSC 8: hyperlink
  '\x1b[2J', // CSI: clear screen
  '\x9b31m', // C1 CSI
  '\x07', // BEL
  '\x08', // backspace
  '\r', // bare CR
  '\x1bPq#0;2;0;0;0\x1b\\', // DCS (sixel)
  '\u202e', // RIGHT-TO-LEFT OVERRIDE
] as const;

export function writeHostileHar(dir: string): string {
  const all = B25_PAYLOADS.join('|');
  const entries = B25_PAYLOADS.map((p, i) => ({
    startedDateTime: new Date(Date.UTC(2024, 0, 1, 12, 0, i)).toISOString(),
    time: 50,
    request: {
      method: 'GET',
      url: `https://api.example.com/v1/items/x${p}?q=${p}`,
      httpVersion: 'HTTP/1.1',
      headers: [{ name: 'User-Agent', value: `evil-agent ${p}` }, { name: `X-Note${p}`, value: all }],
      queryString: [], cookies: [], headersSize: -1, bodySize: 0,
    },
    response: {
      status: 503,
      statusText: `Unavailable ${p}`,
      httpVersion: 'HTTP/1.1',
      headers: [{ name: 'Content-Type', value: 'application/json' }, { name: 'X-Evil', value: `v${p}` }],
      cookies: [],
      content: { size: 100, mimeType: i % 2 ? 'application/json' : 'text/plain', text: i % 2 ? JSON.stringify({ error: `boom ${p}`, all }) : `plain ${p}\nline two ${all}` },
      redirectURL: '', headersSize: -1, bodySize: 100,
      _error: `net::ERR ${p}`,
    },
    cache: {},
    timings: { blocked: 1, dns: 2, connect: 3, ssl: 1, send: 1, wait: 40, receive: 3 },
  }));
  const path = join(dir, `hostile${B25_PAYLOADS[0]}.har`);
  writeFileSync(path, JSON.stringify({ log: { version: '1.2', creator: { name: 'faultline tests (synthetic)', version: '0' }, comment: 'synthetic: B-25 terminal payloads', entries } }));
  return path;
}
