/**
 * Batching rules of the structural primitives (movement, indexing, windows,
 * sort, conv), after JAX's (jax/_src/lax/slicing.py, convolution.py,
 * windowed_reductions.py). Movement ops shift their dimension params past the
 * batch dim; pad masks in a batched padding value; dynamic_slice and
 * dynamic_update_slice keep the batch dim as a full-size slice dim, or become a
 * gather/scatter with operand/indices batching dims when their indices are
 * batched; gather/scatter add batching dims; conv folds the vmap dim into its
 * batch, output-feature or group dims; windowed reductions get a size-1 window
 * along the batch dim. Every rule emits a fixed number of equations whatever
 * the batch size.
 */
import { ShapedArray } from "../core/aval.js";
import { abstractEval } from "../core/abstract_eval.js";
import type { PrimitiveParams } from "../core/primitives.js";
import { GatherDimensionNumbers, ModeParam, ScatterDimensionNumbers } from "../core/primitives.js";
import { type Array, bind, bind1 } from "../core/tracer.js";
import * as lax from "../lax/lax.js";
import type { BDim, BatchRule } from "./vmap.js";
import { moveBatchAxis } from "./vmap.js";

const shift = (axes: readonly number[], d: number) => axes.map((a) => (a >= d ? a + 1 : a));
const plus1 = (axes: readonly number[]) => axes.map((a) => a + 1);
const range = (n: number, start = 0) => globalThis.Array.from({ length: n }, (_, i) => i + start);
/** Insert `v` at position `at` of `a`. */
const ins = <T>(a: readonly T[], at: number, v: T): T[] => [...a.slice(0, at), v, ...a.slice(at)];

const front = (v: Array, d: BDim, size: number) => moveBatchAxis(v, d, 0, size);

/**
 * JAX's `_reshape_axis_into`: move axis `src` next to axis `dst` (numbered after `src` is
 * removed) and merge them, `src` being the major part.
 */
function reshapeAxisInto(src: number, dst: number, x: Array): Array {
  const perm = range(x.ndim).filter((i) => i !== src);
  perm.splice(dst, 0, src);
  const newShape = x.shape.filter((_, i) => i !== src);
  newShape[dst] *= x.shape[src];
  return lax.reshape(lax.transpose(x, perm), newShape);
}

/** JAX's `_reshape_axis_out_of`: split axis `src` into (size1, rest), size1 major. */
function reshapeAxisOutOf(src: number, size1: number, x: Array): Array {
  const shape = [...x.shape];
  const size2 = shape[src] / size1;
  if (!Number.isInteger(size2)) throw new Error(`internal: cannot split axis ${src} of size ${shape[src]} into ${size1} parts`);
  shape.splice(src, 1, size1, size2);
  return lax.reshape(x, shape);
}

/** Scalar start indices (some batched) stacked into one [size, n] index array with the batch first. */
function batchedIndexVector(idx: readonly Array[], dims: readonly BDim[], size: number): Array {
  const cols = idx.map((v, i) => lax.broadcastInDim(front(v, dims[i], size), [size, 1], [0]));
  return cols.length === 1 ? cols[0] : lax.concatenate(cols, 1);
}

/** A scalar 0 of the dtype of the existing start indices (int32 when there are none). */
const zeroIndex = (idx: readonly Array[]) => lax.convertElementType(0, idx[0]?.dtype ?? "int32");

// ---- gather / scatter -------------------------------------------------------------

function gatherBatch(operand: Array, od: BDim, indices: Array, id: BDim, p: PrimitiveParams["gather"], size: number): [Array, BDim] {
  const dn = p.dimension_numbers;
  if (od !== null && id === null) {
    // The batch dim of the operand becomes a full-size window dim at the front of the output.
    const x = front(operand, od, size);
    const dnums = new GatherDimensionNumbers(
      [0, ...plus1(dn.offsetDims)], plus1(dn.collapsedSliceDims), plus1(dn.startIndexMap),
      plus1(dn.operandBatchingDims), dn.startIndicesBatchingDims,
    );
    return [bind1("gather", [x, indices], { ...p, dimension_numbers: dnums, slice_sizes: [size, ...p.slice_sizes] }), 0];
  }
  if (od === null) {
    // Only the indices are batched: one more batch dim of indices, leading in the output.
    const i = front(indices, id, size);
    const dnums = new GatherDimensionNumbers(
      plus1(dn.offsetDims), dn.collapsedSliceDims, dn.startIndexMap, dn.operandBatchingDims, plus1(dn.startIndicesBatchingDims),
    );
    // Batching accesses into the same operand loses sortedness and uniqueness of the indices.
    return [bind1("gather", [operand, i], { ...p, dimension_numbers: dnums, indices_are_sorted: false, unique_indices: false }), 0];
  }
  // Both batched: the vmap dim is an operand batching dim paired with an indices batching dim.
  const x = front(operand, od, size);
  const i = front(indices, id, size);
  const dnums = new GatherDimensionNumbers(
    plus1(dn.offsetDims), plus1(dn.collapsedSliceDims), plus1(dn.startIndexMap),
    [0, ...plus1(dn.operandBatchingDims)], [0, ...plus1(dn.startIndicesBatchingDims)],
  );
  // Slice size 1 along the batching dim (0 when the batch is empty).
  return [bind1("gather", [x, i], { ...p, dimension_numbers: dnums, slice_sizes: [Math.min(1, size), ...p.slice_sizes] }), 0];
}

