// The descent command, run as users run it: `node dist/src/cli/main.js ...` on small CSV files in a temp dir.
// Happy paths check numbers the test computes itself (accuracy from the predictions file, parameter counts by
// hand); bad input must give one line on stderr, no stack trace, and the documented exit code.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, readFileSync, existsSync, readdirSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
let dir = '';

function descent(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, DESCENT_STUDY_DIR: join(dir, 'studies') } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A deterministic uniform generator (LCG), so the files are the same on every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** Binary: label 'yes' iff a + b + [color = red] > 0.3 (separable), 240 rows. */
function binaryCsv(): { text: string; labels: string[] } {
  const r = lcg(1);
  const labels: string[] = [];
  let text = 'a,b,color,label\n';
  for (let i = 0; i < 240; i++) {
    const a = r() * 4 - 2, b = r() * 4 - 2, c = ['red', 'green', 'blue'][i % 3];
    const y = a + b + (c === 'red' ? 1 : 0) > 0.3 ? 'yes' : 'no';
    labels.push(y);
    text += `${a.toFixed(3)},${b.toFixed(3)},${c},${y}\n`;
  }
  return { text, labels };
}

/** Three classes by the angle of (x1, x2). */
function multiclassCsv(): { text: string; labels: string[] } {
  const r = lcg(2);
  const labels: string[] = [];
  let text = 'x1,x2,species\n';
  for (let i = 0; i < 240; i++) {
    const x1 = r() * 2 - 1, x2 = r() * 2 - 1;
    const y = ['setosa', 'versicolor', 'virginica'][Math.floor(((Math.atan2(x2, x1) + Math.PI) / (2 * Math.PI)) * 3) % 3];
    labels.push(y);
    text += `${x1.toFixed(4)},${x2.toFixed(4)},${y}\n`;
  }
  return { text, labels };
}

/** Regression on a large scale: price = 1000 (3 a - 2 b) + 50000. */
function regressionCsv(): string {
  const r = lcg(3);
  let text = 'a,b,price\n';
  for (let i = 0; i < 200; i++) {
    const a = r() * 2 - 1, b = r() * 2 - 1;
    text += `${a.toFixed(4)},${b.toFixed(4)},${(1000 * (3 * a - 2 * b) + 50000).toFixed(2)}\n`;
  }
  return text;
}

