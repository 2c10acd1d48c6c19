// Saving replaces the target directory, so it must refuse directories that hold anything but a saved model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Sequential, Dense, saveModel } from '../../src/index.js';

function model(): Sequential {
  const m = new Sequential([new Dense(1, { inputDim: 2 })]);
  m.compile({ loss: 'mse', optimizer: 'sgd' });
  return m;
}

test('refuses a directory with other files, and leaves them in place', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'descent-guard-'));
  writeFileSync(path.join(dir, 'notes.txt'), 'keep me');
  await assert.rejects(saveModel(model(), dir), /Refusing to save a model to .*notes\.txt.*new or empty directory/);
  assert.ok(existsSync(path.join(dir, 'notes.txt')));
});

test('refuses the working directory and its parents', async () => {
  await assert.rejects(saveModel(model(), '.'), /working directory or one of its parents/);
  await assert.rejects(saveModel(model(), '..'), /working directory or one of its parents/);
});

test('replaces an earlier saved model in place', async () => {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'descent-guard-')), 'm');
  mkdirSync(dir);
  await saveModel(model(), dir);
  await saveModel(model(), dir);
  assert.ok(existsSync(path.join(dir, 'model.json')));
});
