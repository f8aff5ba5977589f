/**
 * Abstract-eval rules (shape, dtype, weak type) for the structural primitives: shape movement,
 * slicing, padding, concatenation, gather/scatter, dot_general, conv_general_dilated and the
 * windowed reductions. Semantics and error wording follow jax/_src/lax (lax.py, slicing.py,
 * convolution.py, windowed_reductions.py) and XLA's operation semantics; JAX's
 * `index_vector_dim` is always the last dimension of the indices.
 *
 * Weak types: movement ops (and gather/scatter, windowed reductions) keep the operand's;
 * dynamic_update_slice, pad, concatenate, dot_general and conv are weak iff all inputs are.
 */
import { ShapedArray, shapeStr } from "../aval.js";
import { isInteger, type DType } from "../dtype.js";
import { ValueError } from "../errors.js";
import type { PrimitiveName, PrimitiveParams } from "../primitives.js";
import type { AbstractEvalTable } from "../shape_rule_types.js";

export const STRUCTURAL_NAMES = [
  "broadcast_in_dim", "reshape", "transpose", "squeeze", "rev", "slice", "dynamic_slice",
  "dynamic_update_slice", "pad", "concatenate", "gather", "scatter", "scatter-add", "scatter-mul",
  "scatter-min", "scatter-max", "dot_general", "conv_general_dilated", "reduce_window_sum",
  "reduce_window_max", "reduce_window_min",
] as const satisfies readonly PrimitiveName[];
export type StructuralName = (typeof STRUCTURAL_NAMES)[number];
export type ScatterName = "scatter" | "scatter-add" | "scatter-mul" | "scatter-min" | "scatter-max";
export type ReduceWindowName = "reduce_window_sum" | "reduce_window_max" | "reduce_window_min";

// ---- small helpers ------------------------------------------------------------

