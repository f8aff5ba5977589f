/**
 * Shape manipulation jnp functions (reshape, transpose, concatenate/stack/split, tile/repeat,
 * broadcast_to, flip/roll/rot90, pad, where, diag/diagonal/trace, meshgrid, …), written only in
 * terms of lax ops so they trace as JAX's do: reshape binds `reshape`, expand_dims binds
 * `broadcast_in_dim`, stack is expand_dims of each operand + one `concatenate`. Sizes, axes,
 * shifts and repeat counts are static JS numbers; nothing reads array data back.
 */
import { type Array } from "../core/tracer.js";
import { type DType, isBool } from "../core/dtype.js";
import { ValueError } from "../core/errors.js";
import { broadcastShapes, normalizeAxis, normalizeAxes, shapeStr } from "../core/shape_util.js";
import { GatherDimensionNumbers } from "../core/primitives.js";
import * as lax from "../lax/lax.js";
import { isArray } from "../lax/lax.js";
import { eye, array as npArray } from "./creation.js";
import { multiply as npMultiply, remainder as npRemainder, subtract as npSubtract } from "./ufuncs.js";
import { type ArrayLike, checkArrayLike, promoteDtypes, toArray } from "./util.js";
import { nonzero } from "./indexing.js";

export { broadcastShapes };

const JsArray = globalThis.Array;
const range = (n: number, start = 0): number[] => JsArray.from({ length: Math.max(0, n) }, (_, i) => i + start);
const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);
const fmt = shapeStr;

function checkInt(fn: string, what: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v))
    throw new TypeError(`${fn}: ${what} must be a static JS integer, got ${isArray(v) ? "an Array (pass it as a static value)" : String(v)}.`);
  return v;
}

function shapeArg(fn: string, s: number | readonly number[]): number[] {
  const out = typeof s === "number" ? [s] : [...s];
  out.forEach((d) => checkInt(fn, "shape entries", d));
  return out;
}

// ---- shape queries -----------------------------------------------------------------

/** np.shape(x): the shape as a JS array (`[]` for JS scalars). */
export function shape(x: ArrayLike): number[] {
  checkArrayLike("shape", x, 0);
  return isArray(x) ? [...x.shape] : [];
}
/** np.ndim(x). */
export function ndim(x: ArrayLike): number {
  checkArrayLike("ndim", x, 0);
  return isArray(x) ? x.ndim : 0;
}
/** np.size(x, axis?): number of elements (along `axis` when given). */
export function size(x: ArrayLike, axis?: number | null): number {
  checkArrayLike("size", x, 0);
  const s = isArray(x) ? x.shape : [];
  if (axis === undefined || axis === null) return prod(s);
  return s[normalizeAxis(axis, s.length, "size")];
}

// ---- reshape and axis permutations --------------------------------------------------

/** JAX's _compute_newshape: one -1 entry is inferred; sizes must match. */
function computeNewShape(a: Array, newShape: number | readonly number[]): number[] {
  const req = shapeArg("reshape", newShape);
  const orig = fmt(req);
  if (req.some((d) => d < -1)) throw new ValueError(`reshape: negative dimensions are not allowed (other than a single -1), got shape ${orig}.`);
  const neg = req.flatMap((d, i) => (d === -1 ? [i] : []));
  if (neg.length > 1) throw new ValueError("can only specify one unknown dimension");
  if (neg.length === 1) {
    const others = prod(req.filter((d) => d !== -1));
    if (others === 0 || a.size % others !== 0)
      throw new TypeError(
        `cannot reshape array of shape ${fmt(a.shape)} (size ${a.size}) into shape ${orig} because the product of specified axis sizes (${others}) does not evenly divide ${a.size}`,
      );
    return req.map((d) => (d === -1 ? a.size / others : d));
  }
  if (prod(req) !== a.size)
    throw new TypeError(`cannot reshape array of shape ${fmt(a.shape)} (size ${a.size}) into shape ${orig} (size ${prod(req)})`);
  return req;
}

/** jnp.reshape(x, shape): row-major; one entry may be -1. Binds `reshape[dimensions=None new_sizes=(...)]`. */
export function reshape(x: ArrayLike, newShape: number | readonly number[]): Array {
  const a = toArray("reshape", x);
  return lax.reshape(a, computeNewShape(a, newShape));
}

/** jnp.ravel(x): the flattened array (row-major). */
export function ravel(x: ArrayLike): Array {
  const a = toArray("ravel", x);
  return lax.reshape(a, [a.size]);
}

/** jnp.transpose(x, axes?): reverses the axes by default. */
export function transpose(x: ArrayLike, axes?: readonly number[] | null): Array {
  const a = toArray("transpose", x);
  const n = a.ndim;
  if (axes === undefined || axes === null) return lax.transpose(a, range(n).reverse());
  const perm = axes.map((ax) => normalizeAxis(checkInt("transpose", "axes", ax), n, "transpose"));
  if (perm.length !== n) throw new ValueError(`transpose: axes don't match array: got axes ${fmt(axes)} for an array of shape ${fmt(a.shape)}.`);
  if (new Set(perm).size !== n) throw new ValueError(`transpose: repeated axis in transpose: axes=${fmt(axes)}.`);
  return lax.transpose(a, perm);
}

/** jnp.permute_dims(x, axes) (the array API's transpose; `axes` required). */
export function permuteDims(x: ArrayLike, axes: readonly number[]): Array {
  return transpose(x, axes);
}

/** jnp.matrix_transpose(x): swap the last two axes. */
export function matrixTranspose(x: ArrayLike): Array {
  const a = toArray("matrix_transpose", x);
  if (a.ndim < 2) throw new ValueError(`x must be at least two-dimensional for matrix_transpose; got ndim=${a.ndim}`);
  const perm = range(a.ndim);
  [perm[a.ndim - 2], perm[a.ndim - 1]] = [perm[a.ndim - 1], perm[a.ndim - 2]];
  return lax.transpose(a, perm);
}

