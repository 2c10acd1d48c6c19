// Objectives for the crash and worker tests: a 1-d grid x in 0..GRID-1 with value (x - 7)², each trial taking
// CRASH_SLEEP_MS (default 40 ms) so that a kill lands while a trial runs.

import type { HyperParameters } from '../../src/tuner/hyperparameters.js';
import { Callback, Dense, SGD, Sequential } from '../../src/index.js';

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

// A tiny Keras Tuner style search for the crash tests of every algorithm: one weight w (no bias, zero init) trained
// toward y = 2x and validated against y = x (the best epoch is not the last), with a learning rate from a finite
// space; each epoch waits CRASH_SLEEP_MS / 4 so that a kill lands mid-trial.

export const LEARNING_RATES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7];
const X = Array.from({ length: 40 }, (_, i) => -1 + (2 * i) / 39);
export const VALIDATION: [number[][], number[][]] = [X.map((v) => [v]), X.map((v) => [v])];

export function hypermodel(hp: HyperParameters): Sequential {
  const lr = hp.choice('lr', LEARNING_RATES);
  hp.boolean('flag'); // does not change the model: 14 points in all
  const model = new Sequential();
  model.add(new Dense(1, { inputDim: 1, useBias: false, kernelInitializer: 'zeros' }));
  model.compile({ loss: 'mse', optimizer: new SGD({ learningRate: lr }) });
  return model;
}

class Slow extends Callback {
  override async onEpochEnd(): Promise<void> {
    await new Promise((r) => setTimeout(r, Number(process.env.CRASH_SLEEP_MS ?? 40) / 4));
  }
}

export function data() {
  return { x: X.map((v) => [v]), y: X.map((v) => [2 * v]), validationData: VALIDATION, epochs: 4, batchSize: 40, shuffle: false, callbacks: [new Slow()] };
}
