// The descent command on files shaped like real ones (issue 13): pandas CSVs, names and dates among the columns,
// sorted files, missing targets, huge numbers, broken quotes, killed runs. Small synthetic files of the same shape;
// the real public files (vega-datasets) are in real-datasets.test.ts.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareData, loadingProgress } from '../../src/cli/prepare.js';
import type { StandardScaler } from '../../src/data/scalers.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
let dir = '';

function descent(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, DESCENT_STUDY_DIR: join(dir, 'studies') } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function oneLineError(r: ReturnType<typeof descent>, pattern: RegExp): string {
  assert.equal(r.code, 1, `exit code (stderr: ${r.stderr})`);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one stderr line, got:\n${r.stderr}`);
  assert.match(lines[0], pattern);
  return lines[0];
}

/** Cars-like, as pandas writes it: index column, a name per row, a date per row, 3 origins, missing values. */
function carsCsv(n: number): string {
  let text = ',Name,Sold,Year,Origin,Horsepower,Weight,Miles_per_Gallon\n';
  for (let i = 0; i < n; i++) {
    const hp = 60 + ((i * 37) % 150);
    const w = 1800 + ((i * 53) % 2500);
    const mpg = i % 25 === 7 ? '' : (50 - hp / 8 - w / 400 + (i % 3)).toFixed(1);
    text += `${i},car ${i},${new Date(Date.UTC(1975, 0, 1 + i)).toISOString().slice(0, 10)},${1970 + (i % 12)}-01-01,${['USA', 'Europe', 'Japan'][i % 3]},${i % 40 === 3 ? '' : hp},${w},${mpg}\n`;
  }
  return text;
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'descent-real-'));
  writeFileSync(join(dir, 'cars.csv'), carsCsv(200));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('a pandas cars file: index left out, names and dates refused with the fix, then trained with --drop and --missing', () => {
  const refused = oneLineError(descent('train', 'cars.csv', '--target', 'Miles_per_Gallon'), /2 text columns have more distinct values than --max-categories 100 allows/);
  assert.match(refused, /'Name' is text with 200 distinct values \('car 0', \.\.\.\); 'Sold' holds dates or times with 200 distinct values \('1975-01-01', \.\.\.\)\. Leave them out with --drop Name,Sold/);
  const missing = oneLineError(descent('train', 'cars.csv', '--target', 'Miles_per_Gallon', '--drop', 'Name,Sold'), /cars\.csv:5: column 'Horsepower': missing value \(''\); use --missing mean\|median\|most_frequent\|drop\./);
  assert.doesNotMatch(missing, /missing: '/);
  const r = descent('train', 'cars.csv', '--target', 'Miles_per_Gallon', '--drop', 'Name,Sold', '--missing', 'mean', '--epochs', '3', '--seed', '1', '--out', 'm-cars');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Loaded 192 rows x 17 features from cars\.csv; target 'Miles_per_Gallon': regression\.$/m);
  assert.match(r.stdout, /^Column 'Year' holds dates or times \(12 distinct values, such as '1970-01-01'\): one-hot encoded, so rows with other dates cannot be predicted; leave it out with --drop Year if that matters\.$/m);
  assert.match(r.stdout, /^Left out the first column \(unnamed in the header: a row index, as pandas writes it\); to use it as a feature, list 'column_0' in --features\.$/m);
  assert.match(r.stdout, /^Dropped 8 rows whose target 'Miles_per_Gallon' is missing\.$/m);
  assert.match(r.stdout, /^Split: 39 test rows held out \(--test-size 0\.2\), 153 training rows shuffled \(seed 1\); the last 31 of them are the validation rows \(--validation-split 0\.2\)\.$/m);
  assert.match(r.stdout, /^Losses and metrics below are in the target's units: loss \(mse\) in Miles_per_Gallon², mae in Miles_per_Gallon /m);
  // --features chooses the inputs instead.
  const f = descent('train', 'cars.csv', '--target', 'Miles_per_Gallon', '--features', 'Horsepower,Weight', '--missing', 'median', '--epochs', '1', '--out', 'm-cars2', '--quiet');
  assert.equal(f.code, 0, f.stderr);
  assert.match(descent('summary', 'm-cars2').stdout, /Input columns \(2\): Horsepower, Weight/);
  // And tune takes the same flags.
  writeFileSync(join(dir, 'space.json'), JSON.stringify({ units: [8] }));
  const t = descent('tune', 'cars.csv', '--target', 'Miles_per_Gallon', '--space', 'space.json', '--drop', 'Name,Sold', '--missing', 'mean', '--trials', '1', '--epochs', '1', '--storage', 'memory', '--quiet');
  assert.equal(t.code, 0, t.stderr);
  oneLineError(descent('tune', 'cars.csv', '--target', 'Miles_per_Gallon', '--space', 'space.json', '--storage', 'memory'), /Leave them out with --drop Name,Sold/);
});

test('regression losses are in the target units: with a frozen model the epoch loss equals the mse evaluate computes', () => {
  // A learning rate of 1e-12 leaves the weights as initialised, so the epoch's mean loss is the mse of one fixed model.
  let text = 'a,b,price\n';
  for (let i = 0; i < 120; i++) text += `${(i % 11) / 10},${(i % 7) / 7},${(20000 + 3000 * Math.sin(i)).toFixed(2)}\n`;
  writeFileSync(join(dir, 'prices.csv'), text);
  const r = descent('train', 'prices.csv', '--target', 'price', '--epochs', '1', '--lr', '1e-12', '--optimizer', 'sgd', '--test-size', '0', '--validation-split', '0', '--seed', '4', '--out', 'm-price');
  assert.equal(r.code, 0, r.stderr);
  const h = JSON.parse(readFileSync(join(dir, 'm-price', 'history.json'), 'utf8'));
  assert.deepEqual(h.units, { loss: 'price²', mae: 'price' });
  const e = JSON.parse(descent('evaluate', 'm-price', 'prices.csv', '--json').stdout);
  assert.ok(Math.abs(h.history.loss[0] - e.mse) / e.mse < 1e-3, `loss ${h.history.loss[0]} vs evaluate mse ${e.mse}`);
  assert.ok(Math.abs(h.history.mae[0] - e.mae) / e.mae < 1e-3, `mae ${h.history.mae[0]} vs evaluate mae ${e.mae}`);
  const printed = Number(r.stdout.match(/- loss: ([\d.e+]+)/)![1]);
  assert.ok(Math.abs(printed - e.mse) / e.mse < 1e-3, `progress line loss ${printed} vs ${e.mse}`);
  assert.match(descent('summary', 'm-price').stdout, /Units: loss in price², mae in price/);
  const report = readFileSync(join(dir, 'm-price', 'report.html'), 'utf8');
  assert.match(report, /"title":"Loss \(price²\)"/);
});

test('sorted file: the training rows are shuffled (seeded) before the last ones become validation rows', async () => {
  let text = 'year,x,y\n';
  for (let i = 0; i < 100; i++) text += `${1970 + Math.floor(i / 10)},${i % 10},${i}\n`;
  writeFileSync(join(dir, 'sorted.csv'), text);
  const p = await prepareData(join(dir, 'sorted.csv'), { target: 'y', testSize: 0, validationSplit: 0.2, seed: 5 });
  const sx = p.preprocessing.x as StandardScaler;
  const years = Array.from({ length: 100 }, (_, i) => p.xTrain.data[i * 2] * sx.std![0] + sx.mean![0]);
  const lastFifth = years.slice(80).map(Math.round);
  assert.ok(new Set(lastFifth).size >= 5, `validation rows come from across the file: years ${lastFifth}`);
  assert.deepEqual([...years.map(Math.round)].sort(), Array.from({ length: 100 }, (_, i) => 1970 + Math.floor(i / 10)).sort(), 'every row once');
  const again = await prepareData(join(dir, 'sorted.csv'), { target: 'y', testSize: 0, validationSplit: 0.2, seed: 5 });
  assert.deepEqual(again.xTrain.data, p.xTrain.data, 'same seed, same order');
  assert.match(p.notes.at(-1)!, /no test rows \(--test-size 0\), 100 training rows shuffled \(seed 5\); the last 20 of them are the validation rows/);
});

test('binary predictions name their class; predict ignores a missing target; evaluate leaves such rows out', () => {
  let text = ',bill,island,sex\n';
  for (let i = 0; i < 80; i++) text += `${i},${(35 + (i % 10) + (i % 2) * 6).toFixed(1)},${['Biscoe', 'Dream'][i % 2]},${i % 2 ? 'MALE' : 'FEMALE'}\n`;
  writeFileSync(join(dir, 'penguins.csv'), text);
  const r = descent('train', 'penguins.csv', '--target', 'sex', '--epochs', '2', '--seed', '1', '--out', 'm-peng', '--quiet');
  assert.equal(r.code, 0, r.stderr);
  writeFileSync(join(dir, 'new-penguins.csv'), ',bill,island,sex\n0,40.1,Dream,\n1,36.0,Biscoe,NA\n2,41.0,Dream,MALE\n');
  const p = descent('predict', 'm-peng', 'new-penguins.csv');
  assert.equal(p.code, 0, p.stderr);
  const lines = p.stdout.trimEnd().split('\n');
  assert.equal(lines[0], 'prediction,p_MALE');
  assert.equal(lines.length, 4);
  const e = descent('evaluate', 'm-peng', 'new-penguins.csv');
  assert.equal(e.code, 0, e.stderr);
  assert.match(e.stderr, /Left out 2 rows of new-penguins\.csv whose target 'sex' is missing/);
  assert.match(e.stdout, /Evaluated on 1 rows/);
});

test('numbers beyond float32 and unterminated quotes: file, line and column', () => {
  writeFileSync(join(dir, 'huge.csv'), 'a,b,y\n1,2,0\n3,4,1\n5,6,0\n7,1e39,1\n8,9,0\n');
  oneLineError(descent('train', 'huge.csv', '--target', 'y'), /^descent train: error: huge\.csv:5: column 'b': value '1e39' is outside the float32 range/);
  writeFileSync(join(dir, 'digits.csv'), `a,y\n1,0\n${'7'.repeat(100000)},1\n2,0\n`);
  const msg = oneLineError(descent('train', 'digits.csv', '--target', 'y'), /digits\.csv:3: column 'a': value '7{40}\.\.\.' \(100,000 characters\) is outside the float32 range/);
  assert.ok(msg.length < 300);
  writeFileSync(join(dir, 'quote.csv'), 'a,b,y\n1,2,0\n3,"oops,1\n4,5,0\n6,7,1\n');
  oneLineError(descent('train', 'quote.csv', '--target', 'y'), /quote\.csv:3: a quoted field opens here and its closing quote is missing/);
});

test('a run killed while writing its output directory does not block the next run', () => {
  // What an older descent left when killed writing history.json: the model, and the temp file of history.json.
  const r = descent('train', 'prices.csv', '--target', 'price', '--epochs', '1', '--out', 'm-killed', '--quiet');
  assert.equal(r.code, 0, r.stderr);
  rmSync(join(dir, 'm-killed', 'history.json'));
  writeFileSync(join(dir, 'm-killed', '.history.json.12345.0a1b2c3d.tmp'), '{"hist');
  const again = descent('train', 'prices.csv', '--target', 'price', '--epochs', '1', '--out', 'm-killed', '--quiet');
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(readdirSync(join(dir, 'm-killed')).sort(), ['group1-shard1of1.bin', 'history.json', 'model.json', 'report.html']);
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('.m-killed')), [], 'the directory is written in one atomic step: no temp directory left');
});

test('every CLI error names flags the command has, never the library spellings', () => {
  writeFileSync(join(dir, 'one.csv'), 'a,y\n1,p\n' + Array.from({ length: 11 }, (_, i) => `${i},q`).join('\n') + '\n');
  writeFileSync(join(dir, 'nonnum.csv'), 'a,b,y\n1,x,0\n2,3,1\n3,4,0\n');
  writeFileSync(join(dir, 'tiny.csv'), 'a,y\n1,0\n2,1\n3,0\n');
  writeFileSync(join(dir, 'na.csv'), 'a,y\n1,0\nNA,1\n');
  const cases: [string, string[]][] = [
    ['train', ['one.csv', '--target', 'y']], // a class with one row in a stratified split
    ['train', ['tiny.csv', '--target', 'y', '--test-size', '0.9']],
    ['train', ['tiny.csv', '--target', 'y', '--test-size', '0', '--validation-split', '0.9']],
    ['train', ['nonnum.csv', '--target', 'y']],
    ['train', ['cars.csv', '--target', 'Miles_per_Gallon']],
    ['train', ['cars.csv', '--target', 'Miles_per_Gallon', '--drop', 'Name,Sold']],
    ['train', ['cars.csv', '--target', 'Miles_per_Gallon', '--drop', 'Name,Sold', '--missing', 'error', '--features', 'Weight']],
    ['predict', ['m-peng', 'na.csv']],
    ['tune', ['cars.csv', '--target', 'Miles_per_Gallon', '--space', 'space.json', '--storage', 'memory']],
  ];
  writeFileSync(join(dir, 'na.csv'), ',bill,island\n0,NA,Dream\n');
  const helps = new Map<string, string>();
  const errors: string[] = [];
  for (const [cmd, args] of cases) {
    const r = descent(cmd, ...args);
    assert.notEqual(r.code, 0, `${cmd} ${args.join(' ')} should fail`);
    errors.push(r.stderr);
    if (!helps.has(cmd)) helps.set(cmd, descent(cmd, '--help').stdout);
    const help = helps.get(cmd)!;
    for (const flag of r.stderr.match(/--[a-z][a-z-]*/g) ?? []) assert.ok(help.includes(flag), `${cmd} ${args.join(' ')}: names ${flag}, which descent ${cmd} does not have:\n${r.stderr}`);
    assert.doesNotMatch(r.stderr, /\b(testSize|validationSplit|maxCategories|missing: '|categorical: \[|task: '|drop: \[)/, `${cmd} ${args.join(' ')}: library spelling in\n${r.stderr}`);
  }
  assert.match(errors[0], /class 'p' of 'y' has a single row.*pass --test-size 0/);
  assert.match(errors[7], /column 'bill': missing value \('NA'\); the model was trained with --missing error/);
});

test('loading progress is drawn on a terminal for large files, and cleared; never off a terminal', async () => {
  let text = 'a,b,c,y\n';
  for (let i = 0; i < 70000; i++) text += `${i},${(i * 7) % 13},${(i % 100) / 7},${i % 2}\n`;
  writeFileSync(join(dir, 'big.csv'), text);
  let drawn = '';
  const tty = { isTTY: true, write: (s: string) => { drawn += s; return true; } };
  const p = await prepareData(join(dir, 'big.csv'), { target: 'y', testSize: 0, seed: 1, progress: tty });
  assert.equal(p.data.rows, 70000);
  assert.match(drawn, /\rReading big\.csv: pass 1 of 2 \(columns\) +\d+% \([\d.]+ of [\d.]+ MB\)/);
  assert.match(drawn, /\rReading big\.csv: pass 2 of 2 \(encoding\) 100% /);
  assert.ok(drawn.endsWith('\r\x1b[K'), 'the line is cleared at the end');
  // Off a terminal (piped, or --quiet: no stream) nothing is drawn.
  assert.equal(loadingProgress('big.csv', { isTTY: false, write: () => assert.fail('drawn off a terminal') }), undefined);
  assert.equal(loadingProgress('x.csv', undefined), undefined);
});
