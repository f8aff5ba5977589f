/**
 * Transposition of linear jaxprs (reverse mode): `backwardPass` walks the
 * equations backwards accumulating cotangents, using a transpose rule for each
 * linear primitive. Operands that are linear inputs arrive as `UndefPrimal`;
 * the others (residuals) as values.
 */
import { ShapedArray } from "../core/aval.js";
import { type Jaxpr, Literal, Var } from "../core/jaxpr.js";
import type { PrimitiveName, PrimitiveParams } from "../core/primitives.js";
import { type Array, bind } from "../core/tracer.js";
import { scalar } from "../array.js";
import { type MaybeZero, Zero, addTangents } from "./ad_util.js";
import { transposeRules } from "./transpose_rules.js";

/** A linear input whose value is not known (only its aval). */
export class UndefPrimal {
  constructor(readonly aval: ShapedArray) {}
}

export type TransposeArg = Array | UndefPrimal;
export type TransposeRule<P extends PrimitiveName> = (cts: MaybeZero[], args: TransposeArg[], params: PrimitiveParams[P]) => (MaybeZero | null)[];
export type TransposeRuleTable = { [P in PrimitiveName]?: TransposeRule<P> };

export function isUndef(x: TransposeArg): x is UndefPrimal {
  return x instanceof UndefPrimal;
}

/**
 * Evaluate the cotangents of `jaxpr`'s invars (all linear) given the cotangents
 * of its outputs. Equations not touching linear inputs are evaluated forward.
 */
export function backwardPass(jaxpr: Jaxpr, consts: readonly Array[], cts: readonly MaybeZero[]): MaybeZero[] {
  const primal = new Map<Var, Array>();
  const linear = new Set<Var>(jaxpr.invars);
  jaxpr.constvars.forEach((v, i) => primal.set(v, consts[i]));
  const lit = (l: Literal) => scalar(l.val, l.aval.dtype, l.aval.weakType);
  // Forward: compute non-linear equations, mark linear ones.
  const linearEqns = [];
  for (const e of jaxpr.eqns) {
    if (e.inputs.some((a) => a instanceof Var && linear.has(a))) {
      for (const o of e.outBinders) linear.add(o);
      linearEqns.push(e);
    } else {
      const outs = bind(e.primitive, e.inputs.map((a) => (a instanceof Literal ? lit(a) : primal.get(a)!)), e.params as never);
      e.outBinders.forEach((v, i) => primal.set(v, outs[i]));
    }
  }
  const ctEnv = new Map<Var, MaybeZero>();
  const addCt = (v: Var, ct: MaybeZero) => ctEnv.set(v, addTangents(ctEnv.get(v) ?? new Zero(v.aval), ct));
  jaxpr.outvars.forEach((o, i) => {
    if (o instanceof Var && linear.has(o)) addCt(o, cts[i]);
  });
  for (let k = linearEqns.length - 1; k >= 0; k--) {
    const e = linearEqns[k];
    const ctsOut = e.outBinders.map((v) => ctEnv.get(v) ?? new Zero(v.aval));
    for (const v of e.outBinders) ctEnv.delete(v);
    if (ctsOut.every((c) => c instanceof Zero)) continue;
    const args: TransposeArg[] = e.inputs.map((a) => (a instanceof Literal ? lit(a) : linear.has(a) ? new UndefPrimal(a.aval) : primal.get(a)!));
    const rule = transposeRules[e.primitive] as TransposeRule<PrimitiveName> | undefined;
    if (!rule) throw new Error(`Reverse-mode differentiation does not support the primitive ${e.primitive} in a linear position (no transpose rule).`);
    const ctsIn = rule(ctsOut, args, e.params as never);
    e.inputs.forEach((a, i) => {
      const ct = ctsIn[i];
      if (a instanceof Var && linear.has(a) && ct) addCt(a, ct);
    });
  }
  return jaxpr.invars.map((v) => ctEnv.get(v) ?? new Zero(v.aval));
}
