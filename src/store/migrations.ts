/**
 * Numbered migrations, applied in order inside one transaction each; `PRAGMA user_version`
 * records the last one applied. Never edit a released migration: add a new one.
 *
 * Schema 1 layout notes (schema 2 below keeps them and goes further):
 * - `requests.id` IS the natural key: sourceId * 2^40 + unit (line number or HAR entry index),
 *   so re-ingest is `INSERT OR IGNORE` on the primary key with no extra unique index to maintain.
 * - Strings that repeat across millions of rows (hosts, paths, clients, user agents, referers)
 *   are dictionary-encoded in `dict`, so a request row is mostly small integers.
 * - Detail that only matters for failures and HAR entries (headers, timings, body excerpt,
 *   raw line) lives in `request_detail`, written only when there is something to keep.
 */

import { queryMayWarnSql } from './warn-candidates.js';

/**
 * Schema 2 (why it looks like this):
 * - `req` is the physical request table: one row per request, mostly small integers. Repeating
 *   strings (method, scheme, HTTP version too) are dictionary ids; source and unit are not stored,
 *   they are the id's high and low bits (id = sourceId * 2^40 + unit).
 * - Analysis results live in `req_analysis` (one row per classified request, i.e. failures and
 *   payload errors), so a re-analysis never rewrites, grows or splits the pages of `req`.
 * - `path_stats`, `client_stats`, `minutes` and `dur_hist` are aggregates the writer maintains batch
 *   by batch (in the same transaction as the rows), so analysis and the first screen never scan
 *   every request: route keys, successes per path (and two of their clients), requests per client,
 *   the per-minute timeline and the duration histogram of the scorecard.
 * - `requests` and `requests_v` are views with the columns of schema 1, so SQL written against
 *   them (the report's "how to reproduce" queries, diff, users' own queries) keeps working.
 */
const V2_SCHEMA = `
  CREATE TABLE req (
    id INTEGER PRIMARY KEY,
    ts INTEGER,
    status INTEGER,
    failed INTEGER NOT NULL,
    method_id INTEGER,
    host_id INTEGER,
    path_id INTEGER,
    query TEXT,
    client_id INTEGER,
    ua_id INTEGER,
    referer_id INTEGER,
    bytes_out INTEGER,
    version_id INTEGER,
    duration_ms REAL,
    scheme_id INTEGER,
    upstream_ms REAL,
    bytes_in INTEGER,
    upstream_addr TEXT,
    upstream_status TEXT,
    request_id TEXT,
    trace_id TEXT,
    error_text TEXT
  );
  CREATE TABLE req_analysis (
    id INTEGER PRIMARY KEY,
    ts INTEGER,
    cause TEXT NOT NULL,
    subcause TEXT NOT NULL,
    rule_id TEXT,
    incident_id TEXT
  );
  CREATE INDEX req_analysis_incident ON req_analysis(incident_id, ts) WHERE incident_id IS NOT NULL;
  -- host_id/path_id 0 = none. lean_ok: successes without a request_detail row; c1/u1, c2/u2: two
  -- distinct (client, user agent) pairs of those successes (0 = none), enough for "succeeds for other clients".
  CREATE TABLE path_stats (
    host_id INTEGER NOT NULL,
    path_id INTEGER NOT NULL,
    n INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    lean_ok INTEGER NOT NULL,
    c1 INTEGER, u1 INTEGER, c2 INTEGER, u2 INTEGER,
    PRIMARY KEY (host_id, path_id)
  ) WITHOUT ROWID;
  CREATE TABLE client_stats (client_id INTEGER PRIMARY KEY, n INTEGER NOT NULL);
  -- Requests and ingest failures per minute (floor(ts / 60000)); the timeline adds analysis' payload errors.
  CREATE TABLE minutes (minute INTEGER PRIMARY KEY, total INTEGER NOT NULL, failed INTEGER NOT NULL);
  -- Requests per whole millisecond of duration (CAST(duration_ms AS INTEGER)): the scorecard's p95.
  CREATE TABLE dur_hist (ms INTEGER PRIMARY KEY, n INTEGER NOT NULL);
`;

