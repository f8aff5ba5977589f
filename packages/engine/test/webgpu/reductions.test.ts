// WebGPU vs the CPU reference: reductions (sum/max/min/prod/and/or over any axes; serial and
// workgroup-tree kernels, empty reductions), argmax/argmin (ties, NaN), cumulative ops
// (forward and reverse), dot_general (GEMM and reduction paths, batch dims, several
// contracting dims, int32), and threefry2x32 bit for bit.
import { describe, it } from "vitest";
import type { DType } from "../../src/core/dtype.js";
import { DotDimensionNumbers } from "../../src/core/primitives.js";
import { acquireGpu, checkPrimitive, randomHost, randomShape, rng } from "./harness.js";

const gpu = await acquireGpu();

describe.skipIf(!gpu)("WebGPU reductions, scans, dot_general and PRNG vs CPU", () => {
  const g = gpu!;
  const r = rng(7);
  const subsets = (n: number): number[][] => {
    const out: number[][] = [];
    for (let m = 0; m < 1 << n; m++) out.push(Array.from({ length: n }, (_, i) => i).filter((i) => m & (1 << i)));
    return out;
  };

  it("reduce_sum / max / min / prod over every axis subset (float32, int32, uint32)", async () => {
    for (const d of ["float32", "int32", "uint32"] as DType[])
      for (const s of [[5, 7, 3], [1, 0, 4], [2, 300]]) {
        for (const axes of subsets(s.length)) {
          const spec = d === "float32" ? { lo: -2, hi: 2, specials: s[1] === 300 ? [] : [NaN, Infinity] } : d === "int32" ? { lo: -1000, hi: 1000 } : { lo: 0, hi: 3000 };
          for (const prim of ["reduce_sum", "reduce_max", "reduce_min"] as const) await checkPrimitive(g, prim, [randomHost(r, s, d, spec)], { axes }, { rtol: 1e-4, atol: 1e-4 });
          await checkPrimitive(g, "reduce_prod", [randomHost(r, s, d, d === "float32" ? { lo: 0.5, hi: 1.5 } : { lo: -3, hi: 3 })], { axes }, { rtol: 1e-4 });
        }
      }
  });

  it("large reductions use the tree kernel (full sum of 100k, column sums)", async () => {
    await checkPrimitive(g, "reduce_sum", [randomHost(r, [100_003], "float32", { lo: 0, hi: 1 })], { axes: [0] }, { rtol: 1e-4 });
    await checkPrimitive(g, "reduce_max", [randomHost(r, [317, 211], "float32")], { axes: [0] });
    await checkPrimitive(g, "reduce_sum", [randomHost(r, [3, 4096], "int32", { lo: -1e6, hi: 1e6 })], { axes: [1] });
  });

  it("reduce_and / reduce_or (bool and integers), max/min of bool", async () => {
    for (const s of [[6, 5], [0, 3], [1, 1]])
      for (const axes of subsets(2)) {
        for (const prim of ["reduce_and", "reduce_or", "reduce_max", "reduce_min"] as const) await checkPrimitive(g, prim, [randomHost(r, s, "bool")], { axes });
        for (const prim of ["reduce_and", "reduce_or"] as const) {
          await checkPrimitive(g, prim, [randomHost(r, s, "int32", { lo: -100, hi: 100 })], { axes });
          await checkPrimitive(g, prim, [randomHost(r, s, "uint32", { lo: 0, hi: 1e6 })], { axes });
        }
      }
  });

  it("argmax / argmin (ties pick the first, NaN wins, every axis, index dtypes)", async () => {
    for (const d of ["float32", "int32", "uint32", "bool"] as DType[])
      for (const s of [[6, 9], [1, 5], [3, 1], [4, 700]])
        for (const axis of [0, 1])
          for (const prim of ["argmax", "argmin"] as const) {
            const spec = d === "float32" ? { lo: -3, hi: 3, specials: [NaN, 1, 1, -Infinity] } : { lo: 0, hi: 3 };
            await checkPrimitive(g, prim, [randomHost(r, s, d, spec)], { axes: [axis], index_dtype: r() < 0.5 ? "int32" : "uint32" });
          }
  });

  it("cumsum / cumprod / cummax / cummin (forward and reverse, every axis)", async () => {
    for (const d of ["float32", "int32", "uint32"] as DType[])
      for (const s of [[7], [4, 6], [3, 0, 2], [2, 3, 5]])
        for (let axis = 0; axis < s.length; axis++)
          for (const reverse of [false, true])
            for (const prim of ["cumsum", "cumprod", "cummax", "cummin"] as const) {
              const spec = prim === "cumprod" ? (d === "float32" ? { lo: 0.5, hi: 1.5 } : { lo: 0, hi: 3 }) : d === "uint32" ? { lo: 0, hi: 100 } : { lo: -50, hi: 50 };
              await checkPrimitive(g, prim, [randomHost(r, s, d, spec)], { axis, reverse }, { rtol: 1e-5 });
            }
  });

  const dn = (lc: number[], rc: number[], lb: number[] = [], rb: number[] = []) => ({
    dimension_numbers: new DotDimensionNumbers(lc, rc, lb, rb), precision: null, preferred_element_type: null,
  });

  it("dot_general: matmuls of odd sizes (GEMM and small-product paths)", async () => {
    for (const [M, K, N] of [[1, 1, 1], [3, 5, 2], [8, 8, 8], [17, 13, 9], [33, 64, 20], [64, 3, 64], [9, 0, 9], [1, 300, 40], [40, 300, 1], [70, 37, 130]])
      await checkPrimitive(g, "dot_general", [randomHost(r, [M, K], "float32", { lo: -1, hi: 1 }), randomHost(r, [K, N], "float32", { lo: -1, hi: 1 })], dn([1], [0]), { rtol: 1e-4, atol: 1e-4 });
  });

  it("dot_general: transposed operands, batch dims, several contracting dims, int32", async () => {
    const f = (s: number[]) => randomHost(r, s, "float32", { lo: -1, hi: 1 });
    const tol = { rtol: 1e-4, atol: 1e-4 };
    await checkPrimitive(g, "dot_general", [f([12, 20]), f([12, 16])], dn([0], [0]), tol); // Aᵀ·B
    await checkPrimitive(g, "dot_general", [f([20, 12]), f([16, 12])], dn([1], [1]), tol); // A·Bᵀ
    await checkPrimitive(g, "dot_general", [f([3, 10, 9]), f([3, 9, 11])], dn([2], [1], [0], [0]), tol);
    await checkPrimitive(g, "dot_general", [f([10, 3, 9]), f([9, 11, 3])], dn([2], [0], [1], [2]), tol);
    await checkPrimitive(g, "dot_general", [f([4, 5, 6]), f([5, 6, 13])], dn([1, 2], [0, 1]), tol);
    await checkPrimitive(g, "dot_general", [f([2, 3, 8, 8]), f([2, 3, 8, 12])], dn([3], [2], [0, 1], [0, 1]), tol);
    await checkPrimitive(g, "dot_general", [f([7]), f([7])], dn([0], [0]), tol);
    await checkPrimitive(g, "dot_general", [f([10, 16]), f([16])], dn([1], [0]), tol);
    const i = (s: number[]) => randomHost(r, s, "int32", { lo: -50000, hi: 50000 });
    await checkPrimitive(g, "dot_general", [i([19, 21]), i([21, 10])], dn([1], [0]));
    await checkPrimitive(g, "dot_general", [i([3, 4]), i([4, 2])], dn([1], [0]));
  });

  it("dot_general: random shapes", async () => {
    for (let t = 0; t < 8; t++) {
      const [M, K, N, B] = [...randomShape(r, 3, 40, false), 1 + Math.floor(r() * 3)];
      await checkPrimitive(g, "dot_general", [randomHost(r, [B, M, K], "float32", { lo: -1, hi: 1 }), randomHost(r, [B, K, N], "float32", { lo: -1, hi: 1 })], dn([2], [1], [0], [0]), { rtol: 1e-4, atol: 1e-4 });
    }
  });

  it("threefry2x32 is bit-exact (and broadcasts scalars / size-1 dims)", async () => {
    const u = (s: number[]) => randomHost(r, s, "uint32", { lo: 0, hi: 4294967295 });
    await checkPrimitive(g, "threefry2x32", [u([1000]), u([1000]), u([1000]), u([1000])], {});
    await checkPrimitive(g, "threefry2x32", [u([]), u([]), u([4, 5]), u([4, 5])], {});
    await checkPrimitive(g, "threefry2x32", [u([1, 5]), u([1, 5]), u([3, 1]), u([3, 5])], {});
    const known = (v: number[]) => ({ shape: [], dtype: "uint32" as DType, data: new Uint32Array(v) });
    // Random123's known-answer vector for threefry2x32_20 with zero key and counter.
    await checkPrimitive(g, "threefry2x32", [known([0]), known([0]), known([0]), known([0])], {});
  });
});
