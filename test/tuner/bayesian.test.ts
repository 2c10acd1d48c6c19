import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BayesianOptimization, RandomSearch } from '../../src/tuner/tuners.js';
import { BayesianOracle } from '../../src/tuner/oracles/bayesian.js';
import { HyperParameters } from '../../src/tuner/hyperparameters.js';
import type { TrialRecord } from '../../src/tuner/trial.js';
import { Rng } from '../../src/tensor/random.js';
import { BRANIN_MIN, branin, median, quiet } from './helpers.js';

test('BayesianOptimization beats RandomSearch on Branin with the same budget (median of 5 seeds)', async () => {
  const best = async (make: (seed: number) => RandomSearch | BayesianOptimization) => {
    const out: number[] = [];
    for (const seed of [1, 2, 3, 4, 5]) {
      out.push((await make(seed).optimize((hp) => branin(hp.float('x1', -5, 10), hp.float('x2', 0, 15)))).value);
    }
    return median(out);
  };
  const bo = await best((seed) => new BayesianOptimization({ ...quiet, maxTrials: 25, seed }));
  const rs = await best((seed) => new RandomSearch({ ...quiet, maxTrials: 25, seed }));
  assert.ok(bo < BRANIN_MIN + 0.1, `Bayesian median best ${bo} should be within 0.1 of the minimum ${BRANIN_MIN}`);
  assert.ok(rs > bo + 0.2, `Random median best ${rs} should be clearly worse than Bayesian ${bo}`);
});

test('a pending (running) trial pushes the next proposal away from it (constant liar)', () => {
  const space = new HyperParameters();
  space.float('x', 0, 1);
  const f = (x: number) => (x - 0.62) ** 2;
  const record = (id: number, x: number, status: TrialRecord['status']): TrialRecord => ({
    id, study: 's', hyperparameters: { x }, status, value: status === 'complete' ? f(x) : null, intermediate: [], startedAt: 0,
  });
  const done = [0.05, 0.3, 0.45, 0.9, 0.97].map((x, i) => record(i, x, 'complete'));
  const oracle = new BayesianOracle({ numInitialPoints: 2, candidates: 300 });
  const propose = (trials: TrialRecord[], seed: number) => {
    const v = oracle.propose({ space: space.space, trials, direction: 'minimize', rng: new Rng(seed) });
    assert.ok(v && v !== 'wait');
    return v.x as number;
  };
  const first = propose(done, 1);
  assert.ok(Math.abs(first - 0.62) < 0.15, `first proposal ${first} near the minimum of the fitted model`);
  // Without the pending point a second worker would propose nearly the same x; with it, somewhere else.
  const same = propose(done, 2);
  assert.ok(Math.abs(same - first) < 0.03, `${same} vs ${first}`);
  const spread = propose([...done, record(5, first, 'running')], 2);
  assert.ok(Math.abs(spread - first) > 0.05, `proposal ${spread} should move away from the pending ${first}`);
});

test('maximize direction and one-hot categorical parameters', async () => {
  const tuner = new BayesianOptimization({ ...quiet, maxTrials: 20, seed: 3, direction: 'maximize', numInitialPoints: 6, candidates: 300 });
  const best = await tuner.optimize((hp) => {
    const kind = hp.choice('kind', ['a', 'b', 'c']);
    const x = hp.float('x', 0, 1);
    return (kind === 'b' ? 1 : 0) - (x - 0.3) ** 2;
  });
  assert.equal(best.hyperparameters.kind, 'b');
  assert.ok(Math.abs((best.hyperparameters.x as number) - 0.3) < 0.1, `x ${best.hyperparameters.x}`);
  // After the random start, most proposals use the best category.
  const later = tuner.trials.slice(6).filter((t) => t.hyperparameters.kind === 'b').length;
  assert.ok(later >= 9, `${later} of 14 later trials chose 'b'`);
});
