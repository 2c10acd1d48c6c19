// descent info: which kernels run here (backend, CPU features, threads, BLAS) and why the faster ones do not.

import { cpus, availableParallelism } from 'node:os';
import { parse, type OptionSpec } from '../args.js';
import { getBackend, listBackends } from '../../backend/backend.js';
import { nativeBackend, nativeError, wasmBackend, wasmError } from '../../backend/index.js';
import type { CliContext } from '../context.js';

export const INFO_USAGE = `Usage: descent info [--json]

Print the active backend (native, wasm or js), the CPU's vector features, the threads large products use, and
the BLAS the native kernels call, or why the native kernels are not in use.
Override with DESCENT_BACKEND=native|wasm|js, DESCENT_THREADS=n, DESCENT_BLAS=none (descent's own GEMM).

Options:
  --json        the same as one JSON object
  -h, --help    this help`;

export async function info(argv: string[], ctx: CliContext): Promise<number> {
  const { values } = parse('info', argv, { json: { type: 'boolean' } } as OptionSpec, { min: 0, max: 0, names: '' });
  if (values.help) return ctx.out(INFO_USAGE), 0;
  const native = nativeBackend?.info() ?? null;
  const report = {
    backend: getBackend().name,
    available: listBackends(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    native: native ?? { unavailable: nativeError },
    wasm: wasmBackend ? { threads: wasmBackend.threads } : { unavailable: wasmError },
  };
  if (values.json) return ctx.out(JSON.stringify(report, null, 2)), 0;
  ctx.out(`backend:  ${report.backend} (available: ${report.available.join(', ')}; override with DESCENT_BACKEND)`);
  ctx.out(`cpu:      ${report.cpu}, ${report.cores} cores${native ? `; features ${native.features.join(' ')}` : ''}`);
  if (native) {
    const gemm = native.blas ? `${native.blas} (${native.blasPath}; ${native.blasConfig ?? 'no configuration string'})` : `descent's own ${native.isa} kernels${native.blasFound ? ` (${native.blasFound} found but off)` : ' (no OpenBLAS or BLIS found)'}`;
    ctx.out(`native:   GEMM via ${gemm}`);
    ctx.out(`          own kernels ${native.isas.join(', ')} (using ${native.isa}); ${native.threads} threads; built with ${native.compiler ?? 'unknown compiler'}`);
  } else {
    ctx.out(`native:   not in use: ${nativeError}`);
    ctx.out(`          to build it: a C compiler, then \`npm rebuild descent-ml\` (npm 12: allow its install script first, see docs/speed.md)`);
  }
  ctx.out(`wasm:     ${wasmBackend ? `SIMD128${wasmBackend.fma ? ' + relaxed SIMD (FMA)' : ''}, ${wasmBackend.threads} threads` : `not in use: ${wasmError}`}`);
  ctx.out(`node:     ${report.node} (${report.platform})`);
  return 0;
}
