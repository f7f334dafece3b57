/**
 * Types of the rules engine: rule files as written (data), rules once compiled, and what analysis
 * hands to the store (incidents, warnings). Everything an IncidentRecord/WarningRecord holds is
 * JSON-serialisable: the store keeps the big parts in a JSON column.
 */

/** The fixed cause ids (the issue's table), plus `unknown` when no rule explains a failure. */
export const CAUSES = [
  'auth', 'permission', 'rate-limit', 'deprecated', 'upstream', 'timeout', 'server-error',
  'bad-request', 'not-found', 'network', 'payload-error', 'unknown',
] as const;
export type Cause = (typeof CAUSES)[number];

/** Rule id recorded for a failure that no rule explained (cause and subcause are `unknown`). */
export const UNMATCHED_RULE_ID = 'unmatched';

/** What one field of a record may be tested against; a bare string means equals (case-insensitive). */
export type StrTest =
  | string
  | {
      equals?: string;
      in?: string[];
      contains?: string[];
      prefix?: string[];
      suffix?: string[];
      /** A regular expression (case-insensitive), tested on the first 2,048 characters only. */
      matches?: string;
      present?: boolean;
    };

export interface NumTest {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  eq?: number;
}

/** A status entry: a code, a class ("4xx"), an inclusive range ("500-599"), or null (no status). */
export type StatusEntry = number | string | null;

export interface HeaderTest extends Exclude<StrTest, string> {
  /** Header name, compared case-insensitively. */
  name: string;
  /** The value parsed as a number (e.g. X-RateLimit-Remaining). */
  number?: NumTest;
  /** An auth-param or structured-field parameter in the value, e.g. error="invalid_token" in WWW-Authenticate. */
  param?: { name: string } & Exclude<StrTest, string>;
}

export interface JsonTest {
  /** Dotted path with [n] indexes: "errors", "error.code", "errors[0].message". */
  path: string;
  exists?: boolean;
  equals?: string | number | boolean | null;
  type?: 'array' | 'object' | 'string' | 'number' | 'boolean' | 'null';
  /** Arrays/strings/objects with at least one element/character/key. */
  nonEmpty?: boolean;
}

/** Cross-record facts computed from the whole data set before classification (analysis context). */
export interface ContextFacts {
  /** The same route template (same host) succeeded for some request. */
  routeSucceeds: boolean;
  /** The same route succeeded for a different client (IP+UA or token fingerprint). */
  routeSucceedsForOtherClients: boolean;
  /** A /vN/ path whose /vM/ twin (M > N) succeeded in the same data. */
  newerVersionSucceeds: boolean;
  /** The client sent many 404s over many distinct paths (a scan). */
  clientLooksLikeScanner: boolean;
}

/** Match conditions over the normalized record; every key present must hold (AND). */
export interface MatchSpec {
  status?: StatusEntry[];
  method?: StrTest;
  /** The method is a standard HTTP method (GET, POST, …, PATCH, WebDAV verbs). */
  methodKnown?: boolean;
  scheme?: StrTest;
  sourceKind?: 'har' | 'log';
  format?: StrTest;
  host?: StrTest;
  hostKind?: Array<'ip' | 'public-ip' | 'private-ip' | 'localhost' | 'name'>;
  path?: StrTest;
  /** Path suffix after the last dot of the last segment, e.g. ["ico", "png"]. */
  extension?: string[];
  query?: StrTest;
  userAgent?: StrTest;
  errorText?: StrTest;
  upstreamStatus?: StrTest;
  /** How many upstream attempts the proxy logged (comma-separated upstream_status entries). */
  upstreamAttempts?: NumTest;
  durationMs?: NumTest;
  /** durationMs >= the analysis slow threshold (--slow-ms). */
  slow?: boolean;
  reqHeaders?: HeaderTest[];
  respHeaders?: HeaderTest[];
  body?: {
    present?: boolean;
    mime?: StrTest;
    json?: JsonTest[];
    /** Any of these substrings, case-insensitive. */
    contains?: string[];
    matches?: string;
  };
  extra?: Record<string, string | number | boolean | null | Exclude<StrTest, string>>;
  /** URL anomalies: double-slash, space, angle-bracket, trailing-whitespace, control-char, dot-segment, backslash. */
  urlAnomaly?: string[];
  jwt?: { present?: boolean; expired?: boolean; expiresWithinMs?: number };
  /** Credentials were sent: Authorization/Proxy-Authorization/Cookie/API-key headers, or credential query parameters. */
  credentialsSent?: boolean;
  /** An API-key header or query parameter was sent. */
  apiKeySent?: boolean;
  /**
   * The source recorded the request's headers (a HAR, a JSON log that logs them). Plain access logs
   * do not: there `credentialsSent: false` only means "not visible", not "missing".
   */
  reqHeadersSeen?: boolean;
  /** A Sunset header whose date is before the request time. */
  sunsetPassed?: boolean;
  context?: Partial<Record<keyof ContextFacts, boolean>>;
  any?: MatchSpec[];
  all?: MatchSpec[];
  not?: MatchSpec;
}

