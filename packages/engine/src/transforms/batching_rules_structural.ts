/**
 * Batching rules of the structural primitives (movement, indexing, windows,
 * sort, conv). Movement ops shift their dimension params past the batch dim;
 * the rest use `loopBatch`, which unstacks the batch, applies the primitive per
 * element and stacks the results — correct for any primitive.
 */
import type { PrimitiveName, PrimitiveParams } from "../core/primitives.js";
import { type Array, bind, bind1 } from "../core/tracer.js";
import * as lax from "../lax/lax.js";
import type { BDim, BatchRule } from "./vmap.js";
import { moveBatchAxis } from "./vmap.js";

/** Apply the primitive to each batch element and stack the results along a new leading axis. */
export function loopBatch<P extends PrimitiveName>(prim: P): BatchRule<P> {
  return (vals, dims, params, axis) => {
    const per: Array[][] = [];
    for (let b = 0; b < axis.size; b++) {
      const args = vals.map((v, i) => {
        const d = dims[i];
        if (d === null) return v;
        const sl = lax.sliceInDim(v, b, b + 1, 1, d);
        return lax.reshape(sl, v.shape.filter((_, k) => k !== d));
      });
      per.push(bind(prim, args, params));
    }
    const nOut = per[0]?.length ?? 0;
    const outs: Array[] = [];
    for (let j = 0; j < nOut; j++) {
      const parts = per.map((o) => lax.broadcastInDim(o[j], [1, ...o[j].shape], o[j].shape.map((_, k) => k + 1)));
      outs.push(lax.concatenate(parts, 0));
    }
    return [outs, outs.map((): BDim => 0)];
  };
}

const shift = (axes: readonly number[], d: number) => axes.map((a) => (a >= d ? a + 1 : a));

const front = (v: Array, d: BDim, size: number) => moveBatchAxis(v, d, 0, size);

export const structuralBatchRules = {
  broadcast_in_dim: ((vals, dims, params, axis) => {
    const x = front(vals[0], dims[0], axis.size);
    const p: PrimitiveParams["broadcast_in_dim"] = { shape: [axis.size, ...params.shape], broadcast_dimensions: [0, ...params.broadcast_dimensions.map((d) => d + 1)] };
    return [[bind1("broadcast_in_dim", [x], p)], [0]];
  }) as BatchRule<"broadcast_in_dim">,
  reshape: ((vals, dims, params, axis) => {
    const x = front(vals[0], dims[0], axis.size);
    return [[bind1("reshape", [x], { new_sizes: [axis.size, ...params.new_sizes], dimensions: null })], [0]];
  }) as BatchRule<"reshape">,
  transpose: ((vals, dims, params, axis) => {
    const x = front(vals[0], dims[0], axis.size);
    return [[bind1("transpose", [x], { permutation: [0, ...params.permutation.map((p) => p + 1)] })], [0]];
  }) as BatchRule<"transpose">,
  squeeze: ((vals, dims, params) => {
    const d = dims[0]!;
    const sd = shift(params.dimensions, d);
    return [[bind1("squeeze", vals, { dimensions: sd })], [d - params.dimensions.filter((x) => x < d).length]];
  }) as BatchRule<"squeeze">,
  rev: ((vals, dims, params) => [[bind1("rev", vals, { dimensions: shift(params.dimensions, dims[0]!) })], [dims[0]]]) as BatchRule<"rev">,
  slice: ((vals, dims, params) => {
    const d = dims[0]!;
    const x = vals[0];
    const ins = <T>(a: readonly T[], v: T) => [...a.slice(0, d), v, ...a.slice(d)];
    return [
      [bind1("slice", [x], { start_indices: ins(params.start_indices, 0), limit_indices: ins(params.limit_indices, x.shape[d]), strides: params.strides ? ins(params.strides, 1) : null })],
      [d],
    ];
  }) as BatchRule<"slice">,
  concatenate: ((vals, dims, params, axis) => {
    const xs = vals.map((v, i) => front(v, dims[i], axis.size));
    return [[bind1("concatenate", xs, { dimension: params.dimension + 1 })], [0]];
  }) as BatchRule<"concatenate">,
  pad: loopBatch("pad"),
  dynamic_slice: loopBatch("dynamic_slice"),
  dynamic_update_slice: loopBatch("dynamic_update_slice"),
  gather: loopBatch("gather"),
  scatter: loopBatch("scatter"),
  "scatter-add": loopBatch("scatter-add"),
  "scatter-mul": loopBatch("scatter-mul"),
  "scatter-min": loopBatch("scatter-min"),
  "scatter-max": loopBatch("scatter-max"),
  sort: ((vals, dims, params, axis) => {
    const xs = vals.map((v, i) => front(v, dims[i], axis.size));
    const outs = bind("sort", xs, { ...params, dimension: params.dimension + 1 });
    return [outs, outs.map((): BDim => 0)];
  }) as BatchRule<"sort">,
  conv_general_dilated: loopBatch("conv_general_dilated"),
  reduce_window_sum: loopBatch("reduce_window_sum"),
  reduce_window_max: loopBatch("reduce_window_max"),
  reduce_window_min: loopBatch("reduce_window_min"),
};
