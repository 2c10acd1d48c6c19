// toCategorical: integer class labels to one-hot rows, as keras.utils.to_categorical.
// labels of shape [...s] (a trailing dimension of 1 is dropped) -> [...s, numClasses], out[..., c] = (label == c).

import { Tensor, tensor, type TensorLike } from '../tensor/tensor.js';

/** One-hot encode integer labels in [0, numClasses); numClasses defaults to max(label) + 1. */
export function toCategorical(labels: TensorLike, numClasses?: number): Tensor {
  const t = tensor(labels);
  const shape = t.rank > 1 && t.shape[t.rank - 1] === 1 ? t.shape.slice(0, -1) : [...t.shape];
  let max = -1;
  for (let i = 0; i < t.size; i++) {
    const v = t.data[i];
    if (!Number.isInteger(v) || v < 0) throw new Error(`toCategorical: label at index ${i} is ${v}; labels must be non-negative integers.`);
    if (v > max) max = v;
  }
  const k = numClasses ?? max + 1;
  if (!Number.isInteger(k) || k < 1) throw new Error(`toCategorical: numClasses must be a positive integer, got ${numClasses}.`);
  if (max >= k) {
    const i = t.data.findIndex((v) => v >= k);
    throw new Error(`toCategorical: label ${t.data[i]} at index ${i} is out of range for ${k} classes (0..${k - 1}).`);
  }
  const out = new Float32Array(t.size * k);
  for (let i = 0; i < t.size; i++) out[i * k + t.data[i]] = 1;
  return new Tensor(out, [...shape, k]);
}
