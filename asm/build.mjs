// Compile asm/*.ts (AssemblyScript) into build/descent.wasm (SIMD128) and build/descent-relaxed.wasm (SIMD128 plus
// relaxed SIMD's fused multiply-add, loaded only where WebAssembly.validate accepts it); skipped when both outputs
// are newer than every source. Run by `npm run build` (and so by `npm install` through prepare). --force rebuilds;
// --out=dir writes elsewhere.
import { readdirSync, statSync, mkdirSync, renameSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const dir = process.argv.find((a) => a.startsWith('--out='))?.slice(6) ?? join(root, 'build');
const builds = [
  { out: join(dir, 'descent.wasm'), features: ['simd', 'threads'] },
  { out: join(dir, 'descent-relaxed.wasm'), features: ['simd', 'threads', 'relaxed-simd'] },
];
const sources = readdirSync(here).filter((f) => f.endsWith('.ts') || f.endsWith('.mjs')).map((f) => join(here, f));
const newest = Math.max(...sources.map((f) => statSync(f).mtimeMs));
const upToDate = (out) => {
  try { return statSync(out).mtimeMs > newest; } catch { return false; /* not built yet */ }
};

if (builds.every((b) => upToDate(b.out)) && !process.argv.includes('--force')) {
  console.log('asm: build/descent.wasm and descent-relaxed.wasm are up to date');
} else {
  const asc = (await import('assemblyscript/asc')).default;
  mkdirSync(dir, { recursive: true });
  for (const { out, features } of builds) {
    const tmp = out + '.tmp';
    const { error, stderr } = await asc.main([
      join(here, 'index.ts'), '-o', tmp,
      '-O3', '--noAssert', '--runtime', 'stub',
      // Memory is provided by the host (shared, so worker threads can run on it); 32768 pages = 2 GiB.
      '--importMemory', '--sharedMemory', '--initialMemory', '1', '--maximumMemory', '32768',
      ...features.flatMap((f) => ['--enable', f]),
    ]);
    if (error) {
      console.error(stderr.toString());
      console.error(`asm: compile failed: ${error.message}`);
      process.exit(1);
    }
    renameSync(tmp, out);
  }
  console.log('asm: built build/descent.wasm and build/descent-relaxed.wasm');
}
