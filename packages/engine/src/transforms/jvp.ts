/**
 * Forward-mode autodiff: the JVP interpreter (a Trace whose tracers carry a
 * primal and a tangent) and a jvp rule for every primitive. Tangents may be
 * symbolic zeros so unused inputs cost nothing. Rules are written with lax
 * ops, so they compose with every other transformation (Autodidax's design).
 */
import { ShapedArray } from "../core/aval.js";
import { isFloat } from "../core/dtype.js";
import type { PrimitiveName, PrimitiveParams } from "../core/primitives.js";
import { abstractEval } from "../core/abstract_eval.js";
import { type Array, type MainTrace, type ScalarConversion, Trace, Tracer, bind, bind1, withMainTrace } from "../core/tracer.js";
import * as lax from "../lax/lax.js";
import { type MaybeZero, Zero, addTangents, broadcastTo, instantiate, zerosLikeAval } from "./ad_util.js";
import { evalClosedJaxpr } from "./eval_jaxpr.js";
import { jvpExtraRules } from "./jvp_rules_structural.js";
import { condJvpRule, scanJvpRule, whileJvpRule } from "./control_flow_rules.js";
import { customJvpCallJvp, customLinJvp, customVjpCallJvp, stopGradientJvp } from "./custom_derivative_rules.js";

export class JVPTracer extends Tracer {
  constructor(
    readonly trace: JVPTrace,
    readonly primal: Array,
    readonly tangent: MaybeZero,
  ) {
    super();
  }
  get aval(): ShapedArray {
    return this.primal.aval;
  }
  concreteScalar(what: ScalarConversion): number {
    return this.primal.concreteScalar(what);
  }
}

export class JVPTrace extends Trace {
  pure(x: Array): JVPTracer {
    return new JVPTracer(this, x, new Zero(x.aval));
  }
  lift(x: Tracer): JVPTracer {
    return new JVPTracer(this, x, new Zero(x.aval));
  }
  processPrimitive<P extends PrimitiveName>(prim: P, tracers: Array[], params: PrimitiveParams[P]): Array[] {
    const ts = tracers as JVPTracer[];
    const rule = jvpRules[prim] as JvpRule<P>;
    const [outs, tans] = rule(ts.map((t) => t.primal), ts.map((t) => t.tangent), params);
    return outs.map((o, i) => new JVPTracer(this, o, tans[i]));
  }
}

export type JvpRule<P extends PrimitiveName> = (primals: Array[], tangents: MaybeZero[], params: PrimitiveParams[P]) => [Array[], MaybeZero[]];
export type JvpRuleTable = { [P in PrimitiveName]: JvpRule<P> };

const allZero = (ts: MaybeZero[]) => ts.every((t) => t instanceof Zero);

/** Differentiable elementwise op: each operand's contribution `g -> ...`, summed and broadcast to the output. */
function defjvp<P extends PrimitiveName>(prim: P, ...derivs: (((g: Array, ans: Array, ...xs: Array[]) => Array) | null)[]): JvpRule<P> {
  return (primals, tangents, params) => {
    const ans = bind1(prim, primals, params);
    let t: MaybeZero = new Zero(ans.aval);
    tangents.forEach((g, i) => {
      if (g instanceof Zero || !derivs[i]) return;
      t = addTangents(t, broadcastTo(derivs[i]!(g, ans, ...primals), ans.shape));
    });
    return [[ans], [t]];
  };
}

/** Primitives whose outputs have zero derivative (integer-valued, comparisons, ...). */
function zeroJvp<P extends PrimitiveName>(prim: P): JvpRule<P> {
  return (primals, _t, params) => {
    const outs = bind(prim, primals, params);
    return [outs, outs.map((o) => new Zero(o.aval))];
  };
}

