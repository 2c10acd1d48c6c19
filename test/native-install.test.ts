// How the native kernels reach a user: the packed package installed with install scripts blocked (npm 12's default
// for dependencies not listed in allowScripts) runs on wasm and `descent info` says why; once the user allows the
// script (`npm rebuild descent-ml`), the addon is compiled on their machine and chosen. Never a download.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const hasCompiler = spawnSync(process.env.CC || 'cc', ['--version'], { stdio: 'ignore' }).status === 0;

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 240_000, env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' } });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} exited ${r.status}\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

test('installed with scripts blocked: wasm, and info says why; after npm rebuild: native', { timeout: 300_000, skip: !hasCompiler && 'no C compiler (install gcc to build the addon)' }, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'descent-native-install-'));
  try {
    const packed = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], root)) as { filename: string; files: { path: string }[] }[];
    const files = packed[0].files.map((f) => f.path);
    for (const need of ['native/descent.c', 'native/binding.gyp', 'native/install.mjs']) assert.ok(files.includes(need), `the tarball lacks ${need}`);
    assert.ok(!files.some((f) => f.startsWith('native/build/')), 'no prebuilt binary is shipped');
    const proj = join(tmp, 'proj');
    mkdirSync(proj);
    writeFileSync(join(proj, 'package.json'), JSON.stringify({ name: 'user-project', version: '1.0.0', private: true, type: 'module' }));
    run('npm', ['install', '--ignore-scripts', '--prefer-offline', join(tmp, packed[0].filename)], proj);
    const addon = join(proj, 'node_modules', 'descent-ml', 'native', 'build', 'Release', 'descent.node');
    assert.equal(existsSync(addon), false);
    const before = run('npx', ['--no-install', 'descent', 'info'], proj);
    assert.match(before, /^backend: +wasm/m);
    assert.match(before, /native: +not in use: the addon was not built at install/);

    run('npm', ['rebuild', 'descent-ml'], proj);
    assert.ok(existsSync(addon), 'npm rebuild compiled the addon');
    assert.match(run('npx', ['--no-install', 'descent', 'info'], proj), /^backend: +native/m);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
