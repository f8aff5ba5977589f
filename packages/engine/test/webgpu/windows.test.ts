// WebGPU vs the CPU reference: sort (multi-operand, num_keys, any dimension, stability, NaNs
// last, -0 == 0), reduce_window_sum/max/min (strides, padding incl. negative, base and window
// dilation) and conv_general_dilated (dimension numbers, strides, padding, lhs/rhs dilation,
// feature and batch groups, int32) on random shapes including odd sizes and 0/1.
import { describe, it } from "vitest";
import type { DType } from "../../src/core/dtype.js";
import { ConvDimensionNumbers, type PrimitiveParams } from "../../src/core/primitives.js";
import { acquireGpu, checkPrimitive, randomHost, randomShape, rng } from "./harness.js";

const gpu = await acquireGpu();
const SPECIALS = [NaN, 0, -0, Infinity, -Infinity, 1, 1];

describe.skipIf(!gpu)("WebGPU sort, windows and convolutions vs CPU", () => {
  const g = gpu!;
  const r = rng(1234);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

  it("sort: one operand, every dtype, any dimension (NaN, ±0, ties)", async () => {
    for (const d of ["float32", "int32", "uint32", "bool"] as DType[])
      for (let rank = 1; rank <= 3; rank++) {
        const s = randomShape(r, rank, 7);
        const dimension = int(0, rank - 1);
        const x = randomHost(r, s, d, { lo: -3, hi: 3, specials: d === "float32" ? SPECIALS : undefined });
        await checkPrimitive(g, "sort", [x], { dimension, is_stable: true, num_keys: 1 });
      }
    await checkPrimitive(g, "sort", [randomHost(r, [300], "float32", { specials: SPECIALS })], { dimension: 0, is_stable: true, num_keys: 1 });
  });

  it("sort: several operands, num_keys 1-2, stable (argsort-like payloads)", async () => {
    for (let t = 0; t < 6; t++) {
      const rank = int(1, 3);
      const s = randomShape(r, rank, 6);
      const dimension = int(0, rank - 1);
      const num_keys = int(1, 2);
      const keys = [randomHost(r, s, "float32", { lo: -2, hi: 2, specials: [NaN, -0, 0, 1] }), randomHost(r, s, "int32", { lo: -2, hi: 2 })];
      const payload = randomHost(r, s, t % 2 ? "int32" : "bool");
      const iota = { ...payload, dtype: "int32" as DType, data: Int32Array.from({ length: payload.data.length }, (_, i) => i) };
      await checkPrimitive(g, "sort", [...keys, payload, iota], { dimension, is_stable: true, num_keys });
    }
  });

  const windowParams = (rank: number) => ({
    window_dimensions: Array.from({ length: rank }, () => int(0, 3) || 1),
    window_strides: Array.from({ length: rank }, () => int(1, 3)),
    padding: Array.from({ length: rank }, () => [int(-1, 2), int(-1, 2)] as [number, number]),
    base_dilation: Array.from({ length: rank }, () => (r() < 0.3 ? 2 : 1)),
    window_dilation: Array.from({ length: rank }, () => (r() < 0.3 ? 2 : 1)),
  });

  it("reduce_window_sum/max/min (strides, padding, base and window dilation)", async () => {
    for (const prim of ["reduce_window_sum", "reduce_window_max", "reduce_window_min"] as const)
      for (const d of ["float32", "int32", "uint32"] as DType[])
        for (let t = 0; t < 3; t++) {
          const rank = int(1, 3);
          const s = randomShape(r, rank, 7);
          let p = windowParams(rank);
          // Keep the output non-negative in size (the CPU's shape rule rejects the rest).
          for (let tries = 0; tries < 20; tries++) {
            const ok = s.every((n, i) => (Math.max(0, (n - 1) * p.base_dilation[i] + 1) + p.padding[i][0] + p.padding[i][1]) >= (p.window_dimensions[i] - 1) * p.window_dilation[i] + 1);
            if (ok) break;
            p = windowParams(rank);
            if (tries === 19) p = { ...p, padding: p.padding.map(() => [3, 3] as [number, number]), window_dimensions: p.window_dimensions.map(() => 1) };
          }
          const spec = d === "float32" && prim !== "reduce_window_sum" ? { specials: SPECIALS } : {};
          await checkPrimitive(g, prim, [randomHost(r, s, d, spec)], p, { rtol: 1e-5, atol: 1e-5 });
        }
    const pool = { window_dimensions: [1, 3, 3, 1], window_strides: [1, 2, 2, 1], padding: [[0, 0], [1, 1], [1, 1], [0, 0]] as [number, number][], base_dilation: [1, 1, 1, 1], window_dilation: [1, 1, 1, 1] };
    await checkPrimitive(g, "reduce_window_max", [randomHost(r, [2, 9, 9, 3], "float32")], pool);
  });

  const conv = (dn: [number[], number[], number[]], extra: Partial<PrimitiveParams["conv_general_dilated"]>, nsp: number): PrimitiveParams["conv_general_dilated"] => ({
    window_strides: Array(nsp).fill(1), padding: Array(nsp).fill([0, 0]), lhs_dilation: Array(nsp).fill(1), rhs_dilation: Array(nsp).fill(1),
    dimension_numbers: new ConvDimensionNumbers(...dn), feature_group_count: 1, batch_group_count: 1, precision: null, preferred_element_type: null, ...extra,
  });
  /** Shape in `spec` layout from canonical [N, C, spatial…] sizes. */
  const layout = (canon: number[], spec: number[]) => {
    const s = new Array<number>(canon.length);
    spec.forEach((d, i) => (s[d] = canon[i]));
    return s;
  };

  it("conv_general_dilated: NCHW/NHWC, 1-D/2-D, strides, padding, dilations", async () => {
    const NCHW: [number[], number[], number[]] = [[0, 1, 2, 3], [0, 1, 2, 3], [0, 1, 2, 3]];
    const NHWC: [number[], number[], number[]] = [[0, 3, 1, 2], [3, 2, 0, 1], [0, 3, 1, 2]]; // HWIO kernel
    for (let t = 0; t < 8; t++) {
      const two = t % 3 !== 0;
      const nsp = two ? 2 : 1;
      const dn: [number[], number[], number[]] = two ? (t % 2 ? NHWC : NCHW) : [[0, 1, 2], [0, 1, 2], [0, 1, 2]];
      const [N, C, O] = [int(1, 3), int(1, 4), int(1, 5)];
      const sp = Array.from({ length: nsp }, () => int(1, 8));
      const k = Array.from({ length: nsp }, () => int(1, 3));
      const p = conv(dn, {
        window_strides: sp.map(() => int(1, 2)),
        padding: sp.map(() => [int(0, 2), int(-1, 2)] as [number, number]),
        lhs_dilation: sp.map(() => (r() < 0.25 ? 2 : 1)),
        rhs_dilation: sp.map(() => (r() < 0.25 ? 2 : 1)),
      }, nsp);
      const ok = sp.every((n, i) => (n - 1) * p.lhs_dilation[i] + 1 + p.padding[i][0] + p.padding[i][1] >= (k[i] - 1) * p.rhs_dilation[i] + 1);
      if (!ok) p.padding.forEach((_, i) => ((p.padding as [number, number][])[i] = [2, 2]));
      const lhs = randomHost(r, layout([N, C, ...sp], dn[0]), "float32", { lo: -1, hi: 1 });
      const rhs = randomHost(r, layout([O, C, ...k], dn[1]), "float32", { lo: -1, hi: 1 });
      await checkPrimitive(g, "conv_general_dilated", [lhs, rhs], p, { rtol: 1e-4, atol: 1e-5 });
    }
  });

  it("conv_general_dilated: feature/batch groups, int32, size 0", async () => {
    const dn: [number[], number[], number[]] = [[0, 1, 2, 3], [0, 1, 2, 3], [0, 1, 2, 3]];
    // depthwise (feature groups = channels), grouped, batch groups
    await checkPrimitive(g, "conv_general_dilated", [randomHost(r, [2, 3, 5, 5], "float32"), randomHost(r, [6, 1, 3, 3], "float32")],
      conv(dn, { feature_group_count: 3, padding: [[1, 1], [1, 1]] }, 2), { rtol: 1e-4, atol: 1e-4 });
    await checkPrimitive(g, "conv_general_dilated", [randomHost(r, [1, 4, 4, 3], "float32"), randomHost(r, [4, 2, 2, 2], "float32")],
      conv(dn, { feature_group_count: 2 }, 2), { rtol: 1e-4, atol: 1e-4 });
    await checkPrimitive(g, "conv_general_dilated", [randomHost(r, [4, 2, 5], "float32"), randomHost(r, [6, 2, 3], "float32")],
      conv([[0, 1, 2], [0, 1, 2], [0, 1, 2]], { batch_group_count: 2 }, 1), { rtol: 1e-4, atol: 1e-4 });
    // batch-first out spec permuted, int32
    await checkPrimitive(g, "conv_general_dilated", [randomHost(r, [2, 3, 6], "int32", { lo: -3, hi: 3 }), randomHost(r, [4, 3, 2], "int32", { lo: -3, hi: 3 })],
      conv([[0, 1, 2], [0, 1, 2], [2, 0, 1]], { padding: [[1, 0]] }, 1));
    await checkPrimitive(g, "conv_general_dilated", [randomHost(r, [0, 2, 5], "float32"), randomHost(r, [3, 2, 2], "float32")], conv([[0, 1, 2], [0, 1, 2], [0, 1, 2]], {}, 1));
    await checkPrimitive(g, "conv_general_dilated", [randomHost(r, [1, 1, 2], "float32"), randomHost(r, [1, 1, 3], "float32")], conv([[0, 1, 2], [0, 1, 2], [0, 1, 2]], {}, 1));
    // a larger image (tree reduction over C·K·K ≥ 256)
    await checkPrimitive(g, "conv_general_dilated", [randomHost(r, [1, 32, 12, 12], "float32", { lo: -1, hi: 1 }), randomHost(r, [8, 32, 3, 3], "float32", { lo: -1, hi: 1 })],
      conv(dn, { padding: [[1, 1], [1, 1]] }, 2), { rtol: 1e-3, atol: 1e-4 });
  });
});
