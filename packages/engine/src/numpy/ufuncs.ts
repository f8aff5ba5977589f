/**
 * Elementwise jnp functions ("ufuncs"): math, comparisons, logic, bitwise.
 * Each promotes its arguments as JAX does (weak types included), then binds
 * lax primitives. Float-only functions promote integers to float32.
 */
import { type Array } from "../core/tracer.js";
import { isFloat, isInteger, isUnsigned } from "../core/dtype.js";
import * as lax from "../lax/lax.js";
import { broadcastShapes } from "../core/shape_util.js";
import { broadcastToShape } from "./creation.js";
import { customJvp } from "../transforms/custom_derivatives.js";
import { type ArrayLike, promoteArgs, promoteArgsInexact, toArray } from "./util.js";

type Un = (x: ArrayLike) => Array;
type Bin = (x: ArrayLike, y: ArrayLike) => Array;

const inexactUnary = (name: string, f: (x: Array) => Array): Un => (x) => f(promoteArgsInexact(name, x)[0]);
const sameUnary = (name: string, f: (x: Array) => Array): Un => (x) => f(promoteArgs(name, x)[0]);
const binary = (name: string, f: (x: Array, y: Array) => Array): Bin => (x, y) => {
  const [a, b] = promoteArgs(name, x, y);
  return f(a, b);
};
const inexactBinary = (name: string, f: (x: Array, y: Array) => Array): Bin => (x, y) => {
  const [a, b] = promoteArgsInexact(name, x, y);
  return f(a, b);
};

// --- arithmetic
export const add = binary("add", (a, b) => (a.dtype === "bool" ? lax.bitwiseOr(a, b) : lax.add(a, b)));
export const subtract = binary("subtract", lax.sub);
export const multiply = binary("multiply", (a, b) => (a.dtype === "bool" ? lax.bitwiseAnd(a, b) : lax.mul(a, b)));
export const divide = inexactBinary("true_divide", lax.div);
export const trueDivide = divide;
export const negative = sameUnary("negative", lax.neg);
export const positive = sameUnary("positive", (x) => x);
export const absolute = sameUnary("absolute", (x) => (isUnsigned(x.dtype) || x.dtype === "bool" ? x : lax.abs(x)));
export const abs = absolute;
export const sign = sameUnary("sign", lax.sign);
export const reciprocal = inexactUnary("reciprocal", (x) => lax.div(lax.convertElementType(1, x.dtype, x.weakType), x));
export const square = sameUnary("square", (x) => lax.integerPow(x, 2));

/** Python-style floor division (rounds toward -inf). */
export const floorDivide = binary("floor_divide", (a, b) => {
  if (isFloat(a.dtype)) return lax.floor(lax.div(a, b));
  if (isUnsigned(a.dtype) || a.dtype === "bool") return lax.div(a, b);
  const q = lax.div(a, b);
  const r = lax.rem(a, b);
  // Adjust toward -inf when the remainder is nonzero and signs differ.
  const adjust = lax.bitwiseAnd(lax.ne(r, 0), lax.ne(lax.lt(r, 0), lax.lt(b, 0)));
  return lax.select(adjust, lax.sub(q, 1), q);
});
/** Python-style remainder (takes the divisor's sign). */
export const remainder = binary("remainder", (a, b) => {
  const r = lax.rem(a, b);
  if (isUnsigned(a.dtype) || a.dtype === "bool") return r;
  const fix = lax.bitwiseAnd(lax.ne(r, 0), lax.ne(lax.lt(r, 0), lax.lt(b, 0)));
  return lax.select(fix, lax.add(r, b), r);
});
export const mod = remainder;
/** C-style remainder (the dividend's sign). */
export const fmod = binary("fmod", lax.rem);
export function divmod(x: ArrayLike, y: ArrayLike): [Array, Array] {
  return [floorDivide(x, y), remainder(x, y)];
}

