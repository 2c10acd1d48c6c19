// Exports for the worker-thread tests: a CPU-bound objective, and a Keras Tuner style hypermodel with its data.
// Worker threads import this module, so it has no top-level side effects.

import type { HyperParameters } from '../../src/tuner/hyperparameters.js';
import { BroadcastChannel, threadId } from 'node:worker_threads';

/** (x - 7)² + (y - 2)² on a 30 × 5 grid, after `work` square roots of busy CPU (no sleeping). */
export function cpuObjective(hp: HyperParameters): number {
  const x = hp.int('x', 0, 29);
  const y = hp.int('y', 0, 4);
  let s = 0;
  for (let i = 0; i < 2e5; i++) s += Math.sqrt(i + s);
  return (x - 7) ** 2 + (y - 2) ** 2 + (s < 0 ? 1 : 0);
}

/** Which thread ran the trial (0 = the main thread), as the value. */
export function whichThread(hp: HyperParameters): number {
  hp.int('x', 0, 99);
  return threadId;
}

/** A model whose val_loss after epoch e is (units - 24)² / 100 + 1 / (e + 1): best units = 24. */
export function buildModel(hp: HyperParameters) {
  const units = hp.int('units', 8, 40, { step: 8 });
  return {
    stopTraining: false,
    async fit(_x: unknown, _y: unknown, options: Record<string, unknown>) {
      const epochs = options.epochs as number;
      const val_loss = Array.from({ length: epochs }, (_, e) => (units - 24) ** 2 / 100 + 1 / (e + 1));
      return { history: { val_loss, thread: val_loss.map(() => threadId) } };
    },
  };
}

export function loadData() {
  return { x: [[0], [1]], y: [[0], [1]], epochs: 3 };
}

/** x in 0..5; odd x throws (a failed trial in a thread). */
export function oddFails(hp: HyperParameters): number {
  const x = hp.int('x', 0, 5);
  if (x % 2) throw new Error(`odd x = ${x}`);
  return x;
}

// Threads of one process hear each other on a BroadcastChannel (unref'd: it keeps no thread alive).
const gate = new BroadcastChannel('descent-tuner-test-gate');
gate.unref();
const startedElsewhere = new Set<number>();
gate.onmessage = (e) => void startedElsewhere.add((e as { data: number }).data);

/** cpuObjective, but trial 5 finishes only once another thread has started trial 6 (so 6 is proposed while 5 runs). */
export async function gatedObjective(hp: HyperParameters, trial: { id: number }): Promise<number> {
  const v = cpuObjective(hp);
  gate.postMessage(trial.id);
  const until = Date.now() + 5000; // a fallback, so that a broken test fails instead of hanging
  while (trial.id === 5 && !startedElsewhere.has(6) && Date.now() < until) await new Promise((r) => setTimeout(r, 2));
  return v;
}
