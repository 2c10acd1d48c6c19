// Objective for the crash and worker tests: a 1-d grid x in 0..GRID-1 with value (x - 7)², each trial taking
// CRASH_SLEEP_MS (default 40 ms) so that a kill lands while a trial runs.

import type { HyperParameters } from '../../src/tuner/hyperparameters.js';

export const GRID = 30;

export async function objective(hp: HyperParameters): Promise<number> {
  const x = hp.int('x', 0, GRID - 1);
  await new Promise((r) => setTimeout(r, Number(process.env.CRASH_SLEEP_MS ?? 40)));
  return (x - 7) ** 2;
}

/** CPU-bound and synchronous: for worker threads (a blocked thread must not be taken for dead). */
export function busyObjective(hp: HyperParameters): number {
  const x = hp.int('x', 0, GRID - 1);
  const until = Date.now() + Number(process.env.CRASH_SLEEP_MS ?? 40);
  let s = 0;
  while (Date.now() < until) s += Math.sqrt(s + 1);
  return (x - 7) ** 2 + (s < 0 ? 1 : 0);
}

/** Ends its worker thread (process.exit in a thread stops only the thread) at x = 2. */
export async function exitingObjective(hp: HyperParameters): Promise<number> {
  const x = hp.int('x', 0, GRID - 1);
  if (x === 2) process.exit(3);
  return (x - 7) ** 2;
}
