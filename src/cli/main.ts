#!/usr/bin/env node
/**
 * The faultline binary. The only place that catches errors and chooses exit codes:
 * UserError → message (+ hint) and its code; anything else → "internal error" and, with
 * --debug, the stack.
 */
import './heap-flags.js';
import { ExitError, UserError } from '../core/errors.js';
import { toTerminal } from '../core/escape-terminal.js';
import { createProgram } from './program.js';

const debug = process.argv.includes('--debug') || process.env['FAULTLINE_DEBUG'] === '1';

function fail(message: string, code: number): never {
  process.stderr.write(message.endsWith('\n') ? message : message + '\n');
  process.exit(code);
}

process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  // `faultline failures --json | head` closes the pipe early: that is not an error.
  if (err.code === 'EPIPE') process.exit(0);
});

try {
  await createProgram().parseAsync(process.argv);
} catch (err) {
  if (err instanceof ExitError) {
    if (err.message) process.stderr.write(toTerminal(err.message, { singleLine: false }) + '\n');
    process.exit(err.exitCode);
  }
  if (err instanceof UserError) {
    const where = err.where ? `${err.where}: ` : '';
    const hint = err.hint ? `\n  hint: ${err.hint}` : '';
    fail(`faultline: ${toTerminal(where + err.message, { singleLine: false, max: 8192 })}${toTerminal(hint, { singleLine: false })}`, err.exitCode);
  }
  const code = (err as { code?: string }).code;
  if (code === 'commander.helpDisplayed' || code === 'commander.version') process.exit(0);
  if (typeof code === 'string' && code.startsWith('commander.')) process.exit(1);
  const msg = err instanceof Error ? err.message : String(err);
  fail(
    `faultline: internal error: ${toTerminal(msg)}\n` +
      (debug && err instanceof Error && err.stack ? toTerminal(err.stack, { singleLine: false, max: 16384 }) + '\n' : '  (run with --debug for details, and please report it)'),
    70,
  );
}
