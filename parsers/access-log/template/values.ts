/**
 * Value readers for positional formats: validating number parsers (they tell a status from a word,
 * which is how a format rejects another format's line), upstream lists, trace ids, host:port.
 * Kept beside the template engine rather than in fields.ts so the two parser families can evolve apart.
 */

/** Integer of up to 15 digits; null for `-`/empty; undefined when the text is not an integer. */
export function intValue(v: string): number | null | undefined {
  const n = v.length;
  if (n === 0) return null;
  if (n === 1 && v.charCodeAt(0) === 45) return null;
  if (n > 15) return undefined;
  let x = 0;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    x = x * 10 + c;
  }
  return x;
}

/**
 * HTTP status: 1-3 digits; `000`/`0`/`-1` (no response) become 0; `-` is null;
 * undefined when not a status (the line is not of this format).
 */
export function statusValue(v: string): number | null | undefined {
  const n = v.length;
  if (n === 3) {
    const a = v.charCodeAt(0) - 48, b = v.charCodeAt(1) - 48, c = v.charCodeAt(2) - 48;
    if (a >= 0 && a <= 9 && b >= 0 && b <= 9 && c >= 0 && c <= 9) return a * 100 + b * 10 + c;
    return undefined;
  }
  if (n === 1 && v === '-') return null;
  if (v === '-1') return 0;
  if (n === 0 || n > 3) return undefined;
  return intValue(v) ?? undefined;
}

/** Decimal number (`0.001`, `-1`, `12`); null for `-`/empty; undefined when not a number. */
export function numValue(v: string): number | null | undefined {
  if (v.length === 0 || v === '-') return null;
  const c = v.charCodeAt(0);
  if (!((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46)) return undefined;
  const x = Number(v);
  return Number.isFinite(x) ? x : undefined;
}

/**
 * Sum of the numeric items of an nginx upstream list (`0.100, 0.004`, `0.002 : 0.010`, `-`) in the
 * source unit; null when no item is numeric. Sum, not last: every attempt cost the client time.
 */
export function listSum(v: string): number | null {
  let sum = 0;
  let any = false;
  let start = 0;
  const n = v.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? v.charCodeAt(i) : 44;
    if (c === 44 || c === 58) {
      // ',' or ':' separator
      let a = start, b = i;
      while (a < b && v.charCodeAt(a) === 32) a++;
      while (b > a && v.charCodeAt(b - 1) === 32) b--;
      if (b > a) {
        const x = Number(v.slice(a, b));
        if (Number.isFinite(x) && x >= 0) {
          sum += x;
          any = true;
        }
      }
      start = i + 1;
    }
  }
  return any ? sum : null;
}

/** Seconds to ms with µs precision kept (0.001 → 1, 1.2345 → 1234.5). */
export function sToMs(x: number): number {
  return Math.round(x * 1e6) / 1e3;
}

/** Address without its port: `1.2.3.4:80` → `1.2.3.4`, `[::1]:80` → `::1`; `-` → null. */
export function hostOnly(addr: string, alwaysPort: boolean): string | null {
  if (addr === '' || addr === '-') return null;
  if (addr.charCodeAt(0) === 91) {
    const close = addr.indexOf(']');
    return close > 1 ? addr.slice(1, close) : addr;
  }
  const last = addr.lastIndexOf(':');
  if (last < 0) return addr;
  // One colon: IPv4 or name with a port. Several: a bare IPv6, which has a port only where the format says so.
  if (addr.indexOf(':') === last || alwaysPort) return addr.slice(0, last) || null;
  return addr;
}

/** The port of `host:port` / `[v6]:port`, or null. */
export function portOf(addr: string): number | null {
  const last = addr.lastIndexOf(':');
  if (last < 0) return null;
  if (addr.charCodeAt(0) !== 91 && addr.indexOf(':') !== last) return null;
  if (addr.charCodeAt(0) === 91 && addr.charCodeAt(last - 1) !== 93) return null;
  const p = intValue(addr.slice(last + 1));
  return p === undefined ? null : p;
}

const HEX = /^[0-9a-fA-F]+$/;

/**
 * The trace id carried by a tracing header value: W3C `traceparent` (`00-<32 hex>-<16 hex>-01`),
 * AWS `X-Amzn-Trace-Id` (`Root=1-…;Parent=…`), B3 single header (`<trace>-<span>-1`),
 * GCP `X-Cloud-Trace-Context` (`<trace>/<span>;o=1`), Jaeger `uber-trace-id` (`<trace>:<span>:…`),
 * or a bare id (`X-B3-TraceId`). Returns null for `-`/empty.
 */
export function traceIdFrom(header: string, v: string): string | null {
  if (v === '' || v === '-') return null;
  switch (header) {
    case 'traceparent': {
      const parts = v.split('-');
      if (parts.length >= 4 && parts[1]!.length === 32 && HEX.test(parts[1]!)) return parts[1]!;
      return v;
    }
    case 'x_amzn_trace_id': {
      const root = v.indexOf('Root=');
      if (root < 0) return v;
      const end = v.indexOf(';', root);
      return v.slice(root + 5, end < 0 ? v.length : end) || null;
    }
    case 'b3': {
      const dash = v.indexOf('-');
      return dash > 0 ? v.slice(0, dash) : v;
    }
    case 'x_cloud_trace_context': {
      const slash = v.indexOf('/');
      return slash > 0 ? v.slice(0, slash) : v;
    }
    case 'uber_trace_id': {
      const colon = v.indexOf(':');
      return colon > 0 ? v.slice(0, colon) : v;
    }
    default:
      return v;
  }
}

/** Extras are meant to stay small: long values are cut (with a marker) at this many characters. */
export const EXTRA_CAP = 512;

export function capExtra(v: string): string {
  return v.length > EXTRA_CAP ? v.slice(0, EXTRA_CAP) + '…' : v;
}

const SENSITIVE = ['token', 'secret', 'passw', 'pwd', 'session', 'cookie', 'credential', 'signature', 'apikey', 'api_key', 'private'];

/**
 * Whether a variable name names a secret (security.md R-H1/R-H2 applied to log variable names:
 * `$http_authorization`, `%{Cookie}i`, `$cookie_sid`…). Such values are never kept; the extra says
 * only that a value was present.
 */
export function isSensitiveName(name: string): boolean {
  const n = name.toLowerCase();
  if (n.includes('auth') && !n.includes('authority')) return true;
  for (const s of SENSITIVE) if (n.includes(s)) return true;
  return false;
}
