// Argument checks shared by every backend's elementwise kernels: they run before any array is touched.

/** Throws unless every array has the length of the first (elementwise kernels check before touching anything). */
export function checkSameLengths(what: string, ...arrays: Float32Array[]): void {
  for (const a of arrays) {
    if (a.length !== arrays[0].length) throw new Error(`${what}: arrays must have the same length; got ${arrays.map((x) => x.length).join(', ')}.`);
  }
}

/** Throws unless b is non-empty and its length divides x's and y's (equal) lengths. */
export function checkBias(x: Float32Array, b: Float32Array, y: Float32Array): void {
  if (x.length !== y.length || b.length === 0 || x.length % b.length !== 0) {
    throw new Error(`biasAdd: x and y must have the same length, a multiple of the bias's; got ${x.length}, ${b.length}, ${y.length}.`);
  }
}

/** Throws unless out is non-empty and its length divides g's. */
export function checkRows(g: Float32Array, out: Float32Array): void {
  if (out.length === 0 || g.length % out.length !== 0) throw new Error(`sumRows: g's length must be a multiple of out's; got ${g.length} and ${out.length}.`);
}
