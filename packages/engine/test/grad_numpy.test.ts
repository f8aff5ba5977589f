// checkGrads (float64, CPU; first and second order, forward and reverse) for every differentiable
// function of the `numpy` namespace (np.*, np.linalg.*, x.at(...).*) and of `nn`, at points where
// each is smooth. A coverage test enumerates the exports and fails on any name that is neither
// checked here nor listed in NOT_DIFFERENTIABLE with a reason. Cases marked `fails` are known
// engine bugs (it.fails, with the suspect rule named); see the comments on each.
import { describe, expect, it } from "vitest";
import { numpy as np, nn, checkGrads, config } from "../src/index.js";

type Fn = (...xs: np.Array[]) => unknown;
interface Opts {
  eps?: number;
  atol?: number;
  rtol?: number;
  /** A known engine bug: the check is expected to throw (it.fails). Names the suspect rule. */
  fails?: string;
}
/** [covered export name, label, function, argument factory (called with x64 on), options]. */
type Case = [fn: string, label: string, f: Fn, args: () => np.Array[], opts?: Opts];

// ---- inputs (created inside each test, while jax_enable_x64 is on) ---------------------------

type Nested = number | readonly Nested[];
const a64 = (v: Nested): np.Array => np.array(v, { dtype: "float64" });
/** Pseudo-random float64 values in [lo, hi) of the given shape (distinct with high probability). */
function seq(shape: number[], lo: number, hi: number, seed = 1): np.Array {
  const n = shape.reduce((a, b) => a * b, 1);
  let s = seed;
  const vals = Array.from({ length: n }, () => {
    s = (s * 16807) % 2147483647;
    return lo + ((s % 10000) / 10000) * (hi - lo);
  });
  return np.reshape(a64(vals), shape);
}
const i32 = (v: Nested): np.Array => np.array(v, { dtype: "int32" });
const bool = (v: readonly (boolean | readonly boolean[])[]): np.Array => np.array(v, { dtype: "bool" });

const mat = (r = 2, c = 3, seed = 1) => seq([r, c], -1, 1, seed);
const pmat = (r = 2, c = 3, seed = 1) => seq([r, c], 0.5, 2, seed);
const x1 = (seed = 1) => () => [mat(2, 3, seed)];
const one = (shape: number[], lo = -1, hi = 1, seed = 1) => () => [seq(shape, lo, hi, seed)];
/** Values away from integers and half-integers: piecewise-constant functions are flat around them. */
const offGrid = () => [a64([[-1.7, -0.3, 0.2], [1.4, 2.6, 3.2]])];
/** Entries with distinct absolute values, none near zero. */
const signed = () => [a64([[-1.3, 0.4, 0.9], [0.6, -1.8, 1.1]])];
const withNan = () => [a64([[0.3, NaN, -0.8], [1.2, 0.5, NaN]])];

const TOL: Required<Omit<Opts, "fails">> = { eps: 1e-5, atol: 1e-5, rtol: 1e-4 };

// ---- numpy: elementwise ------------------------------------------------------------------

const UNARY: [string, () => np.Array[]][] = [
  ["negative", x1()], ["positive", x1()], ["square", x1()], ["exp", x1()], ["exp2", x1()], ["expm1", x1()],
  ["log", () => [pmat()]], ["log1p", one([2, 3], -0.5, 2)], ["log2", () => [pmat()]], ["log10", () => [pmat()]],
  ["sqrt", () => [pmat()]], ["rsqrt", () => [pmat()]], ["cbrt", () => [pmat()]], ["reciprocal", () => [pmat()]],
  ["sin", x1()], ["cos", x1()], ["tan", x1()], ["sinh", x1()], ["cosh", x1()], ["tanh", x1()],
  ["arcsin", one([2, 3], -0.8, 0.8)], ["asin", one([2, 3], -0.8, 0.8)], ["arccos", one([2, 3], -0.8, 0.8)], ["acos", one([2, 3], -0.8, 0.8)],
  ["arctan", x1()], ["atan", x1()], ["arcsinh", x1()], ["asinh", x1()], ["arccosh", one([2, 3], 1.5, 3)], ["acosh", one([2, 3], 1.5, 3)],
  ["arctanh", one([2, 3], -0.8, 0.8)], ["atanh", one([2, 3], -0.8, 0.8)],
  ["deg2rad", x1()], ["radians", x1()], ["rad2deg", x1()], ["degrees", x1()],
  ["abs", signed], ["absolute", signed],
  // Piecewise constant: the derivative is 0 away from the jumps (checks the rules give 0, not NaN or an error).
  ["floor", offGrid], ["ceil", offGrid], ["trunc", offGrid], ["fix", offGrid], ["rint", offGrid], ["round", offGrid], ["around", offGrid],
  ["sign", signed],
];

const BINARY: [string, () => np.Array[]][] = [
  ["add", () => [mat(), mat(2, 3, 2)]], ["subtract", () => [mat(), mat(2, 3, 2)]], ["multiply", () => [mat(), mat(2, 3, 2)]],
  ["divide", () => [mat(), pmat(2, 3, 2)]], ["trueDivide", () => [mat(), pmat(2, 3, 2)]],
  ["power", () => [pmat(), mat(2, 3, 2)]], ["pow", () => [pmat(), mat(2, 3, 2)]], ["floatPower", () => [pmat(), mat(2, 3, 2)]],
  ["maximum", () => [signed()[0], mat(2, 3, 2)]], ["minimum", () => [signed()[0], mat(2, 3, 2)]],
  ["fmax", () => [signed()[0], mat(2, 3, 2)]], ["fmin", () => [signed()[0], mat(2, 3, 2)]],
  ["arctan2", () => [mat(), pmat(2, 3, 2)]], ["atan2", () => [mat(), signed()[0]]],
  ["hypot", () => [signed()[0], mat(2, 3, 2)]], ["logaddexp", () => [mat(), mat(2, 3, 2)]],
  ["copysign", () => [signed()[0], a64([[0.5, -0.5, 1], [-2, 0.3, -0.1]])]],
  // x / y stays away from integers, so the remainders are smooth.
  ["remainder", () => [a64([2.3, -1.7, 3.1]), a64([0.9, 0.8, -1.3])]], ["mod", () => [a64([2.3, -1.7, 3.1]), a64([0.9, 0.8, -1.3])]],
  ["fmod", () => [a64([2.3, -1.7, 3.1]), a64([0.9, 0.8, -1.3])]],
  ["floorDivide", () => [a64([2.3, -1.7, 3.1]), a64([0.9, 0.8, -1.3])]], // piecewise constant
];