/** jnp.swapaxes(x, axis1, axis2). */
export function swapaxes(x: ArrayLike, axis1: number, axis2: number): Array {
  const a = toArray("swapaxes", x);
  const i = normalizeAxis(axis1, a.ndim, "swapaxes");
  const j = normalizeAxis(axis2, a.ndim, "swapaxes");
  const perm = range(a.ndim);
  [perm[i], perm[j]] = [perm[j], perm[i]];
  return lax.transpose(a, perm);
}

/** jnp.moveaxis(x, source, destination): move axes to new positions, the others keep their order. */
export function moveaxis(x: ArrayLike, source: number | readonly number[], destination: number | readonly number[]): Array {
  const a = toArray("moveaxis", x);
  const src = (typeof source === "number" ? [source] : [...source]).map((s) => normalizeAxis(s, a.ndim, "moveaxis"));
  const dst = (typeof destination === "number" ? [destination] : [...destination]).map((d) => normalizeAxis(d, a.ndim, "moveaxis"));
  if (src.length !== dst.length) throw new ValueError(`moveaxis: Inconsistent number of elements: ${src.length} vs ${dst.length}`);
  if (new Set(src).size !== src.length) throw new ValueError(`moveaxis: repeated axis in \`source\` argument: ${fmt(src)}`);
  if (new Set(dst).size !== dst.length) throw new ValueError(`moveaxis: repeated axis in \`destination\` argument: ${fmt(dst)}`);
  const perm = range(a.ndim).filter((i) => !src.includes(i));
  const pairs = dst.map((d, k) => [d, src[k]] as const).sort((p, q) => p[0] - q[0]);
  for (const [d, s] of pairs) perm.splice(d, 0, s);
  return lax.transpose(a, perm);
}

/** jnp.expand_dims(x, axis): insert size-1 axes (positions in the result), via broadcast_in_dim. */
export function expandDims(x: ArrayLike, axis: number | readonly number[]): Array {
  const a = toArray("expand_dims", x);
  const axes = typeof axis === "number" ? [axis] : [...axis];
  const nd = a.ndim + axes.length;
  const dims = axes.map((ax) => normalizeAxis(checkInt("expand_dims", "axis", ax), nd, "expand_dims"));
  if (new Set(dims).size !== dims.length) throw new ValueError(`repeated axis in expand_dims: ${fmt(dims)}`);
  return lax.expandDims(a, dims);
}

/** jnp.squeeze(x, axis?): remove size-1 axes (all of them by default). */
export function squeeze(x: ArrayLike, axis?: number | readonly number[] | null): Array {
  const a = toArray("squeeze", x);
  const dims = axis === undefined || axis === null ? a.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normalizeAxes(axis, a.ndim, "squeeze");
  return lax.squeeze(a, dims);
}

// ---- broadcasting -------------------------------------------------------------------

/** jnp.broadcast_to(x, shape): one broadcast_in_dim (as JAX's _broadcast_to). */
export function broadcastTo(x: ArrayLike, newShape: number | readonly number[]): Array {
  const a = toArray("broadcast_to", x);
  const s = shapeArg("broadcast_to", newShape);
  if (s.some((d) => d < 0)) throw new ValueError(`broadcast_to: shape must be non-negative, got ${fmt(s)}.`);
  if (a.ndim === s.length && a.shape.every((d, i) => d === s[i])) return a;
  if (s.length < a.ndim) throw new ValueError(`Cannot broadcast to shape with fewer dimensions: arr_shape=${fmt(a.shape)} shape=${fmt(s)}`);
  const lead = s.length - a.ndim;
  if (!a.shape.every((d, i) => d === 1 || d === s[lead + i]))
    throw new ValueError(`Incompatible shapes for broadcasting: ${fmt(a.shape)} and requested shape ${fmt(s)}`);
  return lax.broadcastInDim(a, s, range(a.ndim, lead));
}

/** jnp.broadcast_arrays(...xs): every argument broadcast to the common shape. */
export function broadcastArrays(...xs: ArrayLike[]): Array[] {
  xs.forEach((x, i) => checkArrayLike("broadcast_arrays", x, i));
  const arrs = xs.map((x) => lax.asArray(x));
  if (arrs.every((a) => a.ndim === arrs[0].ndim && a.shape.every((d, i) => d === arrs[0].shape[i]))) return arrs;
  const s = broadcastShapes(...arrs.map((a) => a.shape));
  return arrs.map((a) => broadcastTo(a, s));
}

// ---- joining --------------------------------------------------------------------------

export interface ConcatenateOpts {
  /** Axis to join along; `null` flattens every input first. Default 0. */
  axis?: number | null;
  dtype?: DType;
}

/** JAX's _concatenate_array: concatenating the leading-axis slices of one array. */
function concatenateArray(arr: Array, axis: number | null, dtype?: DType): Array {
  if (axis === null) return ravel(dtype ? lax.convertElementType(arr, dtype) : arr);
  if (arr.ndim === 0 || arr.shape[0] === 0) throw new ValueError("Need at least one array to concatenate.");
  if (arr.ndim === 1) throw new ValueError("Zero-dimensional arrays cannot be concatenated.");
  const ax = normalizeAxis(axis, arr.ndim - 1, "concatenate");
  const a = dtype ? lax.convertElementType(arr, dtype) : arr;
  const moved = lax.transpose(a, [...range(ax, 1), 0, ...range(a.ndim - ax - 1, ax + 1)]);
  const s = [...moved.shape];
  s.splice(ax, 2, s[ax] * s[ax + 1]);
  return lax.reshape(moved, s);
}

/**
 * jnp.concatenate(arrays, {axis=0, dtype}): inputs are promoted together (JAX's promote_dtypes)
 * and joined with one `concatenate` (a tree of them past 16 operands, as JAX does).
 */
