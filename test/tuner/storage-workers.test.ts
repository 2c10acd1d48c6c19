// Concurrency on one machine: runConcurrent (async trials in one thread), RemoteStorage (threads sharing the main
// thread's storage, memory included) and worker threads running a study from a worker spec.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MessageChannel } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { MemoryStorage } from '../../src/tuner/storage/index.js';
import { runConcurrent } from '../../src/tuner/workers/concurrent.js';
import { RemoteStorage, serveStorage } from '../../src/tuner/workers/remote-storage.js';
import { runWorkerThreads } from '../../src/tuner/workers/threads.js';
import { checkSpec } from '../../src/tuner/workers/spec.js';
import { specForThreads } from '../../src/tuner/workers/index.js';
import { HyperParameters } from '../../src/tuner/hyperparameters.js';
import { MedianPruner } from '../../src/tuner/pruner.js';
import type { TrialRecord } from '../../src/tuner/trial.js';
import { GRID } from './crash-objective.js';

const OBJECTIVE = fileURLToPath(new URL('./crash-objective.js', import.meta.url));
const SPACE = { format: 'descent.space/1', params: [{ type: 'int', name: 'x', min: 0, max: GRID - 1, step: null, sampling: 'linear', default: 0, conditions: [] }] };
const tick = () => new Promise((r) => setTimeout(r, 1));

describe('runConcurrent', () => {
  it('keeps n calls in flight until each loop says stop', async () => {
    let inFlight = 0, peak = 0, calls = 0;
    await runConcurrent(3, async () => {
      if (calls >= 10) return false;
      calls++;
      inFlight++;
      peak = Math.max(peak, inFlight);
      await tick();
      inFlight--;
      return true;
    });
    assert.equal(calls, 10);
    assert.equal(peak, 3);
  });

  it('after an error starts nothing new, lets running calls finish, then throws the error', async () => {
    let started = 0, finished = 0;
    await assert.rejects(runConcurrent(2, async (slot) => {
      started++;
      if (slot === 0 && started > 2) throw new Error('trial loop broke');
      await tick();
      await tick();
      finished++;
      return true;
    }), /trial loop broke/);
    assert.equal(finished, started - 1); // every call but the failing one completed
    await assert.rejects(runConcurrent(0, async () => false), /positive integer/);
  });
});

describe('RemoteStorage', () => {
  it('claims from several clients are unique and dense (optimistic claims retry on conflict)', async () => {
    const storage = new MemoryStorage();
    const channels = [new MessageChannel(), new MessageChannel(), new MessageChannel()];
    const servers = channels.map((c) => serveStorage(storage, c.port1));
    const clients = channels.map((c) => new RemoteStorage(c.port2));
    try {
      await clients[0].openStudy('s', 'minimize', { x: 'int' });
      await clients[1].openStudy('s', 'minimize', { x: 'int' });
      await assert.rejects(clients[2].openStudy('s', 'minimize', { x: 'float' }), /study "s" already exists with a different search space/);
      let proposals = 0;
      const propose = (trials: readonly TrialRecord[]) => {
        proposals++;
        const used = new Set(trials.map((t) => t.hyperparameters.x));
        for (let x = 0; x < 15; x++) if (!used.has(x)) return { x };
        return null;
      };
      const claimed = await Promise.all(Array.from({ length: 18 }, (_, i) => clients[i % 3].claimTrial('s', `c${i % 3}`, propose)));
      const got = claimed.filter((t): t is TrialRecord => t !== null);
      assert.equal(got.length, 15);
      assert.deepEqual(got.map((t) => t.id).sort((a, b) => a - b), Array.from({ length: 15 }, (_, i) => i));
      assert.deepEqual(got.map((t) => t.hyperparameters.x as number).sort((a, b) => a - b), Array.from({ length: 15 }, (_, i) => i));
      assert.ok(proposals > 18, 'concurrent clients had to propose again after conflicts');
      await clients[1].reportIntermediate('s', 4, 0, 2.5);
      const done = await clients[2].finishTrial('s', 4, { status: 'complete', value: 3 });
      assert.equal(done.value, 3);
      assert.deepEqual((await storage.getTrials('s'))[4].intermediate, [{ step: 0, value: 2.5 }]);
      await assert.rejects(clients[0].finishTrial('s', 4, { status: 'complete', value: 1 }), /already complete/);
      // a client that stops leaves the trials it claimed and did not finish failed as abandoned
      const runningOf0 = (await storage.getTrials('s')).filter((t) => t.worker === 'c0' && t.status === 'running').map((t) => t.id);
      assert.ok(runningOf0.length > 0);
      await servers[0].abandon('client 0 went away');
      const trials = await storage.getTrials('s');
      for (const id of runningOf0) {
        assert.equal(trials[id].status, 'failed');
        assert.equal(trials[id].error, 'abandoned: client 0 went away');
      }
      assert.ok(trials.filter((t) => t.worker === 'c1' && t.id !== 4).every((t) => t.status === 'running'));
    } finally {
      for (const c of clients) await c.close();
      for (const s of servers) s.stop();
    }
  });
});

