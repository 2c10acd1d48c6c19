import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GridSearch, RandomSearch, BayesianOptimization, TPESearch, Hyperband } from '../../src/tuner/tuners.js';
import { HyperParameters } from '../../src/tuner/hyperparameters.js';
import { RandomOracle } from '../../src/tuner/oracles/random.js';
import { mix } from '../../src/tuner/tuner.js';
import { Rng } from '../../src/tensor/random.js';
import { branin, hartmann6, quiet } from './helpers.js';

test('GridSearch visits exactly the product of the space, once each', async () => {
  const seen: string[] = [];
  const tuner = new GridSearch({ ...quiet });
  await tuner.optimize((hp) => {
    const a = hp.int('a', 1, 3);
    const b = hp.choice('b', ['x', 'y']);
    const c = hp.float('c', 0, 1, { step: 0.5 });
    const d = hp.boolean('d');
    seen.push(JSON.stringify([a, b, c, d]));
    return a + c;
  });
  const expected: string[] = [];
  for (const a of [1, 2, 3]) for (const b of ['x', 'y']) for (const c of [0, 0.5, 1]) for (const d of [false, true]) expected.push(JSON.stringify([a, b, c, d]));
  assert.equal(seen.length, 36);
  assert.deepEqual([...seen].sort(), [...expected].sort());
  assert.equal(tuner.trials.length, 36);
  assert.ok(tuner.trials.every((t) => t.status === 'complete'));
});

test('GridSearch with conditional parameters enumerates only active combinations', async () => {
  const space = new HyperParameters();
  space.int('n', 1, 3);
  for (let i = 0; i < 3; i++) space.choice(`u${i}`, [8, 16], { parent: 'n', parentValues: [1, 2, 3].filter((k) => k > i) });
  const seen = new Set<string>();
  const tuner = new GridSearch({ ...quiet, hyperparameters: space });
  await tuner.optimize((hp) => {
    const n = hp.int('n', 1, 3);
    const u = [0, 1, 2].map((i) => hp.choice(`u${i}`, [8, 16], { parent: 'n', parentValues: [1, 2, 3].filter((k) => k > i) }));
    seen.add(JSON.stringify(hp.values));
    return n + u[0];
  });
  // n = 1: 2 combinations, n = 2: 4, n = 3: 8.
  assert.equal(seen.size, 2 + 4 + 8);
  for (const t of tuner.trials) {
    const n = t.hyperparameters.n as number;
    for (let i = 0; i < 3; i++) assert.equal(`u${i}` in t.hyperparameters, i < n, `u${i} with n=${n}`);
  }
});

test('GridSearch refuses a continuous float, naming it', async () => {
  const space = new HyperParameters();
  space.float('lr', 1e-4, 1e-1, { sampling: 'log' });
  const tuner = new GridSearch({ ...quiet, hyperparameters: space });
  await assert.rejects(tuner.optimize((hp) => hp.float('lr', 1e-4, 1e-1, { sampling: 'log' })), /GridSearch: float 'lr' is continuous; give it a step/);
});

test('random search stays within bounds, and log sampling is log-uniform (Kolmogorov-Smirnov)', () => {
  const space = new HyperParameters();
  space.float('lr', 1e-5, 1e-1, { sampling: 'log' });
  space.int('units', 4, 9);
  const oracle = new RandomOracle();
  const n = 2000;
  const lr: number[] = [];
  const units = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const v = oracle.propose({ space: space.space, trials: [], direction: 'minimize', rng: new Rng(mix(7, i)) });
    assert.ok(v && v !== 'wait');
    const x = v.lr as number;
    assert.ok(x >= 1e-5 && x <= 1e-1, `lr ${x}`);
    const u = v.units as number;
    assert.ok(Number.isInteger(u) && u >= 4 && u <= 9, `units ${u}`);
    lr.push(x);
    units.set(u, (units.get(u) ?? 0) + 1);
  }
  lr.sort((a, b) => a - b);
  const ks = (cdf: (x: number) => number) => Math.max(...lr.map((x, i) => Math.max(Math.abs((i + 1) / n - cdf(x)), Math.abs(i / n - cdf(x)))));
  const logUniform = (x: number) => (Math.log(x) - Math.log(1e-5)) / (Math.log(1e-1) - Math.log(1e-5));
  const uniform = (x: number) => (x - 1e-5) / (1e-1 - 1e-5);
  const critical = 1.95 / Math.sqrt(n); // alpha = 0.001
  assert.ok(ks(logUniform) < critical, `KS vs log-uniform ${ks(logUniform)} >= ${critical}`);
  assert.ok(ks(uniform) > 0.5, 'the sample is clearly not linear-uniform');
  // Every integer equally likely: each count within 5 standard deviations of n/6.
  const sd = Math.sqrt(n * (1 / 6) * (5 / 6));
  for (let u = 4; u <= 9; u++) assert.ok(Math.abs((units.get(u) ?? 0) - n / 6) < 5 * sd, `units=${u}: ${units.get(u)}`);
});

