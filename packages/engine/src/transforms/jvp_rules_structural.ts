/**
 * JVP rules of the structural primitives: movement ops and reductions, index
 * ops (linear in their data operands, constant in their indices), bilinear
 * dot_general/conv, and the order-statistics ops (max/min reductions, sort,
 * cummax, reduce_window_max) that route tangents to the chosen elements.
 */
import type { PrimitiveName, PrimitiveParams } from "../core/primitives.js";
import { type Array, bind, bind1 } from "../core/tracer.js";
import * as lax from "../lax/lax.js";
import { type MaybeZero, Zero, addTangents, instantiate, zerosLikeAval } from "./ad_util.js";
import type { JvpRule } from "./jvp.js";
import { scatterToGather } from "./transpose_rules.js";

const allZero = (ts: readonly MaybeZero[]) => ts.every((t) => t instanceof Zero);
const c = (x: Array, v: number) => lax.convertElementType(v, x.dtype, x.weakType);

/** Linear in the first `nLinear` operands; remaining operands (indices) are passed through. */
function linearIn<P extends PrimitiveName>(prim: P, nLinear: number): JvpRule<P> {
  return (primals, tangents, params) => {
    const outs = bind(prim, primals, params);
    const lin = tangents.slice(0, nLinear);
    if (allZero(lin)) return [outs, outs.map((o) => new Zero(o.aval))];
    return [outs, bind(prim, [...lin.map(instantiate), ...primals.slice(nLinear)], params)];
  };
}

/** Linear in each operand separately (tangent = op(t_i, rest primal...)) — for bilinear ops. */
function bilinear<P extends PrimitiveName>(prim: P): JvpRule<P> {
  return (primals, tangents, params) => {
    const [x, y] = primals;
    const ans = bind1(prim, primals, params);
    let t: MaybeZero = new Zero(ans.aval);
    if (!(tangents[0] instanceof Zero)) t = addTangents(t, bind1(prim, [tangents[0], y], params));
    if (!(tangents[1] instanceof Zero)) t = addTangents(t, bind1(prim, [x, tangents[1]], params));
    return [[ans], [t]];
  };
}

/** Move `axes` of x to the end and merge them into one trailing axis. */
function gatherAxesLast(x: Array, axes: readonly number[]): Array {
  const keep = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const t = lax.transpose(x, [...keep, ...axes]);
  const n = axes.reduce((p, a) => p * x.shape[a], 1);
  return lax.reshape(t, [...keep.map((i) => x.shape[i]), n]);
}

/** JAX's chooser rule for reduce_max/min: tangents averaged over the positions attaining the extremum. */
function chooserJvp<P extends "reduce_max" | "reduce_min">(prim: P): JvpRule<P> {
  return (primals, tangents, params) => {
    const [x] = primals;
    const ans = bind1(prim, primals, params);
    const [g] = tangents;
    if (g instanceof Zero) return [[ans], [new Zero(ans.aval)]];
    const keep = x.shape.map((_, i) => i).filter((i) => !params.axes.includes(i));
    const ansB = lax.broadcastInDim(ans, x.shape, keep);
    const loc = lax.convertElementType(lax.eq(x, ansB), g.dtype);
    const counts = lax.reduceSum(loc, params.axes);
    return [[ans], [lax.div(lax.reduceSum(lax.mul(g, loc), params.axes), counts)]];
  };
}

/** reduce_prod: sum over positions of t times the product of the other elements (exact with zeros). */
const reduceProdJvp: JvpRule<"reduce_prod"> = (primals, tangents, params) => {
  const [x] = primals;
  const ans = bind1("reduce_prod", primals, params);
  const [g] = tangents;
  if (g instanceof Zero) return [[ans], [new Zero(ans.aval)]];
  const xs = gatherAxesLast(x, params.axes);
  const gs = gatherAxesLast(g, params.axes);
  const last = xs.ndim - 1;
  const n = xs.shape[last];
  // Exclusive prefix and suffix products: others[i] = prod(x[:i]) * prod(x[i+1:]).
  const cfg = (lo: number, hi: number) => xs.shape.map((_, i) => (i === last ? ([lo, hi, 0] as const) : ([0, 0, 0] as const)));
  const before = lax.cumprod(lax.pad(lax.sliceInDim(xs, 0, n - 1, 1, last), c(xs, 1), cfg(1, 0)), last);
  const after = lax.cumprod(lax.pad(lax.sliceInDim(xs, 1, n, 1, last), c(xs, 1), cfg(0, 1)), last, true);
  const others = lax.mul(before, after);
  return [[ans], [lax.reduceSum(lax.mul(gs, others), [last])]];
};

