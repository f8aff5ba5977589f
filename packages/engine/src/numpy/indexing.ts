/**
 * NumPy indexing (jax/_src/numpy/indexing.py): `index(x, ...items)` is JAX's `x[idx]`,
 * `at(x, ...items)` its `x.at[idx]` functional updates, plus take, takeAlongAxis, nonzero and
 * the other index helpers. An index is a list of items: JS integers, `slice(start, stop, step)`,
 * `null` (newaxis), "..." (Ellipsis), integer arrays or nested JS number lists (advanced
 * indexing, numpy's rules for where the advanced dimensions go) and concrete boolean masks.
 * As in JAX, static ints and slices lower to slice/rev/squeeze, scalar Array indices to
 * dynamic_slice, and everything else to one gather (updates: one scatter).
 */
import { type Array, Tracer } from "../core/tracer.js";
import { ArrayImpl, fromHostData, scalar } from "../array.js";
import { type DType, isInteger, isUnsigned } from "../core/dtype.js";
import { type GatherScatterMode, GatherDimensionNumbers, ScatterDimensionNumbers } from "../core/primitives.js";
import { broadcastShapes, normalizeAxis, shapeStr } from "../core/shape_util.js";
import { ConcretizationTypeError, ValueError } from "../core/errors.js";
import * as lax from "../lax/lax.js";
import { describe, isArray } from "../lax/lax.js";
import { broadcastToShape } from "./creation.js";
import { type ArrayLike, checkArrayLike, promoteDtypes, toArray } from "./util.js";
import { add, clip, divmod, multiply, remainder } from "./ufuncs.js";

// ---- errors ---------------------------------------------------------------------

/** Python's IndexError (JAX raises it for bad indices). */
export class IndexError extends Error {
  override name = "IndexError";
}
/** JAX's NonConcreteBooleanIndexError: a boolean mask that is a tracer. */
export class NonConcreteBooleanIndexError extends IndexError {
  override name = "NonConcreteBooleanIndexError";
}

/** A type as JAX's ShapedArray.str_short() writes it in error messages: the full dtype name (`int32[6]`). */
function typeRepr(x: { readonly dtype: string; readonly shape: readonly number[] }): string {
  return `${x.dtype}[${x.shape.join(",")}]`;
}
/** JAX's `_error_repr` of a tracer. */
function tracedArrayRepr(x: { readonly dtype: string; readonly shape: readonly number[] }): string {
  return `traced array with shape ${typeRepr(x)}`;
}

// ---- index items ------------------------------------------------------------------

type SliceBound = number | Array | null | undefined;

function sliceRepr(raw: readonly SliceBound[]): string {
  const f = (v: SliceBound) => (v === null || v === undefined ? "None" : typeof v === "number" ? String(v) : String(v));
  return `slice(${raw.map(f).join(", ")})`;
}

function staticBound(v: SliceBound, raw: readonly SliceBound[]): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") {
    if (!Number.isInteger(v)) throw new TypeError(`slice indices must be integers or null, got ${v} in ${sliceRepr(raw)}.`);
    return v;
  }
  if (isArray(v)) {
    if (v instanceof Tracer)
      throw new IndexError(
        `Array slice indices must have static start/stop/step to be used with NumPy indexing syntax. Found ${sliceRepr(raw)}. ` +
          "To index a statically sized array at a dynamic position, try lax.dynamicSlice/lax.dynamicUpdateSlice " +
          "(JAX does not support dynamically sized arrays within JIT compiled functions).",
      );
    if (v.ndim !== 0 || !isInteger(v.dtype)) throw new TypeError(`slice indices must be integers or null, got an array of shape ${shapeStr(v.shape)} and dtype ${v.dtype}.`);
    return v.concreteScalar("index");
  }
  throw new TypeError(`slice indices must be integers or null, got ${describe(v)}.`);
}

/** A Python slice `start:stop:step` (null for an omitted part). Build it with `slice(...)`. */
export class Slice {
  readonly start: number | null;
  readonly stop: number | null;
  readonly step: number | null;
  constructor(start?: SliceBound, stop?: SliceBound, step?: SliceBound) {
    const raw = [start, stop, step];
    this.start = staticBound(start, raw);
    this.stop = staticBound(stop, raw);
    this.step = staticBound(step, raw);
  }

  /** Python's `slice.indices(size)`: [start, stop, step] clamped to an axis of `size`. */
  indices(size: number): [number, number, number] {
    const step = this.step ?? 1;
    if (step === 0) throw new ValueError("slice step cannot be zero");
    const [lower, upper] = step > 0 ? [0, size] : [-1, size - 1];
    const fix = (v: number | null, dflt: number) => {
      if (v === null) return dflt;
      const w = v < 0 ? v + size : v;
      return w < lower ? lower : w > upper ? upper : w;
    };
    const start = fix(this.start, step > 0 ? lower : upper);
    const stop = fix(this.stop, step > 0 ? upper : lower);
    return [start, stop, step];
  }

  /** Number of elements the slice selects from an axis of `size`. */
  length(size: number): number {
    const [start, stop, step] = this.indices(size);
    return step > 0 ? Math.max(0, Math.ceil((stop - start) / step)) : Math.max(0, Math.ceil((start - stop) / -step));
  }

  toString(): string {
    return sliceRepr([this.start, this.stop, this.step]);
  }
}

/**
 * `slice(start, stop, step)` is Python's `start:stop:step`: `slice(1, 3)` is `1:3`, `slice(null, null, -1)`
 * is `::-1`, `slice(2)` is `2:` (note: not Python's one-argument `slice(stop)`).
 */
export function slice(start?: SliceBound, stop?: SliceBound, step?: SliceBound): Slice {
  return new Slice(start, stop, step);
}

/** np.newaxis. */
export const newaxis = null;
/** Python's Ellipsis (`...`). */
export const ellipsis = "...";

export type NestedIndex = readonly (number | boolean | NestedIndex)[];
export type IndexItem = number | boolean | Slice | null | "..." | Array | NestedIndex;

/** Gather/scatter out-of-bounds modes: JAX's names, with "drop" an alias of "fill". */
export type IndexMode = GatherScatterMode | "drop";

// ---- parsing an index into normalized items ------------------------------------------

/** An integer index array; `host` holds its values when they came from JS (normalized on the host). */
interface ArrIdx {
  kind: "array";
  arr: Array;
  host: Int32Array | null;
  pos: number;
}
type Norm =
  | { kind: "int"; v: number; pos: number }
  | { kind: "slice"; s: Slice; pos: number }
  | { kind: "none"; pos: number; empty: boolean }
  | ArrIdx;
type Raw = Norm | { kind: "ellipsis"; pos: number } | { kind: "mask"; arr: Array; pos: number };

const FULL = new Slice();

function indexerTypeError(dtype: string, pos: number, value: string): TypeError {
  return new TypeError(`Indexer must have integer or boolean type, got indexer with type ${dtype} at position ${pos}, indexer value ${value}`);
}

