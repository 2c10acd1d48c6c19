// One workload timed on two builds of descent in one process, runs interleaved so that load changes hit both alike:
// this checkout against another (for example the last commit with the planned Dense step, or round 1's autograd).
//   git worktree add /tmp/base 644072c && (cd /tmp/base && npm ci)
//   node dist/bench/compare-builds.js /tmp/base [chapter|mlp|l2|custom] [runs]
// Prints the median and minimum of each and their ratios (> 1: this checkout is faster).

import { resolve } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';

type Lib = typeof import('../src/index.js');

const [baseDir, workload = 'chapter', runsArg] = process.argv.slice(2);
if (!baseDir) throw new Error('usage: node dist/bench/compare-builds.js <other checkout, built> [chapter|mlp|l2|custom] [runs]');
const here = resolve(fileURLToPath(import.meta.url), '../../..');
const load = async (dir: string): Promise<Lib> => (await import(pathToFileURL(resolve(dir, 'dist/src/index.js')).href)) as Lib;
const [base, ours] = [await load(baseDir), await load(here)];

/** The chapter's model and data, or the 784-256-128-10 MLP (plain, L2 on every kernel, or a loss written with ops). */
function setup(L: Lib): { fit: () => Promise<unknown> } {
  L.setSeed(1);
  const rng = new L.Rng(5);
  if (workload === 'chapter') {
    const x = L.tensor(Float32Array.from({ length: 800 }, () => rng.normal(0, 1)), [100, 8]);
    const y = L.tensor(Float32Array.from({ length: 100 }, () => (rng.next() > 0.5 ? 1 : 0)), [100, 1]);
    const m = new L.Sequential();
    m.add(new L.Dense(32, { inputDim: 8, activation: 'relu' }));
    m.add(new L.Dense(1, { activation: 'sigmoid' }));
    m.compile({ loss: 'binary_crossentropy', optimizer: new L.Adam({ learningRate: 0.01 }) });
    return { fit: () => m.fit(x, y, { epochs: 150, batchSize: 10, verbose: 0 }) };
  }
  const n = 2560;
  const x = L.tensor(Float32Array.from({ length: n * 784 }, () => rng.next()), [n, 784]);
  const yd = new Float32Array(n * 10);
  for (let i = 0; i < n; i++) yd[i * 10 + Math.floor(rng.next() * 10)] = 1;
  const y = L.tensor(yd, [n, 10]);
  const reg = workload === 'l2' ? L.l2(1e-4) : undefined;
  const m = new L.Sequential();
  m.add(new L.Dense(256, { inputDim: 784, activation: 'relu', kernelRegularizer: reg }));
  m.add(new L.Dense(128, { activation: 'relu', kernelRegularizer: reg }));
  m.add(new L.Dense(10, { activation: 'softmax', kernelRegularizer: reg }));
  const ops = L.ops;
  const custom = (t: import('../src/index.js').Tensor, p: import('../src/index.js').Tensor) => ops.neg(ops.sum(ops.mul(t, ops.log(ops.clip(p, 1e-7, 1))), -1));
  m.compile({ loss: workload === 'custom' ? custom : 'categorical_crossentropy', optimizer: new L.Adam({ learningRate: 0.001 }) });
  return { fit: () => m.fit(x, y, { epochs: 1, batchSize: 128, verbose: 0 }) };
}

const runs = Number(runsArg ?? (workload === 'chapter' ? 30 : 10));
// The chapter fit starts from a fresh model each run (as the bench); the MLP trains one model epoch after epoch.
const fresh = workload === 'chapter';
const jobs = [base, ours].map((L) => ({ L, job: setup(L) }));
const time = async (k: number): Promise<number> => {
  const job = fresh ? setup(jobs[k].L) : jobs[k].job;
  const t = performance.now();
  await job.fit();
  return performance.now() - t;
};
await time(0);
await time(1);
const times: [number[], number[]] = [[], []];
for (let r = 0; r < runs; r++) for (const k of [0, 1]) times[k].push(await time(k));
const med = (a: number[]) => [...a].sort((p, q) => p - q)[a.length >> 1];
const min = (a: number[]) => Math.min(...a);
const [tb, to] = times;
console.log(`${workload}: other ${med(tb).toFixed(1)} ms (min ${min(tb).toFixed(1)}), this ${med(to).toFixed(1)} ms (min ${min(to).toFixed(1)}); this is ${(med(tb) / med(to)).toFixed(2)}x by medians, ${(min(tb) / min(to)).toFixed(2)}x by minimums`);