type ScatterPrim = "scatter" | "scatter-add" | "scatter-mul" | "scatter-min" | "scatter-max";

function scatterBatch(prim: ScatterPrim, vals: readonly Array[], dims: readonly BDim[], p: PrimitiveParams[ScatterPrim], size: number): [Array, BDim] {
  const [operand, indices, updates] = vals;
  const [od, id, ud] = dims;
  const dn = p.dimension_numbers;
  // The operand always gets the batch dim in front (materialized if unbatched) so each example scatters into its own copy.
  const x = front(operand, od, size);
  const u = front(updates, ud, size);
  if (id === null) {
    // Unbatched indices: the batch dim is a full-size window dim of the updates.
    const dnums = new ScatterDimensionNumbers(
      [0, ...plus1(dn.updateWindowDims)], plus1(dn.insertedWindowDims), plus1(dn.scatterDimsToOperandDims),
      plus1(dn.operandBatchingDims), dn.scatterIndicesBatchingDims,
    );
    return [bind1(prim, [x, indices, u], { ...p, dimension_numbers: dnums }), 0];
  }
  const i = front(indices, id, size);
  const dnums = new ScatterDimensionNumbers(
    plus1(dn.updateWindowDims), plus1(dn.insertedWindowDims), plus1(dn.scatterDimsToOperandDims),
    [0, ...plus1(dn.operandBatchingDims)], [0, ...plus1(dn.scatterIndicesBatchingDims)],
  );
  return [bind1(prim, [x, i, u], { ...p, dimension_numbers: dnums }), 0];
}

const scatterRule = <P extends ScatterPrim>(prim: P): BatchRule<P> =>
  (vals, dims, params, axis) => {
    const [out, d] = scatterBatch(prim, vals, dims, params, axis.size);
    return [[out], [d]];
  };

// ---- dynamic_slice / dynamic_update_slice ---------------------------------------------------

const dynamicSliceRule: BatchRule<"dynamic_slice"> = (vals, dims, params, axis) => {
  const [x, ...idx] = vals;
  const [xd, ...idd] = dims;
  if (idd.every((d) => d === null)) {
    // Same start for every example: slice the batch dim whole, starting at 0.
    const d = xd!;
    const out = bind1("dynamic_slice", [x, ...ins(idx, d, zeroIndex(idx))], { slice_sizes: ins(params.slice_sizes, d, axis.size) });
    return [[out], [d]];
  }
  // Per-example starts: a gather of one full window per example (JAX's rule). Mode clip reproduces
  // dynamic_slice's clamping and keeps the transpose (a clip scatter-add) consistent with it.
  const n = x.ndim - (xd === null ? 0 : 1);
  const p: PrimitiveParams["gather"] = {
    dimension_numbers: new GatherDimensionNumbers(range(n), [], range(n)),
    fill_value: null,
    indices_are_sorted: true,
    mode: new ModeParam("clip"),
    slice_sizes: params.slice_sizes,
    unique_indices: true,
  };
  const [out, od] = gatherBatch(x, xd, batchedIndexVector(idx, idd, axis.size), 0, p, axis.size);
  return [[out], [od]];
};

const dynamicUpdateSliceRule: BatchRule<"dynamic_update_slice"> = (vals, dims, _params, axis) => {
  const [x, upd, ...idx] = vals;
  const [xd, ud, ...idd] = dims;
  const xf = front(x, xd, axis.size);
  const uf = front(upd, ud, axis.size);
  if (idd.every((d) => d === null)) {
    return [[bind1("dynamic_update_slice", [xf, uf, zeroIndex(idx), ...idx], {})], [0]];
  }
  // Per-example starts: a scatter of one window per example, clamped like dynamic_update_slice.
  const n = xf.ndim - 1;
  const p: PrimitiveParams["scatter"] = {
    dimension_numbers: new ScatterDimensionNumbers(range(n, 1), [], range(n, 1), [0], [0]),
    indices_are_sorted: true,
    mode: new ModeParam("clip"),
    unique_indices: true,
  };
  return [[bind1("scatter", [xf, batchedIndexVector(idx, idd, axis.size), uf], p)], [0]];
};