function nonConcreteMask(m: Array): NonConcreteBooleanIndexError {
  return new NonConcreteBooleanIndexError(
    `Array boolean indices must be concrete; got ${m.aval.toString()}\n` +
      "Boolean masks change the result's shape, so they need concrete values (outside jit). Under jit use " +
      "np.where(mask, x, fill) to select elementwise, or np.nonzero(mask, { size }) for a statically sized set of indices.\n" +
      "See https://docs.jax.dev/en/latest/errors.html#jax.errors.NonConcreteBooleanIndexError",
  );
}

/** Read-only indexable numbers (a typed array or a JS array). */
type NumList = { readonly length: number; readonly [i: number]: number };

/** Host values of a concrete array, or null for a tracer. */
function concreteData(x: Array): NumList | null {
  return x instanceof ArrayImpl ? x.dataSync() : null;
}

/** Shape and leaves of a nested JS list (rectangular, else ValueError). */
function flattenNested(list: readonly unknown[], fn: string): { shape: number[]; leaves: unknown[] } {
  const shape: number[] = [];
  for (let cur: unknown = list; globalThis.Array.isArray(cur); cur = (cur as unknown[])[0]) {
    shape.push((cur as unknown[]).length);
    if ((cur as unknown[]).length === 0) break;
  }
  const leaves: unknown[] = [];
  const walk = (x: unknown, d: number): void => {
    if (d === shape.length) {
      if (globalThis.Array.isArray(x)) throw new ValueError(`${fn}: the nested list has an inhomogeneous shape.`);
      leaves.push(x);
      return;
    }
    if (!globalThis.Array.isArray(x) || x.length !== shape[d]) throw new ValueError(`${fn}: the nested list has an inhomogeneous shape.`);
    for (const e of x) walk(e, d + 1);
  };
  walk(list, 0);
  return { shape, leaves };
}

function hostInt32(values: NumList, shape: readonly number[]): ArrIdx["arr"] {
  return fromHostData(values, shape, "int32");
}

function classify(item: unknown, pos: number): Raw {
  if (item === null) return { kind: "none", pos, empty: false };
  if (item === "...") return { kind: "ellipsis", pos };
  if (item === undefined) throw new TypeError(`undefined is not a valid index (position ${pos}); use null for np.newaxis.`);
  if (typeof item === "string") throw new TypeError(`JAX does not support string indexing; got idx=${JSON.stringify(item)} at position ${pos}.`);
  if (typeof item === "boolean") return { kind: "none", pos, empty: !item };
  if (typeof item === "number") {
    if (!Number.isInteger(item)) throw indexerTypeError("float32", pos, String(item));
    return { kind: "int", v: item, pos };
  }
  if (item instanceof Slice) return { kind: "slice", s: item, pos };
  if (isArray(item)) {
    if (item.dtype === "bool") {
      if (item.ndim > 0) return { kind: "mask", arr: item, pos };
      const d = concreteData(item);
      if (d === null) throw nonConcreteMask(item);
      return { kind: "none", pos, empty: d[0] === 0 };
    }
    if (!isInteger(item.dtype)) throw indexerTypeError(item.dtype, pos, String(item));
    return { kind: "array", arr: item, host: null, pos };
  }
  if (globalThis.Array.isArray(item)) {
    const { shape, leaves } = flattenNested(item, "index");
    if (leaves.length > 0 && leaves.every((v) => typeof v === "boolean")) {
      return { kind: "mask", arr: fromHostData(leaves.map(Number), shape, "bool"), pos };
    }
    if (!leaves.every((v) => typeof v === "boolean" || (typeof v === "number" && Number.isInteger(v)))) {
      if (leaves.every((v) => typeof v === "number")) throw indexerTypeError("float32", pos, JSON.stringify(item));
      throw new TypeError(`Indexing mode not yet supported. Got unsupported indexer at position ${pos}: ${JSON.stringify(item)}`);
    }
    const host = Int32Array.from(leaves.map(Number));
    return { kind: "array", arr: hostInt32(host, shape), host, pos };
  }
  throw new TypeError(`Indexing mode not yet supported. Got unsupported indexer at position ${pos}: ${describe(item)}`);
}

/** Coordinates of the true entries of a concrete mask, one Int32Array per dimension (row-major order). */
function hostNonzero(data: NumList, shape: readonly number[]): Int32Array[] {
  let count = 0;
  for (let i = 0; i < data.length; i++) if (data[i] !== 0) count++;
  const out = shape.map(() => new Int32Array(count));
  let k = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] === 0) continue;
    let rem = i;
    for (let d = shape.length - 1; d >= 0; d--) {
      out[d][k] = rem % shape[d];
      rem = Math.floor(rem / shape[d]);
    }
    k++;
  }
  return out;
}

/**
 * Expand an index against `shape`: the Ellipsis (or the implicit trailing one) becomes full
 * slices, boolean masks become integer arrays (concrete masks only), scalar booleans become
 * newaxes (`empty` when false, as JAX treats them). Every dimension of x is then consumed by
 * exactly one int, slice or array item. `checkBounds` raises IndexError for static ints out of range.
 */
function parseIndex(shape: readonly number[], items: readonly unknown[], checkBounds: boolean): Norm[] {
  const raws = items.map(classify);
  const ndim = shape.length;
  if (raws.filter((r) => r.kind === "ellipsis").length > 1)
    throw new IndexError(`Multiple ellipses (...) not supported: an index may contain "..." at most once.`);
  const consumed = raws.reduce((s, r) => s + (r.kind === "mask" ? r.arr.ndim : r.kind === "int" || r.kind === "slice" || r.kind === "array" ? 1 : 0), 0);
  if (consumed > ndim)
    throw new IndexError(`Too many indices: ${ndim}-dimensional array indexed with ${consumed} regular ${consumed === 1 ? "index" : "indices"}.`);
  const out: Norm[] = [];
  let xDim = 0;
  for (const r of raws) {
    switch (r.kind) {
      case "ellipsis":
        for (let i = 0; i < ndim - consumed; i++) out.push({ kind: "slice", s: FULL, pos: r.pos });
        xDim += ndim - consumed;
        break;
      case "mask": {
        const expected = shape.slice(xDim, xDim + r.arr.ndim);
        if (r.arr.shape.some((d, i) => d !== expected[i]))
          throw new IndexError(`boolean index did not match shape of indexed array in index ${r.pos}: got ${shapeStr(r.arr.shape)}, expected ${shapeStr(expected)}`);
        const data = concreteData(r.arr);
        if (data === null) throw nonConcreteMask(r.arr);
        for (const coords of hostNonzero(data, r.arr.shape)) out.push({ kind: "array", arr: hostInt32(coords, [coords.length]), host: coords, pos: r.pos });
        xDim += r.arr.ndim;
        break;
      }
      case "int": {
        const size = shape[xDim];
        if (checkBounds && (r.v < -size || r.v >= size)) throw new IndexError(`index ${r.v} is out of bounds for axis ${xDim} with size ${size}`);
        out.push(r);
        xDim++;
        break;
      }
      case "slice":
      case "array":
        out.push(r);
        xDim++;
        break;
      case "none":
        out.push(r);
        break;
    }
  }
  for (; xDim < ndim; xDim++) out.push({ kind: "slice", s: FULL, pos: items.length });
  return out;
}

