// `npm run bench:conv`: convolution kernels and Keras's MNIST convnet, descent beside TensorFlow.js 4.22 (cpu, and
// wasm where it has the kernel) and PyTorch (Debian's python3-torch) when installed.
// Rows: conv forward / input gradient / filter gradient in GFLOP/s at the convnet's two convolutions (batch 128),
// the convnet's training epoch in samples/s (Adam, batch 128), and the heap after GC before and after epochs
// (memory flat over training). TF.js wasm has no Conv2DBackpropFilter kernel, so it cannot train a Conv2D: its
// training cells are skipped. Flags: --quick, --samples=N (epoch size, default 2560), --out=path.json.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { Sequential, Conv2D, MaxPooling2D, Flatten, Dropout, Dense, Adam, setSeed, Tensor, Rng, getBackend } from '../src/index.js';
import { convGeometry } from '../src/backend/conv-geometry.js';
import { convForward, convBackpropInput, convBackpropFilter } from '../src/backend/conv.js';
import { randn } from './workloads.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const samples = Number(args.find((a) => a.startsWith('--samples='))?.slice(10) ?? (quick ? 1280 : 2560));
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');
const outPath = args.find((a) => a.startsWith('--out='))?.slice(6) ?? join(repoRoot, 'bench', 'results', quick ? 'conv-quick.json' : 'conv-latest.json');
const require = createRequire(import.meta.url);
setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + '/');

type Cells = Record<string, number | string>;
const rows: { name: string; unit: string; cells: Cells }[] = [];
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];

function time(fn: () => void, reps: number): number {
  fn();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    fn();
    ts.push((performance.now() - t) / 1000);
  }
  return median(ts);
}

function print(name: string, unit: string, cells: Cells): void {
  rows.push({ name, unit, cells });
  const f = (v: number | string | undefined) => (v === undefined ? '-' : typeof v === 'string' ? v : v >= 100 ? v.toFixed(0) : v.toFixed(1));
  console.log(`${name.padEnd(46)} ${unit.padEnd(10)} ${['descent', 'tfjs-cpu', 'tfjs-wasm', 'pytorch'].map((c) => f(cells[c]).padStart(12)).join('')}`);
}

function torch(): Record<string, number[]> | null {
  const py = '/usr/bin/python3';
  if (!existsSync(py) || spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) return null;
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: String(availableParallelism()) };
  delete env.OPENBLAS_CORETYPE;
  const r = spawnSync(py, [join(repoRoot, 'bench', 'torch_conv.py'), quick ? '--quick' : '--full', '--samples', String(samples)], { env, encoding: 'utf8', timeout: 20 * 60_000 });
  if (r.status !== 0) {
    console.log(`(PyTorch column skipped: ${r.stderr.trim().split('\n').pop()})`);
    return null;
  }
  const parsed = JSON.parse(r.stdout);
  const m = parsed._meta;
  if (m) console.log(`(PyTorch ${m.torch}: ${m.threads} threads, convolutions through oneDNN: ${m.mkldnn}, BLAS ${m.blas.name}${m.blas.config ? ` [${m.blas.config}]` : ''}; env ${Object.entries(m.env as Record<string, string | null>).map(([k, v]) => `${k}=${v ?? '(unset)'}`).join(' ')})`);
  return parsed;
}

function convnet(): Sequential {
  setSeed(1);
  const m = new Sequential([
    new Conv2D(32, 3, { activation: 'relu', inputShape: [28, 28, 1] }), new MaxPooling2D(2),
    new Conv2D(64, 3, { activation: 'relu' }), new MaxPooling2D(2),
    new Flatten(), new Dropout(0.5), new Dense(10, { activation: 'softmax' }),
  ]);
  m.compile({ loss: 'categorical_crossentropy', optimizer: new Adam() });
  return m;
}

function tfConvnet(): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dropout({ rate: 0.5 }));
  m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  m.compile({ loss: 'categoricalCrossentropy', optimizer: tf.train.adam(0.001) });
  return m;
}