const V2_VIEWS = `
  CREATE VIEW requests AS
    SELECT r.id, r.id >> 40 AS source_id, r.id & 1099511627775 AS unit, r.ts, m.s AS method, sc.s AS scheme,
      r.host_id, r.path_id, r.query, r.status, v.s AS http_version, r.duration_ms, r.upstream_ms, r.bytes_out, r.bytes_in,
      r.client_id, r.ua_id, r.referer_id, r.upstream_addr, r.upstream_status, r.request_id, r.trace_id, r.error_text,
      r.failed, a.cause, a.subcause, a.rule_id, a.incident_id
    FROM req r
    LEFT JOIN dict m ON m.id = r.method_id
    LEFT JOIN dict sc ON sc.id = r.scheme_id
    LEFT JOIN dict v ON v.id = r.version_id
    LEFT JOIN req_analysis a ON a.id = r.id;
  CREATE VIEW requests_v AS
    SELECT r.id, r.id >> 40 AS source_id, r.id & 1099511627775 AS unit, r.ts, m.s AS method, sc.s AS scheme,
      r.host_id, r.path_id, r.query, r.status, v.s AS http_version, r.duration_ms, r.upstream_ms, r.bytes_out, r.bytes_in,
      r.client_id, r.ua_id, r.referer_id, r.upstream_addr, r.upstream_status, r.request_id, r.trace_id, r.error_text,
      r.failed, a.cause, a.subcause, a.rule_id, a.incident_id,
      s.path AS source_path, s.kind AS source_kind, s.format AS format,
      h.s AS host, p.s AS path, c.s AS client_ip, u.s AS user_agent, f.s AS referer,
      rt.template AS route
    FROM req r
    JOIN sources s ON s.id = r.id >> 40
    LEFT JOIN dict m ON m.id = r.method_id
    LEFT JOIN dict sc ON sc.id = r.scheme_id
    LEFT JOIN dict v ON v.id = r.version_id
    LEFT JOIN req_analysis a ON a.id = r.id
    LEFT JOIN dict h ON h.id = r.host_id
    LEFT JOIN dict p ON p.id = r.path_id
    LEFT JOIN dict c ON c.id = r.client_id
    LEFT JOIN dict u ON u.id = r.ua_id
    LEFT JOIN dict f ON f.id = r.referer_id
    LEFT JOIN path_routes pr ON pr.host_id = IFNULL(r.host_id, 0) AND pr.path_id = IFNULL(r.path_id, 0)
    LEFT JOIN routes rt ON rt.id = pr.route_id;
`;


