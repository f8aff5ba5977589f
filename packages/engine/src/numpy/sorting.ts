/**
 * Sorting and searching (jnp.sort, argsort, lexsort, searchsorted, partition,
 * argpartition, unique). Everything is built on `lax.sort`, which is stable and
 * orders NaNs last (-0 and 0 compare equal). `unique` without `size` needs the
 * number of distinct values, so, as in JAX, it only works on concrete arrays;
 * under jit pass `size` (and optionally `fillValue`).
 */
import { type Array } from "../core/tracer.js";
import { isFloat, isUnsigned } from "../core/dtype.js";
import { ConcretizationTypeError, ValueError } from "../core/errors.js";
import { normalizeAxis, shapeStr } from "../core/shape_util.js";
import * as lax from "../lax/lax.js";
import { type ArrayLike, checkArrayLike, promoteDtypes, toArray } from "./util.js";

export interface SortOptions {
  /** Axis to sort along (default -1); null sorts the flattened array. */
  axis?: number | null;
  /** Keep equal elements in their original order (lax.sort is always stable in Kiln). */
  stable?: boolean;
  descending?: boolean;
}

const ravel = (x: Array): Array => lax.reshape(x, [x.size]);

/** The array and canonical axis a sort works on (axis null flattens). */
function sortAxis(fn: string, x: Array, axis: number | null | undefined): [Array, number] {
  if (axis === null) return [ravel(x), 0];
  return [x, normalizeAxis(axis ?? -1, x.ndim, fn)];
}

/** jnp.sort: ascending along `axis` (NaNs last); `descending` reverses the sorted result. */
export function sort(a: ArrayLike, o: SortOptions = {}): Array {
  const [x, axis] = sortAxis("sort", toArray("sort", a), o.axis);
  const out = lax.sort(x, axis, o.stable ?? true) as Array;
  return o.descending ? lax.rev(out, [axis]) : out;
}

/** jnp.argsort: int32 indices that sort `a` along `axis`; stable, so ties keep their order. */
export function argsort(a: ArrayLike, o: SortOptions = {}): Array {
  let [x, axis] = sortAxis("argsort", toArray("argsort", a), o.axis);
  const stable = o.stable ?? true;
  let iota = lax.broadcastedIota("int32", x.shape, axis);
  // A stable descending sort reverses the input first so that ties still come out in index order.
  if (o.descending && stable) {
    x = lax.rev(x, [axis]);
    iota = lax.rev(iota, [axis]);
  }
  const [, idx] = lax.sort([x, iota], axis, stable, 1) as Array[];
  return o.descending ? lax.rev(idx, [axis]) : idx;
}

/**
 * jnp.lexsort: indices that sort by several keys; the LAST key is the primary
 * one (numpy's convention), earlier keys break ties.
 */
export function lexsort(keys: readonly ArrayLike[], o: { axis?: number } = {}): Array {
  if (!globalThis.Array.isArray(keys)) throw new TypeError("lexsort: keys must be a JS array of arrays (one per sort key).");
  keys.forEach((k, i) => checkArrayLike("lexsort", k, i));
  const arrs = keys.map((k) => lax.asArray(k));
  if (arrs.length === 0) throw new TypeError("need sequence of keys with len > 0 in lexsort");
  if (new Set(arrs.map((k) => shapeStr(k.shape))).size > 1) throw new ValueError("all keys need to be the same shape");
  if (arrs[0].ndim === 0) return lax.convertElementType(0, "int32");
  const axis = normalizeAxis(o.axis ?? -1, arrs[0].ndim, "lexsort");
  const iota = lax.broadcastedIota("int32", arrs[0].shape, axis);
  const outs = lax.sort([...arrs.reverse(), iota], axis, true, arrs.length) as Array[];
  return outs[outs.length - 1];
}

/** Total-order `x < y` of lax.sort: NaN is greater than every number. */
function sortLt(x: Array, y: Array): Array {
  if (!isFloat(x.dtype)) return lax.lt(x, y);
  return lax.bitwiseOr(lax.lt(x, y), lax.bitwiseAnd(lax.ne(y, y), lax.eq(x, x)));
}

