// `npm install` hook: build the native kernels (native/descent.c) with node-gyp when this machine can, and never
// fail the install. Needs a C compiler and Node's headers already on disk (node-gyp would otherwise download
// them, and descent downloads nothing); without them descent runs on its WebAssembly kernels.
// Result: native/build/Release/descent.node, and native/build/install.log with the compiler's output.
// DESCENT_NATIVE=0 skips the build.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const say = (msg) => console.log(`descent: ${msg}`);
const fallback = 'descent will use its WebAssembly kernels (see `npx descent info`)';

function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((p) => p && p.endsWith('.js') && existsSync(p)) ?? null;
}

/** A directory with include/node/node_api.h that node-gyp can use without downloading. */
function headers() {
  const configured = process.env.npm_config_nodedir;
  if (configured && existsSync(join(configured, 'include', 'node', 'node_api.h'))) return configured;
  const prefix = dirname(dirname(process.execPath));
  if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) return prefix;
  return null;
}

function main() {
  if (process.env.DESCENT_NATIVE === '0') return say(`native kernels skipped (DESCENT_NATIVE=0); ${fallback}.`);
  const gyp = nodeGyp();
  if (!gyp) return say(`native kernels not built (node-gyp not found); ${fallback}.`);
  const nodedir = headers();
  if (!nodedir) return say(`native kernels not built (Node's C headers are not installed; set npm_config_nodedir); ${fallback}.`);
  const cc = process.env.CC || 'cc';
  if (spawnSync(cc, ['--version'], { stdio: 'ignore' }).status !== 0) return say(`native kernels not built (no C compiler '${cc}'); ${fallback}.`);
  const r = spawnSync(process.execPath, [gyp, 'configure', 'build', `--nodedir=${nodedir}`], { cwd: here, encoding: 'utf8', timeout: 300_000 });
  mkdirSync(join(here, 'build'), { recursive: true });
  writeFileSync(join(here, 'build', 'install.log'), `${r.stdout ?? ''}\n${r.stderr ?? ''}`);
  const built = join(here, 'build', 'Release', 'descent.node');
  if (r.status !== 0 || !existsSync(built)) return say(`native kernels failed to build (log: native/build/install.log); ${fallback}.`);
  // Load it once in a child, so a broken binary is reported here rather than at the first import.
  const check = spawnSync(process.execPath, ['-e', `const m = require(${JSON.stringify(built)}); const i = m.info(); console.log(i.isa + (i.blas ? ', ' + i.blas : ''))`], { encoding: 'utf8' });
  if (check.status !== 0) return say(`native kernels built but do not load (${(check.stderr || '').trim().split('\n')[0]}); ${fallback}.`);
  say(`native kernels built (${check.stdout.trim()}).`);
}

try {
  main();
} catch (e) {
  say(`native kernels not built (${e.message}); ${fallback}.`);
}