export const power = binary("power", (a, b) => {
  if (isInteger(a.dtype) || a.dtype === "bool") {
    // Integer power by repeated squaring over the bits of b (b >= 0), as jnp does for integers.
    // Work at the broadcast shape so every select sees equal shapes.
    const shape = broadcastShapes(a.shape, b.shape);
    let acc = lax.broadcastInDim(lax.convertElementType(1, a.dtype), shape, []);
    let base = broadcastToShape(a, shape, "power");
    let e = broadcastToShape(b, shape, "power");
    for (let i = 0; i < 32; i++) {
      const bit = lax.ne(lax.bitwiseAnd(e, 1), 0);
      acc = lax.select(bit, lax.mul(acc, base), acc);
      base = lax.mul(base, base);
      e = lax.shiftRightLogical(e, 1);
    }
    return acc;
  }
  return lax.pow(a, b);
});
export const pow = power;
export const floatPower = inexactBinary("float_power", lax.pow);

export const maximum = binary("maximum", lax.max);
export const minimum = binary("minimum", lax.min);
/** fmax/fmin ignore NaN when the other operand is a number. */
export const fmax = binary("fmax", (a, b) => lax.select(lax.ne(a, a), b, lax.select(lax.ne(b, b), a, lax.max(a, b))));
export const fmin = binary("fmin", (a, b) => lax.select(lax.ne(a, a), b, lax.select(lax.ne(b, b), a, lax.min(a, b))));

// --- exponentials, logs, powers
export const exp = inexactUnary("exp", lax.exp);
export const exp2 = inexactUnary("exp2", lax.exp2);
export const expm1 = inexactUnary("expm1", lax.expm1);
export const log = inexactUnary("log", lax.log);
export const log1p = inexactUnary("log1p", lax.log1p);
export const log2 = inexactUnary("log2", (x) => lax.div(lax.log(x), lax.log(lax.convertElementType(2, x.dtype))));
export const log10 = inexactUnary("log10", (x) => lax.div(lax.log(x), lax.log(lax.convertElementType(10, x.dtype))));
export const logaddexp = inexactBinary("logaddexp", (a, b) => {
  const amax = lax.max(a, b);
  const delta = lax.sub(a, b);
  const isNan = lax.ne(delta, delta);
  const res = lax.add(amax, lax.log1p(lax.exp(lax.neg(lax.abs(delta)))));
  return lax.select(isNan, lax.add(a, b), res);
});
export const sqrt = inexactUnary("sqrt", lax.sqrt);
export const rsqrt = inexactUnary("rsqrt", lax.rsqrt);
export const cbrt = inexactUnary("cbrt", lax.cbrt);

// --- trigonometric and hyperbolic
export const sin = inexactUnary("sin", lax.sin);
export const cos = inexactUnary("cos", lax.cos);
export const tan = inexactUnary("tan", lax.tan);
export const arcsin = inexactUnary("arcsin", lax.asin);
export const arccos = inexactUnary("arccos", lax.acos);
export const arctan = inexactUnary("arctan", lax.atan);
export const arctan2 = inexactBinary("arctan2", lax.atan2);
export const sinh = inexactUnary("sinh", lax.sinh);
export const cosh = inexactUnary("cosh", lax.cosh);
export const tanh = inexactUnary("tanh", lax.tanh);
export const arcsinh = inexactUnary("arcsinh", lax.asinh);
export const arccosh = inexactUnary("arccosh", lax.acosh);
export const arctanh = inexactUnary("arctanh", lax.atanh);
export const asin = arcsin, acos = arccos, atan = arctan, atan2 = arctan2, asinh = arcsinh, acosh = arccosh, atanh = arctanh;
export const hypot = inexactBinary("hypot", (a, b) => lax.sqrt(lax.add(lax.mul(a, a), lax.mul(b, b))));
export const deg2rad = inexactUnary("deg2rad", (x) => lax.mul(x, Math.PI / 180));
export const rad2deg = inexactUnary("rad2deg", (x) => lax.mul(x, 180 / Math.PI));
export const radians = deg2rad, degrees = rad2deg;
/** sin(pi x)/(pi x), with the value and every derivative at 0 from its Maclaurin series (as JAX). */
export const sinc = inexactUnary("sinc", (x) => {
  const isZero = lax.eq(x, full(x, 0));
  const px = lax.mul(x, Math.PI);
  const safe = lax.select(isZero, full(x, 1), px);
  return lax.select(isZero, sincMaclaurin(0, px), lax.div(lax.sin(safe), safe));
});

