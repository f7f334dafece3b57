/**
 * A `curl` command that reproduces a stored request. Headers were redacted at ingest, so secrets
 * show as `[REDACTED:…]` markers the reader must substitute; the caller still runs the report's
 * own mask over the result and puts it in a fenced block (M5), never inline.
 */
import type { StoredRequest } from '../core/types.js';

/** Headers curl sets itself, or that would make the reproduction wrong (length of a body we do not have). */
const SKIP_HEADERS = new Set(['host', 'content-length', 'connection', 'accept-encoding', 'transfer-encoding', 'keep-alive', 'te', 'upgrade']);
const MAX_HEADERS = 30;
const MAX_VALUE = 512;

/** POSIX shell single quoting: nothing inside is special except the quote itself. */
export function shellQuote(s: string): string {
  let out = "'";
  for (const ch of s) out += ch === "'" ? "'\\''" : ch;
  return out + "'";
}

function cap(s: string): string {
  return s.length > MAX_VALUE ? s.slice(0, MAX_VALUE) + '…' : s;
}

export function curlCommand(req: StoredRequest, url: string): string {
  const lines: string[] = [];
  const hasHost = req.host !== null && req.host !== '';
  if (!hasHost) lines.push("# the source logged no host: set BASE_URL to the server's origin, e.g. BASE_URL=https://api.example.com");
  const headers = (req.reqHeaders ?? []).filter(([n]) => !n.startsWith(':') && !SKIP_HEADERS.has(n.toLowerCase()));
  const redacted = headers.some(([, v]) => v.includes('[REDACTED')) || url.includes('[REDACTED');
  if (redacted) lines.push('# values shown as [REDACTED…] were removed at ingest: substitute your own before running');
  const method = req.method ?? 'GET';
  if (['POST', 'PUT', 'PATCH'].includes(method.toUpperCase())) lines.push('# the request body was not captured: add it with --data');
  const args: string[] = ['curl', '-sS', '-i'];
  if (method !== 'GET') args.push('-X', shellQuote(cap(method)));
  args.push(hasHost ? shellQuote(cap(url)) : '"$BASE_URL"' + shellQuote(cap(url)));
  const parts = [args.join(' ')];
  for (const [name, value] of headers.slice(0, MAX_HEADERS)) parts.push(`-H ${shellQuote(cap(`${name}: ${value}`))}`);
  if (headers.length > MAX_HEADERS) lines.push(`# ${headers.length - MAX_HEADERS} more request headers are in the database`);
  const hasUa = headers.some(([n]) => n.toLowerCase() === 'user-agent');
  if (!hasUa && req.userAgent) parts.push(`-A ${shellQuote(cap(req.userAgent))}`);
  lines.push(parts.join(' \\\n  '));
  return lines.join('\n');
}