export function concatenate(arrays: readonly ArrayLike[] | Array, opts: ConcatenateOpts = {}): Array {
  const axis = opts.axis === undefined ? 0 : opts.axis;
  if (isArray(arrays)) return concatenateArray(arrays, axis, opts.dtype);
  if (!JsArray.isArray(arrays)) throw new TypeError(`concatenate: expected a list of arrays, got ${lax.describe(arrays)}.`);
  arrays.forEach((a, i) => checkArrayLike("concatenate", a, i));
  if (arrays.length === 0) throw new ValueError("Need at least one array to concatenate.");
  if (ndim(arrays[0]) === 0) throw new ValueError("Zero-dimensional arrays cannot be concatenated.");
  if (axis === null) return concatenate(arrays.map((a) => ravel(a)), { axis: 0, dtype: opts.dtype });
  const ax = normalizeAxis(axis, ndim(arrays[0]), "concatenate");
  let outs = opts.dtype ? arrays.map((a) => lax.convertElementType(lax.asArray(a), opts.dtype!)) : promoteDtypes("concatenate", ...arrays);
  const k = 16;
  while (outs.length > 1) {
    const next: Array[] = [];
    for (let i = 0; i < outs.length; i += k) next.push(lax.concatenate(outs.slice(i, i + k), ax));
    outs = next;
  }
  return outs[0];
}

export interface AxisDtypeOpts {
  axis?: number;
  dtype?: DType;
}

/** jnp.stack(arrays, {axis=0}): expand_dims each (broadcast_in_dim), then one concatenate. */
export function stack(arrays: readonly ArrayLike[] | Array, opts: AxisDtypeOpts = {}): Array {
  const axis = opts.axis ?? 0;
  if (isArray(arrays)) {
    if (arrays.ndim === 0 || arrays.shape[0] === 0) throw new ValueError("Need at least one array to stack.");
    const ax = normalizeAxis(axis, arrays.ndim, "stack");
    return moveaxis(opts.dtype ? lax.convertElementType(arrays, opts.dtype) : arrays, 0, ax);
  }
  if (!JsArray.isArray(arrays)) throw new TypeError(`stack: expected a list of arrays, got ${lax.describe(arrays)}.`);
  if (arrays.length === 0) throw new ValueError("Need at least one array to stack.");
  arrays.forEach((a, i) => checkArrayLike("stack", a, i));
  const s0 = shape(arrays[0]);
  const ax = normalizeAxis(axis, s0.length + 1, "stack");
  const expanded = arrays.map((a) => {
    const s = shape(a);
    if (s.length !== s0.length || s.some((d, i) => d !== s0[i]))
      throw new ValueError(`All input arrays must have the same shape; got ${arrays.map((b) => fmt(shape(b))).join(", ")}.`);
    return lax.expandDims(a, [ax]);
  });
  return concatenate(expanded, { axis: ax, dtype: opts.dtype });
}

type Atleast = { (x: ArrayLike): Array; (...xs: ArrayLike[]): Array[] };

function atleastOne(fn: string, nd: 1 | 2 | 3, x: ArrayLike): Array {
  const a = toArray(fn, x);
  if (a.ndim >= nd) return a;
  if (nd === 3) return lax.expandDims(a, a.ndim === 0 ? [0, 1, 2] : a.ndim === 1 ? [0, 2] : [2]);
  return lax.expandDims(a, range(nd - a.ndim));
}
const atleast = (fn: string, nd: 1 | 2 | 3): Atleast =>
  ((...xs: ArrayLike[]) => {
    xs.forEach((x, i) => checkArrayLike(fn, x, i));
    return xs.length === 1 ? atleastOne(fn, nd, xs[0]) : xs.map((x) => atleastOne(fn, nd, x));
  }) as Atleast;

/** jnp.atleast_1d(x) (a list for several arguments). */
export const atleast1d = atleast("atleast_1d", 1);
/** jnp.atleast_2d(x): leading size-1 axes. */
export const atleast2d = atleast("atleast_2d", 2);
/** jnp.atleast_3d(x): (N,) -> (1, N, 1), (M, N) -> (M, N, 1). */
export const atleast3d = atleast("atleast_3d", 3);

/** Element shape of `atleast_nd` applied to an array of shape `s`. */
function atleastShape(s: readonly number[], nd: 1 | 2 | 3): number[] {
  if (s.length >= nd) return [...s];
  if (nd === 3) return s.length === 0 ? [1, 1, 1] : s.length === 1 ? [1, s[0], 1] : [...s, 1];
  return [...new JsArray<number>(nd - s.length).fill(1), ...s];
}

function stackVariant(fn: string, nd: 1 | 2 | 3, tup: readonly ArrayLike[] | Array, axisFor: (elemNdim: number) => number, dtype?: DType): Array {
  if (isArray(tup)) {
    if (tup.ndim === 0) throw new ValueError(`${fn}: expected a sequence of arrays or an array of ndim >= 1, got a 0-d array.`);
    const elem = atleastShape(tup.shape.slice(1), nd);
    return concatenateArray(lax.reshape(tup, [tup.shape[0], ...elem]), axisFor(elem.length), dtype);
  }
  if (!JsArray.isArray(tup)) throw new TypeError(`${fn}: expected a list of arrays, got ${lax.describe(tup)}.`);
  tup.forEach((a, i) => checkArrayLike(fn, a, i));
  if (tup.length === 0) throw new ValueError("Need at least one array to concatenate.");
  const arrs = tup.map((a) => atleastOne(fn, nd, a));
  return concatenate(arrs, { axis: axisFor(arrs[0].ndim), dtype });
}

