// The study stores its objective's name (inside the stored space description), and trials are numbered from 0
// everywhere (Optuna's trial.number): per-trial lines, resultsSummary and the records agree.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GridSearch, RandomSearch } from '../../src/tuner/tuners.js';
import { HyperParameters } from '../../src/tuner/hyperparameters.js';
import { MemoryStorage } from '../../src/tuner/storage/memory.js';
import { storedObjective } from '../../src/tuner/space.js';

const model = (score: number) => ({
  stopTraining: false,
  async fit(_x: unknown, _y: unknown, o: Record<string, unknown>) {
    return { history: { val_accuracy: Array.from({ length: o.epochs as number }, (_, e) => score * (e + 1) / 4), val_loss: [1] } };
  },
});

test('the objective name is stored with the study; another objective under the same name is an error', async () => {
  const storage = new MemoryStorage();
  const kt = new RandomSearch({ storage, studyName: 'kt', verbose: 0, maxTrials: 3, seed: 1, objective: 'val_accuracy', hypermodel: (hp) => model(hp.float('a', 0, 1)) });
  await kt.search([[0]], [[0]], { epochs: 4 });
  const [info] = await storage.listStudies();
  assert.equal(storedObjective(info), 'val_accuracy');
  assert.equal(info.direction, 'maximize');
  await new RandomSearch({ storage, studyName: 'opt', verbose: 0, maxTrials: 2 }).optimize((hp) => hp.float('x', 0, 1));
  assert.equal(storedObjective((await storage.listStudies()).find((s) => s.name === 'opt')!), 'value');
  const other = new RandomSearch({ storage, studyName: 'kt', verbose: 0, maxTrials: 4, objective: { name: 'val_auc', direction: 'maximize' }, hypermodel: (hp) => model(hp.float('a', 0, 1)) });
  await assert.rejects(other.search([[0]], [[0]], { epochs: 4 }), /study 'kt' already exists with objective 'val_accuracy', requested 'val_auc'/);
  assert.equal((await storage.getTrials('kt')).length, 3, 'nothing ran');
});

test('a study stored before objectives were stored still resumes', async () => {
  const storage = new MemoryStorage();
  const hp = new HyperParameters();
  hp.int('x', 0, 3);
  await storage.openStudy('old', 'minimize', hp.toJSON()); // { format, params }: no objective
  const t = await storage.claimTrial('old', 'w', () => ({ x: 0 }));
  await storage.finishTrial('old', t!.id, { status: 'complete', value: 0 });
  const tuner = new GridSearch({ storage, studyName: 'old', verbose: 0, hyperparameters: hp });
  await tuner.optimize((h) => h.int('x', 0, 3));
  assert.equal(tuner.trials.length, 4);
  assert.equal(storedObjective((await storage.listStudies())[0]), null);
});

test('trial numbers start at 0 in the per-trial lines, resultsSummary and the records; the bracket counts finished trials', async () => {
  const lines: string[] = [];
  let release!: () => void;
  const trial1Printed = new Promise<void>((r) => (release = r));
  const log = console.log;
  console.log = (s: string) => {
    lines.push(String(s));
    if (/ trial 1 /.test(String(s))) release();
  };
  let tuner: RandomSearch;
  try {
    // concurrency 2: trial 0 finishes only after trial 1's line is printed, so finishing order differs from numbers
    tuner = new RandomSearch({ storage: 'memory', maxTrials: 3, seed: 1, verbose: 1, concurrency: 2 });
    await tuner.optimize(async (hp, trial) => {
      const x = hp.int('x', 0, 99);
      if (trial.id === 0) await trial1Printed;
      return x;
    });
  } finally {
    console.log = log;
  }
  assert.deepEqual(tuner.trials.map((t) => t.id), [0, 1, 2]);
  assert.equal(lines.length, 4);
  assert.match(lines.pop()!, /^study 'random-[0-9a-f]+' finished: maxTrials 3 reached$/);
  assert.match(lines[0], /^\[1\/3\] trial 1 complete/);
  lines.forEach((l, i) => {
    const m = l.match(/^\[(\d)\/3\] trial (\d) complete value=(\d+) /);
    assert.ok(m, l);
    assert.equal(Number(m[1]), i + 1, 'the bracket counts finished trials');
    assert.equal(Number(m[3]), tuner.trials[Number(m[2])].value, 'trial N is the record with id N');
  });
  const rows = tuner.resultsSummary(10, false).split('\n').slice(4);
  assert.deepEqual(rows.map((r) => Number(r.split(/\s+/)[0])).sort(), [0, 1, 2]);
  for (const r of rows) {
    const [id, value] = r.split(/\s+/);
    assert.equal(Number(value), tuner.trials[Number(id)].value, 'the summary row of trial N shows trial N');
  }
  assert.match(tuner.resultsSummary(1, false), /objective value \(minimize\)/);
});
