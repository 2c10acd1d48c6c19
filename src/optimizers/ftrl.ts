// FTRL-Proximal (McMahan et al., 2013, "Ad Click Prediction: a View from the Trenches"), as Keras 3 keras.optimizers.Ftrl.
//   l2 = l2RegularizationStrength + beta / (2 * lr)
//   gs = g + 2 * l2ShrinkageRegularizationStrength * w
//   nNew = n + g^2                                         (n starts at initialAccumulatorValue)
//   z = z + gs - (nNew^-p - n^-p) / lr * w                 p = learningRatePower (<= 0)
//   w = (clip(z, -l1, l1) - z) / (nNew^-p / lr + 2 * l2);  n = nNew
// Defaults: learningRate 0.001, learningRatePower -0.5, initialAccumulatorValue 0.1, l1/l2/l2Shrinkage 0, beta 0.

import { Optimizer, checkNumber, type OptimizerOptions, type SlotSpec } from './optimizer.js';

export interface FtrlOptions extends OptimizerOptions {
  /** How the per-coordinate rate decays, <= 0 (0: fixed). Default -0.5. */
  learningRatePower?: number;
  /** Starting value of the accumulators, >= 0. Default 0.1. */
  initialAccumulatorValue?: number;
  /** L1 strength, >= 0. Default 0. */
  l1RegularizationStrength?: number;
  /** L2 (stabilization) strength, >= 0. Default 0. */
  l2RegularizationStrength?: number;
  /** L2 shrinkage (magnitude penalty added to the gradient), >= 0. Default 0. */
  l2ShrinkageRegularizationStrength?: number;
  /** The paper's beta. Default 0. */
  beta?: number;
}

export class Ftrl extends Optimizer {
  static override className = 'Ftrl';
  readonly learningRatePower: number;
  readonly initialAccumulatorValue: number;
  readonly l1RegularizationStrength: number;
  readonly l2RegularizationStrength: number;
  readonly l2ShrinkageRegularizationStrength: number;
  readonly beta: number;

  constructor(options: FtrlOptions = {}) {
    super(options, 0.001, ['learningRatePower', 'initialAccumulatorValue', 'l1RegularizationStrength', 'l2RegularizationStrength', 'l2ShrinkageRegularizationStrength', 'beta']);
    this.learningRatePower = checkNumber('Ftrl', 'learningRatePower', options.learningRatePower ?? -0.5, { max: 0 });
    this.initialAccumulatorValue = checkNumber('Ftrl', 'initialAccumulatorValue', options.initialAccumulatorValue ?? 0.1, { min: 0 });
    this.l1RegularizationStrength = checkNumber('Ftrl', 'l1RegularizationStrength', options.l1RegularizationStrength ?? 0, { min: 0 });
    this.l2RegularizationStrength = checkNumber('Ftrl', 'l2RegularizationStrength', options.l2RegularizationStrength ?? 0, { min: 0 });
    this.l2ShrinkageRegularizationStrength = checkNumber('Ftrl', 'l2ShrinkageRegularizationStrength', options.l2ShrinkageRegularizationStrength ?? 0, { min: 0 });
    this.beta = checkNumber('Ftrl', 'beta', options.beta ?? 0, { min: 0 });
  }

  protected slotSpecs(): SlotSpec[] {
    return [{ name: 'accumulator', init: this.initialAccumulatorValue }, { name: 'linear', init: 0 }];
  }

  protected updateStep(w: Float32Array, g: Float32Array, [n, z]: Float32Array[], lr: number): void {
    const p = -this.learningRatePower;
    const l1 = this.l1RegularizationStrength;
    const l2 = this.l2RegularizationStrength + this.beta / (2 * lr);
    const s2 = 2 * this.l2ShrinkageRegularizationStrength;
    for (let i = 0; i < w.length; i++) {
      const gs = g[i] + s2 * w[i];
      const nNew = n[i] + g[i] * g[i];
      const nNewP = Math.pow(nNew, p);
      z[i] += gs - ((nNewP - Math.pow(n[i], p)) / lr) * w[i];
      const zc = z[i] > l1 ? l1 : z[i] < -l1 ? -l1 : z[i];
      w[i] = (zc - z[i]) / (nNewP / lr + 2 * l2);
      n[i] = nNew;
    }
  }

  protected ownConfig(): Record<string, unknown> {
    return {
      learningRatePower: this.learningRatePower,
      initialAccumulatorValue: this.initialAccumulatorValue,
      l1RegularizationStrength: this.l1RegularizationStrength,
      l2RegularizationStrength: this.l2RegularizationStrength,
      l2ShrinkageRegularizationStrength: this.l2ShrinkageRegularizationStrength,
      beta: this.beta,
    };
  }
}
