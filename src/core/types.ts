/**
 * Domain types shared by parsers, the store, the rules engine and every renderer.
 * Nothing here imports anything internal: parsers, store, engine and views all depend on this file.
 */

/** A header as it appeared on the wire (name case preserved; compare case-insensitively). */
export type Header = [name: string, value: string];

/** HAR timing phases in milliseconds; -1 or null means "not applicable". */
export interface Timings {
  blocked: number | null;
  dns: number | null;
  connect: number | null;
  ssl: number | null;
  send: number | null;
  wait: number | null;
  receive: number | null;
}

/**
 * One normalized request, whatever the source (HAR entry or access-log line).
 * Every field a source does not carry is null. Strings are already redacted
 * (src/redact) before a record leaves its parser's pipeline and reaches the store.
 */
export interface RequestRecord {
  /** Request start, UTC epoch milliseconds (source timezone honoured). */
  ts: number | null;
  method: string | null;
  /** "http" | "https" | "ws" | "wss" | null */
  scheme: string | null;
  host: string | null;
  /** Path without query, as sent (percent-encoding kept). */
  path: string | null;
  /** Query string without the leading "?", or null when absent. */
  query: string | null;
  /** HTTP status; 0 when the request got no response (HAR status 0, Caddy 0, CloudFront 000); -1 as Playwright writes it. */
  status: number | null;
  httpVersion: string | null;
  /** Total duration in ms (HAR time, nginx $request_time*1000, ALB sum of phases…). */
  durationMs: number | null;
  /** Time spent waiting on the upstream/target in ms (nginx $upstream_response_time, ALB target_processing_time). */
  upstreamMs: number | null;
  timings: Timings | null;
  /** Response bytes (body or total as the source reports). */
  bytesOut: number | null;
  /** Request bytes. */
  bytesIn: number | null;
  clientIp: string | null;
  userAgent: string | null;
  referer: string | null;
  /** Upstream/target address(es) as logged, e.g. "10.0.0.1:8080, 10.0.0.2:8080". */
  upstreamAddr: string | null;
  /** Upstream/target status(es) as logged, e.g. "502, 502" or "-" when the proxy never got one. */
  upstreamStatus: string | null;
  requestId: string | null;
  traceId: string | null;
  /** Error text from the source: HAR _error, ALB error_reason, CloudFront x-edge-detailed-result-type, Envoy response flags… */
  errorText: string | null;
  reqHeaders: Header[] | null;
  respHeaders: Header[] | null;
  /** Response MIME type when known. */
  respMime: string | null;
  /** Response body excerpt (redacted, capped) kept for failures and API-looking responses. */
  body: string | null;
  /** Full response body size in bytes when known (even when the excerpt is capped or dropped). */
  bodySize: number | null;
  /** SHA-256 hex of the full body text when it was seen (kept past the cap). */
  bodyHash: string | null;
  /** Format-specific extras (ALB elb_status_code/target_status_code, HAR _resourceType, CloudFront result type…). Small, JSON-serialisable. */
  extra: Record<string, string | number | boolean | null> | null;
}

/** Where a record came from: a 1-based line number for logs, a 0-based entry index for HAR. */
export interface Locator {
  line: number | null;
  entry: number | null;
}

/** What a parser yields: a record, or a skipped input unit with its reason. */
export type ParseEvent =
  | { kind: 'record'; unit: number; locator: Locator; record: RequestRecord; raw?: string }
  | { kind: 'skip'; unit: number; locator: Locator; reason: string; excerpt: string };

/** Counters a parser keeps beside its events (shown in the summary). */
export interface ParseStats {
  invalidUtf8Lines: number;
  truncatedLines: number;
}

/** An empty record; parsers spread their fields over it so every key is always present. */
export function emptyRecord(): RequestRecord {
  return {
    ts: null, method: null, scheme: null, host: null, path: null, query: null, status: null,
    httpVersion: null, durationMs: null, upstreamMs: null, timings: null, bytesOut: null, bytesIn: null,
    clientIp: null, userAgent: null, referer: null, upstreamAddr: null, upstreamStatus: null,
    requestId: null, traceId: null, errorText: null, reqHeaders: null, respHeaders: null,
    respMime: null, body: null, bodySize: null, bodyHash: null, extra: null,
  };
}

/** Case-insensitive header lookup: first value or null. */
export function headerValue(headers: Header[] | null, name: string): string | null {
  if (!headers) return null;
  const want = name.toLowerCase();
  for (const [n, v] of headers) if (n.toLowerCase() === want) return v;
  return null;
}

/** Failure marking at ingest (issue 2): status >= 400, status <= 0, a HAR _error, or an LB-generated error. */
export function isFailure(r: RequestRecord): boolean {
  if (r.status === null) return r.errorText !== null;
  if (r.status >= 400 || r.status <= 0) return true;
  if (r.extra && r.extra['lbError'] === true) return true;
  if (r.extra && r.extra['harError'] === true) return true;
  return false;
}

/** A request as read back from the store: the record plus where it came from and what analysis said. */
export interface StoredRequest extends RequestRecord {
  id: number;
  sourceId: number;
  /** The path as the user gave it at ingest. */
  sourcePath: string;
  sourceKind: 'har' | 'log';
  /** Format id, e.g. "har", "combined", "aws-alb". */
  format: string;
  /** 1-based line for logs; null for HAR. */
  line: number | null;
  /** 0-based index in log.entries for HAR; null for logs. */
  entry: number | null;
  failed: boolean;
  /** Route template, e.g. "/users/{id}", once analysis ran. */
  route: string | null;
  cause: string | null;
  subcause: string | null;
  ruleId: string | null;
  incidentId: string | null;
  /** The raw log line (redacted) for failures, when kept. */
  raw: string | null;
}
