// Sequence masks (Keras's _keras_mask): a [batch, timesteps] tensor of 1 (real step) and 0 (padding), attached to
// the tensor a layer returns. Embedding({ maskZero: true }) and Masking attach one; Layer.apply passes it on through
// layers that support masking (supportsMasking, computeMask: Dense, Dropout, normalization, merges...) and drops it
// with a warning elsewhere, as Keras 3. Recurrent layers (a masked step keeps the state and repeats the previous
// output), GlobalAveragePooling1D and BatchNormalization (in training) read it. Masks are computed with ops, so a
// captured training step recomputes them from each batch.
import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';

const masks = new WeakMap<Tensor, Tensor>();

/** The mask attached to x, or null. */
export function getMask(x: Tensor): Tensor | null {
  return masks.get(x) ?? null;
}

/**
 * Attach a [batch, timesteps] mask to a sequence tensor x ([batch, timesteps, ...]) and return x, as Keras's
 * `layer(x, mask=...)`: the next recurrent layer skips the steps where the mask is 0. Throws when the mask's shape
 * is not x's leading dimensions.
 */
export function withMask(x: Tensor, mask: Tensor | null): Tensor {
  if (mask === null) {
    masks.delete(x);
    return x;
  }
  // [batch, timesteps] for a sequence; in general x's leading dimensions (Embedding's ids of any shape).
  if (mask.rank < 1 || mask.rank >= x.rank || mask.shape.some((d, i) => d !== x.shape[i])) {
    throw new Error(`A mask of shape ${formatShape(mask.shape)} does not match a sequence of shape ${formatShape(x.shape)}: it must be [batch, timesteps] = ${formatShape(x.shape.slice(0, 2))}.`);
  }
  masks.set(x, mask);
  return x;
}
