// Finite-difference gradient check: compares autodiff gradients with central differences in float64 terms.

import { Tensor } from '../tensor/tensor.js';
import { valueAndGrad, noGrad } from './tape.js';

export interface GradCheckResult {
  maxAbsError: number;
  maxRelError: number;
  worst: { input: number; index: number; analytic: number; numeric: number } | null;
}

/**
 * f maps tensors to a scalar tensor. Each input element is perturbed by ±eps; the numeric gradient
 * (f(x+eps) − f(x−eps)) / 2eps is compared with the analytic one.
 */
export function checkGradients(f: (...args: Tensor[]) => Tensor, inputs: Tensor[], eps = 1e-2): GradCheckResult {
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