export interface SearchsortedOptions {
  side?: "left" | "right";
  /** Indices that sort `a` (e.g. from argsort), when `a` itself is not sorted. */
  sorter?: ArrayLike;
}

/**
 * jnp.searchsorted(a, v): int32 insertion points of `v` into the sorted 1-D `a`
 * (left: before equal elements, right: after). Counts the elements below each
 * query with one comparison per pair (JAX's `method="compare_all"`), using the
 * sort order, so NaNs are found at the end.
 */
export function searchsorted(a: ArrayLike, v: ArrayLike, o: SearchsortedOptions = {}): Array {
  checkArrayLike("searchsorted", a, 0);
  checkArrayLike("searchsorted", v, 1);
  const side = o.side ?? "left";
  if (side !== "left" && side !== "right") throw new ValueError(`'${String(side)}' is an invalid value for keyword 'side'. Expected one of ['left', 'right'].`);
  let sorted = lax.asArray(a);
  if (sorted.ndim !== 1) throw new ValueError("a should be 1-dimensional");
  if (o.sorter !== undefined) sorted = take1d(sorted, toArray("searchsorted", o.sorter, 2));
  const [s, q] = promoteDtypes("searchsorted", sorted, v);
  const n = s.shape[0];
  if (n === 0) return lax.broadcastInDim(lax.convertElementType(0, "int32"), q.shape, []);
  const shape = [n, ...q.shape];
  const sB = lax.broadcastInDim(s, shape, [0]);
  const qB = lax.broadcastInDim(q, shape, q.shape.map((_, i) => i + 1));
  // left: count a[i] < v; right: count a[i] <= v, i.e. not (v < a[i]).
  const below = side === "left" ? sortLt(sB, qB) : lax.bitwiseNot(sortLt(qB, sB));
  return lax.reduceSum(lax.convertElementType(below, "int32"), [0]);
}

/** a[idx] for a 1-D `a` and integer `idx` of any shape (indices clamp into range). */
function take1d(a: Array, idx: Array): Array {
  const i = lax.convertElementType(idx, "int32");
  return lax.gather(a, lax.expandDims(i, [i.ndim]), {
    dimensionNumbers: new lax.GatherDimensionNumbers([], [0], [0]),
    sliceSizes: [1],
    mode: "clip",
  });
}

function partitionArgs(fn: string, a: ArrayLike, kth: number, axis: number | undefined): [Array, number, number] {
  const x = toArray(fn, a);
  if (isUnsigned(x.dtype)) throw new TypeError(`jnp.${fn} not implemented for unsigned integer types`);
  const ax = normalizeAxis(axis ?? -1, x.ndim, fn);
  if (!Number.isInteger(kth)) throw new TypeError(`${fn}: kth must be an integer, got ${kth}`);
  const k = normalizeAxis(kth, x.shape[ax], fn);
  return [x, ax, k];
}

/**
 * jnp.partition(a, kth): element `kth` is where a full sort would put it, smaller
 * ones before and larger ones after. Matches JAX's output exactly: the kth+1
 * smallest ascending, then the rest descending (JAX's two top_k calls).
 */
export function partition(a: ArrayLike, kth: number, o: { axis?: number } = {}): Array {
  const [x, axis, k] = partitionArgs("partition", a, kth, o.axis);
  const sorted = lax.sort(x, axis) as Array;
  const n = x.shape[axis];
  const bottom = lax.sliceInDim(sorted, 0, k + 1, 1, axis);
  if (k + 1 === n) return bottom;
  const top = lax.rev(lax.sliceInDim(sorted, k + 1, n, 1, axis), [axis]);
  return lax.concatenate([bottom, top], axis);
}

/**
 * jnp.argpartition(a, kth): indices that partition `a`. As in JAX: the indices of
 * the kth+1 smallest (ascending by value, ties by index), then the remaining
 * indices in increasing order.
 */
