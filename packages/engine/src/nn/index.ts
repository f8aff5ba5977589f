/**
 * `nn` (jax.nn): activation functions, softmax/logsumexp, one-hot encoding and
 * standardization, written over jnp functions and lax ops with the formulas
 * JAX uses, so values, dtypes and NaN/inf behaviour agree. There is no
 * stop_gradient yet: softmax and friends subtract the (unstopped) max, which
 * gives the same values.
 */
import { type Array } from "../core/tracer.js";
import { type DType, isDType } from "../core/dtype.js";
import { ValueError } from "../core/errors.js";
import { broadcastShapes, normalizeAxes, normalizeAxis } from "../core/shape_util.js";
import * as lax from "../lax/lax.js";
import {
  abs, add, divide, equal, exp, expm1, greater, greaterEqual, less, lessEqual, log, logaddexp, maximum, minimum, multiply,
  negative, sign, sqrt, square, subtract, tanh,
} from "../numpy/ufuncs.js";
import { max as npMax, mean as npMean, sum as npSum, type Axis } from "../numpy/reductions.js";
import { type ArrayLike, canonicalizeDtype, checkArrayLike, promoteArgsInexact, promoteDtypes, toArray } from "../numpy/util.js";

type Un = (x: ArrayLike) => Array;

/** jnp.where(cond, x, y) with promotion and broadcasting. */
function where(cond: ArrayLike, x: ArrayLike, y: ArrayLike): Array {
  let c = lax.asArray(cond);
  if (c.dtype !== "bool") c = lax.ne(c, lax.convertElementType(0, c.dtype));
  const [a, b] = promoteDtypes("where", x, y);
  const shape = broadcastShapes(c.shape, a.shape, b.shape);
  const to = (v: Array) =>
    v.shape.length === shape.length && v.shape.every((d, i) => d === shape[i]) ? v : lax.broadcastInDim(v, shape, v.shape.map((_, i) => i + shape.length - v.ndim));
  return lax.select(c.ndim === 0 ? c : to(c), to(a), to(b));
}

/** The argument as a float array (JAX's promote_args_inexact on one argument). */
const inexact = (fn: string, x: ArrayLike): Array => promoteArgsInexact(fn, x)[0];
const konst = (v: number, d: DType): Array => lax.convertElementType(v, d);

// ---- activations ----------------------------------------------------------------------------------

/** max(x, 0). */
export const relu: Un = (x) => maximum(toArray("relu", x), 0);
/** min(max(x, 0), 6). */
export const relu6: Un = (x) => minimum(maximum(toArray("relu6", x), 0), 6.0);
/** 1 / (1 + exp(-x)), lax.logistic. */
export const sigmoid: Un = (x) => lax.logistic(inexact("sigmoid", x));
/** x * sigmoid(x). */
export const silu: Un = (x) => {
  const a = toArray("silu", x);
  return multiply(a, sigmoid(a));
};
export const swish = silu;
/** log(1 + exp(x)), computed as logaddexp(x, 0). */
export const softplus: Un = (x) => logaddexp(toArray("softplus", x), 0);
/** log(sigmoid(x)) = -softplus(-x). */
export const logSigmoid: Un = (x) => negative(softplus(negative(toArray("log_sigmoid", x))));
/** x / (|x| + 1). */
export const softSign: Un = (x) => {
  const a = toArray("soft_sign", x);
  return divide(a, add(abs(a), 1));
};