/** The numpy-layer bug behind the array-input failures of sinc, nanToNum and heaviside (not a grad rule). */
const SELECT_0D = (fn: string) =>
  `numpy/ufuncs.ts ${fn}: binds lax.select with a 0-d constant case next to a full-shape case; select_n requires equal case shapes ` +
  "(core/rules/elementwise_rules.ts), so np." + fn + " throws for every non-0-d input, eagerly too ('select cases must have the same shapes, got [(2, 3), ()]' / " +
  "'select `which` must be scalar or have the same shape as cases'); JAX's versions use jnp.where, which broadcasts";
const npAny = np as unknown as Record<string, (...a: unknown[]) => unknown>;
const elementwise: Case[] = [
  ...UNARY.map(([n, args]): Case => [n, "elementwise", (x) => npAny[n](x), args]),
  ...BINARY.map(([n, args]): Case => [n, "elementwise", (x, y) => npAny[n](x, y), args]),
  ["add", "broadcast [2,3] + [3] and a weak scalar", (x, y) => np.add(np.add(x, y), 2.5), () => [mat(), seq([3], -1, 1, 3)]],
  ["multiply", "broadcast [2,1] * [3]", (x, y) => np.multiply(x, y), () => [seq([2, 1], -1, 1), seq([3], -1, 1, 3)]],
  ["power", "negative base, integer exponent (weak scalar)", (x) => np.power(x, 3), signed],
  ["power", "scalar base, array exponent", (x) => np.power(2, x), x1()],
  ["divmod", "tuple output (remainder smooth, quotient flat)", (x, y) => np.divmod(x, y), () => [a64([2.3, -1.7, 3.1]), a64([0.9, 0.8, -1.3])]],
  ["round", "decimals=1", (x) => np.round(x, 1), offGrid],
  ["clip", "scalar bounds, points off the bounds", (x) => np.clip(x, -0.5, 0.5), () => [a64([[-0.9, -0.2, 0.1], [0.45, 0.7, -0.6]])]],
  ["clip", "array bounds are differentiable", (x, lo, hi) => np.clip(x, lo, hi), () => [a64([-0.9, 0.1, 0.8]), a64([-0.5, -0.5, -0.5]), a64([0.5, 0.6, 0.7])]],
  ["clip", "lower bound only", (x) => np.clip(x, 0), signed],
  // sinc, nanToNum and heaviside bind lax.select with a 0-d constant case, so they only work on 0-d inputs (see SELECT_0D).
  ["sinc", "0-d inputs away from 0", (a, b, c) => [np.sinc(a), np.sinc(b), np.sinc(c)], () => [a64(-1.3), a64(0.4), a64(2.7)]],
  ["sinc", "0-d input at 0 (second derivative there is -pi^2/3)", (x) => np.sinc(x), () => [a64(0)],
  ],
  ["sinc", "array input", (x) => np.sinc(x), signed],
  ["nanToNum", "0-d inputs (identity on finite values)", (a, b) => [np.nanToNum(a), np.nanToNum(b)], () => [a64(-1.3), a64(0.4)]],
  ["nanToNum", "array input", (x) => np.nanToNum(x), x1()],
  // x away from 0: constant in both arguments.
  ["heaviside", "0-d inputs", (a, b, h) => [np.heaviside(a, h), np.heaviside(b, h)], () => [a64(-0.7), a64(1.2), a64(0.5)]],
  ["heaviside", "array input", (x, h) => np.heaviside(x, h), () => [signed()[0], mat(2, 3, 2)]],
];

// ---- numpy: reductions -------------------------------------------------------------------------

const mask23 = () => bool([[true, false, true], [true, true, false]]);
/** q * (n - 1) must stay off integers (the interpolation weights have kinks there): n = 5 gives 1.2 and 2.6. */
const q01 = () => a64([0.3, 0.65]);
const QUANTILE_F32 =
  "numpy/reductions.ts quantileImpl: q is promoted on its own, so a JS-number q is weak float32, and the linear interpolation " +
  "runs in q's dtype (convertElementType(lowValue, q.dtype)): float64 data is rounded to float32, e.g. quantile(f64 [0.1, 0.9, -0.4, 0.5, 0.3], 0.3) " +
  "= 0.14000001549720764 instead of 0.14, so finite differences and derivatives disagree at 1e-4; JAX under x64 computes in float64. Not a grad rule.";
