// `npm run bench`: descent against TensorFlow.js 4.22 (cpu and wasm backends) in one process, and PyTorch and
// OpenBLAS when they are installed. Rows: the chapter's fit (Adam batch 10; SGD+momentum batch 1 and full batch),
// the MLP 784-256-128-10 epoch, predict 10000x784, raw matmul GFLOP/s (square 128..2048 and the MLP's shapes).
// Prints medians over repeats with min–max and the ratio to the best TF.js backend; writes bench/results/latest.json.
// The engine rows: MLP epochs that took the autograd path before training steps were captured (L2, custom loss).
// Flags: --quick (fewer sizes and repeats), --only=fit,mlp,predict,engine,matmul (sections), --descent-only,
// --out=path.json, --baseline=path.json (an earlier run, default bench/results/baseline.json: the "no slower"
// targets compare with it).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync, openSync, fsyncSync, closeSync, mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir, availableParallelism } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { tensor, Rng } from '../src/index.js';
import { randn, chapterData, mlpData, chapterModel, mlpModel, residualMlpModel } from './workloads.js';
import type { Sequential, Model } from '../src/index.js';
import { setBackend, getBackend, jsBackend, wasmBackend, nativeBackend, nativeError } from '../src/backend/index.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..'); // dist/bench -> repo
const outPath = args.find((a) => a.startsWith('--out='))?.slice(6) ?? join(repoRoot, 'bench', 'results', quick ? 'quick.json' : 'latest.json');
const want = (section: string): boolean => !only || only.includes(section);
/** --descent-only: only the descent column (no TF.js, PyTorch, OpenBLAS, 1-thread or js columns) (quick before/after comparisons of descent itself). */
const refs = !args.includes('--descent-only');
const tfBackends = refs ? (['cpu', 'wasm'] as const) : ([] as const);

// ---------------------------------------------------------------- measurement

interface Cell { median: number; min: number; max: number; runs: number }
interface Row { section: string; name: string; unit: string; higherIsBetter: boolean; flops?: number; cells: Record<string, Cell | { skipped: string }>; ratio?: number; ratioTorch?: number; ratioBlas?: number; ratioEager?: number }
const rows: Row[] = [];

/**
 * Seconds per run: one warm-up (unless warmup is false), then up to reps runs or until budget seconds have passed
 * (at least one). When fn returns a number, that is the run's time in seconds (it timed only its core).
 */
async function timeRuns(fn: () => unknown | Promise<unknown>, reps: number, budget: number, warmup = true): Promise<number[]> {
  if (warmup) await fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < reps && (times.length === 0 || (performance.now() - start) / 1000 < budget)) {
    const t = performance.now();
    const r = await fn();
    times.push(typeof r === 'number' ? r : (performance.now() - t) / 1000);
  }
  return times;
}

/** Seconds per call of a fast function: batches of calls long enough to time (≥ 20 ms each). */
async function timeFast(fn: () => unknown, reps: number, budget: number): Promise<number[]> {
  fn();
  let inner = 1;
  for (let t = 0; t < 0.02 && inner < 1 << 20; inner *= 2) {
    const s = performance.now();
    for (let i = 0; i < inner; i++) fn();
    t = (performance.now() - s) / 1000;
    if (t >= 0.02) break;
  }
  const batches = await timeRuns(() => { for (let i = 0; i < inner; i++) fn(); }, reps, budget, false);
  return batches.map((t) => t / inner);
}

function cell(values: number[]): Cell {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, min: s[0], max: s[s.length - 1], runs: s.length };
}

/** Convert seconds to the row's unit: GFLOP/s from flops, samples/s from samples, else seconds. */
function toUnit(seconds: number[], unit: string, amount: number): number[] {
  if (unit === 'GFLOP/s') return seconds.map((s) => amount / s / 1e9);
  if (unit === 'samples/s') return seconds.map((s) => amount / s);
  if (unit === 'ms') return seconds.map((s) => s * 1000);
  return seconds;
}

