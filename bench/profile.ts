// Profiling harness for the training loop (phase 3 of the speed issue). Runs one workload many times so that
// `node --cpu-prof` sees steady state, then `node dist/bench/profile.js --summarize <file.cpuprofile>` prints
// self time per function and per file.
//   node --cpu-prof --cpu-prof-dir=/tmp/prof dist/bench/profile.js chapter   (Adam, batch 10, 150 epochs) x10
//   node --cpu-prof --cpu-prof-dir=/tmp/prof dist/bench/profile.js sgd1      (SGD+momentum, batch 1) x3
//   node --cpu-prof --cpu-prof-dir=/tmp/prof dist/bench/profile.js mlp       (784-256-128-10, Adam, batch 128) x3
// With --steady=<file.cpuprofile> the profile covers only the runs after the first (JIT warm-up excluded).

import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tensor } from '../src/index.js';
import { chapterData, mlpData, chapterModel, mlpModel } from './workloads.js';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount: number; children?: number[] }

function summarize(path: string): void {
  const prof = JSON.parse(readFileSync(path, 'utf8')) as { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[] };
  const total = prof.samples.length;
  const byFn = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const n of prof.nodes) {
    const file = n.callFrame.url.replace(/^.*\/(dist|node_modules)\//, '') || '(native)';
    const key = `${n.callFrame.functionName || '(anonymous)'}  ${file}:${n.callFrame.lineNumber + 1}`;
    byFn.set(key, (byFn.get(key) ?? 0) + n.hitCount);
    byFile.set(file, (byFile.get(file) ?? 0) + n.hitCount);
  }
  const seconds = (prof.endTime - prof.startTime) / 1e6;
  console.log(`${total} samples over ${seconds.toFixed(2)} s\n\nself time by function:`);
  for (const [k, v] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${((100 * v) / total).toFixed(1).padStart(6)}%  ${k}`);
  console.log('\nself time by file:');
  for (const [k, v] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${((100 * v) / total).toFixed(1).padStart(6)}%  ${k}`);
}

let session: Session | null = null;
/** Called after the first (warm-up) run: start the sampling profiler when --steady was given. */
async function warmedUp(): Promise<void> {
  if (!steadyOut || session) return;
  session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
}

async function run(workload: string): Promise<void> {
  if (workload === 'mlp') {
    const n = 10000;
    const { x, y } = mlpData(n);
    const model = mlpModel();
    for (let r = 0; r < 3; r++) {
      const t = performance.now();
      await model.fit(tensor(x, [n, 784]), tensor(y, [n, 10]), { epochs: 1, batchSize: 128, verbose: 0 });
      console.log(`epoch: ${(performance.now() - t).toFixed(1)} ms, ${(n / ((performance.now() - t) / 1000)).toFixed(0)} samples/s`);
      await warmedUp();
    }
    return;
  }
  const { x, y } = chapterData();
  const sgd = workload === 'sgd1';
  for (let r = 0; r < (sgd ? 3 : 10); r++) {
    const model = chapterModel(sgd ? 'sgdm' : 'adam');
    const t = performance.now();
    await model.fit(tensor(x, [100, 8]), tensor(y, [100, 1]), { epochs: 150, batchSize: sgd ? 1 : 10, verbose: 0 });
    const ms = performance.now() - t;
    console.log(`fit: ${ms.toFixed(1)} ms, ${((1000 * ms) / (sgd ? 15000 : 1500)).toFixed(2)} µs/step`);
    if (r >= 1) await warmedUp();
  }
}

const args = process.argv.slice(2);
const steadyOut = args.find((a) => a.startsWith('--steady='))?.slice(9);
if (args[0] === '--summarize') summarize(args[1]);
else {
  await run(args.find((a) => !a.startsWith('--')) ?? 'chapter');
  const s = session as Session | null; // assigned inside run()
  if (s) {
    const { profile } = await s.post('Profiler.stop');
    writeFileSync(steadyOut!, JSON.stringify(profile));
    s.disconnect();
    summarize(steadyOut!);
  }
}