/** Linear in all operands jointly: the tangent is the op applied to the tangents. */
export function linearJvp<P extends PrimitiveName>(prim: P): JvpRule<P> {
  return (primals, tangents, params) => {
    const outs = bind(prim, primals, params);
    if (allZero(tangents)) return [outs, outs.map((o) => new Zero(o.aval))];
    return [outs, bind(prim, tangents.map(instantiate), params)];
  };
}

const c = (x: Array, v: number) => lax.convertElementType(v, x.dtype, x.weakType);
/** A constant with x's shape and dtype (select_n needs equal case shapes). */
const full = (x: Array, v: number) => lax.broadcastInDim(c(x, v), x.shape, []);

/** 1 where x equals ans (0.5 on ties with y), as JAX's _balanced_eq for max/min. */
function balancedEq(x: Array, ans: Array, y: Array): Array {
  // JAX's _balanced_eq: 1 where x attains the result, halved where y ties with it.
  return lax.div(lax.select(lax.eq(x, ans), full(ans, 1), full(ans, 0)), lax.select(lax.eq(y, ans), full(ans, 2), full(ans, 1)));
}

const elementwiseRules = {
  neg: defjvp("neg", (g) => lax.neg(g)),
  sign: zeroJvp("sign"),
  floor: zeroJvp("floor"),
  ceil: zeroJvp("ceil"),
  round: zeroJvp("round"),
  is_finite: zeroJvp("is_finite"),
  exp: defjvp("exp", (g, ans) => lax.mul(g, ans)),
  exp2: defjvp("exp2", (g, ans) => lax.mul(g, lax.mul(ans, c(ans, Math.LN2)))),
  log: defjvp("log", (g, _a, x) => lax.div(g, x)),
  log1p: defjvp("log1p", (g, _a, x) => lax.div(g, lax.add(x, c(x, 1)))),
  expm1: defjvp("expm1", (g, ans) => lax.mul(g, lax.add(ans, c(ans, 1)))),
  tanh: defjvp("tanh", (g, ans) => lax.mul(lax.add(g, lax.mul(g, ans)), lax.sub(c(ans, 1), ans))),
  logistic: defjvp("logistic", (g, ans) => lax.mul(g, lax.mul(ans, lax.sub(c(ans, 1), ans)))),
  sin: defjvp("sin", (g, _a, x) => lax.mul(g, lax.cos(x))),
  cos: defjvp("cos", (g, _a, x) => lax.neg(lax.mul(g, lax.sin(x)))),
  tan: defjvp("tan", (g, ans) => lax.mul(g, lax.add(c(ans, 1), lax.mul(ans, ans)))),
  asin: defjvp("asin", (g, _a, x) => lax.mul(g, lax.rsqrt(lax.sub(c(x, 1), lax.mul(x, x))))),
  acos: defjvp("acos", (g, _a, x) => lax.neg(lax.mul(g, lax.rsqrt(lax.sub(c(x, 1), lax.mul(x, x)))))),
  atan: defjvp("atan", (g, _a, x) => lax.div(g, lax.add(c(x, 1), lax.mul(x, x)))),
  sinh: defjvp("sinh", (g, _a, x) => lax.mul(g, lax.cosh(x))),
  cosh: defjvp("cosh", (g, _a, x) => lax.mul(g, lax.sinh(x))),
  asinh: defjvp("asinh", (g, _a, x) => lax.mul(g, lax.rsqrt(lax.add(lax.mul(x, x), c(x, 1))))),
  acosh: defjvp("acosh", (g, _a, x) => lax.mul(g, lax.rsqrt(lax.mul(lax.sub(x, c(x, 1)), lax.add(x, c(x, 1)))))),
  atanh: defjvp("atanh", (g, _a, x) => lax.div(g, lax.sub(c(x, 1), lax.mul(x, x)))),
  sqrt: defjvp("sqrt", (g, ans) => lax.mul(g, lax.div(c(ans, 0.5), ans))),
  rsqrt: defjvp("rsqrt", (g, ans, x) => lax.mul(g, lax.mul(c(x, -0.5), lax.div(ans, x)))),
  cbrt: defjvp("cbrt", (g, ans) => lax.mul(g, lax.mul(c(ans, 1 / 3), lax.integerPow(ans, -2)))),
  abs: defjvp("abs", (g, _a, x) => lax.select(lax.ge(x, c(x, 0)), g, lax.neg(g))),
  not: zeroJvp("not"),
  erf: defjvp("erf", (g, _a, x) => lax.mul(g, lax.mul(c(x, 2 / Math.sqrt(Math.PI)), lax.exp(lax.neg(lax.mul(x, x)))))),
  erf_inv: defjvp("erf_inv", (g, ans) => lax.mul(g, lax.mul(c(ans, Math.sqrt(Math.PI) / 2), lax.exp(lax.mul(ans, ans))))),
  integer_pow: ((primals, tangents, params) => {
    const [x] = primals;
    const ans = bind1("integer_pow", [x], params);
    const [g] = tangents;
    const y = params.y;
    if (g instanceof Zero || y === 0) return [[ans], [new Zero(ans.aval)]];
    const dx = y === 1 ? c(x, 1) : y === 2 ? lax.mul(c(x, 2), x) : lax.mul(c(x, y), lax.integerPow(x, y - 1));
    return [[ans], [lax.mul(g, dx)]];
  }) as JvpRule<"integer_pow">,
  add: defjvp("add", (g) => g, (g) => g),
  sub: defjvp("sub", (g) => g, (g) => lax.neg(g)),
  mul: defjvp("mul", (g, _a, _x, y) => lax.mul(g, y), (g, _a, x) => lax.mul(x, g)),
  div: defjvp("div", (g, _a, _x, y) => lax.div(g, y), (g, _a, x, y) => lax.mul(lax.mul(lax.neg(g), x), lax.integerPow(y, -2))),
  rem: defjvp("rem", (g) => g, (g, _a, x, y) => lax.mul(lax.neg(g), lax.mul(lax.sign(lax.div(x, y)), lax.floor(lax.abs(lax.div(x, y)))))),
  pow: defjvp(
    "pow",
    (g, _a, x, y) => lax.mul(g, lax.mul(y, lax.pow(x, lax.sub(y, c(y, 1))))),
    (g, ans, x) => {
      const xb = lax.broadcastInDim(x, ans.shape, x.ndim === 0 ? [] : x.shape.map((_, i) => i));
      return lax.mul(g, lax.select(lax.eq(xb, full(xb, 0)), full(ans, 0), lax.mul(lax.log(xb), ans)));
    },
  ),
  max: defjvp("max", (g, ans, x, y) => lax.mul(g, balancedEq(x, ans, y)), (g, ans, x, y) => lax.mul(g, balancedEq(y, ans, x))),
  min: defjvp("min", (g, ans, x, y) => lax.mul(g, balancedEq(x, ans, y)), (g, ans, x, y) => lax.mul(g, balancedEq(y, ans, x))),
  atan2: defjvp(
    "atan2",
    (g, _a, x, y) => lax.mul(g, lax.div(y, lax.add(lax.mul(x, x), lax.mul(y, y)))),
    (g, _a, x, y) => lax.mul(g, lax.div(lax.neg(x), lax.add(lax.mul(x, x), lax.mul(y, y)))),
  ),
  nextafter: zeroJvp("nextafter"),
  and: zeroJvp("and"),
  or: zeroJvp("or"),
  xor: zeroJvp("xor"),
  eq: zeroJvp("eq"),
  ne: zeroJvp("ne"),
  lt: zeroJvp("lt"),
  le: zeroJvp("le"),
  gt: zeroJvp("gt"),
  ge: zeroJvp("ge"),
  shift_left: zeroJvp("shift_left"),
  shift_right_logical: zeroJvp("shift_right_logical"),
  shift_right_arithmetic: zeroJvp("shift_right_arithmetic"),
  select_n: ((primals, tangents, params) => {
    const ans = bind1("select_n", primals, params);
    const cases = tangents.slice(1);
    if (allZero(cases)) return [[ans], [new Zero(ans.aval)]];
    return [[ans], [bind1("select_n", [primals[0], ...cases.map(instantiate)], params)]];
  }) as JvpRule<"select_n">,
  clamp: ((primals, tangents, params) => {
    const [lo, x, hi] = primals;
    const ans = bind1("clamp", primals, params);
    const z = zerosLikeAval(ans.aval);
    let t: MaybeZero = new Zero(ans.aval);
    const [glo, gx, ghi] = tangents;
    if (!(glo instanceof Zero)) t = addTangents(t, lax.select(lax.bitwiseAnd(lax.gt(lo, x), lax.lt(lo, hi)), broadcastTo(glo, ans.shape), z));
    if (!(gx instanceof Zero)) t = addTangents(t, lax.select(lax.bitwiseAnd(lax.gt(x, lo), lax.lt(x, hi)), gx, z));
    if (!(ghi instanceof Zero)) t = addTangents(t, lax.select(lax.lt(hi, x), broadcastTo(ghi, ans.shape), z));
    return [[ans], [t]];
  }) as JvpRule<"clamp">,
  convert_element_type: ((primals, tangents, params) => {
    const ans = bind1("convert_element_type", primals, params);
    const [g] = tangents;
    if (g instanceof Zero || !isFloat(params.new_dtype) || !isFloat(primals[0].dtype)) return [[ans], [new Zero(ans.aval)]];
    return [[ans], [bind1("convert_element_type", [g], params)]];
  }) as JvpRule<"convert_element_type">,
  bitcast_convert_type: zeroJvp("bitcast_convert_type"),
  iota: zeroJvp("iota"),
  threefry2x32: zeroJvp("threefry2x32"),
  argmax: zeroJvp("argmax"),
  argmin: zeroJvp("argmin"),
  reduce_and: zeroJvp("reduce_and"),
  reduce_or: zeroJvp("reduce_or"),
} satisfies Partial<JvpRuleTable>;

