/**
 * The abstract-evaluation table for every primitive: elementwise and structural
 * rules live in core/rules/, higher-order primitives are defined here.
 */
import { type ShapedArray, shapeStr } from "./aval.js";
import { BINARY_ELEMENTWISE, type BinaryElementwise, type PrimitiveName, type PrimitiveParams } from "./primitives.js";
import type { AbstractEvalTable } from "./shape_rule_types.js";
import { elementwiseAbstractEval } from "./rules/elementwise_rules.js";
import { structuralAbstractEval } from "./rules/structural_rules.js";
import { prngAbstractEval } from "./rules/prng_rules.js";
import { customAbstractEval } from "./rules/custom_rules.js";
import { controlFlowAbstractEval } from "./rules/control_flow_rules.js";

const higherOrder: AbstractEvalTable<"jit"> = {
  jit: (avals, { jaxpr, name }) => {
    const want = jaxpr.inAvals;
    if (avals.length !== want.length || avals.some((a, i) => a.dtype !== want[i].dtype || a.shape.join() !== want[i].shape.join()))
      throw new TypeError(`jit-compiled function ${name} called with ${avals.map((a) => a.strShort()).join(", ")} but was traced for ${want.map((a) => a.strShort()).join(", ")}.`);
    return jaxpr.outAvals;
  },
};

/**
 * lax's broadcasting shape rule for binary elementwise ops: rank-0 operands
 * broadcast against anything; otherwise ranks must agree and each dimension
 * must be equal or 1.
 */
export function broadcastingShape(name: string, avals: readonly ShapedArray[]): readonly number[] {
  const shapes = avals.map((a) => a.shape).filter((s) => s.length > 0);
  if (shapes.length === 0) return [];
  if (new Set(shapes.map((s) => s.length)).size !== 1)
    throw new TypeError(`${name}: arrays must have same number of dimensions, got ${shapes.map(shapeStr).join(", ")}.`);
  return shapes[0].map((_, i) => {
    const non1 = shapes.map((s) => s[i]).filter((d) => d !== 1);
    if (non1.length === 0) return 1;
    if (non1.some((d) => d !== non1[0])) throw new TypeError(`${name} got incompatible shapes for broadcasting: ${shapes.map(shapeStr).join(", ")}.`);
    return non1[0];
  });
}

function withBroadcasting<P extends BinaryElementwise>(name: P, rule: AbstractEvalTable<P>[P]): AbstractEvalTable<P>[P] {
  return ((avals: readonly ShapedArray[], params: PrimitiveParams[P]) => {
    const shape = broadcastingShape(name, avals);
    return (rule as (a: readonly ShapedArray[], p: PrimitiveParams[P]) => ShapedArray[])(avals.map((a) => a.update({ shape })), params);
  }) as AbstractEvalTable<P>[P];
}

const broadcastingBinary = Object.fromEntries(
  BINARY_ELEMENTWISE.map((p) => [p, withBroadcasting(p, elementwiseAbstractEval[p] as never)]),
) as unknown as AbstractEvalTable<BinaryElementwise>;

export const abstractEvalRules: AbstractEvalTable<PrimitiveName> = {
  ...elementwiseAbstractEval,
  ...broadcastingBinary,
  ...structuralAbstractEval,
  ...prngAbstractEval,
  ...higherOrder,
  ...customAbstractEval,
  ...controlFlowAbstractEval,
};

export function abstractEval<P extends PrimitiveName>(prim: P, avals: readonly ShapedArray[], params: PrimitiveParams[P]): ShapedArray[] {
  const rule = abstractEvalRules[prim] as (a: readonly ShapedArray[], p: PrimitiveParams[P]) => ShapedArray[];
  return rule(avals, params);
}
