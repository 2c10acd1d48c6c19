// Messages between the page (main.ts) and the worker (worker.ts). Everything is structured-clone data.

import type { DataSplit, EpochResult, NetConfig, OptimizerSettings, Points, Trajectory, TrialPoint, TuneConfig } from './engine.js';

/** Resolution of the decision-boundary grid the worker predicts on. */
export const GRID_RES = 64;

export interface LayerWeights {
  kernel: Float32Array;
  bias: Float32Array;
  inputs: number;
  units: number;
}

export type ToWorker =
  | { type: 'race'; surface: string; racers: string[]; settings: OptimizerSettings; steps: number; start: [number, number]; token: number }
  | { type: 'reset'; config: NetConfig }
  | { type: 'train'; config: NetConfig; speed: number }
  | { type: 'speed'; speed: number }
  | { type: 'step'; config: NetConfig }
  | { type: 'pause' }
  | { type: 'tune'; net: NetConfig; tune: TuneConfig }
  | { type: 'tune-stop' }
  | { type: 'seeded'; config: NetConfig; epochs: number };

export type FromWorker =
  | { type: 'ready'; backend: string }
  | { type: 'race'; trajectories: Trajectory[]; token: number }
  | { type: 'reset'; train: Points; test: Points; task: DataSplit['task']; grid: Float32Array; weights: LayerWeights[] }
  | { type: 'epochs'; epochs: EpochResult[]; grid: Float32Array; weights: LayerWeights[] }
  | { type: 'trial'; point: TrialPoint; gp: Float32Array | null }
  | { type: 'tune-done' }
  | { type: 'seeded'; epochs: EpochResult[] }
  | { type: 'error'; message: string };