type Dims = readonly number[];
/** Python tuple text: `(1,)`, `(2, 3)`. */
const t = shapeStr;
const tupOf = (xs: readonly string[]) => (xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(", ")})`);
const pairs = (ps: readonly (readonly number[])[]) => tupOf(ps.map((p) => t(p)));
const fail = (msg: string): never => {
  throw new TypeError(msg);
};
const vfail = (msg: string): never => {
  throw new ValueError(msg);
};
const allWeak = (avals: readonly ShapedArray[]) => avals.every((a) => a.weakType);
const prod = (xs: Dims) => xs.reduce((a, b) => a * b, 1);
/** XLA's dilated bound: `d` elements with `r - 1` holes between neighbours. */
const dilateDim = (d: number, r: number) => (d === 0 ? 0 : 1 + r * (d - 1));
/** Number of windows of size `w` with stride `s` that fit in `d` (0 when none fit). */
const stridedBound = (d: number, w: number, s: number) => (w > d ? 0 : Math.floor((d - w) / s) + 1);

function arity(name: string, avals: readonly ShapedArray[], n: number, variadic = false): readonly ShapedArray[] {
  if (variadic ? avals.length < n : avals.length !== n) {
    fail(`${name} takes ${variadic ? "at least " : ""}${n} operand${n === 1 ? "" : "s"}, got ${avals.length}.`);
  }
  return avals;
}

/** JAX's `_check_shapelike`: integers, nonnegative (or strictly positive). */
function shapelike(fn: string, arg: string, xs: Dims, positive = false): void {
  if (!xs.every(Number.isInteger)) fail(`${fn} ${arg} must have every element be an integer type, got ${t(xs)}.`);
  if (!xs.every((d) => d >= (positive ? 1 : 0))) {
    fail(`${fn} ${arg} must have every element be ${positive ? "strictly positive" : "nonnegative"}, got ${t(xs)}.`);
  }
}

function sameDtypes(name: string, avals: readonly ShapedArray[]): void {
  if (avals.some((a) => a.dtype !== avals[0].dtype)) {
    fail(`lax.${name} requires arguments to have the same dtypes, got ${avals.map((a) => a.dtype).join(", ")}.`);
  }
}

// XLA dimension-number validation helpers (wording from jax/_src/lax/slicing.py).
function sortedDims(dims: Dims, op: string, name: string): void {
  for (let i = 1; i < dims.length; i++) if (dims[i] < dims[i - 1]) fail(`${name} in ${op} op must be sorted; got ${t(dims)}`);
}
function noDupDims(dims: Dims, op: string, name: string): void {
  if (new Set(dims).size !== dims.length) fail(`${name} in ${op} op must not repeat; got: ${t(dims)}.`);
}
function dimsInRange(dims: Dims, rank: number, op: string, name: string): void {
  for (const d of dims) if (d < 0 || d >= rank) fail(`Invalid ${name} set in ${op} op; valid range is [0, ${rank}); got: ${d}.`);
}
function disjointDims(a: Dims, b: Dims, op: string, na: string, nb: string): void {
  if (a.some((d) => b.includes(d))) fail(`${na} and ${nb} in ${op} op must be disjoint; got: ${t(a)} and ${t(b)}.`);
}
/** sorted + unique + in range, the checks XLA applies to most dimension lists. */
function dimList(dims: Dims, rank: number, op: string, name: string): void {
  sortedDims(dims, op, name);
  noDupDims(dims, op, name);
  dimsInRange(dims, rank, op, name);
}

function integerIndices(idx: ShapedArray): void {
  if (!isInteger(idx.dtype)) vfail(`indices must have an integer type, got ${idx.dtype}`);
}

/** Shared checks of operand/indices batching dims for gather (`sib` = start_indices_batching_dims) and scatter. */
function checkBatching(op: string, opnd: ShapedArray, idx: ShapedArray, ob: Dims, ib: Dims, ibName: string): void {
  const Op = op[0].toUpperCase() + op.slice(1);
  dimList(ob, opnd.ndim, op, "operand_batching_dims");
  noDupDims(ib, op, ibName);
  dimsInRange(ib, idx.ndim, op, ibName);
  if (ib.includes(idx.ndim - 1)) fail(`${Op} op cannot have the index vector dimension as a batching dimension; got ${t(ib)}.`);
  if (ob.length !== ib.length) {
    fail(`${Op} op requires equal numbers of operand_batching_dims and ${ibName}, got ${t(ob)} and ${t(ib)}.`);
  }
  const os = ob.map((d) => opnd.shape[d]);
  const is = ib.map((d) => idx.shape[d]);
  if (os.some((d, i) => d !== is[i])) {
    fail(`${Op} op requires operand batching dimensions and indices batching dimensions to have the same shape, got ${t(os)} and ${t(is)}.`);
  }
}

function checkIndexVector(op: string, idx: ShapedArray, mapName: string, map: Dims, opnd: ShapedArray): void {
  const Op = op[0].toUpperCase() + op.slice(1);
  const ivd = idx.ndim - 1;
  if (ivd < 0) {
    fail(`${Op} index leaf dimension must be within [0, rank(indices) + 1). rank(indices) is ${idx.ndim} and ${op} index leaf dimension is ${ivd}.`);
  }
  if (map.length !== idx.shape[ivd]) {
    fail(`${Op} op has ${map.length} elements in ${mapName} and the bound of dimension index_vector_dim=${ivd} of indices is ${idx.shape[ivd]}. These two numbers must be equal.`);
  }
  map.forEach((d, i) => {
    if (d < 0 || d >= opnd.ndim) fail(`Invalid ${mapName}${op === "gather" ? "" : " mapping"}; domain is [0, ${opnd.ndim}), got: ${i}->${d}.`);
  });
  noDupDims(map, op, mapName);
}

// ---- rules ---------------------------------------------------------------------

function gatherRule(avals: readonly ShapedArray[], p: PrimitiveParams["gather"]): ShapedArray[] {
  const [opnd, idx] = arity("gather", avals, 2);
  integerIndices(idx);
  const dn = p.dimension_numbers;
  const { offsetDims: od, collapsedSliceDims: cd, startIndexMap: sim, operandBatchingDims: ob } = dn;
  const sizes = p.slice_sizes;
  const outRank = od.length + idx.ndim - 1;
  if (idx.ndim < 1) checkIndexVector("gather", idx, "start_index_map", sim, opnd);
  sortedDims(od, "gather", "offset_dims");
  noDupDims(od, "gather", "offset_dims");
  od.forEach((d, i) => {
    if (d < 0 || d >= outRank) fail(`Offset dimension ${i} in gather op is out of bounds; got ${d}, but should have been in [0, ${outRank})`);
  });
  checkIndexVector("gather", idx, "start_index_map", sim, opnd);
  dimList(cd, opnd.ndim, "gather", "collapsed_slice_dims");
  checkBatching("gather", opnd, idx, ob, dn.startIndicesBatchingDims, "start_indices_batching_dims");
  disjointDims(cd, ob, "gather", "collapsed_slice_dims", "operand_batching_dims");
  disjointDims(sim, ob, "gather", "start_index_map", "operand_batching_dims");
  if (sizes.length !== opnd.ndim) {
    fail(`Gather op must have one slice size for every input dimension; got: len(slice_sizes)=${sizes.length}, input_shape.rank=${opnd.ndim}`);
  }
  if (sizes.length !== od.length + cd.length + ob.length) {
    fail(`All components of the offset index in a gather op must either be a offset dimension or explicitly collapsed/batching; got len(slice_sizes)=${sizes.length}, output_slice_sizes=${t(od)}, collapsed_slice_dims=${t(cd)}, operand_batching_dims=${t(ob)}.`);
  }
  sizes.forEach((s, i) => {
    if (!(Number.isInteger(s) && s >= 0 && s <= opnd.shape[i])) {
      fail(`Slice size at index ${i} in gather op is out of range, must be within [0, ${opnd.shape[i]} + 1), got ${s}.`);
    }
  });
  cd.forEach((d, i) => {
    if (sizes[d] !== 1) fail(`Gather op can only collapse slice dims with bound 1, but bound is ${sizes[d]} for index ${d} at position ${i}.`);
  });
  ob.forEach((d, i) => {
    if (sizes[d] > 1) fail(`Gather op can only have operand batching dims with bound 0/1, but bound is ${sizes[d]} for index ${d} at position ${i}.`);
  });
  const window = sizes.filter((_, i) => !cd.includes(i) && !ob.includes(i));
  const batch = idx.shape.slice(0, -1);
  let w = 0;
  let b = 0;
  const shape = Array.from({ length: outRank }, (_, i) => (od.includes(i) ? window[w++] : batch[b++]));
  return [new ShapedArray(shape, opnd.dtype, opnd.weakType)];
}

function scatterRule(avals: readonly ShapedArray[], p: PrimitiveParams["scatter"]): ShapedArray[] {
  const [opnd, idx, upd] = arity("scatter", avals, 3);
  integerIndices(idx);
  sameDtypes("scatter", [opnd, upd]);
  const dn = p.dimension_numbers;
  const { updateWindowDims: uwd, insertedWindowDims: iwd, scatterDimsToOperandDims: sdod, operandBatchingDims: ob } = dn;
  if (idx.ndim < 1) checkIndexVector("scatter", idx, "scatter_dims_to_operand_dims", sdod, opnd);
  const ivd = idx.ndim - 1;
  const expectedRank = ivd + uwd.length;
  if (upd.ndim !== expectedRank) fail(`Updates tensor must be of rank ${expectedRank}; got ${upd.ndim}.`);
  dimList(uwd, upd.ndim, "scatter", "update_window_dims");
  dimList(iwd, opnd.ndim, "scatter", "inserted_window_dims");
  checkBatching("scatter", opnd, idx, ob, dn.scatterIndicesBatchingDims, "scatter_indices_batching_dims");
  disjointDims(iwd, ob, "scatter", "inserted_window_dims", "operand_batching_dims");
  disjointDims(sdod, ob, "scatter", "scatter_dims_to_operand_dims", "operand_batching_dims");
  const windowSize = uwd.length + iwd.length + ob.length;
  if (opnd.ndim !== windowSize) fail(`Scatter op has window of size ${windowSize}; doesn't match operand of rank ${opnd.ndim}.`);
  checkIndexVector("scatter", idx, "scatter_dims_to_operand_dims", sdod, opnd);
  const maxSizes = opnd.shape.filter((_, i) => !iwd.includes(i) && !ob.includes(i));
  uwd.forEach((d, i) => {
    if (maxSizes[i] < upd.shape[d]) {
      fail(`Bounds of the window dimensions of updates must not exceed the bounds of the corresponding dimensions of operand. For dimension ${d}, updates bound is ${upd.shape[d]}, operand bound is ${maxSizes[i]}.`);
    }
  });
  let seen = 0;
  for (let i = 0; i < upd.ndim; i++) {
    if (uwd.includes(i)) continue;
    if (upd.shape[i] !== idx.shape[seen]) {
      fail(`Bounds of the scatter dimensions of updates must be the same as the bounds of the corresponding dimensions of scatter indices. For scatter dimension ${i}, updates bound is ${upd.shape[i]}, indices bound is ${idx.shape[seen]}.`);
    }
    seen++;
  }
  return [new ShapedArray(opnd.shape, opnd.dtype, opnd.weakType)];
}

