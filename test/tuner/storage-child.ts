// Child process for the storage tests: claims points of a grid 0..size-1 (the smallest unused one) until none is
// left, finishing each with value x². Prints "done <id> <x>" after each finishTrial returned (the trial is stored).
// Usage: node storage-child.js <storage spec> <study> <worker> <size> [sleepMs]

import { openStorage } from '../../src/tuner/storage/index.js';

const [spec, study, worker, sizeArg, sleepArg] = process.argv.slice(2);
const size = Number(sizeArg);
const sleepMs = Number(sleepArg ?? 0);
const storage = await openStorage(spec);
await storage.openStudy(study, 'minimize', { x: { type: 'int', min: 0, max: size - 1 } });
for (;;) {
  const t = await storage.claimTrial(study, worker, (trials) => {
    // a failed point may be tried again; a complete or running one is taken
    const taken = new Set(trials.filter((t) => t.status !== 'failed').map((t) => t.hyperparameters.x));
    for (let x = 0; x < size; x++) if (!taken.has(x)) return { x };
    return null;
  });
  if (!t) break;
  const x = t.hyperparameters.x as number;
  if (sleepMs > 0) await new Promise((r) => setTimeout(r, sleepMs));
  await storage.reportIntermediate(study, t.id, 0, x);
  await storage.finishTrial(study, t.id, { status: 'complete', value: x * x });
  process.stdout.write(`done ${t.id} ${x}\n`);
}
await storage.close();