function addRow(row: Row): void {
  const tfCells = ['tfjs-cpu', 'tfjs-wasm'].map((c) => row.cells[c]).filter((c): c is Cell => !!c && 'median' in c);
  const ours = row.cells['descent'];
  if (tfCells.length && ours && 'median' in ours) {
    const best = row.higherIsBetter ? Math.max(...tfCells.map((c) => c.median)) : Math.min(...tfCells.map((c) => c.median));
    row.ratio = row.higherIsBetter ? ours.median / best : best / ours.median;
  }
  // descent against tuned PyTorch and against OpenBLAS on all cores (the targets in docs/speed.md).
  const vs = (c: Cell | { skipped: string } | undefined): number | undefined =>
    c && 'median' in c && ours && 'median' in ours ? (row.higherIsBetter ? ours.median / c.median : c.median / ours.median) : undefined;
  row.ratioTorch = vs(row.cells.pytorch);
  row.ratioBlas = vs(row.cells[`openblas-${Math.min(2, availableParallelism())}t`]);
  row.ratioEager = vs(row.cells['descent-eager']);
  rows.push(row);
  printRow(row);
}

// ---------------------------------------------------------------- columns

const columns = ['descent', 'descent-eager', 'descent-1t', 'descent-own', 'descent-wasm', 'descent-js', 'tfjs-cpu', 'tfjs-wasm', 'pytorch', 'openblas-1t', 'openblas-2t'];
// descent: the backend chosen at import (native when built) on all cores; descent-eager: the same with\n// model.fastPath = false (every step eager, no capture; engine rows only); descent-1t: the same on one thread;
// descent-own: native with its own kernels instead of the system BLAS (matmul rows); descent-wasm: the wasm
// kernels with their default threads; descent-js: the TypeScript reference.
const best = nativeBackend ? 'native' : wasmBackend ? 'wasm' : 'js';
const nativeThreads = nativeBackend?.info().threads ?? 1;
const descentBackends: Record<string, string | null> = { descent: best, 'descent-1t': best === 'native' ? 'native' : null, 'descent-wasm': wasmBackend ? 'wasm' : null, 'descent-js': 'js' };
/** Select a column's kernels (the native addon's threads and BLAS are process-wide settings). */
function useColumn(col: string): void {
  setBackend(col === 'descent-own' ? 'native' : descentBackends[col]!);
  nativeBackend?.configure({ threads: col === 'descent-1t' ? 1 : nativeThreads, blas: col !== 'descent-own' });
}

const require = createRequire(import.meta.url);
setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + '/');
async function useTf(name: 'cpu' | 'wasm'): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`TF.js backend ${name} failed to initialize`);
}

// ---------------------------------------------------------------- printing

function fmt(v: number): string {
  if (v >= 1000) return v.toFixed(0);
  if (v >= 100) return v.toFixed(1);
  if (v >= 10) return v.toFixed(2);
  return v.toFixed(3);
}
let headerPrinted = false;
function printRow(row: Row): void {
  const used = columns;
  if (!headerPrinted) {
    console.log(['workload'.padEnd(44), 'unit'.padEnd(9), ...used.map((c) => c.padStart(24)), 'vs best TF.js'.padStart(14), 'vs PyTorch'.padStart(11), 'vs OpenBLAS'.padStart(12), 'vs eager'.padStart(9)].join(' '));
    headerPrinted = true;
  }
  const cells = used.map((c) => {
    const x = row.cells[c];
    if (!x) return '-'.padStart(24);
    if ('skipped' in x) return 'skip'.padStart(24);
    return `${fmt(x.median)} (${fmt(x.min)}–${fmt(x.max)})`.padStart(24);
  });
  const x = (r?: number): string => (r === undefined ? '' : `${r.toFixed(2)}x`);
  console.log([row.name.padEnd(44), row.unit.padEnd(9), ...cells, x(row.ratio).padStart(14), x(row.ratioTorch).padStart(11), x(row.ratioBlas).padStart(12), x(row.ratioEager).padStart(9)].join(' '));
}

