/**
 * Small parsers for the structured header values rules and warnings read:
 * WWW-Authenticate auth-params (RFC 9110 §11.6.1), Retry-After (seconds or HTTP-date),
 * rate-limit headers (X-RateLimit-*, IETF RateLimit / RateLimit-Policy), Sunset (RFC 8594)
 * and Deprecation (RFC 9745, `@<epoch>` or an HTTP-date). Hand-written scanners, no regex backtracking.
 */

/** Value of parameter `name` in `a=b, c="d"` / `scheme a=b` / `"policy";r=0;t=5` lists; null when absent. */
export function headerParam(value: string, name: string): string | null {
  const want = name.toLowerCase();
  const s = value.length > 4096 ? value.slice(0, 4096) : value;
  let i = 0;
  while (i < s.length) {
    // find the next token start: after a separator (start, space, comma, semicolon)
    const c = s[i]!;
    if (c === ' ' || c === ',' || c === ';' || c === '\t') { i++; continue; }
    let j = i;
    while (j < s.length && s[j] !== '=' && s[j] !== ',' && s[j] !== ';' && s[j] !== ' ' && s[j] !== '"') j++;
    const key = s.slice(i, j).toLowerCase();
    if (s[j] !== '=') {
      if (s[j] === '"') { // skip a quoted bare item
        const close = s.indexOf('"', j + 1);
        i = close < 0 ? s.length : close + 1;
      } else i = j + 1;
      continue;
    }
    j++;
    let val: string;
    if (s[j] === '"') {
      let k = j + 1;
      let out = '';
      while (k < s.length && s[k] !== '"') { if (s[k] === '\\') k++; out += s[k] ?? ''; k++; }
      val = out;
      j = k + 1;
    } else {
      let k = j;
      while (k < s.length && s[k] !== ',' && s[k] !== ';' && s[k] !== ' ') k++;
      val = s.slice(j, k);
      j = k;
    }
    if (key === want) return val;
    i = j;
  }
  return null;
}

/** Retry-After in ms relative to `nowMs` (seconds or HTTP-date); null when absent or unparsable. */
export function retryAfterMs(value: string | null, nowMs: number | null): number | null {
  if (value === null) return null;
  const v = value.trim();
  if (/^\d{1,10}$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  if (Number.isNaN(t) || nowMs === null) return null;
  return Math.max(0, t - nowMs);
}

export interface RateLimitState {
  limit: number | null;
  remaining: number | null;
}

type Get = (name: string) => string | null;

function num(v: string | null): number | null {
  if (v === null) return null;
  const t = v.trim();
  // X-RateLimit-Limit can be "100, 100;w=60": take the first number
  let end = 0;
  while (end < t.length && t.charCodeAt(end) >= 48 && t.charCodeAt(end) <= 57) end++;
  return end === 0 ? null : Number(t.slice(0, end));
}

/** Rate-limit state from X-RateLimit-*, RateLimit-* (draft 6) or the structured RateLimit header (draft 7+). */
export function rateLimitState(get: Get): RateLimitState | null {
  for (const prefix of ['x-ratelimit-', 'ratelimit-', 'x-rate-limit-']) {
    const remaining = num(get(prefix + 'remaining'));
    if (remaining !== null) return { remaining, limit: num(get(prefix + 'limit')) };
  }
  const rl = get('ratelimit');
  if (rl !== null) {
    const remaining = num(headerParam(rl, 'remaining') ?? headerParam(rl, 'r'));
    if (remaining !== null) {
      let limit = num(headerParam(rl, 'limit'));
      const policy = get('ratelimit-policy');
      if (limit === null && policy !== null) limit = num(headerParam(policy, 'q')) ?? num(policy);
      return { remaining, limit };
    }
  }
  return null;
}

/** Sunset (HTTP-date) as epoch ms; null when absent or unparsable. */
export function sunsetMs(value: string | null): number | null {
  if (value === null) return null;
  const t = Date.parse(value.trim());
  return Number.isNaN(t) ? null : t;
}

/** Deprecation: "@1688169599" (RFC 9745), an HTTP-date (older drafts) or "true"; returns epoch ms, 0 for "true"/unknown date. */
export function deprecationMs(value: string | null): number | null {
  if (value === null) return null;
  const v = value.trim();
  if (v.startsWith('@') && /^@\d{1,12}$/.test(v)) return Number(v.slice(1)) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? 0 : t;
}