/** An index array with negative entries wrapped (JAX's `_normalize_index`), as int32. */
function normalizeIndexArray(it: ArrIdx, size: number): Array {
  if (it.host) return hostInt32(it.host.map((v) => (v < 0 ? v + size : v)), it.arr.shape);
  let a = it.arr;
  if (!isUnsigned(a.dtype)) a = lax.select(lax.lt(a, 0), lax.add(a, size), a);
  return a.dtype === "int32" ? a : lax.convertElementType(a, "int32");
}

const int32Scalar = (v: number): Array => scalar(v, "int32");
const isEmptyShape = (s: readonly number[]) => s.some((d) => d === 0);

// ---- lowering: slices ------------------------------------------------------------------

interface Lowered {
  y: Array;
  /** Output dims of the newaxis items, in item order. */
  newaxisDims: number[];
}

/** Static ints/slices (lax.slice + rev + squeeze), 0-d integer arrays (dynamic_slice), newaxes. */
function lowerViaSlice(x: Array, items: readonly Norm[]): Lowered {
  const starts: number[] = [], limits: number[] = [], strides: number[] = [];
  const revDims: number[] = [], squeezeDims: number[] = [], newaxisDims: number[] = [];
  const dyn: (Array | number)[] = [];
  let hasDyn = false;
  let xAxis = 0;
  let outAxis = 0;
  for (const it of items) {
    if (it.kind === "none") {
      newaxisDims.push(outAxis++);
      continue;
    }
    const size = x.shape[xAxis];
    dyn.push(0);
    if (it.kind === "int") {
      const v = it.v < 0 ? it.v + size : it.v;
      starts.push(v), limits.push(v + 1), strides.push(1), squeezeDims.push(xAxis);
    } else if (it.kind === "slice") {
      const [start, , step] = it.s.indices(size);
      const n = it.s.length(size);
      if (step > 0) starts.push(n ? start : 0), limits.push(n ? start + (n - 1) * step + 1 : 0), strides.push(n > 1 ? step : 1);
      else {
        starts.push(n ? start + (n - 1) * step : 0), limits.push(n ? start + 1 : 0), strides.push(n > 1 ? -step : 1);
        if (n > 1) revDims.push(xAxis);
      }
      outAxis++;
    } else {
      if (size === 0) throw new IndexError(`index is out of bounds for axis ${xAxis} with size 0`);
      starts.push(0), limits.push(size), strides.push(1), squeezeDims.push(xAxis);
      dyn[xAxis] = normalizeIndexArray(it, size);
      hasDyn = true;
    }
    xAxis++;
  }
  let y = x;
  if (starts.some((s, i) => s !== 0 || limits[i] !== x.shape[i] || strides[i] !== 1))
    y = lax.slice(y, starts, limits, strides.some((s) => s !== 1) ? strides : null);
  if (hasDyn) {
    const sizes = y.shape.map((d, i) => (isArray(dyn[i]) ? 1 : d));
    y = lax.dynamicSlice(y, dyn, sizes);
  }
  y = lax.rev(y, revDims);
  y = lax.squeeze(y, squeezeDims);
  return { y: lax.expandDims(y, newaxisDims), newaxisDims };
}

// ---- lowering: gather (JAX's _index_to_gather) ------------------------------------------

interface Indexer {
  /** Shape of the indexed result before reversing, with the newaxis dims. */
  sliceShape: number[];
  newaxisDims: number[];
  gatherSliceShape: number[];
  reversedYDims: number[];
  dnums: GatherDimensionNumbers;
  /** Gather indices [..., k]; null when nothing needs gathering (full slices and newaxes only). */
  gatherIndices: Array | null;
  uniqueIndices: boolean;
  indicesAreSorted: boolean;
}

function indexToGather(shape: readonly number[], items: readonly Norm[]): Indexer {
  const advanced = items.some((it) => it.kind === "array" && it.arr.ndim > 0);
  // Advanced mode: every int and integer array is an advanced index (numpy's rules).
  const isAdv = (it: Norm) => advanced && (it.kind === "int" || it.kind === "array");
  const xAxisOf: number[] = [];
  let xa = 0;
  for (const it of items) xAxisOf.push(it.kind === "none" ? -1 : xa++);
  const adv: { arr: Array; xAxis: number }[] = [];
  let firstAdv = -1;
  let contiguous = true;
  if (advanced) {
    items.forEach((it, k) => {
      if (!isAdv(it)) return;
      if (firstAdv < 0) firstAdv = k;
      const size = shape[xAxisOf[k]];
      const arr = it.kind === "int" ? int32Scalar(it.v < 0 ? it.v + size : it.v) : normalizeIndexArray(it as ArrIdx, size);
      adv.push({ arr, xAxis: xAxisOf[k] });
    });
    // numpy: advanced indices separated by a slice, newaxis or Ellipsis go first in the result.
    const positions = [...new Set(items.filter(isAdv).map((it) => it.pos))];
    contiguous = positions.every((p, i) => i === 0 || p === positions[i - 1] + 1);
  }

  let xAxis = 0, yAxis = 0, collapsedYAxis = 0;
  const offsetDims: number[] = [], collapsedSliceDims: number[] = [], startIndexMap: number[] = [];
  const gatherIndices: [Array, number][] = [];
  const gatherIndicesShape: number[] = [];
  const sliceShape: number[] = [], newaxisDims: number[] = [], reversedYDims: number[] = [], gatherSliceShape: number[] = [];

  items.forEach((it, k) => {
    if (advanced && ((contiguous && k === firstAdv) || (!contiguous && k === 0))) {
      let bshape: number[];
      try {
        bshape = broadcastShapes(...adv.map((a) => a.arr.shape));
      } catch {
        throw new IndexError(`shape mismatch: indexing arrays could not be broadcast together with shapes ${adv.map((a) => shapeStr(a.arr.shape)).join(" ")}`);
      }
      const startDim = gatherIndicesShape.length;
      for (const a of adv) gatherIndices.push([broadcastToShape(a.arr, bshape, "index"), startDim]);
      gatherIndicesShape.push(...bshape);
      startIndexMap.push(...adv.map((a) => a.xAxis));
      collapsedSliceDims.push(...adv.map((a) => a.xAxis));
      sliceShape.push(...bshape);
      yAxis += bshape.length;
      collapsedYAxis += bshape.length;
    }
    if (isAdv(it)) {
      xAxis++;
      gatherSliceShape.push(1);
      return;
    }
    if (it.kind === "none") {
      sliceShape.push(1);
      newaxisDims.push(yAxis++);
      return;
    }
    const size = shape[xAxis];
    if (it.kind === "int" || it.kind === "array") {
      // A basic (scalar) integer index.
      if (size === 0) throw new IndexError(`index is out of bounds for axis ${xAxis} with size 0`);
      const i = it.kind === "int" ? int32Scalar(it.v < 0 ? it.v + size : it.v) : normalizeIndexArray(it, size);
      gatherIndices.push([i, gatherIndicesShape.length]);
      collapsedSliceDims.push(xAxis);
      gatherSliceShape.push(1);
      startIndexMap.push(xAxis);
      xAxis++;
      return;
    }
    const [start, , step] = it.s.indices(size);
    const n = it.s.length(size);
    sliceShape.push(n);
    if (step === 1) {
      if (n !== size) {
        gatherIndices.push([int32Scalar(start), gatherIndicesShape.length]);
        startIndexMap.push(xAxis);
      }
      gatherSliceShape.push(n);
      offsetDims.push(collapsedYAxis);
    } else {
      // Strided: gather the positions (ascending; negative steps reverse the result after).
      const pos = new Int32Array(n);
      for (let j = 0; j < n; j++) pos[j] = start + step * (step < 0 ? n - 1 - j : j);
      if (step < 0) reversedYDims.push(collapsedYAxis);
      gatherSliceShape.push(1);
      gatherIndices.push([hostInt32(pos, [n]), gatherIndicesShape.length]);
      startIndexMap.push(xAxis);
      gatherIndicesShape.push(n);
      collapsedSliceDims.push(xAxis);
    }
    collapsedYAxis++;
    yAxis++;
    xAxis++;
  });

  let indices: Array | null = null;
  if (gatherIndices.length === 1) {
    const g = gatherIndices[0][0];
    indices = lax.expandDims(g, [g.ndim]);
  } else if (gatherIndices.length > 1) {
    const full = [...gatherIndicesShape, 1];
    indices = lax.concatenate(
      gatherIndices.map(([g, i]) => lax.broadcastInDim(g, full, g.shape.map((_, d) => i + d))),
      gatherIndicesShape.length,
    );
  }
  return {
    sliceShape,
    newaxisDims,
    gatherSliceShape,
    reversedYDims,
    dnums: new GatherDimensionNumbers(offsetDims, [...collapsedSliceDims].sort((a, b) => a - b), startIndexMap),
    gatherIndices: indices,
    uniqueIndices: !advanced,
    indicesAreSorted: !advanced,
  };
}