function reduceWindowRule(name: ReduceWindowName) {
  return (avals: readonly ShapedArray[], p: PrimitiveParams["reduce_window_sum"]): ShapedArray[] => {
    const [x] = arity(name, avals, 1);
    if (name === "reduce_window_sum" && x.dtype === "bool") fail(`operand to reduce_window_sum must have a number type, got ${x.dtype}`);
    const { window_dimensions: wd, window_strides: ws, padding, base_dilation: bd, window_dilation: wdl } = p;
    shapelike("reduce_window", "window_dimensions", wd, true);
    shapelike("reduce_window", "window_strides", ws, true);
    shapelike("reduce_window", "base_dilation", bd, true);
    shapelike("reduce_window", "window_dilation", wdl, true);
    if (x.ndim !== wd.length) {
      fail(`reduce_window got the wrong number of window_dimensions for operand array with shape ${t(x.shape)}: got ${t(wd)}.`);
    }
    const others: [string, { length: number }, string][] = [
      ["window_strides", ws, t(ws)], ["padding", padding, pairs(padding)], ["base_dilation", bd, t(bd)], ["window_dilation", wdl, t(wdl)],
    ];
    for (const [n, v, s] of others) {
      if (v.length !== wd.length) fail(`reduce_window got inconsistent ${n} and window_dimensions: got ${n} ${s} and window_dimensions ${t(wd)}.`);
    }
    const shape = x.shape.map((d, i) => {
      const padded = padding[i][0] + dilateDim(d, bd[i]) + padding[i][1];
      if (padded < 0) {
        fail(`reduce_window padding ${pairs(padding)} is larger than the (dilated) operand shape ${t(x.shape)} in dimension ${i}.`);
      }
      return stridedBound(padded, dilateDim(wd[i], wdl[i]), ws[i]);
    });
    return [new ShapedArray(shape, x.dtype, x.weakType)];
  };
}