// ---------------------------------------------------------------- data

// ---------------------------------------------------------------- sections

type FitSpec = { name: string; optimizer: 'adam' | 'sgdm'; batch: number; reps: number; tfReps: number };

async function fitSection(): Promise<void> {
  const { x, y } = chapterData();
  const specs: FitSpec[] = [
    { name: 'chapter fit: Adam, batch 10, 150 epochs', optimizer: 'adam', batch: 10, reps: quick ? 5 : 15, tfReps: quick ? 1 : 3 },
    { name: 'chapter fit: SGD+momentum, batch 1', optimizer: 'sgdm', batch: 1, reps: quick ? 2 : 5, tfReps: 1 },
    { name: 'chapter fit: SGD+momentum, full batch (100)', optimizer: 'sgdm', batch: 100, reps: quick ? 5 : 15, tfReps: quick ? 2 : 5 },
  ];
  for (const spec of specs) {
    const row: Row = { section: 'fit', name: spec.name, unit: 's', higherIsBetter: false, cells: {} };
    for (const [col, backend] of Object.entries(descentBackends)) {
      if (!refs && col !== 'descent') continue;
      if (!backend) continue;
      if (col === 'descent-1t') continue; // small models never reach the thread threshold
      useColumn(col);
      const times = await timeRuns(async () => {
        const model = chapterModel(spec.optimizer);
        const t = performance.now();
        await model.fit(tensor(x, [100, 8]), tensor(y, [100, 1]), { epochs: 150, batchSize: spec.batch, verbose: 0 });
        return (performance.now() - t) / 1000;
      }, spec.reps, quick ? 5 : 20);
      row.cells[col] = cell(times);
    }
    useColumn('descent');
    for (const tfName of tfBackends) {
      await useTf(tfName);
      const xs = tf.tensor2d(x, [100, 8]), ys = tf.tensor2d(y, [100, 1]);
      const times = await timeRuns(async () => {
        const model = tf.sequential();
        model.add(tf.layers.dense({ units: 32, inputShape: [8], activation: 'relu' }));
        model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
        model.compile({ loss: 'binaryCrossentropy', optimizer: spec.optimizer === 'adam' ? tf.train.adam(0.01) : tf.train.momentum(0.01, 0.9) });
        const t = performance.now();
        await model.fit(xs, ys, { epochs: 150, batchSize: spec.batch, verbose: 0 });
        const seconds = (performance.now() - t) / 1000;
        model.dispose();
        return seconds;
      }, spec.tfReps, quick ? 10 : 40, spec.batch !== 1);
      row.cells[`tfjs-${tfName}`] = cell(times);
      xs.dispose(); ys.dispose();
    }
    addTorch(row, spec.optimizer === 'adam' ? 'fit_adam_b10' : spec.batch === 1 ? 'fit_sgdm_b1' : 'fit_sgdm_b100');
    addRow(row);
  }
}

const MLP_FLOPS_PER_SAMPLE = 2 * (784 * 256 + 256 * 128 + 128 * 10);