test('random search: conditional parameters appear only when the parent allows', async () => {
  const tuner = new RandomSearch({ ...quiet, maxTrials: 40, seed: 3 });
  await tuner.optimize((hp) => {
    const n = hp.int('numLayers', 1, 4);
    let s = 0;
    for (let i = 0; i < n; i++) s += hp.int(`units${i}`, 8, 64, { parent: 'numLayers', parentValues: [1, 2, 3, 4].filter((k) => k > i) });
    return s;
  });
  const layers = new Set<number>();
  for (const t of tuner.trials) {
    const n = t.hyperparameters.numLayers as number;
    layers.add(n);
    for (let i = 0; i < 4; i++) assert.equal(`units${i}` in t.hyperparameters, i < n, JSON.stringify(t.hyperparameters));
  }
  assert.equal(layers.size, 4, 'every depth was tried');
});

for (const [name, make] of [
  ['RandomSearch', (seed: number) => new RandomSearch({ ...quiet, maxTrials: 12, seed })],
  ['BayesianOptimization', (seed: number) => new BayesianOptimization({ ...quiet, maxTrials: 12, seed, numInitialPoints: 4, candidates: 200 })],
  ['TPESearch', (seed: number) => new TPESearch({ ...quiet, maxTrials: 14, seed, numInitialPoints: 5 })],
] as const) {
  test(`${name}: same seed, same sequence of trials; another seed, another sequence`, async () => {
    const run = async (seed: number) => {
      const tuner = make(seed);
      await tuner.optimize((hp) => branin(hp.float('x1', -5, 10), hp.float('x2', 0, 15)) + (hp.choice('c', ['a', 'b']) === 'a' ? 0 : 1));
      return tuner.trials.map((t) => t.hyperparameters);
    };
    const a = await run(11);
    assert.deepEqual(await run(11), a);
    assert.notDeepEqual(await run(12), a);
  });
}

test('Hyperband follows the Keras Tuner bracket schedule and continues the best of each round', async () => {
  const tuner = new Hyperband({ ...quiet, maxEpochs: 10, factor: 3, seed: 5 });
  const calls: { id: number; epochs: number | undefined }[] = [];
  await tuner.optimize((hp, trial) => {
    calls.push({ id: trial.id, epochs: trial.epochs });
    return hartmann6([hp.float('a', 0, 1), hp.float('b', 0, 1), 0.5, 0.5, 0.5, 0.5]) + 1 / trial.epochs!;
  });
  // brackets: 10 -> 3.3 -> 1.1 (>= 1): 3. e0 = ceil(1 + log3 10) = 4; n(s, r) = ceil(4 / 3^s * 3^(s-r)); epochs ceil(10 / 3^(s-r)).
  const sizes: Record<number, number[]> = { 2: [4, 2, 1], 1: [4, 2], 0: [4] };
  const epochs: Record<number, number[]> = { 2: [2, 4, 10], 1: [4, 10], 0: [10] };
  const trials = tuner.trials;
  assert.equal(trials.length, 7 + 6 + 4);
  for (const s of [2, 1, 0]) {
    for (let r = 0; r <= s; r++) {
      const round = trials.filter((t) => t.hyperparameters['tuner/bracket'] === s && t.hyperparameters['tuner/round'] === r);
      assert.equal(round.length, sizes[s][r], `bracket ${s} round ${r}`);
      for (const t of round) assert.equal(t.hyperparameters['tuner/epochs'], epochs[s][r]);
      if (r > 0) {
        // The continued trials are the best sizes[s][r] of the previous round, with the same values.
        const prev = trials.filter((t) => t.hyperparameters['tuner/bracket'] === s && t.hyperparameters['tuner/round'] === r - 1).sort((a, b) => a.value! - b.value!);
        const parents = round.map((t) => t.hyperparameters['tuner/trial_id'] as number).sort((a, b) => a - b);
        assert.deepEqual(parents, prev.slice(0, sizes[s][r]).map((t) => t.id).sort((a, b) => a - b));
        for (const t of round) {
          const p = trials[t.hyperparameters['tuner/trial_id'] as number];
          assert.equal(t.hyperparameters.a, p.hyperparameters.a);
          assert.equal(t.hyperparameters['tuner/initial_epoch'], epochs[s][r - 1]);
        }
      }
    }
  }
  // Sequentially, bracket 2 runs to its end before bracket 1 starts.
  assert.deepEqual(trials.slice(0, 7).map((t) => t.hyperparameters['tuner/bracket']), [2, 2, 2, 2, 2, 2, 2]);
  assert.deepEqual(calls.map((c) => c.epochs), trials.map((t) => t.hyperparameters['tuner/epochs']));
});