describe('worker threads', () => {
  it('two threads run a grid study on an in-memory storage: every point once', async () => {
    const storage = new MemoryStorage();
    const spec = checkSpec({ module: OBJECTIVE, objective: 'busyObjective', tuner: 'GridSearch', options: { verbose: 0, hyperparameters: SPACE }, studyName: 'threads' });
    await runWorkerThreads({ threads: 2, spec, storage });
    const trials = await storage.getTrials('threads');
    assert.equal(trials.length, GRID);
    assert.ok(trials.every((t) => t.status === 'complete'));
    assert.deepEqual(trials.map((t) => t.hyperparameters.x as number).sort((a, b) => a - b), Array.from({ length: GRID }, (_, i) => i));
    for (const t of trials) assert.equal(t.value, ((t.hyperparameters.x as number) - 7) ** 2);
  });

  it('a thread that dies mid-trial fails the run with its exit code and leaves that trial failed as abandoned', async () => {
    const storage = new MemoryStorage();
    const spec = checkSpec({ module: OBJECTIVE, objective: 'exitingObjective', tuner: 'GridSearch', options: { verbose: 0, hyperparameters: SPACE }, studyName: 'dies' });
    await assert.rejects(runWorkerThreads({ threads: 1, spec, storage }), /exited with code 3/);
    const trials = await storage.getTrials('dies');
    assert.deepEqual(trials.map((t) => [t.hyperparameters.x, t.status]), [[0, 'complete'], [1, 'complete'], [2, 'failed']]);
    assert.match(trials[2].error!, /^abandoned: worker thread .* stopped/);
  });

  it('specForThreads carries a tuner\'s declared space and MedianPruner into threads that share the study', async () => {
    const hp = new HyperParameters();
    hp.int('x', 0, GRID - 1);
    const pruner = new MedianPruner({ nStartupTrials: 2, nWarmupSteps: 1 });
    const spec = specForThreads('RandomSearch', { maxTrials: 12, seed: 3, hyperparameters: hp, pruner, verbose: 0, storage: 'memory', concurrency: 2 }, 'rs', { module: OBJECTIVE, objective: 'objective' });
    assert.deepEqual(spec.options!.pruner, { median: { nStartupTrials: 2, nWarmupSteps: 1, intervalSteps: 1, nMinTrials: 1 } });
    assert.deepEqual(spec.options!.hyperparameters, SPACE);
    assert.equal('storage' in spec.options!, false);
    const storage = new MemoryStorage();
    await runWorkerThreads({ threads: 2, spec, storage });
    const trials = await storage.getTrials('rs');
    assert.equal(trials.length, 12);
    assert.equal(new Set(trials.map((t) => t.hyperparameters.x)).size, 12, 'random search never repeats a point, across threads');
    for (const t of trials) {
      assert.equal(t.status, 'complete');
      assert.equal(t.value, ((t.hyperparameters.x as number) - 7) ** 2);
    }
    assert.throws(() => specForThreads('RandomSearch', { pruner: { shouldPrune: () => false } }, 's', { module: OBJECTIVE }), /only rebuild a MedianPruner/);
  });

  it('rejects a bad spec naming the field', () => {
    assert.throws(() => checkSpec({ module: 'm.js', tuner: 'GridSearch' }), /"studyName" must be a non-empty string/);
    assert.throws(() => checkSpec({ module: 'm.js', tuner: 'GridSearch', studyName: 's', hypermodel: 'build' }), /"hypermodel" needs "data"/);
    assert.throws(() => checkSpec({ module: 'm.js', tuner: 'GridSearch', studyName: 's', threads: 0 }), /"threads" must be a positive integer/);
    assert.throws(() => checkSpec({ module: 'm.js', tuner: 'GridSearch', studyName: 's', options: { storage: 'memory' } }), /put "storage" at the top level/);
    assert.throws(() => checkSpec({ module: 'm.js', tuner: 'GridSearch', studyName: 's', studyname: 'x' }), /unknown field "studyname"/);
  });
});
