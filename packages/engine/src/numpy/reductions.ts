/**
 * Reductions (jnp.sum, prod, max, min, all, any, mean, var, std, average, ptp,
 * count_nonzero, argmax/argmin), their NaN-ignoring forms, cumulative scans and
 * order statistics (median, quantile, percentile). One `reduction` helper
 * mirrors jnp's `_reduction`: dtype handling (bool/int sums give int32, float16
 * is accumulated in float32), `where` masks with the identity, `initial` is
 * combined after the reduce, and the result is strongly typed as in JAX, whose
 * reductions convert their operand with `lax.convert_element_type`.
 */
import { type Array } from "../core/tracer.js";
import { type DType, isDType, isFloat, toInexact } from "../core/dtype.js";
import { ValueError } from "../core/errors.js";
import { broadcastShapes, normalizeAxes, normalizeAxis, shapeStr } from "../core/shape_util.js";
import * as lax from "../lax/lax.js";
import { jit } from "../transforms/jit.js";
import { isArray } from "../lax/lax.js";
import { type ArrayLike, canonicalizeDtype, checkArrayLike, promoteDtypes, promoteDtypesInexact, toArray } from "./util.js";
import { divide, multiply, subtract } from "./ufuncs.js";

export type Axis = number | readonly number[] | null | undefined;

export interface ReductionOptions {
  axis?: Axis;
  keepdims?: boolean;
  /** Elements to include (broadcast against the input); the others count as the identity. */
  where?: ArrayLike;
  /** A scalar combined with the result (the starting value of the reduction). */
  initial?: ArrayLike;
  dtype?: DType;
}
export type MaxOptions = Omit<ReductionOptions, "dtype">;
export type BoolReductionOptions = Omit<ReductionOptions, "dtype" | "initial">;
export type MeanOptions = Omit<ReductionOptions, "initial">;
export interface VarOptions extends MeanOptions {
  /** Delta degrees of freedom: the divisor is N - ddof. */
  ddof?: number;
  /** Array-API name of `ddof`. */
  correction?: number;
}
export interface AxisKeepdims {
  axis?: Axis;
  keepdims?: boolean;
}
export interface ArgOptions {
  axis?: number | null;
  keepdims?: boolean;
}
export interface CumulativeOptions {
  axis?: number | null;
  dtype?: DType;
}

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const UINT_MAX = 4294967295;

// ---- small helpers (jnp-level where / broadcast_to, as JAX's util uses them) -----------------

function checkDtypeOpt(fn: string, d: unknown): DType | undefined {
  if (d === undefined || d === null) return undefined;
  if (!isDType(d)) throw new TypeError(`${fn}: unknown dtype ${JSON.stringify(d)}; use one of bool, int32, uint32, float16, float32, float64.`);
  return canonicalizeDtype(d, fn);
}

const prodOf = (xs: readonly number[]): number => xs.reduce((p, d) => p * d, 1);
const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/** jnp.broadcast_to as JAX lowers it: one broadcast_in_dim (size-1 dims expand in place). */
function broadcastTo(x: Array, shape: readonly number[]): Array {
  if (sameShape(x.shape, shape)) return x;
  const lead = shape.length - x.ndim;
  if (lead < 0 || x.shape.some((d, i) => d !== 1 && d !== shape[lead + i]))
    throw new ValueError(`Incompatible shapes for broadcasting: ${shapeStr(x.shape)} and requested shape ${shapeStr(shape)}`);
  return lax.broadcastInDim(x, shape, x.shape.map((_, i) => i + lead));
}

/** JAX's internal `_where`: non-bool conditions compare with 0; operands are promoted and broadcast. */
function where(cond: ArrayLike, x: ArrayLike, y: ArrayLike): Array {
  checkArrayLike("where", cond, 0);
  let c = lax.asArray(cond);
  if (c.dtype !== "bool") c = lax.ne(c, lax.convertElementType(0, c.dtype));
  const [a, b] = promoteDtypes("where", x, y);
  if (c.ndim === 0) {
    const shape = broadcastShapes(a.shape, b.shape);
    return lax.select(c, broadcastTo(a, shape), broadcastTo(b, shape));
  }
  const shape = broadcastShapes(c.shape, a.shape, b.shape);
  return lax.select(broadcastTo(c, shape), broadcastTo(a, shape), broadcastTo(b, shape));
}

