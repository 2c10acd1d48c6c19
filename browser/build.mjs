// Browser build (run by `npm run build` after tsc): esbuild bundles the compiled ES modules.
//   dist/browser/descent.js     the browser entry (src/browser.ts) as one ES module, descent.wasm beside it
//   dist/playground/            the playground page: index.html, style.css, main.js, worker.js, descent.wasm
// platform: 'browser' applies package.json's "browser" field (platform/node.js -> platform/browser.js) and
// refuses any Node built-in, so a core module that imports one fails this build.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wasm = join(root, 'build', 'descent.wasm');

/** Bundle one compiled entry for the browser; resolves to esbuild's result (throws on any error). */
export function bundle(entry, outfile, extra = {}) {
  return build({
    entryPoints: [join(root, entry)],
    outfile: join(root, outfile),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    sourcemap: true,
    keepNames: true, // class names appear in messages and configs (bundling may rename colliding ones)
    logLevel: 'error',
    ...extra,
  });
}

export async function buildAll() {
  mkdirSync(join(root, 'dist/browser'), { recursive: true });
  await bundle('dist/src/browser.js', 'dist/browser/descent.js');
  copyFileSync(wasm, join(root, 'dist/browser/descent.wasm'));
  const out = join(root, 'dist/playground');
  mkdirSync(out, { recursive: true });
  // The page ships without source maps (its TypeScript sources are in the repository); the library keeps its map.
  await bundle('dist/playground/src/main.js', 'dist/playground/main.js', { sourcemap: false, minify: true });
  await bundle('dist/playground/src/worker.js', 'dist/playground/worker.js', { sourcemap: false, minify: true });
  for (const f of readdirSync(join(root, 'playground/static'))) copyFileSync(join(root, 'playground/static', f), join(out, f));
  copyFileSync(wasm, join(out, 'descent.wasm'));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildAll();
