// Convolutions over 1 to 3 spatial dimensions, channels last (NWC, NHWC, NDHWC), as op rules (src/ops/rule.ts).
// conv:          y = x ⋆ w, w [...kernel, Cin/groups, Cout] (Keras's and TensorFlow's kernel layout)
//                dx = backprop-input(dy, w), dw = backprop-filter(x, dy)
// convTranspose: the adjoint of conv (Keras's Conv*DTranspose, TF's conv2dTranspose), w [...kernel, Cout, Cin]:
//                y = backprop-input(x, w); dx = conv(dy, w), dw = backprop-filter(dy, x)
// depthwiseConv: one filter bank per input channel, w [...kernel, Cin, multiplier]: conv with groups = Cin.
// Output sizes and padding follow TensorFlow (backend/conv-geometry.ts); kernels in backend/conv.ts.

import type { Tensor, TensorLike } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { asTensor } from './binary.js';
import { reshape } from './shape-ops.js';
import { run } from '../autograd/tape.js';
import type { Planned, Rule } from './rule.js';
import { convGeometry, expandTuple, transposedOutputSize, type ConvGeometry, type Padding } from '../backend/conv-geometry.js';
import { convForward, convBackpropInput, convBackpropFilter } from '../backend/conv.js';

export type { Padding } from '../backend/conv-geometry.js';

export interface ConvOptions {
  /** Step of the window per spatial dimension (default 1). */
  strides?: number | readonly number[];
  /** 'valid' (no padding, default), 'same' (output size ceil(in / stride)) or 'causal' (1-D, left padding only). */
  padding?: Padding;
  /** Spacing between kernel taps per spatial dimension (default 1), Keras's dilation_rate. */
  dilations?: number | readonly number[];
  /** Split channels into this many independent groups (default 1). */
  groups?: number;
}

export interface ConvTransposeOptions extends Omit<ConvOptions, 'padding'> {
  padding?: 'valid' | 'same';
  /** Spatial output size; default Keras's: in·stride ('same'), in·stride + max(k_eff − stride, 0) ('valid'). */
  outputSize?: readonly number[];
}

interface ConvPlan extends Planned {
  readonly g: ConvGeometry;
}

const kernelHint = (r: number, inner: string, outer: string) => `[${new Array(Math.max(r, 0)).fill('k').join(', ')}, ${inner}, ${outer}]`;

function spatialRank(x: readonly number[], what: string): number {
  const r = x.length - 2;
  if (r < 1 || r > 3) throw new Error(`${what}: input must have rank 3, 4 or 5 ([batch, ...spatial, channels]), got shape ${formatShape(x)}.`);
  return r;
}

function planConv([x, w]: readonly (readonly number[])[], options: ConvOptions): ConvPlan {
  const what = `conv${x.length - 2}d`;
  const r = spatialRank(x, what);
  const groups = options.groups ?? 1;
  const cin = x[r + 1];
  if (w.length !== r + 2 || w[r] * groups !== cin) {
    throw new Error(`${what}: kernel of shape ${formatShape(w)} does not fit input ${formatShape(x)}: expected ${kernelHint(r, groups > 1 ? `${cin}/${groups}` : String(cin), 'filters')}.`);
  }
  const g = convGeometry({
    batch: x[0], inSize: x.slice(1, r + 1), inChannels: cin, kernel: w.slice(0, r), outChannels: w[r + 1],
    strides: options.strides, dilations: options.dilations, padding: options.padding, groups, what,
  });
  return { g, shape: [g.batch, ...g.outSize.slice(3 - r), g.outChannels] };
}

function planConvTranspose([x, w]: readonly (readonly number[])[], options: ConvTransposeOptions): ConvPlan {
  const what = `conv${x.length - 2}dTranspose`;
  const r = spatialRank(x, what);
  const groups = options.groups ?? 1;
  const cin = x[r + 1];
  if (w.length !== r + 2 || w[r + 1] !== cin) throw new Error(`${what}: kernel of shape ${formatShape(w)} does not fit input ${formatShape(x)}: expected ${kernelHint(r, 'filters', String(cin))}.`);
  const kernel = w.slice(0, r);
  const strides = expandTuple(options.strides, r, 1, 'strides', what);
  const dilations = expandTuple(options.dilations, r, 1, 'dilation rate', what);
  const padding = options.padding ?? 'valid';
  const size = options.outputSize ? [...options.outputSize] : transposedOutputSize(x.slice(1, r + 1), kernel, strides, dilations, padding);
  const cout = w[r] * groups;
  // The forward convolution this transposes: from the output (size, cout) to the input (x's size, cin).
  const g = convGeometry({ batch: x[0], inSize: size, inChannels: cout, kernel, outChannels: cin, strides, dilations, padding, groups, what });
  if (g.outSize.slice(3 - r).some((v, d) => v !== x[1 + d])) {
    throw new Error(`${what}: output size ${formatShape(size)} does not map back to the input's ${formatShape(x.slice(1, r + 1))} with these strides and padding.`);
  }
  return { g, shape: [g.batch, ...size, cout] };
}

export const convRules = {
  conv: {
    plan: planConv,
    forward: (p, [x, w], y) => convForward(p.g, x, w, y),
    backward: (p, [x, w], _y, dy, [dx, dw]) => {
      if (dx) convBackpropInput(p.g, dy, w, dx);
      if (dw) convBackpropFilter(p.g, x, dy, dw);
    },
  } as Rule<ConvOptions, ConvPlan>,
  convTranspose: {
    plan: planConvTranspose,
    forward: (p, [x, w], y) => convBackpropInput(p.g, x, w, y),
    backward: (p, [x, w], _y, dy, [dx, dw]) => {
      if (dx) convForward(p.g, dy, w, dx);
      if (dw) convBackpropFilter(p.g, dy, x, dw);
    },
  } as Rule<ConvTransposeOptions, ConvPlan>,
};

/** Convolution (cross-correlation, as in every framework), channels last. */
export function conv(x: TensorLike, filter: TensorLike, options: ConvOptions = {}): Tensor {
  return run('conv', convRules.conv, [asTensor(x), asTensor(filter)], options);
}

/** Transposed convolution ("deconvolution"), channels last; filter [...kernel, outChannels, inChannels]. */
export function convTranspose(x: TensorLike, filter: TensorLike, options: ConvTransposeOptions = {}): Tensor {
  return run('convTranspose', convRules.convTranspose, [asTensor(x), asTensor(filter)], options);
}

/** Depthwise convolution: filter [...kernel, inChannels, multiplier]; output channel c·multiplier + m. */
export function depthwiseConv(input: TensorLike, filter: TensorLike, options: Omit<ConvOptions, 'groups'> = {}): Tensor {
  const x = asTensor(input), w = asTensor(filter);
  const r = x.rank - 2;
  const cin = x.shape[x.rank - 1];
  if (w.rank !== x.rank || w.shape[r] !== cin) throw new Error(`depthwiseConv${r}d: kernel of shape ${formatShape(w.shape)} does not fit input ${formatShape(x.shape)}: expected ${kernelHint(r, String(cin), 'multiplier')}.`);
  // [..., Cin, M] and [..., 1, Cin·M] have the same memory: output channel c·M + m belongs to group c.
  return conv(x, reshape(w, [...w.shape.slice(0, r), 1, cin * w.shape[r + 1]]), { ...options, groups: cin });
}
