/**
 * The `numpy` namespace (jax.numpy): re-exports every jnp function from the
 * files of this folder. Importing it also installs the Array method forms.
 */
export * from "./creation.js";
export * from "./ufuncs.js";
export * from "./reductions.js";
export * from "./shape_ops.js";
export * from "./linalg.js";
export * from "./indexing.js";
export * from "./sorting.js";
export { resultType } from "./util.js";
export type { Array } from "../core/tracer.js";
export type { ArrayLike } from "./util.js";
import "./methods.js";
