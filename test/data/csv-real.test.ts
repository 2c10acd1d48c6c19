// CSV files as people write them (issue 13): a pandas index column, names and dates among the features, numbers
// beyond float32, an unterminated quote, long category lists in errors, progress while reading. Each file is a
// small one of the same shape as the real file that showed the problem.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCsv, transformCsv } from '../../src/data/csv.js';

const dir = mkdtempSync(join(tmpdir(), 'descent-csv-real-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
function file(text: string): string {
  const p = join(dir, `r${counter++}.csv`);
  writeFileSync(p, text);
  return p;
}
const rows = (t: { toArray(): unknown }) => t.toArray() as number[][];

test("pandas to_csv(): the unnamed first column is the row index, left out and said so; predict files may carry it too", async () => {
  const p = file(',bill,island,sex\n0,39.1,Biscoe,MALE\n1,39.5,Dream,FEMALE\n2,40.3,Biscoe,FEMALE\n3,36.7,Dream,MALE\n');
  const d = await loadCsv(p, { target: 'sex' });
  assert.deepEqual(d.featureNames, ['bill', 'island=Biscoe', 'island=Dream']);
  assert.equal(d.indexColumn, 'column_0');
  assert.match(d.notes[0], /Left out the first column \(unnamed in the header: a row index, as pandas writes it\); to use it as a feature, list 'column_0' in features/);
  // Re-read by pandas and written again, the index header is 'Unnamed: 0'.
  const again = await loadCsv(file('Unnamed: 0,bill,sex\n0,39.1,MALE\n1,39.5,FEMALE\n'), { target: 'sex' });
  assert.deepEqual(again.featureNames, ['bill']);
  // Kept when asked for.
  const kept = await loadCsv(p, { target: 'sex', features: ['column_0', 'bill'] });
  assert.deepEqual(kept.featureNames, ['column_0', 'bill']);
  assert.equal(kept.indexColumn, undefined);
  // A prediction file written by pandas has the index too (and one without it works as well).
  const t = await transformCsv(file(',bill,island\n7,41,Dream\n'), d.encoders);
  assert.deepEqual(rows(t.x), [[41, 0, 1]]);
  const t2 = await transformCsv(file('bill,island\n41,Dream\n'), d.encoders);
  assert.deepEqual(rows(t2.x), [[41, 0, 1]]);
});

/** A cars-like file: a name per row (high cardinality), a sale date per row, a model year (12 dates), 3 origins. */
function carsCsv(n: number): string {
  let text = 'Name,Sold,Year,Origin,Horsepower,Miles_per_Gallon\n';
  for (let i = 0; i < n; i++) {
    const hp = 60 + ((i * 37) % 150);
    const sold = new Date(Date.UTC(1975, 0, 1 + i)).toISOString().slice(0, 10);
    text += `car model ${i},${sold},${1970 + (i % 12)}-01-01,${['USA', 'Europe', 'Japan'][i % 3]},${hp},${(45 - hp / 6).toFixed(1)}\n`;
  }
  return text;
}

test('text columns with too many values are refused by default (dates named as such), all in one error, with the fixes', async () => {
  const p = file(carsCsv(150));
  await assert.rejects(loadCsv(p, { target: 'Miles_per_Gallon' }), (e: Error) => {
    assert.match(e.message, /2 text columns have more distinct values than maxCategories: 100 allows, too many to one-hot encode \(new rows would not share them\)/);
    assert.match(e.message, /'Name' is text with 150 distinct values \('car model 0', \.\.\.\); 'Sold' holds dates or times with 150 distinct values \('1975-01-01', \.\.\.\)/);
    assert.match(e.message, /Leave them out with drop: \['Name', 'Sold'\] \(or choose the inputs with features\), or encode anyway with maxCategories: 150\./);
    return true;
  });
  // A date column with few values (model years) is one-hot encoded, with a note.
  const d = await loadCsv(p, { target: 'Miles_per_Gallon', drop: ['Name', 'Sold'] });
  assert.equal(d.featureNames.length, 12 + 3 + 1);
  assert.match(d.notes.join('\n'), /Column 'Year' holds dates or times \(12 distinct values, such as '1970-01-01'\): one-hot encoded, so rows with other dates cannot be predicted; leave it out with drop: \['Year'\]/);
  const f = await loadCsv(p, { target: 'Miles_per_Gallon', features: ['Horsepower', 'Origin'] });
  assert.deepEqual(f.featureNames, ['Horsepower', 'Origin=Europe', 'Origin=Japan', 'Origin=USA']);
  // The limit is an option; columns listed in categorical are encoded whatever their count.
  const many = await loadCsv(p, { target: 'Miles_per_Gallon', drop: ['Sold', 'Year'], maxCategories: 150 });
  assert.equal(many.featureNames.length, 150 + 3 + 1);
  const listed = await loadCsv(p, { target: 'Miles_per_Gallon', drop: ['Name', 'Year'], categorical: ['Sold', 'Origin'] });
  assert.equal(listed.featureNames.length, 150 + 3 + 1);
  // In the CLI's words.
  await assert.rejects(loadCsv(p, { target: 'Miles_per_Gallon', optionNames: 'cli' }), /more distinct values than --max-categories 100 allows.*Leave them out with --drop Name,Sold \(or choose the inputs with --features\), or encode anyway with --max-categories 150\./);
  await assert.rejects(loadCsv(p, { target: 'Miles_per_Gallon', drop: ['Miles_per_Gallon'] }), /target column 'Miles_per_Gallon' is also listed in drop/);
  await assert.rejects(loadCsv(p, { target: 'Miles_per_Gallon', drop: ['Nmae'] }), /Unknown drop column 'Nmae'/);
});

test('date and time shapes are recognised; a few repeated text values are one-hot encoded as before', async () => {
  for (const date of ['2012-01-01', '2012-01-01 10:00', '2012-01-01T10:00:00Z', '01/31/2012', '31.01.2012', '10:30', '2012/1/31 5:30 PM']) {
    const text = 'd,a,y\n' + Array.from({ length: 6 }, (_, i) => `${date},${i},${i % 2}`).join('\n') + '\n';
    const d = await loadCsv(file(text), { target: 'y' });
    assert.match(d.notes.join('\n'), /Column 'd' holds dates or times/, date);
  }
  const ok = await loadCsv(file('w,a,y\nsun,1,0\nrain,2,1\nsun,3,0\nfog,4,1\n'), { target: 'y' });
  assert.deepEqual(ok.featureNames, ['w=fog', 'w=rain', 'w=sun', 'a']);
  assert.deepEqual(ok.notes, []);
});

test('errors that list values are cut short: 1,461 dates become ten and a count', async () => {
  const train = await loadCsv(file('d,a,y\n2012-01-01,1,0\n2012-01-02,2,1\n'), { target: 'y', categorical: ['d'] });
  assert.equal(train.featureNames.length, 3);
  let text = 'd,a,y\n';
  for (let i = 0; i < 1461; i++) text += `${new Date(Date.UTC(2012, 0, 1 + i)).toISOString().slice(0, 10)},${i},${i % 2}\n`;
  const big = await loadCsv(file(text), { target: 'y', categorical: ['d'] });
  await assert.rejects(transformCsv(file('d,a\n2099-01-01,1\n'), big.encoders), (e: Error) => {
    assert.match(e.message, /unknown category '2099-01-01' \(known: '2012-01-01', '2012-01-02', .*\.\.\. \(1,461 in all\)\)/);
    assert.ok(e.message.length < 400, `one readable line, not ${e.message.length} characters`);
    return true;
  });
  let header = 'y';
  for (let i = 0; i < 300; i++) header += `,c${i}`;
  await assert.rejects(loadCsv(file(`${header}\n1\n`), { target: 'label' }), (e: Error) => e.message.length < 1000 && /\(301 in all\)/.test(e.message));
});

test('numbers beyond float32 are refused at load time with file, line and column (not Infinity later)', async () => {
  const p = file('a,b,y\n1,2,0\n3,4,1\n5,6,0\n7,1e39,1\n');
  await assert.rejects(loadCsv(p, { target: 'y' }), /r\d+\.csv:5: column 'b': value '1e39' is outside the float32 range/);
  // A cell of 5,000 digits: the message shows its start and its length, not the whole cell.
  const huge = '9'.repeat(5000);
  await assert.rejects(loadCsv(file(`a,y\n1,0\n${huge},1\n2,0\n`), { target: 'y' }), (e: Error) => {
    assert.match(e.message, /:3: column 'a': value '9{40}\.\.\.' \(5,000 characters\) is outside the float32 range/);
    return e.message.length < 300;
  });
  // A regression target too, and prediction files.
  await assert.rejects(loadCsv(file('a,price\n1,2.5\n2,-3.5e38\n3,1.5\n'), { target: 'price' }), /:3: column 'price': target value '-3\.5e38' is outside the float32 range/);
  const d = await loadCsv(file('a,y\n1,0\n2,1\n'), { target: 'y' });
  await assert.rejects(transformCsv(file('a\n1\n2e40\n'), d.encoders), /:3: column 'a': value '2e40' is outside the float32 range/);
  // The largest float32 itself is fine.
  const edge = await loadCsv(file('a,y\n3.4028234e38,0\n-1,1\n'), { target: 'y' });
  assert.equal(edge.x.data[0], Math.fround(3.4028234e38));
});

test('an unterminated quote is reported at the line where it opens', async () => {
  const p = file('a,b,y\n1,2,0\n3,"oops,1\n4,5,0\n6,7,1\n8,9,0\n');
  await assert.rejects(loadCsv(p, { target: 'y' }), /r\d+\.csv:3: a quoted field opens here and its closing quote is missing/);
  // After a multi-line quoted field that closes, and after empty lines, the line is still the opening one.
  const q = file('a,b,y\n1,"two\nlines",0\n\n3,4,1\n5,6,"never\n7,8,0\n');
  await assert.rejects(loadCsv(q, { target: 'y', categorical: ['b'] }), /r\d+\.csv:6: a quoted field opens here/);
});

test('predict files: the target column is not read (missing values in it are fine); evaluation drops rows without a target', async () => {
  const d = await loadCsv(file('a,y\n1,no\n2,yes\n3,no\n'), { target: 'y' });
  const withTarget = file('a,y\n5,\n6,yes\n7,NA\n');
  await assert.rejects(transformCsv(withTarget, d.encoders), /:2: column 'y': missing target value/);
  const pred = await transformCsv(withTarget, d.encoders, { ignoreTarget: true });
  assert.equal(pred.y, undefined);
  assert.deepEqual(rows(pred.x), [[5], [6], [7]]);
  const ev = await transformCsv(withTarget, d.encoders, { dropMissingTarget: true });
  assert.deepEqual(rows(ev.x), [[6]]);
  assert.deepEqual(ev.dropped, [0, 2]);
  assert.equal(ev.missingTargetRows, 2);
});

test('messages name the CLI flags when asked (optionNames: cli), never code spellings', async () => {
  const p = file('a,b,y\n1,x,0\n2,3,1\n3,4,0\n');
  await assert.rejects(loadCsv(p, { target: 'y', optionNames: 'cli' }), /non-numeric value 'x' in a numeric column \(to one-hot encode the column, pass --categorical b\)/);
  const m = file('a,b,y\n1,NA,0\n2,3,1\n');
  await assert.rejects(loadCsv(m, { target: 'y', optionNames: 'cli' }), /missing value \('NA'\); use --missing mean\|median\|most_frequent\|drop\./);
  const t = file('a,y\n1,0\n2,\n');
  await assert.rejects(loadCsv(t, { target: 'y', optionNames: 'cli' }), /the target is missing; use --missing drop \(or --missing mean\|median\|most_frequent, which drop rows whose target is missing\)/);
  const d = await loadCsv(file('a,y\n1,0\n2,1\n'), { target: 'y' });
  await assert.rejects(transformCsv(file('a\nNA\n'), d.encoders, { optionNames: 'cli' }), /the model was trained with --missing error, so it has no value to fill in \(train with --missing mean/);
  await assert.rejects(loadCsv(file('1,2,0\n3,4,1\n'), { target: 'label', optionNames: 'cli' }), /give the target as a 0-based column index/);
  for (const e of await Promise.allSettled([loadCsv(p, { target: 'y', optionNames: 'cli' }), loadCsv(m, { target: 'y', optionNames: 'cli' }), loadCsv(t, { target: 'y', optionNames: 'cli' })])) {
    assert.equal(e.status, 'rejected');
    assert.doesNotMatch(String((e as PromiseRejectedResult).reason), /categorical: \[|missing: '|task: '/);
  }
});

test('progress: both passes report bytes read up to the file size', async () => {
  let text = 'a,b,y\n';
  for (let i = 0; i < 20000; i++) text += `${i},${i % 7},${i % 2}\n`;
  const p = file(text);
  const seen: { pass: number; bytes: number; totalBytes: number }[] = [];
  await loadCsv(p, { target: 'y', onProgress: (e) => seen.push(e) });
  const size = Buffer.byteLength(text);
  for (const pass of [1, 2]) {
    const mine = seen.filter((e) => e.pass === pass);
    assert.ok(mine.length >= 2, `pass ${pass}: ${mine.length} reports`);
    assert.deepEqual(mine.at(-1), { pass, bytes: size, totalBytes: size });
    for (let i = 1; i < mine.length; i++) assert.ok(mine[i].bytes >= mine[i - 1].bytes);
  }
});
