/**
 * R-L1: a raw access-log line kept for display. URLs (the request target and the referer) get the URL
 * rules, the basic-auth user field is hashed, e-mail-shaped fields (W3C cs-username) are hashed, and the
 * patterns run over the rest. JSON log lines (Caddy, Traefik, Envoy) are walked as JSON with header-name
 * and user-field rules for their keys.
 */
import { type Ctx, SCAN_CAP } from './context.js';
import { redactJsonText } from './json.js';
import { isMarker } from './markers.js';
import { redactTextCapped, TEXT } from './text.js';

/** `dd/Mon/yyyy:` right after `[`: a CLF timestamp. Checked by hand on a fixed window. */
function isClfTime(s: string, i: number): boolean {
  const d = (k: number): boolean => { const c = s.charCodeAt(k); return c >= 48 && c <= 57; };
  const a = (k: number): boolean => { const c = s.charCodeAt(k) | 32; return c >= 97 && c <= 122; };
  let p = i;
  if (!d(p)) return false;
  p += d(p + 1) ? 2 : 1;
  if (s[p] !== '/' || !a(p + 1) || !a(p + 2) || !a(p + 3) || s[p + 4] !== '/') return false;
  p += 5;
  return d(p) && d(p + 1) && d(p + 2) && d(p + 3) && s[p + 4] === ':';
}

/** The `%u` field of CLF-like lines: the token right before the first ` [dd/Mon/yyyy:` timestamp. */
function userField(line: string): { start: number; end: number } | null {
  let at = 0;
  const limit = Math.min(line.length, 2048);
  while (at < limit) {
    const b = line.indexOf(' [', at);
    if (b < 0 || b >= limit) return null;
    if (isClfTime(line, b + 2)) {
      const start = line.lastIndexOf(' ', b - 1) + 1;
      if (start >= b) return null;
      const user = line.slice(start, b);
      return user === '-' || isMarker(user) ? null : { start, end: b };
    }
    at = b + 2;
  }
  return null;
}

function isEmailField(f: string): boolean {
  if (f.length < 5 || f.length > 254) return false;
  const at = f.indexOf('@');
  if (at <= 0 || at !== f.lastIndexOf('@')) return false;
  const dot = f.indexOf('.', at);
  if (dot < at + 2 || dot === f.length - 1) return false;
  for (let k = 0; k < f.length; k++) {
    const c = f.charCodeAt(k);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 95 || c === 45 || c === 43 || c === 64 || c === 37;
    if (!ok) return false;
  }
  return true;
}

function redactPlainLine(ctx: Ctx, line: string): string {
  let s = line;
  const u = userField(s);
  if (u) s = s.slice(0, u.start) + ctx.marker('R-L1', s.slice(u.start, u.end)) + s.slice(u.end);
  // E-mail-shaped whitespace-separated fields (W3C cs-username, `remote_user` set to a mail address).
  if (s.indexOf('@') >= 0) {
    const fields = s.split(' ');
    let changed = false;
    for (let k = 0; k < fields.length; k++) {
      const f = fields[k]!;
      if (f.indexOf('@') >= 0 && isEmailField(f)) {
        fields[k] = ctx.marker('R-L1', f);
        changed = true;
      }
    }
    if (changed) s = fields.join(' ');
  }
  return redactTextCapped(ctx, s, TEXT);
}

export function redactLogLineInner(ctx: Ctx, line: string): string {
  if (line.length > SCAN_CAP) return redactTextCapped(ctx, line, TEXT);
  const brace = line.indexOf('{');
  if (brace >= 0 && brace < 512) {
    const j = redactJsonText(ctx, line.slice(brace), { log: true });
    if (j !== null) return (brace > 0 ? redactPlainLine(ctx, line.slice(0, brace)) : '') + j;
  }
  return redactPlainLine(ctx, line);
}