/** The k-th derivative of sin(x)/x at 0 (times a zero of x's shape so it stays differentiable). */
function sincMaclaurinValue(k: number, x: Array): Array {
  const zero = lax.mul(x, 0);
  return k % 2 ? zero : lax.add(zero, (k / 2) % 2 ? -1 / (k + 1) : 1 / (k + 1));
}
const sincCache = new Map<number, (x: Array) => Array>();
function sincMaclaurin(k: number, x: Array): Array {
  let f = sincCache.get(k);
  if (!f) {
    const cj = customJvp((y: Array) => sincMaclaurinValue(k, y));
    cj.defjvp(([y]: Array[], [t]: Array[]) => [sincMaclaurin(k, y), lax.mul(sincMaclaurin(k + 1, y), t)]);
    f = cj as unknown as (x: Array) => Array;
    sincCache.set(k, f);
  }
  return f(x);
}

/** A constant of x's shape and dtype (select_n needs equal case shapes). */
function full(x: Array, v: number): Array {
  return lax.broadcastInDim(lax.convertElementType(v, x.dtype, x.weakType), x.shape, []);
}

// --- rounding
const intPassthrough = (name: string, f: (x: Array) => Array): Un => (x) => {
  const a = promoteArgs(name, x)[0];
  return isFloat(a.dtype) ? f(a) : a;
};
export const floor = intPassthrough("floor", lax.floor);
export const ceil = intPassthrough("ceil", lax.ceil);
export const trunc = intPassthrough("trunc", (x) => lax.select(lax.lt(x, 0), lax.ceil(x), lax.floor(x)));
export const fix = trunc;
export const rint = intPassthrough("rint", (x) => lax.round(x, lax.RoundingMethod.TO_NEAREST_EVEN));
/** jnp.round(x, decimals=0): round half to even. */
export function round(x: ArrayLike, decimals = 0): Array {
  const a = promoteArgs("round", x)[0];
  if (!isFloat(a.dtype)) return a;
  if (decimals === 0) return lax.round(a, lax.RoundingMethod.TO_NEAREST_EVEN);
  const f = 10 ** decimals;
  return lax.div(lax.round(lax.mul(a, f), lax.RoundingMethod.TO_NEAREST_EVEN), f);
}
export const around = round;

// --- comparisons
export const equal = binary("equal", lax.eq);
export const notEqual = binary("not_equal", lax.ne);
export const less = binary("less", lax.lt);
export const lessEqual = binary("less_equal", lax.le);
export const greater = binary("greater", lax.gt);
export const greaterEqual = binary("greater_equal", lax.ge);

export const isfinite = (x: ArrayLike): Array => {
  const a = toArray("isfinite", x);
  return isFloat(a.dtype) ? lax.isFinite(a) : lax.broadcastInDim(lax.convertElementType(true, "bool"), a.shape, []);
};
export const isnan = (x: ArrayLike): Array => {
  const a = toArray("isnan", x);
  return isFloat(a.dtype) ? lax.ne(a, a) : lax.broadcastInDim(lax.convertElementType(false, "bool"), a.shape, []);
};
export const isinf = (x: ArrayLike): Array => {
  const a = toArray("isinf", x);
  return isFloat(a.dtype) ? lax.eq(lax.abs(a), Infinity) : lax.broadcastInDim(lax.convertElementType(false, "bool"), a.shape, []);
};
export const isposinf = (x: ArrayLike): Array => {
  const a = toArray("isposinf", x);
  return isFloat(a.dtype) ? lax.eq(a, Infinity) : lax.broadcastInDim(lax.convertElementType(false, "bool"), a.shape, []);
};
export const isneginf = (x: ArrayLike): Array => {
  const a = toArray("isneginf", x);
  return isFloat(a.dtype) ? lax.eq(a, -Infinity) : lax.broadcastInDim(lax.convertElementType(false, "bool"), a.shape, []);
};
export const signbit = (x: ArrayLike): Array => {
  const a = toArray("signbit", x);
  if (!isFloat(a.dtype)) return lax.lt(a, 0);
  return lax.ne(lax.shiftRightLogical(lax.bitcastConvertType(lax.convertElementType(a, "float32"), "uint32"), 31), 0);
};
export const copysign = inexactBinary("copysign", (a, b) => lax.select(signbit(b), lax.neg(lax.abs(a)), lax.abs(a)));
export const nextafter = inexactBinary("nextafter", lax.nextafter);

