// The CLI trains a convnet on a CSV of pixels: --input-shape 28,28,1 reshapes each row for the Conv2D layers of a
// model spec, and the saved model predicts from the same CSV layout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMnist } from '../../src/index.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

test('descent train --input-shape 28,28,1 with a Conv2D spec on a CSV of digit pixels', () => {
  const dir = mkdtempSync(join(tmpdir(), 'descent-conv-cli-'));
  try {
    const { xTrain, yTrain } = loadMnist({ trainSize: 300, testSize: 0 });
    const header = [...Array.from({ length: 784 }, (_, i) => `p${i}`), 'label'].join(',');
    const lines = Array.from({ length: 300 }, (_, r) => [...Array.from(xTrain.data.subarray(r * 784, (r + 1) * 784), (v) => v.toFixed(3)), String(yTrain.data[r])].join(','));
    writeFileSync(join(dir, 'digits.csv'), [header, ...lines].join('\n') + '\n');
    writeFileSync(join(dir, 'cnn.json'), JSON.stringify({
      layers: [
        { type: 'Conv2D', filters: 4, kernelSize: 3, activation: 'relu' },
        { type: 'MaxPooling2D', poolSize: 2 },
        { type: 'Flatten' },
        { type: 'Dense', units: 10, activation: 'softmax' },
      ],
    }));
    const run = (...args: string[]) => spawnSync(process.execPath, [MAIN, ...args], { cwd: dir, encoding: 'utf8' });
    const r = run('train', 'digits.csv', '--target', 'label', '--input-shape', '28,28,1', '--model', 'cnn.json', '--epochs', '2', '--quiet', '--out', 'cnn-model');
    assert.equal(r.status, 0, r.stderr);
    const s = run('summary', 'cnn-model');
    assert.match(s.stdout, /reshape \(Reshape\)\s+\(None, 28, 28, 1\)/);
    assert.match(s.stdout, /conv2d \(Conv2D\)\s+\(None, 26, 26, 4\)\s+40/);
    const bad = run('train', 'digits.csv', '--target', 'label', '--input-shape', '28,28,2', '--model', 'cnn.json', '--quiet', '--out', 'bad');
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /inputShape \[28, 28, 2\] holds 1568 values but the data has 784 features per row/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
