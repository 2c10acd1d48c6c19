// Report contents computed in Node: best epochs, best-so-far line, leaderboard order, escaping, a
// self-contained file written atomically, and the ReportCallback driven through the callback hooks.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeReport, renderReport, ReportCallback } from '../../src/report/index.js';
import { buildReportModel, metricDirection } from '../../src/report/report-model.js';
import { CallbackList } from '../../src/callbacks/callback.js';
import { syntheticHistory, syntheticTrials } from './fixtures.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'descent-report-'));

test('learning curves: one chart per metric, best epoch of the validation series marked', () => {
  const m = buildReportModel({ title: 't', history: syntheticHistory() });
  assert.deepEqual(m.charts.map((c) => c.id), ['curve-loss', 'curve-accuracy']);
  const loss = m.charts[0];
  assert.deepEqual(loss.series.map((s) => s.label), ['loss', 'val_loss']);
  assert.deepEqual(loss.x, Array.from({ length: 20 }, (_, i) => i + 1)); // 1-based epochs as the progress bar
  // Fixture: val_loss = 0.3 + 0.002 (e - 11)^2 is smallest at e = 11 (epoch 12); val_accuracy largest at e = 9.
  assert.equal(loss.markers[0].x, 12);
  assert.equal(m.charts[1].markers[0].x, 10);
  assert.deepEqual(m.bestEpoch && [m.bestEpoch.epoch, m.bestEpoch.monitor], [12, 'val_loss']);
  assert.ok(Math.abs(m.bestEpoch!.value - 0.3) < 1e-12);
});

test('epoch offsets (initialEpoch) and non-finite values', () => {
  const m = buildReportModel({ title: 't', history: { history: { loss: [3, NaN, 1, Infinity] }, epoch: [5, 6, 7, 8] } });
  assert.deepEqual(m.charts[0].x, [6, 7, 8, 9]);
  assert.deepEqual(m.charts[0].series[0].values, [3, null, 1, null]);
  assert.equal(m.bestEpoch!.epoch, 8);
});

test('metric direction follows Keras mode auto', () => {
  for (const n of ['accuracy', 'val_accuracy', 'binary_accuracy', 'auc', 'val_precision', 'recall']) assert.equal(metricDirection(n), 'maximize', n);
  for (const n of ['loss', 'val_loss', 'mae', 'mse', 'val_mean_absolute_error']) assert.equal(metricDirection(n), 'minimize', n);
});

test('study: best-so-far is the running minimum of complete trials; leaderboard ranks them', () => {
  const trials = syntheticTrials();
  for (const direction of ['minimize', 'maximize'] as const) {
    const m = buildReportModel({ title: 't', study: { trials, direction, objective: 'val_loss' } });
    const hist = m.charts.find((c) => c.id === 'study-history')!;
    const complete = trials.filter((t) => t.status === 'complete');
    assert.deepEqual(hist.x, complete.map((t) => t.id));
    let best = direction === 'minimize' ? Infinity : -Infinity;
    const expected = complete.map((t) => (best = direction === 'minimize' ? Math.min(best, t.value!) : Math.max(best, t.value!)));
    assert.deepEqual(hist.series[1].values, expected);
    const rows = m.leaderboard!.rows;
    assert.equal(rows.length, trials.length);
    const ranked = rows.filter((r) => r.rank !== null);
    assert.equal(ranked.length, complete.length);
    for (let i = 1; i < ranked.length; i++) {
      const ok = direction === 'minimize' ? ranked[i - 1].value! <= ranked[i].value! : ranked[i - 1].value! >= ranked[i].value!;
      assert.ok(ok, `rank ${i} is in order for ${direction}`);
    }
    assert.deepEqual(rows.slice(complete.length).map((r) => r.status), ['pruned', 'failed']);
  }
});

test('per-epoch objective chart: one line per trial with 2+ reported epochs, coloured by status', () => {
  const trials = syntheticTrials();
  const m = buildReportModel({ title: 't', study: { trials, direction: 'minimize', objective: 'val_loss' } });
  const c = m.charts.find((ch) => ch.id === 'study-intermediate')!;
  assert.deepEqual(c.x, [0, 1, 2, 3, 4]);
  const reporting = trials.filter((t) => t.intermediate.length >= 2);
  assert.equal(c.series.length, reporting.length);
  const pruned = c.series.find((s) => s.label.includes('pruned'))!;
  assert.deepEqual(pruned.values.slice(2), [null, null, null], 'a pruned trial stops where it was stopped');
  assert.equal(new Set(c.series.filter((s) => s.label.includes('complete')).map((s) => s.color)).size, 1);
  assert.notEqual(pruned.color, c.series[0].color);
  assert.equal(c.legend, false, 'eleven lines: no legend');
  // Without intermediate values there is no such chart; an lr key gets no best-epoch marker.
  const plain = buildReportModel({ title: 't', study: { trials: trials.map((t) => ({ ...t, intermediate: [] })), direction: 'minimize', objective: 'v' }, history: { history: { loss: [2, 1], lr: [0.1, 0.01] } } });
  assert.ok(!plain.charts.some((ch) => ch.id === 'study-intermediate'));
  assert.deepEqual(plain.charts.find((ch) => ch.id === 'curve-lr')!.markers, []);
});

