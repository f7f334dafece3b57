import { UserError } from '../core/errors.js';
import { isFailure } from '../core/types.js';
import type { LogFormat, LineParser } from '../../parsers/access-log/format.js';
import { detectFormat, DETECT_LINES } from '../../parsers/access-log/detect.js';
import { siblingsOf } from '../../parsers/access-log/registry.js';
import type { BatchItem } from '../store/index.js';
import { splitLineBatches, type Line } from './lines.js';
import type { Batcher } from './parse-source.js';

const EXCERPT = 200;

export interface LogIngestOptions {
  /** A format forced with --format / --log-format, or the one stored when resuming. */
  format: LogFormat | null;
  /** Resume: lines before this 1-based number were already stored. */
  resumeFromLine: number;
  /** Only the chosen format (a --format or --log-format the user forced): no sibling formats per line. */
  strict?: boolean;
}

/**
 * Reads a log line by line: detect the format on the first lines (fail fast when none parse),
 * then store every line as a record or a counted skip with its reason.
 * Returns the format used. Throws UserError when the format cannot be determined.
 */
export async function ingestLog(
  bytes: AsyncIterable<Buffer>,
  sink: Batcher,
  opts: LogIngestOptions,
): Promise<LogFormat> {
  const batches = splitLineBatches(bytes);
  const head: Line[] = [];
  /** Lines of the last batch read for detection that come after the head. */
  let rest: Line[] = [];
  let format = opts.format;
  // Buffer the first lines for detection (or for the fail-fast check of a forced format).
  let candidates = 0;
  while (candidates < DETECT_LINES) {
    const next = await batches.next();
    if (next.done) break;
    const lines = next.value;
    let k = 0;
    for (; k < lines.length && candidates < DETECT_LINES; k++) {
      head.push(lines[k]!);
      if (lines[k]!.text.trim() !== '') candidates++;
    }
    rest = lines.slice(k);
  }
  if (opts.resumeFromLine <= 1 || format === null) {
    const det = detectFormat(head.map((l) => l.text), format ? [format] : undefined);
    if (det.format === null) {
      if (det.tried === 0) {
        format ??= null;
      } else {
        const what = format ? `does not match format ${format.id}` : 'matches no known access-log format';
        throw new UserError(`${sink.path}: ${what} in its first ${det.tried} lines:\n  ${det.reasons.join('\n  ')}`, {
          hint: format ? 'check --format, or describe the lines with --log-format' : 'force one with --format NAME, or describe the lines with --log-format (see faultline formats)',
          exitCode: 2,
        });
      }
    } else {
      format = det.format;
    }
  }
  if (format === null) {
    // Empty or blank-only file: nothing to store, nothing to detect.
    sink.setFormat('empty');
    return { id: 'empty', title: 'empty file', create: () => () => ({ directive: true }), samples: [] };
  }
  sink.setFormat(format.id);
  const parse: LineParser = format.create();
  // Siblings only see lines the main format rejected (a vhost line in an Apache combined log).
  const siblings: LineParser[] = opts.strict ? [] : siblingsOf(format.id).map((f) => f.create());
  const handle = (line: Line): BatchItem | null => {
    if (line.no < opts.resumeFromLine) {
      // Already stored: feed only directives so stateful formats (W3C #Fields) keep their state.
      if (line.text.startsWith('#')) parse(line.text);
      return null;
    }
    if (line.invalidUtf8) sink.stats.invalidUtf8Lines++;
    if (line.truncated) sink.stats.truncatedLines++;
    if (line.text.trim() === '') return null;
    let res;
    try {
      res = parse(line.text);
    } catch (err) {
      res = { ok: false as const, reason: `parser error: ${(err as Error).message}` };
    }
    if ('directive' in res) return null;
    if (!res.ok) {
      for (const sib of siblings) {
        let alt;
        try {
          alt = sib(line.text);
        } catch {
          continue;
        }
        if ('directive' in alt) continue;
        if (alt.ok) {
          res = alt;
          break;
        }
      }
    }
    if (res.ok) {
      const record = res.record;
      const failed = isFailure(record);
      return { kind: 'record', unit: line.no, record, failed, raw: failed ? line.text.slice(0, 8192) : null };
    }
    return {
      kind: 'skip',
      unit: line.no,
      reason: line.truncated ? 'line_too_long' : 'unparsed_line',
      detail: res.reason,
      excerpt: line.text.slice(0, EXCERPT),
    };
  };
  const run = async (lines: Line[]): Promise<void> => {
    for (const line of lines) {
      const p = sink.add(handle(line), line.no + 1, line.offset);
      if (p) await p;
    }
  };
  await run(head);
  await run(rest);
  for await (const lines of batches) await run(lines);
  return format;
}
