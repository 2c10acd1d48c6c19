// Deterministic random tensors for tests.
import { Tensor, Rng } from '../../src/index.js';

export function randomTensor(rng: Rng, shape: number[], lo = -2, hi = 2): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = rng.uniform(lo, hi);
  return new Tensor(data, shape);
}

/** Values kept away from a point (e.g. 0 for abs/relu kinks) so that finite differences are meaningful. */
export function awayFrom(t: Tensor, point: number, margin: number): Tensor {
  const d = t.data.map((v) => (Math.abs(v - point) < margin ? point + Math.sign(v - point || 1) * margin : v));
  return new Tensor(d, t.shape);
}
