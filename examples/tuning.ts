// Hyperparameter tuning, Keras Tuner style: a model-building function, a search over units, learning rate and
// optimizer, the leaderboard, and an HTML report of the study (optimisation history, each parameter vs the
// objective). Then Optuna style on a closed-form function.
// Run: npm run build && node dist/examples/tuning.js

import { Sequential, Dense, getOptimizer, RandomSearch, BayesianOptimization, writeReport, Rng, setSeed } from 'descent-ml';
import type { HyperParameters } from 'descent-ml';

setSeed(5);
// Two interleaved half-moons, 300 points (generated, no download).
const rng = new Rng(5);
const x: number[][] = [];
const y: number[] = [];
for (let i = 0; i < 300; i++) {
  const t = Math.PI * rng.next();
  const upper = i % 2 === 0;
  x.push(upper ? [Math.cos(t) + rng.normal(0, 0.1), Math.sin(t) + rng.normal(0, 0.1)] : [1 - Math.cos(t) + rng.normal(0, 0.1), 0.5 - Math.sin(t) + rng.normal(0, 0.1)]);
  y.push(upper ? 0 : 1);
}

function buildModel(hp: HyperParameters): Sequential {
  const model = new Sequential();
  model.add(new Dense(hp.int('units', 4, 32, { step: 4 }), { inputDim: 2, activation: 'relu' }));
  model.add(new Dense(1, { activation: 'sigmoid' }));
  const optimizer = getOptimizer({ className: hp.choice('optimizer', ['adam', 'sgd']), config: { learningRate: hp.float('learningRate', 1e-3, 0.3, { sampling: 'log' }) } });
  model.compile({ loss: 'binary_crossentropy', optimizer, metrics: ['accuracy'] });
  return model;
}

const tuner = new RandomSearch({ hypermodel: buildModel, objective: 'val_accuracy', maxTrials: 8, seed: 1, storage: 'memory', studyName: 'moons' });
await tuner.search(x, y, { epochs: 30, batchSize: 32, validationSplit: 0.25 });
tuner.resultsSummary(5);
const [best] = tuner.getBestHyperparameters(1);
console.log('best:', best.values);

const trials = await tuner.getTrials();
writeReport('tuning-report.html', { title: 'Half-moons: random search', study: { trials, direction: tuner.direction, objective: 'val_accuracy' } });
console.log('study report: tuning-report.html');

// Optuna style: any objective. Branin's minimum is 0.397887.
const branin = (a: number, b: number) => (b - (5.1 / (4 * Math.PI ** 2)) * a ** 2 + (5 / Math.PI) * a - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(a) + 10;
const bo = new BayesianOptimization({ maxTrials: 25, seed: 1, direction: 'minimize', storage: 'memory', verbose: 0 });
const result = await bo.optimize((hp) => branin(hp.float('a', -5, 10), hp.float('b', 0, 15)));
console.log(`Bayesian optimization on Branin, 25 trials: best ${result.value.toFixed(4)} (optimum 0.3979) at`, result.hyperparameters);
