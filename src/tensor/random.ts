// Seeded pseudo-random numbers: mulberry32 for uniforms, Box-Muller for normals.
// One global generator (setSeed) so that a script is reproducible; components may own their own Rng.

export class Rng {
  private state: number;
  private spareNormal: number | null = null;

  constructor(seed: number = (Math.random() * 2 ** 32) >>> 0) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  uniform(min = 0, max = 1): number {
    return min + (max - min) * this.next();
  }

  normal(mean = 0, stddev = 1): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + stddev * z;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return mean + stddev * r * Math.cos(2 * Math.PI * v);
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Fisher-Yates shuffle in place. */
  shuffle<T>(array: { length: number; [i: number]: T }): void {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
  }

  /** A new generator seeded from this one (for components that need an independent stream). */
  fork(): Rng {
    return new Rng((this.next() * 4294967296) >>> 0);
  }
}

let globalRng = new Rng();

/** Seed every random source that is not given its own seed: initializers, Dropout, shuffling. */
export function setSeed(seed: number): void {
  globalRng = new Rng(seed);
}

export function getRng(seed?: number): Rng {
  return seed === undefined ? globalRng : new Rng(seed);
}
