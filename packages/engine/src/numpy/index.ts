/**
 * The `numpy` namespace (jax.numpy): re-exports every jnp function from the
 * files of this folder. Importing it also installs the Array method forms.
 */
export * from "./creation.js";
export * from "./ufuncs.js";
export { resultType } from "./util.js";
import "./methods.js";
export type { Array } from "../core/tracer.js";
export type { ArrayLike } from "./util.js";
