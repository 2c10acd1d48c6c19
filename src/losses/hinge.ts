// Hinge losses for targets in {−1, 1}; 0/1 targets are converted to −1/1 as Keras does.

import type { Tensor } from '../tensor/tensor.js';
import * as ops from '../ops/index.js';
import { Loss, lossRegistry, meanLastAxis } from './loss.js';

function toSigned(y: Tensor): Tensor {
  let binary = true;
  for (let i = 0; i < y.size && binary; i++) binary = y.data[i] === 0 || y.data[i] === 1;
  return binary ? ops.sub(ops.mul(y, 2), 1) : y;
}

/** mean(max(1 − y·p, 0)). */
export const Hinge = (args: { name?: string } = {}) =>
  new Loss(args.name ?? 'hinge', 'Hinge', (y, p) => meanLastAxis(ops.relu(ops.sub(1, ops.mul(toSigned(y), p)))));

/** mean(max(1 − y·p, 0)²). */
export const SquaredHinge = (args: { name?: string } = {}) =>
  new Loss(args.name ?? 'squared_hinge', 'SquaredHinge', (y, p) => meanLastAxis(ops.square(ops.relu(ops.sub(1, ops.mul(toSigned(y), p))))));

/** max(0, 1 + max((1 − y)·p) − Σ y·p) for one-hot y. */
export const CategoricalHinge = (args: { name?: string } = {}) =>
  new Loss(args.name ?? 'categorical_hinge', 'CategoricalHinge', (y, p) => {
    const pos = ops.sum(ops.mul(y, p), -1);
    const negative = ops.max(ops.mul(ops.sub(1, y), p), -1);
    return ops.relu(ops.add(ops.sub(negative, pos), 1));
  });

lossRegistry.register(['hinge', 'Hinge'], (c) => Hinge(c));
lossRegistry.register(['squared_hinge', 'SquaredHinge'], (c) => SquaredHinge(c));
lossRegistry.register(['categorical_hinge', 'CategoricalHinge'], (c) => CategoricalHinge(c));