/** cummax/cummin: each output takes the tangent of the latest element that set the running extremum. */
function cumChooserJvp<P extends "cummax" | "cummin">(prim: P): JvpRule<P> {
  return (primals, tangents, params) => {
    const [x] = primals;
    const ans = bind1(prim, primals, params);
    const [g] = tangents;
    if (g instanceof Zero) return [[ans], [new Zero(ans.aval)]];
    const { axis, reverse } = params;
    const n = x.shape[axis];
    const pos = lax.broadcastedIota("int32", x.shape, axis);
    const idx = reverse ? lax.sub(n - 1, pos) : pos;
    const hit = lax.select(lax.eq(x, ans), idx, lax.broadcastInDim(lax.convertElementType(-1, "int32"), x.shape, []));
    const latest = lax.cummax(hit, axis, reverse);
    const src = reverse ? lax.sub(n - 1, latest) : latest;
    return [[ans], [takeAlong(g, src, axis)]];
  };
}

/** Gather x along `axis` at int32 positions `idx` of the same shape (take_along_axis). */
export function takeAlong(x: Array, idx: Array, axis: number): Array {
  const nd = x.ndim;
  const coords = x.shape.map((_, d) => (d === axis ? idx : lax.broadcastedIota("int32", x.shape, d)));
  const indices = lax.concatenate(coords.map((ci) => lax.broadcastInDim(ci, [...x.shape, 1], x.shape.map((_, i) => i))), nd);
  return lax.gather(x, indices, {
    dimensionNumbers: new lax.GatherDimensionNumbers([], x.shape.map((_, i) => i), x.shape.map((_, i) => i)),
    sliceSizes: x.shape.map(() => 1),
    mode: "clip",
  });
}

/** Move `axis` to the end (returns the permutation to undo it). */
function axisLast(x: Array, axis: number): [Array, number[]] {
  const perm = x.shape.map((_, i) => i).filter((i) => i !== axis);
  perm.push(axis);
  const inv = perm.map((_, i) => perm.indexOf(i));
  return [lax.transpose(x, perm), inv];
}

/**
 * cumprod: d out[i] = sum_{j<=i} g[j] * prod_{k<j} x[k] * prod_{j<k<=i} x[k], computed with
 * an O(n^2) matrix of segment products so it is exact when some x are zero.
 */
const cumprodJvp: JvpRule<"cumprod"> = (primals, tangents, params) => {
  const [x0] = primals;
  const ans = bind1("cumprod", primals, params);
  const [g0] = tangents;
  if (g0 instanceof Zero) return [[ans], [new Zero(ans.aval)]];
  const { axis, reverse } = params;
  const flip = (a: Array) => (reverse ? lax.rev(a, [a.ndim - 1]) : a);
  const [xl, inv] = axisLast(x0, axis);
  const [gl] = axisLast(g0, axis);
  const x = flip(xl), g = flip(gl);
  const last = x.ndim - 1;
  const n = x.shape[last];
  const batch = x.shape.slice(0, last);
  const sq = [...batch, n, n]; // [..., j, i]
  const xi = lax.broadcastInDim(x, sq, [...batch.map((_, d) => d), last + 1]);
  const jIdx = lax.broadcastedIota("int32", sq, last);
  const iIdx = lax.broadcastedIota("int32", sq, last + 1);
  const seg = lax.cumprod(lax.select(lax.gt(iIdx, jIdx), xi, lax.broadcastInDim(c(x, 1), sq, [])), last + 1);
  const cfg = x.shape.map((_, d) => (d === last ? ([1, 0, 0] as const) : ([0, 0, 0] as const)));
  const excl = lax.cumprod(lax.pad(lax.sliceInDim(x, 0, Math.max(n - 1, 0), 1, last), c(x, 1), cfg), last);
  const gE = lax.broadcastInDim(lax.mul(g, excl), sq, [...batch.map((_, d) => d), last]);
  const contrib = lax.select(lax.le(jIdx, iIdx), lax.mul(gE, seg), lax.broadcastInDim(c(x, 0), sq, []));
  const t = flip(lax.reduceSum(contrib, [last]));
  return [[ans], [lax.transpose(t, inv)]];
};