/** jnp.hstack: along axis 1 (axis 0 for 1-D inputs). */
export function hstack(tup: readonly ArrayLike[] | Array, opts: { dtype?: DType } = {}): Array {
  return stackVariant("hstack", 1, tup, (n) => (n === 1 ? 0 : 1), opts.dtype);
}
/** jnp.vstack: along axis 0 after atleast_2d. */
export function vstack(tup: readonly ArrayLike[] | Array, opts: { dtype?: DType } = {}): Array {
  return stackVariant("vstack", 2, tup, () => 0, opts.dtype);
}
/** jnp.dstack: along axis 2 after atleast_3d. */
export function dstack(tup: readonly ArrayLike[] | Array, opts: { dtype?: DType } = {}): Array {
  return stackVariant("dstack", 3, tup, () => 2, opts.dtype);
}
/** jnp.column_stack: 1-D inputs become columns; joined along axis 1. */
export function columnStack(tup: readonly ArrayLike[] | Array): Array {
  if (isArray(tup)) {
    if (tup.ndim === 0) throw new ValueError("column_stack: expected a sequence of arrays or an array of ndim >= 1, got a 0-d array.");
    const rest = tup.shape.slice(1);
    const elem = rest.length === 0 ? [1, 1] : rest.length === 1 ? [rest[0], 1] : rest;
    return concatenateArray(lax.reshape(tup, [tup.shape[0], ...elem]), 1);
  }
  if (!JsArray.isArray(tup)) throw new TypeError(`column_stack: expected a list of arrays, got ${lax.describe(tup)}.`);
  tup.forEach((a, i) => checkArrayLike("column_stack", a, i));
  const arrs = tup.map((v) => {
    const a = lax.asArray(v);
    return a.ndim < 2 ? transpose(atleastOne("column_stack", 2, a)) : a;
  });
  return concatenate(arrs, { axis: 1 });
}

/** jnp.append(arr, values, {axis}): flattens both when axis is null (the default). */
export function append(arr: ArrayLike, values: ArrayLike, opts: { axis?: number | null } = {}): Array {
  checkArrayLike("append", arr, 0);
  checkArrayLike("append", values, 1);
  const axis = opts.axis ?? null;
  if (axis === null) return concatenate([ravel(arr), ravel(values)], { axis: 0 });
  return concatenate([arr, values], { axis });
}

// ---- splitting ------------------------------------------------------------------------

/** x[start:stop] along `axis` with Python slice semantics (negative indices, clamping). */
function sliceAxis(a: Array, start: number, stop: number, axis: number): Array {
  const n = a.shape[axis];
  const norm = (i: number) => (i < 0 ? Math.max(0, i + n) : Math.min(i, n));
  const s = norm(start);
  const e = Math.max(s, norm(stop));
  if (s === 0 && e === n) return a;
  const starts = a.shape.map(() => 0);
  const limits = [...a.shape];
  starts[axis] = s;
  limits[axis] = e;
  return lax.slice(a, starts, limits);
}

export interface SplitOpts {
  axis?: number;
}

function splitImpl(fn: string, x: ArrayLike, indicesOrSections: number | readonly number[], axis: number): Array[] {
  const a = toArray(fn, x);
  const ax = normalizeAxis(checkInt(fn, "axis", axis), a.ndim, fn);
  const n = a.shape[ax];
  if (typeof indicesOrSections !== "number") {
    if (!JsArray.isArray(indicesOrSections)) throw new TypeError(`${fn}: indices_or_sections must be a JS integer or a list of JS integers.`);
    const idx = [0, ...indicesOrSections.map((i) => checkInt(fn, "split indices", i)), n];
    return idx.slice(1).map((stop, k) => sliceAxis(a, idx[k], stop, ax));
  }
  const sections = checkInt(fn, "indices_or_sections", indicesOrSections);
  if (sections <= 0) throw new ValueError(`${fn}: number sections must be larger than 0, got ${sections}.`);
  const part = Math.floor(n / sections);
  const r = n % sections;
  let sizes: number[];
  if (r === 0) sizes = new JsArray<number>(sections).fill(part);
  else if (fn === "array_split") sizes = [...new JsArray<number>(r).fill(part + 1), ...new JsArray<number>(sections - r).fill(part)];
  else throw new ValueError(`array split does not result in an equal division: rest is ${r}`);
  const out: Array[] = [];
  let start = 0;
  for (const s of sizes) {
    out.push(sections === 1 ? a : sliceAxis(a, start, start + s, ax));
    start += s;
  }
  return out;
}

/** jnp.split(x, sections | indices, {axis=0}): equal sections (else an error) or split points. */
export function split(x: ArrayLike, indicesOrSections: number | readonly number[], opts: SplitOpts = {}): Array[] {
  return splitImpl("split", x, indicesOrSections, opts.axis ?? 0);
}
/** jnp.array_split: like split, but sections may be unequal (the first ones one longer). */
export function arraySplit(x: ArrayLike, indicesOrSections: number | readonly number[], opts: SplitOpts = {}): Array[] {
  return splitImpl("array_split", x, indicesOrSections, opts.axis ?? 0);
}
/** jnp.hsplit: along axis 1 (axis 0 for 1-D arrays). */
export function hsplit(x: ArrayLike, indicesOrSections: number | readonly number[]): Array[] {
  return splitImpl("hsplit", x, indicesOrSections, ndim(x) === 1 ? 0 : 1);
}
/** jnp.vsplit: along axis 0. */
export function vsplit(x: ArrayLike, indicesOrSections: number | readonly number[]): Array[] {
  if (ndim(x) < 2) throw new ValueError("vsplit only works on arrays of 2 or more dimensions");
  return splitImpl("vsplit", x, indicesOrSections, 0);
}
/** jnp.dsplit: along axis 2. */
export function dsplit(x: ArrayLike, indicesOrSections: number | readonly number[]): Array[] {
  if (ndim(x) < 3) throw new ValueError("dsplit only works on arrays of 3 or more dimensions");
  return splitImpl("dsplit", x, indicesOrSections, 2);
}

// ---- tiling and repetition --------------------------------------------------------------

/** jnp.tile(x, reps): reshape to interleaved 1s, broadcast, reshape back (as JAX). */
export function tile(x: ArrayLike, reps: number | readonly number[]): Array {
  const a = toArray("tile", x);
  if (typeof reps !== "number" && !JsArray.isArray(reps)) throw new TypeError(`tile: reps must be a static JS integer or a JS list of integers, got ${lax.describe(reps)}.`);
  let r = (typeof reps === "number" ? [reps] : [...reps]).map((v) => checkInt("tile", "reps", v));
  if (r.some((v) => v < 0)) throw new ValueError(`tile: reps must be non-negative, got ${fmt(r)}.`);
  const aShape = [...new JsArray<number>(Math.max(0, r.length - a.ndim)).fill(1), ...a.shape];
  r = [...new JsArray<number>(aShape.length - r.length).fill(1), ...r];
  const inter = lax.reshape(a, aShape.flatMap((d) => [1, d]));
  const b = broadcastTo(inter, aShape.flatMap((d, i) => [r[i], d]));
  return lax.reshape(b, aShape.map((d, i) => d * r[i]));
}

