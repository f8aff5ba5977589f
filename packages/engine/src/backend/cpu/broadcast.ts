/**
 * Materializing lax's implicit broadcasting (scalars, size-1 dims) of binary
 * elementwise operands on the CPU, so per-op implementations see equal shapes.
 */
import { shapesEqual, sizeOf, stridesOf } from "../../core/aval.js";
import { allocTyped } from "../../core/dtype.js";
import { BINARY_ELEMENTWISE, type PrimitiveName } from "../../core/primitives.js";
import type { HostArray } from "./host_array.js";

const BINARY = new Set<string>(BINARY_ELEMENTWISE);

export function broadcastHost(x: HostArray, shape: readonly number[]): HostArray {
  if (shapesEqual(x.shape, shape)) return x;
  const n = sizeOf(shape);
  const out = allocTyped(x.dtype, n);
  if (x.shape.length === 0 || sizeOf(x.shape) === 1) out.fill(x.data[0] as never);
  else {
    const st = stridesOf(x.shape).map((s, i) => (x.shape[i] === 1 ? 0 : s));
    const idx = new Array<number>(shape.length).fill(0);
    let off = 0;
    for (let i = 0; i < n; i++) {
      out[i] = x.data[off];
      for (let d = shape.length - 1; d >= 0; d--) {
        off += st[d];
        if (++idx[d] < shape[d]) break;
        off -= st[d] * shape[d];
        idx[d] = 0;
      }
    }
  }
  return { shape, dtype: x.dtype, data: out };
}

/** Broadcast the inputs of a binary elementwise primitive to its output shape. */
export function broadcastInputs(prim: PrimitiveName, inputs: readonly HostArray[], outShape: readonly number[]): readonly HostArray[] {
  if (!BINARY.has(prim)) return inputs;
  return inputs.map((x) => broadcastHost(x, outShape));
}