const sortJvp: JvpRule<"sort"> = (primals, tangents, params) => {
  const { dimension } = params;
  const iota = lax.broadcastedIota("int32", primals[0].shape, dimension);
  const outs = bind("sort", [...primals, iota], params);
  const perm = outs[outs.length - 1];
  const sorted = outs.slice(0, -1);
  return [sorted, tangents.map((t, i) => (t instanceof Zero ? new Zero(sorted[i].aval) : takeAlong(t, perm, dimension)))];
};

/** scatter (set): the updates' tangents land where the updates land; the operand's elsewhere. */
const scatterJvp: JvpRule<"scatter"> = (primals, tangents, params) => {
  const [op, idx, upd] = primals;
  const ans = bind1("scatter", primals, params);
  const [gOp, , gUpd] = tangents;
  if (gOp instanceof Zero && gUpd instanceof Zero) return [[ans], [new Zero(ans.aval)]];
  void op;
  void upd;
  return [[ans], [bind1("scatter", [instantiate(gOp), idx, instantiate(gUpd)], params)]];
};

/**
 * scatter-mul: out = operand * P with P = scatter-mul(ones, updates). Each update's tangent is
 * scaled by the product of everything else multiplied into its slot: operand * P / u, computed
 * without dividing when the update is alone in its slot (so zero updates are fine).
 */
const scatterMulJvp: JvpRule<"scatter-mul"> = (primals, tangents, params) => {
  const [op, idx, upd] = primals;
  const ans = bind1("scatter-mul", primals, params);
  const [gOp, , gUpd] = tangents;
  if (gOp instanceof Zero && gUpd instanceof Zero) return [[ans], [new Zero(ans.aval)]];
  const ones = (a: Array) => lax.broadcastInDim(c(a, 1), a.shape, []);
  const P = bind1("scatter-mul", [ones(op), idx, upd], params);
  let t: MaybeZero = new Zero(ans.aval);
  if (!(gOp instanceof Zero)) t = addTangents(t, lax.mul(gOp, P));
  if (!(gUpd instanceof Zero)) {
    const { gdn, sliceSizes } = scatterToGather(params.dimension_numbers, upd.shape, op.shape);
    const gatherP = { dimension_numbers: gdn, fill_value: null, indices_are_sorted: params.indices_are_sorted, mode: params.mode, slice_sizes: sliceSizes, unique_indices: params.unique_indices };
    const count = bind1("gather", [bind1("scatter-add", [zerosLikeAval(op.aval), idx, ones(upd)], params), idx], gatherP);
    // The division only serves slots shared by several updates; a safe divisor elsewhere keeps
    // higher-order derivatives free of 0/0 (the "double where" trick).
    const alone = lax.eq(count, ones(count));
    const safeU = lax.select(alone, ones(upd), upd);
    const others = lax.select(alone, ones(upd), lax.div(bind1("gather", [P, idx], gatherP), safeU));
    const contrib = bind1("scatter-add", [zerosLikeAval(op.aval), idx, lax.mul(gUpd, others)], params);
    t = addTangents(t, lax.mul(op, contrib));
  }
  return [[ans], [t]];
};

/**
 * scatter-min/max: the tangent of each output is the average of the tangents of every
 * contributor (operand and updates) equal to the result, as JAX's scatter extremal rule does.
 */
function scatterChooserJvp<P extends "scatter-min" | "scatter-max">(prim: P): JvpRule<P> {
  return (primals, tangents, params) => {
    const [op, idx, upd] = primals;
    const ans = bind1(prim, primals, params);
    const [gOp, , gUpd] = tangents;
    if (gOp instanceof Zero && gUpd instanceof Zero) return [[ans], [new Zero(ans.aval)]];
    const { gdn, sliceSizes } = scatterToGather(params.dimension_numbers, upd.shape, op.shape);
    const gatherP = { dimension_numbers: gdn, fill_value: null, indices_are_sorted: params.indices_are_sorted, mode: params.mode, slice_sizes: sliceSizes, unique_indices: params.unique_indices };
    const addP = { ...params };
    const succ = lax.convertElementType(lax.eq(upd, bind1("gather", [ans, idx], gatherP)), ans.dtype);
    const ret = lax.convertElementType(lax.eq(op, ans), ans.dtype);
    const numUpd = bind1("scatter-add", [zerosLikeAval(ans.aval), idx, succ], addP);
    const total = lax.add(numUpd, ret);
    let num: Array = zerosLikeAval(ans.aval);
    if (!(gOp instanceof Zero)) num = lax.add(num, lax.mul(ret, gOp));
    if (!(gUpd instanceof Zero)) num = lax.add(num, bind1("scatter-add", [zerosLikeAval(ans.aval), idx, lax.mul(succ, gUpd)], addP));
    return [[ans], [lax.div(num, total)]];
  };
}

