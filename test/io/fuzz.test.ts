// Fuzzing the loader: truncated and bit-flipped copies of model.json and of the weight shard. Every load must
// either fail with a one-line error naming the damaged file, or give a model whose weights and optimizer state
// equal the originals bit for bit. Never a model with different numbers.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sequential, Dense, Dropout, Activation, Adam, setSeed, tensor } from '../../src/index.js';
import { saveModel } from '../../src/io/save.js';
import { loadModel } from '../../src/io/load.js';

const root = mkdtempSync(join(tmpdir(), 'descent-fuzz-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

test('truncated and bit-flipped model.json and shard: a clear error or the exact original model', async (t) => {
  setSeed(4);
  const m = new Sequential();
  m.add(new Dense(5, { inputShape: [3], activation: 'tanh' }));
  m.add(new Dropout(0.2));
  m.add(new Dense(2));
  m.add(new Activation('softmax'));
  m.compile({ loss: 'categorical_crossentropy', optimizer: new Adam({ learningRate: 0.01 }), metrics: ['accuracy'] });
  const x = tensor([[0.1, 0.2, 0.3], [1, -1, 0.5], [0, 0.4, -0.2], [0.9, 0.1, 0.1]]);
  await m.fit(x, tensor([[1, 0], [0, 1], [1, 0], [0, 1]]), { epochs: 2, batchSize: 2, verbose: 0 });
  const good = join(root, 'good');
  await saveModel(m, good);
  const refWeights = m.getWeights().map((w) => bits(w.data));
  const refPred = bits(m.predict(x).data);
  const refState = m.optimizer!.getState();

  const files = { json: readFileSync(join(good, 'model.json')), shard: readFileSync(join(good, 'group1-shard1of1.bin')) };
  const rand = lcg(2024);
  const cases: { file: 'model.json' | 'group1-shard1of1.bin'; data: Buffer; what: string }[] = [];
  for (const [name, data] of [['model.json', files.json], ['group1-shard1of1.bin', files.shard]] as const) {
    const truncations = name === 'model.json' ? 60 : 40;
    for (let t = 0; t < truncations; t++) {
      const len = Math.floor((t / truncations) * data.length);
      cases.push({ file: name, data: data.subarray(0, len), what: `${name} truncated to ${len} bytes` });
    }
    const flips = name === 'model.json' ? 250 : 150;
    for (let f = 0; f < flips; f++) {
      const copy = Buffer.from(data);
      const byte = Math.floor(rand() * copy.length);
      const bit = Math.floor(rand() * 8);
      copy[byte] ^= 1 << bit;
      cases.push({ file: name, data: copy, what: `${name} byte ${byte} bit ${bit} flipped` });
    }
  }

  let errors = 0;
  let intact = 0;
  const dir = join(root, 'case');
  for (const c of cases) {
    rmSync(dir, { recursive: true, force: true });
    cpSync(good, dir, { recursive: true });
    writeFileSync(join(dir, c.file), c.data);
    let loaded: Sequential;
    try {
      loaded = await loadModel(dir);
    } catch (e) {
      const msg = (e as Error).message;
      assert.ok(e instanceof Error, `${c.what}: threw a non-Error`);
      assert.ok(msg.includes(dir), `${c.what}: the message does not name the file: ${msg}`);
      assert.ok(!msg.includes('\n'), `${c.what}: the message is not one line: ${msg}`);
      errors++;
      continue;
    }
    // Loaded: must be the original, bit for bit.
    loaded.getWeights().forEach((w, i) => assert.deepEqual(bits(w.data), refWeights[i], `${c.what}: weight ${i} differs`));
    assert.deepEqual(bits(loaded.predict(x).data), refPred, `${c.what}: predictions differ`);
    const s = loaded.optimizer!.getState();
    assert.equal(s.iterations, refState.iterations, `${c.what}: iterations differ`);
    for (const slot of Object.keys(refState.slots)) refState.slots[slot].forEach((v, i) => assert.deepEqual(bits(s.slots[slot][i]), bits(v), `${c.what}: slot differs`));
    intact++;
  }
  t.diagnostic(`${cases.length} damaged copies: ${errors} refused with an error naming the file, ${intact} loaded bit-identical`);
  assert.equal(errors + intact, cases.length);
  assert.ok(errors >= cases.length - 5, `expected nearly every damaged copy to be refused; ${intact} loaded intact`);
});