/** A constant int32 index vector of shape [n, 1] (gather start indices). */
function constIndices(idx: readonly number[]): Array {
  return lax.reshape(npArray(Int32Array.from(idx)), [idx.length, 1]);
}

/** jnp.take(a, idx, axis) for a static in-range index list: one gather, as JAX's take. */
function takeStatic(a: Array, idx: readonly number[], axis: number): Array {
  const sliceSizes = [...a.shape];
  sliceSizes[axis] = 1;
  const offsetDims = [...range(axis), ...range(a.ndim - 1 - axis, axis + 1)];
  return lax.gather(a, constIndices(idx), {
    dimensionNumbers: new GatherDimensionNumbers(offsetDims, [axis], [axis]),
    sliceSizes,
    mode: "fill",
  });
}

export interface RepeatOpts {
  /** Axis to repeat along; null (default) flattens first. */
  axis?: number | null;
}

/** jnp.repeat(x, repeats, {axis}): `repeats` is a JS integer or a JS list of integers (static). */
export function repeat(x: ArrayLike, repeats: number | readonly number[], opts: RepeatOpts = {}): Array {
  let a = toArray("repeat", x);
  let axis = opts.axis ?? null;
  if (axis === null) {
    a = ravel(a);
    axis = 0;
  }
  if (typeof repeats === "number") {
    checkInt("repeat", "repeats", repeats);
    if (repeats < 0) throw new ValueError("repeat: repeats may not contain negative values.");
    const ax = normalizeAxis(axis, a.ndim, "repeat");
    const e = lax.expandDims(a, [ax + 1]);
    const reps = new JsArray<number>(e.ndim).fill(1);
    reps[ax + 1] = repeats;
    const out = [...a.shape];
    out[ax] *= repeats;
    return lax.reshape(tile(e, reps), out);
  }
  if (!JsArray.isArray(repeats)) throw new TypeError("repeat: repeats must be a JS integer or a JS list of integers (Arrays are not static).");
  let reps = repeats.map((v) => checkInt("repeat", "repeats", v));
  if (reps.some((v) => v < 0)) throw new ValueError("repeat: repeats may not contain negative values.");
  if (a.ndim === 0) {
    if (reps.length !== 1)
      throw new ValueError("`repeat` with a scalar parameter `a` is only implemented for scalar values of the parameter `repeats`.");
    return lax.broadcastInDim(a, [reps[0]], []);
  }
  const ax = normalizeAxis(axis, a.ndim, "repeat");
  const n = a.shape[ax];
  if (reps.length === 1) reps = new JsArray<number>(n).fill(reps[0]);
  if (reps.length !== n)
    throw new ValueError(`repeat: repeats has length ${reps.length}, which cannot be broadcast to the size ${n} of axis ${ax} of an array of shape ${fmt(a.shape)}.`);
  const total = reps.reduce((s, v) => s + v, 0);
  if (total === 0) return sliceAxis(a, 0, 0, ax);
  if (n === 0) return a;
  return takeStatic(a, reps.flatMap((r, i) => new JsArray<number>(r).fill(i)), ax);
}

// ---- reversal and rotation -------------------------------------------------------------

/** jnp.flip(x, axis?): reverse along the given axes (all by default). */
export function flip(x: ArrayLike, axis?: number | readonly number[] | null): Array {
  const a = toArray("flip", x);
  const dims = axis === undefined || axis === null ? range(a.ndim) : (typeof axis === "number" ? [axis] : [...axis]).map((ax) => normalizeAxis(ax, a.ndim, "flip"));
  return lax.rev(a, dims);
}
/** jnp.fliplr: reverse axis 1. */
export function fliplr(x: ArrayLike): Array {
  const a = toArray("fliplr", x);
  if (a.ndim < 2) throw new ValueError(`fliplr: input must be at least 2-d, got shape ${fmt(a.shape)}.`);
  return lax.rev(a, [1]);
}
/** jnp.flipud: reverse axis 0. */
export function flipud(x: ArrayLike): Array {
  const a = toArray("flipud", x);
  if (a.ndim < 1) throw new ValueError("flipud: input must be at least 1-d, got shape ().");
  return lax.rev(a, [0]);
}

export interface RollOpts {
  /** Axes to roll along; null (default) rolls the flattened array. */
  axis?: number | readonly number[] | null;
}

/**
 * jnp.roll(x, shift, {axis}): static shifts are two slices and a concatenate per axis; an Array
 * shift (0-d or 1-d) uses dynamic_slice of the array concatenated with itself, as JAX does.
 */
