import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BayesianOptimization, GridSearch, Hyperband, RandomSearch } from '../../src/tuner/tuners.js';
import { HyperParameters } from '../../src/tuner/hyperparameters.js';
import { MedianPruner } from '../../src/tuner/pruner.js';
import { TrialPruned, inferDirection, type TunableModel } from '../../src/tuner/tuner.js';
import { MemoryStorage } from '../../src/tuner/storage/memory.js';
import { Callback, CallbackList } from '../../src/callbacks/callback.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { branin, quiet } from './helpers.js';

test('optimize returns the best trial; the Optuna-style example from the issue works', async () => {
  const tuner = new RandomSearch({ ...quiet, maxTrials: 15, seed: 1 });
  const best = await tuner.optimize((hp) => (hp.float('x', -5, 10) - 2) ** 2 + hp.int('n', 1, 4));
  const values = tuner.trials.map((t) => t.value!);
  assert.equal(tuner.trials.length, 15);
  assert.equal(best.value, Math.min(...values));
  assert.deepEqual(Object.keys(best.hyperparameters).sort(), ['n', 'x']);
  assert.equal(best.value, ((best.hyperparameters.x as number) - 2) ** 2 + (best.hyperparameters.n as number));
  const [hp] = tuner.getBestHyperparameters(1);
  assert.equal(hp.get('x'), best.hyperparameters.x);
  assert.deepEqual(hp.values, best.hyperparameters);
});

test('async objectives and direction maximize', async () => {
  const tuner = new RandomSearch({ ...quiet, maxTrials: 8, seed: 2, direction: 'maximize' });
  const best = await tuner.optimize(async (hp) => {
    await new Promise((r) => setTimeout(r, 1));
    return -((hp.float('x', 0, 1) - 0.3) ** 2);
  });
  assert.equal(best.value, Math.max(...tuner.trials.map((t) => t.value!)));
});

test('a throwing or NaN objective fails its trial with the error and the search goes on', async () => {
  let calls = 0;
  const tuner = new RandomSearch({ ...quiet, maxTrials: 9, seed: 3 });
  const best = await tuner.optimize((hp) => {
    const x = hp.float('x', 0, 1);
    calls++;
    if (calls % 3 === 1) throw new Error(`diverged at x=${x}`);
    if (calls % 3 === 2) return NaN;
    return x;
  });
  assert.equal(calls, 9);
  const failed = tuner.trials.filter((t) => t.status === 'failed');
  assert.equal(failed.length, 6);
  assert.ok(failed.some((t) => /^diverged at x=0\.\d+/.test(t.error!)));
  assert.ok(failed.some((t) => /objective returned NaN/.test(t.error!)));
  assert.equal(tuner.trials.filter((t) => t.status === 'complete').length, 3);
  assert.equal(best.trial.status, 'complete');
  const summary = tuner.resultsSummary(20, false);
  assert.match(summary, /9 trials: 3 complete, 0 pruned, 6 failed/);
  assert.match(summary, /failed: diverged at x=/);
});

test('a bad search-space definition stops the search with its error', async () => {
  const tuner = new RandomSearch({ ...quiet, maxTrials: 5, seed: 1 });
  await assert.rejects(tuner.optimize((hp) => hp.float('lr', 0, 1, { sampling: 'log' })), /hp.float\('lr'\): log sampling needs min > 0/);
  assert.equal(tuner.trials.length, 1);
  assert.equal(tuner.trials[0].status, 'failed');
});