function zerosOf(dtype: DType, weak: boolean, shape: readonly number[]): Array {
  return lax.broadcastInDim(lax.convertElementType(0, dtype, weak), shape, []);
}

// ---- index / at ------------------------------------------------------------------------

export interface GetOptions {
  /** Out-of-bounds behaviour: default "promise_in_bounds" (reads clamp), "clip", or "fill" (`fillValue`, default NaN / INT_MIN / UINT_MAX / true). */
  mode?: IndexMode;
  fillValue?: number | boolean | null;
  indicesAreSorted?: boolean;
  uniqueIndices?: boolean;
}

function parseMode(mode: unknown, fn: string): GatherScatterMode | undefined {
  if (mode === undefined || mode === null) return undefined;
  if (mode === "drop") return "fill";
  if (mode === "clip" || mode === "fill" || mode === "promise_in_bounds") return mode;
  throw new ValueError(`${fn}: invalid mode ${JSON.stringify(mode)}; expected "promise_in_bounds", "clip", "drop" or "fill".`);
}

function toIndexed(x: unknown, fn: string): Array {
  checkArrayLike(fn, x, 0);
  return lax.asArray(x);
}

function getItem(x: Array, items: readonly unknown[], o: GetOptions = {}): Array {
  const mode = parseMode(o.mode, "get");
  const strict = mode === undefined || mode === "promise_in_bounds";
  const norm = parseIndex(x.shape, items, strict);
  const oobInt = norm.some((it, k) => {
    if (it.kind !== "int") return false;
    const size = x.shape[norm.slice(0, k).filter((j) => j.kind !== "none").length];
    return it.v < -size || it.v >= size;
  });
  const arrays = norm.filter((it): it is ArrIdx => it.kind === "array");
  let low: Lowered;
  if (!oobInt && arrays.length === 0) low = lowerViaSlice(x, norm);
  else if (!oobInt && mode !== "fill" && arrays.every((a) => a.arr.ndim === 0)) low = lowerViaSlice(x, norm);
  else {
    const ix = indexToGather(x.shape, norm);
    let y: Array;
    if (isEmptyShape(ix.sliceShape)) y = zerosOf(x.dtype, x.weakType, ix.sliceShape);
    else {
      y = x;
      if (ix.gatherIndices) {
        const fill = o.fillValue;
        if (fill !== undefined && fill !== null && typeof fill !== "number" && typeof fill !== "boolean")
          throw new ValueError("fill_value argument to indexed get() must be a scalar");
        y = lax.gather(y, ix.gatherIndices, {
          dimensionNumbers: ix.dnums,
          sliceSizes: ix.gatherSliceShape,
          mode: mode ?? "promise_in_bounds",
          fillValue: fill === undefined || fill === null ? null : Number(fill),
          indicesAreSorted: (o.indicesAreSorted ?? false) || ix.indicesAreSorted,
          uniqueIndices: (o.uniqueIndices ?? false) || ix.uniqueIndices,
        });
      }
      y = lax.rev(y, ix.reversedYDims);
      y = lax.expandDims(y, ix.newaxisDims);
    }
    low = { y, newaxisDims: ix.newaxisDims };
  }
  // Scalar `false` indices: their newaxis dimension has length 0.
  let y = low.y;
  const nones = norm.filter((it) => it.kind === "none");
  const emptyDims = nones.flatMap((it, k) => (it.kind === "none" && it.empty ? [low.newaxisDims[k]] : []));
  if (emptyDims.length && !isEmptyShape(y.shape))
    y = lax.slice(y, y.shape.map(() => 0), y.shape.map((d, i) => (emptyDims.includes(i) ? 0 : d)));
  else if (emptyDims.length) y = zerosOf(y.dtype, y.weakType, y.shape.map((d, i) => (emptyDims.includes(i) ? 0 : d)));
  return y;
}

/**
 * JAX's `x[idx]`: `index(x, 1, slice(null, null, -1), null, "...", idxArray, mask)`.
 * Out-of-bounds array indices are clamped (JAX's PROMISE_IN_BOUNDS on CPU); static JS ints
 * out of range raise IndexError. Boolean masks must be concrete.
 */
export function index(x: Array | number | boolean, ...items: IndexItem[]): Array {
  return getItem(toIndexed(x, "index"), items);
}

export interface UpdateOptions {
  /** Out-of-bounds updates: default "fill"/"drop" (dropped), "clip", or "promise_in_bounds". */
  mode?: IndexMode;
  indicesAreSorted?: boolean;
  uniqueIndices?: boolean;
}

type ScatterKind = "set" | "add" | "multiply" | "min" | "max";
export type UpdateValue = ArrayLike | NestedIndex;

