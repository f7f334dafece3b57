import type { RequestRecord } from '../../src/core/types.js';

/**
 * The contract every access-log format implements. Formats are declared as data
 * (see formats/*.ts): an id, a title, how to build a per-file line parser, and
 * real sample lines with the fields they must yield (run by one generic test).
 */
export type LineResult =
  /** The line is a request. */
  | { ok: true; record: RequestRecord }
  /** The line is not a request of this format; `reason` says what was expected (e.g. "expected [time] at column 23"). */
  | { ok: false; reason: string }
  /** A directive or comment that is not an input unit (W3C `#Fields`, Zeek `#separator`); not counted. */
  | { directive: true };

/** Parses one line (no trailing newline, CR already stripped). Stateful formats keep state (W3C #Fields) in the closure. */
export type LineParser = (line: string) => LineResult;

export interface FormatSample {
  /** A real line (or a synthetic one, marked in `note`). */
  line: string;
  /** Fields the parsed record must have (subset match; undefined keys are not checked). */
  expect: Partial<RequestRecord>;
  note?: string;
}

export interface LogFormat {
  /** Stable id, used by --format and in the sources table, e.g. "combined", "aws-alb". */
  id: string;
  title: string;
  /** Build a parser for one file. Called once per file (and once per detection attempt). */
  create(): LineParser;
  /** Lines this format must parse, with expected fields. Directive lines may be given with expect {} and directive: true. */
  samples: FormatSample[];
  /** A custom format's --log-format spec (compileLogFormat): lets ingest's worker thread compile the same format. */
  spec?: string;
}
