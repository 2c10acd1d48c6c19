// `descent playground`: --out writes the page as static files (with the library bundle under descent/), and the
// server answers with the page, the wasm MIME type and the cross-origin-isolation headers the wasm kernels need.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/run.js';
import { startPlayground } from '../../src/cli/commands/playground.js';

const quiet = () => {
  const out: string[] = [];
  return { out, ctx: { out: (l: string) => void out.push(l), err: (l: string) => void out.push(l) } };
};

test('descent playground --out DIR writes the static page and the library bundle', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'descent-playground-'));
  try {
    const { out, ctx } = quiet();
    assert.equal(await run(['playground', '--out', dir], ctx), 0);
    assert.match(out.join('\n'), /Playground written to/);
    for (const f of ['index.html', 'style.css', 'main.js', 'worker.js', 'descent.wasm', 'descent/descent.js', 'descent/descent.wasm']) assert.ok(existsSync(join(dir, f)), f);
    assert.deepEqual(readdirSync(dir).filter((f) => f === 'src' || f.endsWith('.map')), [], 'no sources or source maps copied');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the playground server: page, wasm with its MIME type, isolation headers, 404 outside the page', async () => {
  const { url, server } = await startPlayground({ port: 0 });
  try {
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /descent playground/);
    assert.equal(page.headers.get('cross-origin-opener-policy'), 'same-origin');
    assert.equal(page.headers.get('cross-origin-embedder-policy'), 'require-corp');
    const wasm = await fetch(new URL('descent.wasm', url));
    assert.equal(wasm.headers.get('content-type'), 'application/wasm');
    assert.equal((await fetch(new URL('descent/descent.js', url))).status, 200);
    assert.equal((await fetch(new URL('../../package.json', url))).status, 404);
    assert.equal((await fetch(new URL('nothing.js', url))).status, 404);
  } finally {
    server.close();
  }
});

test('descent playground: a bad port is a usage error', async () => {
  const { out, ctx } = quiet();
  assert.equal(await run(['playground', '--port', 'x'], ctx), 2);
  assert.match(out.join('\n'), /--port must be an integer >= 0/);
});
