/**
 * The error taxonomy. Only src/cli/main.ts catches these and turns them into
 * a message and an exit code; nothing else prints a stack trace.
 */

/** Something the user can fix: a bad file, a bad flag, a locked database. */
export class UserError extends Error {
  /** Where in the input, e.g. "access.log:12" or "capture.har: byte 4096". */
  readonly where: string | null;
  /** What to do about it. */
  readonly hint: string | null;
  readonly exitCode: number;
  constructor(message: string, opts: { where?: string | null; hint?: string | null; exitCode?: number } = {}) {
    super(message);
    this.name = 'UserError';
    this.where = opts.where ?? null;
    this.hint = opts.hint ?? null;
    this.exitCode = opts.exitCode ?? 1;
  }
}

/** Ends the process with a code, after the command printed what it had to say. */
export class ExitError extends Error {
  readonly exitCode: number;
  constructor(exitCode: number, message = '') {
    super(message);
    this.name = 'ExitError';
    this.exitCode = exitCode;
  }
}

/** Exit codes, documented in the README. */
export const EXIT = {
  ok: 0,
  /** usage or I/O error */
  usage: 1,
  /** some source was partial or rejected; or a check threshold was crossed */
  partial: 2,
} as const;
