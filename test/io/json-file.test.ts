// User JSON files (model spec, search space, tune spec, history): errors name the kind of file and the path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readJsonFile } from '../../src/io/json-file.js';

test('missing file, invalid JSON and a good file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'descent-json-'));
  assert.throws(() => readJsonFile(path.join(dir, 'nope.json'), 'Search space'), /^Error: Search space file not found: .*nope\.json$/);
  const bad = path.join(dir, 'bad.json');
  writeFileSync(bad, '{ "units": ');
  assert.throws(() => readJsonFile(bad, 'Model spec'), /^Error: Model spec .*bad\.json is not valid JSON: /);
  const good = path.join(dir, 'good.json');
  writeFileSync(good, '{ "units": [8, 16] }');
  assert.deepEqual(readJsonFile(good, 'Search space'), { units: [8, 16] });
});