const isnan = (x: Array): Array => lax.ne(x, x);
/** A strongly typed constant of dtype `d` (numpy scalars in JAX's source). */
const konst = (v: number | boolean, d: DType): Array => lax.convertElementType(v, d);

/** The identity of a reduction in dtype `d` (JAX's `_reduction_init_val`: ±inf saturates for integers). */
function initValue(identity: number, d: DType): Array {
  let v = identity;
  if (d === "bool") v = identity > 0 ? 1 : 0;
  else if (d === "int32") v = identity === Infinity ? INT_MAX : identity === -Infinity ? INT_MIN : identity;
  else if (d === "uint32") v = identity === Infinity ? UINT_MAX : identity === -Infinity ? 0 : identity;
  return konst(v, d);
}

// ---- the generic reduction ------------------------------------------------------------------

type Monoid = "sum" | "prod" | "max" | "min" | "and" | "or";
const MONOIDS: Record<Monoid, { reduce: (x: Array, axes: number[]) => Array; combine: (a: Array, b: Array) => Array; identity: number }> = {
  sum: { reduce: lax.reduceSum, combine: lax.add, identity: 0 },
  prod: { reduce: lax.reduceProd, combine: lax.mul, identity: 1 },
  max: { reduce: lax.reduceMax, combine: lax.max, identity: -Infinity },
  min: { reduce: lax.reduceMin, combine: lax.min, identity: Infinity },
  and: { reduce: lax.reduceAnd, combine: lax.bitwiseAnd, identity: 1 },
  or: { reduce: lax.reduceOr, combine: lax.bitwiseOr, identity: 0 },
};

interface ReductionSpec {
  name: string;
  op: Monoid;
  /** The monoid used when the computation dtype is bool. */
  boolOp?: Monoid;
  hasIdentity: boolean;
  preproc?: "numeric" | "bool";
  upcastF16: boolean;
  promoteIntegers: boolean;
}

function reduction(spec: ReductionSpec, a: unknown, o: ReductionOptions): Array {
  const { name } = spec;
  let x = toArray(name, a);
  if (o.initial === undefined && !spec.hasIdentity && o.where !== undefined)
    throw new ValueError(`reduction operation ${name} does not have an identity, so to use a where mask one has to specify 'initial'`);
  const dtype = checkDtypeOpt(name, o.dtype);
  if (spec.preproc === "numeric" && x.dtype === "bool") x = lax.convertElementType(x, "int32", x.weakType);
  if (spec.preproc === "bool") x = lax.convertElementType(x, "bool");
  const axes = normalizeAxes(o.axis, x.ndim, name);
  if (o.initial === undefined && !spec.hasIdentity && axes.some((d) => x.shape[d] === 0))
    throw new ValueError(`zero-size array to reduction operation ${name} which has no identity`);

  let resultDtype = dtype ?? x.dtype;
  if (dtype === undefined && spec.promoteIntegers && resultDtype === "bool") resultDtype = "int32";
  const computeDtype = spec.upcastF16 && resultDtype === "float16" ? "float32" : resultDtype;
  x = lax.convertElementType(x, computeDtype);
  const monoid = MONOIDS[computeDtype === "bool" ? (spec.boolOp ?? spec.op) : spec.op];
  // The reduce itself always starts from the identity; a user `initial` is combined afterwards.
  if (o.where !== undefined) x = where(o.where, x, initValue(MONOIDS[spec.op].identity, computeDtype));
  let result = monoid.reduce(x, axes);
  if (o.initial !== undefined) {
    checkArrayLike(name, o.initial, 1);
    const init = lax.convertElementType(o.initial, x.dtype);
    if (init.ndim !== 0) throw new ValueError(`initial value must be a scalar. Got array of shape ${shapeStr(init.shape)}`);
    result = monoid.combine(init, result);
  }
  if (o.keepdims) result = lax.expandDims(result, axes);
  return lax.convertElementType(result, dtype ?? resultDtype);
}

