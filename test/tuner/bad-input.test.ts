// The bad-input list, end to end through the public API: each is a clear error naming what was wrong and
// where, raised before a trial runs (definitions met while a trial runs fail that trial and stop the search), except
// an objective that throws or returns NaN, which fails only its trial while the search goes on.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BayesianOptimization, GridSearch, HyperParameters, RandomSearch } from '../../src/index.js';
import { MemoryStorage } from '../../src/tuner/storage/memory.js';
import { runTuneWorker } from '../../src/cli/tune-worker.js';
import { freePort } from '../support/postgres.js';

const quiet = { storage: 'memory', verbose: 0 } as const;
const MODULE = fileURLToPath(new URL('./thread-objectives.js', import.meta.url));

const cases: [string, (hp: HyperParameters) => unknown, RegExp][] = [
  ['an empty choice', (hp) => hp.choice('optimizer', []), /hp\.choice\('optimizer'\): values must be a non-empty array/],
  ['min > max', (hp) => hp.int('units', 64, 8), /hp\.int\('units'\): min \(64\) > max \(8\)/],
  ['log sampling with min = 0', (hp) => hp.float('lr', 0, 0.1, { sampling: 'log' }), /hp\.float\('lr'\): log sampling needs min > 0, got min = 0/],
  ['log sampling with min < 0', (hp) => hp.int('n', -1, 8, { sampling: 'log' }), /hp\.int\('n'\): log sampling needs min > 0, got min = -1/],
  ['a duplicate name with another definition', (hp) => hp.int('units', 8, 64) + hp.int('units', 8, 128), /hp\.int\('units'\): 'units' is already declared with a different definition: .*"max":64.*; now .*"max":128/],
  ['a duplicate name with another type', (hp) => hp.int('units', 8, 64) + hp.float('units', 8, 64), /'units' is already declared with a different definition/],
];

for (const [what, declare, message] of cases) {
  test(`bad definition, ${what}: declared up front, in optimize() and in search(), a clear error that stops the search`, async () => {
    assert.throws(() => declare(new HyperParameters()), message);
    // Optuna style: the first trial meets it, fails with it, and the search stops
    const opt = new RandomSearch({ ...quiet, maxTrials: 5 });
    await assert.rejects(opt.optimize((hp) => Number(declare(hp))), message);
    assert.equal(opt.trials.length, 1);
    assert.match(opt.trials[0].error!, message);
    // Keras Tuner style: found while exploring the hypermodel, before any trial or study exists
    const storage = new MemoryStorage();
    let fits = 0;
    const kt = new RandomSearch({ storage, verbose: 0, maxTrials: 5, hypermodel: (hp) => (declare(hp), { stopTraining: false, fit: async () => (fits++, { history: { val_loss: [1] } }) }) });
    await assert.rejects(kt.search([[0]], [[0]]), message);
    assert.equal(fits, 0);
    assert.deepEqual(await storage.listStudies(), [], 'no study was created');
  });
}

test('the same name declared again with the same definition is fine', async () => {
  const tuner = new GridSearch(quiet);
  await tuner.optimize((hp) => hp.int('n', 1, 3) + hp.int('n', 1, 3));
  assert.deepEqual(tuner.trials.map((t) => t.value), [2, 4, 6]);
});

test('an objective that throws, returns NaN, ±Infinity or a non-number fails its trial; the search goes on', async () => {
  const bad = [() => { throw new Error('diverged'); }, () => NaN, () => Infinity, () => -Infinity, () => 'oops' as unknown as number, () => undefined as unknown as number];
  const messages = [/^diverged$/, /objective returned NaN/, /objective returned Infinity/, /objective returned -Infinity/, /objective returned string/, /objective returned undefined/];
  const tuner = new GridSearch(quiet);
  await tuner.optimize((hp) => {
    const i = hp.int('i', 0, 7);
    return i < bad.length ? bad[i]() : i;
  });
  assert.equal(tuner.trials.length, 8);
  bad.forEach((_, i) => {
    assert.equal(tuner.trials[i].status, 'failed');
    assert.match(tuner.trials[i].error!, messages[i]);
  });
  assert.deepEqual(tuner.trials.slice(6).map((t) => [t.status, t.value]), [['complete', 6], ['complete', 7]]);
  // Bayesian: failures are pending points, not retried, and the budget is spent
  const bo = new BayesianOptimization({ ...quiet, maxTrials: 8, seed: 1, numInitialPoints: 3, candidates: 50 });
  const best = await bo.optimize((hp) => {
    const x = hp.float('x', 0, 1);
    if (x > 0.5) throw new Error(`too big: ${x}`);
    return x;
  });
  assert.equal(bo.trials.length, 8);
  assert.ok(best.value <= 0.5);
  // search(): a fit whose objective is NaN in every epoch fails its trial
  const kt = new RandomSearch({ ...quiet, maxTrials: 4, seed: 2, hypermodel: (hp) => {
    const ok = hp.boolean('ok');
    return { stopTraining: false, fit: async () => ({ history: { val_loss: ok ? [2, 1] : [NaN, NaN] } }) };
  } });
  await kt.search([[0]], [[0]]);
  for (const t of kt.trials) {
    if (t.hyperparameters.ok) assert.deepEqual([t.status, t.value], ['complete', 1]);
    else assert.match(`${t.status}: ${t.error}`, /^failed: objective 'val_loss' was NaN, NaN in every epoch/);
  }
});