export const GROUP_KEYS = ['host', 'route', 'method', 'status', 'client', 'token', 'errorText', 'upstream', 'source'] as const;
export type GroupKey = (typeof GROUP_KEYS)[number];

/** A sample record in a rule file: a partial record with conveniences (url, headers as object or pairs). */
export interface RuleSample {
  note?: string;
  url?: string;
  ts?: number | string;
  method?: string;
  status?: number | null;
  reqHeaders?: Record<string, string> | Array<[string, string]>;
  respHeaders?: Record<string, string> | Array<[string, string]>;
  body?: string | object;
  respMime?: string;
  errorText?: string;
  durationMs?: number;
  upstreamStatus?: string;
  clientIp?: string;
  userAgent?: string;
  sourceKind?: 'har' | 'log';
  format?: string;
  extra?: Record<string, string | number | boolean | null>;
  context?: Partial<ContextFacts>;
}

export interface Advice {
  /** What to look at to confirm the cause. */
  check: string[];
  /** How to fix or mitigate it. */
  fix: string[];
}

/** A rule as written in a rules/*.json file. */
export interface RuleSpec {
  id: string;
  title: string;
  cause: Cause;
  subcause: string;
  /** Higher runs first; ties keep file order (user files before built-in ones). @default 50 */
  priority?: number;
  /** Severity weight 1–10. @default 5 */
  severity?: number;
  /** How failures group into incidents. @default ["host","route"] */
  groupBy?: GroupKey[];
  match: MatchSpec;
  /** Fields shown as evidence: "status", "errorText", "header:<name>", "reqHeader:<name>", "body", "json:<path>", "jwt.exp", "extra:<key>", "upstreamStatus", "durationMs", "url". */
  evidence?: string[];
  advice: Advice;
  samples: { match: RuleSample[]; noMatch: RuleSample[] };
  /** Lowers confidence when the data was sanitized before it reached us (e.g. Chrome HAR without Authorization/Cookie). */
  sanitizedSensitive?: boolean;
  /** A user file may disable a built-in rule by id. */
  disabled?: boolean;
}

export interface RuleFile {
  family?: string;
  description?: string;
  rules: RuleSpec[];
}

/** Where a rule came from: file path and index inside it. */
export interface RuleOrigin {
  file: string;
  index: number;
  builtin: boolean;
  /** 1-based line of the rule object in its file. */
  line: number | null;
}

/** One problem found while loading or validating rules. */
export interface RuleProblem {
  file: string;
  ruleId: string | null;
  /** JSON path, e.g. "/rules/3/match/status/0". */
  path: string;
  line: number | null;
  column: number | null;
  message: string;
}

