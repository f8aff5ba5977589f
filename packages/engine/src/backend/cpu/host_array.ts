/**
 * The CPU backend's data: a dense row-major typed array with its shape and dtype.
 * float16 is stored widened in a Float32Array (values rounded on write).
 */
import type { DType, TypedArray } from "../../core/dtype.js";
import type { PrimitiveName, PrimitiveParams } from "../../core/primitives.js";
import type { ShapedArray } from "../../core/aval.js";

export interface HostArray {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly data: TypedArray;
}

/**
 * A CPU implementation of one primitive: takes dense inputs, the params, and the
 * output avals computed by the primitive's abstract-eval rule; returns fresh outputs
 * (never aliases an input's data).
 */
export type CpuImpl<P extends PrimitiveName> = (
  inputs: readonly HostArray[],
  params: PrimitiveParams[P],
  outAvals: readonly ShapedArray[],
) => HostArray[];

export type CpuImplTable<K extends PrimitiveName> = { [P in K]: CpuImpl<P> };
