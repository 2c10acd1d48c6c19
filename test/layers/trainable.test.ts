// Freezing and unfreezing layers (the transfer-learning workflow): layer.trainable can be switched after build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sequential, Dense, SGD, setSeed } from '../../src/index.js';

const x = [[1, 2], [3, 4], [5, 6]];
const y = [[1], [2], [3]];
const snapshot = (m: Sequential) => m.getWeights().map((w) => Array.from(w.data));

for (const fastPath of [true, false]) {
  test(`a layer built frozen trains once unfrozen, and freezing stops it (${fastPath ? 'planned' : 'autograd'} step)`, async () => {
    setSeed(1);
    const m = new Sequential([new Dense(3, { inputDim: 2, trainable: false }), new Dense(1)]);
    m.fastPath = fastPath;
    m.compile({ loss: 'mse', optimizer: new SGD({ learningRate: 0.01 }) });
    assert.equal(m.trainableWeights.length, 2);
    let before = snapshot(m);
    await m.fit(x, y, { epochs: 1, verbose: 0 });
    let after = snapshot(m);
    assert.deepEqual(after[0], before[0], 'frozen kernel unchanged');
    assert.notDeepEqual(after[2], before[2], 'trainable kernel moved');
    const lines: string[] = [];
    m.summary({ printFn: (t) => lines.push(t) });
    assert.ok(lines.includes('Trainable params: 4') && lines.includes('Non-trainable params: 9'), lines.join('\n'));

    m.layers[0].trainable = true;
    m.layers[1].trainable = false;
    m.compile({ loss: 'mse', optimizer: new SGD({ learningRate: 0.01 }) });
    assert.deepEqual(m.trainableWeights.map((w) => w.name), m.layers[0].weights.map((w) => w.name));
    before = snapshot(m);
    await m.fit(x, y, { epochs: 1, verbose: 0 });
    after = snapshot(m);
    assert.notDeepEqual(after[0], before[0], 'unfrozen kernel moved');
    assert.deepEqual(after[2], before[2], 'newly frozen kernel unchanged');
  });
}
