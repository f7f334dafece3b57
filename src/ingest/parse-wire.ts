/** Messages between the main thread and the parse worker, and errors that cross between them. */
import { UserError } from '../core/errors.js';
import type { RedactionSummary } from '../redact/index.js';
import type { EncodedBatch } from './batch.js';
import { InputDamage } from './input.js';
import type { ParseJob, ParseResult } from './parse-source.js';

/** Batches the worker may have handed over and not yet seen written (bounds memory; two keeps both cores busy). */
export const IN_FLIGHT = 2;

export type ToWorker = { t: 'job'; job: ParseJob } | { t: 'ack' } | { t: 'summary' };

export type FromWorker =
  | { t: 'format'; id: string }
  | { t: 'batch'; b: EncodedBatch; bytesSeen: number }
  | { t: 'stats'; stats: ParseResult['stats'] }
  | { t: 'done'; result: ParseResult }
  | { t: 'error'; error: WireError }
  | { t: 'summary'; counts: RedactionSummary };

export type WireError =
  | { kind: 'user'; message: string; where: string | null; hint: string | null; exitCode: number }
  | { kind: 'damage'; reason: InputDamage['reason']; message: string }
  | { kind: 'other'; message: string; stack: string | null; code: string | null };

export function errorToWire(err: unknown): WireError {
  if (err instanceof UserError) return { kind: 'user', message: err.message, where: err.where, hint: err.hint, exitCode: err.exitCode };
  if (err instanceof InputDamage) return { kind: 'damage', reason: err.reason, message: err.message };
  const e = err instanceof Error ? err : new Error(String(err));
  return { kind: 'other', message: e.message, stack: e.stack ?? null, code: (e as { code?: string }).code ?? null };
}

/** The same error class on this side, so ingest handles it exactly as if parsing ran here. */
export function errorFromWire(w: WireError): Error {
  if (w.kind === 'user') return new UserError(w.message, { where: w.where, hint: w.hint, exitCode: w.exitCode });
  if (w.kind === 'damage') return new InputDamage(w.reason, w.message);
  const e = new Error(w.message);
  if (w.stack) e.stack = w.stack;
  if (w.code) (e as { code?: string }).code = w.code;
  return e;
}