const bin = binaryCsv();
const multi = multiclassCsv();

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'descent-cli-'));
  writeFileSync(join(dir, 'bin.csv'), bin.text);
  writeFileSync(join(dir, 'multi.csv'), multi.text);
  writeFileSync(join(dir, 'reg.csv'), regressionCsv());
  writeFileSync(join(dir, 'ragged.csv'), 'a,b,label\n1,2,yes\n3,4\n5,6,no\n');
  writeFileSync(join(dir, 'nonnumeric.csv'), 'a,b,label\n1,2,yes\n3,4,no\n5,6,no\n7,abc,yes\n8,9,no\n');
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A failing command: exit code, a single stderr line, no stack trace. */
function assertOneLineError(r: ReturnType<typeof descent>, code: number, pattern: RegExp): void {
  assert.equal(r.code, code, `exit code (stderr: ${r.stderr})`);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one stderr line, got:\n${r.stderr}`);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
}

test('train (binary): Keras progress, test metrics, saved model directory with history and report', () => {
  const r = descent('train', 'bin.csv', '--target', 'label', '--epochs', '40', '--lr', '0.01', '--seed', '1', '--out', 'm-bin');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Epoch 1\/40$/m);
  assert.match(r.stdout, /val_accuracy: \d\.\d{4}/);
  const acc = Number(r.stdout.match(/^Test \(48 rows\): loss: [\d.]+ - accuracy: ([\d.]+)$/m)![1]); // ceil(0.2 * 240) test rows
  assert.ok(acc >= 0.9, `separable data: test accuracy ${acc}`);
  for (const f of ['model.json', 'history.json', 'report.html']) assert.ok(existsSync(join(dir, 'm-bin', f)), f);
  const h = JSON.parse(readFileSync(join(dir, 'm-bin', 'history.json'), 'utf8'));
  assert.equal(h.history.loss.length, 40);
  assert.ok(h.history.loss[39] < h.history.loss[0], 'loss went down');
  assert.match(r.stdout, /Report: .*m-bin\/report\.html/);
});

test('predict: one row per input row, classes by threshold, accuracy agrees with evaluate', () => {
  const r = descent('predict', 'm-bin', 'bin.csv');
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines[0], 'prediction,p_yes', 'the probability column is named after its class');
  assert.equal(lines.length, bin.labels.length + 1);
  let correct = 0;
  lines.slice(1).forEach((l, i) => {
    const [pred, p] = l.split(',');
    assert.equal(pred, Number(p) >= 0.5 ? 'yes' : 'no', `row ${i}: class follows the probability of 'yes'`);
    if (pred === bin.labels[i]) correct++;
  });
  const accFromPredictions = correct / bin.labels.length;
  const e = descent('evaluate', 'm-bin', 'bin.csv', '--json');
  assert.equal(e.code, 0, e.stderr);
  const metrics = JSON.parse(e.stdout);
  assert.ok(Math.abs(metrics.accuracy - accFromPredictions) < 1e-6, `evaluate ${metrics.accuracy} vs predictions ${accFromPredictions}`);
  // --out writes the same CSV to a file.
  const o = descent('predict', 'm-bin', 'bin.csv', '--out', 'preds.csv');
  assert.equal(o.code, 0, o.stderr);
  assert.equal(readFileSync(join(dir, 'preds.csv'), 'utf8'), r.stdout);
});

test('summary: Keras table with parameter counts computed by hand, columns and target', () => {
  const r = descent('summary', 'm-bin');
  assert.equal(r.code, 0, r.stderr);
  // inputs: a, b and color one-hot (3) = 5; default hidden [32, 16]; output 1.
  const params = (5 * 32 + 32) + (32 * 16 + 16) + (16 * 1 + 1);
  assert.match(r.stdout, new RegExp(`Total params: ${params}\\b`));
  assert.match(r.stdout, /Target: 'label', binary \(classes: no, yes\)/);
  assert.match(r.stdout, /Input columns \(3\): a, b, color \(one-hot: 3 categories\)/);
});

test('report: from a model directory (beside it, keeping the report train wrote) and from a history.json file', () => {
  const trained = readFileSync(join(dir, 'm-bin', 'report.html'), 'utf8');
  const r = descent('report', 'm-bin');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(join(dir, 'm-bin', 'report.html'), 'utf8'), trained, "train's report is kept");
  const again = readFileSync(join(dir, 'm-bin-report.html'), 'utf8');
  assert.match(again, /Data: bin\.csv \(240 rows, 5 features\)/, 'as rich as the one train wrote: the run summary comes from history.json');
  assert.match(again, /Test metrics: loss: /);
  writeFileSync(join(dir, 'h.json'), JSON.stringify({ history: { loss: [1, 0.5, null], val_loss: [1.1, 0.7, 0.6] } }));
  const r2 = descent('report', 'h.json', '--title', 'From history');
  assert.equal(r2.code, 0, r2.stderr);
  const html = readFileSync(join(dir, 'h.html'), 'utf8');
  assert.match(html, /<title>From history<\/title>/);
  // Keras's own dump, json.dump(history.history, f), works too.
  writeFileSync(join(dir, 'keras.json'), JSON.stringify({ loss: [0.9, 0.4], accuracy: [0.5, 0.8] }));
  assert.equal(descent('report', 'keras.json').code, 0);
  assert.match(readFileSync(join(dir, 'keras.html'), 'utf8'), /"id":"curve-accuracy"/);
  writeFileSync(join(dir, 'notes.json'), JSON.stringify({ hello: 'world' }));
  assertOneLineError(descent('report', 'notes.json'), 1, /notes\.json is not a training history/);
  assertOneLineError(descent('report', 'nope'), 1, /Not found: nope/);
});

test('multiclass: softmax output, one probability column per class summing to 1', () => {
  const r = descent('train', 'multi.csv', '--target', 'species', '--epochs', '60', '--lr', '0.02', '--seed', '2', '--out', 'm-multi', '--quiet');
  assert.equal(r.code, 0, r.stderr);
  const acc = Number(r.stdout.match(/accuracy: ([\d.]+)/)![1]);
  assert.ok(acc >= 0.8, `test accuracy ${acc}`);
  const p = descent('predict', 'm-multi', 'multi.csv');
  const lines = p.stdout.trimEnd().split('\n');
  assert.equal(lines[0], 'prediction,p_setosa,p_versicolor,p_virginica');
  for (const l of lines.slice(1)) {
    const [pred, ...ps] = l.split(',');
    const probs = ps.map(Number);
    assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 1e-4);
    assert.equal(pred, ['setosa', 'versicolor', 'virginica'][probs.indexOf(Math.max(...probs))]);
  }
});

test('regression: target standardized for training, metrics and predictions in its own units', () => {
  const r = descent('train', 'reg.csv', '--target', 'price', '--epochs', '60', '--lr', '0.01', '--seed', '3', '--out', 'm-reg', '--quiet');
  assert.equal(r.code, 0, r.stderr);
  const r2 = Number(r.stdout.match(/r2: ([-\d.]+)/)![1]);
  assert.ok(r2 > 0.95, `r2 ${r2}`);
  // Predictions come back in the price scale (around 50000), and close to the formula.
  const p = descent('predict', 'm-reg', 'reg.csv');
  const preds = p.stdout.trimEnd().split('\n').slice(1).map(Number);
  const rows = readFileSync(join(dir, 'reg.csv'), 'utf8').trimEnd().split('\n').slice(1).map((l) => l.split(',').map(Number));
  const mae = rows.reduce((s, [, , y], i) => s + Math.abs(y - preds[i]), 0) / rows.length;
  assert.ok(mae < 600, `mean absolute error ${mae} on a target with std ~2100`);
});

test('--model spec.json: hidden layers from the spec', () => {
  writeFileSync(join(dir, 'spec.json'), JSON.stringify({ hidden: [8], activation: 'tanh', optimizer: 'sgd', learningRate: 0.1 }));
  const r = descent('train', 'bin.csv', '--target', 'label', '--model', 'spec.json', '--epochs', '2', '--out', 'm-spec', '--quiet');
  assert.equal(r.code, 0, r.stderr);
  const s = descent('summary', 'm-spec');
  assert.match(s.stdout, new RegExp(`Total params: ${5 * 8 + 8 + 8 + 1}\\b`));
  writeFileSync(join(dir, 'bad-spec.json'), JSON.stringify({ hiden: [8] }));
  assertOneLineError(descent('train', 'bin.csv', '--target', 'label', '--model', 'bad-spec.json'), 1, /unknown key 'hiden'/);
});

test('tune: a small random search prints the leaderboard and writes the study report', () => {
  writeFileSync(join(dir, 'space.json'), JSON.stringify({ units: { type: 'int', min: 4, max: 16, step: 4 }, learningRate: { type: 'float', min: 0.001, max: 0.1, sampling: 'log' } }));
  const r = descent('tune', 'bin.csv', '--target', 'label', '--space', 'space.json', '--trials', '3', '--epochs', '3', '--seed', '1', '--storage', 'memory', '--study', 's1');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /3 trials: 3 complete/);
  assert.equal((r.stdout.match(/^\[\d\/3\] trial \d complete val_loss=/gm) ?? []).length, 3);
  assert.match(r.stdout, /Best model on the test set \(48 rows\): loss: [\d.]+ - accuracy: [\d.]+/);
  assert.ok(existsSync(join(dir, 's1-report.html')));
  // A study in a directory store: resumable by name, and `descent report <dir>` draws it.
  const d = descent('tune', 'bin.csv', '--target', 'label', '--space', 'space.json', '--trials', '2', '--epochs', '2', '--seed', '1', '--storage', 'store', '--study', 's2', '--objective', 'val_accuracy', '--quiet');
  assert.equal(d.code, 0, d.stderr);
  const again = descent('tune', 'bin.csv', '--target', 'label', '--space', 'space.json', '--trials', '3', '--epochs', '2', '--seed', '1', '--storage', 'store', '--study', 's2', '--objective', 'val_accuracy', '--quiet');
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /3 trials: 3 complete/, 'the re-run resumed the study: one new trial, not three');
  const rep = descent('report', 'store');
  assert.equal(rep.code, 0, rep.stderr);
  const html = readFileSync(join(dir, 'store', 's2-report.html'), 'utf8');
  assert.match(html, /Optimisation history \(val_accuracy, maximize\)/, 'objective name recovered from the trials');
  writeFileSync(join(dir, 'bad-space.json'), JSON.stringify({ momentum: [0.9] }));
  assertOneLineError(descent('tune', 'bin.csv', '--target', 'label', '--space', 'bad-space.json'), 1, /no hyperparameter 'momentum'/);
});

// ---------------------------------------------------------------- bad input

test('missing data file: exit 1, the path named', () => {
  assertOneLineError(descent('train', 'missing.csv', '--target', 'label'), 1, /^descent train: error: CSV file not found: missing\.csv$/);
});

test('unknown target column: the columns are listed', () => {
  assertOneLineError(descent('train', 'bin.csv', '--target', 'lable'), 1, /Unknown target column 'lable'.*Columns: 'a', 'b', 'color', 'label'/);
});

test('non-numeric value in a numeric column: row and column named', () => {
  assertOneLineError(descent('train', 'nonnumeric.csv', '--target', 'label'), 1, /nonnumeric\.csv:5: column 'b': non-numeric value 'abc'/);
});

test('ragged CSV: the line and field counts', () => {
  assertOneLineError(descent('train', 'ragged.csv', '--target', 'label'), 1, /ragged\.csv:3: ragged row: 2 fields, expected 3/);
});

test('prediction files that do not match the training columns', () => {
  writeFileSync(join(dir, 'no-b.csv'), 'a,color\n1,red\n');
  assertOneLineError(descent('predict', 'm-bin', 'no-b.csv'), 1, /no-b\.csv has no column 'b' \(the model was trained with it\)/);
  writeFileSync(join(dir, 'purple.csv'), 'a,b,color\n1,2,purple\n');
  assertOneLineError(descent('predict', 'm-bin', 'purple.csv'), 1, /purple\.csv:2: column 'color': unknown category 'purple' \(known: 'blue', 'green', 'red'\)/);
  writeFileSync(join(dir, 'unlabelled.csv'), 'a,b,color\n1,2,red\n');
  assertOneLineError(descent('evaluate', 'm-bin', 'unlabelled.csv'), 1, /unlabelled\.csv has no target column 'label'/);
  const p = descent('predict', 'm-bin', 'unlabelled.csv');
  assert.equal(p.code, 0, p.stderr);
  assert.equal(p.stdout.trimEnd().split('\n').length, 2);
});

test('model directory without weights, or not a model', () => {
  const m = descent('train', 'bin.csv', '--target', 'label', '--epochs', '1', '--out', 'm-broken', '--quiet');
  assert.equal(m.code, 0, m.stderr);
  for (const f of readdirSync(join(dir, 'm-broken'))) if (f.endsWith('.bin')) unlinkSync(join(dir, 'm-broken', f));
  assertOneLineError(descent('predict', 'm-broken', 'bin.csv'), 1, /group1-shard1of1\.bin not found/);
  assertOneLineError(descent('evaluate', 'nowhere', 'bin.csv'), 1, /Model directory not found: nowhere/);
  assertOneLineError(descent('summary', 'studies-or-nothing'), 1, /not found/i);
});

test('--out that saving would clobber is refused before training', () => {
  mkdirSync(join(dir, 'mine'));
  writeFileSync(join(dir, 'mine', 'notes.txt'), 'keep me');
  assertOneLineError(descent('train', 'bin.csv', '--target', 'label', '--out', 'mine'), 1, /--out mine already holds files that are not part of a saved model \(notes\.txt\)/);
  assert.equal(readFileSync(join(dir, 'mine', 'notes.txt'), 'utf8'), 'keep me');
  assertOneLineError(descent('train', 'bin.csv', '--target', 'label', '--out', '.'), 1, /--out \. is the working directory/);
  assert.ok(existsSync(join(dir, 'bin.csv')));
  // Re-training into a model directory is fine (it only holds what descent wrote).
  const r = descent('train', 'bin.csv', '--target', 'label', '--epochs', '1', '--out', 'm-spec', '--quiet');
  assert.equal(r.code, 0, r.stderr);
});

test('usage errors exit 2 and point at --help', () => {
  assertOneLineError(descent('train', 'bin.csv'), 2, /^descent train: missing --target <column>.*--help/);
  assertOneLineError(descent('train', 'bin.csv', '--target', 'label', '--epochs', 'ten'), 2, /--epochs must be an integer >= 1, got 'ten'/);
  assertOneLineError(descent('train', 'bin.csv', '--target', 'label', '--validation-split', '1.5'), 2, /--validation-split must be a number in \[0, 1\)/);
  assertOneLineError(descent('train', 'bin.csv', '--target', 'label', '--bogus'), 2, /Unknown option '--bogus'/);
  assertOneLineError(descent('predict', 'm-bin'), 2, /missing <data.csv>/);
  assertOneLineError(descent('frobnicate'), 2, /unknown command 'frobnicate'/);
  assertOneLineError(descent('tune', 'bin.csv', '--target', 'label', '--space', 'space.json', '--tuner', 'genetic'), 2, /--tuner must be one of random, grid, bayesian, hyperband, tpe/);
  const none = descent();
  assert.equal(none.code, 2);
  assert.match(none.stderr, /Usage: descent <command>/);
});

test('--verbose adds the stack trace', () => {
  const r = descent('train', 'missing.csv', '--target', 'label', '--verbose');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /CSV file not found/);
  assert.match(r.stderr, /^\s+at /m);
});

test('--help on every command exits 0 with its usage', () => {
  for (const c of ['train', 'predict', 'evaluate', 'summary', 'report', 'tune', 'tune-worker']) {
    const r = descent(c, '--help');
    assert.equal(r.code, 0, `${c}: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^Usage: descent ${c}`), c);
  }
  const top = descent('--help');
  assert.equal(top.code, 0);
  assert.match(top.stdout, /Exit codes: 0 success, 1 runtime error.*2 usage error/);
});
