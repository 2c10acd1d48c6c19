// The browser build: the browser entry bundles for platform 'browser' with no Node built-in allowed (esbuild
// refuses to resolve one), so a core module that imports node:fs, node:os, ... fails here. The public API of the
// Node entry is kept, and everything it exports is in the browser entry unless it is listed as Node-only.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import * as nodeEntry from '../../src/index.js';
import * as browserEntry from '../../src/browser.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

async function bundle(entry: string): Promise<{ ok: boolean; text: string; errors: string[] }> {
  try {
    const r = await build({ entryPoints: [root + entry], bundle: true, write: false, format: 'esm', platform: 'browser', logLevel: 'silent' });
    return { ok: true, text: r.outputFiles[0].text, errors: [] };
  } catch (e) {
    return { ok: false, text: '', errors: ((e as { errors?: { text: string }[] }).errors ?? []).map((x) => x.text) };
  }
}

test('the browser entry bundles for the browser: no Node built-in, no process global', async () => {
  const r = await bundle('dist/src/browser.js');
  assert.deepEqual(r.errors, []);
  assert.equal(r.ok, true);
  assert.doesNotMatch(r.text, /["']node:[a-z_/]+["']/);
  assert.doesNotMatch(r.text, /\bprocess\.(env|stdout|stderr|pid|argv|cwd|emitWarning|kill)\b/);
  assert.doesNotMatch(r.text, /\b(setImmediate|Buffer\.from|Buffer\.alloc|require)\(/);
  // The wasm kernels are fetched, not read from a file.
  assert.match(r.text, /compileStreaming/);
});

test('the check bites: the Node entry does not bundle for the browser, naming the built-ins', async () => {
  const r = await bundle('dist/src/index.js');
  assert.equal(r.ok, false);
  assert.ok(r.errors.some((e) => /node:(fs|path|os|worker_threads|crypto)/.test(e)), r.errors.join('\n'));
});

/** Exports of the Node entry that need files, processes, threads or PostgreSQL (or are replaced in the browser). */
const NODE_ONLY = new Set([
  'CSVLogger', 'loadCsv', 'transformCsv', 'fitCsvEncoders', 'featureNames', 'CsvDataset', 'loadMnist', 'loadIris',
  'writeReport', 'renderReport', 'ReportCallback', 'openStorage', 'defaultStudyDir', 'DirectoryStorage',
  'runWorkerThreads', 'specForThreads', 'runStudyWorker', 'readSpec',
]);

test('the browser entry exports the Node entry\'s API except the Node-only parts', () => {
  const missing = Object.keys(nodeEntry).filter((k) => !(k in browserEntry) && !NODE_ONLY.has(k));
  assert.deepEqual(missing, [], 'add these to src/browser.ts, or to NODE_ONLY here if they need Node');
  for (const k of NODE_ONLY) assert.ok(k in nodeEntry, `${k} is no longer exported by the Node entry`);
  for (const k of ['ready', 'browserFiles', 'listModels', 'removeModel', 'saveModel', 'loadModel']) assert.equal(typeof (browserEntry as Record<string, unknown>)[k], 'function', k);
});

test('package.json: the browser condition and the browser field point at built files; Node keeps its entry', () => {
  const pkg = JSON.parse(readFileSync(root + 'package.json', 'utf8'));
  assert.equal(pkg.exports['.'].import, './dist/src/index.js');
  assert.equal(pkg.exports['.'].browser.default, './dist/browser/descent.js');
  assert.equal(pkg.exports['./browser'].default, './dist/browser/descent.js');
  assert.equal(pkg.browser['./dist/src/platform/node.js'], './dist/src/platform/browser.js');
});

test('uploaded files (browserFiles) load a model as saved: same predictions, wrong files named', async () => {
  const { Sequential, Dense, setSeed, modelArtifacts, loadModel, browserFiles, tensor } = browserEntry;
  setSeed(4);
  const model = new Sequential();
  model.add(new Dense({ units: 3, activation: 'tanh', inputShape: [2] }));
  model.add(new Dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
  await model.fit(tensor([[0, 0], [0, 1], [1, 0], [1, 1]]), tensor([[0], [1], [1], [0]]), { epochs: 3, verbose: 0 });
  const { modelJSON, shards } = modelArtifacts(model);
  const json = new File([JSON.stringify(modelJSON)], 'xor.json');
  const bins = shards.map((s) => new File([s.data.slice()], s.path));
  const loaded = await loadModel(browserFiles([json, ...bins]));
  const x = tensor([[0.3, 0.7]]);
  assert.deepEqual(Array.from((loaded.predict(x) as typeof x).data), Array.from((model.predict(x) as typeof x).data));
  await assert.rejects(loadModel(browserFiles([json])), /group1-shard1of1\.bin was not among the chosen files/);
  assert.throws(() => browserFiles([bins[0]]), /first file must be the model's JSON file/);
});

test('the built bundle (dist/browser/descent.js) runs: trains a small model, class names kept, Node-only parts say so', async () => {
  const { buildAll } = (await import(root + 'browser/build.mjs')) as { buildAll(): Promise<void> };
  await buildAll();
  const d = (await import(root + 'dist/browser/descent.js')) as typeof browserEntry;
  const names = [d.Adam, d.SGD, d.Dense, d.Dropout, d.Sequential, d.RandomSearch, d.MemoryStorage, d.metrics.Mean].map((c) => c.name);
  assert.deepEqual(names, ['Adam', 'SGD', 'Dense', 'Dropout', 'Sequential', 'RandomSearch', 'MemoryStorage', 'Mean']);
  d.setSeed(2);
  const model = new d.Sequential();
  model.add(new d.Dense({ units: 4, activation: 'tanh', inputShape: [2] }));
  model.add(new d.Dense({ units: 1 }));
  model.compile({ optimizer: 'adam', loss: 'mse' });
  const h = await model.fit(d.tensor([[0, 1], [1, 0], [1, 1]]), d.tensor([[1], [1], [0]]), { epochs: 30, verbose: 0 });
  assert.ok(h.history.loss[29] < h.history.loss[0]);
  const tuner = new d.RandomSearch({ storage: 'memory', maxTrials: 2, seed: 1, verbose: 0 });
  const best = await tuner.optimize((hp) => (hp.float('x', -1, 1) - 0.5) ** 2);
  assert.ok(Number.isFinite(best.value));
  await assert.rejects(new d.RandomSearch({ storage: './studies', maxTrials: 1, verbose: 0 }).optimize(() => 1), /needs Node\.js .* pass storage: 'memory'/);
  await assert.rejects(model.save('./model-dir'), /saved to 'indexeddb:\/\/name' or 'downloads:\/\/name'/);
});
