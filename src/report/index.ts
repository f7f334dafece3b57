/**
 * The markdown triage report. `renderReport` reads the store only through the view model
 * (src/queries) and is otherwise pure: the same database and `now` give the same bytes.
 * Used by `faultline report` and by the TUI's export.
 */
import type { Store } from '../store/index.js';
import { buildReportModel } from './model.js';
import { renderMarkdown } from './render.js';

export type { ReportFilters, ReportModel, IncidentSection } from './model.js';
export { buildReportModel } from './model.js';
export { renderMarkdown } from './render.js';
export { maskSecrets } from './mask.js';

export interface ReportOptions {
  /** Incident ids or unambiguous prefixes. */
  incidentIds?: string[];
  causes?: string[];
  /** Epoch ms (UTC), inclusive. */
  since?: number;
  until?: number;
  /** The generation time written in the header (tests pin it). */
  now?: Date;
}

export function renderReport(store: Store, opts: ReportOptions = {}): string {
  const model = buildReportModel(store, {
    incidentIds: opts.incidentIds, causes: opts.causes, since: opts.since, until: opts.until,
  });
  return renderMarkdown(model, { now: opts.now ?? new Date() });
}