// --- logic and bits
const toBool = (x: Array) => (x.dtype === "bool" ? x : lax.ne(x, lax.convertElementType(0, x.dtype)));
export const logicalAnd: Bin = (x, y) => lax.bitwiseAnd(toBool(toArray("logical_and", x, 0)), toBool(toArray("logical_and", y, 1)));
export const logicalOr: Bin = (x, y) => lax.bitwiseOr(toBool(toArray("logical_or", x, 0)), toBool(toArray("logical_or", y, 1)));
export const logicalXor: Bin = (x, y) => lax.bitwiseXor(toBool(toArray("logical_xor", x, 0)), toBool(toArray("logical_xor", y, 1)));
export const logicalNot: Un = (x) => lax.bitwiseNot(toBool(toArray("logical_not", x)));

const intOrBool = (name: string, f: (a: Array, b: Array) => Array): Bin =>
  binary(name, (a, b) => {
    if (isFloat(a.dtype)) throw new TypeError(`${name}: bitwise operations need integer or bool arguments, got ${a.dtype}.`);
    return f(a, b);
  });
export const bitwiseAnd = intOrBool("bitwise_and", lax.bitwiseAnd);
export const bitwiseOr = intOrBool("bitwise_or", lax.bitwiseOr);
export const bitwiseXor = intOrBool("bitwise_xor", lax.bitwiseXor);
export const bitwiseNot: Un = (x) => {
  const a = toArray("bitwise_not", x);
  if (isFloat(a.dtype)) throw new TypeError(`bitwise_not: needs integer or bool argument, got ${a.dtype}.`);
  return lax.bitwiseNot(a);
};
export const invert = bitwiseNot;
export const leftShift = intOrBool("left_shift", lax.shiftLeft);
export const rightShift = intOrBool("right_shift", (a, b) => (isUnsigned(a.dtype) ? lax.shiftRightLogical(a, b) : lax.shiftRightArithmetic(a, b)));

// --- misc
export const heaviside = binary("heaviside", (x, h) => {
  const shape = broadcastShapes(x.shape, h.shape);
  const xb = broadcastToShape(x, shape, "heaviside");
  const hb = broadcastToShape(h, shape, "heaviside");
  return lax.select(lax.lt(xb, 0), full(xb, 0), lax.select(lax.gt(xb, 0), full(xb, 1), hb));
});
export function clip(x: ArrayLike, min?: ArrayLike | null, max?: ArrayLike | null): Array {
  let out = toArray("clip", x);
  if (min !== undefined && min !== null) out = maximum(out, min);
  if (max !== undefined && max !== null) out = minimum(out, max);
  return out;
}
export function nanToNum(x: ArrayLike, opts: { nan?: number; posinf?: number; neginf?: number } = {}): Array {
  const a = toArray("nan_to_num", x);
  if (!isFloat(a.dtype)) return a;
  const big = a.dtype === "float16" ? 65504 : a.dtype === "float64" ? Number.MAX_VALUE : 3.4028234663852886e38;
  let out = lax.select(lax.ne(a, a), full(a, opts.nan ?? 0), a);
  out = lax.select(lax.eq(out, Infinity), full(a, opts.posinf ?? big), out);
  out = lax.select(lax.eq(out, -Infinity), full(a, opts.neginf ?? -big), out);
  return out;
}
