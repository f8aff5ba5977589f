/**
 * Shared helpers of the numpy layer: argument checking, JAX's dtype promotion
 * (`promote_dtypes`, weak types included) and rank promotion (`promote_shapes`),
 * and axis normalization. Every jnp function goes through these, so promotion
 * and error wording have one source of truth.
 */
import { type Array } from "../core/tracer.js";
import { type DType, type DTypeLike, isFloat, promoteTypes } from "../core/dtype.js";
import { config } from "../config.js";
import * as lax from "../lax/lax.js";
import { type ArrayLike, asArray, describe, isArray, jsScalarDtype } from "../lax/lax.js";
import { TypePromotionError } from "../core/errors.js";
import { broadcastShapes } from "../core/shape_util.js";

export type { ArrayLike };

/**
 * Check that `x` is an Array or JS scalar (jnp functions do not take JS arrays: use np.array).
 * Typed PRNG keys (dtype `key<...>`) are refused as JAX's `check_for_prngkeys` does; `args`, all
 * of the function's array arguments when given, lets the message list every dtype as JAX's does:
 * `add does not accept dtypes key<fry>, int32.`
 */
export function checkArrayLike(fn: string, x: unknown, pos: number, args?: readonly unknown[]): asserts x is ArrayLike {
  if (isArray(x) || typeof x === "number" || typeof x === "boolean") return;
  const keyDtype = (v: unknown): string | null => {
    const d = typeof v === "object" && v !== null ? (v as { dtype?: unknown }).dtype : undefined;
    return typeof d === "string" && /^key<[^<>]+>$/.test(d) ? d : null;
  };
  const isScalar = (v: unknown): v is number | boolean => typeof v === "number" || typeof v === "boolean";
  const notArrayLike = (v: unknown, i: number) =>
    new TypeError(`${fn} requires ndarray or scalar arguments, got ${describe(v)} at position ${i}.` + (globalThis.Array.isArray(v) ? " Wrap JS arrays with np.array(...) first." : ""));
  if (keyDtype(x) === null) throw notArrayLike(x, pos);
  const all = args ?? [x];
  // As in JAX, a non-array argument elsewhere is reported first (check_arraylike runs before the key check).
  all.forEach((v, i) => {
    if (!isArray(v) && !isScalar(v) && keyDtype(v) === null) throw notArrayLike(v, i);
  });
  const dtypes = all.map((v) => keyDtype(v) ?? (isScalar(v) ? jsScalarDtype(v) : (v as Array).dtype));
  throw new TypeError(`${fn} does not accept dtype${dtypes.length === 1 ? "" : "s"} ${dtypes.join(", ")}.`);
}

function dtypeLikeOf(x: ArrayLike): DTypeLike {
  if (isArray(x)) return { dtype: x.dtype, weakType: x.weakType };
  return { dtype: jsScalarDtype(x), weakType: true };
}

/** The result dtype of promoting the arguments (JAX's `result_type`). */
export function resultType(...xs: ArrayLike[]): DTypeLike {
  const ts = xs.map(dtypeLikeOf);
  if (config.jax_numpy_dtype_promotion === "strict") {
    const strong = ts.filter((t) => !t.weakType).map((t) => t.dtype);
    if (new Set(strong).size > 1)
      throw new TypePromotionError(
        `Input dtypes (${strong.map((d) => `'${d}'`).join(", ")}) have no available implicit dtype promotion path when jax_numpy_dtype_promotion=strict. ` +
          `Try explicitly casting inputs to the desired output type, or set jax_numpy_dtype_promotion=standard.`,
      );
  }
  return promoteTypes(...ts);
}

/** Convert one value to (dtype, weak): JS scalars become constants, arrays get convert_element_type if needed. */
export function convertTo(x: ArrayLike, t: DTypeLike): Array {
  return lax.convertElementType(x, t.dtype, t.weakType);
}

/** JAX's promote_dtypes: every argument converted to the promoted dtype. */
export function promoteDtypes(fn: string, ...xs: unknown[]): Array[] {
  xs.forEach((x, i) => checkArrayLike(fn, x, i, xs));
  const t = resultType(...(xs as ArrayLike[]));
  return (xs as ArrayLike[]).map((x) => convertTo(x, t));
}

/** Like promoteDtypes, then converted to an inexact (float) dtype (JAX's promote_dtypes_inexact). */
export function promoteDtypesInexact(fn: string, ...xs: unknown[]): Array[] {
  xs.forEach((x, i) => checkArrayLike(fn, x, i, xs));
  const t = resultType(...(xs as ArrayLike[]));
  const target = isFloat(t.dtype) ? t : { dtype: "float32" as DType, weakType: t.weakType };
  return (xs as ArrayLike[]).map((x) => convertTo(x, target));
}

/** JAX's promote_shapes: rank-promote (prepend 1s) when operands of different nonzero ranks meet. */
export function promoteShapes(xs: Array[]): Array[] {
  if (xs.length < 2) return xs;
  const ranks = xs.map((x) => x.ndim);
  if (ranks.every((r) => r === ranks[0])) return xs;
  const nonscalar = new Set(ranks.filter((r) => r > 0));
  if (nonscalar.size < 2) return xs;
  // JAX computes the broadcast shape first, so mismatches raise its "Incompatible shapes" error.
  const nd = broadcastShapes(...xs.map((x) => x.shape)).length;
  return xs.map((x) => (x.ndim === nd ? x : lax.broadcast(x, new globalThis.Array(nd - x.ndim).fill(1))));
}

/** promote_args: dtypes then shapes. */
export function promoteArgs(fn: string, ...xs: unknown[]): Array[] {
  return promoteShapes(promoteDtypes(fn, ...xs));
}
export function promoteArgsInexact(fn: string, ...xs: unknown[]): Array[] {
  return promoteShapes(promoteDtypesInexact(fn, ...xs));
}

/** An Array from an array-like argument of a jnp function (JS scalars become weak arrays). */
export function toArray(fn: string, x: unknown, pos = 0): Array {
  checkArrayLike(fn, x, pos);
  return asArray(x);
}

/** Canonicalize a dtype request: float64 is truncated to float32 unless jax_enable_x64 is set (as JAX warns). */
export function canonicalizeDtype(d: DType, fn: string): DType {
  if (d === "float64" && !config.jax_enable_x64) {
    warnOnce(
      `Explicitly requested dtype float64 requested in ${fn} is not available, and will be truncated to dtype float32. ` +
        `To enable more dtypes, set config.update("jax_enable_x64", true) (CPU backend only).`,
    );
    return "float32";
  }
  return d;
}

const warned = new Set<string>();
export function warnOnce(msg: string): void {
  if (warned.has(msg)) return;
  warned.add(msg);
  console.warn(`UserWarning: ${msg}`);
}