/** jnp.sum: bool and int32 sum to int32 (uint32 stays uint32), floats keep their dtype; empty sums are 0. */
export function sum(a: ArrayLike, o: ReductionOptions = {}): Array {
  return reduction({ name: "sum", op: "sum", boolOp: "or", hasIdentity: true, preproc: "numeric", upcastF16: true, promoteIntegers: true }, a, o);
}
/** jnp.prod: as sum, with identity 1. */
export function prod(a: ArrayLike, o: ReductionOptions = {}): Array {
  return reduction({ name: "prod", op: "prod", boolOp: "and", hasIdentity: true, preproc: "numeric", upcastF16: true, promoteIntegers: true }, a, o);
}
/** jnp.max: NaN propagates; an empty reduction needs `initial`, and so does `where`. */
export function max(a: ArrayLike, o: MaxOptions = {}): Array {
  return reduction({ name: "max", op: "max", hasIdentity: false, upcastF16: false, promoteIntegers: false }, a, o);
}
export function min(a: ArrayLike, o: MaxOptions = {}): Array {
  return reduction({ name: "min", op: "min", hasIdentity: false, upcastF16: false, promoteIntegers: false }, a, o);
}
export const amax = max;
export const amin = min;
/** jnp.all: the input is cast to bool; empty is true. */
export function all(a: ArrayLike, o: BoolReductionOptions = {}): Array {
  return reduction({ name: "all", op: "and", hasIdentity: true, preproc: "bool", upcastF16: false, promoteIntegers: false }, a, o);
}
/** jnp.any: the input is cast to bool; empty is false. */
export function any(a: ArrayLike, o: BoolReductionOptions = {}): Array {
  return reduction({ name: "any", op: "or", hasIdentity: true, preproc: "bool", upcastF16: false, promoteIntegers: false }, a, o);
}

/** Number of elements reduced over `axes` (JAX's normalizer, a constant). */
const countOver = (x: Array, axes: readonly number[]) => prodOf(axes.map((d) => x.shape[d]));

/**
 * jnp.mean: reduce_sum then divide by the count; integers average in float32. Like JAX's
 * `_mean`, it runs as one compiled unit when called eagerly (so the division by the constant
 * count is folded the way XLA folds it) and inlines into enclosing traces.
 */
export function mean(a: ArrayLike, o: MeanOptions = {}): Array {
  if (o.where === undefined) return meanJit(a, o) as Array;
  return meanImpl(a, o);
}
const meanJit = jit((a: ArrayLike, o: MeanOptions) => meanImpl(a, o), { staticArgnums: [1], inline: true });

function meanImpl(a: ArrayLike, o: MeanOptions): Array {
  const x = toArray("mean", a);
  const dtype = checkDtypeOpt("mean", o.dtype);
  const resultDtype = dtype ?? toInexact(x.dtype);
  const computeDtype = resultDtype === "float16" ? "float32" : resultDtype;
  const axes = normalizeAxes(o.axis, x.ndim, "mean");
  const normalizer =
    o.where === undefined
      ? konst(countOver(x, axes), computeDtype)
      : sum(broadcastTo(toArray("mean", o.where, 1), x.shape), { axis: axes, dtype: computeDtype, keepdims: o.keepdims });
  const total = sum(x, { axis: axes, dtype: computeDtype, keepdims: o.keepdims, where: o.where });
  return lax.convertElementType(lax.div(total, normalizer), resultDtype);
}

function correctionOf(o: VarOptions): number {
  if (o.correction === undefined) return o.ddof ?? 0;
  if (o.ddof !== undefined && o.ddof !== 0) throw new ValueError("ddof and correction can't be provided simultaneously.");
  return o.correction;
}

/** (computation dtype, result dtype) of var/std, as JAX's `_var_promote_types`. */
function varDtypes(x: Array, dtype: DType | undefined): [DType, DType] {
  const out = dtype ?? toInexact(x.dtype);
  const comp = dtype ?? (isFloat(x.dtype) ? x.dtype : out);
  return [comp === "float16" ? "float32" : comp, out];
}

function varImpl(fn: string, a: ArrayLike, o: VarOptions): Array {
  let x = toArray(fn, a);
  const dtype = checkDtypeOpt(fn, o.dtype);
  const correction = correctionOf(o);
  const axes = normalizeAxes(o.axis, x.ndim, fn);
  const [comp, out] = varDtypes(x, dtype);
  x = lax.convertElementType(x, comp);
  const xMean = mean(x, { axis: axes, dtype: comp, keepdims: true, where: o.where });
  const centered = lax.square(lax.sub(x, xMean));
  let normalizer =
    o.where === undefined
      ? konst(countOver(x, axes), comp)
      : sum(broadcastTo(toArray(fn, o.where, 1), x.shape), { axis: axes, dtype: comp, keepdims: o.keepdims });
  normalizer = lax.sub(normalizer, konst(correction, comp));
  let result = sum(centered, { axis: axes, dtype: comp, keepdims: o.keepdims, where: o.where });
  result = lax.convertElementType(lax.div(result, normalizer), out);
  // N - ddof <= 0 gives NaN (numpy warns and returns nan or inf; JAX returns nan).
  return where(lax.gt(normalizer, 0), result, NaN);
}

