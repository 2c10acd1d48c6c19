// loadCsv / transformCsv / Dataset.fromCsv against values worked out by hand from the file text,
// and the error catalogue (each message must name the file, line and column).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCsv, transformCsv } from '../../src/data/csv.js';
import { Dataset } from '../../src/data/dataset.js';

const dir = mkdtempSync(join(tmpdir(), 'descent-csv-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
function file(text: string): string {
  const p = join(dir, `f${counter++}.csv`);
  writeFileSync(p, text);
  return p;
}
const rows = (t: { toArray(): unknown }) => t.toArray() as number[][];

const PEOPLE = 'age,color,income,label\n25,red,50000,yes\n30,blue,NA,no\n45,red,80000,yes\n22,green,20000,no\n';

test('numeric and categorical features, string target: one-hot in sorted category order, classes map back', async () => {
  const d = await loadCsv(file(PEOPLE.replace('NA', '61000')), { target: 'label' });
  assert.deepEqual(d.featureNames, ['age', 'color=blue', 'color=green', 'color=red', 'income']);
  assert.deepEqual(rows(d.x), [
    [25, 0, 0, 1, 50000],
    [30, 1, 0, 0, 61000],
    [45, 0, 0, 1, 80000],
    [22, 0, 1, 0, 20000],
  ]);
  assert.equal(d.task, 'binary');
  assert.deepEqual(d.classes, ['no', 'yes']);
  assert.deepEqual(d.y.shape, [4, 1]);
  assert.deepEqual(Array.from(d.y.data), [1, 0, 1, 0]);
  assert.equal(d.targetName, 'label');
  // Encoders are plain JSON.
  assert.deepEqual(JSON.parse(JSON.stringify(d.encoders)), d.encoders);
});

test('missing values: error names file, line and column; mean / median / most_frequent / drop', async () => {
  const p = file('a,b,c,y\n1,x,10,0\n2,,20,1\n?,x,NA,0\n7,z,30,1\n');
  await assert.rejects(loadCsv(p, { target: 'y' }), (e: Error) => {
    assert.match(e.message, new RegExp(`${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: column 'b': missing value`));
    return true;
  });
  // a: values 1, 2, 7 -> mean 10/3, median 2; b: x twice, z once -> most frequent 'x'; c: 10, 20, 30 -> mean 20.
  const mean = await loadCsv(p, { target: 'y', missing: 'mean' });
  assert.deepEqual(mean.featureNames, ['a', 'b=x', 'b=z', 'c']);
  assert.ok(Math.abs(mean.x.data[8] - 10 / 3) < 1e-6);
  assert.deepEqual(rows(mean.x)[1], [2, 1, 0, 20]); // b imputed with its most frequent category
  assert.equal(rows(mean.x)[2][3], 20);
  const median = await loadCsv(p, { target: 'y', missing: 'median' });
  assert.equal(rows(median.x)[2][0], 2);
  assert.equal(rows(median.x)[2][3], 20);
  const mf = await loadCsv(p, { target: 'y', missing: 'most_frequent' });
  assert.equal(rows(mf.x)[2][0], 1); // ties go to the smallest value, as scikit-learn
  const drop = await loadCsv(p, { target: 'y', missing: 'drop' });
  assert.equal(drop.rows, 2);
  assert.deepEqual(drop.dropped, [1, 2]);
  assert.deepEqual(rows(drop.x), [
    [1, 1, 0, 10],
    [7, 0, 1, 30],
  ]);
  assert.deepEqual(Array.from(drop.y.data), [0, 1]);
});

test('a missing target: an error by default; dropped (and counted) when missing cells are imputed or dropped', async () => {
  const p = file('a,y\n1,0\n2,\n3,1\nNA,1\n');
  await assert.rejects(loadCsv(p, { target: 'y' }), /:3: column 'y': missing value \(''\); the target is missing; use missing: 'drop'/);
  const mean = await loadCsv(p, { target: 'y', missing: 'mean' });
  assert.equal(mean.rows, 3);
  assert.equal(mean.missingTargetRows, 1);
  assert.deepEqual(mean.dropped, [1]);
  assert.deepEqual(rows(mean.x), [[1], [3], [2]]); // 'NA' imputed with the mean of 1 and 3 (the row without a target does not count)
  assert.match(mean.notes.join('\n'), /Dropped 1 row whose target 'y' is missing/);
  const drop = await loadCsv(p, { target: 'y', missing: 'drop' });
  assert.equal(drop.rows, 2);
  assert.deepEqual(drop.dropped, [1, 3]);
});

test('no header: detected from a numeric first row, target by index, integer classes are multiclass', async () => {
  const d = await loadCsv(file('1,2,0\n3,4,1\n5,6,2\n7,8,1\n'), { target: 2 });
  assert.equal(d.task, 'multiclass');
  assert.deepEqual(d.classes, ['0', '1', '2']);
  assert.deepEqual(d.y.shape, [4]);
  assert.deepEqual(Array.from(d.y.data), [0, 1, 2, 1]);
  assert.deepEqual(rows(d.x), [[1, 2], [3, 4], [5, 6], [7, 8]]);
  const oh = await loadCsv(file('1,2,0\n3,4,1\n5,6,2\n7,8,1\n'), { target: 2, oneHot: true });
  assert.deepEqual(rows(oh.y), [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 0]]);
});

test('regression inferred from a fractional target; semicolon delimiter sniffed; quoted fields', async () => {
  const d = await loadCsv(file('x;note;price\n1;"a;b";2.5\n2;"c ""q""";3.25\n3;"a;b";4\n'), { target: 'price' });
  assert.equal(d.task, 'regression');
  assert.equal(d.classes, undefined);
  assert.deepEqual(d.featureNames, ['x', 'note=a;b', 'note=c "q"']);
  assert.deepEqual(Array.from(d.y.data), [2.5, 3.25, 4]);
  assert.deepEqual(d.y.shape, [3, 1]);
});

test('task and categorical overrides', async () => {
  const p = file('zip,y\n1001,0.5\n2002,1\n1001,2\n');
  const d = await loadCsv(p, { target: 'y', categorical: ['zip'], task: 'regression' });
  assert.deepEqual(d.featureNames, ['zip=1001', 'zip=2002']);
  await assert.rejects(loadCsv(p, { target: 'y', task: 'binary' }), /3 classes, but the task is binary/);
});

test('error catalogue: non-numeric, ragged, unknown target, empty, header only, missing file', async () => {
  const nonNum = file('a,b,y\n1,2,0\n2,abc,1\n3,4,0\n4,5,1\n');
  await assert.rejects(loadCsv(nonNum, { target: 'y' }), /:3: column 'b': non-numeric value 'abc' in a numeric column/);
  const ragged = file('a,b,y\n1,2,0\n2,3\n');
  await assert.rejects(loadCsv(ragged, { target: 'y' }), /:3: ragged row: 2 fields, expected 3/);
  await assert.rejects(loadCsv(file('a,b,y\n1,2,0\n'), { target: 'label' }), /Unknown target column 'label'.*Columns: 'a', 'b', 'y'/);
  await assert.rejects(loadCsv(file(''), { target: 'y' }), /is empty/);
  await assert.rejects(loadCsv(file('a,b,y\n'), { target: 'y' }), /header row but no data rows/);
  await assert.rejects(loadCsv(join(dir, 'nope.csv'), { target: 'y' }), /CSV file not found: .*nope\.csv/);
  await assert.rejects(loadCsv(file('a,y\n1,5\n2,5\n'), { target: 'y', task: 'binary' }), /single value/);
});

test('transformCsv applies the training encoders to a test file and to a file without the target', async () => {
  const train = await loadCsv(file(PEOPLE), { target: 'label', missing: 'median' });
  // Columns in another order, categories in another order of appearance.
  const test1 = await transformCsv(file('label,income,color,age\nno,NA,green,50\nyes,1000,red,60\n'), train.encoders);
  assert.deepEqual(rows(test1.x), [
    [50, 0, 1, 0, 50000], // income imputed with the training median (20000, 50000, 80000 -> 50000)
    [60, 0, 0, 1, 1000],
  ]);
  assert.deepEqual(Array.from(test1.y!.data), [0, 1]);
  const pred = await transformCsv(file('age,color,income\n33,blue,1\n'), train.encoders);
  assert.equal(pred.y, undefined);
  assert.deepEqual(pred.dropped, []);
  assert.deepEqual(rows(pred.x), [[33, 1, 0, 0, 1]]);
  await assert.rejects(transformCsv(file('age,color,income\n33,purple,1\n'), train.encoders), /:2: column 'color': unknown category 'purple'/);
  await assert.rejects(transformCsv(file('age,income\n33,1\n'), train.encoders), /no column 'color'/);
});

test('a larger file streams through: sums match a float64 reference, Dataset.fromCsv batches equal loadCsv', async () => {
  const n = 5000;
  let text = 'f1,f2,cat,target\n';
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const a = (i * 7919) % 1000 / 10;
    const b = Math.sin(i) * 3;
    s1 += a;
    s2 += Number(b.toFixed(6));
    text += `${a},${b.toFixed(6)},${['p', 'q', 'r'][i % 3]},${i % 2}\n`;
  }
  const p = file(text);
  const d = await loadCsv(p, { target: 'target' });
  assert.deepEqual(d.x.shape, [n, 5]);
  let c1 = 0;
  let c2 = 0;
  for (let i = 0; i < n; i++) {
    c1 += d.x.data[i * 5];
    c2 += d.x.data[i * 5 + 1];
  }
  assert.ok(Math.abs(c1 - s1) < 1e-6 * n * 100);
  assert.ok(Math.abs(c2 - s2) < 1e-5 * n);
  const ds = Dataset.fromCsv(p, { target: 'target' }).batch(64);
  assert.equal(ds.steps, undefined); // not known before the first pass
  const xs: number[] = [];
  const ys: number[] = [];
  let batches = 0;
  for await (const b of ds.batches()) {
    assert.equal(b.x.shape[1], 5);
    assert.deepEqual(b.y.shape, [b.x.shape[0], 1]);
    xs.push(...b.x.data);
    ys.push(...b.y.data);
    batches++;
  }
  assert.equal(batches, Math.ceil(n / 64));
  assert.equal(ds.steps, Math.ceil(n / 64));
  assert.deepEqual(Float32Array.from(xs), d.x.data);
  assert.deepEqual(Float32Array.from(ys), d.y.data);
});
