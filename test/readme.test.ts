// Every README code block that imports 'descent' runs as written (as an ES module, through the package's
// self-reference) and exits cleanly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]).filter((code) => code.includes("from 'descent'") && !code.includes('// not runnable'));

test('README has runnable examples', () => {
  assert.ok(blocks.length >= 2, `found ${blocks.length} runnable blocks`);
});

blocks.forEach((code, i) => {
  test(`README example ${i + 1} runs`, () => {
    const dir = path.join(root, 'dist', 'readme-examples');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `example-${i + 1}.mjs`);
    writeFileSync(file, code);
    const r = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, `example ${i + 1} failed:\n${code}\n--- stderr ---\n${r.stderr}\n--- stdout ---\n${r.stdout.slice(-2000)}`);
  });
});
