// The public tuners: the runner (tuner.ts) with one oracle each. Defaults of maxTrials: 10 (Keras Tuner's),
// the whole grid for GridSearch, the bracket schedule for Hyperband.

import { Tuner, type TunableModel, type TunerOptions } from './tuner.js';
import { RandomOracle } from './oracles/random.js';
import { GridOracle } from './oracles/grid.js';
import { BayesianOracle, type BayesianOptions } from './oracles/bayesian.js';
import { HyperbandOracle } from './oracles/hyperband.js';
import { TPEOracle, type TPEOptions } from './oracles/tpe.js';

export class RandomSearch<M extends TunableModel = TunableModel> extends Tuner<M> {
  constructor(options: TunerOptions<M> = {}) {
    super(new RandomOracle(), options, 10);
  }
}

/** Every combination of the space's values (floats need a step); maxTrials defaults to the whole grid. */
export class GridSearch<M extends TunableModel = TunableModel> extends Tuner<M> {
  constructor(options: TunerOptions<M> = {}) {
    super(new GridOracle(), options, null);
  }
}

export interface BayesianOptimizationOptions<M extends TunableModel = TunableModel> extends TunerOptions<M>, BayesianOptions {}

export class BayesianOptimization<M extends TunableModel = TunableModel> extends Tuner<M> {
  constructor(options: BayesianOptimizationOptions<M> = {}) {
    const { numInitialPoints, acquisition, beta, xi, candidates } = options;
    super(new BayesianOracle({ numInitialPoints, acquisition, beta, xi, candidates }), options, 10);
  }
}

export interface HyperbandTunerOptions<M extends TunableModel = TunableModel> extends TunerOptions<M> {
  /** Epochs of the longest-trained models. Default 100. */
  maxEpochs?: number;
  /** Reduction factor between rounds. Default 3. */
  factor?: number;
  /** Times the set of brackets is run (Keras Tuner's hyperband_iterations). Default 1. */
  hyperbandIterations?: number;
}

/** Successive halving of epochs across brackets (Keras Tuner's Hyperband); trials carry their epoch budget. */
export class Hyperband<M extends TunableModel = TunableModel> extends Tuner<M> {
  constructor(options: HyperbandTunerOptions<M> = {}) {
    super(new HyperbandOracle({ maxEpochs: options.maxEpochs, factor: options.factor, iterations: options.hyperbandIterations }), options, null);
  }
}

export interface TPESearchOptions<M extends TunableModel = TunableModel> extends TunerOptions<M>, TPEOptions {}

/** Tree-structured Parzen estimator (Optuna's default sampler). */
export class TPESearch<M extends TunableModel = TunableModel> extends Tuner<M> {
  constructor(options: TPESearchOptions<M> = {}) {
    super(new TPEOracle({ numInitialPoints: options.numInitialPoints, candidates: options.candidates }), options, 10);
  }
}