/** x for x > 0, alpha * (exp(x) - 1) otherwise (the exp never sees large positive x). */
export function elu(x: ArrayLike, alpha: ArrayLike = 1.0): Array {
  const a = toArray("elu", x);
  const pos = greater(a, 0);
  return where(pos, a, multiply(alpha, expm1(where(pos, 0.0, a))));
}
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;
/** scale * elu(x, alpha) with the self-normalizing constants. */
export const selu: Un = (x) => multiply(SELU_SCALE, elu(x, SELU_ALPHA));
/** max(x, 0) + alpha * expm1(min(x, 0) / alpha). */
export function celu(x: ArrayLike, alpha: ArrayLike = 1.0): Array {
  const a = toArray("celu", x);
  return add(maximum(a, 0.0), multiply(alpha, expm1(divide(minimum(a, 0.0), alpha))));
}
/** x for x >= 0, negativeSlope * x otherwise. */
export function leakyRelu(x: ArrayLike, negativeSlope: ArrayLike = 1e-2): Array {
  const a = toArray("leaky_relu", x);
  return where(greaterEqual(a, 0), a, multiply(negativeSlope, a));
}
/** x clipped to [-1, 1]. */
export const hardTanh: Un = (x) => {
  const a = toArray("hard_tanh", x);
  return where(greater(a, 1), 1, where(less(a, -1), -1, a));
};
/** relu6(x + 3) / 6. */
export const hardSigmoid: Un = (x) => divide(relu6(add(toArray("hard_sigmoid", x), 3.0)), 6.0);
/** x * hardSigmoid(x). */
export const hardSilu: Un = (x) => {
  const a = toArray("hard_silu", x);
  return multiply(a, hardSigmoid(a));
};
export const hardSwish = hardSilu;
/** x * tanh(softplus(x)). */
export const mish: Un = (x) => {
  const a = toArray("mish", x);
  return multiply(a, tanh(softplus(a)));
};
/** (x + sqrt(x^2 + b)) / 2, a smooth relu. */
export function squareplus(x: ArrayLike, b: ArrayLike = 4): Array {
  const a = inexact("squareplus", x);
  return divide(add(a, sqrt(add(square(a), b))), 2);
}
/** 0 for x <= -1, x for x >= 1, (x + 1)^2 / 4 between. */
export const sparsePlus: Un = (x) => {
  const a = inexact("sparse_plus", x);
  return where(lessEqual(a, -1.0), 0.0, where(greaterEqual(a, 1.0), a, divide(square(add(a, 1)), 4)));
};
/** clip((x + 1) / 2, 0, 1). */
export const sparseSigmoid: Un = (x) => {
  const a = inexact("sparse_sigmoid", x);
  return multiply(0.5, minimum(maximum(add(a, 1.0), 0.0), 2.0));
};
export const identity: Un = (x) => toArray("identity", x);

/**
 * GELU. approximate (default, as in JAX): x/2 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3)));
 * exact: x/2 * (1 + erf(x / sqrt(2))).
 */
export function gelu(x: ArrayLike, o: { approximate?: boolean } = {}): Array {
  const a = inexact("gelu", x);
  if (o.approximate ?? true) {
    const inner = lax.mul(konst(Math.sqrt(2 / Math.PI), a.dtype), lax.add(a, lax.mul(0.044715, lax.integerPow(a, 3))));
    return lax.mul(a, lax.mul(0.5, lax.add(1.0, lax.tanh(inner))));
  }
  // JAX: 0.5 * x * erfc(-x / sqrt(2)); erfc(-z) = 1 + erf(z).
  return lax.mul(lax.mul(0.5, a), lax.add(1.0, lax.erf(lax.mul(a, konst(Math.SQRT1_2, a.dtype)))));
}

/** Gated linear unit: split `x` in two halves along `axis`, return first * sigmoid(second). */
export function glu(x: ArrayLike, o: { axis?: number } = {}): Array {
  const a = toArray("glu", x);
  const axis = normalizeAxis(o.axis ?? -1, a.ndim, "glu");
  const size = a.shape[axis];
  if (size % 2 !== 0) throw new ValueError(`glu: axis size must be divisible by 2, got ${size}.`);
  const first = lax.sliceInDim(a, 0, size / 2, 1, axis);
  const second = lax.sliceInDim(a, size / 2, size, 1, axis);
  return multiply(first, sigmoid(second));
}

// ---- softmax family -------------------------------------------------------------------------

export interface SoftmaxOptions {
  axis?: number | readonly number[] | null;
  /** Elements to include; the others get probability 0 (log-probability -inf). */
  where?: ArrayLike;
}

/** exp(x - max) / sum(exp(x - max)) along `axis` (default -1). */
export function softmax(x: ArrayLike, o: SoftmaxOptions = {}): Array {
  const a = toArray("softmax", x);
  const axis = o.axis === undefined ? -1 : o.axis;
  const xMax = npMax(a, { axis, where: o.where, initial: -Infinity, keepdims: true });
  const safe = o.where === undefined ? a : where(o.where, a, -Infinity);
  const unnormalized = exp(subtract(safe, xMax));
  const result = divide(unnormalized, npSum(unnormalized, { axis, where: o.where, keepdims: true }));
  return o.where === undefined ? result : where(o.where, result, 0);
}

/** x - logsumexp(x) along `axis` (default -1), shifted by the max for stability. */
export function logSoftmax(x: ArrayLike, o: SoftmaxOptions = {}): Array {
  const a = toArray("log_softmax", x);
  const axis = o.axis === undefined ? -1 : o.axis;
  const xMax = npMax(a, { axis, where: o.where, initial: -Infinity, keepdims: true });
  const safe = o.where === undefined ? a : where(o.where, a, -Infinity);
  const shifted = subtract(safe, xMax);
  const shiftedLse = log(npSum(exp(shifted), { axis, where: o.where, keepdims: true }));
  const result = subtract(shifted, shiftedLse);
  return o.where === undefined ? result : where(o.where, result, -Infinity);
}