test('hyperparameter scatters: log axis for ranges over decades, categories for choices', () => {
  const m = buildReportModel({ title: 't', study: { trials: syntheticTrials(), direction: 'minimize', objective: 'val_loss' } });
  const lr = m.charts.find((c) => c.id === 'hp-lr')!;
  const units = m.charts.find((c) => c.id === 'hp-units')!;
  const opt = m.charts.find((c) => c.id === 'hp-optimizer')!;
  assert.equal(lr.xLog, true);
  assert.equal(units.xLog, false);
  assert.deepEqual(opt.xCategories, ['adam', 'rmsprop', 'sgd']);
  for (const c of [lr, units, opt]) for (let i = 1; i < c.x.length; i++) assert.ok(c.x[i - 1] <= c.x[i], `${c.id} x ascending`);
  // Each scatter point pairs the right value with its objective.
  const trials = syntheticTrials().filter((t) => t.status === 'complete');
  for (let i = 0; i < opt.x.length; i++) {
    const name = opt.xCategories![opt.x[i]];
    assert.ok(trials.some((t) => t.hyperparameters.optimizer === name && t.value === opt.series[0].values[i]));
  }
});

test('the HTML is self-contained and escapes user text', () => {
  const html = renderReport({ title: '<img src=x onerror=alert(1)>', summary: '</script><b>', history: syntheticHistory(3), study: { trials: syntheticTrials(), direction: 'minimize', objective: 'val_loss' } });
  assert.ok(!/<script[^>]+src=/i.test(html), 'no external scripts');
  assert.ok(!/<link[^>]+href=/i.test(html), 'no external stylesheets');
  assert.ok(!/https?:\/\/(?!github\.com\/leeoniya)/.test(html.replace(/http:\/\/www\.w3\.org\/[^"']*/g, '')), 'no URLs but the uPlot banner and SVG namespaces');
  assert.ok(html.includes('uPlot'), 'uPlot inlined');
  assert.ok(!html.includes('<img src=x'), 'title escaped');
  assert.ok(!html.includes('</script><b>'), 'summary escaped');
  assert.ok(!html.includes('<script>\n</script>'));
  // The embedded JSON parses back to the model.
  const json = html.match(/<script id="descent-data" type="application\/json">([\s\S]*?)<\/script>/)![1];
  const model = JSON.parse(json);
  assert.equal(model.title, '<img src=x onerror=alert(1)>');
  assert.equal(model.charts.length, 2 + 2 + 3);
});

test('writeReport writes atomically: no temp files left, an existing report replaced whole', () => {
  const dir = tmp();
  try {
    const path = join(dir, 'sub', 'report.html');
    writeReport(path, { title: 'one', history: syntheticHistory(4) });
    writeFileSync(join(dir, 'keep.txt'), 'x');
    writeReport(path, { title: 'two', history: syntheticHistory(4) });
    assert.deepEqual(readdirSync(join(dir, 'sub')), ['report.html']);
    assert.match(readFileSync(path, 'utf8'), /<title>two<\/title>/);
    assert.throws(() => writeReport(join(dir, 'x.html'), { title: 'nothing' }), /history or a study/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ReportCallback collects epoch logs through the callback hooks and writes at train end', async () => {
  const dir = tmp();
  try {
    const path = join(dir, 'r.html');
    const cb = new ReportCallback(path, { title: 'cb', everyEpoch: true });
    const list = new CallbackList([cb]);
    await list.call('onTrainBegin');
    const losses = [0.9, 0.5, 0.4];
    for (let e = 0; e < 3; e++) {
      // val_loss appears from epoch 1 on: earlier epochs are padded so series stay aligned.
      await list.call('onEpochEnd', e, e === 0 ? { loss: losses[e] } : { loss: losses[e], val_loss: losses[e] + 0.1 });
      if (e === 0) assert.match(readFileSync(path, 'utf8'), /<title>cb<\/title>/, 'everyEpoch writes after the first epoch');
    }
    await list.call('onTrainEnd');
    assert.deepEqual(cb.history.loss, losses);
    assert.ok(Number.isNaN(cb.history.val_loss[0]));
    assert.deepEqual(cb.history.val_loss.slice(1).map((v) => Math.round(v * 10) / 10), [0.6, 0.5]);
    const model = JSON.parse(readFileSync(path, 'utf8').match(/<script id="descent-data" type="application\/json">([\s\S]*?)<\/script>/)![1]);
    assert.deepEqual(model.charts[0].series[1].values, [null, 0.6, 0.5].map((v, i) => (v === null ? null : losses[i] + 0.1)));
    assert.equal(model.bestEpoch.epoch, 3);
    assert.throws(() => new ReportCallback(''), /path/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
