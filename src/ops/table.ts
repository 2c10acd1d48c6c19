// The op table: every op's rule by name. The mapped type makes the compiler demand a rule for each OpName, and
// the gradient-check suite (test/ops/gradcheck.test.ts) iterates this table, so a new op needs a check too.

import { unaryRules } from './unary.js';
import { binaryRules } from './binary.js';
import { reduceRules } from './reduce.js';
import { softmaxRules } from './softmax.js';
import { matmulRules } from './matmul.js';
import { shapeRules } from './shape-ops.js';
import { randomRules } from './random.js';
import { convRules } from './conv.js';
import { poolRules } from './pool.js';
import { normRules } from './norm.js';
import { stateRules } from './state.js';
import { recurrentRules } from './recurrent.js';
import type { Rule } from './rule.js';

export type OpName =
  | keyof typeof unaryRules
  | keyof typeof binaryRules
  | keyof typeof reduceRules
  | keyof typeof softmaxRules
  | keyof typeof matmulRules
  | keyof typeof shapeRules
  | keyof typeof randomRules
  | keyof typeof convRules
  | keyof typeof poolRules
  | keyof typeof normRules
  | keyof typeof stateRules
  | keyof typeof recurrentRules;

export const opRules: { readonly [op in OpName]: Rule } = { ...unaryRules, ...binaryRules, ...reduceRules, ...softmaxRules, ...matmulRules, ...shapeRules, ...randomRules, ...convRules, ...poolRules, ...normRules, ...stateRules, ...recurrentRules };
