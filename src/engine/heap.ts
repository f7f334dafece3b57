/**
 * A full garbage collection between the phases of a large analysis. V8 grows its heap to several
 * times the live data before it collects; analysis builds and drops hundreds of megabytes in a few
 * phases (hydrated failures, clustering, incident records), so without a collection at the phase
 * boundaries the peak RSS is set by garbage, not by what is live (issue: peak RSS under 300 MB at
 * 10M requests). `gc` is exposed at run time (the documented --expose-gc flag, set through v8), and
 * taken from a fresh context, so nothing global changes; if that is not possible this is a no-op.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | null | undefined;

export function collectGarbage(): void {
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      const fn = runInNewContext('gc') as unknown;
      gc = typeof fn === 'function' ? (fn as () => void) : null;
    } catch {
      gc = null;
    }
  }
  gc?.();
}
