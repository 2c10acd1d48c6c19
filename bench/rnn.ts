// `npm run bench:rnn`: LSTM(64) over 50 steps, batch 32 (8 features -> LSTM(64) -> Dense(1), MSE, Adam): training
// samples/s for descent beside TensorFlow.js 4.22 (cpu and wasm backends) and PyTorch (Debian's python3-torch) when
// installed, plus samples per CPU-second (wall time follows the load of a shared machine). Target: >= 3x TF.js wasm.
// Flags: --quick, --samples=N (epoch size, default 1024), --out=path.json.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { Sequential, LSTM, Dense, Adam, setSeed, Tensor, Rng, getBackend } from '../src/index.js';
import { randn } from './workloads.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const samples = Number(args.find((a) => a.startsWith('--samples='))?.slice(10) ?? (quick ? 512 : 1024));
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');
const outPath = args.find((a) => a.startsWith('--out='))?.slice(6) ?? join(repoRoot, 'bench', 'results', quick ? 'rnn-quick.json' : 'rnn-latest.json');
const require = createRequire(import.meta.url);
setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + '/');

const T = 50, D = 8, U = 64, BATCH = 32;
type Cells = Record<string, number | string>;
const rows: { name: string; unit: string; cells: Cells }[] = [];
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
const COLUMNS = ['descent', 'tfjs-cpu', 'tfjs-wasm', 'pytorch'];

function print(name: string, unit: string, cells: Cells): void {
  rows.push({ name, unit, cells });
  const f = (v: number | string | undefined) => (v === undefined ? '-' : typeof v === 'string' ? v : v >= 100 ? v.toFixed(0) : v.toFixed(1));
  const wasm = cells['tfjs-wasm'];
  const ratio = typeof cells.descent === 'number' && typeof wasm === 'number' ? `  ${(cells.descent / wasm).toFixed(1)}x wasm` : '';
  console.log(`${name.padEnd(44)} ${unit.padEnd(10)} ${COLUMNS.map((c) => f(cells[c]).padStart(12)).join('')}${ratio}`);
}

function torch(): Record<string, number[]> | null {
  const py = '/usr/bin/python3';
  if (!existsSync(py) || spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) return null;
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: String(availableParallelism()) };
  delete env.OPENBLAS_CORETYPE;
  const r = spawnSync(py, [join(repoRoot, 'bench', 'torch_rnn.py'), '--samples', String(samples), quick ? '--quick' : '--full'], { env, encoding: 'utf8', timeout: 20 * 60_000 });
  if (r.status !== 0) {
    console.log(`(PyTorch column skipped: ${r.stderr.trim().split('\n').pop()})`);
    return null;
  }
  return JSON.parse(r.stdout);
}

/** Samples/s (wall) and samples per CPU-second over epochs after a warm-up epoch. */
async function epochs(fit: () => Promise<unknown>, n: number, reps: number): Promise<[number, number]> {
  await fit();
  const wall: number[] = [], cpu: number[] = [];
  for (let e = 0; e < reps; e++) {
    const t = performance.now(), c = process.cpuUsage();
    await fit();
    const used = process.cpuUsage(c);
    wall.push(n / ((performance.now() - t) / 1000));
    cpu.push(n / ((used.user + used.system) / 1e6));
  }
  return [median(wall), median(cpu)];
}

async function main(): Promise<void> {
  console.log(`descent bench:rnn — ${cpus()[0]?.model ?? 'cpu'} x${availableParallelism()}, Node ${process.version}, descent backend ${getBackend().name}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`${'workload'.padEnd(44)} ${'unit'.padEnd(10)} ${COLUMNS.map((c) => c.padStart(12)).join('')}`);
  const pt = torch();
  const rng = new Rng(3);
  const xs = randn(rng, samples * T * D), ys = randn(rng, samples);
  setSeed(1);
  const model = new Sequential([new LSTM(U, { inputShape: [T, D] }), new Dense(1)]);
  model.compile({ optimizer: new Adam(), loss: 'mse' });
  const xt = new Tensor(xs, [samples, T, D]), yt = new Tensor(ys, [samples, 1]);
  const reps = quick ? 2 : 3;
  const [ours, oursCpu] = await epochs(() => model.fit(xt, yt, { epochs: 1, batchSize: BATCH, verbose: 0 }), samples, reps);
  const wall: Cells = { descent: ours }, cpuCells: Cells = { descent: oursCpu };
  // The recurrent products are small (32×64 · 64×256): a threaded BLAS pays more in hand-offs than it gains,
  // worst on a loaded machine. The same model with the native backend's GEMM on one thread:
  const be = getBackend() as ReturnType<typeof getBackend> & { configure?: (c: { threads?: number }) => void; info?: () => { threads: number } };
  let single: [number, number] | null = null;
  if (be.name === 'native' && be.configure && be.info) {
    const threads = be.info().threads;
    be.configure({ threads: 1 });
    single = await epochs(() => model.fit(xt, yt, { epochs: 1, batchSize: BATCH, verbose: 0 }), samples, reps);
    be.configure({ threads });
  }
  for (const backend of ['cpu', 'wasm'] as const) {
    await tf.setBackend(backend);
    const tm = tf.sequential({ layers: [tf.layers.lstm({ units: U, recurrentActivation: 'sigmoid', inputShape: [T, D] }), tf.layers.dense({ units: 1 })] });
    tm.compile({ optimizer: tf.train.adam(0.001), loss: 'meanSquaredError' });
    // TF.js is slow here: time a few batches rather than the whole epoch.
    const m = Math.min(samples, BATCH * (backend === 'cpu' ? 2 : 4));
    const tx = tf.tensor3d(xs.subarray(0, m * T * D), [m, T, D]), ty = tf.tensor2d(ys.subarray(0, m), [m, 1]);
    const [w, c] = await epochs(() => tm.fit(tx, ty, { epochs: 1, batchSize: BATCH, verbose: 0 }), m, 1);
    wall[`tfjs-${backend}`] = w;
    cpuCells[`tfjs-${backend}`] = c;
  }
  if (pt?.epoch) wall.pytorch = samples / median(pt.epoch);
  if (pt?.epoch_cpu) cpuCells.pytorch = samples / median(pt.epoch_cpu);
  print(`LSTM(${U}) x ${T} steps, batch ${BATCH}, Adam, training`, 'samples/s', wall);
  print('same, samples per CPU-second (all threads)', 'samples/s', cpuCells);
  if (single) {
    print('same, native GEMM on one thread', 'samples/s', { descent: single[0], 'tfjs-cpu': wall['tfjs-cpu'], 'tfjs-wasm': wall['tfjs-wasm'], ...(wall.pytorch ? { pytorch: wall.pytorch } : {}) });
    print('same, one thread, samples per CPU-second', 'samples/s', { descent: single[1], 'tfjs-cpu': cpuCells['tfjs-cpu'], 'tfjs-wasm': cpuCells['tfjs-wasm'], ...(cpuCells.pytorch ? { pytorch: cpuCells.pytorch } : {}) });
  }
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, JSON.stringify({ date: new Date().toISOString(), quick, samples, backend: getBackend().name, load: loadavg(), tfjs: tf.version.tfjs, rows }, null, 2) + '\n');
  console.log(`wrote ${outPath}`);
}

await main();
process.exit(0);
