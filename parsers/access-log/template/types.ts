/**
 * The compiled form of a positional log format (an nginx `log_format` or Apache `LogFormat`
 * string, or a built-in format written in the same notation): literal text and fields, in order.
 */
import type { RequestRecord } from '../../../src/core/types.js';

/** Scratch state for one line, reused across lines by one parser (no per-line allocation unless needed). */
export interface LineCtx {
  /** Extras collected for the current line; created on first use. */
  extra: Record<string, string | number | boolean | null> | null;
  /** Per-line values a format's `finish` hook needs (ALB phases…); created on first use, cleared per line. */
  tmp: Record<string, string | number | null> | null;
  /** Offset of text kept as extra.trailing (after leading spaces), or -1: lets a finish hook read it uncapped. */
  trailingAt: number;
}

/**
 * How a variable's text becomes record fields. `apply` returns false when the text is not a valid
 * value of this variable (e.g. a status that is not a number): the line is then rejected, which is
 * what lets format detection tell similar formats apart.
 */
export interface VarDef {
  /** Short description used in rejection reasons ("a status code", "a [dd/Mon/yyyy:HH:MM:SS +zzzz] time"). */
  expect: string;
  /** The value may be a comma list `a, b` or nginx's redirect-group list `a : b` (upstream_* variables). */
  list?: boolean;
  apply(r: RequestRecord, v: string, ctx: LineCtx): boolean;
}

/** How a field's end is found. */
export type Lex =
  /** Ends at the first character of the following literal. */
  | 'bare'
  /** Between quotes given by the surrounding literals; backslash escapes honoured (`\"`, `\\`). */
  | 'quoted'
  /** Between `[` and `]` given by the surrounding literals. */
  | 'bracket'
  /** Like bare, but `, ` and ` : ` separators are part of the value (nginx upstream lists). */
  | 'list'
  /** Runs to the end of the line. */
  | 'rest';

export interface FieldStep {
  /** Variable name as written in the spec (`remote_addr`, `http_user_agent`…); key for unknown extras. */
  name: string;
  def: VarDef;
  lex: Lex;
  /** Literal that must follow the value ('' for the last field). */
  after: string;
  /** First char code of `after`, or -1. */
  stop: number;
  /** The line may end right after this value: the rest of the template is optional. */
  mayEnd: boolean;
  /** Bare fields: occurrences of the stop character inside the value (a custom time `%d/%b/%Y %T`). */
  skipStops: number;
  /** 0-based offset of the field in the spec, for compile errors. */
  specPos: number;
}

export interface Template {
  /** Literal the line must start with. */
  head: string;
  steps: FieldStep[];
  /**
   * What to do with text after the last literal: 'reject' the line, or 'keep' it in `extra.trailing`
   * (generic formats accept lines with extra custom fields and lose a tie to a more specific format).
   */
  trailing: 'reject' | 'keep';
}

/** Per-format hook run after all fields applied; returns a rejection reason or null. */
export type FinishHook = (r: RequestRecord, ctx: LineCtx, line: string) => string | null;