/** jnp.var: mean of squared deviations from the mean, divided by N - ddof. */
function var_(a: ArrayLike, o: VarOptions = {}): Array {
  return varImpl("var", a, o);
}
export { var_ as var };

/** jnp.std: sqrt of var. */
export function std(a: ArrayLike, o: VarOptions = {}): Array {
  const dtype = checkDtypeOpt("std", o.dtype);
  if (dtype !== undefined && !isFloat(dtype)) throw new ValueError(`dtype argument to jnp.std must be inexact; got ${dtype}`);
  return lax.sqrt(varImpl("std", a, o));
}

/** jnp.ptp: max - min. */
export function ptp(a: ArrayLike, o: AxisKeepdims = {}): Array {
  checkArrayLike("ptp", a, 0);
  return lax.sub(max(a, o), min(a, o));
}

/** jnp.count_nonzero: an int32 count of `a != 0`. */
export function countNonzero(a: ArrayLike, o: AxisKeepdims = {}): Array {
  const x = toArray("count_nonzero", a);
  const axes = normalizeAxes(o.axis, x.ndim, "count_nonzero");
  return sum(lax.ne(x, lax.convertElementType(0, x.dtype)), { axis: axes, dtype: "int32", keepdims: o.keepdims });
}

// ---- average -----------------------------------------------------------------------------------

export interface AverageOptions {
  axis?: Axis;
  /** Weights with the input's shape, or 1-D along `axis`. */
  weights?: ArrayLike | null;
  keepdims?: boolean;
}

/** jnp.average; with `{ returned: true }` also returns the sum of weights (broadcast to the result). */
export function average(a: ArrayLike, o?: AverageOptions & { returned?: false }): Array;
export function average(a: ArrayLike, o: AverageOptions & { returned: true }): [Array, Array];
export function average(a: ArrayLike, o: AverageOptions & { returned?: boolean } = {}): Array | [Array, Array] {
  let avg: Array;
  let wsum: Array;
  if (o.weights === undefined || o.weights === null) {
    const [x] = promoteDtypesInexact("average", a);
    const axes = normalizeAxes(o.axis, x.ndim, "average");
    avg = mean(x, { axis: axes, keepdims: o.keepdims });
    wsum = lax.broadcastInDim(konst(countOver(x, axes), avg.dtype), avg.shape, []);
  } else {
    let [x, w] = promoteDtypesInexact("average", a, o.weights);
    const axes = normalizeAxes(o.axis, x.ndim, "average");
    if (!sameShape(x.shape, w.shape)) {
      if (w.ndim !== 1) throw new ValueError("1D weights expected when shapes of a and weights differ.");
      if (o.axis === undefined || o.axis === null) throw new ValueError("Axis must be specified when shapes of a and weights differ.");
      if (typeof o.axis !== "number") throw new ValueError("Single axis expected when shapes of a and weights differ");
      const axis = axes[0];
      if (w.shape[0] !== x.shape[axis]) throw new ValueError("Length of weights not compatible with specified axis.");
      // Put the weights along `axis`: shape (1, ..., n, ..., 1).
      const shape = x.shape.map((d, i) => (i === axis ? d : 1));
      w = lax.broadcastInDim(w, shape, [axis]);
    }
    wsum = sum(w, { axis: axes, keepdims: o.keepdims });
    avg = divide(sum(multiply(x, w), { axis: axes, keepdims: o.keepdims }), wsum);
  }
  if (!o.returned) return avg;
  return [avg, sameShape(wsum.shape, avg.shape) ? wsum : broadcastTo(wsum, avg.shape)];
}

// ---- argmax / argmin -----------------------------------------------------------------------------