/** jit: differentiate the inner jaxpr by evaluating it under this trace (the jit boundary is inlined). */
const jitJvp: JvpRule<"jit"> = (primals, tangents, params) => {
  const [outs, tans] = jvpFlat((...args) => evalClosedJaxpr(params.jaxpr, args), primals, tangents);
  return [outs, tans];
};

/** Custom derivatives (custom_derivative_rules.ts). */
const customRules = {
  stop_gradient: stopGradientJvp,
  custom_jvp_call: customJvpCallJvp,
  custom_vjp_call: customVjpCallJvp,
  custom_lin: customLinJvp,
} satisfies Partial<JvpRuleTable>;

export const jvpRules: JvpRuleTable = { ...elementwiseRules, ...jvpExtraRules, ...customRules, jit: jitJvp, cond: condJvpRule, while: whileJvpRule, scan: scanJvpRule };

/** jvp over flat lists of arrays; tangents may be symbolic zeros. */
export function jvpFlat(f: (...xs: Array[]) => Array[], primals: readonly Array[], tangents: readonly MaybeZero[]): [Array[], MaybeZero[]] {
  return withMainTrace(JVPTrace, null, (main: MainTrace) => {
    const trace = new JVPTrace(main);
    const tracersIn = primals.map((p, i) => new JVPTracer(trace, p, tangents[i]));
    const outs = f(...tracersIn);
    const primalsOut: Array[] = [];
    const tangentsOut: MaybeZero[] = [];
    for (const o of outs) {
      const t = trace.fullRaise(o) as JVPTracer;
      primalsOut.push(t.primal);
      tangentsOut.push(t.tangent);
    }
    return [primalsOut, tangentsOut];
  });
}

export { abstractEval };