export interface LogsumexpOptions {
  /** Axes to reduce (default: all). */
  axis?: Axis;
  /** Weights: computes log(sum(b * exp(a))); NaN where that sum is negative. */
  b?: ArrayLike;
  keepdims?: boolean;
  where?: ArrayLike;
}

/** log(sum(exp(a))) computed stably (jax.nn.logsumexp = jax.scipy.special.logsumexp). */
export function logsumexp(a: ArrayLike, o: LogsumexpOptions = {}): Array {
  let x: Array;
  let b: Array | undefined;
  if (o.b !== undefined) {
    [x, b] = promoteArgsInexact("logsumexp", a, o.b);
    x = where(lax.ne(b, 0), x, -Infinity);
  } else [x] = promoteArgsInexact("logsumexp", a);
  const axes = normalizeAxes(o.axis, x.ndim, "logsumexp");
  const keepdims = o.keepdims ?? false;
  let amax = npMax(x, { axis: axes, keepdims, where: o.where, initial: -Infinity });
  // All -inf (or an inf) would give inf - inf = NaN: shift by 0 instead.
  amax = lax.select(lax.isFinite(amax), amax, lax.broadcastInDim(konst(0, amax.dtype), amax.shape, []));
  const amaxDims = keepdims ? amax : lax.expandDims(amax, axes);
  let expA = lax.exp(lax.sub(x, amaxDims));
  if (b !== undefined) expA = lax.mul(expA, b);
  let sumexp = npSum(expA, { axis: axes, keepdims, where: o.where });
  const sgn = sign(sumexp);
  sumexp = lax.abs(sumexp);
  let out = lax.add(lax.log(sumexp), lax.convertElementType(amax, sumexp.dtype));
  if (b !== undefined) out = where(lax.lt(sgn, 0), konst(NaN, out.dtype), out);
  return out;
}

// ---- encoding and normalization ---------------------------------------------------------------

/**
 * One-hot encoding: a new axis (default last) of length `numClasses`, with 1
 * where the class equals x; values outside [0, numClasses) give zero rows.
 */
export function oneHot(x: ArrayLike, numClasses: number, o: { dtype?: DType; axis?: number } = {}): Array {
  checkArrayLike("one_hot", x, 0);
  if (!Number.isInteger(numClasses) || numClasses < 0)
    throw new TypeError(`one_hot: numClasses must be a non-negative integer (a static value), got ${String(numClasses)}.`);
  if (o.dtype !== undefined && !isDType(o.dtype)) throw new TypeError(`one_hot: unknown dtype ${JSON.stringify(o.dtype)}.`);
  const dtype = canonicalizeDtype(o.dtype ?? "float32", "one_hot");
  const a = lax.asArray(x);
  const axis = o.axis ?? -1;
  const outAxis = normalizeAxis(axis, a.ndim + 1, "one_hot");
  const lhs = lax.expandDims(a, [outAxis]);
  const rhsShape = a.shape.map(() => 1);
  rhsShape.splice(outAxis, 0, numClasses);
  const rhs = lax.broadcastedIota(a.dtype === "bool" ? "int32" : a.dtype, rhsShape, outAxis);
  return lax.convertElementType(equal(lhs, rhs), dtype);
}

export interface StandardizeOptions {
  axis?: Axis;
  /** Precomputed mean (default: the mean over `axis`). */
  mean?: ArrayLike;
  /** Precomputed variance (default: mean(x^2) - mean(x)^2 over `axis`). */
  variance?: ArrayLike;
  epsilon?: number;
  where?: ArrayLike;
}

/** (x - mean) / sqrt(variance + epsilon) along `axis` (default -1). */
export function standardize(x: ArrayLike, o: StandardizeOptions = {}): Array {
  const a = toArray("standardize", x);
  const axis = o.axis === undefined ? -1 : o.axis;
  const mu = o.mean ?? npMean(a, { axis, keepdims: true, where: o.where });
  const variance = o.variance ?? subtract(npMean(square(a), { axis, keepdims: true, where: o.where }), square(mu));
  return multiply(subtract(a, mu), lax.rsqrt(add(variance, o.epsilon ?? 1e-5)));
}
/** Deprecated alias of standardize (jax.nn.normalize). */
export const normalize = standardize;

