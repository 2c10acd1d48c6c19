// loadModel's error catalogue: each bad directory gives one error that names the file and the problem.
// Structural cases edit a "foreign" copy (descent's checksums removed, as in a file written by another tool),
// since in a descent file any edit is already caught by the checksum (tested too).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, mkdirSync, unlinkSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sequential, Dense, Dropout, Adam, setSeed, tensor } from '../../src/index.js';
import { saveModel } from '../../src/io/save.js';
import { loadModel } from '../../src/io/load.js';

const root = mkdtempSync(join(tmpdir(), 'descent-ioerr-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
let k = 0;

async function savedDir(): Promise<string> {
  setSeed(1);
  const m = new Sequential();
  m.add(new Dense(3, { inputDim: 2, activation: 'relu' }));
  m.add(new Dropout(0.1));
  m.add(new Dense(1, { activation: 'sigmoid' }));
  m.compile({ loss: 'binary_crossentropy', optimizer: new Adam(), metrics: ['accuracy'] });
  await m.fit(tensor([[0, 1], [1, 0], [1, 1]]), tensor([[1], [1], [0]]), { epochs: 1, verbose: 0 });
  const dir = join(root, `m${k++}`);
  await saveModel(m, dir);
  return dir;
}

/** A copy of model.json without descent's checksums, edited by `edit`. */
function foreign(dir: string, edit: (j: any) => void): void {
  const file = join(dir, 'model.json');
  const j = JSON.parse(readFileSync(file, 'utf8'));
  delete j.userDefinedMetadata;
  j.generatedBy = 'some other tool';
  edit(j);
  writeFileSync(file, JSON.stringify(j));
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('missing directory, directory without model.json, bad JSON', async () => {
  await assert.rejects(loadModel(join(root, 'nope')), /Model directory not found: .*nope/);
  const empty = join(root, 'empty');
  mkdirSync(empty);
  await assert.rejects(loadModel(empty), new RegExp(`${esc(join(empty, 'model.json'))} not found: .* has no model\\.json`));
  const dir = await savedDir();
  writeFileSync(join(dir, 'model.json'), '{"format": "layers-model", "modelTop');
  await assert.rejects(loadModel(dir), new RegExp(`${esc(join(dir, 'model.json'))} is not valid JSON`));
});

test('wrong format, not an object, no weights manifest, non-Sequential model', async () => {
  let dir = await savedDir();
  foreign(dir, (j) => (j.format = 'graph-model'));
  await assert.rejects(loadModel(dir), /model\.json: format 'graph-model' is not supported/);
  dir = await savedDir();
  writeFileSync(join(dir, 'model.json'), '[1, 2]');
  await assert.rejects(loadModel(dir), /model\.json: expected a JSON object/);
  dir = await savedDir();
  foreign(dir, (j) => delete j.weightsManifest);
  await assert.rejects(loadModel(dir), /model\.json: weightsManifest is missing/);
  dir = await savedDir();
  foreign(dir, (j) => (j.modelTopology.model_config.class_name = 'Functional'));
  await assert.rejects(loadModel(dir), /model\.json: model class 'Functional' is not supported/);
});

test('missing shard, truncated shard, shard too long, manifest/shard size mismatch', async () => {
  let dir = await savedDir();
  unlinkSync(join(dir, 'group1-shard1of1.bin'));
  await assert.rejects(loadModel(dir), new RegExp(`${esc(join(dir, 'group1-shard1of1.bin'))} not found: model\\.json lists it`));

  // Descent file: the checksum catches a truncated shard first.
  dir = await savedDir();
  const shard = join(dir, 'group1-shard1of1.bin');
  truncateSync(shard, 20);
  await assert.rejects(loadModel(dir), new RegExp(`${esc(shard)}: checksum mismatch`));

  // Foreign file: the size check names the shard.
  dir = await savedDir();
  foreign(dir, () => {});
  truncateSync(join(dir, 'group1-shard1of1.bin'), 20);
  await assert.rejects(loadModel(dir), /group1-shard1of1\.bin: weight group 1 .* holds 20 bytes but the manifest needs \d+; the file is truncated/);
  dir = await savedDir();
  foreign(dir, (j) => (j.weightsManifest[0].weights[0].shape = [1, 3]));
  await assert.rejects(loadModel(dir), /group1-shard1of1\.bin: .* the manifest needs \d+; the file is too long/);
});

test('unknown layer class, weight shape mismatch, missing weight', async () => {
  let dir = await savedDir();
  foreign(dir, (j) => (j.modelTopology.model_config.config.layers[1].class_name = 'Conv4D'));
  await assert.rejects(loadModel(dir), /model\.json: unknown layer class 'Conv4D' \(layer 1\)\. Supported: .*Dense/);

  // Manifest says [2, 3] for the kernel, the config says 4 units: [2, 4] expected. Bytes adjusted so the size check passes.
  dir = await savedDir();
  foreign(dir, (j) => {
    j.modelTopology.model_config.config.layers[0].config.units = 4;
  });
  await assert.rejects(loadModel(dir), /model\.json: weight 'dense(_\d+)?\/kernel' has shape \[2, 3\] in the manifest but the model expects \[2, 4\]/);
  dir = await savedDir();
  foreign(dir, (j) => {
    const w = j.weightsManifest[0].weights;
    w[0].shape = [3, 2]; // same byte count, wrong shape
  });
  await assert.rejects(loadModel(dir), /weight 'dense(_\d+)?\/kernel' has shape \[3, 2\] in the manifest but the model expects \[2, 3\]/);
  dir = await savedDir();
  foreign(dir, (j) => (j.weightsManifest[0].weights[1].name = 'something/else'));
  await assert.rejects(loadModel(dir), /model\.json: the model has 4 weights .* missing: 'dense(_\d+)?\/bias'/);
});

test('NaN weights are refused, naming the shard and the weight', async () => {
  const dir = await savedDir();
  foreign(dir, () => {});
  const shard = join(dir, 'group1-shard1of1.bin');
  const bytes = readFileSync(shard);
  bytes.writeFloatLE(NaN, 8); // third value of the first kernel
  writeFileSync(shard, bytes);
  await assert.rejects(loadModel(dir), new RegExp(`${esc(shard)}: weight 'dense(_\\d+)?/kernel' holds NaN at index 2`));
});

test('descent files: any edit of model.json is a checksum mismatch; damaged metadata is reported', async () => {
  let dir = await savedDir();
  const file = join(dir, 'model.json');
  const j = JSON.parse(readFileSync(file, 'utf8'));
  j.modelTopology.training_config.optimizer_config.config.learning_rate = 0.5;
  writeFileSync(file, JSON.stringify(j));
  await assert.rejects(loadModel(dir), /model\.json: checksum mismatch/);
  dir = await savedDir();
  const j2 = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  delete j2.userDefinedMetadata.descent.shards;
  writeFileSync(join(dir, 'model.json'), JSON.stringify(j2));
  await assert.rejects(loadModel(dir), /saved by descent but userDefinedMetadata\.descent \(checksums\) is missing or damaged/);
});

test('a replace interrupted between its two renames: the error points at the surviving previous model', async () => {
  const dir = join(root, 'interrupted');
  const backup = join(root, '.interrupted.old-123-abcd');
  mkdirSync(backup);
  writeFileSync(join(backup, 'model.json'), '{}');
  await assert.rejects(loadModel(dir), new RegExp(`Model directory not found: .*interrupted\\. A save into it was interrupted; the previous model is in ${esc(backup)}`));
});
