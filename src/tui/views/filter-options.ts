/** The `f` menu: every cause, status and source in the data, as choices that set one filter each. */
import type { OverviewHead } from '../../queries/view-model.js';
import { fmtInt, fmtWindow } from '../format.js';
import { input, seg, type Line } from '../lines.js';
import type { Filters, TimeWindow } from '../navigation.js';

export interface FilterOption {
  line: Line;
  change: Partial<Filters> | 'clear';
}

export function filterOptions(ov: OverviewHead, f: Filters, time: TimeWindow | null): FilterOption[] {
  const out: FilterOption[] = [];
  const mark = (on: boolean) => seg(on ? '✓ ' : '  ', 'ok');
  if (f.cause !== null || f.status !== null || f.source !== null || f.search !== '' || time !== null) {
    out.push({ line: [seg('  '), seg('clear all filters', 'key')], change: 'clear' });
  }
  for (const c of ov.causes) {
    const on = f.cause === c.cause;
    out.push({ line: [mark(on), seg('cause   ', 'muted'), input(c.cause, 'accent', 40), seg(` (${fmtInt(c.count)})`, 'muted')], change: { cause: on ? null : c.cause } });
  }
  for (const { status: code, count: n } of [...ov.incidentStatuses].sort((a, b) => b.count - a.count || a.status - b.status)) {
    const on = f.status === code;
    out.push({ line: [mark(on), seg('status  ', 'muted'), seg(code === 0 ? '0 (no response)' : String(code)), seg(` (${fmtInt(n)})`, 'muted')], change: { status: on ? null : code } });
  }
  for (const s of ov.sources) {
    const on = f.source?.id === s.id;
    out.push({ line: [mark(on), seg('source  ', 'muted'), input(s.path, 'plain', 200), seg(` (${fmtInt(s.failures)} failed)`, 'muted')], change: { source: on ? null : { id: s.id, path: s.path } } });
  }
  return out;
}

/** One line saying which filters are on, or null. */
export function filterSummary(f: Filters, time: TimeWindow | null): Line | null {
  const parts: Line = [];
  const add = (label: string, value: Line[number]) => {
    parts.push(seg(parts.length ? ' · ' : 'filter: ', 'muted'), seg(label + ' ', 'muted'), value);
  };
  if (f.cause !== null) add('cause', input(f.cause, 'accent', 40));
  if (f.status !== null) add('status', seg(String(f.status), 'accent'));
  if (f.source !== null) add('source', input(f.source.path.slice(Math.max(f.source.path.lastIndexOf('/'), f.source.path.lastIndexOf('\\')) + 1), 'accent', 60));
  if (f.search !== '') add('search', input(`"${f.search}"`, 'accent', 60));
  if (time !== null) add('time', seg(fmtWindow(time.since, time.until) + ' UTC', 'accent'));
  if (!parts.length) return null;
  parts.push(seg('  (Esc on the overview clears)', 'muted'));
  return parts;
}
