// The public tuners: the runner (tuner.ts) with one oracle each. Defaults of maxTrials: 10 (Keras Tuner's),
// the whole grid for GridSearch, the bracket schedule for Hyperband.

import { Tuner, type TunerOptions } from './tuner.js';
import { RandomOracle } from './oracles/random.js';
import { GridOracle } from './oracles/grid.js';
import { BayesianOracle, type BayesianOptions } from './oracles/bayesian.js';
import { HyperbandOracle } from './oracles/hyperband.js';
import { TPEOracle, type TPEOptions } from './oracles/tpe.js';

export class RandomSearch extends Tuner {
  constructor(options: TunerOptions = {}) {
    super(new RandomOracle(), options, 10);
  }
}

/** Every combination of the space's values (floats need a step); maxTrials defaults to the whole grid. */
export class GridSearch extends Tuner {
  constructor(options: TunerOptions = {}) {
    super(new GridOracle(), options, null);
  }
}

export interface BayesianOptimizationOptions extends TunerOptions, BayesianOptions {}

export class BayesianOptimization extends Tuner {
  constructor(options: BayesianOptimizationOptions = {}) {
    const { numInitialPoints, acquisition, beta, xi, candidates } = options;
    super(new BayesianOracle({ numInitialPoints, acquisition, beta, xi, candidates }), options, 10);
  }
}

export interface HyperbandTunerOptions extends TunerOptions {
  /** Epochs of the longest-trained models. Default 100. */
  maxEpochs?: number;
  /** Reduction factor between rounds. Default 3. */
  factor?: number;
  /** Times the set of brackets is run (Keras Tuner's hyperband_iterations). Default 1. */
  hyperbandIterations?: number;
}

/** Successive halving of epochs across brackets (Keras Tuner's Hyperband); trials carry their epoch budget. */
export class Hyperband extends Tuner {
  constructor(options: HyperbandTunerOptions = {}) {
    super(new HyperbandOracle({ maxEpochs: options.maxEpochs, factor: options.factor, iterations: options.hyperbandIterations }), options, null);
  }
}

export interface TPESearchOptions extends TunerOptions, TPEOptions {}

/** Tree-structured Parzen estimator (Optuna's default sampler). */
export class TPESearch extends Tuner {
  constructor(options: TPESearchOptions = {}) {
    super(new TPEOracle({ numInitialPoints: options.numInitialPoints, candidates: options.candidates }), options, 10);
  }
}
