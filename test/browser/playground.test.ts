// The playground in a real browser (Debian's chromium via playwright-core), served by `descent playground`'s
// server: it loads without console errors, Adam on Rosenbrock reaches the minimum's neighbourhood, training lowers
// the shown loss and redraws the decision boundary, a tuning run lists its trials, every control is labelled and
// reachable by keyboard, a seeded run in the page's worker equals the same run in Node, and the browser bundle
// saves a model to IndexedDB and loads it back. Screenshots go to test-output/.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { CHROMIUM_MISSING, launchChromium } from '../support/browser.js';
import { startPlayground } from '../../src/cli/commands/playground.js';
import { DEFAULT_NET, seededRun, type NetConfig, type EpochResult } from '../../playground/src/engine.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const OUTPUT = join(root, 'test-output');

test('the playground in chromium', { skip: CHROMIUM_MISSING, timeout: 180_000 }, async (t) => {
  // The page is bundled from the compiled sources (as npm run build does), so it is never stale here.
  const { buildAll } = (await import(join(root, 'browser/build.mjs'))) as { buildAll(): Promise<void> };
  await buildAll();
  const { url, server } = await startPlayground({ port: 0 });
  const session = await launchChromium();
  mkdirSync(OUTPUT, { recursive: true });
  const errors: string[] = [];
  try {
    const page = await session.context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForSelector('body[data-ready]', { timeout: 30_000 });
    assert.match(await page.textContent('#backend') ?? '', /WebAssembly kernels/, 'the server isolates the page, so the wasm kernels load');

    await t.test('Adam on Rosenbrock reaches the neighbourhood of (1, 1); SGD at the same rate diverges and says so', async () => {
      await page.selectOption('#surface', 'rosenbrock');
      await page.click('#race-run');
      // The legend of the previous surface's race stays until the worker answers: wait for Rosenbrock's result
      // (Adam's end point near (1, 1)) rather than reading whichever legend is there first.
      const adamEnd = () => page.$eval('#race-legend li[data-racer="adam"]', (li) => [Number(li.getAttribute('data-x')), Number(li.getAttribute('data-y'))]).catch(() => [NaN, NaN]);
      const reached = await page
        .waitForFunction(() => {
          const li = document.querySelector('#race-legend li[data-racer="adam"]');
          return !!li && Math.hypot(Number(li.getAttribute('data-x')) - 1, Number(li.getAttribute('data-y')) - 1) < 0.05;
        }, undefined, { timeout: 30_000 })
        .then(() => true, () => false);
      const adam = await adamEnd();
      assert.ok(reached && Math.hypot(adam[0] - 1, adam[1] - 1) < 0.05, `Adam ended at ${adam}`);
      await page.waitForSelector('#race[data-done]', { timeout: 30_000 });
      assert.match(await page.textContent('#race-legend li[data-racer="sgd"]') ?? '', /diverged at step \d+/);
      await page.screenshot({ path: join(OUTPUT, 'playground-race.png'), fullPage: true });
    });

    await t.test('pressing Train lowers the shown loss and redraws the decision boundary', async () => {
      await page.click('#tab-train');
      await page.selectOption('#dataset', 'xor');
      await page.waitForFunction(() => document.getElementById('epoch')!.textContent === '0');
      const before = await page.$eval('#boundary', (c) => (c as HTMLCanvasElement).toDataURL());
      await page.click('#train-toggle');
      await page.waitForFunction(() => Number(document.getElementById('epoch')!.textContent) >= 3);
      const first = JSON.parse((await page.getAttribute('#train', 'data-losses'))!)[0][0] as number;
      const during = await page.$eval('#boundary', (c) => (c as HTMLCanvasElement).toDataURL());
      await page.waitForFunction((l0) => {
        const h = JSON.parse(document.getElementById('train')!.dataset.losses ?? '[]') as number[][];
        return h.length >= 30 && h[h.length - 1][0] < 0.8 * l0;
      }, first, { timeout: 60_000 });
      await page.click('#train-toggle'); // pause
      const shown = Number(await page.textContent('#train-loss'));
      assert.ok(shown < first, `shown loss ${shown} vs first epoch ${first}`);
      const after = await page.$eval('#boundary', (c) => (c as HTMLCanvasElement).toDataURL());
      assert.notEqual(before, during, 'the boundary changed once training started');
      assert.notEqual(during, after, 'and kept changing while it trained');
      await page.screenshot({ path: join(OUTPUT, 'playground-train.png'), fullPage: true });
    });

    await t.test('a tuning run lists its trials as they complete', async () => {
      await page.click('#tab-tune');
      await page.fill('#tune-trials', '4');
      await page.fill('#tune-epochs', '5');
      await page.click('#tune-run');
      await page.waitForFunction(() => document.querySelectorAll('#trials tbody tr').length === 4 && !(document.getElementById('tune-run') as HTMLButtonElement).disabled, null, { timeout: 60_000 });
      const rows = await page.$$eval('#trials tbody tr', (trs) => trs.map((tr) => Array.from(tr.children, (td) => td.textContent)));
      for (const [i, row] of rows.entries()) {
        assert.equal(row[0], String(i + 1));
        assert.ok(Number(row[1]) >= 0.001 && Number(row[1]) <= 1, `learning rate ${row[1]}`);
        assert.ok(Number.isInteger(Number(row[2])), `units ${row[2]}`);
        assert.ok(Number.isFinite(Number(row[3])), `value ${row[3]}`);
      }
      await page.screenshot({ path: join(OUTPUT, 'playground-tune.png'), fullPage: true });
    });

    await t.test('every control is labelled and reachable with the Tab key', async () => {
      for (const tab of ['race', 'train', 'tune']) {
        await page.click(`#tab-${tab}`);
        await checkKeyboard(page, tab);
      }
      // Arrow keys move between the tabs (the ARIA tabs pattern).
      await page.focus('#tab-tune');
      await page.keyboard.press('ArrowRight');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'tab-race');
      assert.equal(await page.getAttribute('#race', 'hidden'), null);
    });

    await t.test('a seeded run in the page equals the same run in Node to float rounding', async () => {
      const config: NetConfig = { ...DEFAULT_NET, dataset: 'spirals', hidden: [6, 6], dropout: 0.1, l2: 0.001, batchSize: 8, seed: 7 };
      const inPage = (await page.evaluate((c) => (window as unknown as { playground: { seededRun(n: number, c: unknown): Promise<unknown> } }).playground.seededRun(4, c), config)) as EpochResult[];
      const inNode = await seededRun(config, 4);
      assert.equal(inPage.length, 4);
      inNode.forEach((e, i) => {
        for (const k of ['loss', 'valLoss'] as const) assert.ok(Math.abs(inPage[i][k] - e[k]) <= 1e-5 * Math.abs(e[k]), `epoch ${i + 1} ${k}: page ${inPage[i][k]}, node ${e[k]}`);
        assert.equal(inPage[i].batchLosses.length, e.batchLosses.length);
      });
    });

    await t.test('the browser bundle saves to IndexedDB and loads back, and downloads model.json with its weights', async () => {
      const result = await page.evaluate(async () => {
        const d = await import('/descent/descent.js' as string);
        const backend = await d.ready();
        d.setSeed(1);
        const model = new d.Sequential();
        model.add(new d.Dense({ units: 4, activation: 'relu', inputShape: [2] }));
        model.add(new d.Dense({ units: 1 }));
        model.compile({ optimizer: 'adam', loss: 'mse' });
        await model.fit(d.tensor([[0, 1], [1, 0]]), d.tensor([[1], [0]]), { epochs: 2, verbose: 0 });
        await model.save('indexeddb://pg-test');
        const listed = await d.listModels();
        const loaded = await d.loadModel('indexeddb://pg-test');
        const x = d.tensor([[0.5, -0.25]]);
        const same = Array.from(model.predict(x).data).join() === Array.from(loaded.predict(x).data).join();
        await d.removeModel('indexeddb://pg-test');
        const missing = await d.loadModel('indexeddb://pg-test').then(() => '', (e: Error) => e.message);
        return { backend, listed, same, missing };
      });
      assert.equal(result.backend, 'wasm');
      assert.ok(result.listed.includes('indexeddb://pg-test'), String(result.listed));
      assert.equal(result.same, true);
      assert.match(result.missing, /No model named 'pg-test' in IndexedDB/);
      const [json, weights] = await Promise.all([
        page.waitForEvent('download', (d) => d.suggestedFilename() === 'pg.json'),
        page.waitForEvent('download', (d) => d.suggestedFilename().endsWith('.bin')),
        page.evaluate(async () => {
          const d = await import('/descent/descent.js' as string);
          const model = new d.Sequential();
          model.add(new d.Dense({ units: 1, inputShape: [2] }));
          await model.save('downloads://pg');
        }),
      ]);
      assert.equal(json.suggestedFilename(), 'pg.json');
      assert.equal(weights.suggestedFilename(), 'group1-shard1of1.bin');
    });

    assert.deepEqual(errors, [], 'no console error on the page');
  } finally {
    await session.close();
    server.close();
  }
});

/** Tab through the page: every visible control of the panel gets focus, and each has an accessible label. */
async function checkKeyboard(page: Page, panel: string): Promise<void> {
  const controls = await page.$$eval(`#${panel} input, #${panel} select, #${panel} button`, (els) =>
    els.filter((e) => (e as HTMLElement).offsetParent !== null && !(e as HTMLButtonElement).disabled).map((e) => {
      const el = e as HTMLInputElement;
      const label = el.labels?.[0]?.textContent?.trim() || el.getAttribute('aria-label') || (el.tagName === 'BUTTON' ? el.textContent?.trim() : '');
      return { id: el.id, label };
    }));
  assert.ok(controls.length >= 3, `${panel}: controls found`);
  for (const c of controls) assert.ok(c.id && c.label, `${panel}: control ${JSON.stringify(c)} has no label`);
  await page.focus(`#tab-${panel}`);
  const reached = new Set<string>();
  for (let i = 0; i < 80 && reached.size < controls.length; i++) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(() => document.activeElement?.id ?? '');
    if (id) reached.add(id);
  }
  const unreached = controls.filter((c) => !reached.has(c.id)).map((c) => c.id);
  assert.deepEqual(unreached, [], `${panel}: controls not reachable with Tab`);
}