const reductions: Case[] = [
  ["sum", "all", (x) => np.sum(x), x1()],
  ["sum", "axis 1, keepdims", (x) => np.sum(x, { axis: 1, keepdims: true }), x1()],
  ["sum", "axes [0, 2]", (x) => np.sum(x, { axis: [0, 2] }), one([2, 3, 2])],
  ["sum", "where + initial", (x) => np.sum(x, { axis: 1, where: mask23(), initial: 0.5 }), x1()],
  ["prod", "axis 0", (x) => np.prod(x, { axis: 0 }), x1()],
  ["prod", "with a zero element", (x) => np.prod(x, { axis: 1 }), () => [a64([[0.5, 0, 2], [1.5, -0.7, 1.2]])]],
  ["prod", "where + initial", (x) => np.prod(x, { axis: 1, where: mask23(), initial: 2 }), x1()],
  ["max", "axis 1", (x) => np.max(x, { axis: 1 }), x1()],
  ["max", "all", (x) => np.max(x), x1()],
  ["max", "where + initial; one row won by the initial", (x) => np.max(x, { axis: 1, where: mask23(), initial: 0.2 }), () => [a64([[0.1, 0.9, -0.4], [0.5, 0.7, 0.1]])]],
  ["amax", "axis 0, keepdims", (x) => np.amax(x, { axis: 0, keepdims: true }), x1()],
  ["min", "axis 1", (x) => np.min(x, { axis: 1 }), x1()],
  ["amin", "all", (x) => np.amin(x), x1()],
  ["ptp", "axis 1", (x) => np.ptp(x, { axis: 1 }), x1()],
  ["mean", "all", (x) => np.mean(x), x1()],
  ["mean", "axis 0, keepdims", (x) => np.mean(x, { axis: 0, keepdims: true }), x1()],
  ["mean", "where", (x) => np.mean(x, { axis: 1, where: mask23() }), x1()],
  ["var", "all", (x) => np.var(x), x1()],
  ["var", "axis 1, ddof 1", (x) => np.var(x, { axis: 1, ddof: 1 }), x1()],
  ["var", "where", (x) => np.var(x, { axis: 1, where: mask23() }), x1()],
  ["std", "axis 0", (x) => np.std(x, { axis: 0 }), x1()],
  ["std", "correction 1, keepdims", (x) => np.std(x, { axis: 1, correction: 1, keepdims: true }), x1()],
  ["average", "no weights", (x) => np.average(x, { axis: 1 }), x1()],
  ["average", "weights of the same shape (both differentiable)", (x, w) => np.average(x, { axis: 0, weights: w }), () => [mat(), pmat(2, 3, 2)]],
  ["average", "1-D weights along an axis, returned", (x, w) => np.average(x, { axis: 1, weights: w, returned: true }), () => [mat(), seq([3], 0.5, 2, 2)]],
  ["nansum", "NaN-free", (x) => np.nansum(x, { axis: 1 }), x1()],
  ["nansum", "with NaN entries", (x) => np.nansum(x, { axis: 1 }), withNan],
  ["nanprod", "NaN-free", (x) => np.nanprod(x, { axis: 0 }), x1()],
  ["nanprod", "with NaN entries", (x) => np.nanprod(x), withNan],
  ["nanmax", "NaN-free", (x) => np.nanmax(x, { axis: 1 }), x1()],
  ["nanmax", "with NaN entries", (x) => np.nanmax(x, { axis: 1 }), withNan],
  ["nanmin", "NaN-free", (x) => np.nanmin(x), x1()],
  ["nanmin", "with NaN entries", (x) => np.nanmin(x, { axis: 0 }), () => [a64([[0.3, NaN, -0.8], [1.2, 0.5, 0.1]])]],
  ["nanmean", "NaN-free", (x) => np.nanmean(x, { axis: 1 }), x1()],
  ["nanmean", "with NaN entries", (x) => np.nanmean(x), withNan],
  ["nanvar", "NaN-free, ddof 1", (x) => np.nanvar(x, { axis: 1, ddof: 1 }), x1()],
  ["nanvar", "with NaN entries", (x) => np.nanvar(x, { axis: 1 }), withNan],
  ["nanstd", "NaN-free", (x) => np.nanstd(x, { axis: 0 }), x1()],
  ["nanstd", "with NaN entries", (x) => np.nanstd(x), withNan],
  ["cumsum", "axis 1", (x) => np.cumsum(x, { axis: 1 }), x1()],
  ["cumsum", "flattened", (x) => np.cumsum(x), x1()],
  ["cumprod", "axis 0", (x) => np.cumprod(x, { axis: 0 }), x1()],
  ["cumprod", "flattened, with a zero", (x) => np.cumprod(x), () => [a64([[0.5, 1.5, 0], [2, -0.7, 1.2]])]],
  ["nancumsum", "NaN-free", (x) => np.nancumsum(x, { axis: 1 }), x1()],
  ["nancumsum", "with NaN entries", (x) => np.nancumsum(x, { axis: 1 }), withNan],
  ["nancumprod", "NaN-free", (x) => np.nancumprod(x, { axis: 0 }), x1()],
  ["nancumprod", "with NaN entries", (x) => np.nancumprod(x, { axis: 1 }), withNan],
  ["cumulativeSum", "includeInitial", (x) => np.cumulativeSum(x, { axis: 1, includeInitial: true }), x1()],
  ["cumulativeProd", "axis 0", (x) => np.cumulativeProd(x, { axis: 0 }), x1()],
  ["median", "all", (x) => np.median(x), x1()],
  ["median", "axis 1 (odd count), keepdims", (x) => np.median(x, { axis: 1, keepdims: true }), x1()],
  ["median", "axis 0 (even count)", (x) => np.median(x, { axis: 0 }), x1()],
  ["quantile", "linear, 1-D q (a and q differentiable)", (x, q) => np.quantile(x, q, { axis: 1 }), () => [mat(2, 5), q01()]],
  ["quantile", "lower / higher / nearest / midpoint", (x) => [
    np.quantile(x, 0.3, { axis: 1, method: "lower" }), np.quantile(x, 0.3, { axis: 1, method: "higher" }),
    np.quantile(x, 0.3, { axis: 1, method: "nearest" }), np.quantile(x, 0.3, { axis: 1, method: "midpoint" }),
  ], () => [mat(2, 5)]],
  ["quantile", "several axes, keepdims", (x) => np.quantile(x, a64(0.4), { axis: [0, 2], keepdims: true }), one([2, 3, 2])],
  ["quantile", "JS-number q", (x) => np.quantile(x, 0.4, { axis: 1 }), () => [mat(2, 5)]],
  ["percentile", "q differentiable", (x, q) => np.percentile(x, q), () => [mat(), a64([30, 85])]],
  ["nanmedian", "NaN-free", (x) => np.nanmedian(x, { axis: 1 }), x1()],
  ["nanmedian", "with NaN entries", (x) => np.nanmedian(x, { axis: 1 }), () => [a64([[0.3, NaN, -0.8, 0.1], [1.2, 0.5, NaN, 0.9]])]],
  ["nanquantile", "NaN-free, q differentiable", (x, q) => np.nanquantile(x, q, { axis: 1 }), () => [mat(2, 5), q01()]],
  ["nanquantile", "with NaN entries", (x) => np.nanquantile(x, a64(0.3), { axis: 1 }), () => [a64([[0.3, NaN, -0.8, 0.1], [1.2, 0.5, NaN, 0.9]])]],
  ["nanpercentile", "NaN-free", (x) => np.nanpercentile(x, a64(40), { axis: 0 }), () => [mat(3, 2)]],
  ["nanpercentile", "JS-number q", (x) => np.nanpercentile(x, 40, { axis: 0 }), () => [mat(3, 2)]],
];

// ---- numpy: shape ops ------------------------------------------------------------------------

