// Finite-difference gradient check: compares autodiff gradients with central differences.

import { Tensor } from '../tensor/tensor.js';
import { valueAndGrad, noGrad, inFloat64 } from './tape.js';

export interface GradCheckResult {
  maxAbsError: number;
  maxRelError: number;
  worst: { input: number; index: number; analytic: number; numeric: number } | null;
}

export interface GradCheckOptions {
  /** Perturbation (default 1e-2 in float32, 1e-5 in float64). */
  eps?: number;
  /** Run every op in float64 (forward, backward and the differences), so errors of 1e-6 are meaningful (default false). */
  float64?: boolean;
}

/**
 * f maps tensors to a scalar tensor. Each input element is perturbed by ±eps; the numeric gradient
 * (f(x+eps) − f(x−eps)) / 2eps is compared with the analytic one. The third argument may be eps alone.
 */
export function checkGradients(f: (...args: Tensor[]) => Tensor, inputs: Tensor[], options: number | GradCheckOptions = {}): GradCheckResult {
  const { float64 = false, eps = float64 ? 1e-5 : 1e-2 } = typeof options === 'number' ? { eps: options } : options;
  if (float64) {
    const wide = inputs.map((t) => new Tensor(Float64Array.from(t.data) as unknown as Float32Array, t.shape));
    return inFloat64(() => compare(f, wide, eps));
  }
  return compare(f, inputs, eps);
}

function compare(f: (...args: Tensor[]) => Tensor, inputs: Tensor[], eps: number): GradCheckResult {
  const { grads } = valueAndGrad(f)(...inputs);
  let maxAbsError = 0;
  let maxRelError = 0;
  let worst: GradCheckResult['worst'] = null;
  inputs.forEach((input, k) => {
    for (let i = 0; i < input.size; i++) {
      const evalAt = (delta: number): number => {
        const copy = input.data.slice();
        copy[i] += delta;
        const args = inputs.map((t, j) => (j === k ? new Tensor(copy, t.shape) : t));
        return noGrad(() => f(...args).item());
      };
      const numeric = (evalAt(eps) - evalAt(-eps)) / (2 * eps);
      const analytic = grads[k].data[i];
      const abs = Math.abs(analytic - numeric);
      const rel = abs / Math.max(1, Math.abs(analytic), Math.abs(numeric));
      if (rel > maxRelError) worst = { input: k, index: i, analytic, numeric };
      maxAbsError = Math.max(maxAbsError, abs);
      maxRelError = Math.max(maxRelError, rel);
    }
  });
  return { maxAbsError, maxRelError, worst };
}
