/**
 * The plain-text and JSON output commands: `incidents`, `failures`, `warnings`, `show`. They read
 * the view model (src/queries) and print through src/report/plain.ts (toTerminal on every input
 * string) or src/report/json.ts (the stable --json shapes). `failures` streams: it never holds
 * more than one batch of output in memory, whatever the size of the database.
 */
import { UserError } from '../../core/errors.js';
import type { StoredRequest } from '../../core/types.js';
import { buildIncident, buildOverview, buildRequest, incidentRecords } from '../../queries/build.js';
import { failureJson, incidentDetailJson, incidentJson, requestDetailJson, safeJson, warningJson } from '../../report/json.js';
import { resolveIncidentIds, validateCauses } from '../../report/model.js';
import { openForReading } from '../../report/open-db.js';
import { failureLine, incidentDetailText, incidentsText, requestText, warningsText } from '../../report/plain.js';
import type { Store } from '../../store/index.js';

export interface OutputOptions {
  db: string;
  json?: boolean;
}

function withStore<T>(db: string, fn: (store: Store) => T): T {
  const store = openForReading(db);
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

/** Output in chunks; stops early once stdout is gone (`| head` closed the pipe: main exits 0 on EPIPE). */
class Out {
  private buf = '';
  write(s: string): boolean {
    this.buf += s;
    if (this.buf.length >= 64 * 1024) return this.flush();
    return !process.stdout.destroyed;
  }
  flush(): boolean {
    if (this.buf && !process.stdout.destroyed) process.stdout.write(this.buf);
    this.buf = '';
    return !process.stdout.destroyed;
  }
}

export function runIncidents(opts: OutputOptions): void {
  const list = withStore(opts.db, (store) => incidentRecords(store));
  if (opts.json) process.stdout.write(safeJson(list.map(incidentJson), 2) + '\n');
  else process.stdout.write(incidentsText(list.map((r) => ({ ...r, sparkline: [] }))));
}

export function runWarnings(opts: OutputOptions): void {
  const list = withStore(opts.db, (store) => buildOverview(store).warnings);
  if (opts.json) process.stdout.write(safeJson(list.map(warningJson), 2) + '\n');
  else process.stdout.write(warningsText(list));
}

export function runFailures(opts: OutputOptions & { cause?: string[] }): void {
  const causes = opts.cause?.length ? new Set(opts.cause) : null;
  if (opts.cause?.length) validateCauses(opts.cause);
  withStore(opts.db, (store) => {
    const out = new Out();
    for (const r of store.iterateRequests({ failedOnly: true })) {
      if (causes && !causes.has(r.cause ?? 'unknown')) continue;
      if (!out.write(opts.json ? safeJson(failureJson(r)) + '\n' : failureLine(r))) return;
    }
    out.flush();
  });
}

/** What `show` was given: a request (id or locator) or an incident id/prefix. */
export type ShowTarget = { kind: 'request-id'; id: number } | { kind: 'locator'; file: string; unit: number; sep: ':' | '#' } | { kind: 'incident'; id: string };

export function parseShowTarget(spec: string): ShowTarget {
  const s = spec.trim();
  if (s === '') throw new UserError('show needs an incident id or a request (FILE:LINE, FILE#ENTRY or a request id)');
  if (/^\d+$/.test(s)) return { kind: 'request-id', id: Number(s) };
  for (const sep of ['#', ':'] as const) {
    const at = s.lastIndexOf(sep);
    if (at > 0 && at < s.length - 1 && /^\d+$/.test(s.slice(at + 1))) {
      return { kind: 'locator', file: s.slice(0, at), unit: Number(s.slice(at + 1)), sep };
    }
  }
  return { kind: 'incident', id: s };
}

function requestById(store: Store, t: ShowTarget): StoredRequest | null {
  if (t.kind === 'request-id') return store.getRequest(t.id);
  if (t.kind === 'locator') return store.requests.byLocator(t.file, t.unit);
  return null;
}

function showRequest(store: Store, id: number, json: boolean | undefined): void {
  const view = buildRequest(store, id)!;
  if (json) process.stdout.write(safeJson(requestDetailJson(view.request, view), 2) + '\n');
  else process.stdout.write(requestText(view));
}

export function runShow(spec: string, opts: OutputOptions): void {
  const target = parseShowTarget(spec);
  withStore(opts.db, (store) => {
    const req = requestById(store, target);
    if (req) return showRequest(store, req.id, opts.json);
    if (target.kind === 'locator') {
      const what = target.sep === '#' ? 'entry' : 'line';
      throw new UserError(`no request at ${spec} (${target.file}, ${what} ${target.unit})`, {
        hint: `give the source path as ingested (see \`faultline report\`); HAR entries are FILE#ENTRY (0-based), log lines FILE:LINE (1-based)`,
      });
    }
    const records = incidentRecords(store);
    const idText = target.kind === 'incident' ? target.id : spec.trim();
    const matches = records.filter((r) => r.id.startsWith(idText));
    if (matches.length === 0) {
      throw new UserError(`no incident or request matches ${spec}`, { hint: 'list incidents with `faultline incidents`; a request is FILE:LINE, FILE#ENTRY or its numeric id' });
    }
    const [id] = resolveIncidentIds(records, [idText]);
    const detail = buildIncident(store, id!)!;
    if (opts.json) {
      process.stdout.write(safeJson(incidentDetailJson(detail), 2) + '\n');
      return;
    }
    let out = incidentDetailText(detail);
    const members = [...detail.memberIds].sort((a, b) => a - b);
    const shown = members.slice(0, 10);
    if (shown.length) {
      out += `\nMembers (first ${shown.length} of ${members.length}; all of them: faultline failures --json | grep ${detail.id}):\n`;
      for (const m of shown) {
        const r = store.getRequest(m);
        if (r) out += '  ' + failureLine(r);
      }
    }
    process.stdout.write(out);
  });
}
