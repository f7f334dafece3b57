/**
 * Error messages of failures, mined as templates: the message is taken from the body (GraphQL
 * errors, problem details, {error|message}), the WWW-Authenticate challenge or the error text, then
 * variable parts (numbers, ids, hashes, quoted values, e-mails, URLs, redaction markers) become <*>.
 * Incidents never mix causes, so templates are never shared across causes.
 */
import { jsonAt } from './compile.js';
import type { Facts } from './facts.js';
import { headerParam } from './header-params.js';

const MAX_LEN = 200;
const JSON_PATHS = [
  'errors[0].message', 'error_description', 'error.message', 'detail', 'title', 'message', 'error', 'errorMessage',
  'fault.faultstring', 'Message', 'msg', 'reason',
];

/** The raw message of a failure, or null. */
export function extractMessage(f: Facts): string | null {
  const json = f.json;
  if (json !== undefined && json !== null && typeof json === 'object') {
    for (const p of JSON_PATHS) {
      const v = jsonAt(json, p);
      if (typeof v === 'string' && v.trim() !== '') return v;
    }
  }
  const challenge = f.respHeader('www-authenticate');
  if (challenge) {
    const d = headerParam(challenge, 'error_description') ?? headerParam(challenge, 'error');
    if (d) return d;
  }
  const body = f.r.body;
  if (body && json === undefined) {
    const lower = f.bodyLower ?? '';
    const t = lower.indexOf('<title>');
    if (t >= 0) {
      const end = lower.indexOf('</title>', t);
      if (end > t) return body.slice(t + 7, Math.min(end, t + 7 + MAX_LEN)).trim() || null;
    } else if (!lower.trimStart().startsWith('<')) {
      const nl = body.indexOf('\n');
      const line = (nl < 0 ? body : body.slice(0, nl)).trim();
      if (line) return line.slice(0, MAX_LEN);
    }
  }
  return f.r.errorText;
}

function isVariable(tok: string): boolean {
  if (tok.length === 0) return false;
  let digits = 0;
  for (let i = 0; i < tok.length; i++) { const c = tok.charCodeAt(i); if (c >= 48 && c <= 57) digits++; }
  if (digits > 0 && digits * 3 >= tok.length) return true; // 42, 2024-05-01, 10:02:03, ord-1234
  if (digits > 0 && tok.length >= 8) return true; // a1b2c3d4…, base64 ids
  if (tok.includes('@') && tok.includes('.')) return true;
  if (tok.includes('://')) return true;
  return false;
}

/** Masks variable parts of a message; same shape → same template. */
export function messageTemplate(msg: string): string {
  let s = msg.length > 1000 ? msg.slice(0, 1000) : msg;
  // Redaction markers and quoted values first (they may contain spaces).
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '[' && s.startsWith('[REDACTED', i)) {
      const end = s.indexOf(']', i);
      out += '<*>';
      i = end < 0 ? s.length : end + 1;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      const end = s.indexOf(c, i + 1);
      if (end > i && end - i <= 120) { out += c + '<*>' + c; i = end + 1; continue; }
    }
    out += c;
    i++;
  }
  s = out;
  // Then token by token (split on whitespace and a few separators, keeping them).
  const parts = s.split(/([\s,;:=()[\]{}/]+)/);
  const masked = parts.map((p, idx) => (idx % 2 === 0 && isVariable(p) ? '<*>' : p)).join('');
  // Adjacent masks joined by spaces or punctuation (10:02:03, 1.2.3) are one variable; each repeat
  // must consume a literal "<*>", so this cannot backtrack badly.
  const collapsed = masked.replace(/<\*>(?:[\s:.,/-]*<\*>)+/g, '<*>').trim();
  return collapsed.length > MAX_LEN ? collapsed.slice(0, MAX_LEN - 1) + '…' : collapsed;
}