async function mlpSection(): Promise<void> {
  const n = quick ? 2560 : 10000;
  const { x, y } = mlpData(n);
  const row: Row = { section: 'mlp', name: `MLP 784-256-128-10 Adam batch 128, epoch of ${n}`, unit: 'samples/s', higherIsBetter: true, flops: 3 * MLP_FLOPS_PER_SAMPLE * n, cells: {} };
  const pred: Row = { section: 'predict', name: 'predict 10000x784 (MLP, batch 1000)', unit: 'samples/s', higherIsBetter: true, flops: MLP_FLOPS_PER_SAMPLE * 10000, cells: {} };
  const px = mlpData(10000).x;
  for (const [col, backend] of Object.entries(descentBackends)) {
      if (!refs && col !== 'descent') continue;
    if (!backend) continue;
    useColumn(col);
    const model = mlpModel();
    const xt = tensor(x, [n, 784]), yt = tensor(y, [n, 10]);
    const reps = col === 'descent-js' ? 1 : quick ? 5 : 7;
    const times = await timeRuns(() => model.fit(xt, yt, { epochs: 1, batchSize: 128, verbose: 0 }), reps, quick ? 10 : 30, col !== 'descent-js');
    row.cells[col] = cell(toUnit(times, 'samples/s', n));
    if (want('predict')) {
      const pt = tensor(px, [10000, 784]);
      const pTimes = await timeRuns(() => model.predict(pt, { batchSize: 1000 }), reps, quick ? 5 : 20);
      pred.cells[col] = cell(toUnit(pTimes, 'samples/s', 10000));
    }
  }
  useColumn('descent');
  for (const tfName of tfBackends) {
    await useTf(tfName);
    const model = tf.sequential();
    model.add(tf.layers.dense({ units: 256, inputShape: [784], activation: 'relu' }));
    model.add(tf.layers.dense({ units: 128, activation: 'relu' }));
    model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
    model.compile({ loss: 'categoricalCrossentropy', optimizer: tf.train.adam(0.001) });
    // TF.js cpu needs about 25 s for one epoch here: time it on a tenth of the data (samples/s is per sample).
    const m = tfName === 'cpu' ? Math.min(n, 1280) : n;
    const xs = tf.tensor2d(x.subarray(0, m * 784), [m, 784]), ys = tf.tensor2d(y.subarray(0, m * 10), [m, 10]);
    const reps = tfName === 'cpu' ? 1 : quick ? 2 : 3;
    const times = await timeRuns(() => model.fit(xs, ys, { epochs: 1, batchSize: 128, verbose: 0 }), reps, quick ? 10 : 40, tfName !== 'cpu' || quick);
    row.cells[`tfjs-${tfName}`] = cell(toUnit(times, 'samples/s', m));
    if (want('predict')) {
      const pm = tfName === 'cpu' ? 2000 : 10000;
      const pxs = tf.tensor2d(px.subarray(0, pm * 784), [pm, 784]);
      const pTimes = await timeRuns(() => { const p = model.predict(pxs, { batchSize: 1000 }) as tf.Tensor; p.dataSync(); p.dispose(); }, reps, quick ? 5 : 20);
      pred.cells[`tfjs-${tfName}`] = cell(toUnit(pTimes, 'samples/s', pm));
      pxs.dispose();
    }
    xs.dispose(); ys.dispose(); model.dispose();
  }
  addTorch(row, 'mlp_epoch', n);
  addRow(row);
  if (want('predict')) {
    addTorch(pred, 'predict', 10000);
    addRow(pred);
  }
}

/**
 * The captured step against eager autograd (model.fastPath = false, the path these models took before steps were
 * captured, and Keras's run_eagerly), in the same run: the chapter fit, the MLP, and the models that had no planned
 * step (an L2 regularizer, a loss written with ops, a functional residual MLP). descent only.
 */
