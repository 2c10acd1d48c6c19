// The README's examples run as written (in a temp working directory, so their report files go there).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

function runExample(name: string): { code: number; stdout: string; stderr: string; cwd: string } {
  const cwd = mkdtempSync(join(tmpdir(), `descent-example-${name}-`));
  const file = fileURLToPath(new URL(`../../examples/${name}.js`, import.meta.url));
  const r = spawnSync(process.execPath, [file], { cwd, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, cwd };
}

test('examples/xor: all four cases right', () => {
  const r = runExample('xor');
  rmSync(r.cwd, { recursive: true, force: true });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^4\/4 correct$/m);
});

test('examples/iris: accurate, report written, save/load predicts identically', () => {
  const r = runExample('iris');
  try {
    assert.equal(r.code, 0, r.stderr);
    const acc = Number(r.stdout.match(/test accuracy ([\d.]+)%/)![1]);
    assert.ok(acc >= 90, `test accuracy ${acc}%`);
    assert.match(r.stdout, /predictions identical = true/);
    assert.ok(existsSync(join(r.cwd, 'iris-report.html')));
  } finally {
    rmSync(r.cwd, { recursive: true, force: true });
  }
});

test('examples/custom-training-loop: the network fits sin(x)', () => {
  const r = runExample('custom-training-loop');
  rmSync(r.cwd, { recursive: true, force: true });
  assert.equal(r.code, 0, r.stderr);
  const mses = [...r.stdout.matchAll(/mse ([\d.]+)/g)].map((m) => Number(m[1]));
  assert.ok(mses[mses.length - 1] < 0.01 && mses[mses.length - 1] < mses[0] / 50, `mse ${mses.join(' -> ')}`);
  for (const m of r.stdout.matchAll(/sin\(([-\d.]+)\) = ([-\d.]+) +network ([-\d.]+)/g)) {
    assert.ok(Math.abs(Number(m[2]) - Math.sin(Number(m[1]))) < 1e-4, 'the printed reference is sin');
    assert.ok(Math.abs(Number(m[3]) - Number(m[2])) < 0.1, `network close to sin(${m[1]})`);
  }
});

test('examples/tuning: leaderboard, study report, Bayesian optimization near the Branin optimum', () => {
  const r = runExample('tuning');
  try {
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /8 trials: 8 complete/);
    assert.ok(existsSync(join(r.cwd, 'tuning-report.html')));
    const best = Number(r.stdout.match(/Branin, 25 trials: best ([\d.]+)/)![1]);
    assert.ok(best < 1.5, `Branin best ${best} (optimum 0.3979)`);
  } finally {
    rmSync(r.cwd, { recursive: true, force: true });
  }
});

test('examples/write-csv: iris.csv and diabetes.csv with their headers and row counts', () => {
  const r = runExample('write-csv');
  try {
    assert.equal(r.code, 0, r.stderr);
    const iris = readFileSync(join(r.cwd, 'iris.csv'), 'utf8').trimEnd().split('\n');
    assert.equal(iris[0], 'sepal_length,sepal_width,petal_length,petal_width,species');
    assert.equal(iris.length, 151);
    assert.deepEqual([...new Set(iris.slice(1).map((l) => l.split(',')[4]))].sort(), ['setosa', 'versicolor', 'virginica']);
    const diabetes = readFileSync(join(r.cwd, 'diabetes.csv'), 'utf8').trimEnd().split('\n');
    assert.equal(diabetes.length, 769);
    assert.ok(diabetes.slice(1).every((l) => l.split(',').length === 9 && /,[01]$/.test(l)));
  } finally {
    rmSync(r.cwd, { recursive: true, force: true });
  }
});
