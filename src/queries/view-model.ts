/**
 * The one view model. The TUI, the markdown report, the plain-text views and every --json
 * output read these objects; none of them touches SQL or the engine's internals.
 */
import type { StoredRequest } from '../core/types.js';
import type { IncidentRecord, WarningRecord } from '../engine/types.js';
import type { IncidentSummaryRow } from '../store/views.js';

export interface SourceView {
  id: number;
  path: string;
  kind: 'har' | 'log';
  format: string;
  sha256: string;
  status: string;
  error: string | null;
  records: number;
  failures: number;
  skipped: number;
  firstTs: number | null;
  lastTs: number | null;
  skipReasons: Array<{ reason: string; count: number }>;
  /** A few skipped units with their reason, for the report's appendix. */
  skipSamples: Array<{ unit: number; reason: string; detail: string | null; excerpt: string }>;
  invalidUtf8Lines: number;
  truncatedLines: number;
}

export interface TimelineView {
  /** Bucket width in ms (auto: about 60 buckets over the window, at least one minute). */
  bucketMs: number;
  /** Start of the first bucket (epoch ms). */
  start: number;
  total: number[];
  failed: number[];
}

/** An incident as listed (overview, report, `incidents --json`): the stored summary row plus its sparkline. */
export interface IncidentSummary extends IncidentSummaryRow {
  /** Failures of this incident per bucket of the overview timeline. */
  sparkline: number[];
}

export interface Scorecard {
  p95Ms: number | null;
  errorRate: number | null;
  timeoutRate: number | null;
  authFailures: number;
  validationErrors: number;
  /** Share of (client, route) pairs that failed and later succeeded; null when nothing was retried. */
  retrySuccessRate: number | null;
}

/** The overview without its incident list: what the first screen needs, from precomputed summaries. */
export interface OverviewHead {
  dbPath: string;
  sources: SourceView[];
  window: { from: number; to: number } | null;
  requests: number;
  failures: number;
  errorRate: number | null;
  timeline: TimelineView | null;
  causes: Array<{ cause: string; count: number }>;
  /** How many incidents there are (the list itself is read page by page: pageIncidents). */
  incidentCount: number;
  /** Incidents per cause (not failures: `causes` counts failures). */
  incidentCauses: Array<{ cause: string; count: number }>;
  /** Failures per status over every incident (the TUI's status filter choices), and how many incidents have each. */
  incidentStatuses: Array<{ status: number; count: number; incidents: number }>;
  /** Incidents with members from each source (the TUI's source filter). */
  incidentSources: Array<{ path: string; incidents: number }>;
  warnings: WarningRecord[];
  unknownFailures: number;
  /** Redaction counts per rule id (never values). */
  redaction: Record<string, number>;
  scorecard: Scorecard;
}

/** The overview with every incident listed (--json, check, watch; small databases). */
export interface Overview extends OverviewHead {
  incidents: IncidentSummary[];
}

export type IncidentDetail = IncidentRecord & { sparkline: number[] };

export interface RequestView {
  request: StoredRequest;
  /** The full URL as stored (redacted), e.g. "https://api.example.com/v1/users?id=[REDACTED…]". */
  url: string;
  /** Where it came from: "access.log:12" or "capture.har entry 3". */
  locator: string;
  incidentTitle: string | null;
  ruleTitle: string | null;
}

export interface RequestPage {
  rows: StoredRequest[];
  /** Pass back to get the next page; null at the end. */
  next: { ts: number | null; id: number } | null;
}