const shapeOps: Case[] = [
  ["reshape", "with -1", (x) => np.reshape(x, [3, -1]), x1()],
  ["ravel", "", (x) => np.ravel(x), x1()],
  ["transpose", "default (reversed)", (x) => np.transpose(x), one([2, 3, 2])],
  ["transpose", "permutation", (x) => np.transpose(x, [1, 2, 0]), one([2, 3, 2])],
  ["permuteDims", "", (x) => np.permuteDims(x, [2, 0, 1]), one([2, 3, 2])],
  ["matrixTranspose", "batched", (x) => np.matrixTranspose(x), one([2, 3, 2])],
  ["swapaxes", "", (x) => np.swapaxes(x, 0, 2), one([2, 3, 2])],
  ["moveaxis", "several axes", (x) => np.moveaxis(x, [0, 1], [2, 0]), one([2, 3, 2])],
  ["expandDims", "", (x) => np.expandDims(x, [0, 3]), x1()],
  ["squeeze", "all size-1 axes", (x) => np.squeeze(x), one([1, 3, 1])],
  ["broadcastTo", "", (x) => np.broadcastTo(x, [2, 4, 3]), one([4, 1])],
  ["broadcastArrays", "list output", (x, y) => np.broadcastArrays(x, y), () => [seq([2, 1], -1, 1), seq([3], -1, 1, 2)]],
  ["concatenate", "axis 1", (x, y) => np.concatenate([x, y], { axis: 1 }), () => [mat(), mat(2, 2, 2)]],
  ["concatenate", "axis null", (x, y) => np.concatenate([x, y], { axis: null }), () => [mat(), seq([4], -1, 1, 2)]],
  ["concatenate", "an array's leading slices", (x) => np.concatenate(x, { axis: 1 }), one([2, 3, 2])],
  ["stack", "axis 1", (x, y) => np.stack([x, y], { axis: 1 }), () => [mat(), mat(2, 3, 2)]],
  ["stack", "array form, axis -1", (x) => np.stack(x, { axis: -1 }), one([2, 3, 2])],
  ["atleast1d", "scalar", (x) => np.atleast1d(x), () => [a64(0.7)]],
  ["atleast2d", "1-D", (x) => np.atleast2d(x), one([3])],
  ["atleast3d", "several inputs", (x, y) => np.atleast3d(x, y), () => [seq([3], -1, 1), mat(2, 3, 2)]],
  ["hstack", "1-D and 2-D", (x, y, z, w) => [np.hstack([x, y]), np.hstack([z, w])], () => [seq([2], -1, 1), seq([3], -1, 1, 2), mat(), mat(2, 1, 3)]],
  ["vstack", "", (x, y) => np.vstack([x, y]), () => [seq([3], -1, 1), mat(2, 3, 2)]],
  ["dstack", "", (x, y) => np.dstack([x, y]), () => [mat(), mat(2, 3, 2)]],
  ["columnStack", "", (x, y) => np.columnStack([x, y]), () => [seq([2], -1, 1), mat(2, 2, 2)]],
  ["append", "flattened and along an axis", (x, y) => [np.append(x, y), np.append(x, x, { axis: 0 })], () => [mat(), seq([2], -1, 1, 2)]],
  ["split", "sections", (x) => np.split(x, 2, { axis: 1 }), one([2, 4])],
  ["split", "indices", (x) => np.split(x, [1, 3], { axis: 1 }), one([2, 4])],
  ["arraySplit", "unequal sections", (x) => np.arraySplit(x, 3), one([5])],
  ["hsplit", "", (x) => np.hsplit(x, [1]), x1()],
  ["vsplit", "", (x) => np.vsplit(x, 2), x1()],
  ["dsplit", "", (x) => np.dsplit(x, 2), one([1, 2, 4])],
  ["tile", "more reps than dims", (x) => np.tile(x, [2, 1, 2]), x1()],
  ["repeat", "int, axis 1", (x) => np.repeat(x, 2, { axis: 1 }), x1()],
  ["repeat", "per-element counts (a zero count), axis 1", (x) => np.repeat(x, [1, 0, 3], { axis: 1 }), x1()],
  ["repeat", "flattened", (x) => np.repeat(x, 2), x1()],
  ["flip", "all axes", (x) => np.flip(x), x1()],
  ["flip", "axis 1", (x) => np.flip(x, 1), x1()],
  ["fliplr", "", (x) => np.fliplr(x), x1()],
  ["flipud", "", (x) => np.flipud(x), x1()],
  ["roll", "static shifts on two axes", (x) => np.roll(x, [1, -2], { axis: [0, 1] }), x1()],
  ["roll", "flattened", (x) => np.roll(x, 4), x1()],
  ["roll", "Array shift (dynamic_slice path)", (x) => np.roll(x, i32(2), { axis: 1 }), x1()],
  ["rot90", "k = 1, 2, 3", (x) => [np.rot90(x), np.rot90(x, 2), np.rot90(x, 3, { axes: [1, 0] })], x1()],
  ["pad", "constant, scalar value", (x) => np.pad(x, [[1, 0], [2, 1]], { constantValues: 0.5 }), x1()],
  ["pad", "constant, per-axis values", (x) => np.pad(x, [[1, 1], [0, 2]], { constantValues: [[1, 2], [3, 4]] }), x1()],
  ["pad", "constant, value differentiable (0-d Array)", (x, v) => np.pad(x, 1, { constantValues: v }), () => [mat(), a64(0.3)]],
  ["pad", "edge", (x) => np.pad(x, [[2, 1], [1, 3]], { mode: "edge" }), x1()],
  ["pad", "wrap, wider than the axis", (x) => np.pad(x, [[3, 2], [4, 1]], { mode: "wrap" }), x1()],
  ["pad", "reflect, wider than the axis", (x) => np.pad(x, [[3, 2], [1, 5]], { mode: "reflect" }), x1()],
  ["pad", "reflect, odd", (x) => np.pad(x, [[1, 2], [4, 2]], { mode: "reflect", reflectType: "odd" }), x1()],
  ["pad", "symmetric", (x) => np.pad(x, [[2, 3], [1, 4]], { mode: "symmetric" }), x1()],
  ["pad", "symmetric, odd", (x) => np.pad(x, [[2, 1], [3, 4]], { mode: "symmetric", reflectType: "odd" }), x1()],
  ["where", "three arguments, broadcasting", (x, y) => np.where(mask23(), x, y), () => [mat(), seq([3], -1, 1, 2)]],
  ["where", "scalar condition, weak scalar branch", (x) => np.where(true, x, 0.5), x1()],
  ["diagonal", "offsets", (x) => [np.diagonal(x), np.diagonal(x, { offset: 1 }), np.diagonal(x, { offset: -1 })], one([3, 4])],
  ["diagonal", "batched axes", (x) => np.diagonal(x, { axis1: 0, axis2: 2 }), one([3, 2, 3])],
  ["diag", "1-D to matrix, k", (x) => [np.diag(x), np.diag(x, -1)], one([3])],
  ["diag", "2-D to diagonal", (x) => np.diag(x, 1), one([3, 4])],
  ["diagflat", "", (x) => np.diagflat(x, 1), one([2, 2])],
  ["trace", "offset", (x) => [np.trace(x), np.trace(x, { offset: 1 })], one([3, 4])],
  ["trace", "batched", (x) => np.trace(x, { axis1: 1, axis2: 2 }), one([2, 3, 3])],
  ["tril", "", (x) => np.tril(x, -1), one([3, 4])],
  ["triu", "", (x) => np.triu(x, 1), one([2, 3, 3])],
  ["meshgrid", "xy, ij and sparse", (x, y) => [...np.meshgrid(x, y), ...np.meshgrid(x, y, { indexing: "ij", sparse: true })], () => [seq([2], -1, 1), seq([3], -1, 1, 2)]],
];

// ---- numpy: creation functions with Array operands -------------------------------------------