function updateArray(v: unknown, fn: string): ArrayLike {
  if (globalThis.Array.isArray(v)) {
    const { shape, leaves } = flattenNested(v, fn);
    if (!leaves.every((e) => typeof e === "number" || typeof e === "boolean")) throw new TypeError(`${fn}: update values must be numbers or booleans.`);
    const dtype: DType = leaves.length && leaves.every((e) => typeof e === "boolean") ? "bool" : leaves.every((e) => Number.isInteger(Number(e))) ? "int32" : "float32";
    return fromHostData(leaves.map(Number), shape, dtype);
  }
  checkArrayLike(fn, v, 1);
  return v;
}

function combine(kind: ScatterKind, a: Array, b: Array): Array {
  switch (kind) {
    case "set":
      return b;
    case "add":
      return a.dtype === "bool" ? lax.bitwiseOr(a, b) : lax.add(a, b);
    case "multiply":
      return a.dtype === "bool" ? lax.bitwiseAnd(a, b) : lax.mul(a, b);
    case "min":
      return lax.min(a, b);
    case "max":
      return lax.max(a, b);
  }
}

function scatterUpdate(x: Array, items: readonly unknown[], value: unknown, kind: ScatterKind, o: UpdateOptions = {}): Array {
  const fn = `at().${kind}`;
  const mode = parseMode(o.mode, fn) ?? "fill";
  const v = updateArray(value, fn);
  // A full-shape boolean mask with a scalar update is an elementwise select: this works under jit too.
  const only = items.length === 1 ? items[0] : undefined;
  if (isArray(only) && only.dtype === "bool" && only.ndim > 0 && only.shape.join() === x.shape.join() && (!isArray(v) || v.ndim === 0)) {
    const [xp, vp] = promoteDtypes(fn, x, v);
    const vb = lax.broadcastInDim(vp, x.shape, []);
    return lax.convertElementType(lax.select(only, combine(kind, xp, vb), xp), x.dtype, x.weakType);
  }
  const norm = parseIndex(x.shape, items, false);
  if (norm.some((it) => it.kind === "none" && it.empty)) return x;
  const ix = indexToGather(x.shape, norm);
  if (isEmptyShape(ix.sliceShape)) return x;
  const [xp, vp] = promoteDtypes(fn, x, v);
  let u = broadcastToShape(vp, ix.sliceShape, fn);
  u = lax.squeeze(u, ix.newaxisDims);
  u = lax.rev(u, ix.reversedYDims);
  const dn = ix.dnums;
  const sdn = new ScatterDimensionNumbers(dn.offsetDims, dn.collapsedSliceDims, dn.startIndexMap);
  const op = { set: lax.scatter, add: lax.scatterAdd, multiply: lax.scatterMul, min: lax.scatterMin, max: lax.scatterMax }[kind];
  const out = op(xp, ix.gatherIndices ?? hostInt32([], [0]), u, {
    dimensionNumbers: sdn,
    mode,
    indicesAreSorted: (o.indicesAreSorted ?? false) || ix.indicesAreSorted,
    uniqueIndices: (o.uniqueIndices ?? false) || ix.uniqueIndices,
  });
  return lax.convertElementType(out, x.dtype, x.weakType);
}

/** JAX's `x.at[idx]`: functional indexed updates. Updates are broadcast to the indexed shape. */
export class IndexUpdateRef {
  constructor(
    readonly array: Array,
    readonly items: readonly IndexItem[],
  ) {}
  /** `x[idx]` with an out-of-bounds mode (`{ mode: "fill", fillValue: -1 }`). */
  get(opts: GetOptions = {}): Array {
    return getItem(this.array, this.items, opts);
  }
  /** `x[idx] = v` (with duplicate indices, one of the values wins). */
  set(v: UpdateValue, opts: UpdateOptions = {}): Array {
    return scatterUpdate(this.array, this.items, v, "set", opts);
  }
  /** `x[idx] += v`, accumulating over duplicate indices. */
  add(v: UpdateValue, opts: UpdateOptions = {}): Array {
    return scatterUpdate(this.array, this.items, v, "add", opts);
  }
  /** `x[idx] *= v`, accumulating over duplicate indices. */
  multiply(v: UpdateValue, opts: UpdateOptions = {}): Array {
    return scatterUpdate(this.array, this.items, v, "multiply", opts);
  }
  mul(v: UpdateValue, opts: UpdateOptions = {}): Array {
    return this.multiply(v, opts);
  }
  /** `x[idx] = minimum(x[idx], v)`. */
  min(v: UpdateValue, opts: UpdateOptions = {}): Array {
    return scatterUpdate(this.array, this.items, v, "min", opts);
  }
  /** `x[idx] = maximum(x[idx], v)`. */
  max(v: UpdateValue, opts: UpdateOptions = {}): Array {
    return scatterUpdate(this.array, this.items, v, "max", opts);
  }
}

export function at(x: Array | number | boolean, ...items: IndexItem[]): IndexUpdateRef {
  return new IndexUpdateRef(toIndexed(x, "at"), items);
}

// ---- take / takeAlongAxis ----------------------------------------------------------------

function indexArg(fn: string, v: unknown, pos: number): Array {
  let a: Array;
  if (globalThis.Array.isArray(v)) {
    const { shape, leaves } = flattenNested(v, fn);
    if (!leaves.every((e) => typeof e === "number" && Number.isInteger(e))) throw new TypeError(`${fn}: indices must be integers, got ${JSON.stringify(v)}.`);
    a = hostInt32(leaves as number[], shape);
  } else a = toArray(fn, v, pos);
  if (!isInteger(a.dtype)) throw new TypeError(`${fn}: indices must have an integer type, got ${a.dtype}.`);
  return a;
}

const ravel = (x: Array) => lax.reshape(x, [x.size]);

export interface TakeOptions {
  axis?: number | null;
  /** "fill" (default: out-of-range gives NaN / INT_MIN / UINT_MAX / true, or `fillValue`), "clip", "wrap", or "promise_in_bounds". */
  mode?: "fill" | "drop" | "clip" | "wrap" | "promise_in_bounds" | "raise";
  fillValue?: number | boolean | null;
  uniqueIndices?: boolean;
  indicesAreSorted?: boolean;
}

