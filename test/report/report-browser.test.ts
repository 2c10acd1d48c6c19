// The report page in a real browser (Debian's chromium via playwright-core): it loads offline without
// console errors, every chart draws its series (pixels of each series colour on its canvas), and the
// best-epoch markers and the leaderboard are there. Screenshots go to test-output/.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeReport } from '../../src/report/index.js';
import { CHROMIUM_MISSING, launchChromium } from '../support/browser.js';
import { syntheticHistory, syntheticTrials } from './fixtures.js';

const OUTPUT = fileURLToPath(new URL('../../../test-output/', import.meta.url));

interface ChartInfo { id: string; series: number; colors: string[]; points: number; markers: number }

/** Open a report file, collect errors and outside requests, and measure each chart's canvas. */
async function inspect(file: string, screenshot: string) {
  const session = await launchChromium();
  try {
    const page = await session.context.newPage();
    const errors: string[] = [];
    const external: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      external.push(url); // a self-contained report needs nothing from the network
      return route.abort();
    });
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-rendered]', { timeout: 20_000 });
    const charts = (await page.evaluate('window.__descentReport.charts')) as ChartInfo[];
    // Count the pixels of each series colour (and the marker green) on each chart's canvas.
    const pixels = (await page.evaluate(`(() => {
      const hex = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
      const near = (d, i, c) => Math.abs(d[i] - c[0]) < 40 && Math.abs(d[i + 1] - c[1]) < 40 && Math.abs(d[i + 2] - c[2]) < 40 && d[i + 3] > 128;
      return window.__descentReport.charts.map((info) => {
        const canvas = document.querySelector('#chart-' + info.id + ' canvas');
        const ctx = canvas.getContext('2d');
        const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        const targets = info.colors.map(hex).concat([hex('#2e7d32')]);
        const counts = targets.map(() => 0);
        let nonBlank = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (d[i + 3] > 0) nonBlank++;
          targets.forEach((c, k) => { if (near(d, i, c)) counts[k]++; });
        }
        return { id: info.id, width: canvas.width, nonBlank, series: counts.slice(0, -1), marker: counts[counts.length - 1] };
      });
    })()`)) as { id: string; width: number; nonBlank: number; series: number[]; marker: number }[];
    const leaderboardIds = await page.$$eval('table.leaderboard tbody tr', (rows) => rows.map((r) => Number(r.children[1].textContent)));
    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: join(OUTPUT, screenshot), fullPage: true });
    return { errors, external, charts, pixels, leaderboardIds };
  } finally {
    await session.close();
  }
}

test('report with learning curves and a study renders every chart in chromium', { skip: CHROMIUM_MISSING, timeout: 90_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'descent-report-'));
  try {
    const hist = syntheticHistory();
    const trials = syntheticTrials();
    const file = writeReport(join(dir, 'report.html'), { title: 'Browser test', summary: 'test accuracy 0.9', history: hist, study: { trials, direction: 'minimize', objective: 'val_loss' } });
    const r = await inspect(file, 'report-full.png');
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.external, []);
    // Expected from the inputs: one curve per base metric (train + val), then history + one scatter per hyperparameter.
    const complete = trials.filter((t) => t.status === 'complete');
    assert.deepEqual(r.charts.map((c) => [c.id, c.series]), [
      ['curve-loss', 2], ['curve-accuracy', 2], ['study-history', 2],
      ['study-intermediate', trials.filter((t) => t.intermediate.length >= 2).length], // one line per trial that reported 2+ epochs
      ['hp-lr', 1], ['hp-units', 1], ['hp-optimizer', 1],
    ]);
    for (const c of r.charts.filter((c) => c.id.startsWith('hp-') || c.id === 'study-history')) assert.equal(c.points, complete.length, c.id);
    assert.equal(r.charts.find((c) => c.id === 'study-intermediate')!.points, 5, 'steps 0..4');
    for (const p of r.pixels) {
      assert.ok(p.width > 100, `${p.id}: canvas has a size`);
      assert.ok(p.nonBlank > 500, `${p.id}: canvas is not empty (${p.nonBlank} painted pixels)`);
      p.series.forEach((n, k) => assert.ok(n > 20, `${p.id}: series ${k} drew ${n} pixels of its colour`));
    }
    // The best epoch (and best trial) markers are painted.
    for (const id of ['curve-loss', 'curve-accuracy', 'study-history']) {
      assert.ok(r.pixels.find((p) => p.id === id)!.marker > 20, `${id}: best marker drawn`);
    }
    // Leaderboard: every trial, best (lowest complete value) first.
    assert.equal(r.leaderboardIds.length, trials.length);
    const best = complete.reduce((a, b) => ((b.value as number) < (a.value as number) ? b : a));
    assert.equal(r.leaderboardIds[0], best.id);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('history-only report (no validation) renders one series per metric', { skip: CHROMIUM_MISSING, timeout: 90_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'descent-report-'));
  try {
    const { history } = syntheticHistory(7);
    const file = writeReport(join(dir, 'r.html'), { title: 'No validation', history: { history: { loss: history.loss, mae: history.accuracy } } });
    const r = await inspect(file, 'report-history-only.png');
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.charts.map((c) => [c.id, c.series, c.points]), [['curve-loss', 1, 7], ['curve-mae', 1, 7]]);
    for (const p of r.pixels) assert.ok(p.series[0] > 20, `${p.id} drew its curve`);
    assert.deepEqual(r.leaderboardIds, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('degenerate inputs: a single epoch, a study whose trials all failed', { skip: CHROMIUM_MISSING, timeout: 90_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'descent-report-'));
  try {
    const failed = syntheticTrials().slice(0, 3).map((t) => ({ ...t, status: 'failed' as const, value: null, error: 'boom', intermediate: [] }));
    const file = writeReport(join(dir, 'r.html'), { title: 'Edge cases', history: { history: { loss: [0.5] } }, study: { trials: failed, direction: 'minimize', objective: 'val_loss' } });
    const r = await inspect(file, 'report-degenerate.png');
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.charts.map((c) => [c.id, c.series, c.points]), [['curve-loss', 1, 1], ['study-history', 2, 0]]);
    assert.ok(r.pixels[0].series[0] > 10, `the lone epoch is drawn as a point (${r.pixels[0].series[0]} pixels)`);
    assert.ok(r.pixels[0].marker > 20, 'best epoch marked');
    assert.deepEqual(r.leaderboardIds, [0, 1, 2]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