export function argpartition(a: ArrayLike, kth: number, o: { axis?: number } = {}): Array {
  const [x, axis, k] = partitionArgs("argpartition", a, kth, o.axis);
  const order = argsort(x, { axis });
  const iota = lax.broadcastedIota("int32", x.shape, axis);
  // rank[i] = position of element i in the sorted order (the inverse permutation).
  const [, rank] = lax.sort([order, iota], axis, true, 1) as Array[];
  // Bottom elements keep their rank as key; the others come after, in index order.
  const key = lax.select(lax.le(rank, k), rank, lax.add(iota, k + 1));
  const [, out] = lax.sort([key, iota], axis, true, 1) as Array[];
  return out;
}

// ---- unique ------------------------------------------------------------------------------------

export interface UniqueOptions {
  returnIndex?: boolean;
  returnInverse?: boolean;
  returnCounts?: boolean;
  /** NaNs count as one value (default true). */
  equalNan?: boolean;
  /** Static number of outputs; required under jit. Extra slots hold `fillValue`. */
  size?: number;
  /** Padding for values when `size` exceeds the number of distinct values (default: the smallest value). */
  fillValue?: ArrayLike;
}
type WithExtras = UniqueOptions & ({ returnIndex: true } | { returnInverse: true } | { returnCounts: true });

/**
 * jnp.unique over the flattened array: sorted distinct values, and on request
 * (in this order) the index of each value's first occurrence, the inverse
 * (`values[inverse]` rebuilds the input, with the input's shape) and counts.
 */
