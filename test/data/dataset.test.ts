import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dataset, batchesFromGenerator, isBatchSource } from '../../src/data/dataset.js';
import { tensor } from '../../src/tensor/tensor.js';

const x = tensor(Array.from({ length: 10 }, (_, i) => [i, -i]));
const y = tensor(Array.from({ length: 10 }, (_, i) => [i % 2]));

test('fromTensors().batch(4): steps = ceil(10/4), last partial batch kept, order preserved', async () => {
  const src = Dataset.fromTensors(x, y).batch(4);
  assert.ok(isBatchSource(src));
  assert.equal(src.steps, 3);
  const sizes: number[] = [];
  const firsts: number[] = [];
  for await (const b of src.batches()) {
    sizes.push(b.x.shape[0]);
    assert.deepEqual(b.y.shape, [b.x.shape[0], 1]);
    firsts.push(...Array.from(b.x.data).filter((_, k) => k % 2 === 0));
  }
  assert.deepEqual(sizes, [4, 4, 2]);
  assert.deepEqual(firsts, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  // Re-iterable: a second epoch yields the same batches again.
  let n = 0;
  for await (const _ of src.batches()) n++;
  assert.equal(n, 3);
});

test('shuffle: a permutation per epoch, rows stay paired, seeded', async () => {
  const epoch = async (seed: number) => {
    const out: number[][] = [];
    for await (const b of Dataset.fromTensors(x, y).shuffle(10, { seed }).batch(3).batches()) {
      const rows = b.x.toArray() as number[][];
      rows.forEach((r, k) => {
        assert.equal(r[1], -r[0]);
        assert.equal(b.y.data[k], r[0] % 2);
      });
      out.push(...rows);
    }
    return out.map((r) => r[0]);
  };
  const a = await epoch(3);
  assert.deepEqual([...a].sort((p, q) => p - q), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.notDeepEqual(a, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(await epoch(3), a);
});

test('batchesFromGenerator: unknown or given steps, arrays converted, mismatched batch rejected', async () => {
  const gen = batchesFromGenerator(function* () {
    yield { x: [[1, 2]], y: [[1]] };
    yield { x: [[3, 4], [5, 6]], y: [[0], [1]] };
  });
  assert.equal(gen.steps, undefined);
  const seen: number[] = [];
  for await (const b of gen.batches()) seen.push(b.x.shape[0]);
  assert.deepEqual(seen, [1, 2]);
  assert.equal(batchesFromGenerator(() => [], { steps: 7 }).steps, 7);
  const bad = batchesFromGenerator(function* () {
    yield { x: [[1, 2], [3, 4]], y: [[1]] };
  });
  await assert.rejects(async () => {
    for await (const _ of bad.batches());
  }, /Batch 0: x has 2 samples .* y has 1/);
  assert.throws(() => Dataset.fromTensors(x, [1, 2]), /x has 10 samples .* y has 2/);
  assert.throws(() => Dataset.fromTensors(x, y).batch(0), /positive integer/);
});

test('Dataset.fromCsv: prepare() makes steps known up front; given encoders encode another file the same way', async () => {
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'descent-ds-'));
  try {
    const train = join(dir, 'train.csv');
    writeFileSync(train, 'a,c,y\n1,p,x\n2,q,y\n3,p,z\n4,q,x\n5,p,y\n');
    const ds = Dataset.fromCsv(train, { target: 'y' });
    const enc = await ds.prepare();
    const src = ds.batch(2);
    assert.equal(src.steps, 3);
    assert.deepEqual(enc.target.classes, ['x', 'y', 'z']);
    const ys: number[] = [];
    for await (const b of src.batches()) {
      assert.deepEqual(b.x.shape, [b.y.shape[0], 3]);
      ys.push(...b.y.data);
    }
    assert.deepEqual(ys, [0, 1, 2, 0, 1]); // multiclass: class indices, shape [n]
    const other = join(dir, 'other.csv');
    writeFileSync(other, 'y,c,a\nz,q,9\n');
    const again = Dataset.fromCsv(other, { encoders: enc });
    const batches = [];
    for await (const b of again.batch(8).batches()) batches.push(b);
    assert.deepEqual(Array.from(batches[0].x.data), [9, 0, 1]);
    assert.deepEqual(Array.from(batches[0].y.data), [2]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
