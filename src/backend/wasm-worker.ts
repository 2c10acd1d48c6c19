// A worker thread of the wasm backend: the same module on the same shared memory. It sleeps on Gen, and on
// each new generation joins the chunk loop of the current job (see wasm-protocol.ts).

import { workerData } from 'node:worker_threads';
import { CTL_BYTES, Ctl, OP_STOP, runChunks, type GemmExports } from './wasm-protocol.js';

const { module, memory, slot, scratch } = workerData as { module: WebAssembly.Module; memory: WebAssembly.Memory; slot: number; scratch: number };
const { gemm } = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as GemmExports;
const ctl = new Int32Array(memory.buffer, 0, CTL_BYTES / 4);

let seen = Atomics.load(ctl, Ctl.Gen);
Atomics.store(ctl, Ctl.ReadyBase + slot, 1);
for (;;) {
  Atomics.wait(ctl, Ctl.Gen, seen);
  const gen = Atomics.load(ctl, Ctl.Gen);
  if (gen === seen) continue;
  seen = gen;
  if (ctl[Ctl.Op] === OP_STOP) break;
  runChunks(ctl, gen & 0x7fff, gemm, scratch);
}
