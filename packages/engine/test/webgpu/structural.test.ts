// WebGPU vs the CPU reference: movement and slicing primitives (broadcast_in_dim, reshape,
// squeeze, transpose, rev, slice with strides, pad with negative and interior padding,
// concatenate including empty and many operands, dynamic_slice / dynamic_update_slice with
// clamped starts) on random shapes, every dtype.
import { describe, it } from "vitest";
import type { DType } from "../../src/core/dtype.js";
import { acquireGpu, checkPrimitive, randomHost, randomShape, rng } from "./harness.js";

const gpu = await acquireGpu();
const DTYPES: DType[] = ["float32", "int32", "uint32", "bool"];

describe.skipIf(!gpu)("WebGPU structural primitives vs CPU", () => {
  const g = gpu!;
  const r = rng(99);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const perm = (n: number) => {
    const p = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [p[i], p[j]] = [p[j], p[i]];
    }
    return p;
  };

  it("broadcast_in_dim (scalars, size-1 dims, new leading/inner dims)", async () => {
    const cases: [number[], number[], number[]][] = [
      [[], [3, 4], []], [[4], [3, 4], [1]], [[3], [3, 4], [0]], [[1, 4], [5, 4], [0, 1]], [[3, 1], [2, 3, 6], [1, 2]], [[0], [2, 0], [1]], [[2, 1, 3], [2, 5, 3, 4], [0, 1, 2]],
    ];
    for (const d of DTYPES) for (const [s, shape, bd] of cases) await checkPrimitive(g, "broadcast_in_dim", [randomHost(r, s, d)], { shape, broadcast_dimensions: bd });
  });

  it("reshape and squeeze", async () => {
    for (const d of DTYPES) {
      await checkPrimitive(g, "reshape", [randomHost(r, [2, 3, 4], d)], { new_sizes: [4, 6], dimensions: null });
      await checkPrimitive(g, "reshape", [randomHost(r, [6], d)], { new_sizes: [1, 2, 1, 3], dimensions: null });
      await checkPrimitive(g, "reshape", [randomHost(r, [0, 3], d)], { new_sizes: [3, 0], dimensions: null });
      await checkPrimitive(g, "squeeze", [randomHost(r, [1, 5, 1], d)], { dimensions: [0, 2] });
    }
  });

  it("transpose (random permutations, ranks 1-4)", async () => {
    for (const d of DTYPES)
      for (let rank = 1; rank <= 4; rank++) {
        const s = randomShape(r, rank, 5);
        await checkPrimitive(g, "transpose", [randomHost(r, s, d)], { permutation: perm(rank) });
      }
  });

  it("rev", async () => {
    for (const d of DTYPES) {
      await checkPrimitive(g, "rev", [randomHost(r, [7], d)], { dimensions: [0] });
      await checkPrimitive(g, "rev", [randomHost(r, [3, 4, 5], d)], { dimensions: [0, 2] });
      await checkPrimitive(g, "rev", [randomHost(r, [3, 0], d)], { dimensions: [1] });
    }
  });

  it("slice (starts, limits, strides)", async () => {
    for (const d of DTYPES) {
      await checkPrimitive(g, "slice", [randomHost(r, [10], d)], { start_indices: [2], limit_indices: [9], strides: null });
      await checkPrimitive(g, "slice", [randomHost(r, [10], d)], { start_indices: [1], limit_indices: [10], strides: [3] });
      await checkPrimitive(g, "slice", [randomHost(r, [5, 7, 3], d)], { start_indices: [1, 0, 2], limit_indices: [4, 7, 3], strides: [2, 3, 1] });
      await checkPrimitive(g, "slice", [randomHost(r, [5, 4], d)], { start_indices: [2, 2], limit_indices: [2, 4], strides: null });
    }
  });

  it("pad (low/high/interior, negative padding)", async () => {
    const cfgs: [number[], [number, number, number][]][] = [
      [[5], [[2, 3, 0]]], [[5], [[0, 0, 2]]], [[5], [[-2, 1, 1]]], [[3, 4], [[1, -1, 0], [2, 2, 1]]], [[0, 2], [[1, 1, 0], [0, 0, 0]]], [[1], [[0, 0, 3]]],
    ];
    for (const d of DTYPES)
      for (const [s, cfg] of cfgs) await checkPrimitive(g, "pad", [randomHost(r, s, d), randomHost(r, [], d)], { padding_config: cfg });
  });

  it("concatenate (2 and many operands, empty parts)", async () => {
    for (const d of DTYPES) {
      await checkPrimitive(g, "concatenate", [randomHost(r, [2, 3], d), randomHost(r, [4, 3], d)], { dimension: 0 });
      await checkPrimitive(g, "concatenate", [randomHost(r, [2, 3], d), randomHost(r, [2, 0], d), randomHost(r, [2, 5], d)], { dimension: 1 });
      const many = Array.from({ length: 23 }, (_, i) => randomHost(r, [3, 1 + (i % 3)], d));
      await checkPrimitive(g, "concatenate", many, { dimension: 1 });
      await checkPrimitive(g, "concatenate", [randomHost(r, [7], d)], { dimension: 0 });
    }
  });

  it("dynamic_slice and dynamic_update_slice (in-range and clamped starts)", async () => {
    for (const d of DTYPES)
      for (const starts of [[1, 2], [-3, 9], [4, 0]]) {
        const idx = starts.map((s) => ({ shape: [], dtype: "int32" as DType, data: new Int32Array([s]) }));
        await checkPrimitive(g, "dynamic_slice", [randomHost(r, [6, 5], d), ...idx], { slice_sizes: [3, 2] });
        await checkPrimitive(g, "dynamic_update_slice", [randomHost(r, [6, 5], d), randomHost(r, [2, 3], d), ...idx], {});
      }
    const u = { shape: [], dtype: "uint32" as DType, data: new Uint32Array([3]) };
    await checkPrimitive(g, "dynamic_slice", [randomHost(r, [9], "float32"), u], { slice_sizes: [4] });
  });

  it("random compositions of shapes and dtypes", async () => {
    for (let t = 0; t < 12; t++) {
      const d = pick(DTYPES);
      const s = randomShape(r, 1 + Math.floor(r() * 3), 6);
      const p = perm(s.length);
      await checkPrimitive(g, "transpose", [randomHost(r, s, d)], { permutation: p });
      const starts = s.map((n) => Math.floor(r() * Math.max(1, n)));
      const limits = s.map((n, i) => Math.max(Math.min(n, starts[i]), Math.min(n, starts[i] + 1 + Math.floor(r() * n))));
      await checkPrimitive(g, "slice", [randomHost(r, s, d)], { start_indices: starts.map((v, i) => Math.min(v, s[i])), limit_indices: limits, strides: s.map(() => 1 + Math.floor(r() * 2)) });
    }
  });
});
