/**
 * The appendix: failures no rule explained, input that was skipped and why, the redaction summary
 * (counts per rule, never values: O6) and how to reproduce every number with faultline or sqlite3.
 */
import { requestLocator, requestUrl } from '../queries/build.js';
import { shellQuote } from './curl.js';
import { fmtInt, isoTime, plural } from './format.js';
import { MdWriter } from './md.js';
import type { ReportModel } from './model.js';

function unexplained(w: MdWriter, m: ReportModel): void {
  w.heading(3, 'Unexplained failures');
  const n = m.overview.unknownFailures;
  if (n === 0) {
    w.para('Every failure matched a rule.');
    return;
  }
  w.para(
    `${plural(n, 'failure')} matched no rule (cause ${w.code('unknown')}). ` +
      `List them all with ${w.code('faultline failures --cause unknown')}; a rule file passed with ${w.code('--rules')} can explain them.`,
  );
  if (m.unknownSamples.length) {
    w.table(['Where', 'Time (UTC)', 'Status', 'Method', 'URL', 'Error'], m.unknownSamples.map((r) => [
      requestLocator(r), isoTime(r.ts) ?? '–', r.status === null ? '–' : String(r.status), r.method ?? '–', requestUrl(r), r.errorText ?? '',
    ]));
  }
}

function skipped(w: MdWriter, m: ReportModel): void {
  w.heading(3, 'Skipped input');
  const sources = m.overview.sources;
  const withSkips = sources.filter((s) => s.skipped > 0 || s.invalidUtf8Lines > 0 || s.truncatedLines > 0);
  if (withSkips.length === 0) {
    w.para(sources.length ? 'Nothing was skipped: every input unit became a request.' : 'No sources.');
    return;
  }
  w.table(['Source', 'Skipped', 'Reasons', 'Invalid UTF-8 lines', 'Truncated lines'], withSkips.map((s) => [
    s.path, fmtInt(s.skipped),
    s.skipReasons.map((r) => `${r.reason} × ${fmtInt(r.count)}`).join(', ') || '–',
    fmtInt(s.invalidUtf8Lines), fmtInt(s.truncatedLines),
  ]));
  const samples = withSkips.flatMap((s) => s.skipSamples.map((x) => ({ source: s, ...x })));
  if (samples.length) {
    w.para('First skipped units per source (excerpts as read, escaped):');
    w.table(['Source', 'Line or entry', 'Reason', 'Detail', 'Excerpt'], samples.map((x) => [
      x.source.path, String(x.unit), x.reason, x.detail ?? '', x.excerpt,
    ]));
  }
}

function redaction(w: MdWriter, m: ReportModel): void {
  w.heading(3, 'Redaction');
  const entries = Object.entries(m.overview.redaction).filter(([, n]) => n > 0).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  if (entries.length) {
    w.para('Secrets removed at ingest, before anything was stored, counted per rule (values are never kept):');
    w.table(['Rule', 'Values redacted'], entries.map(([rule, n]) => [rule, fmtInt(n)]));
  } else {
    w.para('Ingest found nothing to redact.');
  }
  w.para(
    'Values from untrusted input are escaped: URLs, headers, user agents, messages and bodies are shown as text, never as links, images or HTML, ' +
      'and an "@" in inline text is written as "＠" so that no address is linked. ' +
      (w.masked > 0
        ? `This report also masked ${plural(w.masked, 'value')} that still looked like credentials, shown as [MASKED].`
        : 'The report found no value that still looked like a credential.'),
  );
}

function reproduce(w: MdWriter, m: ReportModel): void {
  w.heading(3, 'How to reproduce these numbers');
  const db = shellQuote(m.overview.dbPath);
  const first = m.selected[0]?.id ?? 'INCIDENT_ID';
  const q = (sql: string): string => `sqlite3 ${db} "${sql}"`;
  const lines = [
    '# Requests and failed requests',
    q('SELECT count(*), sum(failed) FROM requests'),
    '# Failures per cause (unknown: no rule matched)',
    q("SELECT IFNULL(cause, 'unknown'), count(*) FROM requests WHERE failed = 1 GROUP BY 1 ORDER BY 2 DESC"),
    '# Incidents, most severe first',
    `faultline incidents --db ${db}`,
    q('SELECT id, cause, subcause, severity, count FROM incidents ORDER BY severity DESC, count DESC, id'),
    '# Members of one incident',
    q(`SELECT count(*) FROM requests WHERE incident_id = '${first}'`),
    `faultline show ${first} --db ${db}`,
    '# Failed requests per host and route',
    q('SELECT host, route, count(*) FROM requests_v WHERE failed = 1 GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 20'),
    '# Every failure with its cause, rule and incident, one JSON object per line',
    `faultline failures --db ${db} --json`,
    '# Scorecard: timeout rate, auth failures, validation errors',
    q("SELECT sum(cause = 'timeout') * 1.0 / count(*), sum(cause = 'auth'), sum(cause = 'bad-request') FROM requests"),
    '# Scorecard: p95 response time in ms',
    q('SELECT CAST(duration_ms AS INTEGER) FROM requests WHERE duration_ms IS NOT NULL ORDER BY 1 LIMIT 1 OFFSET (SELECT (count(*) * 95 + 99) / 100 - 1 FROM requests WHERE duration_ms IS NOT NULL)'),
    '# Early warnings',
    `faultline warnings --db ${db}`,
    '# Skipped input per source and reason',
    q('SELECT s.path, k.reason, count(*) FROM skipped k JOIN sources s ON s.id = k.source_id GROUP BY 1, 2 ORDER BY 1, 3 DESC'),
    '# Redaction counts per rule',
    q("SELECT value FROM meta WHERE key = 'redaction'"),
  ];
  w.para(
    `Tables: ${w.code('requests')} (failed, cause, subcause, rule_id, incident_id, status, ts in epoch ms UTC), ` +
      `the view ${w.code('requests_v')} (adds host, path, route, client_ip, user_agent, source_path), ` +
      `${w.code('incidents')}, ${w.code('warnings')}, ${w.code('sources')} and ${w.code('skipped')}.`,
  );
  w.fence(lines.join('\n'));
}

export function renderAppendix(w: MdWriter, m: ReportModel): void {
  w.heading(2, 'Appendix');
  unexplained(w, m);
  skipped(w, m);
  // Rendered aside first so the redaction paragraph's mask count covers the whole report.
  const repro = new MdWriter();
  reproduce(repro, m);
  w.masked += repro.masked;
  redaction(w, m);
  w.append(repro);
}