test('an objective that throws in a worker thread fails its trial there; the search goes on', async () => {
  const tuner = new GridSearch({ ...quiet, concurrency: 2, threads: { module: MODULE, objective: 'oddFails' } });
  await tuner.optimize(() => 0);
  assert.equal(tuner.trials.length, 6);
  for (const t of tuner.trials) {
    const x = t.hyperparameters.x as number;
    if (x % 2) assert.deepEqual([t.status, t.error], ['failed', `odd x = ${x}`]);
    else assert.deepEqual([t.status, t.value], ['complete', x]);
  }
});

test('an unreachable database: the error names host, port and database (tuner and tune-worker)', async () => {
  const port = await freePort(); // nothing listens there now
  const url = `postgresql://someone@127.0.0.1:${port}/studies`;
  const named = new RegExp(`cannot connect to PostgreSQL at 127\\.0\\.0\\.1:${port} \\(database studies\\)`);
  let calls = 0;
  await assert.rejects(new RandomSearch({ storage: url, verbose: 0 }).optimize(() => ++calls), named);
  await assert.rejects(new RandomSearch({ storage: 'postgresql://u@db.invalid:5432/x', verbose: 0 }).optimize(() => ++calls), /cannot connect to PostgreSQL at db\.invalid:5432 \(database x\)/);
  assert.equal(calls, 0);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-bad-'));
  try {
    const spec = path.join(dir, 'spec.json');
    fs.writeFileSync(spec, JSON.stringify({ module: MODULE, objective: 'cpuObjective', tuner: 'RandomSearch', studyName: 's', storage: url }));
    await assert.rejects(runTuneWorker([spec], { out: () => {}, err: () => {} }), named);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a study name that exists with a different space (or direction) is an error naming the difference; nothing runs', async () => {
  const storage = new MemoryStorage();
  const hp = new HyperParameters();
  hp.float('lr', 1e-4, 1e-1, { sampling: 'log' });
  await new RandomSearch({ storage, studyName: 'lr', verbose: 0, maxTrials: 2, hyperparameters: hp }).optimize((h) => h.float('lr', 1e-4, 1e-1, { sampling: 'log' }));
  const other = new HyperParameters();
  other.float('lr', 1e-4, 1, { sampling: 'log' });
  let calls = 0;
  await assert.rejects(new RandomSearch({ storage, studyName: 'lr', verbose: 0, maxTrials: 4, hyperparameters: other }).optimize(() => ++calls),
    /study "lr" already exists with a different search space \(params\[0\]\.max: stored 0\.1, requested 1\); use another studyName or the same space/);
  await assert.rejects(new RandomSearch({ storage, studyName: 'lr', verbose: 0, maxTrials: 4, hyperparameters: hp, direction: 'maximize' }).optimize(() => ++calls),
    /study "lr" already exists with direction 'minimize', requested 'maximize'/);
  assert.deepEqual([calls, (await storage.getTrials('lr')).length], [0, 2]);
  // Keras Tuner style: the hypermodel's explored space is checked before any trial
  let fits = 0;
  const hypermodel = (max: number) => (h: HyperParameters) => (h.int('units', 8, max), { stopTraining: false, fit: async () => (fits++, { history: { val_loss: [1] } }) });
  await new RandomSearch({ storage, studyName: 'kt', verbose: 0, maxTrials: 2, hypermodel: hypermodel(64) }).search([[0]], [[0]]);
  await assert.rejects(new RandomSearch({ storage, studyName: 'kt', verbose: 0, maxTrials: 4, hypermodel: hypermodel(128) }).search([[0]], [[0]]),
    /study "kt" already exists with a different search space \(params\[0\]\.max: stored 64, requested 128\)/);
  assert.deepEqual([fits, (await storage.getTrials('kt')).length], [2, 2]);
  // Optuna style, define-by-run: a definition that differs from the one the study's trials stored stops the search
  await new RandomSearch({ storage, studyName: 'dbr', verbose: 0, maxTrials: 2 }).optimize((h) => h.int('n', 1, 4));
  const changed = new RandomSearch({ storage, studyName: 'dbr', verbose: 0, maxTrials: 4 });
  await assert.rejects(changed.optimize((h) => h.int('n', 1, 8)), /hp\.int\('n'\): 'n' is already declared with a different definition.*study 'dbr'/);
});
