/**
 * Numbered migrations, applied in order inside one transaction each; `PRAGMA user_version`
 * records the last one applied. Never edit a released migration: add a new one.
 *
 * Layout notes (why it looks like this):
 * - `requests.id` IS the natural key: sourceId * 2^40 + unit (line number or HAR entry index),
 *   so re-ingest is `INSERT OR IGNORE` on the primary key with no extra unique index to maintain.
 * - Strings that repeat across millions of rows (hosts, paths, clients, user agents, referers)
 *   are dictionary-encoded in `dict`, so a request row is mostly small integers.
 * - Detail that only matters for failures and HAR entries (headers, timings, body excerpt,
 *   raw line) lives in `request_detail`, written only when there is something to keep.
 */
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
];

/**
 * Indexes built after a bulk load rather than maintained row by row (much faster on 10M rows).
 * Only failures are indexed: successes are read by full scans during analysis, which keeps the
 * database well under half the size of the raw log.
 * `IF NOT EXISTS` makes this idempotent; ingest calls it once at the end of a run.
 */
export const POST_LOAD_INDEXES: readonly string[] = [
  'CREATE INDEX IF NOT EXISTS requests_failed_ts ON requests(ts) WHERE failed = 1',
  'CREATE INDEX IF NOT EXISTS requests_incident ON requests(incident_id, ts) WHERE incident_id IS NOT NULL',
];
