/**
 * Batching rules (vmap) for every primitive. Elementwise ops batch by aligning
 * batch dims at the front; movement ops and reductions shift their dimension
 * params; dot_general turns a shared batch dim into a dot batch dimension.
 * Index-heavy primitives live in batching_rules_structural.ts.
 */
import type { PrimitiveName, PrimitiveParams } from "../core/primitives.js";
import { BINARY_ELEMENTWISE, DotDimensionNumbers, UNARY_ELEMENTWISE } from "../core/primitives.js";
import { type Array, bind, bind1 } from "../core/tracer.js";
import * as lax from "../lax/lax.js";
import type { AxisData, BDim, BatchRule, BatchRuleTable } from "./vmap.js";
import { moveBatchAxis, vmap } from "./vmap.js";
import { evalClosedJaxpr } from "./eval_jaxpr.js";
import { structuralBatchRules } from "./batching_rules_structural.js";
import { condBatchRule, scanBatchRule, whileBatchRule } from "./control_flow_rules.js";
import { customJvpCallBatch, customLinBatch, customVjpCallBatch, stopGradientBatch } from "./custom_derivative_rules.js";

/** Unary elementwise: the op applies as is; the batch dim stays where it is. */
function unary<P extends PrimitiveName>(prim: P): BatchRule<P> {
  return (vals, dims, params) => [bind(prim, vals, params), [dims[0]]];
}

/**
 * N-ary elementwise with lax's implicit broadcasting (JAX's broadcast_batcher): when every
 * non-scalar operand is batched along the same dim with the same shape, the primitive applies
 * as is. Otherwise batch dims move to the front (unbatched operands get a leading size-1 dim via
 * broadcast_in_dim), and batched scalars get trailing size-1 dims to reach the common rank.
 */
function broadcasting<P extends PrimitiveName>(prim: P): BatchRule<P> {
  return (vals, dims, params) => {
    const first = vals.findIndex((_, i) => dims[i] !== null);
    const shape = vals[first].shape;
    const dim = dims[first];
    const agree = vals.every((v, i) => v.ndim === 0 || (dims[i] === dim && v.shape.length === shape.length && v.shape.every((d, k) => d === shape[k])));
    if (agree) {
      const outs = bind(prim, vals, params);
      return [outs, outs.map((): BDim => dim)];
    }
    const atFront = vals.map((v, i) => (v.ndim === 0 ? v : moveBatchAxis(v, dims[i], 0, 1)));
    const nd = Math.max(...atFront.map((v) => v.ndim));
    const args = atFront.map((v, i) => (dims[i] === null || v.ndim === nd ? v : lax.expandDims(v, globalThis.Array.from({ length: nd - v.ndim }, (_, k) => v.ndim + k))));
    const outs = bind(prim, args, params);
    return [outs, outs.map((): BDim => 0)];
  };
}

/** All operands materialized with the batch dim in front at full shape (select_n, clamp, threefry). */
function fullShape<P extends PrimitiveName>(prim: P): BatchRule<P> {
  return (vals, dims, params, axis) => {
    const outRank = Math.max(...vals.map((v, i) => v.ndim - (dims[i] === null ? 0 : 1)));
    const outShape = vals.map((v, i) => (dims[i] === null ? v.shape : v.shape.filter((_, k) => k !== dims[i]))).find((s) => s.length === outRank)!;
    const args = vals.map((v, i) => {
      const m = moveBatchAxis(v, dims[i], 0, axis.size);
      const inner = m.shape.slice(1);
      if (inner.length === outShape.length) return m;
      // Scalar operand (allowed by select_n/clamp): broadcast to the full shape.
      return lax.broadcastInDim(m, [axis.size, ...outShape], [0]);
    });
    const outs = bind(prim, args, params);
    return [outs, outs.map(() => 0)];
  };
}

function shiftAxes(axes: readonly number[], bdim: number): number[] {
  return axes.map((a) => (a >= bdim ? a + 1 : a));
}

function moveToFront(v: Array, d: BDim, size: number): Array {
  return moveBatchAxis(v, d, 0, size);
}

const reduceRule = <P extends "reduce_sum" | "reduce_max" | "reduce_min" | "reduce_prod" | "reduce_and" | "reduce_or" | "argmax" | "argmin">(prim: P): BatchRule<P> =>
  (vals, dims, params) => {
    const d = dims[0]!;
    const axes = shiftAxes(params.axes, d);
    const outDim = d - params.axes.filter((a) => a < d).length;
    return [[bind1(prim, vals, { ...params, axes } as PrimitiveParams[P])], [outDim]];
  };

