// `descent tune --out` saves the model that was scored (issue 11, fault 1): the best trial's best-epoch weights,
// which are also its checkpoint in the study directory, not the weights of its last epoch.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModelDir } from '../../src/cli/model-dir.js';
import { DirectoryStorage } from '../../src/tuner/storage/directory.js';
import { decodeCheckpoint } from '../../src/tuner/checkpoint.js';
import { completedByScore } from '../../src/tuner/oracle.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

test('descent tune --out saves the best trial\'s best-epoch weights (its checkpoint)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'descent-tune-out-'));
  try {
    // A noisy regression, trained with a large learning rate so that the last epoch is not the best.
    let s = 7;
    const r = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    let csv = 'a,b,y\n';
    for (let i = 0; i < 120; i++) {
      const a = r() * 2 - 1, b = r() * 2 - 1;
      csv += `${a.toFixed(3)},${b.toFixed(3)},${(a - 2 * b + (r() - 0.5)).toFixed(3)}\n`;
    }
    writeFileSync(join(dir, 'reg.csv'), csv);
    writeFileSync(join(dir, 'space.json'), JSON.stringify({ units: [4], learningRate: { type: 'float', min: 0.05, max: 0.3 }, optimizer: 'sgd' }));
    const run = spawnSync(process.execPath, [MAIN, 'tune', 'reg.csv', '--target', 'y', '--space', 'space.json', '--trials', '2', '--epochs', '8',
      '--seed', '1', '--storage', 'store', '--study', 'out', '--test-size', '0', '--out', 'best', '--quiet'], { cwd: dir, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const storage = new DirectoryStorage(join(dir, 'store'));
    const [best] = completedByScore(await storage.getTrials('out'), 'minimize');
    const checkpoint = decodeCheckpoint((await storage.loadCheckpoint('out', best.id))!, 'test');
    assert.ok(Math.abs(checkpoint.value - best.value!) < 1e-6, 'the checkpoint is the epoch that scored the trial');
    const saved = (await loadModelDir(join(dir, 'best'))).getWeights().map((w) => Array.from(w.data));
    assert.deepEqual(saved, checkpoint.weights.map((w) => Array.from(w as Float32Array)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