async function engineSection(): Promise<void> {
  const n = quick ? 2560 : 10000;
  const { x, y } = mlpData(n);
  const xt = tensor(x, [n, 784]), yt = tensor(y, [n, 10]);
  const chapter = chapterData();
  const cx = tensor(chapter.x, [100, 8]), cy = tensor(chapter.y, [100, 1]);
  const rows: { name: string; unit: 's' | 'samples/s'; build: () => Sequential | Model; fit: (m: Sequential | Model) => Promise<unknown>; reps: number }[] = [
    { name: 'chapter fit: Adam, batch 10, 150 epochs', unit: 's', build: () => chapterModel('adam'), fit: (m) => m.fit(cx, cy, { epochs: 150, batchSize: 10, verbose: 0 }), reps: quick ? 5 : 15 },
    ...(['plain', 'l2', 'custom-loss'] as const).map((variant) => ({
      name: `MLP epoch of ${n}${variant === 'plain' ? '' : variant === 'l2' ? ', L2 kernelRegularizer' : ', custom loss with ops'}`,
      unit: 'samples/s' as const,
      build: () => mlpModel(variant),
      fit: (m: Sequential | Model) => m.fit(xt, yt, { epochs: 1, batchSize: 128, verbose: 0 }),
      reps: quick ? 3 : 5,
    })),
    { name: `functional residual MLP epoch of ${n}`, unit: 'samples/s', build: residualMlpModel, fit: (m) => m.fit(xt, yt, { epochs: 1, batchSize: 128, verbose: 0 }), reps: quick ? 3 : 5 },
  ];
  useColumn('descent');
  for (const spec of rows) {
    const row: Row = { section: 'engine', name: spec.name, unit: spec.unit, higherIsBetter: spec.unit !== 's', cells: {} };
    for (const [col, fastPath] of [['descent', true], ['descent-eager', false]] as const) {
      const times = await timeRuns(async () => {
        const model = spec.build();
        model.fastPath = fastPath;
        const t = performance.now();
        await spec.fit(model);
        return (performance.now() - t) / 1000;
      }, spec.reps, quick ? 5 : 10);
      row.cells[col] = cell(spec.unit === 's' ? times : toUnit(times, 'samples/s', n));
    }
    addRow(row);
  }
}

async function matmulSection(): Promise<void> {
  const sizes = quick ? [128, 256, 512] : [128, 256, 512, 1024, 2048];
  const shapes: { name: string; m: number; k: number; n: number; tA: boolean; tB: boolean; key: string }[] = [
    ...sizes.map((s) => ({ name: `matmul ${s}x${s}x${s}`, m: s, k: s, n: s, tA: false, tB: false, key: `mm_${s}` })),
    { name: 'MLP fwd 128x784 · 784x256', m: 128, k: 784, n: 256, tA: false, tB: false, key: 'mm_fwd' },
    { name: 'MLP dW (128x784)ᵀ · 128x256', m: 784, k: 128, n: 256, tA: true, tB: false, key: 'mm_dw' },
    { name: 'MLP dX 128x256 · (784x256)ᵀ', m: 128, k: 256, n: 784, tA: false, tB: true, key: 'mm_dx' },
  ];
  const blas = openblas();
  for (const s of shapes) {
    const flops = 2 * s.m * s.n * s.k;
    const row: Row = { section: 'matmul', name: s.name, unit: 'GFLOP/s', higherIsBetter: true, flops, cells: {} };
    const rng = new Rng(11);
    const a = randn(rng, s.m * s.k), b = randn(rng, s.k * s.n), out = new Float32Array(s.m * s.n);
    const reps = quick ? 5 : 9;
    const matmulColumns = { ...descentBackends, 'descent-own': nativeBackend?.info().blas ? 'native' : null };
    for (const [col, backend] of Object.entries(matmulColumns)) {
      if (!refs && col !== 'descent') continue;
      if (!backend) continue;
      if (col === 'descent-js' && flops > 3e8) { row.cells[col] = { skipped: 'too slow' }; continue; }
      useColumn(col);
      const kernel = getBackend();
      const times = await timeFast(() => kernel.matmul(a, b, out, s.m, s.k, s.n, s.tA, s.tB), reps, quick ? 3 : 8);
      row.cells[col] = cell(toUnit(times, 'GFLOP/s', flops));
    }
    useColumn('descent');
    for (const tfName of tfBackends) {
      if (tfName === 'cpu' && flops > (quick ? 3e8 : 2.2e9)) { row.cells['tfjs-cpu'] = { skipped: 'too slow' }; continue; }
      await useTf(tfName);
      const ta = tf.tensor2d(a, s.tA ? [s.k, s.m] : [s.m, s.k]), tb = tf.tensor2d(b, s.tB ? [s.n, s.k] : [s.k, s.n]);
      const times = await timeFast(() => { const c = tf.matMul(ta, tb, s.tA, s.tB); c.dataSync(); c.dispose(); }, tfName === 'cpu' ? 3 : reps, quick ? 3 : 8);
      row.cells[`tfjs-${tfName}`] = cell(toUnit(times, 'GFLOP/s', flops));
      ta.dispose(); tb.dispose();
    }
    addTorch(row, s.key, flops);
    if (blas && !s.tA && !s.tB && s.m === s.n) {
      for (const t of [1, 2]) {
        const r = blas(s.m, t);
        if (r) row.cells[`openblas-${t}t`] = cell(toUnit(r, 'GFLOP/s', flops));
      }
    }
    addRow(row);
  }
}