export const MIGRATIONS: readonly string[] = [
  // 1: initial schema
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
  CREATE TABLE dict (id INTEGER PRIMARY KEY, s TEXT NOT NULL UNIQUE);
  CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    kind TEXT NOT NULL,
    format TEXT NOT NULL,
    size INTEGER,
    sha256 TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    error TEXT,
    records INTEGER NOT NULL DEFAULT 0,
    failures INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    next_unit INTEGER NOT NULL DEFAULT 0,
    next_offset INTEGER NOT NULL DEFAULT 0,
    min_ts INTEGER,
    max_ts INTEGER,
    stats TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE requests (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL,
    unit INTEGER NOT NULL,
    ts INTEGER,
    method TEXT,
    scheme TEXT,
    host_id INTEGER,
    path_id INTEGER,
    query TEXT,
    status INTEGER,
    http_version TEXT,
    duration_ms REAL,
    upstream_ms REAL,
    bytes_out INTEGER,
    bytes_in INTEGER,
    client_id INTEGER,
    ua_id INTEGER,
    referer_id INTEGER,
    upstream_addr TEXT,
    upstream_status TEXT,
    request_id TEXT,
    trace_id TEXT,
    error_text TEXT,
    failed INTEGER NOT NULL,
    cause TEXT,
    subcause TEXT,
    rule_id TEXT,
    incident_id TEXT
  );
  CREATE TABLE request_detail (
    id INTEGER PRIMARY KEY,
    timings TEXT,
    req_headers TEXT,
    resp_headers TEXT,
    resp_mime TEXT,
    body TEXT,
    body_size INTEGER,
    body_hash TEXT,
    extra TEXT,
    raw TEXT
  );
  CREATE TABLE skipped (
    source_id INTEGER NOT NULL,
    unit INTEGER NOT NULL,
    reason TEXT NOT NULL,
    detail TEXT,
    excerpt TEXT NOT NULL,
    PRIMARY KEY (source_id, unit)
  ) WITHOUT ROWID;
  CREATE TABLE routes (
    id INTEGER PRIMARY KEY,
    host TEXT NOT NULL,
    template TEXT NOT NULL,
    UNIQUE (host, template)
  );
  CREATE TABLE path_routes (
    host_id INTEGER NOT NULL,
    path_id INTEGER NOT NULL,
    route_id INTEGER NOT NULL,
    PRIMARY KEY (host_id, path_id)
  ) WITHOUT ROWID;
  CREATE TABLE incidents (
    id TEXT PRIMARY KEY,
    cause TEXT NOT NULL,
    subcause TEXT NOT NULL,
    rule_id TEXT,
    title TEXT NOT NULL,
    severity REAL NOT NULL,
    first_seen INTEGER,
    last_seen INTEGER,
    count INTEGER NOT NULL,
    data TEXT NOT NULL
  );
  CREATE TABLE warnings (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    route TEXT,
    first_seen INTEGER,
    last_seen INTEGER,
    count INTEGER NOT NULL,
    data TEXT NOT NULL
  );
  -- Per-minute totals, rebuilt by analysis, so timelines never scan 10M rows.
  CREATE TABLE timeline (
    minute INTEGER PRIMARY KEY,
    total INTEGER NOT NULL,
    failed INTEGER NOT NULL
  );
  CREATE VIEW requests_v AS
    SELECT r.*, s.path AS source_path, s.kind AS source_kind, s.format AS format,
      h.s AS host, p.s AS path, c.s AS client_ip, u.s AS user_agent, f.s AS referer,
      rt.template AS route
    FROM requests r
    JOIN sources s ON s.id = r.source_id
    LEFT JOIN dict h ON h.id = r.host_id
    LEFT JOIN dict p ON p.id = r.path_id
    LEFT JOIN dict c ON c.id = r.client_id
    LEFT JOIN dict u ON u.id = r.ua_id
    LEFT JOIN dict f ON f.id = r.referer_id
    LEFT JOIN path_routes pr ON pr.host_id = IFNULL(r.host_id, 0) AND pr.path_id = IFNULL(r.path_id, 0)
    LEFT JOIN routes rt ON rt.id = pr.route_id;
  `,
  // 2: compact request rows (database under half the raw log; no page splits when analysis writes)
  `
  ${V2_SCHEMA}
  INSERT OR IGNORE INTO dict(s) SELECT DISTINCT method FROM requests WHERE method IS NOT NULL;
  INSERT OR IGNORE INTO dict(s) SELECT DISTINCT scheme FROM requests WHERE scheme IS NOT NULL;
  INSERT OR IGNORE INTO dict(s) SELECT DISTINCT http_version FROM requests WHERE http_version IS NOT NULL;
  INSERT INTO req (id, ts, status, failed, method_id, host_id, path_id, query, client_id, ua_id, referer_id, bytes_out,
      version_id, duration_ms, scheme_id, upstream_ms, bytes_in, upstream_addr, upstream_status, request_id, trace_id, error_text)
    SELECT r.id, r.ts, r.status, r.failed, m.id, r.host_id, r.path_id, r.query, r.client_id, r.ua_id, r.referer_id, r.bytes_out,
      v.id, r.duration_ms, sc.id, r.upstream_ms, r.bytes_in, r.upstream_addr, r.upstream_status, r.request_id, r.trace_id, r.error_text
    FROM requests r LEFT JOIN dict m ON m.s = r.method LEFT JOIN dict v ON v.s = r.http_version LEFT JOIN dict sc ON sc.s = r.scheme;
  INSERT INTO req_analysis (id, ts, cause, subcause, rule_id, incident_id)
    SELECT id, ts, IFNULL(cause, 'unknown'), IFNULL(subcause, 'unknown'), rule_id, incident_id FROM requests
    WHERE cause IS NOT NULL OR incident_id IS NOT NULL;
  DROP VIEW requests_v;
  DROP INDEX IF EXISTS requests_failed_ts;
  DROP INDEX IF EXISTS requests_incident;
  DROP TABLE requests;
  ${V2_VIEWS}
  `,
  // 3: incident summaries beside the full record (the overview lists every incident without parsing
  // every record) and their display order as an index (no sort of the whole table per screen)
  `
  ALTER TABLE incidents ADD COLUMN summary TEXT;
  UPDATE incidents SET summary = json_object('routes', json(json_extract(data, '$.routes')),
    'statuses', json(json_extract(data, '$.statuses')), 'sources', json(json_extract(data, '$.sources')));
  CREATE INDEX incidents_order ON incidents(severity DESC, count DESC, id);
  `,
  // 4: successes without detail whose query may raise a warning, flagged by the writer (analysis
  // reads these few instead of scanning every request)
  `
  CREATE TABLE warn_rows (id INTEGER PRIMARY KEY);
  INSERT INTO warn_rows SELECT r.id FROM req r WHERE r.failed = 0 AND r.query IS NOT NULL AND ${queryMayWarnSql('r.query')}
    AND NOT EXISTS (SELECT 1 FROM request_detail d WHERE d.id = r.id);
  `,
  // 5: the overview's incident list as a covering index in display order: reading it no longer reads
  // every incident's full record (1-2 KB each, 175,000 of them for 10M requests of the bench log)
  `
  DROP INDEX incidents_order;
  CREATE INDEX incidents_list ON incidents(severity DESC, count DESC, id, cause, subcause, title, first_seen, last_seen, summary);
  `,
  // 6: the TUI reads the incident list page by page (keyset) in each of its sort orders, so the count
  // and first-seen orders get indexes like incidents_list (with the columns its filters test); a search
  // text per incident (routes, message templates, clients as JSON: ~200 bytes instead of the 1-2 KB
  // record) is refreshed when analysis ends (src/queries/build.ts refreshSummaries), so `/` scans 30 MB
  // instead of every record on 175,000 incidents. No time (NULL) sorts last, as the TUI always did.
  `
  CREATE INDEX incidents_by_count ON incidents(count DESC, severity DESC, id, cause, first_seen, last_seen);
  CREATE INDEX incidents_by_time ON incidents(IFNULL(first_seen, 9007199254740991), severity DESC, id, cause, last_seen);
  CREATE TABLE incident_text (id TEXT PRIMARY KEY, text TEXT NOT NULL) WITHOUT ROWID;
  INSERT INTO incident_text(id, text) SELECT id, IFNULL(json_extract(data, '$.routes', '$.messages', '$.clients'), '') FROM incidents;
  `,
  // 7: incident_text as a plain rowid table: it is only ever scanned (a search reads all of it) and
  // rewritten whole after analysis, and appending 175,000 rows in order costs a fraction of inserting
  // them into a B-tree keyed by random incident ids (3.3 s → ~1 s at the end of a 10M-line ingest).
  `
  DROP TABLE incident_text;
  CREATE TABLE incident_text (id TEXT NOT NULL, text TEXT NOT NULL);
  INSERT INTO incident_text(id, text) SELECT id, IFNULL(json_extract(data, '$.routes', '$.messages', '$.clients'), '') FROM incidents;
  `,
  // 8: the TUI's cause filter in the default order: pages seek straight into one cause's incidents
  // instead of walking the whole list to find a rare cause's few (1,000 of 175,000 at its end).
  `
  CREATE INDEX incidents_by_cause ON incidents(cause, severity DESC, count DESC, id, first_seen, last_seen);
  `,
];

/**
 * Indexes built after a bulk load rather than maintained row by row (much faster on 10M rows).
 * Only failures are indexed (analysis and every screen read failures in time order); successes are
 * summarised by the writer's aggregates, which keeps the database well under half the raw log.
 * Incident members are indexed on req_analysis, which analysis writes in bulk.
 * `IF NOT EXISTS` makes this idempotent; ingest calls it once at the end of a run.
 */
export const POST_LOAD_INDEXES: readonly string[] = [
  'CREATE INDEX IF NOT EXISTS req_failed_ts ON req(ts) WHERE failed = 1',
];
