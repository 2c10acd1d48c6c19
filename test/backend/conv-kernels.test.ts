// Every backend's convolution kernels (the native addon's own, per instruction set and through the BLAS; im2col on
// the GEMM for js and wasm) against the direct reference loops: 1-D, 2-D, 3-D, strides, dilations, groups, padding.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/index.js';
import { convGeometry, type Padding } from '../../src/backend/conv-geometry.js';
import { convForwardReference, convBackpropInputReference, convBackpropFilterReference, maxPoolForwardReference, avgPoolForwardReference, avgPoolBackwardReference } from '../../src/backend/conv-reference.js';
import { maxPoolForwardJs, maxPoolBackwardJs, avgPoolForwardJs, avgPoolBackwardJs } from '../../src/backend/pool.js';
import { im2colConvForward, im2colConvBackpropInput, im2colConvBackpropFilter } from '../../src/backend/conv.js';
import { randomTensor } from '../support/random.js';
import { kernelBackends, closeBackends } from './backends.js';

after(closeBackends);
const rng = new Rng(777);

function assertClose(got: Float32Array, want: Float32Array, what: string): void {
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= 1e-4 * (1 + Math.abs(want[i])))) assert.fail(`${what}: entry ${i} is ${got[i]}, expected ${want[i]}`);
  }
}

const cases = [
  { inSize: [9], kernel: [3], cin: 4, cout: 6, strides: [2], dilations: [1], groups: 2, padding: 'causal' as Padding },
  { inSize: [7, 6], kernel: [3, 2], cin: 3, cout: 5, strides: [1, 2], dilations: [2, 1], groups: 1, padding: 'same' as Padding },
  { inSize: [8, 8], kernel: [3, 3], cin: 6, cout: 6, strides: [2, 2], dilations: [1, 1], groups: 3, padding: 'valid' as Padding },
  { inSize: [4, 5, 5], kernel: [2, 3, 3], cin: 2, cout: 3, strides: [1, 2, 1], dilations: [1, 1, 2], groups: 1, padding: 'same' as Padding },
  { inSize: [28, 28], kernel: [3, 3], cin: 8, cout: 32, strides: [1, 1], dilations: [1, 1], groups: 1, padding: 'valid' as Padding },
  { inSize: [12, 11], kernel: [3, 3], cin: 1, cout: 32, strides: [1, 1], dilations: [1, 1], groups: 1, padding: 'valid' as Padding },
  { inSize: [7, 9], kernel: [3, 3], cin: 1, cout: 4, strides: [2, 1], dilations: [1, 2], groups: 1, padding: 'same' as Padding },
];

for (const { label, backend, setup } of kernelBackends()) {
  test(`${label}: convolution forward, backprop input and backprop filter equal the direct loops`, () => {
    setup();
    for (const c of cases) {
      const g = convGeometry({ batch: 3, inSize: c.inSize, inChannels: c.cin, kernel: c.kernel, outChannels: c.cout, strides: c.strides, dilations: c.dilations, padding: c.padding, groups: c.groups });
      const x = randomTensor(rng, [3, ...c.inSize, c.cin]).data;
      const w = randomTensor(rng, [...c.kernel, c.cin / c.groups, c.cout]).data;
      const ySize = 3 * g.outSize[0] * g.outSize[1] * g.outSize[2] * c.cout;
      const dy = randomTensor(rng, [ySize]).data;
      const what = `${label} ${JSON.stringify(c)}`;
      const [y1, y2] = [new Float32Array(ySize), new Float32Array(ySize).fill(NaN)];
      convForwardReference(g, x, w, y1);
      (backend.convForward ?? ((...a) => im2colConvForward(backend, ...a)))(g, x, w, y2);
      assertClose(y2, y1, `forward ${what}`);
      const [dx1, dx2] = [new Float32Array(x.length), new Float32Array(x.length).fill(NaN)];
      convBackpropInputReference(g, dy, w, dx1);
      (backend.convBackpropInput ?? ((...a) => im2colConvBackpropInput(backend, ...a)))(g, dy, w, dx2);
      assertClose(dx2, dx1, `backprop input ${what}`);
      const [dw1, dw2] = [new Float32Array(w.length), new Float32Array(w.length).fill(NaN)];
      convBackpropFilterReference(g, x, dy, dw1);
      (backend.convBackpropFilter ?? ((...a) => im2colConvBackpropFilter(backend, ...a)))(g, x, dy, dw2);
      assertClose(dw2, dw1, `backprop filter ${what}`);
    }
  });
}

const poolCases = [
  { inSize: [26, 26], pool: [2, 2], strides: [2, 2], c: 5, padding: 'valid' as Padding },
  { inSize: [7, 8], pool: [3, 2], strides: [2, 3], c: 3, padding: 'same' as Padding },
  { inSize: [9], pool: [4], strides: [1], c: 2, padding: 'same' as Padding },
  { inSize: [5, 6, 4], pool: [2, 3, 2], strides: [3, 1, 2], c: 2, padding: 'same' as Padding },
];

for (const { label, backend, setup } of kernelBackends()) {
  test(`${label}: max and average pooling (forward, argmax, backward) equal the direct loops, ties and NaN included`, () => {
    setup();
    for (const c of poolCases) {
      const g = convGeometry({ batch: 2, inSize: c.inSize, inChannels: c.c, outChannels: c.c, kernel: c.pool, strides: c.strides, padding: c.padding });
      const x = randomTensor(rng, [2, ...c.inSize, c.c]).data;
      // Ties (rounded values) and a NaN: the first maximum wins, a NaN wins over numbers.
      for (let i = 0; i < x.length; i++) x[i] = i % 3 === 0 ? Math.round(x[i]) : x[i];
      x[7] = NaN;
      const ySize = 2 * g.outSize[0] * g.outSize[1] * g.outSize[2] * c.c;
      const what = `${label} ${JSON.stringify(c)}`;
      const [y1, y2] = [new Float32Array(ySize), new Float32Array(ySize).fill(-1)];
      const [a1, a2] = [new Int32Array(ySize), new Int32Array(ySize).fill(-1)];
      maxPoolForwardReference(g, x, y1, a1);
      (backend.maxPoolForward ?? maxPoolForwardJs)(g, x, y2, a2);
      assert.deepEqual(a2, a1, `max pooling argmax ${what}`);
      assert.deepEqual(y2, y1, `max pooling ${what}`);
      const dy = randomTensor(rng, [ySize]).data;
      const [dx1, dx2] = [new Float32Array(x.length), new Float32Array(x.length).fill(NaN)];
      for (let o = 0; o < ySize; o++) dx1[a1[o]] += dy[o];
      maxPoolBackwardJs(dy, a2, dx2);
      assertClose(dx2, dx1, `max pooling backward ${what}`);
      x[7] = 0.5;
      avgPoolForwardReference(g, x, y1);
      (backend.avgPoolForward ?? avgPoolForwardJs)(g, x, y2);
      assertClose(y2, y1, `average pooling ${what}`);
      avgPoolBackwardReference(g, dy, dx1);
      (backend.avgPoolBackward ?? avgPoolBackwardJs)(g, dy, dx2);
      assertClose(dx2, dx1, `average pooling backward ${what}`);
    }
  });
}