function argReduce(name: "argmax" | "argmin", a: ArrayLike, o: ArgOptions): Array {
  let x = toArray(name, a);
  let axis: number;
  let dims: number[];
  if (o.axis === undefined || o.axis === null) {
    dims = x.shape.map((_, i) => i);
    x = lax.reshape(x, [x.size]);
    axis = 0;
  } else {
    axis = normalizeAxis(o.axis, x.ndim, name);
    dims = [axis];
  }
  if (x.shape[axis] === 0) throw new ValueError(`attempt to get ${name} of an empty sequence`);
  const result = name === "argmax" ? lax.argmax(x, axis, "int32") : lax.argmin(x, axis, "int32");
  return o.keepdims ? lax.expandDims(result, dims) : result;
}

/** jnp.argmax: int32 index of the first maximum; NaN counts as the maximum; axis null flattens. */
export function argmax(a: ArrayLike, o: ArgOptions = {}): Array {
  return argReduce("argmax", a, o);
}
/** jnp.argmin: int32 index of the first minimum; NaN counts as the minimum. */
export function argmin(a: ArrayLike, o: ArgOptions = {}): Array {
  return argReduce("argmin", a, o);
}

// ---- NaN-ignoring reductions ------------------------------------------------------------------

/** JAX's `_nan_reduction`: NaNs become the identity; min/max of all-NaN slices are NaN again. */
function nanReduction(name: string, f: (x: Array, o: ReductionOptions) => Array, identity: number, nanIfAllNan: boolean, a: ArrayLike, o: ReductionOptions): Array {
  const x = toArray(name, a);
  normalizeAxes(o.axis, x.ndim, name);
  if (!isFloat(x.dtype)) return f(x, o);
  const out = f(where(isnan(x), initValue(identity, x.dtype), x), o);
  if (!nanIfAllNan) return out;
  return where(all(isnan(x), { axis: o.axis, keepdims: o.keepdims }), konst(NaN, x.dtype), out);
}

export function nansum(a: ArrayLike, o: ReductionOptions = {}): Array {
  return nanReduction("nansum", sum, 0, false, a, o);
}
export function nanprod(a: ArrayLike, o: ReductionOptions = {}): Array {
  return nanReduction("nanprod", prod, 1, false, a, o);
}
/** jnp.nanmax: max ignoring NaN; NaN where a slice is all NaN (unless `initial` is given). */
export function nanmax(a: ArrayLike, o: MaxOptions = {}): Array {
  return nanReduction("nanmax", max, -Infinity, o.initial === undefined, a, o);
}
export function nanmin(a: ArrayLike, o: MaxOptions = {}): Array {
  return nanReduction("nanmin", min, Infinity, o.initial === undefined, a, o);
}

/** jnp.nanmean: sum of non-NaN values over their count (NaN when there are none). */
export function nanmean(a: ArrayLike, o: MeanOptions = {}): Array {
  const x = toArray("nanmean", a);
  if (!isFloat(x.dtype)) return mean(x, o);
  const dtype = checkDtypeOpt("nanmean", o.dtype) ?? x.dtype;
  const axes = normalizeAxes(o.axis, x.ndim, "nanmean");
  const opts = { axis: axes, dtype, keepdims: o.keepdims, where: o.where };
  const normalizer = sum(lax.bitwiseNot(isnan(x)), opts);
  return lax.div(nansum(x, opts), normalizer);
}

function nanvarImpl(fn: string, a: ArrayLike, o: VarOptions): Array {
  let x = toArray(fn, a);
  const dtype = checkDtypeOpt(fn, o.dtype);
  const ddof = correctionOf(o);
  const axes = normalizeAxes(o.axis, x.ndim, fn);
  const [comp, out] = varDtypes(x, dtype);
  x = lax.convertElementType(x, comp);
  const xMean = nanmean(x, { axis: axes, dtype: comp, keepdims: true, where: o.where });
  const nanMask = isnan(x);
  // Double-where: NaN positions contribute exactly 0 (and no NaN gradient).
  const centered = lax.square(where(nanMask, 0, lax.sub(x, xMean)));
  let normalizer = sum(lax.bitwiseNot(nanMask), { axis: axes, keepdims: o.keepdims, where: o.where });
  normalizer = subtract(normalizer, ddof);
  const empty = lax.le(normalizer, 0);
  let result = sum(centered, { axis: axes, keepdims: o.keepdims, where: o.where });
  result = where(empty, NaN, result);
  const divisor = where(empty, 1, normalizer);
  result = lax.div(result, lax.convertElementType(divisor, result.dtype));
  return lax.convertElementType(result, out);
}
/** jnp.nanvar: var over the non-NaN values. */
export function nanvar(a: ArrayLike, o: VarOptions = {}): Array {
  return nanvarImpl("nanvar", a, o);
}
/** jnp.nanstd: sqrt of nanvar. */
export function nanstd(a: ArrayLike, o: VarOptions = {}): Array {
  return lax.sqrt(nanvarImpl("nanstd", a, o));
}