const cumRule = <P extends "cumsum" | "cumprod" | "cummax" | "cummin">(prim: P): BatchRule<P> =>
  (vals, dims, params) => {
    const d = dims[0]!;
    return [[bind1(prim, vals, { ...params, axis: params.axis >= d ? params.axis + 1 : params.axis } as PrimitiveParams[P])], [d]];
  };

const dotGeneralRule: BatchRule<"dot_general"> = (vals, dims, params, axis) => {
  const [l, r] = vals;
  const [ld, rd] = dims;
  const dn = params.dimension_numbers;
  if (ld !== null && rd !== null) {
    const lm = moveToFront(l, ld, axis.size);
    const rm = moveToFront(r, rd, axis.size);
    const sh = (a: readonly number[]) => a.map((x) => x + 1);
    const ndn = new DotDimensionNumbers(sh(dn.lhsContracting), sh(dn.rhsContracting), [0, ...sh(dn.lhsBatch)], [0, ...sh(dn.rhsBatch)]);
    return [[bind1("dot_general", [lm, rm], { ...params, dimension_numbers: ndn })], [0]];
  }
  if (ld !== null) {
    // The batch dim is a free dim of lhs: its output position follows the batch dims and the preceding lhs free dims.
    const sh = (a: readonly number[]) => a.map((x) => (x >= ld ? x + 1 : x));
    const lc = sh(dn.lhsContracting), lb = sh(dn.lhsBatch);
    const ndn = new DotDimensionNumbers(lc, dn.rhsContracting, lb, dn.rhsBatch);
    const free = l.shape.map((_, i) => i).filter((i) => !lc.includes(i) && !lb.includes(i));
    return [[bind1("dot_general", [l, r], { ...params, dimension_numbers: ndn })], [lb.length + free.indexOf(ld)]];
  }
  const rdd = rd!;
  const sh = (a: readonly number[]) => a.map((x) => (x >= rdd ? x + 1 : x));
  const rc = sh(dn.rhsContracting), rb = sh(dn.rhsBatch);
  const ndn = new DotDimensionNumbers(dn.lhsContracting, rc, dn.lhsBatch, rb);
  const lFree = l.ndim - dn.lhsContracting.length - dn.lhsBatch.length;
  const rFree = r.shape.map((_, i) => i).filter((i) => !rc.includes(i) && !rb.includes(i));
  return [[bind1("dot_general", [l, r], { ...params, dimension_numbers: ndn })], [dn.lhsBatch.length + lFree + rFree.indexOf(rdd)]];
};

/** jit: batch the inner jaxpr by evaluating it under a nested vmap (the jit boundary is inlined). */
const jitRule: BatchRule<"jit"> = (vals, dims, params, axis) => {
  const outs = vmap((...xs: Array[]) => evalClosedJaxpr(params.jaxpr, xs), { inAxes: dims, outAxes: 0, axisSize: axis.size })(...vals) as Array[];
  return [outs, outs.map((): BDim => 0)];
};

const elementwise = Object.fromEntries([
  ...UNARY_ELEMENTWISE.map((p) => [p, unary(p)]),
  ...BINARY_ELEMENTWISE.map((p) => [p, broadcasting(p)]),
]) as unknown as { [P in (typeof UNARY_ELEMENTWISE)[number] | (typeof BINARY_ELEMENTWISE)[number]]: BatchRule<P> };

export const batchRules: BatchRuleTable = {
  ...elementwise,
  ...structuralBatchRules,
  select_n: fullShape("select_n"),
  clamp: fullShape("clamp"),
  threefry2x32: fullShape("threefry2x32"),
  convert_element_type: unary("convert_element_type"),
  bitcast_convert_type: unary("bitcast_convert_type"),
  iota: () => {
    throw new Error("internal: iota has no operands to batch");
  },
  reduce_sum: reduceRule("reduce_sum"),
  reduce_max: reduceRule("reduce_max"),
  reduce_min: reduceRule("reduce_min"),
  reduce_prod: reduceRule("reduce_prod"),
  reduce_and: reduceRule("reduce_and"),
  reduce_or: reduceRule("reduce_or"),
  argmax: reduceRule("argmax"),
  argmin: reduceRule("argmin"),
  cumsum: cumRule("cumsum"),
  cumprod: cumRule("cumprod"),
  cummax: cumRule("cummax"),
  cummin: cumRule("cummin"),
  dot_general: dotGeneralRule,
  jit: jitRule,
  cond: condBatchRule,
  while: whileBatchRule,
  scan: scanBatchRule,
  stop_gradient: stopGradientBatch,
  custom_jvp_call: customJvpCallBatch,
  custom_vjp_call: customVjpCallBatch,
  custom_lin: customLinBatch,
};

export { evalClosedJaxpr, type AxisData };
