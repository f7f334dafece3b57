/**
 * The request screen as lines: request line, status and timings, classification, waterfall,
 * headers (already redacted at ingest), body, and where it came from (raw line / HAR entry).
 */
import type { Header } from '../../core/types.js';
import type { RequestView } from '../../queries/view-model.js';
import { fmtBytes, fmtClockMs, fmtDateTime, fmtMs } from '../format.js';
import { BLANK, heading, input, seg, wrapped, type Line } from '../lines.js';
import { safe, wrapSanitized } from '../safe.js';
import { statusTone } from '../theme.js';
import { bodyLines } from './body.js';
import { waterfallLines } from './waterfall.js';

function headerLines(title: string, headers: Header[] | null, width: number): Line[] {
  if (!headers || headers.length === 0) return [heading(title), [seg('  none recorded', 'muted')]];
  const out: Line[] = [heading(`${title} (${headers.length})`)];
  for (const [name, value] of headers) {
    const label = '  ' + safe(name, 40) + ': ';
    out.push(...wrapped(label, value, width, { indent: 4, labelTone: 'accent', maxRows: 12 }));
  }
  return out;
}

function kv(label: string, value: string | number | null | undefined, width: number): Line[] {
  if (value === null || value === undefined || value === '') return [];
  return wrapped(`  ${label}: `, String(value), width, { indent: 4, maxRows: 8 });
}

/** The top lines, always visible: the request line (up to three rows) and the status. */
export function requestTitleLines(v: RequestView, width: number): Line[] {
  const r = v.request;
  const line = v.url + (r.httpVersion ? ' ' + r.httpVersion : '');
  return [
    ...wrapped(safe(r.method ?? '–', 16) + ' ', line, width, { labelTone: 'accent', tone: 'title', indent: 2, maxRows: 3 }),
    [
      seg('status ', 'muted'), seg(r.status === null ? '–' : r.status === 0 ? '0 (no response)' : String(r.status), statusTone(r.status)),
      seg(` · ${fmtMs(r.durationMs)} · ${fmtDateTime(r.ts)}${r.ts !== null ? '.' + fmtClockMs(r.ts).slice(9) : ''} UTC`, 'muted'),
      seg(r.bytesOut !== null || r.bodySize !== null ? ` · ${fmtBytes(r.bytesOut ?? r.bodySize)}` : '', 'muted'),
      ...(r.clientIp ? [seg(' · client ', 'muted'), input(r.clientIp, 'plain', 46)] : []),
    ],
  ];
}

export function requestBodyLines(v: RequestView, width: number): Line[] {
  const r = v.request;
  const out: Line[] = [];
  out.push(heading('Classification'));
  if (r.failed) {
    out.push([seg('  cause '), input(r.cause ?? 'unknown', 'accent', 40), seg(' / '), input(r.subcause ?? 'unknown', 'accent', 60)]);
    out.push(...kv('rule', [r.ruleId, v.ruleTitle].filter(Boolean).join(' — ') || 'no rule matched', width));
    out.push(...kv('incident', [r.incidentId, v.incidentTitle].filter(Boolean).join(' — '), width));
  } else out.push([seg('  not a failure', 'ok')]);
  out.push(...kv('route', r.route, width));
  out.push(...kv('error', r.errorText, width));
  out.push(...kv('upstream', [r.upstreamStatus, r.upstreamAddr, r.upstreamMs !== null ? fmtMs(r.upstreamMs) : null].filter(Boolean).join(' · '), width));
  out.push(...kv('user agent', r.userAgent, width));
  out.push(...kv('referer', r.referer, width));
  out.push(...kv('request id', r.requestId, width));
  out.push(...kv('trace id', r.traceId, width));

  out.push(BLANK, heading('Timings'));
  if (r.timings) out.push(...waterfallLines(r.timings, width));
  else out.push([seg(`  total ${fmtMs(r.durationMs)}`), seg(r.upstreamMs !== null ? ` · upstream ${fmtMs(r.upstreamMs)}` : '', 'muted'), seg('  (no phase timings in this source)', 'muted')]);

  out.push(BLANK, ...headerLines('Request headers', r.reqHeaders, width));
  out.push(BLANK, ...headerLines('Response headers', r.respHeaders, width));

  out.push(BLANK);
  if (r.body) {
    const b = bodyLines(r.body, r.respMime);
    const size = r.bodySize !== null ? ` · ${fmtBytes(r.bodySize)}` : '';
    out.push([seg('Response body', 'heading'), input(` (${r.respMime ?? 'unknown type'}${size}${b.json ? ', pretty-printed' : ''})`, 'muted', width)]);
    for (const l of b.lines) {
      // Indentation is part of JSON's shape: keep it, wrap the rest under it.
      for (const row of wrapSanitized(safe('  ' + l, 8192), Math.max(8, width), 16)) out.push([seg(row)]);
    }
    if (b.cut) out.push([seg('  … (more lines not shown)', 'muted')]);
  } else {
    out.push([seg('Response body', 'heading'), seg(r.bodySize ? ` (${fmtBytes(r.bodySize)}, not kept)` : ' (none kept)', 'muted')]);
  }

  out.push(BLANK, heading('Source'));
  out.push(...kv(r.sourceKind === 'har' ? 'HAR entry' : 'log line', v.locator, width));
  out.push(...kv('format', r.format, width));
  if (r.raw) out.push(...wrapped('  raw: ', r.raw, width, { indent: 4, maxRows: 40 }));
  if (r.extra && Object.keys(r.extra).length) {
    out.push(BLANK, heading('Extra fields'));
    for (const [k, val] of Object.entries(r.extra)) out.push(...kv(k, val === null ? 'null' : String(val), width));
  }
  return out;
}