const creation: Case[] = [
  ["array", "copy of an Array", (x) => np.array(x), x1()],
  ["asarray", "", (x) => np.asarray(x), x1()],
  ["full", "0-d Array fill value", (v) => np.full([2, 3], v), () => [a64(0.7)]],
  ["full", "broadcast row fill value", (v) => np.full([2, 3], v), one([3])],
  ["fullLike", "Array fill value", (x, v) => np.fullLike(x, v), () => [mat(), a64(0.2)]],
  // Constant in x: the derivative is exactly 0.
  ["zerosLike", "constant", (x) => np.zerosLike(x), x1()],
  ["onesLike", "constant", (x) => np.onesLike(x), x1()],
  ["emptyLike", "constant", (x) => np.emptyLike(x), x1()],
  // linspace computes in float32 whatever its inputs (JAX would use float64 under x64); checkGrads' cotangents are float64,
  // so the result is cast back, and float32 rounding asks for a coarse step and tolerance.
  ["linspace", "Array endpoints (float32 inside)", (a, b) => np.linspace(a, b, 5).astype("float64"), () => [a64(0.3), a64(1.7)], { eps: 1e-2, rtol: 1e-3, atol: 1e-4 }],
  ["linspaceWithStep", "values and step", (a, b) => np.linspaceWithStep(a, b, 4, { endpoint: false }).map((v) => v.astype("float64")), () => [seq([2], -1, 1), seq([2], 1, 2, 2)], { eps: 1e-2, rtol: 1e-3, atol: 1e-4 }],
];

// ---- numpy: contractions and linalg ---------------------------------------------------------

const linalgCases: Case[] = [
  ["dot", "matrix . matrix", (x, y) => np.dot(x, y), () => [mat(), mat(3, 2, 2)]],
  ["dot", "vector . vector", (x, y) => np.dot(x, y), () => [seq([3], -1, 1), seq([3], -1, 1, 2)]],
  ["dot", "matrix . vector", (x, y) => np.dot(x, y), () => [mat(), seq([3], -1, 1, 2)]],
  ["dot", "N-D . N-D", (x, y) => np.dot(x, y), () => [seq([2, 2, 3], -1, 1), seq([2, 3, 2], -1, 1, 2)]],
  ["dot", "scalar . array", (x, y) => np.dot(x, y), () => [a64(0.7), mat()]],
  ["matmul", "matrices", (x, y) => np.matmul(x, y), () => [mat(), mat(3, 2, 2)]],
  ["matmul", "broadcast batch", (x, y) => np.matmul(x, y), () => [seq([2, 1, 2, 3], -1, 1), seq([3, 3, 2], -1, 1, 2)]],
  ["matmul", "vector @ matrix, matrix @ vector", (x, y, v) => [np.matmul(v, x), np.matmul(x, y)], () => [mat(), seq([3], -1, 1, 2), seq([2], -1, 1, 3)]],
  ["vdot", "flattened", (x, y) => np.vdot(x, y), () => [mat(), mat(3, 2, 2)]],
  ["inner", "2-D, 2-D", (x, y) => np.inner(x, y), () => [mat(), mat(4, 3, 2)]],
  ["inner", "scalar", (x, y) => np.inner(x, y), () => [a64(1.3), mat()]],
  ["outer", "flattens", (x, y) => np.outer(x, y), () => [mat(), seq([2], -1, 1, 2)]],
  ["tensordot", "axes = 1 and 2", (x, y, z) => [np.tensordot(x, y, 1), np.tensordot(z, z, 2)], () => [mat(), mat(3, 2, 2), mat(2, 2, 3)]],
  ["tensordot", "axis pair and axis lists", (x, y) => [np.tensordot(x, y, [1, 0]), np.tensordot(x, y, [[1, 2], [0, 2]])], () => [seq([2, 3, 2], -1, 1), seq([3, 2, 2], -1, 1, 2)]],
  ["einsum", "ij,jk->ik", (x, y) => np.einsum("ij,jk->ik", x, y), () => [mat(), mat(3, 2, 2)]],
  ["einsum", "implicit output ij,jk", (x, y) => np.einsum("ij,jk", x, y), () => [mat(), mat(3, 2, 2)]],
  ["einsum", "trace ii-> and diagonal ii->i", (x) => [np.einsum("ii->", x), np.einsum("ii->i", x)], one([3, 3])],
  ["einsum", "transpose and total sum", (x) => [np.einsum("ij->ji", x), np.einsum("ij->", x)], x1()],
  ["einsum", "outer i,j->ij and dot i,i->", (x, y) => [np.einsum("i,j->ij", x, y), np.einsum("i,i->", y, y)], () => [seq([2], -1, 1), seq([3], -1, 1, 2)]],
  ["einsum", "batched bij,bjk->bik", (x, y) => np.einsum("bij,bjk->bik", x, y), () => [seq([2, 2, 3], -1, 1), seq([2, 3, 2], -1, 1, 2)]],
  ["einsum", "ellipsis with broadcast batch", (x, y) => np.einsum("...ij,...jk->...ik", x, y), () => [seq([2, 2, 3], -1, 1), seq([3, 2], -1, 1, 2)]],
  ["einsum", "three operands ij,jk,kl->il", (x, y, z) => np.einsum("ij,jk,kl->il", x, y, z), () => [mat(), mat(3, 2, 2), mat(2, 2, 3)]],
  ["einsum", "ijk,kj->i and Hadamard ij,ij->ij", (x, y, z) => [np.einsum("ijk,kj->i", x, y), np.einsum("ij,ij->ij", z, z)], () => [seq([2, 3, 2], -1, 1), mat(2, 3, 2), mat(2, 3, 3)]],
  ["einsum", "size-1 broadcasting ij,ij->i", (x, y) => np.einsum("ij,ij->i", x, y), () => [seq([1, 3], -1, 1), mat(2, 3, 2)]],
  ["einsum", "repeated label across operands ij,jj->i", (x, y) => np.einsum("ij,jj->i", x, y), () => [mat(), mat(3, 3, 2)]],
  ["kron", "2-D, 2-D", (x, y) => np.kron(x, y), () => [mat(2, 2), mat(2, 3, 2)]],
  ["kron", "1-D, 2-D", (x, y) => np.kron(x, y), () => [seq([2], -1, 1), mat(2, 2, 2)]],
  ["cross", "batched 3-vectors", (x, y) => np.cross(x, y), () => [mat(2, 3), mat(2, 3, 2)]],
  ["cross", "2-vectors (scalar result) and 3 x 2", (x, y, z) => [np.cross(x, y), np.cross(z, x)], () => [mat(2, 2), mat(2, 2, 2), mat(2, 3, 3)]],
  ["cross", "axis option", (x, y) => np.cross(x, y, { axis: 0 }), () => [mat(3, 2), mat(3, 2, 2)]],
  ["linalg.norm", "default (flattened 2-norm)", (x) => np.linalg.norm(x), x1()],
  ["linalg.norm", "vector ords 1, 2, inf, -inf, 3, 0.5, -1", (x) => [1, 2, Infinity, -Infinity, 3, 0.5, -1].map((ord) => np.linalg.norm(x, { ord, axis: 1 })), signed],
  ["linalg.norm", "vector ord 0 (a count: derivative 0)", (x) => np.linalg.norm(x, { ord: 0, axis: 0 }), signed],
  ["linalg.norm", "1-D with ord, keepdims", (x) => np.linalg.norm(x, { ord: 3, keepdims: true }), () => [a64([0.4, -1.2, 0.8])]],
  ["linalg.norm", "matrix ords fro, f, 1, -1, inf, -inf", (x) => (["fro", "f", 1, -1, Infinity, -Infinity] as const).map((ord) => np.linalg.norm(x, { ord })), () => [a64([[-1.3, 0.4, 0.9], [0.6, -1.8, 1.2], [0.2, 0.5, -0.35]])]],
  ["linalg.norm", "matrix norms over batched axes, keepdims", (x) => [np.linalg.norm(x, { ord: 1, axis: [2, 1], keepdims: true }), np.linalg.norm(x, { ord: Infinity, axis: [1, 2] })], one([2, 3, 4], 0.2, 2)],
  ["linalg.vectorNorm", "ords 2, 1, inf; axis; keepdims", (x) => [np.linalg.vectorNorm(x), np.linalg.vectorNorm(x, { ord: 1, axis: 0 }), np.linalg.vectorNorm(x, { ord: Infinity, axis: 1, keepdims: true })], signed],
  ["linalg.matrixNorm", "fro, 1, inf", (x) => [np.linalg.matrixNorm(x), np.linalg.matrixNorm(x, { ord: 1 }), np.linalg.matrixNorm(x, { ord: Infinity })], one([2, 3, 4], 0.2, 2)],
  ["linalg.vecdot", "broadcast batch", (x, y) => np.linalg.vecdot(x, y), () => [seq([2, 1, 3], -1, 1), mat(4, 3, 2)]],
  ["linalg.vecdot", "axis 0", (x, y) => np.linalg.vecdot(x, y, { axis: 0 }), () => [mat(), mat(2, 3, 2)]],
  ["linalg.matmul", "", (x, y) => np.linalg.matmul(x, y), () => [mat(), mat(3, 2, 2)]],
  ["linalg.tensordot", "", (x, y) => np.linalg.tensordot(x, y, 1), () => [mat(), mat(3, 2, 2)]],
  ["linalg.outer", "", (x, y) => np.linalg.outer(x, y), () => [seq([2], -1, 1), seq([3], -1, 1, 2)]],
  ["linalg.cross", "", (x, y) => np.linalg.cross(x, y), () => [mat(2, 3), mat(2, 3, 2)]],
  ["linalg.diagonal", "last two axes, offset", (x) => np.linalg.diagonal(x, { offset: 1 }), one([2, 3, 3])],
  ["linalg.trace", "last two axes", (x) => np.linalg.trace(x), one([2, 3, 3])],
  ["linalg.matrixTranspose", "", (x) => np.linalg.matrixTranspose(x), one([2, 3, 2])],
];