// ---- pad -------------------------------------------------------------------------------------

const padRule: BatchRule<"pad"> = (vals, dims, params, axis) => {
  let [x, pv] = vals;
  let [xd] = dims;
  const pd = dims[1];
  if (xd === null) {
    x = front(x, null, axis.size);
    xd = 0;
  }
  const cfg = ins(params.padding_config, xd, [0, 0, 0] as const);
  if (pd === null) return [[bind1("pad", [x, pv], { padding_config: cfg })], [xd]];
  // A per-example padding value: pad with zeros, then select the padding value outside the operand.
  const padded = bind1("pad", [x, lax.convertElementType(0, x.dtype, x.weakType)], { padding_config: cfg });
  const ones = lax.broadcastInDim(lax.convertElementType(true, "bool"), x.shape, []);
  const mask = bind1("pad", [ones, lax.convertElementType(false, "bool")], { padding_config: cfg });
  const fill = lax.broadcastInDim(front(pv, pd, axis.size), padded.shape, [xd]);
  return [[lax.select(mask, padded, fill)], [xd]];
};

// ---- conv_general_dilated -----------------------------------------------------------------------

const convRule: BatchRule<"conv_general_dilated"> = (vals, dims, params, axis) => {
  const [lhs, rhs] = vals;
  const [ld, rd] = dims;
  const { lhsSpec, rhsSpec, outSpec } = params.dimension_numbers;
  const B = axis.size;
  const conv = (l: Array, r: Array, fgc: number, bgc: number) =>
    bind1("conv_general_dilated", [l, r], { ...params, feature_group_count: fgc, batch_group_count: bgc });
  const fgc = params.feature_group_count;
  const bgc = params.batch_group_count;
  if (B === 0) {
    // An empty batch cannot be folded into a group count: the (empty) result from the shape rule.
    const unbatched = (x: Array, d: BDim) => new ShapedArray(x.shape.filter((_, i) => i !== d), x.dtype, x.weakType);
    const [out] = abstractEval("conv_general_dilated", [unbatched(lhs, ld), unbatched(rhs, rd)], params);
    return [[lax.broadcastInDim(lax.convertElementType(0, out.dtype, out.weakType), [0, ...out.shape], [])], [0]];
  }
  if (ld !== null && rd !== null) {
    // Each example is its own group: fold the vmap dim into the lhs features (or batch, for batch
    // groups) and the rhs output features, multiplying the group count by the batch size.
    const newRhs = reshapeAxisInto(rd, rhsSpec[0], rhs);
    const out = bgc > 1
      ? conv(reshapeAxisInto(ld, lhsSpec[0], lhs), newRhs, fgc, bgc * B)
      : conv(reshapeAxisInto(ld, lhsSpec[1], lhs), newRhs, fgc * B, bgc);
    return [[reshapeAxisOutOf(outSpec[1], B, out)], [outSpec[1]]];
  }
  if (ld !== null) {
    if (bgc === 1) {
      // The vmap dim joins the conv's batch dim.
      const out = conv(reshapeAxisInto(ld, lhsSpec[0], lhs), rhs, fgc, bgc);
      return [[reshapeAxisOutOf(outSpec[0], B, out)], [outSpec[0]]];
    }
    // Batch groups must stay outermost: split them out of the batch dim, fold the vmap dim in
    // below them, and merge back.
    let l = reshapeAxisOutOf(lhsSpec[0] + (ld <= lhsSpec[0] ? 1 : 0), bgc, lhs);
    l = reshapeAxisInto(ld + (lhsSpec[0] < ld ? 1 : 0), lhsSpec[0] + 1, l);
    l = reshapeAxisInto(lhsSpec[0], lhsSpec[0], l);
    const out = conv(l, rhs, fgc, bgc);
    return [[reshapeAxisOutOf(outSpec[0], B, out)], [outSpec[0]]];
  }
  const rdd = rd!;
  if (fgc === 1 && bgc === 1) {
    // The vmap dim joins the rhs output features.
    const out = conv(lhs, reshapeAxisInto(rdd, rhsSpec[0], rhs), fgc, bgc);
    return [[reshapeAxisOutOf(outSpec[1], B, out)], [outSpec[1]]];
  }
  // Groups must stay outermost in the output features: factor them out, fold the vmap dim in
  // below them, and undo the same on the output.
  const groups = fgc > 1 ? fgc : bgc;
  let r = reshapeAxisOutOf(rhsSpec[0] + (rdd <= rhsSpec[0] ? 1 : 0), groups, rhs);
  r = reshapeAxisInto(rdd + (rhsSpec[0] < rdd ? 1 : 0), rhsSpec[0] + 1, r);
  r = reshapeAxisInto(rhsSpec[0], rhsSpec[0], r);
  let out = conv(lhs, r, fgc, bgc);
  out = reshapeAxisOutOf(outSpec[1], groups, out);
  out = reshapeAxisOutOf(outSpec[1] + 1, B, out);
  out = reshapeAxisInto(outSpec[1], outSpec[1] + 1, out);
  return [[out], [outSpec[1]]];
};

