/**
 * Shared pieces of automatic differentiation: symbolic zeros (so unused
 * tangents and cotangents cost nothing), instantiating them, adding tangents,
 * and broadcasting / un-broadcasting values between an operand's shape and a
 * binary op's output shape (lax broadcasts scalars and size-1 dims).
 */
import { ShapedArray, shapesEqual } from "../core/aval.js";
import { isFloat } from "../core/dtype.js";
import type { Array } from "../core/tracer.js";
import * as lax from "../lax/lax.js";

/** A symbolic zero tangent/cotangent with the aval of the value it stands for. */
export class Zero {
  constructor(readonly aval: ShapedArray) {}
}
export type MaybeZero = Array | Zero;

export function zerosLikeAval(aval: ShapedArray): Array {
  return lax.broadcastInDim(lax.convertElementType(0, aval.dtype, aval.weakType), aval.shape, []);
}

export function instantiate(t: MaybeZero): Array {
  return t instanceof Zero ? zerosLikeAval(t.aval) : t;
}

/** Tangent dtype: integers and bools have only zero tangents (JAX's float0, represented as Zero). */
export function tangentAval(aval: ShapedArray): ShapedArray {
  return aval;
}
export function isDifferentiable(aval: ShapedArray): boolean {
  return isFloat(aval.dtype);
}

export function addTangents(a: MaybeZero, b: MaybeZero): MaybeZero {
  if (a instanceof Zero) return b;
  if (b instanceof Zero) return a;
  return lax.add(a, b);
}

/** Broadcast `t` (an operand-shaped value) to `shape` as lax's implicit binary-op broadcasting does. */
export function broadcastTo(t: Array, shape: readonly number[]): Array {
  if (shapesEqual(t.shape, shape)) return t;
  if (t.ndim === 0) return lax.broadcastInDim(t, shape, []);
  const keep = t.shape.map((d, i) => (d === shape[i] ? i : -1)).filter((i) => i >= 0);
  const squeezed = lax.reshape(t, keep.map((i) => t.shape[i]));
  return lax.broadcastInDim(squeezed, shape, keep);
}

/** Sum `ct` (output-shaped) down to an operand of shape `shape` (the transpose of broadcastTo). */
export function unbroadcast(ct: Array, shape: readonly number[]): Array {
  if (shapesEqual(ct.shape, shape)) return ct;
  if (shape.length === 0) return lax.reduceSum(ct, ct.shape.map((_, i) => i));
  const axes = shape.map((d, i) => (d === 1 && ct.shape[i] !== 1 ? i : -1)).filter((i) => i >= 0);
  return lax.reshape(lax.reduceSum(ct, axes), shape);
}

export function mapMaybeZero(t: MaybeZero, f: (x: Array) => Array, outAval: ShapedArray): MaybeZero {
  return t instanceof Zero ? new Zero(outAval) : f(t);
}
