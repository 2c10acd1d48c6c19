// Regularizers: Keras's l1(0.01)/l2(0.01) and TF.js's l1({ l1 })/l2({ l2 }) (issue 12, fault 5).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { l1, l2, l1l2, L2, getRegularizer, tensor } from '../../src/index.js';

test("l2({ l2: 0.01 }) (TF.js's form) equals l2(0.01) (Keras's); the penalty is 0.01·Σw²", () => {
  const w = tensor([1, -2, 3]);
  assert.ok(Math.abs(l2({ l2: 0.01 }).penalty(w).item() - 0.14) < 1e-7);
  assert.ok(Math.abs(l2(0.01).penalty(w).item() - 0.14) < 1e-7);
  assert.ok(Math.abs(l1({ l1: 0.1 }).penalty(w).item() - 0.6) < 1e-6);
  assert.ok(Math.abs(l1l2({ l1: 0.1, l2: 0.01 }).penalty(w).item() - 0.74) < 1e-6);
  assert.equal(l2().l2, 0.01);
  assert.deepEqual(getRegularizer({ className: 'L2', config: { l2: 0.5 } })!.getConfig(), { l2: 0.5 });
  assert.ok(getRegularizer('l2') instanceof L2);
});

test('a misspelt option or a negative factor is refused with its name', () => {
  assert.throws(() => l2({ l1: 0.01 } as never), /L2: argument\(s\) not recognized: l1/);
  assert.throws(() => l1l2({ l3: 1 } as never), /L1L2: argument\(s\) not recognized: l3/);
  assert.throws(() => l2(-1), /Regularizer l2 must be a non-negative number, got -1/);
});