async function main(): Promise<void> {
  console.log(`descent bench:conv — ${cpus()[0]?.model ?? 'cpu'} x${availableParallelism()}, Node ${process.version}, descent backend ${getBackend().name}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`${'workload'.padEnd(46)} ${'unit'.padEnd(10)} ${['descent', 'tfjs-cpu', 'tfjs-wasm', 'pytorch'].map((c) => c.padStart(12)).join('')}`);
  await tf.setBackend('cpu'); // tensors below are created before any timing switches backends
  const pt = torch();
  const reps = quick ? 3 : 7;
  const rng = new Rng(7);
  for (const [key, h, cin, cout] of [['conv1', 28, 1, 32], ['conv2', 13, 32, 64]] as const) {
    const g = convGeometry({ batch: 128, inSize: [h, h], inChannels: cin, kernel: [3, 3], outChannels: cout });
    const P = g.outSize[1] * g.outSize[2];
    const x = randn(rng, 128 * h * h * cin), w = randn(rng, 9 * cin * cout), dy = randn(rng, 128 * P * cout);
    const y = new Float32Array(dy.length), dx = new Float32Array(x.length), dw = new Float32Array(w.length);
    const flops = 2 * 128 * P * 9 * cin * cout;
    const label = `${key}: 128x${h}x${h}x${cin} * 3x3x${cin}x${cout}`;
    const tx = tf.tensor4d(x, [128, h, h, cin]), tw = tf.tensor4d(w, [3, 3, cin, cout]), tdy = tf.tensor4d(dy, [128, h - 2, h - 2, cout]);
    const tfTime = async (backend: 'cpu' | 'wasm', kind: 'fwd' | 'input' | 'filter') => {
      await tf.setBackend(backend);
      return time(() => {
        const r = kind === 'fwd' ? tf.conv2d(tx, tw, 1, 'valid')
          : kind === 'input' ? tf.conv2dTranspose(tdy, tw, [128, h, h, cin], 1, 'valid')
          : tf.grad((f: tf.Tensor) => tf.conv2d(tx, f as tf.Tensor4D, 1, 'valid'))(tw, tdy);
        r.dataSync();
        r.dispose();
      }, backend === 'cpu' ? 1 : reps);
    };
    for (const kind of ['fwd', 'input', 'filter'] as const) {
      const ours = time(() => (kind === 'fwd' ? convForward(g, x, w, y) : kind === 'input' ? convBackpropInput(g, dy, w, dx) : convBackpropFilter(g, x, dy, dw)), reps);
      const cells: Cells = { descent: flops / ours / 1e9, 'tfjs-cpu': flops / (await tfTime('cpu', kind)) / 1e9 };
      cells['tfjs-wasm'] = kind === 'filter' ? 'no kernel' : flops / (await tfTime('wasm', kind)) / 1e9;
      const t = pt?.[`${key}_${kind === 'fwd' ? 'fwd' : kind === 'input' ? 'bwd_input' : 'bwd_filter'}`];
      if (t) cells.pytorch = flops / median(t) / 1e9;
      print(`${label} ${kind === 'fwd' ? 'forward' : kind === 'input' ? 'input grad' : 'filter grad'}`, 'GFLOP/s', cells);
    }
  }
  // The convnet's epoch on MNIST-shaped data (uniform pixels, random labels: speed only).
  const xs = new Float32Array(samples * 784);
  for (let i = 0; i < xs.length; i++) xs[i] = rng.next();
  const ys = new Float32Array(samples * 10);
  for (let i = 0; i < samples; i++) ys[i * 10 + rng.int(10)] = 1;
  const model = convnet();
  const xt = new Tensor(xs, [samples, 28, 28, 1]), yt = new Tensor(ys, [samples, 10]);
  await model.fit(xt, yt, { epochs: 1, batchSize: 128, verbose: 0 });
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const epochs: number[] = [], cpuRates: number[] = [];
  for (let e = 0; e < (quick ? 1 : 3); e++) {
    const t = performance.now(), c = process.cpuUsage();
    await model.fit(xt, yt, { epochs: 1, batchSize: 128, verbose: 0 });
    const used = process.cpuUsage(c);
    epochs.push(samples / ((performance.now() - t) / 1000));
    cpuRates.push(samples / ((used.user + used.system) / 1e6));
  }
  gc?.();
  const heap1 = process.memoryUsage().heapUsed;
  await tf.setBackend('cpu');
  const tm = tfConvnet();
  const m = 128; // TF.js cpu trains this convnet at a few samples/s: one batch
  const txs = tf.tensor4d(xs.subarray(0, m * 784), [m, 28, 28, 1]), tys = tf.tensor2d(ys.subarray(0, m * 10), [m, 10]);
  const t0 = performance.now(), c0 = process.cpuUsage();
  await tm.fit(txs, tys, { epochs: 1, batchSize: 128, verbose: 0 });
  const tfCpu = m / ((performance.now() - t0) / 1000);
  const tfUsed = process.cpuUsage(c0);
  const cells: Cells = { descent: median(epochs), 'tfjs-cpu': tfCpu, 'tfjs-wasm': 'no kernel' };
  if (pt?.convnet_epoch) cells.pytorch = samples / median(pt.convnet_epoch);
  print(`MNIST convnet epoch of ${samples}, Adam, batch 128`, 'samples/s', cells);
  // On a shared machine wall time follows the load; CPU time (all threads of the process) does much less.
  const cpuCells: Cells = { descent: median(cpuRates), 'tfjs-cpu': m / ((tfUsed.user + tfUsed.system) / 1e6), 'tfjs-wasm': 'no kernel' };
  if (pt?.convnet_epoch_cpu) cpuCells.pytorch = samples / median(pt.convnet_epoch_cpu);
  print('same, samples per CPU-second (all threads)', 'samples/s', cpuCells);
  print('heap after GC: before / after the timed epochs', 'MiB', gc ? { descent: `${(heap0 / 2 ** 20).toFixed(1)} / ${(heap1 / 2 ** 20).toFixed(1)}` } : { descent: 'run with --expose-gc' });
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, JSON.stringify({ date: new Date().toISOString(), quick, samples, backend: getBackend().name, load: loadavg(), tfjs: tf.version.tfjs, rows }, null, 2) + '\n');
  console.log(`wrote ${outPath}`);
}

await main();
process.exit(0);