// ---------------------------------------------------------------- optional peers

interface TorchMeta { torch: string; threads: number; blas: { name: string; config?: string; libraries: string[] }; env: Record<string, string | null> }
let torchResults: Record<string, number[]> | null | undefined;
let torchMeta: TorchMeta | null = null;
/** PyTorch timings (seconds per run) from bench/torch_bench.py under Debian's python3, when it has torch. */
function torchTimes(): Record<string, number[]> | null {
  if (torchResults !== undefined) return torchResults;
  torchResults = null;
  const parsed = runTorchBench();
  if (!parsed) return null;
  torchResults = parsed;
  return parsed;
}

/** One run of bench/torch_bench.py: seconds per run for each workload, or null (with the reason printed). */
function runTorchBench(printMeta = true): Record<string, number[]> | null {
  const py = '/usr/bin/python3';
  const script = join(repoRoot, 'bench', 'torch_bench.py');
  if (!existsSync(py) || spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) {
    console.log('(PyTorch column skipped: /usr/bin/python3 has no torch)');
    return null;
  }
  // PyTorch at its best here: OpenBLAS single-threaded under torch's own pool of one thread per core, and no
  // forced OpenBLAS core type or L2 size (OPENBLAS_CORETYPE=Haswell halves its sgemm on this CPU).
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: String(availableParallelism()) };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const r = spawnSync(py, [script, quick ? '--quick' : '--full'], { env, encoding: 'utf8', timeout: 20 * 60_000 });
  if (r.status !== 0) {
    console.log(`(PyTorch column skipped: torch_bench.py failed: ${r.stderr.trim().split('\n').pop()})`);
    return null;
  }
  const parsed = JSON.parse(r.stdout) as Record<string, number[]> & { _meta?: TorchMeta };
  torchMeta = parsed._meta ?? null;
  delete parsed._meta;
  if (torchMeta && printMeta) {
    const b = torchMeta.blas;
    console.log(`(PyTorch ${torchMeta.torch}: ${torchMeta.threads} threads, BLAS ${b.name}${b.config ? ` [${b.config}]` : ''} from ${b.libraries.join(', ') || 'no shared library'}; ` +
      `env ${Object.entries(torchMeta.env).map(([k, v]) => `${k}=${v ?? '(unset)'}`).join(' ')})`);
    if (!/OpenBLAS|MKL|BLIS/.test(b.name)) console.log('(WARNING: PyTorch is not on an optimized BLAS: install libopenblas0 (Debian) to measure it at its best)');
  }
  return parsed;
}

const torchRows: { row: Row; key: string; amount: number }[] = [];
function addTorch(row: Row, key: string, amount = 0): void {
  const t = refs ? torchTimes()?.[key] : undefined;
  if (!t?.length) return;
  row.cells.pytorch = cell(toUnit(t, row.unit, row.unit === 'GFLOP/s' ? (row.flops ?? amount) : amount));
  torchRows.push({ row, key, amount });
}

/**
 * PyTorch again after descent's runs, its times pooled with the first run's: a machine whose speed drifts during
 * the bench (a shared host) then weighs on both columns alike. Updates the PyTorch cells and ratios, and prints them.
 */