// ---- reduce_window_* -----------------------------------------------------------------------

type ReduceWindowPrim = "reduce_window_sum" | "reduce_window_max" | "reduce_window_min";
/** A window of size 1 (stride 1, no padding or dilation) along the batch dim. */
const reduceWindowRule = <P extends ReduceWindowPrim>(prim: P): BatchRule<P> =>
  (vals, dims, params) => {
    const d = dims[0]!;
    const p: PrimitiveParams[ReduceWindowPrim] = {
      base_dilation: ins(params.base_dilation, d, 1),
      padding: ins(params.padding, d, [0, 0] as const),
      window_dilation: ins(params.window_dilation, d, 1),
      window_dimensions: ins(params.window_dimensions, d, 1),
      window_strides: ins(params.window_strides, d, 1),
    };
    return [[bind1(prim, vals, p as PrimitiveParams[P])], [d]];
  };

// ---- the table ---------------------------------------------------------------------------------

export const structuralBatchRules = {
  broadcast_in_dim: ((vals, dims, params, axis) => {
    const x = front(vals[0], dims[0], axis.size);
    const p: PrimitiveParams["broadcast_in_dim"] = { shape: [axis.size, ...params.shape], broadcast_dimensions: [0, ...params.broadcast_dimensions.map((d) => d + 1)] };
    return [[bind1("broadcast_in_dim", [x], p)], [0]];
  }) as BatchRule<"broadcast_in_dim">,
  reshape: ((vals, dims, params, axis) => {
    const x = front(vals[0], dims[0], axis.size);
    return [[bind1("reshape", [x], { new_sizes: [axis.size, ...params.new_sizes], dimensions: null })], [0]];
  }) as BatchRule<"reshape">,
  transpose: ((vals, dims, params, axis) => {
    const x = front(vals[0], dims[0], axis.size);
    return [[bind1("transpose", [x], { permutation: [0, ...params.permutation.map((p) => p + 1)] })], [0]];
  }) as BatchRule<"transpose">,
  squeeze: ((vals, dims, params) => {
    const d = dims[0]!;
    const sd = shift(params.dimensions, d);
    return [[bind1("squeeze", vals, { dimensions: sd })], [d - params.dimensions.filter((x) => x < d).length]];
  }) as BatchRule<"squeeze">,
  rev: ((vals, dims, params) => [[bind1("rev", vals, { dimensions: shift(params.dimensions, dims[0]!) })], [dims[0]]]) as BatchRule<"rev">,
  slice: ((vals, dims, params) => {
    const d = dims[0]!;
    const x = vals[0];
    return [
      [bind1("slice", [x], { start_indices: ins(params.start_indices, d, 0), limit_indices: ins(params.limit_indices, d, x.shape[d]), strides: params.strides ? ins(params.strides, d, 1) : null })],
      [d],
    ];
  }) as BatchRule<"slice">,
  concatenate: ((vals, dims, params, axis) => {
    const xs = vals.map((v, i) => front(v, dims[i], axis.size));
    return [[bind1("concatenate", xs, { dimension: params.dimension + 1 })], [0]];
  }) as BatchRule<"concatenate">,
  pad: padRule,
  dynamic_slice: dynamicSliceRule,
  dynamic_update_slice: dynamicUpdateSliceRule,
  gather: ((vals, dims, params, axis) => {
    const [out, d] = gatherBatch(vals[0], dims[0], vals[1], dims[1], params, axis.size);
    return [[out], [d]];
  }) as BatchRule<"gather">,
  scatter: scatterRule("scatter"),
  "scatter-add": scatterRule("scatter-add"),
  "scatter-mul": scatterRule("scatter-mul"),
  "scatter-min": scatterRule("scatter-min"),
  "scatter-max": scatterRule("scatter-max"),
  sort: ((vals, dims, params, axis) => {
    const xs = vals.map((v, i) => front(v, dims[i], axis.size));
    const outs = bind("sort", xs, { ...params, dimension: params.dimension + 1 });
    return [outs, outs.map((): BDim => 0)];
  }) as BatchRule<"sort">,
  conv_general_dilated: convRule,
  reduce_window_sum: reduceWindowRule("reduce_window_sum"),
  reduce_window_max: reduceWindowRule("reduce_window_max"),
  reduce_window_min: reduceWindowRule("reduce_window_min"),
};