export function roll(x: ArrayLike, shift: number | readonly number[] | Array, opts: RollOpts = {}): Array {
  const a = toArray("roll", x);
  const axisOpt = opts.axis ?? null;
  if (axisOpt === null) return lax.reshape(roll(ravel(a), shift, { axis: 0 }), a.shape);
  const axes = (typeof axisOpt === "number" ? [axisOpt] : [...axisOpt]).map((ax) => normalizeAxis(ax, a.ndim, "roll"));
  if (isArray(shift)) {
    if (shift.ndim > 1) throw new ValueError(`roll: shift must be a scalar or 1-D, got shape ${fmt(shift.shape)}.`);
    const n = shift.ndim === 0 ? 1 : shift.shape[0];
    if (!(axes.length === n || axes.length === 1 || n === 1)) throw new ValueError(`roll: shift of shape ${fmt(shift.shape)} does not match axis ${fmt(axes)}.`);
    const count = Math.max(n, axes.length);
    let out = a;
    for (let j = 0; j < count; j++) {
      const ax = axes[axes.length === 1 ? 0 : j];
      const sj = shift.ndim === 0 ? shift : lax.reshape(lax.slice(shift, [n === 1 ? 0 : j], [n === 1 ? 1 : j + 1]), []);
      const size = out.shape[ax];
      const si = npRemainder(lax.convertElementType(sj, "int32"), Math.max(size, 1));
      const cat = lax.concatenate([out, out], ax);
      const starts = out.shape.map((_, i) => (i === ax ? lax.sub(lax.convertElementType(size, "int32"), si) : lax.convertElementType(0, "int32")));
      out = lax.dynamicSlice(cat, starts, out.shape);
    }
    return out;
  }
  const shifts = (typeof shift === "number" ? [shift] : [...shift]).map((s) => checkInt("roll", "shift", s));
  if (!(shifts.length === axes.length || shifts.length === 1 || axes.length === 1))
    throw new ValueError(`roll: shape mismatch: shift ${fmt(shifts)} and axis ${fmt(axes)} cannot be broadcast together.`);
  const count = Math.max(shifts.length, axes.length);
  let out = a;
  for (let j = 0; j < count; j++) {
    const ax = axes[axes.length === 1 ? 0 : j];
    const s = shifts[shifts.length === 1 ? 0 : j];
    const n = out.shape[ax];
    if (n === 0) continue;
    const i = (((-s % n) + n) % n);
    const starts = out.shape.map(() => 0);
    const hiLim = [...out.shape];
    const loLim = [...out.shape];
    starts[ax] = i;
    loLim[ax] = i;
    const zero = out.shape.map(() => 0);
    out = lax.concatenate([lax.slice(out, starts, hiLim), lax.slice(out, zero, loLim)], ax);
  }
  return out;
}

export interface Rot90Opts {
  /** The plane of rotation, default [0, 1]. */
  axes?: readonly [number, number];
}
/** jnp.rot90(x, k=1, {axes}): rotate by 90° k times, from the first axis towards the second. */
export function rot90(x: ArrayLike, k = 1, opts: Rot90Opts = {}): Array {
  const a = toArray("rot90", x);
  if (a.ndim < 2)
    throw new ValueError(`rot90 requires its first argument to have ndim at least two, but got first argument of shape ${fmt(a.shape)}, which has ndim ${a.ndim}`);
  const axes = opts.axes ?? [0, 1];
  if (axes.length !== 2) throw new ValueError("rot90: len(axes) must be 2.");
  const [ax1, ax2] = axes.map((ax) => normalizeAxis(ax, a.ndim, "rot90"));
  if (ax1 === ax2) throw new ValueError("Axes must be different");
  const kk = ((checkInt("rot90", "k", k) % 4) + 4) % 4;
  if (kk === 0) return a;
  if (kk === 2) return lax.rev(lax.rev(a, [ax1]), [ax2]);
  const perm = range(a.ndim);
  [perm[ax1], perm[ax2]] = [perm[ax2], perm[ax1]];
  return kk === 1 ? lax.transpose(lax.rev(a, [ax2]), perm) : lax.rev(lax.transpose(a, perm), [ax2]);
}

// ---- padding ------------------------------------------------------------------------------

type PadWidth = number | readonly number[] | readonly (readonly number[])[];

/** JAX's _broadcast_to_pairs: (nd, 2), (1, 2), (2,), (1,) or () -> nd (before, after) pairs. */
function toPairs(v: PadWidth, nd: number, name: string): [number, number][] {
  const check = (n: unknown): number => {
    if (typeof n !== "number" || !Number.isInteger(n)) throw new TypeError(`pad: \`${name}\` must be of integral type, got ${String(n)}.`);
    return n;
  };
  if (typeof v === "number") return range(nd).map(() => [check(v), v]);
  if (!JsArray.isArray(v)) throw new TypeError(`pad: \`${name}\` must be a JS integer or (nested) list of JS integers.`);
  const nested = v.length > 0 && JsArray.isArray(v[0]);
  if (nested) {
    const rows = v as readonly (readonly number[])[];
    if (!rows.every((r) => JsArray.isArray(r) && r.length === 2)) throw new TypeError(`pad: \`${name}\` entries must be the same shape: ${JSON.stringify(v)}`);
    if (rows.length === nd) return rows.map((r) => [check(r[0]), check(r[1])]);
    if (rows.length === 1) return range(nd).map(() => [check(rows[0][0]), check(rows[0][1])]);
    throw new ValueError(`jnp.pad: ${name} with nd=${nd} has unsupported shape (${rows.length}, 2). Valid shapes are (${nd}, 2), (1, 2), (2,), (1,), or ().`);
  }
  const flat = v as readonly number[];
  if (flat.length === 2) return range(nd).map(() => [check(flat[0]), check(flat[1])]);
  if (flat.length === 1) return range(nd).map(() => [check(flat[0]), check(flat[0])]);
  throw new ValueError(`jnp.pad: ${name} with nd=${nd} has unsupported shape (${flat.length},). Valid shapes are (${nd}, 2), (1, 2), (2,), (1,), or ().`);
}

export interface PadOpts {
  mode?: "constant" | "edge" | "reflect" | "symmetric" | "wrap";
  /** For mode "constant": a scalar, or per-axis (before, after) values in pad_width's forms. Default 0. */
  constantValues?: number | boolean | Array | readonly number[] | readonly (readonly number[])[];
  /** For "reflect"/"symmetric": "even" (default) or "odd". */
  reflectType?: "even" | "odd";
}

function checkNoPadding(p: readonly [number, number], mode: string): void {
  if (p[0] !== 0 || p[1] !== 0) throw new ValueError(`Cannot apply '${mode}' padding to empty axis`);
}