function secondTorchPass(): void {
  if (!torchRows.length || !torchResults) return;
  console.log('\nPyTorch again, after descent (its runs before and after pooled, so drift in machine speed hits both columns):');
  const again = runTorchBench(false);
  if (!again) return;
  for (const { row, key, amount } of torchRows) {
    const pooled = [...(torchResults[key] ?? []), ...(again[key] ?? [])];
    torchResults[key] = pooled;
    const first = row.cells.pytorch;
    row.cells.pytorch = cell(toUnit(pooled, row.unit, row.unit === 'GFLOP/s' ? (row.flops ?? amount) : amount));
    const ours = row.cells.descent, c = row.cells.pytorch;
    if (ours && 'median' in ours && 'median' in c) row.ratioTorch = row.higherIsBetter ? ours.median / c.median : c.median / ours.median;
    console.log(`  ${row.name.padEnd(44)} ${row.unit.padEnd(9)} first ${first && 'median' in first ? fmt(first.median) : '-'}, pooled ${fmt(c.median)} (${fmt(c.min)}–${fmt(c.max)}); descent ${row.ratioTorch?.toFixed(2) ?? '-'}x`);
  }
}

/** OpenBLAS sgemm through a tiny C program, when libopenblas-dev and a C compiler are present. */
function openblas(): ((n: number, threads: number) => number[] | null) | null {
  const header = ['/usr/include/x86_64-linux-gnu/cblas.h', '/usr/include/cblas.h', '/usr/include/x86_64-linux-gnu/openblas-pthread/cblas.h'].find(existsSync);
  if (!header) {
    console.log('(OpenBLAS columns skipped: libopenblas-dev is not installed)');
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), 'descent-blas-'));
  const exe = join(dir, 'sgemm');
  const cc = spawnSync('cc', ['-O2', '-o', exe, join(repoRoot, 'bench', 'openblas_sgemm.c'), `-I${dirname(header)}`, '-lopenblas'], { encoding: 'utf8' });
  if (cc.status !== 0) {
    console.log(`(OpenBLAS columns skipped: compile failed: ${cc.stderr.trim().split('\n')[0]})`);
    return null;
  }
  return (n, threads) => {
    // OPENBLAS_CORETYPE is unset: on this machine it forces a slower kernel (about 1.9x).
    const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: String(threads) };
    delete env.OPENBLAS_CORETYPE;
    const r = spawnSync(exe, [String(n), String(quick ? 5 : 9)], { env, encoding: 'utf8' });
    if (r.status !== 0) return null;
    return r.stdout.trim().split(/\s+/).map(Number);
  };
}

// ---------------------------------------------------------------- main

function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  const fd = openSync(tmp, 'r');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, path);
}