/** jnp.nanargmax: argmax ignoring NaN; -1 where a slice is all NaN. */
export function nanargmax(a: ArrayLike, o: ArgOptions = {}): Array {
  return nanArg("nanargmax", argmax, -Infinity, a, o);
}
export function nanargmin(a: ArrayLike, o: ArgOptions = {}): Array {
  return nanArg("nanargmin", argmin, Infinity, a, o);
}
function nanArg(name: string, f: (x: Array, o: ArgOptions) => Array, fill: number, a: ArrayLike, o: ArgOptions): Array {
  const x = toArray(name, a);
  if (!isFloat(x.dtype)) return f(x, o);
  const mask = isnan(x);
  const res = f(where(mask, konst(fill, x.dtype), x), o);
  return where(all(mask, { axis: o.axis, keepdims: o.keepdims }), -1, res);
}

// ---- cumulative reductions -----------------------------------------------------------------------

type CumOp = (x: Array, axis?: number, reverse?: boolean) => Array;

/** JAX's `_cumulative_reduction`: axis null flattens; bool accumulates in int32. */
function cumulative(name: string, op: CumOp, a: ArrayLike, o: CumulativeOptions, fillNan?: number): Array {
  let x = toArray(name, a);
  const dtype = checkDtypeOpt(name, o.dtype);
  let axis = o.axis ?? null;
  if (axis === null || !isArray(a)) x = lax.reshape(x, [x.size]);
  axis = normalizeAxis(axis ?? 0, x.ndim, name);
  if (fillNan !== undefined) x = where(isnan(x), lax.convertElementType(fillNan, x.dtype), x);
  let resultDtype = dtype ?? x.dtype;
  if (resultDtype === "bool") resultDtype = "int32";
  x = lax.convertElementType(x, resultDtype);
  const result = op(x, axis);
  // Integer promotion (jnp's promote_integers) is a no-op: int32/uint32 are Kiln's widest integers.
  return dtype === "bool" ? lax.convertElementType(result, "bool") : result;
}

/** jnp.cumsum along `axis` (flattened when axis is null); the dtype is kept (bool gives int32). */
export function cumsum(a: ArrayLike, o: CumulativeOptions = {}): Array {
  return cumulative("cumsum", lax.cumsum, a, o);
}
export function cumprod(a: ArrayLike, o: CumulativeOptions = {}): Array {
  return cumulative("cumprod", lax.cumprod, a, o);
}
/** jnp.nancumsum: NaNs count as 0. */
export function nancumsum(a: ArrayLike, o: CumulativeOptions = {}): Array {
  return cumulative("nancumsum", lax.cumsum, a, o, 0);
}
/** jnp.nancumprod: NaNs count as 1. */
export function nancumprod(a: ArrayLike, o: CumulativeOptions = {}): Array {
  return cumulative("nancumprod", lax.cumprod, a, o, 1);
}

export interface CumulativeSumOptions extends CumulativeOptions {
  /** Prepend the identity, so the result is one longer along `axis`. */
  includeInitial?: boolean;
}
function cumulativeApi(name: string, op: CumOp, identity: number, a: ArrayLike, o: CumulativeSumOptions): Array {
  const x = toArray(name, a);
  if (x.ndim === 0)
    throw new ValueError(`The input must be non-scalar to take a cumulative ${name === "cumulative_sum" ? "sum" : "product"}, however a scalar value or scalar array was given.`);
  if ((o.axis === undefined || o.axis === null) && x.ndim > 1)
    throw new ValueError(
      `The input array has rank ${x.ndim}, however axis was not set to an explicit value. The axis argument is only optional for one-dimensional arrays.`,
    );
  const axis = normalizeAxis(o.axis ?? 0, x.ndim, name);
  let out = cumulative(name, op, x, { axis, dtype: o.dtype });
  if (o.includeInitial) {
    const shape = x.shape.map((d, i) => (i === axis ? 1 : d));
    out = lax.concatenate([lax.broadcastInDim(konst(identity, out.dtype), shape, []), out], axis);
  }
  return out;
}
/** jnp.cumulative_sum (array API): `axis` is required for arrays of rank > 1. */
export function cumulativeSum(a: ArrayLike, o: CumulativeSumOptions = {}): Array {
  return cumulativeApi("cumulative_sum", lax.cumsum, 0, a, o);
}
/** jnp.cumulative_prod (array API). */
export function cumulativeProd(a: ArrayLike, o: CumulativeSumOptions = {}): Array {
  return cumulativeApi("cumulative_prod", lax.cumprod, 1, a, o);
}

