/**
 * @kiln/engine: numpy-style arrays and JAX's transformations in TypeScript.
 * This is the public API (DESIGN.md §3); everything else is internal.
 */
import * as numpy from "./numpy/index.js";
import * as lax from "./lax/lax.js";
import * as nn from "./nn/index.js";
import * as random from "./random/index.js";

export { numpy, lax, nn, random };
/** `jax.dtypes` (the part Kiln has): `dtypes.issubdtype(random.key(0).dtype, dtypes.prngKey)` is true. */
export const dtypes = Object.freeze({ issubdtype: random.issubdtype, prngKey: random.prngKey, extended: random.extended });
export { Array } from "./core/tracer.js";
export { ShapedArray } from "./core/aval.js";
export type { DType } from "./core/dtype.js";
export { promoteTypes } from "./core/dtype.js";
export { ClosedJaxpr, Jaxpr } from "./core/jaxpr.js";
export { jit, makeJaxpr } from "./transforms/jit.js";
export { jvp, linearize, vjp, grad, valueAndGrad, jacfwd, jacrev, hessian } from "./transforms/grad.js";
export { vmap } from "./transforms/vmap.js";
export { customJvp, customVjp, stopGradient } from "./transforms/custom_derivatives.js";
export type { CustomJvpFunction, CustomJvpOptions, CustomVjpFunction, CustomVjpOptions } from "./transforms/custom_derivatives.js";
export { checkGrads } from "./test_util.js";
export type { CheckGradsOptions } from "./test_util.js";
export type { JitOptions, Jitted } from "./transforms/jit.js";
export { config } from "./config.js";
export { init, devices, devicePut, blockUntilReady } from "./runtime.js";
export type { Device } from "./backend/backend.js";
export { treeFlatten, treeUnflatten, treeMap, treeLeaves, treeStructure, PyTreeDef, registerPytreeNode } from "./core/tree.js";
export type { PytreeNodeType } from "./core/tree.js";
export { ConcretizationTypeError, TracerBoolConversionError, TracerIntegerConversionError, TypePromotionError } from "./core/errors.js";
