// Crash-resume for every algorithm (issue 11): a worker process (`descent tune-worker`, Keras Tuner style search of
// a tiny model) is killed with SIGKILL at random moments, three times, and resumed; the study then ends as an
// uninterrupted run of the same seed does: the same number of completed trials and, for Hyperband, the same
// brackets; no configuration evaluated twice beyond the one re-run of an abandoned trial; every trial reported
// complete before a kill still stored with its value; and the best trial's saved model (its checkpoint, read by
// another tuner) scores the value the study reports. On the directory store and on a real PostgreSQL server
// (skipped with an install hint without one).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStorage } from '../../src/tuner/storage/index.js';
import type { TrialRecord } from '../../src/tuner/trial.js';
import type { Tuner, TunerOptions } from '../../src/tuner/tuner.js';
import { TUNER_CLASSES } from '../../src/tuner/workers/run.js';
import { paramValues, valuesKey } from '../../src/tuner/space.js';
import { Rng } from '../../src/tensor/random.js';
import type { Sequential } from '../../src/models/sequential.js';
import { postgresSkip, startPostgres, type PostgresServer } from '../support/postgres.js';
import { VALIDATION, data, hypermodel } from './crash-objective.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const OBJECTIVE = fileURLToPath(new URL('./crash-objective.js', import.meta.url));

/** Each algorithm with its options: 10 trials of the 14-point space, the whole grid, or Hyperband's 12 trials. */
const ALGORITHMS: [string, Record<string, unknown>][] = [
  ['GridSearch', {}],
  ['RandomSearch', { maxTrials: 10 }],
  ['BayesianOptimization', { maxTrials: 10, numInitialPoints: 3, candidates: 100 }],
  ['TPESearch', { maxTrials: 10, numInitialPoints: 3 }],
  ['Hyperband', { maxEpochs: 9, factor: 3 }],
];

let tmp = '';

interface Reported { trial: number; status: string; value: number }

/** Run a worker; with killAt = [n, ms], SIGKILL it ms after it has reported n stored trials. */
function runWorker(spec: string, killAt?: [number, number]): Promise<{ signal: string | null; code: number | null; reported: Reported[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'tune-worker', spec, '--json'], { env: { ...process.env, CRASH_SLEEP_MS: '40' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const reported: Reported[] = [];
    let buf = '', stderr = '', armed = false;
    child.stdout.on('data', (d) => {
      buf += d;
      for (let nl; (nl = buf.indexOf('\n')) >= 0; buf = buf.slice(nl + 1)) {
        const line = buf.slice(0, nl);
        if (line.startsWith('{')) reported.push(JSON.parse(line) as Reported); // printed once stored
      }
      if (killAt && !armed && reported.length >= killAt[0]) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), killAt[1]);
      }
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, reported, stderr }));
  });
}

async function trialsOf(storage: string, study: string): Promise<TrialRecord[]> {
  const s = await openStorage(storage);
  try {
    return await s.getTrials(study);
  } finally {
    await s.close();
  }
}

const bracketOf = (t: TrialRecord) => `${t.hyperparameters['tuner/bracket']}/${t.hyperparameters['tuner/round']}/${t.hyperparameters['tuner/epochs']}`;