// ---- quantiles -------------------------------------------------------------------------------------

export type QuantileMethod = "linear" | "lower" | "higher" | "midpoint" | "nearest";
export interface QuantileOptions {
  axis?: Axis;
  method?: QuantileMethod;
  keepdims?: boolean;
}

/**
 * JAX's `_quantile`: sort along the axis, then gather the neighbours of
 * q * (n - 1) and interpolate. Several axes are moved last and merged.
 * With `squashNans`, NaNs sort last and each slice uses its own count.
 */
function quantileImpl(name: string, a: ArrayLike, qIn: ArrayLike, o: QuantileOptions, squashNans: boolean): Array {
  checkArrayLike(name, a, 0);
  checkArrayLike(name, qIn, 1);
  const method = o.method ?? "linear";
  if (!["linear", "lower", "higher", "midpoint", "nearest"].includes(method))
    throw new ValueError("method can only be 'linear', 'lower', 'higher', 'midpoint', or 'nearest'");
  // As JAX, a and q are promoted together (a JS-number q takes a's float dtype).
  let [x, q] = promoteDtypesInexact(name, a, qIn);
  const keepdims = o.keepdims ?? false;
  let keepShape: number[] | null = null;
  let axis: number;
  if (o.axis === undefined || o.axis === null) {
    if (keepdims) keepShape = x.shape.map(() => 1);
    x = lax.reshape(x, [x.size]);
    axis = 0;
  } else if (typeof o.axis !== "number") {
    const axes = normalizeAxes(o.axis, x.ndim, name);
    keepShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const shape0 = x.shape;
    const kept = shape0.map((_, i) => i).filter((i) => !axes.includes(i));
    x = lax.reshape(lax.transpose(x, [...kept, ...axes]), [...kept.map((i) => shape0[i]), prodOf(axes.map((i) => shape0[i]))]);
    axis = x.ndim - 1;
  } else {
    axis = normalizeAxis(o.axis, x.ndim, name);
  }
  if (q.ndim > 1) throw new ValueError(`q must be have rank <= 1, got shape ${shapeStr(q.shape)}`);
  const qShape = q.shape;
  const qNdim = q.ndim;
  const n = x.shape[axis];
  const int = "int32";

  let lowValue: Array;
  let highValue: Array;
  let lowWeight: Array;
  let highWeight: Array;
  if (squashNans) {
    x = lax.sort(where(isnan(x), NaN, x), axis) as Array; // positive NaNs sort last
    let counts = sum(lax.bitwiseNot(isnan(x)), { axis, dtype: q.dtype, keepdims });
    const reduced = counts.shape;
    q = lax.expandDims(q, reduced.map((_, i) => i + qNdim));
    counts = lax.expandDims(counts, qShape.map((_, i) => i));
    const outShape = [...qShape, ...reduced];
    const countsB = broadcastTo(counts, outShape);
    const pos = lax.mul(broadcastTo(q, outShape), lax.sub(countsB, 1));
    let low = lax.floor(pos);
    let high = lax.ceil(pos);
    highWeight = lax.sub(pos, low);
    lowWeight = lax.sub(lax.convertElementType(1, highWeight.dtype), highWeight);
    const last = lax.sub(countsB, 1);
    low = lax.convertElementType(lax.max(konst(0, low.dtype), lax.min(low, last)), int);
    high = lax.convertElementType(lax.max(konst(0, high.dtype), lax.min(high, last)), int);
    // Take along the axis: one full index vector per output element.
    const iotas = reduced.map((_, d) => lax.broadcastedIota(int, outShape, d + qNdim));
    const take = (at: Array): Array => {
      const idx = [...iotas];
      if (keepdims) idx[axis] = at;
      else idx.splice(axis, 0, at);
      const stacked = lax.concatenate(idx.map((i) => lax.expandDims(i, [outShape.length])), outShape.length);
      const dims = x.shape.map((_, i) => i);
      return lax.gather(x, stacked, {
        dimensionNumbers: new lax.GatherDimensionNumbers([], dims, dims),
        sliceSizes: x.shape.map(() => 1),
        mode: "clip",
      });
    };
    lowValue = take(low);
    highValue = take(high);
  } else {
    x = where(any(isnan(x), { axis, keepdims: true }), NaN, x);
    x = lax.sort(x, axis) as Array;
    const pos = lax.mul(q, lax.convertElementType(n - 1, q.dtype));
    let low = lax.floor(pos);
    let high = lax.ceil(pos);
    highWeight = lax.sub(pos, low);
    lowWeight = lax.sub(lax.convertElementType(1, highWeight.dtype), highWeight);
    const last = lax.convertElementType(n - 1, low.dtype);
    low = lax.convertElementType(lax.clamp(konst(0, low.dtype), low, last), int);
    high = lax.convertElementType(lax.clamp(konst(0, high.dtype), high, last), int);
    const sliceSizes = x.shape.map((d, i) => (i === axis ? 1 : d));
    const outRank = keepdims ? x.ndim + qNdim : x.ndim + qNdim - 1;
    const dnums = new lax.GatherDimensionNumbers(
      globalThis.Array.from({ length: outRank - qNdim }, (_, i) => i + qNdim),
      keepdims ? [] : [axis],
      [axis],
    );
    const take = (at: Array) => lax.gather(x, lax.expandDims(at, [at.ndim]), { dimensionNumbers: dnums, sliceSizes });
    lowValue = take(low);
    highValue = take(high);
    if (qNdim === 1) {
      lowWeight = lax.broadcastInDim(lowWeight, lowValue.shape, [0]);
      highWeight = lax.broadcastInDim(highWeight, highValue.shape, [0]);
    }
  }

  let result: Array;
  if (method === "linear")
    result = lax.add(lax.mul(lax.convertElementType(lowValue, q.dtype), lowWeight), lax.mul(lax.convertElementType(highValue, q.dtype), highWeight));
  else if (method === "lower") result = lowValue;
  else if (method === "higher") result = highValue;
  else if (method === "nearest") result = lax.select(lax.le(highWeight, 0.5), lowValue, highValue);
  else result = lax.mul(lax.add(lowValue, highValue), konst(0.5, lowValue.dtype));
  if (keepdims && keepShape) result = lax.reshape(result, [...qShape, ...keepShape]);
  return lax.convertElementType(result, x.dtype);
}

