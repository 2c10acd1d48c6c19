// Memory and allocation over a long run of the chapter's workload (Dense 32 relu + Dense 1 sigmoid, Adam, batch 10):
// heap after a full GC every 10k steps (flat = nothing retained per step), and young-generation collections per
// 1000 steps (each one means a new space's worth of allocation), on the replayed (captured) step and on eager steps.
//   npm run bench:memory [-- --steps=100000]

import v8 from 'node:v8';
import vm from 'node:vm';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { tensor } from '../src/index.js';
import { chapterData, chapterModel } from './workloads.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const stepsArg = process.argv.find((a) => a.startsWith('--steps='));
const totalSteps = stepsArg ? Number(stepsArg.slice(8)) : 100_000;

let minorGcs = 0;
const observer = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if ((e as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) minorGcs++;
});
observer.observe({ entryTypes: ['gc'] });

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

async function run(fastPath: boolean): Promise<void> {
  const data = chapterData();
  const x = tensor(data.x, [100, 8]);
  const y = tensor(data.y, [100, 1]);
  const model = chapterModel('adam');
  model.fastPath = fastPath;
  await model.fit(x, y, { epochs: 100, batchSize: 10, verbose: 0 }); // warm-up: 1000 steps
  const semi = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
  const rounds = Math.max(1, Math.round(totalSteps / 10_000));
  const heaps: string[] = [];
  const base = heapAfterGc();
  let gcs = 0;
  const start = performance.now();
  for (let r = 0; r < rounds; r++) {
    // One fit per round keeps History small; 1000 epochs × 10 batches = 10k steps.
    await new Promise((resolve) => setImmediate(resolve)); // let the GC observer deliver
    const before = minorGcs;
    await model.fit(x, y, { epochs: 1000, batchSize: 10, verbose: 0 });
    await new Promise((resolve) => setImmediate(resolve));
    gcs += minorGcs - before;
    heaps.push(((heapAfterGc() - base) / 1024).toFixed(0));
  }
  const seconds = (performance.now() - start) / 1000;
  const steps = rounds * 10_000;
  console.log(`${fastPath ? 'replayed step' : 'eager steps  '}: ${steps} steps in ${seconds.toFixed(2)} s (${((seconds / steps) * 1e6).toFixed(1)} µs/step)`);
  console.log(`  heap after GC, kB above the start, every 10k steps: ${heaps.join(' ')}`);
  console.log(`  young-generation GCs: ${gcs} (${((gcs * 1000) / steps).toFixed(2)} per 1000 steps; new space ${(semi / 1024).toFixed(0)} kB → about ${((gcs * semi) / steps).toFixed(0)} bytes allocated per step)`);
}

await run(true);
await run(false);
observer.disconnect();
