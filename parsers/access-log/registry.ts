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
