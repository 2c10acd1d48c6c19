// Grid search: the exact product of every parameter's values, conditional parameters only under parents that allow
// them, in declaration order with the last parameter varying fastest. Floats need a step (or use hp.choice).

import type { HyperparameterValue, HyperparameterValues } from '../trial.js';
import { type ParamSpec, gridValues, isActive, valuesKey } from '../space.js';
import { type Oracle, type ProposeContext, type Proposal, seenKeys } from '../oracle.js';

/** Every point of the grid, lazily, conditional parameters included only where active. */
export function* gridPoints(space: readonly ParamSpec[]): Generator<HyperparameterValues> {
  const lists = space.map((p) => {
    const values = gridValues(p);
    if (values === null) {
      throw new Error(`GridSearch: float '${p.name}' is continuous; give it a step (hp.float('${p.name}', min, max, { step })) or list values with hp.choice.`);
    }
    return values;
  });
  function* walk(i: number, values: HyperparameterValues): Generator<HyperparameterValues> {
    if (i === space.length) {
      yield { ...values };
      return;
    }
    if (!isActive(space[i], values)) {
      yield* walk(i + 1, values);
      return;
    }
    for (const v of lists[i] as HyperparameterValue[]) {
      values[space[i].name] = v;
      yield* walk(i + 1, values);
    }
    delete values[space[i].name];
  }
  yield* walk(0, {});
}

export class GridOracle implements Oracle {
  readonly name = 'grid';

  propose({ space, trials }: ProposeContext): Proposal {
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
