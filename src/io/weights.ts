// Weight data <-> bytes: little-endian float32 / int32 values back to back in manifest order, split into
// shards of at most shardBytes (TF.js's default is 4 MiB), named group1-shard{i}of{n}.bin.

import { sha256 as sha256Bytes } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { type WeightSpec, specBytes } from './format.js';

export interface NamedWeight {
  spec: WeightSpec;
  values: Float32Array | Int32Array;
}

export function sha256(data: Uint8Array | string): string {
  return bytesToHex(sha256Bytes(typeof data === 'string' ? utf8ToBytes(data) : data));
}

/** Concatenate weight values into one little-endian buffer. */
export function encodeWeights(weights: readonly NamedWeight[]): Uint8Array {
  const total = weights.reduce((s, w) => s + specBytes(w.spec), 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const { spec, values } of weights) {
    const n = specBytes(spec) / 4;
    if (values.length !== n) throw new Error(`Weight '${spec.name}' has ${values.length} values but shape [${spec.shape.join(', ')}] needs ${n}.`);
    if (spec.dtype === 'int32') for (let i = 0; i < n; i++, offset += 4) view.setInt32(offset, values[i], true);
    else for (let i = 0; i < n; i++, offset += 4) view.setFloat32(offset, values[i], true);
  }
  return out;
}

/** Split a group's buffer into shards of at most shardBytes. */
export function shardBuffer(data: Uint8Array, shardBytes: number, group = 1): { path: string; data: Uint8Array }[] {
  const n = Math.max(1, Math.ceil(data.length / shardBytes));
  return Array.from({ length: n }, (_, i) => ({
    path: `group${group}-shard${i + 1}of${n}.bin`,
    data: data.subarray(i * shardBytes, Math.min(data.length, (i + 1) * shardBytes)),
  }));
}

/**
 * Decode a group's concatenated bytes into typed arrays (copies), checking sizes and finiteness.
 * `where(name)` names the file a weight came from, for messages.
 */
export function decodeWeights(data: Uint8Array, specs: readonly WeightSpec[], where: (byteOffset: number) => string): NamedWeight[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out: NamedWeight[] = [];
  let offset = 0;
  for (const spec of specs) {
    const n = specBytes(spec) / 4;
    const start = offset;
    if (spec.dtype === 'int32') {
      const values = new Int32Array(n);
      for (let i = 0; i < n; i++, offset += 4) values[i] = view.getInt32(offset, true);
      out.push({ spec, values });
    } else {
      const values = new Float32Array(n);
      for (let i = 0; i < n; i++, offset += 4) {
        const v = view.getFloat32(offset, true);
        if (!Number.isFinite(v)) throw new Error(`${where(start)}: weight '${spec.name}' holds ${v} at index ${i}; the file is corrupt or the model diverged before saving.`);
        values[i] = v;
      }
      out.push({ spec, values });
    }
  }
  return out;
}