/** jnp.take: elements of `x` at `indices` along `axis` (flattened when axis is null). */
export function take(x: ArrayLike, indices: ArrayLike | NestedIndex, opts: TakeOptions = {}): Array {
  let a = toArray("take", x, 0);
  let idx = indexArg("take", indices, 1);
  let axis: number;
  if (opts.axis === undefined || opts.axis === null) {
    a = ravel(a);
    axis = 0;
  } else axis = normalizeAxis(opts.axis, a.ndim, "take");
  const size = a.shape[axis];
  const m = opts.mode ?? "fill";
  let gmode: GatherScatterMode;
  if (m === "fill" || m === "drop") {
    gmode = "fill";
    if (!isUnsigned(idx.dtype)) idx = lax.select(lax.lt(idx, 0), lax.add(idx, size), idx);
  } else if (m === "wrap") {
    idx = remainder(idx, size);
    gmode = "promise_in_bounds";
  } else if (m === "clip" || m === "promise_in_bounds") gmode = m;
  else if (m === "raise") throw new Error("NotImplementedError: The 'raise' mode to jnp.take is not supported.");
  else throw new ValueError(`Invalid mode '${String(m)}' for np.take`);

  const sliceSizes = [...a.shape];
  if (size === 0) {
    if (idx.size !== 0) throw new IndexError("Cannot do a non-empty jnp.take() from an empty axis.");
    return a;
  }
  const outShape = [...a.shape.slice(0, axis), ...idx.shape, ...a.shape.slice(axis + 1)];
  if (idx.size === 0) return zerosOf(a.dtype, a.weakType, outShape);
  sliceSizes[axis] = 1;
  const nd = idx.ndim;
  const offsetDims = [...globalThis.Array.from({ length: axis }, (_, i) => i), ...globalThis.Array.from({ length: a.ndim - axis - 1 }, (_, i) => axis + nd + i)];
  const fill = opts.fillValue;
  return lax.gather(a, lax.expandDims(idx, [nd]), {
    dimensionNumbers: new GatherDimensionNumbers(offsetDims, [axis], [axis]),
    sliceSizes,
    mode: gmode,
    fillValue: fill === undefined || fill === null ? null : Number(fill),
    uniqueIndices: opts.uniqueIndices ?? false,
    indicesAreSorted: opts.indicesAreSorted ?? false,
  });
}

export interface TakeAlongAxisOptions {
  /** "fill" (default), "clip" or "promise_in_bounds". */
  mode?: IndexMode;
  fillValue?: number | boolean | null;
}

/**
 * jnp.take_along_axis: `out[..., j, ...] = x[..., indices[..., j, ...], ...]` along `axis`
 * (null: both flattened). Other dimensions broadcast between `x` and `indices`.
 */
export function takeAlongAxis(x: ArrayLike, indices: ArrayLike | NestedIndex, axis: number | null, opts: TakeAlongAxisOptions = {}): Array {
  let a = toArray("take_along_axis", x, 0);
  let idx = indexArg("take_along_axis", indices, 1);
  if (axis === null) {
    if (idx.ndim !== 1) throw new ValueError(`take_along_axis: when axis=None, indices must have a single dimension, got shape ${shapeStr(idx.shape)}`);
    a = ravel(a);
    axis = 0;
  }
  if (idx.ndim !== a.ndim)
    throw new ValueError(`indices and arr must have the same number of dimensions; ${idx.ndim} vs. ${a.ndim}`);
  const ax = normalizeAxis(axis, a.ndim, "take_along_axis");
  const mode = parseMode(opts.mode, "take_along_axis") ?? "fill";
  const outShape = a.shape.map((d, i) => {
    if (i === ax) return idx.shape[i];
    const e = idx.shape[i];
    if (d !== e && d !== 1 && e !== 1)
      throw new ValueError(`take_along_axis: operand shape ${shapeStr(a.shape)} and indices shape ${shapeStr(idx.shape)} cannot be broadcast along dimension ${i}.`);
    return d === 1 ? e : d;
  });
  const size = a.shape[ax];
  if (isEmptyShape(outShape)) return zerosOf(a.dtype, a.weakType, outShape);
  if (size === 0) throw new IndexError("Cannot do a non-empty take_along_axis from an empty axis.");
  if (!isUnsigned(idx.dtype)) idx = lax.select(lax.lt(idx, 0), lax.add(idx, size), idx);
  if (idx.dtype !== "int32") idx = lax.convertElementType(idx, "int32");
  idx = broadcastToShape(idx, outShape, "take_along_axis");
  const full = [...outShape, 1];
  const parts = a.shape.map((d, i) => {
    if (i === ax) return lax.expandDims(idx, [a.ndim]);
    if (d === 1) return zerosOf("int32", false, full);
    return lax.broadcastedIota("int32", full, i);
  });
  const nd = a.ndim;
  return lax.gather(a, lax.concatenate(parts, nd), {
    dimensionNumbers: new GatherDimensionNumbers([], a.shape.map((_, i) => i), a.shape.map((_, i) => i)),
    sliceSizes: a.shape.map(() => 1),
    mode,
    fillValue: opts.fillValue === undefined || opts.fillValue === null ? null : Number(opts.fillValue),
  });
}

// ---- nonzero & co ---------------------------------------------------------------------------

export interface NonzeroOptions {
  /** Static number of results: truncates, or pads with `fillValue` (default 0). Required under jit. */
  size?: number | null;
  /** Padding value, one for all dimensions or one per dimension. */
  fillValue?: number | readonly number[] | null;
}

function asMask(a: Array): Array {
  return a.dtype === "bool" ? a : lax.ne(a, lax.convertElementType(0, a.dtype));
}

function checkSize(fn: string, size: number): void {
  if (!Number.isInteger(size) || size < 0) throw new ValueError(`${fn}: size must be a non-negative integer, got ${size}.`);
}

function fillValues(fn: string, fill: NonzeroOptions["fillValue"], ndim: number): number[] | null {
  if (fill === undefined || fill === null) return null;
  if (typeof fill === "number") return new globalThis.Array<number>(ndim).fill(fill);
  if (fill.length !== ndim) throw new ValueError(`${fn}: fillValue must be a scalar or a list of length ${ndim}, got length ${fill.length}.`);
  return [...fill];
}

/** jnp.nonzero: one int32 index array per dimension. Concrete input, or a static `size` (works under jit). */
export function nonzero(x: ArrayLike, opts: NonzeroOptions = {}): Array[] {
  const a = toArray("nonzero", x);
  if (a.ndim === 0) throw new ValueError("Calling nonzero on 0d arrays is not allowed. Use np.atleast_1d(scalar).nonzero() instead.");
  const size = opts.size ?? null;
  const fills = fillValues("nonzero", opts.fillValue, a.ndim);
  if (size === null) {
    const data = concreteData(a);
    if (data === null)
      // As in JAX, the value that must be concrete is the number of nonzero elements (an int32[] scalar).
      throw new ConcretizationTypeError(
        `Abstract tracer value encountered where concrete value is expected: ${tracedArrayRepr({ dtype: "int32", shape: [] })}.\n` +
          "The size argument of jnp.nonzero must be statically specified to use jnp.nonzero within JAX transformations. " +
          `The number of nonzero elements of the traced ${typeRepr(a)} argument is not known while tracing: ` +
          "pass np.nonzero(x, { size, fillValue }).",
      );
    return hostNonzero(data, a.shape).map((c) => hostInt32(c, [c.length]));
  }
  checkSize("nonzero", size);
  const n = a.size;
  let outs: Array[];
  if (size === 0) outs = a.shape.map(() => hostInt32([], [0]));
  else if (n === 0) outs = a.shape.map(() => zerosOf("int32", false, [size]));
  else {
    // flat[k] = position of the (k+1)-th true element (n when there are fewer): cumsum of a bincount of the running count.
    const counts = lax.cumsum(lax.convertElementType(ravel(asMask(a)), "int32"), 0);
    const bins = lax.scatterAdd(zerosOf("int32", false, [size]), lax.reshape(counts, [n, 1]), lax.broadcastInDim(lax.convertElementType(1, "int32"), [n], []), {
      dimensionNumbers: new ScatterDimensionNumbers([], [0], [0]),
      mode: "fill",
    });
    const flat = lax.cumsum(bins, 0);
    let stride = n;
    outs = a.shape.map((d) => {
      stride /= d;
      return lax.rem(stride === 1 ? flat : lax.div(flat, stride), d);
    });
  }
  if (fills && size > 0) {
    const total = lax.reduceSum(lax.convertElementType(ravel(asMask(a)), "int32"), [0]);
    const pad = lax.ge(lax.iota("int32", size), lax.broadcastInDim(total, [size], []));
    outs = outs.map((o, d) => lax.select(pad, lax.broadcastInDim(lax.convertElementType(fills[d], "int32"), [size], []), o));
  }
  return outs;
}