/** The dtype dot_general/conv produce: inputs must agree unless preferred_element_type is given. */
function contractionDtype(name: string, lhs: ShapedArray, rhs: ShapedArray, preferred: DType | null): DType {
  if (preferred === null) {
    sameDtypes(name, [lhs, rhs]);
    return lhs.dtype;
  }
  return preferred;
}

export const structuralAbstractEval: AbstractEvalTable<StructuralName> = {
  broadcast_in_dim(avals, { shape, broadcast_dimensions: bd }) {
    const [x] = arity("broadcast_in_dim", avals, 1);
    shapelike("broadcast_in_dim", "shape", shape);
    shapelike("broadcast_in_dim", "broadcast_dimensions", bd);
    if (x.ndim !== bd.length) {
      fail(`broadcast_in_dim broadcast_dimensions must have length equal to operand ndim; got broadcast_dimensions ${t(bd)} for operand ndim ${x.ndim}.`);
    }
    if (shape.length < x.ndim) {
      fail(`broadcast_in_dim target broadcast shape must have equal or higher rank to the operand shape; got operand ndim ${x.ndim} and target broadcast ndim ${shape.length}.`);
    }
    if (!bd.every((d) => d < shape.length)) {
      fail(`broadcast_in_dim broadcast_dimensions must be a subset of output dimensions, got ${t(bd)} for operand ndim ${x.ndim} and shape ${t(shape)}.`);
    }
    if (!x.shape.every((d, i) => d === 1 || d === shape[bd[i]])) {
      fail(`broadcast_in_dim operand dimension sizes must either be 1, or be equal to their corresponding dimensions in the target broadcast shape; got operand of shape ${t(x.shape)}, target broadcast shape ${t(shape)}, broadcast_dimensions ${t(bd)}`);
    }
    if (!bd.every((d, i) => i === 0 || d > bd[i - 1])) {
      fail(`broadcast_in_dim broadcast_dimensions must be strictly increasing; got broadcast_dimensions ${t(bd)}`);
    }
    return [x.update({ shape })];
  },

  reshape(avals, { new_sizes }) {
    const [x] = arity("reshape", avals, 1);
    if (!new_sizes.every((d) => Number.isInteger(d) && d >= 0)) fail(`reshape new_sizes must all be positive, got ${t(new_sizes)}.`);
    if (prod(new_sizes) !== x.size) fail(`reshape total size must be unchanged, got new_sizes ${t(new_sizes)} for shape ${t(x.shape)}.`);
    return [x.update({ shape: new_sizes })];
  },

  transpose(avals, { permutation: perm }) {
    const [x] = arity("transpose", avals, 1);
    const sorted = [...perm].sort((a, b) => a - b);
    if (perm.length !== x.ndim || !sorted.every((d, i) => d === i)) {
      fail(`transpose permutation isn't a permutation of operand dimensions, got permutation ${t(perm)} for operand shape ${t(x.shape)}.`);
    }
    return [x.update({ shape: perm.map((d) => x.shape[d]) })];
  },

  squeeze(avals, { dimensions }) {
    const [x] = arity("squeeze", avals, 1);
    const dims = dimensions.map((d) => (d < 0 ? d + x.ndim : d));
    if (new Set(dims).size !== dims.length) vfail(`dimensions are not unique: ${t(dimensions)}`);
    if (!dims.every((d) => d >= 0 && d < x.ndim)) vfail(`dimensions outside range [0, ndim): ${t(dimensions)}`);
    if (dims.some((d) => x.shape[d] !== 1)) {
      vfail(`cannot select an axis to squeeze out which has size not equal to one, got shape=${t(x.shape)} and dimensions=${t(dimensions)}`);
    }
    return [x.update({ shape: x.shape.filter((_, i) => !dims.includes(i)) })];
  },

  rev(avals, { dimensions }) {
    const [x] = arity("rev", avals, 1);
    shapelike("rev", "dimensions", dimensions);
    if (new Set(dimensions).size !== dimensions.length) fail(`rev dimensions must be unique, got ${t(dimensions)}.`);
    if (dimensions.some((d) => d >= x.ndim)) {
      fail(`rev dimensions must all be less than operand ndim, got dimensions ${t(dimensions)} for operand ndim ${x.ndim}.`);
    }
    return [x.update({})];
  },

  slice(avals, { start_indices: start, limit_indices: limit, strides }) {
    const [x] = arity("slice", avals, 1);
    shapelike("slice", "start_indices", start);
    shapelike("slice", "limit_indices", limit);
    if (x.ndim !== start.length) {
      fail(`slice start_indices must have length equal to the number of dimensions of the operand, got indices ${t(start)} for operand shape ${t(x.shape)}.`);
    }
    if (start.length !== limit.length) {
      fail(`slice limit_indices must have the same length as start_indices, got start_indices ${t(start)} and limit_indices ${t(limit)}.`);
    }
    if (!limit.every((l, i) => l <= x.shape[i])) {
      fail(`slice limit_indices must be less than or equal to operand shape, got limit_indices ${t(limit)} for operand shape ${t(x.shape)}.`);
    }
    if (!limit.every((l, i) => l >= start[i])) {
      fail(`slice limit_indices must be greater than or equal to start_indices, got start_indices ${t(start)} and limit_indices ${t(limit)}.`);
    }
    if (strides !== null) {
      if (strides.length !== x.ndim) {
        fail(`slice strides must have length equal to the number of dimensions of the operand, got strides ${t(strides)} for operand shape ${t(x.shape)}.`);
      }
      if (!strides.every((s) => Number.isInteger(s) && s > 0)) fail(`slice strides must be positive, got ${t(strides)}`);
    }
    return [x.update({ shape: start.map((s, i) => Math.ceil((limit[i] - s) / (strides ? strides[i] : 1))) })];
  },

  dynamic_slice(avals, { slice_sizes: sizes }) {
    const [x, ...idx] = arity("dynamic_slice", avals, 1, true);
    if (x.ndim !== idx.length) {
      fail(`dynamic_slice start_indices must have length equal to the number of dimensions of the operand, got ${idx.length} indices for operand shape ${t(x.shape)}.`);
    }
    if (sizes.length !== idx.length) {
      fail(`dynamic_slice slice_sizes must have the same length as start_indices, got start_indices length ${idx.length} and slice_sizes ${t(sizes)}.`);
    }
    if (!sizes.every((s, i) => s <= x.shape[i])) {
      fail(`slice slice_sizes must be less than or equal to operand shape, got slice_sizes ${t(sizes)} for operand shape ${t(x.shape)}.`);
    }
    if (!sizes.every((s) => Number.isInteger(s) && s >= 0)) {
      fail(`slice slice_sizes must be greater than or equal to zero, got slice_sizes of ${t(sizes)}.`);
    }
    if (idx.some((i) => i.ndim !== 0)) {
      fail(`start_indices arguments to dynamic_slice must be scalars, got indices with shapes ${tupOf(idx.map((i) => t(i.shape)))}`);
    }
    if (idx.some((i) => !isInteger(i.dtype) || i.dtype !== idx[0].dtype)) {
      fail(`index arguments to dynamic_slice must be integers of the same type, got: ${idx.map((i) => i.dtype).join(", ")}`);
    }
    return [new ShapedArray(sizes, x.dtype, x.weakType)];
  },

  dynamic_update_slice(avals) {
    const [x, u, ...idx] = arity("dynamic_update_slice", avals, 2, true);
    if (x.ndim !== u.ndim) {
      fail(`dynamic_update_slice update must have the same rank as operand, got update shape ${t(u.shape)} for operand shape ${t(x.shape)}.`);
    }
    if (x.ndim !== idx.length) {
      fail(`dynamic_update_slice start_indices must have length equal to the rank of operand, got ${idx.length} indices for operand shape ${t(x.shape)}.`);
    }
    if (!u.shape.every((d, i) => d <= x.shape[i])) {
      fail(`dynamic_update_slice update shape must be smaller than operand shape, got update shape ${t(u.shape)} for operand shape ${t(x.shape)}.`);
    }
    if (idx.some((i) => i.ndim !== 0)) {
      fail(`start_indices arguments to dynamic_update_slice must be scalars, got indices with shapes ${tupOf(idx.map((i) => t(i.shape)))}`);
    }
    sameDtypes("dynamic_update_slice", [x, u]);
    if (idx.some((i) => !isInteger(i.dtype) || i.dtype !== idx[0].dtype)) {
      fail(`index arguments to dynamic_update_slice must be integers of the same type, got ${idx.map((i) => i.dtype).join(", ")}`);
    }
    return [new ShapedArray(x.shape, x.dtype, allWeak(avals))];
  },

  pad(avals, { padding_config: cfg }) {
    const [x, v] = arity("pad", avals, 2);
    if (x.dtype !== v.dtype) fail(`pad operand and padding_value must be same dtype: got ${x.dtype} and ${v.dtype}.`);
    if (v.ndim !== 0) fail(`pad padding_value must be a scalar, got shape ${t(v.shape)}.`);
    if (cfg.length !== x.ndim) {
      vfail(`length of padding_config must equal the number of axes of operand, got padding_config ${pairs(cfg)} for operand shape ${t(x.shape)}`);
    }
    if (!cfg.every(([, , i]) => i >= 0)) vfail(`interior padding in padding_config must be nonnegative, got padding_config ${pairs(cfg)}`);
    const shape = x.shape.map((d, i) => cfg[i][0] + cfg[i][1] + dilateDim(d, cfg[i][2] + 1));
    if (shape.some((d) => d < 0)) {
      vfail(`Dimension size after padding is not at least 0, got result shape ${t(shape)}, for padding_config ${pairs(cfg)} and operand shape ${t(x.shape)}`);
    }
    return [new ShapedArray(shape, x.dtype, allWeak(avals))];
  },

  concatenate(avals, { dimension: dim }) {
    if (avals.length === 0) fail("concatenate expects at least one operand, got 0.");
    const shapes = avals.map((a) => t(a.shape)).join(", ");
    if (new Set(avals.map((a) => a.ndim)).size !== 1) fail(`Cannot concatenate arrays with different numbers of dimensions: got ${shapes}.`);
    const x = avals[0];
    if (!(dim >= 0 && dim < x.ndim)) fail(`concatenate dimension out of bounds: dimension ${dim} for shapes ${shapes}.`);
    if (avals.some((a) => a.shape.some((d, i) => i !== dim && d !== x.shape[i]))) {
      fail(`Cannot concatenate arrays with shapes that differ in dimensions other than the one being concatenated: concatenating along dimension ${dim} for shapes ${shapes}.`);
    }
    sameDtypes("concatenate", avals);
    const shape = [...x.shape];
    shape[dim] = avals.reduce((s, a) => s + a.shape[dim], 0);
    return [new ShapedArray(shape, x.dtype, allWeak(avals))];
  },

  gather: gatherRule,
  scatter: scatterRule,
  "scatter-add": scatterRule,
  "scatter-mul": scatterRule,
  "scatter-min": scatterRule,
  "scatter-max": scatterRule,

  dot_general(avals, { dimension_numbers: dn, preferred_element_type: pref }) {
    const [lhs, rhs] = arity("dot_general", avals, 2);
    const { lhsContracting: lc, rhsContracting: rc, lhsBatch: lb, rhsBatch: rb } = dn;
    const inRange = (ds: Dims, n: number) => ds.every((d) => Number.isInteger(d) && d >= 0 && d < n);
    for (const [side, x, c, b] of [["lhs", lhs, lc, lb], ["rhs", rhs, rc, rb]] as const) {
      if (!inRange(c, x.ndim) || !inRange(b, x.ndim)) {
        fail(`dot_general requires ${side} dimension numbers to be nonnegative and less than the number of axes of the ${side} value, got ${side}_batch of ${t(b)} and ${side}_contracting of ${t(c)} for ${side} of rank ${x.ndim}`);
      }
    }
    if (lb.length !== rb.length) {
      fail(`dot_general requires equal numbers of lhs_batch and rhs_batch dimensions, got lhs_batch ${t(lb)} and rhs_batch ${t(rb)}.`);
    }
    for (const [side, c, b] of [["lhs", lc, lb], ["rhs", rc, rb]] as const) {
      if (new Set(b).size !== b.length) fail(`dot_general requires ${side} batch dimensions to be distinct, got ${side}_batch ${t(b)}.`);
      if (new Set(c).size !== c.length) fail(`dot_general requires ${side} contracting dimensions to be distinct, got ${side}_contracting ${t(c)}.`);
      if (c.some((d) => b.includes(d))) {
        fail(`dot_general requires ${side} batch dimensions to be disjoint from contracting dimensions, got ${side}_batch ${t(b)} and ${side}_contracting ${t(c)}.`);
      }
    }
    const lbs = lb.map((d) => lhs.shape[d]);
    const rbs = rb.map((d) => rhs.shape[d]);
    if (lbs.length !== rbs.length || lbs.some((d, i) => d !== rbs[i])) {
      fail(`dot_general requires lhs batch dimensions and rhs batch dimensions to have the same shape, got ${t(lbs)} and ${t(rbs)}.`);
    }
    const lcs = lc.map((d) => lhs.shape[d]);
    const rcs = rc.map((d) => rhs.shape[d]);
    if (lcs.length !== rcs.length || lcs.some((d, i) => d !== rcs[i])) {
      fail(`dot_general requires contracting dimensions to have the same shape, got ${t(lcs)} and ${t(rcs)}.`);
    }
    const dtype = contractionDtype("dot_general", lhs, rhs, pref);
    const free = (x: ShapedArray, c: Dims, b: Dims) => x.shape.filter((_, i) => !c.includes(i) && !b.includes(i));
    return [new ShapedArray([...lbs, ...free(lhs, lc, lb), ...free(rhs, rc, rb)], dtype, allWeak(avals))];
  },

  conv_general_dilated(avals, p) {
    const [lhs, rhs] = arity("conv_general_dilated", avals, 2);
    const { lhsSpec: ls, rhsSpec: rs, outSpec: os } = p.dimension_numbers;
    const fgc = p.feature_group_count;
    const bgc = p.batch_group_count;
    if (lhs.ndim !== rhs.ndim) {
      vfail(`conv_general_dilated lhs and rhs must have the same number of dimensions, but got ${t(lhs.shape)} and ${t(rhs.shape)}.`);
    }
    const n = lhs.ndim;
    for (const [name, spec] of [["lhs_spec", ls], ["rhs_spec", rs], ["out_spec", os]] as const) {
      if (n < 2 || spec.length !== n || [...spec].sort((a, b) => a - b).some((d, i) => d !== i)) {
        vfail(`conv_general_dilated dimension_numbers ${name} must be a permutation of range(${n}) for operands of rank ${n} (at least 2), got ${t(spec)}.`);
      }
    }
    if (!(Number.isInteger(fgc) && fgc > 0)) vfail(`conv_general_dilated feature_group_count must be a positive integer, got ${fgc}.`);
    const lhsFeat = lhs.shape[ls[1]];
    if (lhsFeat % fgc) {
      vfail(`conv_general_dilated feature_group_count must divide lhs feature dimension size, but ${fgc} does not divide ${lhsFeat}.`);
    }
    const rhsIn = rhs.shape[rs[1]];
    const rhsOut = rhs.shape[rs[0]];
    if (lhsFeat / fgc !== rhsIn) {
      vfail(`conv_general_dilated lhs feature dimension size divided by feature_group_count must equal the rhs input feature dimension size, but ${lhsFeat} // ${fgc} != ${rhsIn}.`);
    }
    if (rhsOut % fgc) {
      vfail(`conv_general_dilated rhs output feature dimension size must be a multiple of feature_group_count, but ${rhsOut} is not a multiple of ${fgc}.`);
    }
    if (!(Number.isInteger(bgc) && bgc > 0)) vfail(`conv_general_dilated batch_group_count must be a positive integer, got ${bgc}.`);
    const lhsBatch = lhs.shape[ls[0]];
    if (bgc > 1 && lhsBatch % bgc) {
      vfail(`conv_general_dilated batch_group_count must divide lhs batch dimension size, but ${bgc} does not divide ${lhsBatch}.`);
    }
    if (rhsOut % bgc) {
      vfail(`conv_general_dilated rhs output feature dimension size must be a multiple of batch_group_count, but ${rhsOut} is not a multiple of ${bgc}.`);
    }
    if (bgc > 1 && fgc > 1) {
      vfail(`At most one of batch_group_count and feature_group_count may be > 1, got batch_group_count=${bgc} and feature_group_count=${fgc}`);
    }
    const nsp = n - 2;
    for (const [name, v] of [["window_strides", p.window_strides], ["lhs_dilation", p.lhs_dilation], ["rhs_dilation", p.rhs_dilation]] as const) {
      if (v.length !== nsp) vfail(`conv_general_dilated window and ${name} must have the same number of dimensions, but got ${nsp} and ${v.length}`);
      shapelike("conv_general_dilated", name, v, true);
    }
    if (p.padding.length !== nsp) fail(`Wrong number of explicit pads for convolution: expected ${nsp}, got ${p.padding.length}.`);
    const lhsSp = ls.slice(2).map((d, i) => dilateDim(lhs.shape[d], p.lhs_dilation[i]));
    const padded = lhsSp.map((d, i) => d + p.padding[i][0] + p.padding[i][1]);
    if (padded.some((d) => d < 0)) {
      vfail(`Negative padding is larger than the size of the corresponding dimension: got padding=${pairs(p.padding)} for lhs_shape[2:]=${t(lhsSp)}`);
    }
    const outSp = rs.slice(2).map((d, i) => stridedBound(padded[i], dilateDim(rhs.shape[d], p.rhs_dilation[i]), p.window_strides[i]));
    const canonical = [bgc > 1 ? lhsBatch / bgc : lhsBatch, rhsOut, ...outSp];
    const shape = new Array<number>(n);
    os.forEach((d, i) => (shape[d] = canonical[i]));
    const dtype = contractionDtype("conv_general_dilated", lhs, rhs, p.preferred_element_type);
    return [new ShapedArray(shape, dtype, allWeak(avals))];
  },

  reduce_window_sum: reduceWindowRule("reduce_window_sum"),
  reduce_window_max: reduceWindowRule("reduce_window_max"),
  reduce_window_min: reduceWindowRule("reduce_window_min"),
};
