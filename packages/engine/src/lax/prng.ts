/**
 * lax-level binding of the Threefry-2x32 hash (JAX's `threefry2x32_p`): key words k0, k1 and
 * count words x0, x1, all uint32, broadcast against each other; returns the two hashed words.
 * JS numbers are taken as uint32 constants. jax.random (src/random/) builds on this.
 */
import { type Array, bind } from "../core/tracer.js";
import { type ArrayLike, asArray } from "./lax.js";

export function threefry2x32(k0: ArrayLike, k1: ArrayLike, x0: ArrayLike, x1: ArrayLike): [Array, Array] {
  const [y0, y1] = bind("threefry2x32", [k0, k1, x0, x1].map((x) => asArray(x, "uint32")), {});
  return [y0, y1];
}
