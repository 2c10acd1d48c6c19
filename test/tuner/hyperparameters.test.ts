import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HyperParameters } from '../../src/tuner/hyperparameters.js';
import { SearchSpaceError, decode, encode, fromUnit, gridValues, toUnit } from '../../src/tuner/space.js';

test('declarations return defaults and record values; get and values', () => {
  const hp = new HyperParameters();
  assert.equal(hp.int('units', 8, 64, { step: 8 }), 8);
  assert.equal(hp.float('lr', 1e-4, 1e-1, { sampling: 'log', default: 1e-3 }), 1e-3);
  assert.equal(hp.choice('opt', ['adam', 'sgd']), 'adam');
  assert.equal(hp.boolean('bn'), false);
  assert.equal(hp.fixed('epochs', 5), 5);
  assert.deepEqual(hp.values, { units: 8, lr: 1e-3, opt: 'adam', bn: false, epochs: 5 });
  assert.equal(hp.get('lr'), 1e-3);
  assert.throws(() => hp.get('nope'), /no parameter 'nope'.*units/);
  // Declaring the same definition again returns the same value.
  assert.equal(hp.int('units', 8, 64, { step: 8 }), 8);
});

test('given values are returned; serialisation round-trips', () => {
  const hp = new HyperParameters({ values: { units: 32, opt: 'sgd' } });
  assert.equal(hp.int('units', 8, 64, { step: 8 }), 32);
  assert.equal(hp.choice('opt', ['adam', 'sgd']), 'sgd');
  const again = HyperParameters.fromJSON(JSON.parse(JSON.stringify(hp.toJSON())), { units: 16 });
  assert.deepEqual(again.space, hp.space);
  assert.equal(again.get('units'), 16);
});

test('bad definitions raise clear errors', () => {
  const hp = new HyperParameters();
  assert.throws(() => hp.choice('opt', []), /hp.choice\('opt'\): values must be a non-empty array/);
  assert.throws(() => hp.int('units', 10, 5), /hp.int\('units'\): min \(10\) > max \(5\)/);
  assert.throws(() => hp.float('lr', 0, 1, { sampling: 'log' }), /hp.float\('lr'\): log sampling needs min > 0, got min = 0/);
  assert.throws(() => hp.float('lr2', -1, 1, { sampling: 'reverse_log' }), /reverse_log sampling needs min > 0/);
  assert.throws(() => hp.int('n', 1.5, 4), /must be integers/);
  assert.throws(() => hp.int('m', 1, 100, { step: 1, sampling: 'log' }), /multiplicative factor and must be > 1/);
  assert.throws(() => hp.choice('c', ['a', 'a']), /distinct/);
  hp.int('layers', 1, 4);
  assert.throws(() => hp.int('layers', 1, 5), (e: Error) => e instanceof SearchSpaceError && /'layers' is already declared with a different definition.*"max":4.*"max":5/.test(e.message));
  assert.throws(() => hp.float('layers', 1, 4), /already declared with a different definition/);
  assert.throws(() => hp.int('u', 1, 4, { parent: 'missing', parentValues: [1] }), /parent 'missing' is not declared/);
  // None of the failed declarations was registered.
  assert.deepEqual(hp.space.map((p) => p.name), ['layers']);
});

test('conditional parameters exist only when the parent allows (option and scope forms)', () => {
  const build = (hp: HyperParameters) => {
    const n = hp.int('numLayers', 1, 4);
    const units: number[] = [];
    for (let i = 0; i < 4; i++) {
      const u = hp.int(`units${i}`, 8, 64, { step: 8, parent: 'numLayers', parentValues: [1, 2, 3, 4].filter((k) => k > i) });
      if (i < n) units.push(u);
    }
    const model = hp.choice('model', ['mlp', 'linear']);
    hp.conditionalScope('model', 'mlp', () => {
      hp.choice('activation', ['relu', 'tanh']);
      hp.conditionalScope('activation', ['relu'], () => hp.float('slope', 0, 0.3));
    });
    return { n, units, model };
  };
  const a = new HyperParameters({ values: { numLayers: 2, units0: 16, units1: 24, units2: 32, model: 'linear' } });
  build(a);
  // units2/units3 need numLayers >= 3; activation/slope need model = mlp.
  assert.deepEqual(a.values, { numLayers: 2, units0: 16, units1: 24, model: 'linear' });
  assert.equal(a.isActive('units2'), false);
  assert.equal(a.isActive('activation'), false);
  const b = new HyperParameters({ values: { numLayers: 3, model: 'mlp', activation: 'relu' } });
  build(b);
  assert.deepEqual(Object.keys(b.values).sort(), ['activation', 'model', 'numLayers', 'slope', 'units0', 'units1', 'units2']);
  assert.deepEqual(b.space.find((p) => p.name === 'slope')!.conditions, [{ parent: 'model', values: ['mlp'] }, { parent: 'activation', values: ['relu'] }]);
  // decode() drops inactive parameters the same way.
  const values = decode(b.space, encode(b.space, { ...b.values, model: 'linear' }));
  assert.equal('activation' in values, false);
  assert.equal('slope' in values, false);
});

test('unit-cube mapping: linear, log, reverse_log, steps and grids', () => {
  const spec = (o: object) => ({ name: 'x', conditions: [], ...o }) as never;
  const lin = spec({ type: 'float', min: -5, max: 10, step: null, sampling: 'linear', default: -5 });
  assert.equal(fromUnit(lin, 0.2), -2);
  assert.ok(Math.abs(toUnit(lin, 4) - 0.6) < 1e-12);
  const log = spec({ type: 'float', min: 1e-4, max: 1, step: null, sampling: 'log', default: 1e-4 });
  assert.ok(Math.abs((fromUnit(log, 0.5) as number) - 1e-2) < 1e-12); // geometric midpoint
  assert.ok(Math.abs(toUnit(log, 1e-3) - 0.25) < 1e-12);
  const rev = spec({ type: 'float', min: 0.9, max: 0.999, step: null, sampling: 'reverse_log', default: 0.9 });
  for (const u of [0, 0.3, 0.77, 1]) assert.ok(Math.abs(toUnit(rev, fromUnit(rev, u)) - u) < 1e-9);
  // reverse_log puts more mass near max: the median of u is above the linear midpoint.
  assert.ok((fromUnit(rev, 0.5) as number) > (0.9 + 0.999) / 2);
  const units = spec({ type: 'int', min: 32, max: 512, step: 2, sampling: 'log', default: 32 });
  assert.deepEqual(gridValues(units), [32, 64, 128, 256, 512]);
  assert.deepEqual([0.01, 0.21, 0.5, 0.79, 0.99].map((u) => fromUnit(units, u)), [32, 64, 128, 256, 512]);
  const f = spec({ type: 'float', min: 0, max: 1, step: 0.1, sampling: 'linear', default: 0 });
  assert.deepEqual(gridValues(f), [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
  const big = spec({ type: 'int', min: 0, max: 1_000_000, step: null, sampling: 'linear', default: 0 });
  assert.equal(fromUnit(big, 0.5), 500_000);
  assert.equal(fromUnit(big, 1), 1_000_000);
  const ch = spec({ type: 'choice', values: ['a', 'b', 'c'], default: 'a' });
  assert.deepEqual(encode([ch], { x: 'b' }), [0, 1, 0]);
  assert.deepEqual(decode([ch], [0.1, 0.2, 0.9]), { x: 'c' });
});
