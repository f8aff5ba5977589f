/**
 * The abstract-evaluation rule type: from input avals and params to output avals.
 * A rule validates its inputs and throws a TypeError/ValueError-style Error with
 * JAX's wording plus the primitive name and offending shape/dtype.
 */
import type { ShapedArray } from "./aval.js";
import type { PrimitiveName, PrimitiveParams } from "./primitives.js";

export type AbstractEvalRule<P extends PrimitiveName> = (avals: readonly ShapedArray[], params: PrimitiveParams[P]) => ShapedArray[];
export type AbstractEvalTable<K extends PrimitiveName> = { [P in K]: AbstractEvalRule<P> };