async function main(): Promise<void> {
  const started = new Date();
  const loadBefore = loadavg();
  console.log(`descent bench ${quick ? '(quick) ' : ''}— ${cpus()[0]?.model ?? 'cpu'} x${availableParallelism()}, Node ${process.version}, load ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);
  const ni = nativeBackend?.info();
  console.log(`descent backend: ${best}; native: ${ni ? `GEMM via ${ni.blas ?? `own ${ni.isa} kernels`}${ni.blasConfig && ni.blas ? ` [${ni.blasConfig}]` : ''}, own kernels ${ni.isa}, ${ni.threads} threads` : `unavailable (${nativeError})`}; wasm: ${wasmBackend ? `${wasmBackend.threads} threads` : 'unavailable'}`);
  console.log('units: s = seconds per fit (lower is better), others higher is better; cells: median (min–max)\n');
  tf.env().set('PROD', true);
  if (want('fit')) await fitSection();
  if (want('mlp') || want('predict')) await mlpSection();
  if (want('engine')) await engineSection();
  if (want('matmul')) await matmulSection();
  secondTorchPass();
  const result = {
    date: started.toISOString(),
    quick,
    machine: { cpu: cpus()[0]?.model, cores: availableParallelism(), node: process.version, loadBefore, loadAfter: loadavg() },
    descentBackend: best,
    native: ni ?? null,
    wasmThreads: wasmBackend?.threads ?? null,
    pytorch: torchMeta,
    /** Products split across threads, chunks run by the main thread among them, and serial fallbacks (busy machine). */
    threadStats: wasmBackend?.stats() ?? null,
    tfjs: tf.version.tfjs,
    columns,
    rows,
  };
  writeAtomic(outPath, JSON.stringify(result, null, 2) + '\n');
  const st = wasmBackend?.stats();
  if (st) console.log(`\nthreads: ${st.parallel} products split, main thread ran ${st.mainChunks} of ${st.chunks} chunks, ${st.serialFallbacks} serial fallbacks`);
  printTargets();
  console.log(`load after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}; wrote ${outPath}`);
  wasmBackend?.terminate();
}

// ---------------------------------------------------------------- targets (issue 17), from this one run

/**
 * The speed targets as ratios of this run's medians: GEMM against OpenBLAS on two threads (512–2048), predict and
 * the MLP epoch against tuned PyTorch, and the chapter fit and the wasm column against a baseline run (no slower).
 */
function printTargets(): void {
  const med = (r: Row | undefined, col: string): number | undefined => {
    const c = r?.cells[col];
    return c && 'median' in c ? c.median : undefined;
  };
  const ratio = (a?: number, b?: number, higher = true): string => (a === undefined || b === undefined ? 'n/a' : `${(higher ? a / b : b / a).toFixed(2)}x`);
  const blasCol = `openblas-${Math.min(2, availableParallelism())}t`;
  const lines: string[] = [];
  const gemm = rows.filter((r) => /^matmul (512|1024|2048)x/.test(r.name));
  if (gemm.length) {
    lines.push(`GEMM ≥ 0.5x OpenBLAS ${blasCol} (512–2048): ` + gemm.map((r) => `${r.name.split('x')[0].slice(7)}: descent ${ratio(med(r, 'descent'), med(r, blasCol))}` +
      (r.cells['descent-own'] ? `, own kernels ${ratio(med(r, 'descent-own'), med(r, blasCol))}` : '')).join('; '));
  }
  const pred = rows.find((r) => r.section === 'predict'), mlp = rows.find((r) => r.section === 'mlp');
  if (pred) lines.push(`predict ≥ 1x tuned PyTorch: ${ratio(med(pred, 'descent'), med(pred, 'pytorch'))}`);
  if (mlp) lines.push(`MLP epoch ≥ 2x tuned PyTorch: ${ratio(med(mlp, 'descent'), med(mlp, 'pytorch'))}`);
  const basePath = args.find((a) => a.startsWith('--baseline='))?.slice(11) ?? join(repoRoot, 'bench', 'results', 'baseline.json');
  if (existsSync(basePath)) {
    const base = JSON.parse(readFileSync(basePath, 'utf8')) as { date: string; rows: Row[] };
    const baseRow = (r: Row): Row | undefined => base.rows.find((b) => b.name === r.name);
    const fits = rows.filter((r) => r.section === 'fit');
    if (fits.length) lines.push(`chapter fit no slower than ${basePath.split('/').pop()} (${base.date.slice(0, 16)}): ` + fits.map((r) => `${r.name.replace('chapter fit: ', '')} ${ratio(med(r, 'descent'), med(baseRow(r), 'descent'), false)}`).join('; '));
    const wasm = rows.filter((r) => r.cells['descent-wasm'] && ['fit', 'mlp', 'predict'].includes(r.section) || /^matmul (512|1024)x/.test(r.name));
    if (wasm.length) lines.push(`wasm path no slower than the baseline: ` + wasm.map((r) => `${r.name.split(/[:(,]/)[0].trim()} ${ratio(med(r, 'descent-wasm'), med(baseRow(r), 'descent-wasm'), r.higherIsBetter)}`).join('; '));
  } else lines.push(`(no baseline run at ${basePath}: the "no slower" targets are not compared)`);
  console.log(`\ntargets (issue 17), ratios from this run (>1 is better; load ${loadavg()[0].toFixed(2)}):`);
  for (const l of lines) console.log(`  ${l}`);
}

void jsBackend;
await main();
