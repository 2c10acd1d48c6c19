// The package as a user gets it: `npm pack` of this checkout (already built), installed into an empty project from
// the tarball (no build runs there), imported by its name and its command run through npx. npm resolves the
// dependencies from its cache first (`npm ci` filled it), falling back to the registry. The native kernels' build
// at install (native/install.mjs, tested on its own) is skipped here with DESCENT_NATIVE=0: it takes half a minute,
// and without it descent runs on the WebAssembly kernels the tarball carries.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string> };
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 240_000, env: { ...process.env, DESCENT_NATIVE: '0', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' } });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status}\n--- stderr ---\n${r.stderr}\n--- stdout ---\n${r.stdout}`);
  return r.stdout;
}

test(`npm pack, install the tarball into an empty project, import '${pkg.name}' and run 'npx descent'`, { timeout: 300_000 }, () => {
  assert.equal(pkg.name, 'descent-ml');
  assert.ok(pkg.bin.descent, 'the command is still called descent');
  const tmp = mkdtempSync(join(tmpdir(), 'descent-install-'));
  try {
    // --ignore-scripts: the checkout is built already (npm test runs after npm ci), so pack only packs.
    const packed = JSON.parse(run(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], root)) as { filename: string; files: { path: string }[] }[];
    const files = packed[0].files.map((f) => f.path);
    for (const need of ['build/descent.wasm', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/cli/main.js', 'dist/src/backend/wasm-worker.js', 'README.md']) {
      assert.ok(files.includes(need), `the tarball lacks ${need}`);
    }
    assert.ok(!files.some((f) => f.startsWith('dist/test/') || f.startsWith('src/')), 'tests and TypeScript sources stay out of the tarball');

    const proj = join(tmp, 'proj');
    run('mkdir', ['-p', proj], tmp);
    writeFileSync(join(proj, 'package.json'), JSON.stringify({ name: 'user-project', version: '1.0.0', private: true, type: 'module' }));
    run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', join(tmp, packed[0].filename)], proj);
    assert.ok(!existsSync(join(proj, 'node_modules', pkg.name, 'src')), 'installed without sources');

    // Imported by name: a model trains (the wasm kernels load from build/) and the CSV reader works.
    writeFileSync(join(proj, 'data.csv'), 'a,b,label\n' + Array.from({ length: 60 }, (_, i) => {
      const a = Math.sin(i), b = Math.cos(1.3 * i);
      return `${a.toFixed(3)},${b.toFixed(3)},${a + b > 0 ? 'yes' : 'no'}`;
    }).join('\n') + '\n');
    writeFileSync(join(proj, 'use.mjs'), [
      "import { Sequential, Dense, loadCsv, setSeed } from 'descent-ml';",
      "setSeed(1);",
      "const data = await loadCsv('data.csv', { target: 'label' });",
      "const m = new Sequential();",
      "m.add(new Dense(4, { inputDim: 2, activation: 'relu' }));",
      "m.add(new Dense(1, { activation: 'sigmoid' }));",
      "m.compile({ loss: 'binary_crossentropy', optimizer: 'adam' });",
      "const h = await m.fit(data.x, data.y, { epochs: 2, verbose: 0 });",
      "console.log(JSON.stringify({ rows: data.rows, classes: data.classes, epochs: h.history.loss.length }));",
    ].join('\n'));
    const used = JSON.parse(run(process.execPath, ['use.mjs'], proj).trim()) as { rows: number; classes: string[]; epochs: number };
    assert.deepEqual(used, { rows: 60, classes: ['no', 'yes'], epochs: 2 });

    // The command through npx (--no-install: never fetch an unrelated 'descent' from the registry).
    assert.equal(run(npx, ['--no-install', 'descent', '--version'], proj).trim(), pkg.version);
    const out = run(npx, ['--no-install', 'descent', 'train', 'data.csv', '--target', 'label', '--epochs', '2', '--test-size', '0', '--out', 'm', '--quiet'], proj);
    assert.match(out, /Saved model to/);
    run(npx, ['--no-install', 'descent', 'predict', 'm', 'data.csv', '--out', 'p.csv'], proj);
    assert.equal(readFileSync(join(proj, 'p.csv'), 'utf8').trim().split('\n').length, 61);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
