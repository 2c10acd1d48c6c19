// Terminal chart: the curve's glyphs sit in the rows the value-to-row map gives, within the requested size.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { textChart, sparkline } from '../../src/report/index.js';

/** The plot area (rows between the title and the x axis), without the tick labels. */
function plotRows(chart: string, hasTitle: boolean, axis = '┤'): string[] {
  const lines = chart.split('\n');
  const body = lines.slice(hasTitle ? 1 : 0, -2);
  return body.map((l) => l.slice(l.indexOf(axis) + 1));
}

test('a decreasing curve starts in the top row and ends in the bottom row', () => {
  const values = Array.from({ length: 30 }, (_, i) => 1 / (1 + i)); // 1 .. 1/30
  const chart = textChart(values, { width: 40, height: 8, label: 'loss' });
  const rows = plotRows(chart, true);
  assert.equal(rows.length, 8);
  assert.ok(rows.every((r) => r.length === 29), 'one column per transition (30 points -> 29 columns)');
  assert.notEqual(rows[0][0], ' ', 'first value (the maximum) is in the top row');
  assert.notEqual(rows[7][28], ' ', 'last value (the minimum) is in the bottom row');
  assert.match(chart.split('\n')[0], /^loss {2}\(min 0\.0333 at epoch 30, last 0\.0333\)$/);
  // Tick labels: top is the max, bottom the min.
  const lines = chart.split('\n');
  assert.match(lines[1], /^1\.0000 ┤/);
  assert.match(lines[8], /^0\.0333 ┤/);
});

test('long curves are resampled to the width; every column holds part of the line', () => {
  const values = Array.from({ length: 500 }, (_, i) => Math.sin(i / 40));
  const rows = plotRows(textChart(values, { width: 50, height: 12 }), false);
  assert.ok(rows.every((r) => r.length === 50));
  for (let c = 0; c < 50; c++) assert.ok(rows.some((r) => r[c] !== ' '), `column ${c} has a glyph`);
});

test('a rising step draws the corners and the vertical in one column', () => {
  // Two points, min and max: one column, rising from the bottom row to the top row.
  const rows = plotRows(textChart([0, 1], { height: 4, width: 1 }), false);
  assert.deepEqual(rows, ['╭', '│', '│', '╯']);
  const down = plotRows(textChart([1, 0], { height: 3, width: 1, charset: 'ascii' }), false, '|');
  assert.deepEqual(down, ['\\', '|', '\\']);
});

test('short curves are stretched by whole columns per epoch so each point stays on a column', () => {
  // 4 points, width 30: 10 columns per transition; the value of point k is at column 10k (its row by the map).
  const v = [4, 1, 3, 2];
  const rows = plotRows(textChart(v, { width: 30, height: 4 }), false);
  assert.ok(rows.every((r) => r.length === 30));
  const rowOf = (x: number) => Math.round(((4 - x) / 3) * 3);
  for (let k = 0; k < 3; k++) assert.notEqual(rows[rowOf(v[k])][10 * k], ' ', `point ${k}`);
  assert.notEqual(rows[rowOf(2)][29], ' ', 'last point');
});

test('constant, single and non-finite inputs', () => {
  const flat = plotRows(textChart([2, 2, 2], { height: 5, width: 2 }), false);
  assert.deepEqual(flat, ['  ', '  ', '──', '  ', '  ']);
  assert.ok(textChart([0.5], { label: 'x' }).includes('●'));
  assert.equal(textChart([NaN, Infinity], { label: 'loss' }), 'loss: (no finite values to plot)');
  const ascii = textChart([3, 1, 2, 0.5], { charset: 'ascii', label: 'l' });
  assert.ok(/^[\x20-\x7e\n]+$/.test(ascii), 'ascii charset uses ASCII only');
});

test('sparkline maps min to the lowest bar and max to the highest', () => {
  assert.equal(sparkline([0, 7, 3.5, NaN, 1]), '▁█▅ ▂');
  assert.equal(sparkline([1, 1]), '▄▄');
});
