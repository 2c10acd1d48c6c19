// A worker thread of the wasm backend: the same module on the same shared memory. It sleeps on Gen, and on
// each new generation joins the chunk loop of the current job (see wasm-protocol.ts).

import { workerData } from 'node:worker_threads';
import { CTL_BYTES, Ctl, OP_STOP, runChunks, type GemmExports } from './wasm-protocol.js';

const { module, memory, slot, scratch } = workerData as { module: WebAssembly.Module; memory: WebAssembly.Memory; slot: number; scratch: number };
const { gemm } = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as GemmExports;
const ctl = new Int32Array(memory.buffer, 0, CTL_BYTES / 4);

// After a job, poll for the next one briefly before sleeping: training issues matmuls back to back, and a
// futex wake-up costs more than a short spin.
const SPIN_MS = 0.2;

let seen = Atomics.load(ctl, Ctl.Gen);
Atomics.store(ctl, Ctl.ReadyBase + slot, 1);
for (;;) {
  const spinUntil = performance.now() + SPIN_MS;
  while (Atomics.load(ctl, Ctl.Gen) === seen && performance.now() < spinUntil);
  if (Atomics.load(ctl, Ctl.Gen) === seen) Atomics.wait(ctl, Ctl.Gen, seen);
  const gen = Atomics.load(ctl, Ctl.Gen);
  if (gen === seen) continue;
  seen = gen;
  if (ctl[Ctl.Op] === OP_STOP) break;
  runChunks(ctl, gen & 0x7fff, gemm, scratch);
}
