// Comparing arrays of numbers in tests.
import assert from 'node:assert/strict';

/** The largest absolute difference between two arrays of the same length (asserts the lengths match). */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, 'lengths differ');
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
