/**
 * Abstract-eval rule of `threefry2x32`, the Threefry-2x32 block hash under jax.random
 * (JAX's `_threefry2x32_abstract_eval` in jax/_src/prng.py): the four operands (key words
 * k0, k1 and count words x0, x1) are uint32 and broadcast as lax's binary ops do (rank-0
 * operands against anything, otherwise equal ranks with equal or size-1 dimensions); the
 * result is two uint32 arrays (y0, y1) of the broadcast shape.
 */
import { ShapedArray, shapeStr } from "../aval.js";
import type { AbstractEvalTable } from "../shape_rule_types.js";

function threefryShape(avals: readonly ShapedArray[]): readonly number[] {
  const shapes = avals.map((a) => a.shape).filter((s) => s.length > 0);
  if (shapes.length === 0) return [];
  const all = avals.map((a) => shapeStr(a.shape)).join(", ");
  if (new Set(shapes.map((s) => s.length)).size !== 1)
    throw new TypeError(`threefry2x32: arrays must have same number of dimensions, got ${all}.`);
  return shapes[0].map((_, i) => {
    const sizes = shapes.map((s) => s[i]).filter((d) => d !== 1);
    if (sizes.some((d) => d !== sizes[0])) throw new TypeError(`threefry2x32 got incompatible shapes for broadcasting: ${all}.`);
    return sizes.length ? sizes[0] : 1;
  });
}

export const prngAbstractEval: AbstractEvalTable<"threefry2x32"> = {
  threefry2x32: (avals) => {
    if (avals.length !== 4) throw new TypeError(`threefry2x32 takes 4 operands (k0, k1, x0, x1), got ${avals.length}.`);
    if (avals.some((a) => a.dtype !== "uint32"))
      throw new TypeError(`Arguments to threefry2x32 must have uint32 type, got (${avals.map((a) => a.dtype).join(", ")}).`);
    const shape = threefryShape(avals);
    return [new ShapedArray(shape, "uint32"), new ShapedArray(shape, "uint32")];
  },
};