/** An incident (a type alias so it is assignable to the store's JSON record type): a cluster of failures with one cause, one group key, no quiet gap longer than --gap. */
export type IncidentRecord = {
  /** Stable across re-runs: hash of cause, subcause, group key and first-seen time. */
  id: string;
  cause: Cause;
  subcause: string;
  ruleId: string;
  ruleTitle: string;
  /** "Expired bearer tokens on api.example.com: 142 requests across 6 routes, 10:02–10:19" (times UTC). */
  title: string;
  /** The group key values that made this incident, e.g. { host: "api.example.com" }. */
  group: Record<string, string>;
  /** 0–100, most severe first. */
  severity: number;
  confidence: 'high' | 'medium' | 'low';
  /** Caveats, e.g. sanitized HAR without Authorization/Cookie headers. */
  notes: string[];
  /** Epoch ms (UTC); null when no member had a timestamp. */
  firstSeen: number | null;
  lastSeen: number | null;
  count: number;
  /** Route templates ("GET api.example.com/users/{id}" style is left to renderers: host and route are separate). */
  routes: string[];
  routeCounts: Array<{ host: string | null; route: string; method: string | null; count: number }>;
  hosts: string[];
  /** Status code (as a string, "0" for no response) → count. */
  statuses: Record<string, number>;
  /** Source paths of member requests. */
  sources: string[];
  sourceCounts: Array<{ path: string; kind: 'har' | 'log'; count: number }>;
  clients: Array<{ ip: string | null; userAgent: string | null; token: string | null; count: number }>;
  clientCount: number;
  /** Failures / traffic on the incident's routes inside [firstSeen, lastSeen] and in an equally long window before it. */
  errorRate: { window: number | null; before: number | null; windowTotal: number; beforeTotal: number };
  /** Distinct error messages, templated (numbers, ids, quoted values masked). */
  messages: Array<{ template: string; count: number }>;
  evidence: Array<{ label: string; values: string[] }>;
  advice: Advice;
  behaviours: ClientBehaviour[];
  /** Every member request id. */
  memberIds: number[];
};

export interface ClientBehaviour {
  kind: 'retry-storm' | 'ignores-retry-after' | 'thundering-herd';
  /** Client fingerprint (token marker hash or ip + user agent); null for herd (many clients). */
  client: string | null;
  route: string | null;
  count: number;
  detail: string;
}

export const WARNING_KINDS = [
  'deprecated-endpoint', 'rate-limit-headroom', 'token-near-expiry', 'credentials-over-http',
  'credentials-in-query', 'bare-public-ip',
] as const;
export type WarningKind = (typeof WARNING_KINDS)[number];

/** An early warning found on successful requests (never on failures). */
export type WarningRecord = {
  /** Stable: hash of kind, host, route. */
  id: string;
  kind: WarningKind;
  host: string | null;
  route: string | null;
  /** One-line explanation, e.g. "Sunset 2025-06-30; Deprecation header present". */
  title: string;
  evidence: string[];
  firstSeen: number | null;
  lastSeen: number | null;
  count: number;
  /** Up to 20 example request ids. */
  sampleIds: number[];
};

export interface AnalysisOptions {
  /** Extra rule files or directories (--rules). */
  rulesPaths?: string[];
  /** Quiet gap that splits incidents, ms. @default 300000 */
  gapMs?: number;
  /** Duration from which a request counts as slow, ms. @default 10000 */
  slowMs?: number;
  /** Read every request (the reference passes) even when the store offers the lean reading; for tests. */
  reference?: boolean;
  /**
   * Windowed re-analysis (watch mode, src/watch/analysis.ts): only failures at or after this time (ms,
   * and those without a time) are classified and clustered; incidents that started before it and
   * their classifications stay as stored. Exact when no stored incident spans it and no failure before
   * it is new (the watcher chooses it so). Needs a store with a lean source.
   */
  since?: number;
}

export interface AnalysisSummary {
  requests: number;
  failures: number;
  /** cause → failures */
  byCause: Record<string, number>;
  unknown: number;
  incidents: number;
  warnings: number;
  routes: number;
  rules: number;
  elapsedMs: number;
}