async function crashAndResume(tunerName: string, extra: Record<string, unknown>, storage: string, seed: number): Promise<void> {
  const study = `crash-${tunerName}`;
  const options = { ...extra, seed: 3, verbose: 0 };
  const spec = path.join(tmp, `${study}-${seed}.json`);
  fs.writeFileSync(spec, JSON.stringify({ module: OBJECTIVE, hypermodel: 'hypermodel', data: 'data', tuner: tunerName, options, studyName: study, storage }));
  const Cls = TUNER_CLASSES[tunerName] as new (o: TunerOptions) => Tuner;

  // The uninterrupted run of the same seed, in memory.
  const reference = new Cls({ ...options, hypermodel: hypermodel as TunerOptions['hypermodel'], storage: 'memory' });
  const { x, y, ...searchOptions } = data();
  await reference.search(x, y, searchOptions);
  const refComplete = reference.trials.filter((t) => t.status === 'complete');

  // Three kills at random moments (after 1-3 stored trials of that run, then 0-60 ms), then a run to the end.
  const rng = new Rng(seed);
  const reported: Reported[] = [];
  let kills = 0;
  for (let i = 0; i < 3; i++) {
    const run = await runWorker(spec, [1 + rng.int(3), rng.int(60)]);
    reported.push(...run.reported);
    if (run.signal !== 'SIGKILL') {
      assert.equal(run.code, 0, run.stderr);
      break; // the study finished before the kill
    }
    kills++;
    const stored = await trialsOf(storage, study);
    for (const r of run.reported) assert.equal(stored[r.trial].value, r.value, `trial ${r.trial} reported ${r.status} is stored with its value`);
    assert.ok(stored.filter((t) => t.status === 'running').length <= 1, 'at most the trial in flight is left running');
  }
  assert.ok(kills >= 1, 'at least one kill landed mid-study');
  const last = await runWorker(spec);
  assert.equal(last.code, 0, last.stderr);
  reported.push(...last.reported);

  const final = await trialsOf(storage, study);
  const complete = final.filter((t) => t.status === 'complete');
  assert.equal(complete.length, refComplete.length, `${tunerName}: as many completed trials as the uninterrupted run`);
  if (tunerName === 'Hyperband') assert.deepEqual(complete.map(bracketOf).sort(), refComplete.map(bracketOf).sort(), 'the same brackets');
  const configs = complete.map((t) => `${t.hyperparameters['tuner/epochs'] ?? ''}/${t.hyperparameters['tuner/bracket'] ?? ''}${valuesKey(t.hyperparameters)}`);
  assert.equal(new Set(configs).size, configs.length, 'no configuration completed twice');
  for (const t of final.filter((u) => u.status !== 'complete')) {
    assert.equal(t.status, 'failed');
    assert.match(t.error ?? '', /^abandoned: worker .* \(pid \d+ on .*\) is no longer running$/);
    const retry = final.find((u) => u.hyperparameters['tuner/retry_of'] === t.id);
    assert.ok(retry && retry.status === 'complete', `abandoned trial ${t.id} was re-run once`);
    assert.deepEqual(paramValues(retry.hyperparameters), paramValues(t.hyperparameters));
  }
  for (const r of reported) assert.equal(final[r.trial].value, r.value);

  // The best trial's saved model, rebuilt by another tuner from the study, scores the reported value.
  const reader = new Cls({ hypermodel: hypermodel as TunerOptions['hypermodel'], storage, studyName: study, verbose: 0 });
  await reader.getTrials();
  const [best] = reader.getBestTrials(1);
  const [model] = (await reader.getBestModels(1)) as unknown as Sequential[];
  await reader.close();
  const scored = Number(await model.evaluate(VALIDATION[0], VALIDATION[1], { batchSize: 40 }));
  assert.ok(Math.abs(scored - best.value!) < 1e-5, `best trial ${best.id}: saved model scores ${scored}, reported ${best.value}`);
}

describe('crash-resume of every algorithm (kill -9 of a tune worker, three times)', () => {
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-crash-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  for (const [i, [name, extra]] of ALGORITHMS.entries()) {
    it(`directory store: ${name}`, async () => {
      await crashAndResume(name, extra, path.join(tmp, 'studies'), 100 + i);
    });
  }

  describe('postgres', { skip: postgresSkip() }, () => {
    let pg: PostgresServer | null = null;
    before(async () => {
      pg = await startPostgres();
    });
    after(async () => {
      await pg?.stop();
    });
    for (const [i, [name, extra]] of ALGORITHMS.entries()) {
      it(`postgres store: ${name}`, async () => {
        await crashAndResume(name, extra, pg!.url, 200 + i);
      });
    }
  });
});
