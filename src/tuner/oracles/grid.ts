// Grid search: the exact product of every parameter's values, conditional parameters only under parents that allow
// them, in declaration order with the last parameter varying fastest. Floats need a step (or use hp.choice).
// A point whose only trial failed as abandoned (its worker crashed) is proposed again, so a crash leaves no hole;
// a second abandonment of the same point leaves it failed (a point that crashes its worker is not retried forever).
// While the space is still unknown (define-by-run, nothing declared) and the first trial runs, other workers wait
// for it to declare the parameters instead of guessing the same first point.

import type { HyperparameterValue, HyperparameterValues, TrialRecord } from '../trial.js';
import { type ParamSpec, gridValues, isActive, valuesKey } from '../space.js';
import { type Oracle, type ProposeContext, type Proposal } from '../oracle.js';

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
    if (space.length === 0 && trials.some((t) => t.status === 'running')) return 'wait';
    const seen = gridSeenKeys(trials);
    for (const point of gridPoints(space)) if (!seen.has(valuesKey(point))) return point;
    return null;
  }

  /** A parameter met while running starts at its first grid value; later trials cover the rest of the product. */
  sampleNew(spec: ParamSpec): HyperparameterValue {
    const values = gridValues(spec);
    return values ? values[0] : spec.default;
  }
}

/** Keys of the points already tried, except those whose only trial was abandoned (re-proposed). */
export function gridSeenKeys(trials: readonly TrialRecord[]): Set<string> {
  const byKey = new Map<string, TrialRecord[]>();
  for (const t of trials) {
    const k = valuesKey(t.hyperparameters);
    byKey.set(k, [...(byKey.get(k) ?? []), t]);
  }
  const seen = new Set<string>();
  for (const [k, list] of byKey) {
    const abandoned = list.length === 1 && list[0].status === 'failed' && (list[0].error ?? '').startsWith('abandoned:');
    if (!abandoned) seen.add(k);
  }
  return seen;
}