// ---- numpy: indexing -------------------------------------------------------------------------------

const idx3 = () => i32([2, 0, 2]);
const SCATTER_SET_T =
  "transforms/transpose_rules.ts scatterT: the updates' cotangent is gather(ct, idx) for every update, also those a later duplicate overwrote " +
  "(forward mode is right). x = [0.5, -0.2, 0.9]: grad_u sum(x.at([1, 1]).set(u)) = [1, 1], expected [0, 1]; grad_u sum(x.at([2, 0, 2]).set(u)) for a " +
  "scalar u = 3, expected 2. JAX's scatter JVP masks the losing updates (scatter of ids) when indices are not unique";
const indexing: Case[] = [
  ["index", "ints", (x) => [np.index(x, 1), np.index(x, -1, 0)], x1()],
  ["index", "slices (negative step), newaxis, ellipsis", (x) => [np.index(x, np.slice(null, null, -1), np.slice(1)), np.index(x, null, "...", np.slice(0, 3, 2))], one([3, 4])],
  ["index", "integer array (gather)", (x) => np.index(x, idx3()), one([3, 2])],
  ["index", "nested JS list and a slice", (x) => np.index(x, np.slice(), [[0, 2], [1, 1]]), one([2, 3])],
  ["index", "advanced indices separated by a slice", (x) => np.index(x, i32([0, 1]), np.slice(), i32([1, 0])), one([2, 3, 2])],
  ["index", "boolean mask (concrete)", (x) => np.index(x, mask23()), x1()],
  ["index", "0-d Array index (dynamic_slice)", (x) => np.index(x, i32(1)), x1()],
  ["index", "Array method form", (x) => x.index(np.slice(1), 0), one([3, 2])],
  ["at().get", "fill mode out of bounds", (x) => np.at(x, i32([0, 5])).get({ mode: "fill", fillValue: 0 }), one([3])],
  ["at().set", "int and slice targets", (x, u) => np.at(x, 1, np.slice(0, 2)).set(u), () => [mat(), seq([2], -1, 1, 2)]],
  ["at().set", "unique array targets", (x, u) => np.at(x, i32([2, 0])).set(u), () => [seq([4], -1, 1), seq([2], -1, 1, 2)]],
  ["at().set", "array targets with a repeat, scalar broadcast", (x, u) => np.at(x, idx3()).set(u), () => [seq([4], -1, 1), a64(0.3)]],
  ["at().set", "boolean mask (select path)", (x, u) => np.at(x, mask23()).set(u), () => [mat(), a64(0.3)]],
  ["at().set", "duplicate indices (one update wins)", (x, u) => x.at(i32([1, 1])).set(u), () => [seq([3], -1, 1), seq([2], -1, 1, 2)]],
  ["at", "function form np.at(x, i).set(u)", (x, u) => np.at(x, 0, 1).set(u), () => [mat(), a64(0.4)]],
  ["at().add", "duplicate indices accumulate", (x, u) => np.at(x, i32([0, 2, 0])).add(u), () => [seq([3], -1, 1), seq([3], -1, 1, 2)]],
  ["at().add", "2-D rows", (x, u) => np.at(x, i32([1, 0, 1])).add(u), () => [mat(), mat(3, 3, 2)]],
  ["at().multiply", "unique array indices", (x, u) => np.at(x, i32([0, 2])).multiply(u), () => [seq([3], -1, 1), seq([2], 0.5, 2, 2)]],
  ["at().mul", "static int index", (x, u) => x.at(1).mul(u), () => [seq([3], -1, 1), a64(1.7)]],
  ["at().mul", "duplicate indices", (x, u) => x.at(i32([0, 0, 2])).mul(u), () => [seq([3], -1, 1), seq([3], 0.5, 2, 2)]],
  ["at().mul", "a zero update", (x, u) => x.at(i32([0, 2])).mul(u), () => [seq([3], -1, 1), a64([0, 1.5])],
  ],
  ["at().min", "unique indices, update wins in one slot", (x, u) => np.at(x, i32([0, 2])).min(u), () => [a64([0.5, -0.2, 0.9]), a64([0.1, 1.4])]],
  ["at().max", "unique indices, update wins in one slot", (x, u) => np.at(x, i32([0, 2])).max(u), () => [a64([0.5, -0.2, 0.9]), a64([0.1, 1.4])]],
  ["at().max", "duplicate indices: the losing update gets no tangent", (x, u) => np.at(x, i32([1, 1])).max(u), () => [a64([0.5, -0.2, 0.9]), a64([0.3, 0.7])],
  ],
  ["at().min", "duplicate indices: the losing update gets no tangent", (x, u) => np.at(x, i32([1, 1])).min(u), () => [a64([0.5, 0.8, 0.9]), a64([0.3, -0.7])],
  ],
  ["take", "axis 1, fill mode with a negative index", (x) => np.take(x, i32([2, -1, 0]), { axis: 1 }), x1()],
  ["take", "flattened, 2-D indices", (x) => np.take(x, [[0, 5], [3, 3]]), x1()],
  ["take", "clip and wrap modes", (x) => [np.take(x, i32([0, 7]), { axis: 1, mode: "clip" }), np.take(x, i32([4, -4]), { axis: 1, mode: "wrap" })], x1()],
  ["takeAlongAxis", "axis 1", (x) => np.takeAlongAxis(x, i32([[2, 0], [1, 1]]), 1), x1()],
  ["takeAlongAxis", "broadcast indices, axis 0", (x) => np.takeAlongAxis(x, i32([[1], [0]]), 0), x1()],
  ["takeAlongAxis", "axis null", (x) => np.takeAlongAxis(x, i32([5, 0, 3]), null), x1()],
  ["select", "first true condition wins", (x, y, d) => np.select([mask23(), bool([[false, true, true], [false, false, true]])], [x, y], d), () => [mat(), mat(2, 3, 2), a64(0.25)]],
  ["choose", "clip mode", (a, b, c) => np.choose(i32([[0, 2, 1], [3, 1, 0]]), [a, b, c], { mode: "clip" }), () => [mat(), mat(2, 3, 2), mat(2, 3, 3)]],
  ["compress", "axis 1, and with a static size", (x) => [np.compress(bool([true, false, true]), x, { axis: 1 }), np.compress([true, true], x, { size: 3 })], x1()],
  ["extract", "", (x) => np.extract(mask23(), x), x1()],
];

