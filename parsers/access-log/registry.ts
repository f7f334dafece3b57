import type { LogFormat } from './format.js';
import { structuredFormats } from './formats/structured-formats.js';
import { textFormats } from './formats/text-formats.js';

/**
 * Every access-log format, in detection order: structured formats first (their lines are
 * unambiguous: JSON objects, #Fields headers), then the text family, most specific first.
 * Adding a format: one file under formats/, one line in its family's list.
 */
export const LOG_FORMATS: readonly LogFormat[] = [...structuredFormats, ...textFormats];

export function findFormat(id: string): LogFormat | undefined {
  return LOG_FORMATS.find((f) => f.id === id);
}

/**
 * Formats that share a family also appear mixed in one file (Apache vhosts writing common and
 * combined lines; Envoy Gateway mixing JSON and text access logs). A line the detected format
 * rejects is tried with its siblings before it is counted as skipped.
 */
const FAMILIES: ReadonlyArray<readonly string[]> = [
  ['combined', 'common', 'vhost_combined', 'nginx-main', 'nginx-upstream'],
  ['envoy-json', 'envoy-text'],
];

export function siblingsOf(id: string): LogFormat[] {
  const fam = FAMILIES.find((f) => f.includes(id));
  if (!fam) return [];
  return fam.filter((x) => x !== id).map((x) => findFormat(x)).filter((f): f is LogFormat => f !== undefined);
}
