// Random search (Bergstra & Bengio 2012): every active parameter uniform on its unit interval (so log-sampled
// parameters are log-uniform), skipping points already tried; over when 100 draws in a row were all seen.

import { type Oracle, type ProposeContext, type Proposal, randomUnseen, seenKeys } from '../oracle.js';

export class RandomOracle implements Oracle {
  readonly name = 'random';

  propose({ space, trials, rng }: ProposeContext): Proposal {
    return randomUnseen(space, rng, seenKeys(trials));
  }
}
