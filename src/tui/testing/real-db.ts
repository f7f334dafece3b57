/**
 * Real investigation databases for TUI tests: real files through the real ingest pipeline and
 * rules engine into a real SQLite file in a temp directory (never copied into the repo).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAnalysis } from '../../cli/commands/analysis.js';
import { ingestAll } from '../../ingest/index.js';
import { openStore, type Store } from '../../store/index.js';
import { reportExporter } from '../export.js';
import { storeSource, type TuiSource } from '../source.js';

export const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url));

export const FILES = {
  /** 270 requests, 94 × 503 from loremflickr.com. */
  har304: join(CORPUS, 'har/pagexray__responseCodes_304.har'),
  /** Every status code and method against one API. */
  allStatus: join(CORPUS, 'har/har-to-openapi__request-generator-all-status-and-method.har'),
  /** AWS ALB access log with LB errors and target timeouts. */
  alb: join(CORPUS, 'logs/elastic-beats__application-lb-http.log'),
};

export interface RealDb {
  dir: string;
  dbPath: string;
  store: Store;
  source: TuiSource;
  /** Closes the writable store and reopens the file read-only, as `browse` does. */
  reopenReadonly(): RealDb;
  cleanup(): void;
}

export async function realDb(paths: string[], prefix = 'faultline-tui-'): Promise<RealDb> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const dbPath = join(dir, 'investigation.db');
  const writable = openStore(dbPath);
  await ingestAll(writable, paths);
  runAnalysis(writable, {});
  writable.close();
  const make = (): RealDb => {
    const store = openStore(dbPath, { readonly: true });
    return {
      dir, dbPath, store,
      source: storeSource(store, reportExporter(store, { cwd: dir })),
      reopenReadonly: () => {
        store.close();
        return make();
      },
      cleanup: () => {
        try {
          store.close();
        } catch {
          // already closed
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  };
  return make();
}