/** jnp.flatnonzero: indices of the nonzero elements of the flattened array. */
export function flatnonzero(x: ArrayLike, opts: NonzeroOptions = {}): Array {
  return nonzero(ravel(toArray("flatnonzero", x)), opts)[0];
}

/** jnp.argwhere: `[count, ndim]` coordinates of the nonzero elements. */
export function argwhere(x: ArrayLike, opts: NonzeroOptions = {}): Array {
  const a = toArray("argwhere", x);
  if (a.ndim === 0) {
    const k = nonzero(lax.reshape(a, [1]), opts)[0].shape[0];
    return zerosOf("int32", false, [k, 0]);
  }
  const cols = nonzero(a, opts);
  const k = cols[0].shape[0];
  return lax.concatenate(cols.map((c) => lax.broadcastInDim(c, [k, 1], [0])), 1);
}

// ---- select / choose / compress / extract ------------------------------------------------

function broadcastAll(fn: string, xs: Array[]): Array[] {
  const shape = broadcastShapes(...xs.map((x) => x.shape));
  return xs.map((x) => broadcastToShape(x, shape, fn));
}

/** jnp.select: `choicelist[i]` where `condlist[i]` is the first true condition, else `default`. */
export function select(condlist: readonly ArrayLike[], choicelist: readonly ArrayLike[], default_: ArrayLike = 0): Array {
  if (condlist.length !== choicelist.length)
    throw new ValueError(`condlist must have length equal to choicelist (${condlist.length} vs ${choicelist.length})`);
  if (condlist.length === 0) throw new ValueError("condlist must be non-empty");
  const conds = condlist.map((c, i) => asMask(toArray("select", c, i)));
  const choices = promoteDtypes("select", default_, ...choicelist);
  const all = broadcastAll("select", [...conds, ...choices]);
  const n = conds.length;
  let out = all[n];
  for (let i = n - 1; i >= 0; i--) out = lax.select(all[i], all[n + 1 + i], out);
  return out;
}

/** jnp.choose: `choices[a]` elementwise; mode "raise" (concrete `a` only), "wrap" or "clip". */
export function choose(a: ArrayLike, choices: readonly ArrayLike[], opts: { mode?: "raise" | "wrap" | "clip" } = {}): Array {
  let arr = toArray("choose", a, 0);
  if (!isInteger(arr.dtype)) throw new ValueError("`a` array must be integer typed");
  const N = choices.length;
  if (N === 0) throw new ValueError("choose: choices must be non-empty");
  const mode = opts.mode ?? "raise";
  if (mode === "raise") {
    const data = concreteData(arr);
    if (data === null)
      throw new ConcretizationTypeError(
        `Abstract tracer value encountered where concrete value is expected: ${tracedArrayRepr(arr)}.\n` +
          "The error occurred because np.choose was jit-compiled with mode='raise'. Use mode 'wrap' or 'clip' instead.",
      );
    for (let i = 0; i < data.length; i++) if (data[i] < 0 || data[i] >= N) throw new ValueError("invalid entry in choice array");
  } else if (mode === "wrap") arr = remainder(arr, N);
  else if (mode === "clip") arr = clip(arr, 0, N - 1);
  else throw new ValueError(`mode=${JSON.stringify(mode)} not understood. Must be 'raise', 'wrap', or 'clip'`);
  const cs = promoteDtypes("choose", ...choices);
  const [which, ...cases] = broadcastAll("choose", [arr, ...cs]);
  return lax.selectN(which, ...cases);
}

function moveAxis(x: Array, from: number, to: number): Array {
  if (from === to) return x;
  const perm = x.shape.map((_, i) => i).filter((i) => i !== from);
  perm.splice(to, 0, from);
  return lax.transpose(x, perm);
}

export interface CompressOptions {
  axis?: number | null;
  /** Static result length along `axis` (required under jit); missing entries are `fillValue` (default 0). */
  size?: number | null;
  fillValue?: number | boolean;
}

/** jnp.compress: the slices of `a` along `axis` (flattened when null) where `condition` is true. */
export function compress(condition: ArrayLike | NestedIndex, a: ArrayLike, opts: CompressOptions = {}): Array {
  let cond = globalThis.Array.isArray(condition) ? indexOrMask("compress", condition) : toArray("compress", condition, 0);
  cond = asMask(cond);
  if (cond.ndim !== 1) throw new ValueError("condition must be a 1D array");
  let arr = toArray("compress", a, 1);
  const axis = opts.axis ?? null;
  const ax = axis === null ? 0 : normalizeAxis(axis, arr.ndim, "compress");
  arr = axis === null ? ravel(arr) : moveAxis(arr, ax, 0);
  const n0 = arr.shape[0];
  if (cond.shape[0] > n0) {
    const extra = concreteData(lax.sliceInDim(cond, n0, cond.shape[0]));
    if (extra && globalThis.Array.prototype.some.call(extra, (v: number) => v !== 0)) throw new ValueError("condition contains entries that are out of bounds");
    cond = lax.sliceInDim(cond, 0, n0);
  } else if (cond.shape[0] < n0) arr = lax.sliceInDim(arr, 0, cond.shape[0]);
  let result: Array;
  if (opts.size === undefined || opts.size === null) result = getItem(arr, [cond]);
  else {
    const size = opts.size;
    checkSize("compress", size);
    const rest = arr.shape.slice(1);
    if (size === 0 || arr.shape[0] === 0) result = zerosOf(arr.dtype, arr.weakType, [size, ...rest]);
    else {
      const idx = nonzero(cond, { size })[0];
      const g = take(arr, idx, { axis: 0, mode: "clip" });
      const total = lax.reduceSum(lax.convertElementType(cond, "int32"), [0]);
      const valid = lax.broadcastInDim(lax.lt(lax.iota("int32", size), lax.broadcastInDim(total, [size], [])), [size, ...rest], [0]);
      const fill = lax.broadcastInDim(lax.convertElementType(opts.fillValue ?? 0, arr.dtype), [size, ...rest], []);
      result = lax.select(valid, g, fill);
    }
  }
  return axis === null ? result : moveAxis(result, 0, ax);
}

