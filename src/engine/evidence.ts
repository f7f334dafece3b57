/**
 * Evidence values a rule asks to show ("status", "header:retry-after", "json:errors[0].message",
 * "jwt.exp", …), read from one request. Values are capped; renderers escape them.
 */
import { jsonAt } from './compile.js';
import type { Facts } from './facts.js';

const CAP = 200;

function cap(s: string): string {
  return s.length > CAP ? s.slice(0, CAP - 1) + '…' : s;
}

function str(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return cap(typeof v === 'string' ? v : JSON.stringify(v));
}

export function urlOf(f: Facts): string {
  const r = f.r;
  const origin = r.host ? `${r.scheme ?? 'http'}://${r.host}` : '';
  return origin + (r.path ?? '') + (r.query ? '?' + r.query : '');
}

/** The value of one evidence field for this request; null when it has none. */
export function evidenceValue(f: Facts, field: string): string | null {
  const r = f.r;
  if (field.startsWith('header:')) return str(f.respHeader(field.slice(7).toLowerCase()));
  if (field.startsWith('reqHeader:')) return str(f.reqHeader(field.slice(10).toLowerCase()));
  if (field.startsWith('json:')) return f.json === undefined ? null : str(jsonAt(f.json, field.slice(5)));
  if (field.startsWith('extra:')) return str(r.extra?.[field.slice(6)]);
  switch (field) {
    case 'status': return r.status === null ? null : String(r.status);
    case 'method': return r.method;
    case 'url': return cap(urlOf(f));
    case 'host': return r.host;
    case 'route': return f.route;
    case 'query': return str(r.query);
    case 'referer': return str(r.referer);
    case 'errorText': return str(r.errorText);
    case 'body': return r.body === null ? null : cap(r.body.replace(/\s+/g, ' ').trim());
    case 'upstreamStatus': return r.upstreamStatus;
    case 'upstreamAddr': return r.upstreamAddr;
    case 'upstreamMs': return r.upstreamMs === null ? null : `${r.upstreamMs} ms`;
    case 'durationMs': return r.durationMs === null ? null : `${Math.round(r.durationMs * 1000) / 1000} ms`;
    case 'userAgent': return str(r.userAgent);
    case 'clientIp': return r.clientIp;
    case 'scheme': return r.scheme;
    case 'jwt.exp': {
      const j = f.jwts.find((x) => x.exp !== null);
      if (!j || j.exp === null) return null;
      const exp = new Date(j.exp * 1000).toISOString();
      if (r.ts === null) return `exp ${exp}`;
      const mins = Math.round((r.ts - j.exp * 1000) / 60_000);
      return `exp ${exp} (${mins >= 0 ? `${mins} min before` : `${-mins} min after`} the request)`;
    }
    default: return null;
  }
}