function padConstant(a: Array, pw: [number, number][], cv: PadOpts["constantValues"]): Array {
  const nd = a.ndim;
  if (cv === undefined || typeof cv === "number" || typeof cv === "boolean" || (isArray(cv) && cv.ndim === 0)) {
    const v = lax.convertElementType(cv ?? 0, a.dtype, a.weakType);
    return lax.pad(a, v, pw.map(([lo, hi]) => [lo, hi, 0] as const));
  }
  if (isArray(cv)) throw new ValueError(`pad: constant_values as an Array must be a scalar, got shape ${fmt(cv.shape)}; pass per-axis values as a JS list.`);
  const vals = toPairs(cv as PadWidth, nd, "constant_values");
  let out = a;
  for (let i = 0; i < nd; i++) {
    for (const side of [0, 1] as const) {
      if (pw[i][side] === 0) continue;
      const widths = range(nd).map(() => [0, 0, 0] as [number, number, number]);
      widths[i][side] = pw[i][side];
      out = lax.pad(out, lax.convertElementType(vals[i][side], a.dtype, a.weakType), widths);
    }
  }
  return out;
}

function padEdge(a: Array, pw: [number, number][]): Array {
  let out = a;
  for (let i = 0; i < a.ndim; i++) {
    const n = out.shape[i];
    if (n === 0) {
      checkNoPadding(pw[i], "edge");
      continue;
    }
    const before = repeat(sliceAxis(out, 0, 1, i), pw[i][0], { axis: i });
    const after = repeat(sliceAxis(out, n - 1, n, i), pw[i][1], { axis: i });
    out = lax.concatenate([before, out, after], i);
  }
  return out;
}

function padWrap(a: Array, pw: [number, number][]): Array {
  let out = a;
  for (let i = 0; i < a.ndim; i++) {
    const size = out.shape[i];
    if (size === 0) {
      checkNoPadding(pw[i], "wrap");
      continue;
    }
    const [lr, lm] = [Math.floor(pw[i][0] / size), pw[i][0] % size];
    const [rr, rm] = [Math.floor(pw[i][1] / size), pw[i][1] % size];
    const parts: Array[] = [];
    if (lm > 0) parts.push(sliceAxis(out, size - lm, size, i));
    for (let k = 0; k < lr + rr + 1; k++) parts.push(out);
    if (rm > 0) parts.push(sliceAxis(out, 0, rm, i));
    out = lax.concatenate(parts, i);
  }
  return out;
}

/** 2 * edge - x, the size-1 `edge` broadcasting along the padded axis (reflect_type="odd"). */
function oddReflect(edge: Array, x: Array): Array {
  return npSubtract(npMultiply(2, edge), x);
}

function padSymmetricOrReflect(a: Array, pw: [number, number][], mode: "symmetric" | "reflect", reflectType: "even" | "odd"): Array {
  let out = a;
  for (let i = 0; i < a.ndim; i++) {
    const axisSize = a.shape[i];
    if (axisSize === 0) {
      checkNoPadding(pw[i], mode);
      continue;
    }
    const offset = mode === "reflect" && axisSize > 1 ? 1 : 0;
    for (const before of [true, false]) {
      let padding = pw[i][before ? 0 : 1];
      let edge = before ? sliceAxis(out, 0, 1, i) : sliceAxis(out, -1, out.shape[i], i);
      while (padding > 0) {
        const cur = Math.min(padding, axisSize - offset);
        padding -= cur;
        const len = out.shape[i];
        let piece: Array;
        if (before) piece = sliceAxis(out, offset, offset + cur, i);
        else piece = sliceAxis(out, len - (cur + offset), mode === "symmetric" || axisSize === 1 ? len : len - 1, i);
        piece = lax.rev(piece, [i]);
        if (reflectType === "odd") {
          piece = oddReflect(edge, piece);
          if (axisSize > 1) edge = before ? sliceAxis(piece, 0, 1, i) : sliceAxis(piece, -1, piece.shape[i], i);
        }
        out = before ? lax.concatenate([piece, out], i) : lax.concatenate([out, piece], i);
      }
    }
  }
  return out;
}

/** jnp.pad(x, padWidth, {mode="constant", constantValues=0, reflectType="even"}). */
export function pad(x: ArrayLike, padWidth: PadWidth, opts: PadOpts = {}): Array {
  const a = toArray("pad", x);
  const mode = opts.mode ?? "constant";
  const modes = ["constant", "edge", "reflect", "symmetric", "wrap"];
  if (!modes.includes(mode)) throw new ValueError(`Unimplemented padding mode '${String(mode)}' for np.pad; Kiln supports ${modes.join(", ")}.`);
  if (opts.constantValues !== undefined && mode !== "constant") throw new ValueError(`pad: unsupported keyword arguments for mode '${mode}': constantValues`);
  if (opts.reflectType !== undefined && mode !== "reflect" && mode !== "symmetric")
    throw new ValueError(`pad: unsupported keyword arguments for mode '${mode}': reflectType`);
  const pw = toPairs(padWidth, a.ndim, "pad_width");
  if (a.ndim === 0) return a;
  if (pw.some(([lo, hi]) => lo < 0 || hi < 0)) throw new ValueError("index can't contain negative values");
  switch (mode) {
    case "constant":
      return padConstant(a, pw, opts.constantValues);
    case "edge":
      return padEdge(a, pw);
    case "wrap":
      return padWrap(a, pw);
    default:
      return padSymmetricOrReflect(a, pw, mode as "symmetric" | "reflect", opts.reflectType ?? "even");
  }
}

// ---- selection ----------------------------------------------------------------------------

/**
 * jnp.where(condition, x, y): the three-argument form. x and y are promoted together;
 * condition (made boolean with `!= 0` when needed) and both values are broadcast to a common
 * shape, then one `select_n`.
 */
export function where(condition: ArrayLike): Array[];
export function where(condition: ArrayLike, x: ArrayLike, y: ArrayLike): Array;
export function where(condition: ArrayLike, x?: ArrayLike, y?: ArrayLike): Array | Array[] {
  // One argument: the indices where condition is true, as jnp.where(c) == jnp.nonzero(c).
  if (x === undefined && y === undefined) return nonzero(condition);
  if (x === undefined || y === undefined) throw new ValueError("Either both or neither of the x and y arguments should be provided to jax.numpy.where.");
  checkArrayLike("where", condition, 0);
  let c = lax.asArray(condition);
  if (!isBool(c.dtype)) c = lax.ne(c, lax.convertElementType(0, c.dtype));
  const [xp, yp] = promoteDtypes("where", x, y);
  let cb: Array, xb: Array, yb: Array;
  if (c.ndim === 0) {
    [xb, yb] = broadcastArrays(xp, yp);
    cb = c;
  } else [cb, xb, yb] = broadcastArrays(c, xp, yp);
  if (xb.size === 0) return xb;
  return lax.select(cb, xb, yb);
}