export function unique(a: ArrayLike, o: WithExtras): Array[];
export function unique(a: ArrayLike, o?: UniqueOptions): Array;
export function unique(a: ArrayLike, o: UniqueOptions = {}): Array | Array[] {
  const x = toArray("unique", a);
  const flat = ravel(x);
  const n = flat.size;
  const equalNan = o.equalNan ?? true;
  const iota = lax.iota("int32", n);
  const [s, perm] = lax.sort([flat, iota], 0, true, 1) as Array[];
  // isNew[i]: s[i] starts a new group (differs from s[i-1]; NaNs are one group when equalNan).
  let isNew = lax.ne(s, s);
  if (n > 0) {
    const prev = lax.sliceInDim(s, 0, n - 1);
    const cur = lax.sliceInDim(s, 1, n);
    let differs = lax.ne(cur, prev);
    if (equalNan && isFloat(s.dtype)) differs = lax.bitwiseAnd(differs, lax.bitwiseOr(lax.eq(cur, cur), lax.eq(prev, prev)));
    isNew = lax.concatenate([lax.broadcastInDim(lax.convertElementType(true, "bool"), [1], []), differs], 0);
  }
  const newInt = lax.convertElementType(isNew, "int32");
  let size = o.size;
  if (size === undefined) {
    try {
      size = lax.reduceSum(newInt, [0]).concreteScalar("index");
    } catch (e) {
      if (!(e instanceof ConcretizationTypeError)) throw e;
      throw new ConcretizationTypeError(
        `Abstract tracer value encountered where concrete value is expected: traced array with shape ${x.dtype}[${x.shape.join(",")}].\n` +
          `The error arose for the first argument of np.unique(): the number of unique values depends on the data, so the output shape ` +
          `is unknown while tracing. To make np.unique() compatible with jit and other transforms, specify a concrete value for the size ` +
          `argument, which will determine the output size: np.unique(x, { size: 10, fillValue: 0 }).\n(${e.message.split("\n")[0]})`,
      );
    }
  } else {
    if (!Number.isInteger(size) || size < 0) throw new ValueError(`unique: size must be a non-negative integer, got ${size}`);
    if (n === 0 && size > 0 && o.fillValue === undefined)
      throw new ValueError("jnp.unique: for zero-sized input with nonzero size argument, fill_value must be specified");
  }

  // Stable-sort group starts to the front: their values, first-occurrence indices and positions.
  const groupKey = lax.convertElementType(lax.bitwiseNot(isNew), "int32");
  const [, startVals, startIdx, startPos] = lax.sort([groupKey, s, perm, iota], 0, true, 1) as Array[];
  const numUnique = lax.reduceSum(newInt, [0]);
  const slot = lax.iota("int32", size);
  const valid = lax.lt(slot, numUnique);
  const full = (v: Array, len: number) => lax.broadcastInDim(v, [len], []);
  /** The first `len` entries of v, padded with `pad` past its end. */
  const head = (v: Array, len: number, pad: Array): Array => {
    const m = v.shape[0];
    return lax.sliceInDim(len > m ? lax.concatenate([v, full(pad, len - m)], 0) : v, 0, len);
  };
  if (o.fillValue !== undefined) checkArrayLike("unique", o.fillValue, 1);
  const fill = lax.convertElementType(o.fillValue ?? (n > 0 ? lax.reshape(lax.sliceInDim(s, 0, 1), []) : 0), s.dtype);
  const zero = lax.convertElementType(0, "int32");
  const values = lax.select(valid, head(startVals, size, fill), full(fill, size));
  const outs: Array[] = [values];
  // Padding slots repeat the first group (JAX pads nonzero()'s indices with 0), unless fillValue is given for values.
  if (o.returnIndex) {
    const first = n > 0 ? lax.reshape(lax.sliceInDim(startIdx, 0, 1), []) : zero;
    outs.push(lax.select(valid, head(startIdx, size, first), full(first, size)));
  }
  if (o.returnInverse) {
    // Group number of each sorted element, put back in input order by sorting on perm.
    const group = lax.sub(lax.cumsum(newInt, 0), 1);
    const [, inv] = lax.sort([perm, group], 0, true, 1) as Array[];
    outs.push(lax.reshape(inv, x.shape));
  }
  if (o.returnCounts) {
    // Group j spans [start_j, start_{j+1}), the last one ends at n.
    const end = lax.convertElementType(n, "int32");
    const bounds = head(lax.concatenate([startPos, full(end, 1)], 0), size + 1, end);
    const starts = lax.sliceInDim(bounds, 0, size);
    const next = lax.select(lax.lt(lax.add(slot, 1), numUnique), lax.sliceInDim(bounds, 1, size + 1), full(end, size));
    outs.push(lax.select(valid, lax.sub(next, starts), full(zero, size)));
  }
  return outs.length === 1 ? values : outs;
}

export interface UniqueSizeOptions {
  size?: number;
  fillValue?: ArrayLike;
}
/** jnp.unique_values: the sorted distinct values (array-API semantics: NaNs are not merged). */
export function uniqueValues(x: ArrayLike, o: UniqueSizeOptions = {}): Array {
  return unique(x, { ...o, equalNan: false });
}
/** jnp.unique_counts: distinct values and how often each occurs (NaNs are not merged). */
export function uniqueCounts(x: ArrayLike, o: UniqueSizeOptions = {}): { values: Array; counts: Array } {
  const [values, counts] = unique(x, { ...o, returnCounts: true, equalNan: false });
  return { values, counts };
}
/** jnp.unique_inverse: distinct values and, for each input element, its position among them. */
export function uniqueInverse(x: ArrayLike, o: UniqueSizeOptions = {}): { values: Array; inverseIndices: Array } {
  const [values, inverseIndices] = unique(x, { ...o, returnInverse: true, equalNan: false });
  return { values, inverseIndices };
}
/** jnp.unique_all: values, first-occurrence indices, inverse indices and counts. */
export function uniqueAll(x: ArrayLike, o: UniqueSizeOptions = {}): { values: Array; indices: Array; inverseIndices: Array; counts: Array } {
  const [values, indices, inverseIndices, counts] = unique(x, { ...o, returnIndex: true, returnInverse: true, returnCounts: true, equalNan: false });
  return { values, indices, inverseIndices, counts };
}