test('ask and tell (evaluations elsewhere), with define-by-run parameters recorded', async () => {
  const tuner = new BayesianOptimization({ ...quiet, maxTrials: 12, seed: 4, numInitialPoints: 4, candidates: 200 });
  for (let i = 0; i < 12; i++) {
    const trial = await tuner.ask();
    const x = trial.hyperparameters.float('x', -5, 10);
    const y = trial.hyperparameters.float('y', 0, 15);
    await tuner.tell(trial, branin(x, y));
  }
  await assert.rejects(tuner.ask(), /study '.*' is finished \(maxTrials 12 reached/);
  const trials = await tuner.getTrials();
  assert.equal(trials.length, 12);
  for (const t of trials) {
    assert.equal(t.status, 'complete');
    assert.equal(t.value, branin(t.hyperparameters.x as number, t.hyperparameters.y as number));
  }
  const t = await new RandomSearch({ ...quiet, maxTrials: 2 }).ask();
  assert.ok(t.id === 0);
});

test('a stored study resumes: re-running continues instead of starting over; a different space is an error', async () => {
  const storage = new MemoryStorage();
  const space = new HyperParameters();
  space.float('x', 0, 1);
  let calls = 0;
  const objective = (hp: HyperParameters) => (calls++, hp.float('x', 0, 1));
  await new RandomSearch({ ...quiet, storage, studyName: 's', hyperparameters: space, maxTrials: 4, seed: 1 }).optimize(objective);
  assert.equal(calls, 4);
  const again = new RandomSearch({ ...quiet, storage, studyName: 's', hyperparameters: space, maxTrials: 6, seed: 1 });
  await again.optimize(objective);
  assert.equal(calls, 6, 'only the two missing trials ran');
  assert.deepEqual(again.trials.map((t) => t.id), [0, 1, 2, 3, 4, 5]);
  // The resumed study's sequence equals an uninterrupted one with the same seed.
  const fresh = new RandomSearch({ ...quiet, storage: new MemoryStorage(), studyName: 's', hyperparameters: space, maxTrials: 6, seed: 1 });
  await fresh.optimize(objective);
  assert.deepEqual(fresh.trials.map((t) => t.hyperparameters), again.trials.map((t) => t.hyperparameters));
  const other = new HyperParameters();
  other.float('x', 0, 2);
  await assert.rejects(new RandomSearch({ ...quiet, storage, studyName: 's', hyperparameters: other, maxTrials: 8 }).optimize(objective), /study "s" already exists with a different search space \(params\[0\]\.max: stored 1, requested 2\)/);
  // A define-by-run tuner opening the stored study adopts its space.
  const adopt = new RandomSearch({ ...quiet, storage, studyName: 's', maxTrials: 7, seed: 1 });
  await adopt.optimize(objective);
  assert.equal(adopt.trials.length, 7);
});

test('pruning from optimize(): trial.report + shouldPrune with the MedianPruner', async () => {
  const tuner = new RandomSearch({ ...quiet, maxTrials: 12, seed: 5, pruner: new MedianPruner({ nStartupTrials: 3, nWarmupSteps: 1 }) });
  let steps = 0;
  await tuner.optimize(async (hp, trial) => {
    const rate = hp.float('rate', 0.1, 1);
    let loss = 1;
    for (let step = 0; step < 10; step++) {
      loss *= 1 - rate * 0.5;
      steps++;
      await trial.report(step, loss);
      if (await trial.shouldPrune()) throw new TrialPruned();
    }
    return loss;
  });
  const pruned = tuner.trials.filter((t) => t.status === 'pruned');
  const complete = tuner.trials.filter((t) => t.status === 'complete');
  assert.ok(pruned.length >= 2, `pruned ${pruned.length}`);
  assert.ok(steps < 12 * 10);
  // Every pruned trial was worse, at its last step, than the median of the complete ones at that step.
  for (const t of pruned) {
    const last = t.intermediate.at(-1)!;
    assert.ok(last.step >= 1, 'no pruning during warm-up');
    assert.equal(t.value, last.value);
    const earlier = complete.filter((c) => c.finishedAt! <= t.finishedAt!).map((c) => c.intermediate.find((p) => p.step === last.step)!.value).sort((a, b) => a - b);
    const m = earlier.length % 2 ? earlier[earlier.length >> 1] : (earlier[earlier.length / 2 - 1] + earlier[earlier.length / 2]) / 2;
    assert.ok(last.value > m, `pruned at ${last.value} <= median ${m}`);
  }
  // The best trial is never pruned: it has the highest rate among complete ones and beat every pruned one.
  const best = tuner.getBestTrials(1)[0];
  for (const t of pruned) assert.ok((t.hyperparameters.rate as number) < (best.hyperparameters.rate as number));
});

test('direction is inferred from the objective name and can be overridden', () => {
  assert.equal(inferDirection('val_loss'), 'minimize');
  assert.equal(inferDirection('mean_squared_error'), 'minimize');
  assert.equal(inferDirection('val_accuracy'), 'maximize');
  assert.equal(inferDirection('auc'), 'maximize');
  assert.equal(inferDirection('val_cosine_similarity'), 'maximize');
  assert.equal(inferDirection('logcosh'), 'minimize');
  assert.throws(() => inferDirection('score'), /Cannot infer whether to minimise or maximise objective 'score'/);
  assert.throws(() => new RandomSearch({ ...quiet, objective: 'score' }), /Cannot infer .* pass objective: \{ name: 'score', direction/);
  assert.equal(new RandomSearch({ ...quiet, objective: 'val_accuracy' }).direction, 'maximize');
  assert.equal(new RandomSearch({ ...quiet, objective: { name: 'val_accuracy', direction: 'minimize' } }).direction, 'minimize');
  assert.throws(() => new RandomSearch({ ...quiet, maxTrials: 0 }), /maxTrials must be an integer >= 1, got 0/);
  assert.throws(() => new RandomSearch({ ...quiet, crossValidation: 1 }), /crossValidation must be an integer >= 2/);
  assert.throws(() => new BayesianOptimization({ ...quiet, acquisition: 'pi' as never }), /acquisition must be 'ei' or 'ucb', got 'pi'/);
});

test('concurrent Bayesian proposals do not duplicate pending points', async () => {
  const tuner = new BayesianOptimization({ ...quiet, maxTrials: 16, seed: 6, numInitialPoints: 4, concurrency: 4, candidates: 300 });
  let running = 0;
  let maxRunning = 0;
  await tuner.optimize(async (hp) => {
    running++;
    maxRunning = Math.max(maxRunning, running);
    const x = hp.float('x', 0, 1, { step: 0.05 });
    await new Promise((r) => setTimeout(r, 5));
    running--;
    return (x - 0.5) ** 2;
  });
  assert.equal(maxRunning, 4);
  const keys = tuner.trials.map((t) => t.hyperparameters.x);
  assert.equal(new Set(keys).size, keys.length, `duplicates in ${keys}`);
});

// ------------------------------------------------------------------ Keras Tuner style, with a stand-in model

/** A model whose val_loss per epoch is a known function of its hyperparameters; it runs callbacks like fit does. */
class FakeModel implements TunableModel {
  stopTraining = false;
  static fits: { rows: number; valRows: number; epochs: number; initialEpoch: number; weights: number }[] = [];
  weights = 0;
  constructor(readonly lr: number, readonly units: number) {}
  getWeights() {
    return [this.weights];
  }
  setWeights(w: never) {
    this.weights = (w as number[])[0];
  }
  async fit(x: unknown, y: unknown, options: Record<string, unknown>) {
    const epochs = options.epochs as number;
    const initialEpoch = (options.initialEpoch as number) ?? 0;
    const rows = (x as unknown[]).length;
    const val = options.validationData as [unknown[], unknown[]] | undefined;
    FakeModel.fits.push({ rows, valRows: val ? val[0].length : 0, epochs, initialEpoch, weights: this.weights });
    const list = new CallbackList((options.callbacks as Callback[]) ?? []);
    list.setModel(this as never);
    const history: Record<string, number[]> = { loss: [], val_loss: [] };
    for (let e = initialEpoch; e < epochs; e++) {
      this.weights = e + 1;
      // Converges to |log10 lr + 2| + 16 / units at rate 0.5 per epoch; the validation fold's mean shifts it.
      const target = Math.abs(Math.log10(this.lr) + 2) + 16 / this.units + (val ? mean(val[1] as number[]) : 0);
      const v = target + 2 * 0.5 ** (e + 1);
      history.loss.push(v);
      history.val_loss.push(v);
      await list.call('onEpochEnd', e, { loss: v, val_loss: v });
      if (this.stopTraining) break;
    }
    return { history };
  }
}
const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
const build = (hp: HyperParameters) => new FakeModel(hp.float('lr', 1e-4, 1e-1, { sampling: 'log' }), hp.int('units', 4, 64, { step: 4 }));
const X = Array.from({ length: 20 }, (_, i) => [i]);
const Y = Array.from({ length: 20 }, (_, i) => i);

test('search(): Keras Tuner style with a hypermodel, objective from the epoch history, best models kept', async () => {
  FakeModel.fits = [];
  const tuner = new RandomSearch({ ...quiet, hypermodel: build, objective: 'val_loss', maxTrials: 6, seed: 7, executionsPerTrial: 2 });
  await tuner.search(X, Y, { epochs: 3, validationSplit: 0.2 });
  assert.equal(FakeModel.fits.length, 12);
  for (const t of tuner.trials) {
    assert.equal(t.status, 'complete');
    const target = Math.abs(Math.log10(t.hyperparameters.lr as number) + 2) + 16 / (t.hyperparameters.units as number);
    // Best epoch (the last) of each execution, averaged over the two identical executions.
    assert.ok(Math.abs(t.value! - (target + 2 * 0.125)) < 1e-12);
    assert.deepEqual(t.values, [t.value, t.value]);
    assert.equal(t.history!.val_loss.length, 3);
  }
  const [hp] = tuner.getBestHyperparameters(1);
  const [model] = (await tuner.getBestModels(1)) as FakeModel[];
  assert.equal(model.lr, hp.get('lr'));
  assert.match(tuner.resultsSummary(3, false), /objective val_loss \(minimize\)/);
});

test('search(): a missing objective metric stops the search with the keys it found', async () => {
  const tuner = new RandomSearch({ ...quiet, hypermodel: build, objective: 'val_accuracy', maxTrials: 3, seed: 1 });
  await assert.rejects(tuner.search(X, Y, { epochs: 1 }), /objective 'val_accuracy' is not in the training history \(keys: loss, val_loss\)/);
});

test('search(): crossValidation fits k folds and reports mean and spread', async () => {
  FakeModel.fits = [];
  const tuner = new GridSearch({ ...quiet, hypermodel: (hp) => new FakeModel(hp.choice('lr', [0.01]), hp.choice('units', [16])), objective: 'val_loss', crossValidation: 4 });
  await tuner.search(X, Y, { epochs: 2 });
  assert.deepEqual(FakeModel.fits.map((f) => [f.rows, f.valRows]), [[15, 5], [15, 5], [15, 5], [15, 5]]);
  const [t] = tuner.trials;
  // Fold i validates on labels 5i..5i+4 (mean 5i + 2): value_i = 0 + 1 + (5i + 2) + 2·0.25.
  assert.deepEqual(t.values, [3.5, 8.5, 13.5, 18.5]);
  assert.equal(t.value, 11);
  assert.match(tuner.resultsSummary(1, false), /11 ± 5\.5902/);
  await assert.rejects(tuner.search(X, Y, { epochs: 1, validationSplit: 0.2 }), /crossValidation makes its own validation folds/);
});

test('search(): crossValidation slices Tensor rows', async () => {
  FakeModel.fits = [];
  let seen: number[] = [];
  const tuner = new GridSearch({
    ...quiet, objective: 'val_loss', crossValidation: 2,
    hypermodel: () => ({ stopTraining: false, async fit(x: unknown, _y: unknown, o: Record<string, unknown>) {
      seen = seen.concat(Array.from((x as Tensor).data), Array.from(((o.validationData as Tensor[])[0]).data));
      return { history: { val_loss: [(x as Tensor).shape[0]] } };
    } }),
  });
  await tuner.search(new Tensor(Float32Array.from([0, 1, 2, 3, 4, 5]), [3, 2]), new Tensor(Float32Array.from([0, 1, 2]), [3]), { epochs: 1 });
  // Fold 0 validates on row 0 (2 rows), fold 1 on row 2... rows: [0,1],[2,3],[4,5]; folds of sizes 2 and 1.
  assert.deepEqual(seen, [4, 5, 0, 1, 2, 3, 0, 1, 2, 3, 4, 5]);
  assert.deepEqual(tuner.trials[0].values, [1, 2]);
});

test('search(): the MedianPruner stops hopeless trials through the epoch callback', async () => {
  FakeModel.fits = [];
  const tuner = new RandomSearch({ ...quiet, hypermodel: build, objective: 'val_loss', maxTrials: 14, seed: 8, pruner: new MedianPruner({ nStartupTrials: 3 }) });
  await tuner.search(X, Y, { epochs: 6, validationData: [[[0]], [0]] });
  const pruned = tuner.trials.filter((t) => t.status === 'pruned');
  assert.ok(pruned.length >= 3, `pruned ${pruned.length}`);
  for (const t of pruned) {
    assert.ok(t.intermediate.length < 6, 'stopped before the last epoch');
    assert.equal(t.value, t.intermediate.at(-1)!.value);
  }
  const best = tuner.getBestTrials(1)[0];
  assert.ok(pruned.every((t) => t.value! > best.value!));
});

test('search() with Hyperband: epoch budgets, and continued trials start from their parent\'s weights', async () => {
  FakeModel.fits = [];
  const tuner = new Hyperband({ ...quiet, hypermodel: build, objective: 'val_loss', maxEpochs: 9, factor: 3, seed: 9 });
  await tuner.search(X, Y, { epochs: 100, validationSplit: 0.2 });
  // brackets for R = 9, η = 3: 9 -> 3 -> 1 -> 1/3: 3. The epochs asked of fit are the trials' budgets.
  assert.deepEqual(FakeModel.fits.map((f) => f.epochs), tuner.trials.map((t) => t.hyperparameters['tuner/epochs']));
  for (const [i, t] of tuner.trials.entries()) {
    const parent = t.hyperparameters['tuner/trial_id'];
    if (typeof parent === 'number') {
      // It resumed at the parent's last epoch with the parent's weights (FakeModel's weight = epochs trained).
      assert.equal(FakeModel.fits[i].initialEpoch, tuner.trials[parent].hyperparameters['tuner/epochs']);
      assert.equal(FakeModel.fits[i].weights, tuner.trials[parent].hyperparameters['tuner/epochs']);
    } else assert.equal(FakeModel.fits[i].initialEpoch, 0);
  }
  assert.ok(tuner.trials.some((t) => typeof t.hyperparameters['tuner/trial_id'] === 'number'));
});

test('search(): conditional parameters of the hypermodel are discovered before the first trial', async () => {
  const tuner = new GridSearch({
    ...quiet, objective: 'val_loss',
    hypermodel: (hp) => {
      const n = hp.int('layers', 1, 3);
      let u = 0;
      for (let i = 0; i < n; i++) u += hp.choice(`units${i}`, [8, 16], { parent: 'layers', parentValues: [1, 2, 3].filter((k) => k > i) });
      return { stopTraining: false, fit: async () => ({ history: { val_loss: [u] } }) };
    },
  });
  await tuner.search(X, Y, { epochs: 1 });
  assert.deepEqual(tuner.space.map((p) => p.name), ['layers', 'units0', 'units1', 'units2']);
  assert.equal(tuner.trials.length, 2 + 4 + 8);
});

test('search(): a hypermodel or fit that throws fails that trial only; searchSpaceSummary lists the space', async () => {
  const tuner = new GridSearch({
    ...quiet, objective: 'val_loss',
    hypermodel: (hp) => {
      const units = hp.choice('units', [1, 2, 3]);
      if (units === 2) throw new Error('cannot build 2 units');
      return { stopTraining: false, fit: async () => {
        if (units === 3) throw new Error('shape mismatch in fit');
        return { history: { val_loss: [units] } };
      } };
    },
  });
  await tuner.search(X, Y, { epochs: 1 });
  assert.deepEqual(tuner.trials.map((t) => [t.hyperparameters.units, t.status, t.error ?? null]), [
    [1, 'complete', null], [2, 'failed', 'cannot build 2 units'], [3, 'failed', 'shape mismatch in fit'],
  ]);
  assert.equal(tuner.searchSpaceSummary(false), 'Search space summary: 1 parameters\nunits (choice): [1,2,3], default 1');
});

test('a trial another worker declared abandoned keeps that verdict, is re-run once, and does not count against maxTrials', async () => {
  const storage = new MemoryStorage();
  const tuner = new RandomSearch({ ...quiet, storage, studyName: 'abandon', maxTrials: 3, seed: 1 });
  await tuner.optimize(async (hp, trial) => {
    const x = hp.float('x', 0, 1);
    // Stand-in for another process: it marks trial 1 failed while it still runs here.
    if (trial.id === 1) await storage.finishTrial('abandon', 1, { status: 'failed', error: 'abandoned: no heartbeat' });
    return x;
  });
  assert.deepEqual(tuner.trials.map((t) => t.status), ['complete', 'failed', 'complete', 'complete']);
  assert.equal(tuner.trials[1].error, 'abandoned: no heartbeat');
  assert.deepEqual(tuner.trials[2].hyperparameters, { ...tuner.trials[1].hyperparameters, 'tuner/retry_of': 1 });
});
