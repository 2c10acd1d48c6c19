// The overall progress bar across trials, driven through the callback hooks with a stand-in tuner.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TuneProgress } from '../../src/cli/tune-progress.js';
import type { Tuner } from '../../src/tuner/tuner.js';
import type { TrialRecord } from '../../src/tuner/trial.js';

function fakeTuner(trials: TrialRecord[], maxTrials: number | null) {
  return {
    maxTrials,
    studyName: 'demo',
    get trials() { return trials; },
    getBestTrials: () => trials.filter((t) => t.status === 'complete').sort((a, b) => (a.value as number) - (b.value as number)).slice(0, 1),
  } as unknown as Tuner;
}

const trial = (id: number, value: number | null, status: TrialRecord['status'] = 'complete'): TrialRecord =>
  ({ id, study: 'demo', hyperparameters: { units: 8 * (id + 1), 'tuner/epochs': 3 }, status, value, intermediate: [], startedAt: 0, finishedAt: 1500 });

test('TTY: the bar redraws in place; finished trials print a line above it; the end draws 100%', () => {
  const out: string[] = [];
  const trials: TrialRecord[] = [];
  const p = new TuneProgress(fakeTuner(trials, 4), 'val_loss', { write: (s: string) => out.push(s), isTTY: true });
  p.setParams({ epochs: 10, steps: 1, samples: 1, batchSize: 1, verbose: 0, metrics: [] });
  p.onTrainBegin();
  p.onEpochEnd(4); // half of the first trial: 0.5 / 4 of the bar
  trials.push(trial(0, 0.5));
  p.onTrainBegin(); // the next trial starts: trial 0's line, then the bar at 1/4
  trials.push(trial(1, 0.25), trial(2, null, 'failed'), trial(3, 0.75));
  p.end();
  const text = out.join('');
  assert.match(text, /\r\x1b\[KTrials 0\/4 \[>\.{29}\]/, 'empty bar first');
  assert.match(text, /\r\x1b\[K\[1\/4\] trial 0 complete val_loss=0\.5 in 1\.5s - units=8\n/, 'trial line without tuner/ keys');
  assert.match(text, /Trials 1\/4 \[={7}>\.{22}\] - best val_loss 0\.5 \(trial 0\)/, '1 of 4 done: 7 of 30 cells');
  assert.match(text, /\[3\/4\] trial 2 failed/);
  assert.match(text, /Trials 4\/4 \[={30}\] - best val_loss 0\.25 \(trial 1\)\n$/, 'final bar, newline');
  assert.doesNotMatch(text, /tuner\/epochs/);
});

test('not a TTY: only the trial lines; a resumed study is one line', () => {
  const out: string[] = [];
  const trials = [trial(0, 0.3), trial(1, 0.2)];
  const p = new TuneProgress(fakeTuner(trials, null), 'val_loss', { write: (s: string) => out.push(s), isTTY: false });
  p.onTrainBegin();
  trials.push(trial(2, 0.1));
  p.end();
  assert.deepEqual(out, ["Resuming study 'demo': 2 trials already finished.\n", '[3] trial 2 complete val_loss=0.1 in 1.5s - units=24\n']);
});
