// Grid search: the exact product of every parameter's values, conditional parameters only under parents that allow
// them, in declaration order with the last parameter varying fastest. Floats need a step (or use hp.choice).
// A point whose trial was abandoned (its worker crashed) is re-run once by the runner, as for every oracle.
// While the space is still unknown (define-by-run, nothing declared) and the first trial runs, other workers wait
// for it to declare the parameters instead of guessing the same first point.

import type { HyperparameterValue } from '../trial.js';
import { type ParamSpec, gridPoints, gridValues, valuesKey } from '../space.js';
import { type Oracle, type ProposeContext, type Proposal, seenKeys } from '../oracle.js';

export { gridPoints } from '../space.js';

export class GridOracle implements Oracle {
  readonly name = 'grid';

  propose({ space, trials }: ProposeContext): Proposal {
    if (space.length === 0 && trials.some((t) => t.status === 'running')) return 'wait';
    const seen = seenKeys(trials);
    for (const point of gridPoints(space)) if (!seen.has(valuesKey(point))) return point;
    return null;
  }

  /** A parameter met while running starts at its first grid value; later trials cover the rest of the product. */
  sampleNew(spec: ParamSpec): HyperparameterValue {
    const values = gridValues(spec);
    return values ? values[0] : spec.default;
  }
}
