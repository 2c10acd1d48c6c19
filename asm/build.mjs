// Compile asm/*.ts (AssemblyScript) into build/descent.wasm; skipped when the output is newer than every source.
// Run by `npm run build` (and so by `npm install` through prepare). Pass --force to rebuild.
import { readdirSync, statSync, mkdirSync, renameSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const out = join(root, 'build', 'descent.wasm');
const sources = readdirSync(here).filter((f) => f.endsWith('.ts') || f.endsWith('.mjs')).map((f) => join(here, f));
const newest = Math.max(...sources.map((f) => statSync(f).mtimeMs));
let upToDate = false;
try { upToDate = statSync(out).mtimeMs > newest; } catch { /* not built yet */ }

if (upToDate && !process.argv.includes('--force')) {
  console.log('asm: build/descent.wasm is up to date');
} else {
  const asc = (await import('assemblyscript/asc')).default;
  mkdirSync(dirname(out), { recursive: true });
  const tmp = out + '.tmp';
  const { error, stderr } = await asc.main([
    join(here, 'index.ts'), '-o', tmp,
    '-O3', '--noAssert', '--runtime', 'stub',
    // Memory is provided by the host (shared, so worker threads can run on it); 32768 pages = 2 GiB.
    '--importMemory', '--sharedMemory', '--initialMemory', '1', '--maximumMemory', '32768',
    '--enable', 'simd', '--enable', 'threads',
  ]);
  if (error) {
    console.error(stderr.toString());
    console.error(`asm: compile failed: ${error.message}`);
    process.exit(1);
  }
  renameSync(tmp, out);
  console.log('asm: built build/descent.wasm');
}