// ---- diagonals ------------------------------------------------------------------------------

export interface DiagonalOpts {
  offset?: number;
  axis1?: number;
  axis2?: number;
}

/**
 * jnp.diagonal(x, {offset=0, axis1=0, axis2=1}): the diagonal axis goes last. Written with
 * slices and a reshape: the [d, w] block holding the diagonal is flattened and read with
 * stride w + 1 (JAX uses a gather; the values agree).
 */
export function diagonal(x: ArrayLike, opts: DiagonalOpts = {}): Array {
  const a0 = toArray("diagonal", x);
  if (a0.ndim < 2) throw new ValueError("diagonal requires an array of at least two dimensions.");
  const k = checkInt("diagonal", "offset", opts.offset ?? 0);
  const ax1 = normalizeAxis(opts.axis1 ?? 0, a0.ndim, "diagonal");
  const ax2 = normalizeAxis(opts.axis2 ?? 1, a0.ndim, "diagonal");
  if (ax1 === ax2) throw new ValueError("diagonal: axis1 and axis2 cannot be the same");
  const a = moveaxis(a0, [ax1, ax2], [-2, -1]);
  const nd = a.ndim;
  const [n, m] = a.shape.slice(-2);
  const batch = a.shape.slice(0, -2);
  const r0 = Math.max(0, -k);
  const c0 = Math.max(0, k);
  const d = Math.max(0, Math.min(n - r0, m - c0));
  const starts = a.shape.map(() => 0);
  const limits = [...a.shape];
  if (d === 0) {
    limits[nd - 2] = 0;
    return lax.reshape(lax.slice(a, starts, limits), [...batch, 0]);
  }
  const w = m - c0;
  starts[nd - 2] = r0;
  limits[nd - 2] = r0 + d;
  starts[nd - 1] = c0;
  const whole = starts.every((s) => s === 0) && limits.every((l, i) => l === a.shape[i]);
  const block = whole ? a : lax.slice(a, starts, limits);
  const flat = lax.reshape(block, [...batch, d * w]);
  if (w === 1) return flat;
  const fs = flat.shape.map(() => 0);
  const strides = flat.shape.map((_, i) => (i === flat.ndim - 1 ? w + 1 : 1));
  return lax.slice(flat, fs, [...flat.shape], strides);
}

/** jnp.diag(v, k=0): a matrix with v on its k-th diagonal (1-D v), or the k-th diagonal (2-D v). */
export function diag(v: ArrayLike, k = 0): Array {
  const a = toArray("diag", v);
  checkInt("diag", "k", k);
  if (a.ndim === 1) {
    const n = a.shape[0] + Math.abs(k);
    const p = lax.pad(a, lax.convertElementType(0, a.dtype, a.weakType), [[Math.max(0, k), Math.max(0, -k), 0]]);
    return where(eye(n, n, { k, dtype: "bool" }), p, lax.broadcastInDim(lax.convertElementType(0, p.dtype, p.weakType), p.shape, []));
  }
  if (a.ndim === 2) return diagonal(a, { offset: k });
  throw new ValueError("diag input must be 1d or 2d");
}

/** jnp.diagflat(v, k=0): diag of the flattened input. */
export function diagflat(v: ArrayLike, k = 0): Array {
  return diag(ravel(toArray("diagflat", v)), k);
}

export interface TraceOpts extends DiagonalOpts {
  dtype?: DType;
}
/** jnp.trace(x, {offset, axis1, axis2, dtype}): sum of the diagonal (bool and small ints sum as int32). */
export function trace(x: ArrayLike, opts: TraceOpts = {}): Array {
  const dg = diagonal(x, opts);
  const dt: DType = opts.dtype ?? (isBool(dg.dtype) ? "int32" : dg.dtype);
  const c = dt === dg.dtype ? dg : lax.convertElementType(dg, dt);
  return lax.reduceSum(c, [c.ndim - 1]);
}

// ---- grids ------------------------------------------------------------------------------------

export interface MeshgridOpts {
  indexing?: "xy" | "ij";
  sparse?: boolean;
}

function isOpts(x: unknown): x is MeshgridOpts {
  return typeof x === "object" && x !== null && !isArray(x) && !JsArray.isArray(x);
}

/** jnp.meshgrid(x1, x2, ..., {indexing="xy", sparse=false}): 1-D inputs, broadcast_in_dim each. */
export function meshgrid(...args: (ArrayLike | MeshgridOpts)[]): Array[] {
  const opts: MeshgridOpts = args.length && isOpts(args[args.length - 1]) ? (args.pop() as MeshgridOpts) : {};
  const indexing = opts.indexing ?? "xy";
  if (indexing !== "xy" && indexing !== "ij") throw new ValueError(`Valid values for indexing are 'xy' and 'ij', got ${String(indexing)}`);
  args.forEach((x, i) => checkArrayLike("meshgrid", x, i));
  const xs = (args as ArrayLike[]).map((x) => lax.asArray(x));
  if (xs.some((a) => a.ndim !== 1))
    throw new ValueError(`Arguments to jax.numpy.meshgrid must be 1D, got shapes [${xs.map((a) => fmt(a.shape)).join(", ")}]`);
  const swap = indexing === "xy" && xs.length >= 2;
  if (swap) [xs[0], xs[1]] = [xs[1], xs[0]];
  const full = xs.map((a) => (opts.sparse ? 1 : a.shape[0]));
  const out = xs.map((a, i) => {
    const s = opts.sparse ? full.map((d, j) => (j === i ? a.shape[0] : d)) : full;
    return lax.broadcastInDim(a, s, [i]);
  });
  if (swap) [out[0], out[1]] = [out[1], out[0]];
  return out;
}