// ---- numpy: sorting ----------------------------------------------------------------------------

/** Distinct values: ties make unique's output jump under any perturbation. */
const distinct5 = () => [a64([0.3, -0.2, 1.1, 0.9, 0.5])];
const sorting: Case[] = [
  ["sort", "last axis", (x) => np.sort(x), x1()],
  ["sort", "axis 0, descending", (x) => np.sort(x, { axis: 0, descending: true }), one([3, 2])],
  ["sort", "flattened", (x) => np.sort(x, { axis: null }), x1()],
  ["sort", "Array method form, 3-D axis 1", (x) => x.sort({ axis: 1 }), one([2, 3, 2])],
  ["partition", "kth 1", (x) => np.partition(x, 1), one([2, 4])],
  ["partition", "axis 0", (x) => np.partition(x, 2, { axis: 0 }), one([3, 2])],
  ["unique", "distinct values, static size", (x) => np.unique(x, { size: 6 }), x1()],
  ["unique", "values with the extras (values only)", (x) => np.unique(x, { size: 4, returnIndex: true, returnCounts: true })[0], distinct5],
  ["uniqueValues", "static size", (x) => np.uniqueValues(x, { size: 4 }), distinct5],
  ["uniqueCounts", "values", (x) => np.uniqueCounts(x, { size: 7 }).values, distinct5],
  ["uniqueInverse", "values", (x) => np.uniqueInverse(x, { size: 4 }).values, distinct5],
  ["uniqueAll", "values", (x) => np.uniqueAll(x, { size: 4 }).values, distinct5],
];

// ---- nn ----------------------------------------------------------------------------------------

/** Away from the kinks of relu & co. (0, +-1, +-3, 6). */
const kinkFree = () => [a64([[-4.1, -2.2, -0.6, -0.3], [0.4, 0.8, 2.5, 7.1]])];
const NN_UNARY: [string, () => np.Array[]][] = [
  ["relu", kinkFree], ["relu6", kinkFree], ["sigmoid", kinkFree], ["silu", kinkFree], ["swish", kinkFree], ["softplus", kinkFree],
  ["logSigmoid", kinkFree], ["softSign", kinkFree], ["elu", kinkFree], ["selu", kinkFree], ["celu", kinkFree], ["leakyRelu", kinkFree],
  ["hardTanh", kinkFree], ["hardSigmoid", kinkFree], ["hardSilu", kinkFree], ["hardSwish", kinkFree], ["mish", kinkFree],
  ["squareplus", kinkFree], ["sparsePlus", kinkFree], ["sparseSigmoid", kinkFree], ["identity", kinkFree], ["gelu", kinkFree],
  ["glu", kinkFree], ["softmax", kinkFree], ["logSoftmax", kinkFree], ["logsumexp", kinkFree], ["standardize", kinkFree], ["normalize", kinkFree],
];
const nnAny = nn as unknown as Record<string, (...a: unknown[]) => unknown>;
const nnCases: Case[] = [
  ...NN_UNARY.map(([n, args]): Case => [`nn.${n}`, "default options", (x) => nnAny[n](x), args]),
  ["nn.elu", "alpha differentiable", (x, a) => nn.elu(x, a), () => [kinkFree()[0], a64(0.7)]],
  ["nn.celu", "alpha differentiable", (x, a) => nn.celu(x, a), () => [kinkFree()[0], a64(1.3)]],
  ["nn.leakyRelu", "slope differentiable", (x, a) => nn.leakyRelu(x, a), () => [kinkFree()[0], a64(0.2)]],
  ["nn.squareplus", "b differentiable", (x, b) => nn.squareplus(x, b), () => [kinkFree()[0], a64(2.5)]],
  ["nn.gelu", "exact (erf)", (x) => nn.gelu(x, { approximate: false }), kinkFree],
  ["nn.glu", "axis 0", (x) => nn.glu(x, { axis: 0 }), kinkFree],
  ["nn.softmax", "axis 0 and both axes", (x) => [nn.softmax(x, { axis: 0 }), nn.softmax(x, { axis: [0, 1] })], x1()],
  ["nn.softmax", "where mask", (x) => nn.softmax(x, { where: mask23() }), x1()],
  ["nn.logSoftmax", "axis 0", (x) => nn.logSoftmax(x, { axis: 0 }), x1()],
  // Masked entries are -inf (finite differences would give NaN): compare the unmasked ones.
  ["nn.logSoftmax", "where mask (unmasked entries)", (x) => np.where(mask23(), nn.logSoftmax(x, { where: mask23() }), 0), x1()],
  ["nn.logsumexp", "axis 1, keepdims", (x) => nn.logsumexp(x, { axis: 1, keepdims: true }), x1()],
  ["nn.logsumexp", "weights b differentiable", (x, b) => nn.logsumexp(x, { axis: 0, b }), () => [mat(), pmat(2, 3, 2)]],
  ["nn.logsumexp", "where mask", (x) => nn.logsumexp(x, { axis: 1, where: mask23() }), x1()],
  ["nn.standardize", "axis 0", (x) => nn.standardize(x, { axis: 0 }), one([3, 2])],
  ["nn.standardize", "given mean and variance (differentiable)", (x, m, v) => nn.standardize(x, { mean: m, variance: v }), () => [mat(), seq([2, 1], -1, 1, 2), seq([2, 1], 0.5, 2, 3)]],
  ["nn.standardize", "where mask", (x) => nn.standardize(x, { where: mask23() }), x1()],
];

