// Running several trials at once inside one thread (for async objectives: I/O, remote evaluations, child
// processes), and keeping a running trial's heartbeat alive so other workers do not take it for abandoned.

import type { StudyStorage } from '../trial.js';
import { HEARTBEAT_INTERVAL_MS } from '../storage/common.js';

/**
 * Run `n` loops at once, each calling runOne() again as soon as its previous call resolves, until a call returns
 * false (no more work for that loop). After the first error no loop starts another call; the error is thrown once
 * the calls already running have settled (so their trials are finished, not left running).
 */
export async function runConcurrent(n: number, runOne: (slot: number) => Promise<boolean>): Promise<void> {
  if (!Number.isInteger(n) || n < 1) throw new Error(`runConcurrent: concurrency must be a positive integer, got ${n}`);
  let failure: { error: unknown } | null = null;
  const loop = async (slot: number) => {
    while (!failure) {
      let more: boolean;
      try {
        more = await runOne(slot);
      } catch (error) {
        failure ??= { error };
        return;
      }
      if (!more) return;
    }
  };
  await Promise.all(Array.from({ length: n }, (_, slot) => loop(slot)));
  if (failure) throw (failure as { error: unknown }).error;
}

/**
 * Call storage.heartbeat every intervalMs while a trial runs; returns the function that stops it. Heartbeat errors
 * (e.g. the trial was meanwhile marked abandoned) are ignored here: finishTrial reports them. The timer does not
 * keep the process alive.
 */
export function keepAlive(storage: StudyStorage, study: string, trialId: number, intervalMs = HEARTBEAT_INTERVAL_MS): () => void {
  const timer = setInterval(() => {
    storage.heartbeat(study, trialId).catch(() => {});
  }, intervalMs);
  (timer as { unref?: () => void }).unref?.(); // Node: do not keep the process alive
  return () => clearInterval(timer);
}