function indexOrMask(fn: string, list: readonly unknown[]): Array {
  const { shape, leaves } = flattenNested(list, fn);
  if (!leaves.every((e) => typeof e === "number" || typeof e === "boolean")) throw new TypeError(`${fn}: expected numbers or booleans.`);
  const allBool = leaves.length > 0 && leaves.every((e) => typeof e === "boolean");
  return fromHostData(leaves.map(Number), shape, allBool ? "bool" : leaves.every((e) => Number.isInteger(Number(e))) ? "int32" : "float32");
}

/** jnp.extract: the elements of `arr` where `condition` is true (both flattened). */
export function extract(condition: ArrayLike | NestedIndex, arr: ArrayLike, opts: { size?: number | null; fillValue?: number | boolean } = {}): Array {
  const c = globalThis.Array.isArray(condition) ? indexOrMask("extract", condition) : toArray("extract", condition, 0);
  return compress(ravel(c), ravel(toArray("extract", arr, 1)), { size: opts.size, fillValue: opts.fillValue });
}

// ---- index helpers --------------------------------------------------------------------------

/** jnp.diag_indices: `ndim` copies of arange(n). */
export function diagIndices(n: number, ndim = 2): Array[] {
  if (!Number.isInteger(n) || n < 0) throw new ValueError(`n argument to diag_indices must be nonnegative, got ${n}`);
  if (!Number.isInteger(ndim) || ndim < 0) throw new ValueError(`ndim argument to diag_indices must be nonnegative, got ${ndim}`);
  const i = lax.iota("int32", n);
  return new globalThis.Array<Array>(ndim).fill(i);
}

/** jnp.diag_indices_from: diagIndices for a square array of any rank >= 2. */
export function diagIndicesFrom(x: Array): Array[] {
  if (x.ndim < 2) throw new ValueError("input array must be at least 2-d");
  if (x.shape.some((d) => d !== x.shape[0])) throw new ValueError("All dimensions of input must be of equal length");
  return diagIndices(x.shape[0], x.ndim);
}

function triIndices(fn: string, n: number, k: number, m: number | null | undefined, lower: boolean): [Array, Array] {
  const M = m ?? n;
  for (const [name, v] of [["n", n], ["m", M], ["k", k]] as const)
    if (!Number.isInteger(v)) throw new TypeError(`${fn}: ${name} must be an integer, got ${v}.`);
  const rows: number[] = [], cols: number[] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < M; j++)
      if (lower ? j <= i + k : j >= i + k) rows.push(i), cols.push(j);
  return [hostInt32(rows, [rows.length]), hostInt32(cols, [cols.length])];
}

/** jnp.tril_indices(n, k=0, m=n): row and column indices of the lower triangle. */
export function trilIndices(n: number, k = 0, m?: number | null): [Array, Array] {
  return triIndices("tril_indices", n, k, m, true);
}
/** jnp.triu_indices(n, k=0, m=n): row and column indices of the upper triangle. */
export function triuIndices(n: number, k = 0, m?: number | null): [Array, Array] {
  return triIndices("triu_indices", n, k, m, false);
}
export function trilIndicesFrom(x: Array, k = 0): [Array, Array] {
  if (x.ndim !== 2) throw new ValueError("input array must be 2-d");
  return trilIndices(x.shape[0], k, x.shape[1]);
}
export function triuIndicesFrom(x: Array, k = 0): [Array, Array] {
  if (x.ndim !== 2) throw new ValueError("input array must be 2-d");
  return triuIndices(x.shape[0], k, x.shape[1]);
}

/**
 * jnp.unravel_index: coordinates of flat `indices` in an array of `shape`. As in JAX,
 * out-of-range indices are clamped (numpy raises), and negative ones count from the end.
 */
export function unravelIndex(indices: ArrayLike | NestedIndex, shape: number | readonly number[]): Array[] {
  let idx = indexArg("unravel_index", indices, 0);
  const dims = typeof shape === "number" ? [shape] : [...shape];
  if (!dims.every((d) => Number.isInteger(d) && d >= 0)) throw new ValueError("unravel_index: shape should be a scalar or 1D sequence.");
  const out: Array[] = new globalThis.Array(dims.length);
  for (let i = dims.length - 1; i >= 0; i--) [idx, out[i]] = divmod(idx, dims[i]);
  const oobPos = lax.gt(idx, 0);
  const oobNeg = lax.lt(idx, -1);
  return dims.map((s, i) => {
    const o = out[i];
    const c = (v: number) => lax.broadcastInDim(lax.convertElementType(v, o.dtype, o.weakType), o.shape, []);
    return lax.select(oobPos, c(s - 1), lax.select(oobNeg, c(0), o));
  });
}

/** jnp.ravel_multi_index: flat indices from coordinate arrays. mode "raise" (concrete only), "wrap" or "clip"; order "C" or "F". */
export function ravelMultiIndex(
  multiIndex: readonly (ArrayLike | NestedIndex)[],
  dims: readonly number[],
  opts: { mode?: "raise" | "wrap" | "clip"; order?: "C" | "F" } = {},
): Array {
  if (multiIndex.length !== dims.length) throw new ValueError(`len(multi_index)=${multiIndex.length} != len(dims)=${dims.length}`);
  if (!dims.every((d) => Number.isInteger(d) && d >= 0)) throw new TypeError(`ravel_multi_index: dims must be non-negative integers, got ${shapeStr(dims)}.`);
  const mode = opts.mode ?? "raise";
  let idx = multiIndex.map((m, i) => {
    const a = globalThis.Array.isArray(m) ? indexOrMask("ravel_multi_index", m) : toArray("ravel_multi_index", m, i);
    if (!isInteger(a.dtype)) throw new TypeError("only int indices permitted");
    return a;
  });
  if (idx.length > 1) idx = broadcastAll("ravel_multi_index", idx);
  if (mode === "raise") {
    idx.forEach((a, k) => {
      const data = concreteData(a);
      if (data === null)
        throw new ConcretizationTypeError(
          `Abstract tracer value encountered where concrete value is expected: ${tracedArrayRepr(a)}.\n` +
            "The error occurred because ravel_multi_index was jit-compiled with mode='raise'. Use mode 'wrap' or 'clip' instead.",
        );
      for (let i = 0; i < data.length; i++) if (data[i] < 0 || data[i] >= dims[k]) throw new ValueError("invalid entry in coordinates array");
    });
  } else if (mode === "clip") idx = idx.map((a, k) => clip(a, 0, dims[k] - 1));
  else if (mode === "wrap") idx = idx.map((a, k) => remainder(a, dims[k]));
  else throw new ValueError(`invalid mode=${JSON.stringify(mode)}. Expected 'raise', 'wrap', or 'clip'`);
  const order = opts.order ?? "C";
  if (order !== "C" && order !== "F") throw new ValueError(`invalid order=${JSON.stringify(order)}. Expected 'C' or 'F'`);
  const strides = dims.map((_, i) => (order === "C" ? dims.slice(i + 1) : dims.slice(0, i)).reduce((p, d) => p * d, 1));
  let result: Array = lax.convertElementType(0, idx.length ? idx[0].dtype : "int32");
  idx.forEach((a, i) => (result = add(result, multiply(a, strides[i]))));
  return result;
}