// ---- what is not checked, and why ------------------------------------------------------------------

const INT = "integer-valued (indices or counts): no tangent space";
const BOOL = "boolean-valued";
const NOT_DIFFERENTIABLE: Record<string, string> = {
  // classes and index constructors
  IndexError: "error class", NonConcreteBooleanIndexError: "error class", Slice: "index item class (np.slice)",
  IndexUpdateRef: "class behind np.at (its methods are checked as at().*)", slice: "builds a static index item",
  // static shape queries and dtype helpers (JS numbers / dtypes, not arrays)
  shape: "returns a JS array of sizes", ndim: "returns a JS number", size: "returns a JS number", sizeOf: "returns a JS number",
  broadcastShapes: "shape arithmetic on JS arrays", resultType: "returns a dtype", broadcastToShape: "internal helper re-exported from creation; same code as broadcastTo (checked)",
  // creation functions without a floating-point operand
  zeros: "creation: no array operand", ones: "creation: no array operand", empty: "creation: no array operand",
  arange: "creation: JS-number arguments", eye: "creation: no array operand", identity: "creation: no array operand", tri: "creation: no array operand",
  // integer-valued
  argmax: INT, argmin: INT, nanargmax: INT, nanargmin: INT, argsort: INT, argpartition: INT, lexsort: INT, searchsorted: INT,
  argwhere: INT, nonzero: INT, flatnonzero: INT, countNonzero: INT, diagIndices: INT, diagIndicesFrom: INT,
  trilIndices: INT, triuIndices: INT, trilIndicesFrom: INT, triuIndicesFrom: INT, unravelIndex: INT, ravelMultiIndex: INT,
  // boolean-valued
  equal: BOOL, notEqual: BOOL, less: BOOL, lessEqual: BOOL, greater: BOOL, greaterEqual: BOOL, isfinite: BOOL, isnan: BOOL,
  isinf: BOOL, isposinf: BOOL, isneginf: BOOL, signbit: BOOL, logicalAnd: BOOL, logicalOr: BOOL, logicalXor: BOOL, logicalNot: BOOL,
  all: BOOL, any: BOOL,
  // integer / bool bit operations (raise on floats)
  bitwiseAnd: "integer/bool only", bitwiseOr: "integer/bool only", bitwiseXor: "integer/bool only", bitwiseNot: "integer/bool only",
  invert: "integer/bool only", leftShift: "integer/bool only", rightShift: "integer/bool only",
  nextafter: "no derivative in JAX (nextafter_p has no JVP); a one-ulp step is not a smooth function",
  "nn.oneHot": "piecewise constant in its (integer) input; output is an encoding",
};

// ---- the checks ------------------------------------------------------------------------------------

const sections: [string, Case[]][] = [
  ["numpy elementwise", elementwise],
  ["numpy reductions", reductions],
  ["numpy shape ops", shapeOps],
  ["numpy creation (Array operands)", creation],
  ["numpy contractions and linalg", linalgCases],
  ["numpy indexing", indexing],
  ["numpy sorting", sorting],
  ["nn", nnCases],
];
const allCases = sections.flatMap(([, cs]) => cs);

for (const [section, cases] of sections) {
  describe(`checkGrads, order 2, fwd + rev (float64, CPU): ${section}`, () => {
    for (const [fn, label, f, args, opts] of cases) {
      const name = `${fn}${label ? `: ${label}` : ""}`;
      (opts?.fails ? it.fails : it)(name, () => {
        const prev = config.jax_enable_x64;
        config.update("jax_enable_x64", true);
        try {
          checkGrads(f, args(), { order: 2, modes: ["fwd", "rev"], eps: opts?.eps ?? TOL.eps, atol: opts?.atol ?? TOL.atol, rtol: opts?.rtol ?? TOL.rtol });
        } finally {
          config.update("jax_enable_x64", prev);
        }
      });
    }
  });
}

describe("coverage of the numpy and nn namespaces", () => {
  const exported = (): string[] => {
    const names: string[] = [];
    const nonFunctions: string[] = [];
    for (const [k, v] of Object.entries(np)) (typeof v === "function" ? names : nonFunctions).push(k);
    // linalg is a namespace object; ellipsis and newaxis are index constants.
    expect(nonFunctions.sort()).toEqual(["ellipsis", "linalg", "newaxis"]);
    names.push(...Object.keys(np.linalg).map((k) => `linalg.${k}`));
    names.push(...Object.keys(nn).map((k) => `nn.${k}`));
    const atMethods = Object.getOwnPropertyNames(np.IndexUpdateRef.prototype).filter((k) => k !== "constructor");
    names.push(...atMethods.map((k) => `at().${k}`));
    return names;
  };

  it("every exported function is checked or listed in NOT_DIFFERENTIABLE with a reason", () => {
    const names = exported();
    const covered = new Set(allCases.map(([fn]) => fn));
    expect(names.filter((n) => !covered.has(n) && !(n in NOT_DIFFERENTIABLE))).toEqual([]);
    // No stale or contradictory entries.
    expect([...covered, ...Object.keys(NOT_DIFFERENTIABLE)].filter((n) => !names.includes(n))).toEqual([]);
    expect(Object.keys(NOT_DIFFERENTIABLE).filter((n) => covered.has(n))).toEqual([]);
    expect(Object.entries(NOT_DIFFERENTIABLE).filter(([, why]) => why.trim() === "")).toEqual([]);
  });
});
