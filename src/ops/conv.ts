// Convolutions over 1 to 3 spatial dimensions, channels last (NWC, NHWC, NDHWC), with their gradients.
// conv:          y = x ⋆ w, w [...kernel, Cin/groups, Cout] (Keras's and TensorFlow's kernel layout)
//                dx = backprop-input(dy, w), dw = backprop-filter(x, dy)
// convTranspose: the adjoint of conv (Keras's Conv*DTranspose, TF's conv2dTranspose), w [...kernel, Cout, Cin]:
//                y = backprop-input(x, w); dx = conv(dy, w), dw = backprop-filter(dy, x)
// depthwiseConv: one filter bank per input channel, w [...kernel, Cin, multiplier]: conv with groups = Cin.
// Output sizes and padding follow TensorFlow (backend/conv-geometry.ts); kernels in backend/conv.ts.

import type { Tensor, TensorLike } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { run } from '../autograd/tape.js';
import { asTensor } from './unary.js';
import type { Planned, Rule } from './rule.js';
import { reshape } from './shape-ops.js';
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

function spatialRank(x: Tensor, what: string): number {
  const r = x.rank - 2;
  if (r < 1 || r > 3) throw new Error(`${what}: input must have rank 3, 4 or 5 ([batch, ...spatial, channels]), got shape ${formatShape(x.shape)}.`);
  return r;
}

function geometryOf(x: Tensor, kernelShape: readonly number[], inChannels: number, outChannels: number, options: ConvOptions, what: string): ConvGeometry {
  const r = x.rank - 2;
  return convGeometry({
    batch: x.shape[0], inSize: x.shape.slice(1, r + 1), inChannels, kernel: kernelShape.slice(0, r), outChannels,
    strides: options.strides, dilations: options.dilations, padding: options.padding, groups: options.groups, what,
  });
}

const outShape = (g: ConvGeometry, channels: number, size: readonly number[]) => [g.batch, ...size.slice(3 - g.rank), channels];

type ConvPlan = Planned & { g: ConvGeometry };
const planConv = (_s: unknown, a: ConvPlan): ConvPlan => a;

export const convRules = {
  conv: {
    plan: planConv,
    forward: ({ g }, [x, w], y) => convForward(g, x, w, y),
    backward: ({ g }, [x, w], _y, dy, [dx, dw]) => {
      if (dx) convBackpropInput(g, dy, w, dx);
      if (dw) convBackpropFilter(g, x, dy, dw);
    },
  } as Rule<ConvPlan, ConvPlan>,
  /** The adjoint of conv: forward is conv's backprop-input. */
  convTranspose: {
    plan: planConv,
    forward: ({ g }, [x, w], y) => convBackpropInput(g, x, w, y),
    backward: ({ g }, [x, w], _y, dy, [dx, dw]) => {
      if (dx) convForward(g, dy, w, dx);
      if (dw) convBackpropFilter(g, dy, x, dw);
    },
  } as Rule<ConvPlan, ConvPlan>,
};

/** Convolution (cross-correlation, as in every framework), channels last. */
export function conv(input: TensorLike, filter: TensorLike, options: ConvOptions = {}): Tensor {
  const x = asTensor(input), w = asTensor(filter);
  const what = `conv${x.rank - 2}d`;
  const r = spatialRank(x, what);
  const groups = options.groups ?? 1;
  const cin = x.shape[r + 1];
  if (w.rank !== r + 2 || w.shape[r] * groups !== cin) {
    throw new Error(`${what}: kernel of shape ${formatShape(w.shape)} does not fit input ${formatShape(x.shape)}: expected [${new Array(r).fill('k').join(', ')}, ${groups > 1 ? `${cin}/${groups}` : cin}, filters].`);
  }
  const g = geometryOf(x, w.shape, cin, w.shape[r + 1], options, what);
  return run('conv', convRules.conv, [x, w], { shape: outShape(g, g.outChannels, g.outSize), g });
}

export interface ConvTransposeOptions extends Omit<ConvOptions, 'padding'> {
  padding?: 'valid' | 'same';
  /** Spatial output size; default Keras's: in·stride ('same'), in·stride + max(k_eff − stride, 0) ('valid'). */
  outputSize?: readonly number[];
}

/** Transposed convolution ("deconvolution"), channels last; filter [...kernel, outChannels, inChannels]. */
export function convTranspose(input: TensorLike, filter: TensorLike, options: ConvTransposeOptions = {}): Tensor {
  const x = asTensor(input), w = asTensor(filter);
  const what = `conv${x.rank - 2}dTranspose`;
  const r = spatialRank(x, what);
  const groups = options.groups ?? 1;
  const cin = x.shape[r + 1];
  if (w.rank !== r + 2 || w.shape[r + 1] !== cin) {
    throw new Error(`${what}: kernel of shape ${formatShape(w.shape)} does not fit input ${formatShape(x.shape)}: expected [${new Array(r).fill('k').join(', ')}, filters, ${cin}].`);
  }
  const kernel = w.shape.slice(0, r);
  const strides = expandTuple(options.strides, r, 1, 'strides', what);
  const dilations = expandTuple(options.dilations, r, 1, 'dilation rate', what);
  const padding = options.padding ?? 'valid';
  const size = options.outputSize ? [...options.outputSize] : transposedOutputSize(x.shape.slice(1, r + 1), kernel, strides, dilations, padding);
  const cout = w.shape[r] * groups;
  // The forward convolution this transposes: from the output (size, cout) to the input (x's size, cin).
  const g = convGeometry({ batch: x.shape[0], inSize: size, inChannels: cout, kernel, outChannels: cin, strides, dilations, padding, groups, what });
  const got = g.outSize.slice(3 - r);
  if (got.some((v, d) => v !== x.shape[1 + d])) {
    throw new Error(`${what}: output size ${formatShape(size)} does not map back to the input's ${formatShape(x.shape.slice(1, r + 1))} with these strides and padding.`);
  }
  return run('convTranspose', convRules.convTranspose, [x, w], { shape: outShape(g, cout, g.inSize), g });
}

/** Depthwise convolution: filter [...kernel, inChannels, multiplier]; output channel c·multiplier + m. */
export function depthwiseConv(input: TensorLike, filter: TensorLike, options: Omit<ConvOptions, 'groups'> = {}): Tensor {
  const x = asTensor(input), w = asTensor(filter);
  const r = x.rank - 2;
  const cin = x.shape[x.rank - 1];
  if (w.rank !== x.rank || w.shape[r] !== cin) {
    throw new Error(`depthwiseConv${r}d: kernel of shape ${formatShape(w.shape)} does not fit input ${formatShape(x.shape)}: expected [${new Array(Math.max(r, 0)).fill('k').join(', ')}, ${cin}, multiplier].`);
  }
  // [..., Cin, M] and [..., 1, Cin·M] have the same memory: output channel c·M + m belongs to group c.
  return conv(x, reshape(w, [...w.shape.slice(0, r), 1, cin * w.shape[r + 1]]), { ...options, groups: cin });
}
