/** What ingest reports per source: the shape of `faultline ingest --json` (issue 2, exact). */
export interface SourceResult {
  path: string;
  format: string | null;
  sha256: string | null;
  records: number;
  failures: number;
  skipped: number;
  status: 'ingested' | 'unchanged' | 'partial' | 'rejected';
  error: string | null;
}

/** Extra per-source facts for the human summary (not part of the JSON contract). */
export interface SourceDetail {
  skipReasons: Array<{ reason: string; count: number }>;
  invalidUtf8Lines: number;
  truncatedLines: number;
  /** True when the failure was an I/O or usage problem (exit 1) rather than bad content (exit 2). */
  ioError: boolean;
}

export interface IngestOutcome {
  result: SourceResult;
  detail: SourceDetail;
}

export function totals(results: readonly SourceResult[]): { records: number; failures: number; skipped: number } {
  let records = 0;
  let failures = 0;
  let skipped = 0;
  for (const r of results) {
    records += r.records;
    failures += r.failures;
    skipped += r.skipped;
  }
  return { records, failures, skipped };
}
