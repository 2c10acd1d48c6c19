// Saves killed with SIGKILL, the leftovers they leave, and files from a newer descent (issue 13, items 11-13).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, mkdirSync, readdirSync, utimesSync, renameSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Sequential, Dense, saveModel, loadModel } from '../../src/index.js';

function model(): Sequential {
  const m = new Sequential([new Dense(4, { inputDim: 2 }), new Dense(1)]);
  m.compile({ loss: 'mse', optimizer: 'adam' });
  return m;
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

const hidden = (parent: string) => readdirSync(parent).filter((e) => e.startsWith('.'));

test('a model from a newer format version is refused, naming both versions', async () => {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'descent-fv-')), 'm');
  await saveModel(model(), dir);
  const file = path.join(dir, 'model.json');
  const json = JSON.parse(readFileSync(file, 'utf8'));
  json.userDefinedMetadata.descent.formatVersion = 2;
  writeFileSync(file, JSON.stringify(json));
  await assert.rejects(loadModel(dir), /model\.json: written in descent's model format version 2 \(by descent [\d.]+\), but this descent \([\d.]+\) reads format version 1; load it with a newer descent\./);
});

test('leftovers of killed saves are removed by the next save and by a load; a running save is left alone', async () => {
  const parent = mkdtempSync(path.join(tmpdir(), 'descent-left-'));
  const dir = path.join(parent, 'ckpt');
  await saveModel(model(), dir);
  const dead = deadPid();
  for (const name of [`.ckpt.tmp-${dead}-0badc0de`, `.ckpt.old-${dead}-00000001`, `.ckpt.tmp-${process.pid}-12345678`]) {
    mkdirSync(path.join(parent, name));
    writeFileSync(path.join(parent, name, 'model.json'), '{}');
  }
  mkdirSync(path.join(parent, '.other.tmp-1-abcdef12')); // another target's: not ours to touch
  await saveModel(model(), dir);
  assert.deepEqual(hidden(parent).sort(), [`.ckpt.tmp-${process.pid}-12345678`, '.other.tmp-1-abcdef12']);
  mkdirSync(path.join(parent, `.ckpt.old-${dead}-00000002`));
  await loadModel(dir);
  assert.deepEqual(hidden(parent).sort(), [`.ckpt.tmp-${process.pid}-12345678`, '.other.tmp-1-abcdef12']);
});

test('a missing model names the newest of several backups, and keeps them', async () => {
  const parent = mkdtempSync(path.join(tmpdir(), 'descent-bak-'));
  const dir = path.join(parent, 'm');
  const dead = deadPid();
  const names = [`.m.old-${dead}-0000000a`, `.m.old-${dead}-0000000b`, `.m.old-${dead}-0000000c`];
  const times = [1_700_000_000, 1_700_000_300, 1_700_000_100]; // the second is the newest
  for (const [i, name] of names.entries()) {
    await saveModel(model(), path.join(parent, 'tmp-save'));
    renameSync(path.join(parent, 'tmp-save'), path.join(parent, name));
    utimesSync(path.join(parent, name), times[i], times[i]);
  }
  await assert.rejects(loadModel(dir), (e: Error) => {
    assert.match(e.message, /Model directory not found: .*m\. A save into it was interrupted; the previous model is in .*\.m\.old-\d+-0000000b \(the newest of 3 backups\): rename it to/);
    return true;
  });
  assert.equal(hidden(parent).length, 3, 'backups are kept while the model is missing');
});

test('kill -9 during saves: the model is always whole (or its newest backup is), and the next save cleans up', async () => {
  const parent = mkdtempSync(path.join(tmpdir(), 'descent-kill-'));
  const dir = path.join(parent, 'm');
  const index = fileURLToPath(new URL('../../src/index.js', import.meta.url));
  const script = path.join(parent, 'saver.mjs');
  // Saves forever: a 64-64-1 model with a large extra file, so that kills land in every phase of a save.
  writeFileSync(script, `
import { Sequential, Dense, saveModel } from ${JSON.stringify(index)};
const m = new Sequential([new Dense(64, { inputDim: 64 }), new Dense(64), new Dense(1)]);
m.compile({ loss: 'mse', optimizer: 'adam' });
const big = 'x'.repeat(400000);
process.stdout.write('ready\\n');
for (;;) await saveModel(m, ${JSON.stringify(dir)}, { files: { 'history.json': big } });
`);
  await saveModel(model(), dir); // a model is in place before the first kill
  for (let k = 0; k < 8; k++) {
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    await new Promise((r) => setTimeout(r, 20 + ((k * 37) % 90)));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    if (existsSync(dir)) {
      // Whatever the moment of the kill, the directory in place is a complete model (load also tidies up).
      await loadModel(dir);
    } else {
      // Killed between the two renames: the previous model waits in the newest backup.
      const err = await loadModel(dir).then(() => null, (e: Error) => e.message);
      const backup = err?.match(/the previous model is in (\S+?)(?: \(|:)/)?.[1];
      assert.ok(backup, `no backup named: ${err}`);
      await loadModel(backup);
      renameSync(backup, dir);
    }
  }
  await saveModel(model(), dir);
  assert.deepEqual(hidden(parent), [], 'no .m.tmp-* or .m.old-* left');
});
