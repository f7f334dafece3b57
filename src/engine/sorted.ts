/** Binary search over ascending numbers (per-minute traffic columns). */

/** First index whose value is >= v (a.length when none). */
export function lowerBound(a: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of `v` in ascending `a`, or -1. */
export function sortedIndexOf(a: ArrayLike<number>, v: number): number {
  const i = lowerBound(a, v);
  return i < a.length && a[i] === v ? i : -1;
}