/** jnp.quantile(a, q): q in [0, 1], scalar or 1-D; the q axis leads the result. */
export function quantile(a: ArrayLike, q: ArrayLike, o: QuantileOptions = {}): Array {
  return quantileImpl("quantile", a, q, o, false);
}
/** jnp.nanquantile: quantile of the non-NaN values. */
export function nanquantile(a: ArrayLike, q: ArrayLike, o: QuantileOptions = {}): Array {
  return quantileImpl("nanquantile", a, q, o, true);
}
/** jnp.percentile(a, q): q in [0, 100]. */
export function percentile(a: ArrayLike, q: ArrayLike, o: QuantileOptions = {}): Array {
  checkArrayLike("percentile", a, 0);
  const [qq] = promoteDtypesInexact("percentile", q);
  return quantileImpl("percentile", a, divide(qq, 100), o, false);
}
export function nanpercentile(a: ArrayLike, q: ArrayLike, o: QuantileOptions = {}): Array {
  checkArrayLike("nanpercentile", a, 0);
  const [qq] = promoteDtypesInexact("nanpercentile", q);
  return quantileImpl("nanpercentile", a, divide(qq, 100), o, true);
}
/** jnp.median: the midpoint quantile at 0.5. */
export function median(a: ArrayLike, o: AxisKeepdims = {}): Array {
  return quantileImpl("median", a, 0.5, { ...o, method: "midpoint" }, false);
}
export function nanmedian(a: ArrayLike, o: AxisKeepdims = {}): Array {
  return quantileImpl("nanmedian", a, 0.5, { ...o, method: "midpoint" }, true);
}
