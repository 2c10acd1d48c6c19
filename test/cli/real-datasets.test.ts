// The descent command on real public data shipped by the vega-datasets npm package (a dev dependency; nothing is
// downloaded): Seattle weather (a date per row) and the cars data (names, dates, missing values), the latter written
// as pandas' to_csv() would (index column, empty cells for nulls).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, copyFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const require = createRequire(import.meta.url);
let data: string | null = null;
try {
  data = join(dirname(require.resolve('vega-datasets')), '..', 'data'); // build/index.js -> data/
} catch {
  data = null;
}
const skip = data && existsSync(join(data, 'seattle-weather.csv')) ? false : 'vega-datasets is not installed (npm install)';
let dir = '';

function descent(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** pandas' DataFrame.to_csv(): an unnamed index column first, None as an empty cell, quotes where needed. */
function toPandasCsv(rows: Record<string, unknown>[]): string {
  const cols = Object.keys(rows[0]);
  const cell = (v: unknown) => (v === null || v === undefined ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  return [',' + cols.map(cell).join(','), ...rows.map((r, i) => [i, ...cols.map((c) => cell(r[c]))].join(','))].join('\n') + '\n';
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'descent-vega-'));
  if (skip) return;
  copyFileSync(join(data!, 'seattle-weather.csv'), join(dir, 'seattle-weather.csv'));
  writeFileSync(join(dir, 'cars.csv'), toPandasCsv(JSON.parse(readFileSync(join(data!, 'cars.json'), 'utf8'))));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('Seattle weather: the date column is refused with the fix in one short line; with --drop date it trains', { skip }, () => {
  const r = descent('train', 'seattle-weather.csv', '--target', 'weather');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /'date' holds dates or times with 1,461 distinct values \('2012-01-01', \.\.\.\)\. Leave it out with --drop date/);
  assert.ok(r.stderr.length < 500, `one readable line, not ${r.stderr.length} characters`);
  const ok = descent('train', 'seattle-weather.csv', '--target', 'weather', '--drop', 'date', '--epochs', '10', '--seed', '1', '--out', 'm-weather', '--quiet');
  assert.equal(ok.code, 0, ok.stderr);
  const acc = Number(ok.stdout.match(/^Test \(293 rows\): loss: [\d.]+ - accuracy: ([\d.]+)$/m)![1]);
  assert.ok(acc > 0.6, `test accuracy ${acc}`);
  const p = descent('predict', 'm-weather', 'seattle-weather.csv');
  assert.equal(p.stdout.split('\n')[0], 'prediction,p_drizzle,p_fog,p_rain,p_snow,p_sun');
});

test('cars (as pandas writes it): index left out, names refused, model years noted, missing targets dropped, r2 in range', { skip }, () => {
  const r = descent('train', 'cars.csv', '--target', 'Miles_per_Gallon');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /a text column has more distinct values than --max-categories 100 allows.*'Name' is text with \d+ distinct values.*--drop Name/);
  const ok = descent('train', 'cars.csv', '--target', 'Miles_per_Gallon', '--drop', 'Name', '--missing', 'mean', '--epochs', '40', '--seed', '1', '--out', 'm-cars');
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /^Left out the first column \(unnamed in the header/m);
  assert.match(ok.stdout, /^Dropped 8 rows whose target 'Miles_per_Gallon' is missing\.$/m);
  assert.match(ok.stdout, /^Loaded 398 rows x 20 features from cars\.csv; target 'Miles_per_Gallon': regression\.$/m);
  assert.match(ok.stdout, /^Column 'Year' holds dates or times \(12 distinct values/m);
  const r2 = Number(ok.stdout.match(/^Test \(80 rows\): mse: [\d.]+ - rmse: [\d.]+ - mae: [\d.]+ - r2: ([-\d.]+)$/m)![1]);
  assert.ok(r2 > 0.8, `test r2 ${r2}`);
  // The last epoch's val_loss (mse in mpg²) is on the scale of the test mse, not of a standardized target.
  const h = JSON.parse(readFileSync(join(dir, 'm-cars', 'history.json'), 'utf8'));
  const mse = Number(ok.stdout.match(/^Test \(80 rows\): mse: ([\d.]+)/m)![1]);
  assert.ok(h.history.val_loss.at(-1) > mse / 5 && h.history.val_loss.at(-1) < mse * 5, `val_loss ${h.history.val_loss.at(-1)} vs test mse ${mse}`);
});