/** reduce_window_max/min: tangent of the element chosen in each window (first on ties). */
function windowChooserJvp<P extends "reduce_window_max" | "reduce_window_min">(prim: P): JvpRule<P> {
  return (primals, tangents, params) => {
    const [x] = primals;
    const ans = bind1(prim, primals, params);
    const [g] = tangents;
    if (g instanceof Zero) return [[ans], [new Zero(ans.aval)]];
    const fill = prim === "reduce_window_max" ? -Infinity : Infinity;
    const nd = x.ndim;
    const cfg = (p: PrimitiveParams[P], lo: number[]) =>
      x.shape.map((_, d) => [p.padding[d][0], p.padding[d][1], p.base_dilation[d] - 1] as [number, number, number]).map((q, d) => [q[0] + lo[d], q[1], q[2]] as [number, number, number]);
    const xp = lax.pad(x, c(x, fill), cfg(params, new globalThis.Array(nd).fill(0)));
    const gp = lax.pad(g, c(g, 0), cfg(params, new globalThis.Array(nd).fill(0)));
    // Enumerate window offsets; keep the first offset whose value equals the result.
    const offsets: number[][] = [[]];
    for (let d = 0; d < nd; d++) {
      const next: number[][] = [];
      for (const o of offsets) for (let k = 0; k < params.window_dimensions[d]; k++) next.push([...o, k * params.window_dilation[d]]);
      offsets.splice(0, offsets.length, ...next);
    }
    let t: Array = zerosLikeAval(ans.aval);
    let found: Array = lax.broadcastInDim(lax.convertElementType(false, "bool"), ans.shape, []);
    for (const o of offsets) {
      const limit = ans.shape.map((n, d) => o[d] + (n - 1) * params.window_strides[d] + 1);
      const strides = params.window_strides;
      const xs = lax.slice(xp, o, limit, strides);
      const gs = lax.slice(gp, o, limit, strides);
      const take = lax.bitwiseAnd(lax.eq(xs, ans), lax.bitwiseNot(found));
      t = lax.select(take, gs, t);
      found = lax.bitwiseOr(found, take);
    }
    return [[ans], [t]];
  };
}

export const jvpExtraRules = {
  broadcast_in_dim: linearIn("broadcast_in_dim", 1),
  reshape: linearIn("reshape", 1),
  transpose: linearIn("transpose", 1),
  squeeze: linearIn("squeeze", 1),
  rev: linearIn("rev", 1),
  slice: linearIn("slice", 1),
  dynamic_slice: linearIn("dynamic_slice", 1),
  dynamic_update_slice: linearIn("dynamic_update_slice", 2),
  pad: linearIn("pad", 2),
  concatenate: ((primals, tangents, params) => {
    const outs = bind("concatenate", primals, params);
    if (allZero(tangents)) return [outs, [new Zero(outs[0].aval)]];
    return [outs, bind("concatenate", tangents.map(instantiate), params)];
  }) as JvpRule<"concatenate">,
  gather: linearIn("gather", 1),
  scatter: scatterJvp,
  "scatter-add": ((primals, tangents, params) => {
    const outs = bind("scatter-add", primals, params);
    const [gOp, , gUpd] = tangents;
    if (gOp instanceof Zero && gUpd instanceof Zero) return [outs, [new Zero(outs[0].aval)]];
    return [outs, bind("scatter-add", [instantiate(gOp), primals[1], instantiate(gUpd)], params)];
  }) as JvpRule<"scatter-add">,
  "scatter-mul": scatterMulJvp,
  "scatter-min": scatterChooserJvp("scatter-min"),
  "scatter-max": scatterChooserJvp("scatter-max"),
  reduce_sum: linearIn("reduce_sum", 1),
  reduce_max: chooserJvp("reduce_max"),
  reduce_min: chooserJvp("reduce_min"),
  reduce_prod: reduceProdJvp,
  cumsum: linearIn("cumsum", 1),
  cumprod: cumprodJvp,
  cummax: cumChooserJvp("cummax"),
  cummin: cumChooserJvp("cummin"),
  sort: sortJvp,
  dot_general: bilinear("dot_general"),
  conv_general_dilated: bilinear("conv_general_dilated"),
  reduce_window_sum: linearIn("reduce_window_sum", 1),
  reduce_window_max: windowChooserJvp("reduce_window_max"),
  reduce_window_min: windowChooserJvp("reduce_window_min"),
};
