/**
 * Structural primitives: abstract eval (shapes, dtypes, weak types, JAX-worded errors) and the
 * CPU implementations, checked against numpy reference results in fixtures/structural.json
 * (regenerate with `python3 packages/engine/test/fixtures/gen_structural.py`).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ShapedArray } from "../src/core/aval.js";
import { allocTyped, isFloat, type DType } from "../src/core/dtype.js";
import {
  ConvDimensionNumbers, DotDimensionNumbers, GatherDimensionNumbers, ModeParam, ScatterDimensionNumbers,
  type GatherScatterMode, type PrimitiveParams,
} from "../src/core/primitives.js";
import { STRUCTURAL_NAMES, structuralAbstractEval, type StructuralName } from "../src/core/rules/structural_rules.js";
import { structuralCpu } from "../src/backend/cpu/structural.js";
import type { HostArray } from "../src/backend/cpu/host_array.js";

type Json = { shape: number[]; dtype: DType; data: (number | string)[] };
type Case = { name: string; prim: StructuralName; params: Record<string, any>; inputs: Json[]; out: Json };
const fixtures: { cases: Case[] } = JSON.parse(readFileSync(new URL("./fixtures/structural.json", import.meta.url), "utf8"));

const num = (v: number | string) => (v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : (v as number));
function host(j: Json): HostArray {
  const data = allocTyped(j.dtype, j.data.length);
  j.data.forEach((v, i) => (data[i] = num(v)));
  return { shape: j.shape, dtype: j.dtype, data };
}
function arange(shape: number[], dtype: DType = "float32"): HostArray {
  const data = allocTyped(dtype, shape.reduce((a, b) => a * b, 1));
  data.forEach((_, i) => (data[i] = dtype === "bool" ? i % 2 : i));
  return { shape, dtype, data };
}
const aval = (shape: number[], dtype: DType = "float32", weak = false) => new ShapedArray(shape, dtype, weak);

/** Fixture params (JAX-style dicts) -> Kiln params (dimension-number classes, ModeParam). */
function toParams(prim: StructuralName, p: Record<string, any>): any {
  const dn = p.dimension_numbers;
  if (prim === "gather") {
    const g = new GatherDimensionNumbers(dn.offset_dims, dn.collapsed_slice_dims, dn.start_index_map, dn.operand_batching_dims, dn.start_indices_batching_dims);
    return { ...p, dimension_numbers: g, mode: new ModeParam(p.mode) };
  }
  if (prim.startsWith("scatter")) {
    const s = new ScatterDimensionNumbers(dn.update_window_dims, dn.inserted_window_dims, dn.scatter_dims_to_operand_dims, dn.operand_batching_dims, dn.scatter_indices_batching_dims);
    return { ...p, dimension_numbers: s, mode: new ModeParam(p.mode) };
  }
  if (prim === "dot_general") return { ...p, dimension_numbers: new DotDimensionNumbers(dn.lhs_contracting, dn.rhs_contracting, dn.lhs_batch, dn.rhs_batch) };
  if (prim === "conv_general_dilated") return { ...p, dimension_numbers: new ConvDimensionNumbers(dn.lhs_spec, dn.rhs_spec, dn.out_spec) };
  return p;
}

type AnyRule = (avals: readonly ShapedArray[], p: any) => ShapedArray[];
type AnyImpl = (xs: readonly HostArray[], p: any, outs: readonly ShapedArray[]) => HostArray[];
const evalRule = (prim: StructuralName, avals: readonly ShapedArray[], params: any) => (structuralAbstractEval[prim] as AnyRule)(avals, params);

function run(prim: StructuralName, inputs: HostArray[], params: any): HostArray {
  const outAvals = evalRule(prim, inputs.map((x) => aval([...x.shape], x.dtype)), params);
  const [out] = (structuralCpu[prim] as AnyImpl)(inputs, params, outAvals);
  expect(out.shape).toEqual(outAvals[0].shape);
  expect(out.dtype).toBe(outAvals[0].dtype);
  expect(out.data.length).toBe(outAvals[0].size);
  for (const x of inputs) expect(out.data.buffer).not.toBe(x.data.buffer);
  return out;
}

function expectClose(actual: HostArray, expected: HostArray, what: string): void {
  expect(actual.dtype, what).toBe(expected.dtype);
  expect([...actual.shape], what).toEqual(expected.shape);
  const tol = expected.dtype === "float64" ? 1e-12 : 2e-6;
  for (let i = 0; i < expected.data.length; i++) {
    const a = actual.data[i];
    const e = expected.data[i];
    if (Number.isNaN(e)) expect(a, `${what} [${i}]`).toBeNaN();
    else if (!isFloat(expected.dtype) || !Number.isFinite(e)) expect(a, `${what} [${i}]`).toBe(e);
    else expect(Math.abs(a - e), `${what} [${i}]: ${a} vs ${e}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(e)));
  }
}

describe("structural primitives match numpy references", () => {
  it("covers every structural primitive", () => {
    const covered = new Set(fixtures.cases.map((c) => c.prim));
    expect(STRUCTURAL_NAMES.filter((n) => !covered.has(n))).toEqual([]);
  });
  for (const c of fixtures.cases) {
    it(c.name, () => {
      const out = run(c.prim, c.inputs.map(host), toParams(c.prim, c.params));
      expectClose(out, host(c.out), c.name);
    });
  }
});

// ---- hand-written value checks -------------------------------------------------------------

const gdn = (od: number[], cd: number[], sim: number[]) => new GatherDimensionNumbers(od, cd, sim);
const sdn = (uwd: number[], iwd: number[], sd: number[]) => new ScatterDimensionNumbers(uwd, iwd, sd);
const gatherParams = (dn: GatherDimensionNumbers, sizes: number[], mode: GatherScatterMode, fill: number | null = null): PrimitiveParams["gather"] =>
  ({ dimension_numbers: dn, slice_sizes: sizes, mode: new ModeParam(mode), fill_value: fill, indices_are_sorted: false, unique_indices: false });
const scatterParams = (dn: ScatterDimensionNumbers, mode: GatherScatterMode): PrimitiveParams["scatter"] =>
  ({ dimension_numbers: dn, mode: new ModeParam(mode), indices_are_sorted: false, unique_indices: false });
const ints = (shape: number[], values: number[], dtype: DType = "int32"): HostArray => {
  const data = allocTyped(dtype, values.length);
  data.set(values);
  return { shape, dtype, data };
};

describe("CPU semantics", () => {
  it("pads with negative and interior padding", () => {
    const x = ints([4], [1, 2, 3, 4]);
    const out = run("pad", [x, ints([], [0])], { padding_config: [[-1, 2, 1]] });
    expect([...out.data]).toEqual([0, 2, 0, 3, 0, 4, 0, 0]);
  });

  it("takes strided slices and reverses", () => {
    const x = arange([3, 5]);
    expect([...run("slice", [x], { start_indices: [0, 1], limit_indices: [3, 5], strides: [2, 2] }).data]).toEqual([1, 3, 11, 13]);
    expect([...run("rev", [x], { dimensions: [1] }).data.slice(0, 5)]).toEqual([4, 3, 2, 1, 0]);
  });

  it("clamps dynamic_slice and dynamic_update_slice starts so the window fits", () => {
    const x = arange([6]);
    expect([...run("dynamic_slice", [x, ints([], [5])], { slice_sizes: [3] }).data]).toEqual([3, 4, 5]);
    expect([...run("dynamic_slice", [x, ints([], [-4])], { slice_sizes: [2] }).data]).toEqual([0, 1]);
    const u = ints([2], [70, 80], "float32");
    expect([...run("dynamic_update_slice", [x, u, ints([], [9])], {}).data]).toEqual([0, 1, 2, 3, 70, 80]);
  });

  it("gathers out-of-bounds indices per mode", () => {
    const x = ints([4], [10, 20, 30, 40], "float32");
    const i = ints([3, 1], [1, 4, -1]);
    const dn = gdn([], [0], [0]);
    expect([...run("gather", [x, i], gatherParams(dn, [1], "clip")).data]).toEqual([20, 40, 10]);
    expect([...run("gather", [x, i], gatherParams(dn, [1], "promise_in_bounds")).data]).toEqual([20, 40, 10]);
    expect([...run("gather", [x, i], gatherParams(dn, [1], "fill")).data]).toEqual([20, NaN, NaN]);
    expect([...run("gather", [x, i], gatherParams(dn, [1], "fill", 0)).data]).toEqual([20, 0, 0]);
    const xi = ints([4], [1, 2, 3, 4]);
    expect([...run("gather", [xi, i], gatherParams(dn, [1], "fill")).data]).toEqual([2, -2147483648, -2147483648]);
  });

  it("scatters with duplicates (last write wins / accumulates) and drops OOB updates", () => {
    const x = ints([3], [0, 0, 0], "float32");
    const i = ints([4, 1], [2, 0, 2, 3]);
    const u = ints([4], [1, 2, 3, 4], "float32");
    const dn = sdn([], [0], [0]);
    expect([...run("scatter", [x, i, u], scatterParams(dn, "fill")).data]).toEqual([2, 0, 3]);
    expect([...run("scatter-add", [x, i, u], scatterParams(dn, "fill")).data]).toEqual([2, 0, 4]);
    expect([...run("scatter-add", [x, i, u], scatterParams(dn, "promise_in_bounds")).data]).toEqual([2, 0, 4]);
    expect([...run("scatter-add", [x, i, u], scatterParams(dn, "clip")).data]).toEqual([2, 0, 8]);
    expect([...x.data]).toEqual([0, 0, 0]); // operand untouched
  });

  it("computes a batched dot_general with transposed operands against a naive loop", () => {
    // lhs [K=7, B=3, M=9], rhs [N=6, B=3, K=7] -> out [B, M, N]
    const lhs = arange([7, 3, 9]);
    const rhs = arange([6, 3, 7]);
    lhs.data.forEach((_, i) => (lhs.data[i] = Math.fround(Math.sin(i))));
    rhs.data.forEach((_, i) => (rhs.data[i] = Math.fround(Math.cos(i))));
    const dn = new DotDimensionNumbers([0], [2], [1], [1]);
    const out = run("dot_general", [lhs, rhs], { dimension_numbers: dn, precision: null, preferred_element_type: null });
    expect(out.shape).toEqual([3, 9, 6]);
    for (let b = 0; b < 3; b++) for (let m = 0; m < 9; m++) for (let n = 0; n < 6; n++) {
      let s = 0;
      for (let k = 0; k < 7; k++) s += lhs.data[k * 27 + b * 9 + m] * rhs.data[n * 21 + b * 7 + k];
      expect(out.data[(b * 9 + m) * 6 + n]).toBe(Math.fround(s));
    }
  });

  it("multiplies 1000x1000 float32 matrices quickly", () => {
    const n = 1000;
    const a = arange([n, n]);
    const b = arange([n, n]);
    a.data.forEach((_, i) => (a.data[i] = (i % 7) - 3));
    b.data.forEach((_, i) => (b.data[i] = (i % 5) - 2));
    const dn = new DotDimensionNumbers([1], [0], [], []);
    const t0 = performance.now();
    const out = run("dot_general", [a, b], { dimension_numbers: dn, precision: null, preferred_element_type: null });
    const ms = performance.now() - t0;
    let s = 0;
    for (let k = 0; k < n; k++) s += a.data[123 * n + k] * b.data[k * n + 456];
    expect(out.data[123 * n + 456]).toBe(s);
    expect(ms).toBeLessThan(2500); // ~0.5 s on a laptop core; generous for shared CI machines
  });

  it("convolves a large image (blocked im2col path) like a naive loop", () => {
    const [C, H, O] = [64, 64, 64]; // 4096 positions x 576 taps: more than one im2col block
    const lhs = arange([1, C, H, H]);
    const rhs = arange([O, C, 3, 3]);
    lhs.data.forEach((_, i) => (lhs.data[i] = Math.fround(Math.sin(i))));
    rhs.data.forEach((_, i) => (rhs.data[i] = Math.fround(Math.cos(i * 0.7))));
    const p: PrimitiveParams["conv_general_dilated"] = {
      window_strides: [1, 1], padding: [[1, 1], [1, 1]], lhs_dilation: [1, 1], rhs_dilation: [1, 1],
      dimension_numbers: new ConvDimensionNumbers([0, 1, 2, 3], [0, 1, 2, 3], [0, 1, 2, 3]),
      feature_group_count: 1, batch_group_count: 1, precision: null, preferred_element_type: null,
    };
    const out = run("conv_general_dilated", [lhs, rhs], p);
    expect(out.shape).toEqual([1, O, H, H]);
    for (const [o, y, x] of [[0, 0, 0], [5, 63, 63], [63, 62, 1], [17, 60, 40], [3, 31, 0], [40, 57, 9]]) {
      let s = 0;
      for (let c = 0; c < C; c++) for (let ky = 0; ky < 3; ky++) for (let kx = 0; kx < 3; kx++) {
        const [iy, ix] = [y + ky - 1, x + kx - 1];
        if (iy >= 0 && iy < H && ix >= 0 && ix < H) s += lhs.data[(c * H + iy) * H + ix] * rhs.data[((o * C + c) * 3 + ky) * 3 + kx];
      }
      expect(out.data[(o * H + y) * H + x]).toBeCloseTo(Math.fround(s), 4);
    }
  });

  it("max- and sum-pools an NCHW image", () => {
    const x = arange([1, 1, 4, 4]);
    const p = { window_dimensions: [1, 1, 2, 2], window_strides: [1, 1, 2, 2], padding: [[0, 0], [0, 0], [0, 0], [0, 0]] as [number, number][], base_dilation: [1, 1, 1, 1], window_dilation: [1, 1, 1, 1] };
    expect([...run("reduce_window_max", [x], p).data]).toEqual([5, 7, 13, 15]);
    expect([...run("reduce_window_sum", [x], p).data]).toEqual([10, 18, 42, 50]);
  });
});

// ---- abstract eval: weak types and errors -------------------------------------------------

describe("abstract eval", () => {
  it("keeps the operand's weak type for movement ops and joins it otherwise", () => {
    const w = aval([2, 3], "float32", true);
    const s = aval([2, 3], "float32");
    expect(evalRule("transpose", [w], { permutation: [1, 0] })[0]).toEqual(aval([3, 2], "float32", true));
    expect(evalRule("broadcast_in_dim", [w], { shape: [4, 2, 3], broadcast_dimensions: [1, 2] })[0].weakType).toBe(true);
    expect(evalRule("concatenate", [w, s], { dimension: 0 })[0].weakType).toBe(false);
    expect(evalRule("concatenate", [w, w], { dimension: 0 })[0]).toEqual(aval([4, 3], "float32", true));
    expect(evalRule("pad", [w, aval([], "float32", true)], { padding_config: [[0, 0, 0], [1, 1, 0]] })[0]).toEqual(aval([2, 5], "float32", true));
    const dn = new DotDimensionNumbers([1], [0], [], []);
    expect(evalRule("dot_general", [w, aval([3, 4], "float32", true)], { dimension_numbers: dn, precision: null, preferred_element_type: null })[0].weakType).toBe(true);
    expect(evalRule("dot_general", [w, aval([3, 4])], { dimension_numbers: dn, precision: null, preferred_element_type: null })[0].weakType).toBe(false);
    expect(evalRule("dynamic_slice", [w, aval([], "int32"), aval([], "int32")], { slice_sizes: [1, 2] })[0]).toEqual(aval([1, 2], "float32", true));
  });

  it("gives dot_general the preferred element type", () => {
    const dn = new DotDimensionNumbers([1], [0], [], []);
    const out = evalRule("dot_general", [aval([2, 3], "int32"), aval([3, 4], "int32")], { dimension_numbers: dn, precision: null, preferred_element_type: "float32" });
    expect(out[0]).toEqual(aval([2, 4], "float32"));
  });

  const conv = (over: Partial<PrimitiveParams["conv_general_dilated"]> = {}): PrimitiveParams["conv_general_dilated"] => ({
    window_strides: [1, 1], padding: [[0, 0], [0, 0]], lhs_dilation: [1, 1], rhs_dilation: [1, 1],
    dimension_numbers: new ConvDimensionNumbers([0, 1, 2, 3], [0, 1, 2, 3], [0, 1, 2, 3]),
    feature_group_count: 1, batch_group_count: 1, precision: null, preferred_element_type: null, ...over,
  });
  const rw = { window_dimensions: [2, 2], window_strides: [1, 1], padding: [[0, 0], [0, 0]] as [number, number][], base_dilation: [1, 1], window_dilation: [1, 1] };
  const i32 = aval([], "int32");

  const errors: [string, StructuralName, ShapedArray[], any, string | RegExp][] = [
    ["broadcast_in_dim size", "broadcast_in_dim", [aval([3])], { shape: [2, 4], broadcast_dimensions: [1] },
      "broadcast_in_dim operand dimension sizes must either be 1, or be equal to their corresponding dimensions in the target broadcast shape; got operand of shape (3,), target broadcast shape (2, 4), broadcast_dimensions (1,)"],
    ["broadcast_in_dim rank", "broadcast_in_dim", [aval([3])], { shape: [3], broadcast_dimensions: [] },
      "broadcast_in_dim broadcast_dimensions must have length equal to operand ndim; got broadcast_dimensions () for operand ndim 1."],
    ["broadcast_in_dim order", "broadcast_in_dim", [aval([1, 1])], { shape: [2, 2], broadcast_dimensions: [1, 0] }, "broadcast_in_dim broadcast_dimensions must be strictly increasing"],
    ["reshape size", "reshape", [aval([3, 4])], { new_sizes: [4, 4], dimensions: null }, "reshape total size must be unchanged, got new_sizes (4, 4) for shape (3, 4)."],
    ["transpose perm", "transpose", [aval([2, 3])], { permutation: [0, 0] },
      "transpose permutation isn't a permutation of operand dimensions, got permutation (0, 0) for operand shape (2, 3)."],
    ["squeeze size", "squeeze", [aval([1, 3])], { dimensions: [1] },
      "cannot select an axis to squeeze out which has size not equal to one, got shape=(1, 3) and dimensions=(1,)"],
    ["rev dims", "rev", [aval([2])], { dimensions: [1] }, "rev dimensions must all be less than operand ndim, got dimensions (1,) for operand ndim 1."],
    ["slice limit", "slice", [aval([4, 4])], { start_indices: [0, 0], limit_indices: [5, 4], strides: null },
      "slice limit_indices must be less than or equal to operand shape, got limit_indices (5, 4) for operand shape (4, 4)."],
    ["slice start>limit", "slice", [aval([4])], { start_indices: [3], limit_indices: [2], strides: null },
      "slice limit_indices must be greater than or equal to start_indices, got start_indices (3,) and limit_indices (2,)."],
    ["slice negative", "slice", [aval([4])], { start_indices: [-1], limit_indices: [2], strides: null }, "slice start_indices must have every element be nonnegative, got (-1,)."],
    ["slice strides", "slice", [aval([4])], { start_indices: [0], limit_indices: [2], strides: [0] }, "slice strides must be positive, got (0,)"],
    ["dynamic_slice sizes", "dynamic_slice", [aval([4]), i32], { slice_sizes: [5] }, "slice slice_sizes must be less than or equal to operand shape, got slice_sizes (5,) for operand shape (4,)."],
    ["dynamic_slice index dtype", "dynamic_slice", [aval([4]), aval([], "float32")], { slice_sizes: [2] }, "index arguments to dynamic_slice must be integers of the same type, got: float32"],
    ["dynamic_slice index count", "dynamic_slice", [aval([4, 4]), i32], { slice_sizes: [2] }, /dynamic_slice start_indices must have length equal to the number of dimensions/],
    ["dynamic_update_slice shape", "dynamic_update_slice", [aval([2]), aval([3]), i32],
      {}, "dynamic_update_slice update shape must be smaller than operand shape, got update shape (3,) for operand shape (2,)."],
    ["dynamic_update_slice dtype", "dynamic_update_slice", [aval([2]), aval([1], "int32"), i32], {}, "lax.dynamic_update_slice requires arguments to have the same dtypes, got float32, int32."],
    ["pad interior", "pad", [aval([2]), aval([])], { padding_config: [[0, 0, -1]] }, "interior padding in padding_config must be nonnegative, got padding_config ((0, 0, -1),)"],
    ["pad too negative", "pad", [aval([2]), aval([])], { padding_config: [[-2, -1, 0]] },
      "Dimension size after padding is not at least 0, got result shape (-1,), for padding_config ((-2, -1, 0),) and operand shape (2,)"],
    ["pad dtype", "pad", [aval([2]), aval([], "int32")], { padding_config: [[0, 0, 0]] }, "pad operand and padding_value must be same dtype: got float32 and int32."],
    ["concatenate shapes", "concatenate", [aval([2, 3]), aval([3, 3])], { dimension: 1 },
      "Cannot concatenate arrays with shapes that differ in dimensions other than the one being concatenated: concatenating along dimension 1 for shapes (2, 3), (3, 3)."],
    ["concatenate dtypes", "concatenate", [aval([2]), aval([2], "int32")], { dimension: 0 }, "lax.concatenate requires arguments to have the same dtypes, got float32, int32."],
    ["gather collapsed bound", "gather", [aval([4, 3]), aval([2, 1], "int32")], gatherParams(gdn([1], [0], [0]), [2, 3], "clip"),
      "Gather op can only collapse slice dims with bound 1, but bound is 2 for index 0 at position 0."],
    ["gather index vector", "gather", [aval([4, 3]), aval([2, 2], "int32")], gatherParams(gdn([1], [0], [0]), [1, 3], "clip"),
      "Gather op has 1 elements in start_index_map and the bound of dimension index_vector_dim=1 of indices is 2. These two numbers must be equal."],
    ["gather float indices", "gather", [aval([4]), aval([2, 1])], gatherParams(gdn([], [0], [0]), [1], "clip"), "indices must have an integer type"],
    ["gather slice size", "gather", [aval([4, 3]), aval([2, 1], "int32")], gatherParams(gdn([1], [0], [0]), [1, 4], "clip"),
      "Slice size at index 1 in gather op is out of range, must be within [0, 3 + 1), got 4."],
    ["scatter window", "scatter-add", [aval([4, 3]), aval([2, 1], "int32"), aval([2, 4])], scatterParams(sdn([1], [0], [0]), "fill"),
      "Bounds of the window dimensions of updates must not exceed the bounds of the corresponding dimensions of operand. For dimension 1, updates bound is 4, operand bound is 3."],
    ["scatter scatter dims", "scatter", [aval([4, 3]), aval([2, 1], "int32"), aval([5, 3])], scatterParams(sdn([1], [0], [0]), "fill"),
      "Bounds of the scatter dimensions of updates must be the same as the bounds of the corresponding dimensions of scatter indices. For scatter dimension 0, updates bound is 5, indices bound is 2."],
    ["scatter rank", "scatter-mul", [aval([4, 3]), aval([2, 1], "int32"), aval([2])], scatterParams(sdn([1], [0], [0]), "fill"), "Updates tensor must be of rank 2; got 1."],
    ["scatter dtypes", "scatter-min", [aval([4]), aval([2, 1], "int32"), aval([2], "int32")], scatterParams(sdn([], [0], [0]), "fill"),
      "lax.scatter requires arguments to have the same dtypes, got float32, int32."],
    ["scatter unsorted", "scatter-max", [aval([4, 3]), aval([2, 1], "int32"), aval([2])], scatterParams(sdn([], [1, 0], [0]), "fill"), "inserted_window_dims in scatter op must be sorted; got (1, 0)"],
    ["dot contracting", "dot_general", [aval([2, 3]), aval([4, 5])], { dimension_numbers: new DotDimensionNumbers([1], [0], [], []), precision: null, preferred_element_type: null },
      "dot_general requires contracting dimensions to have the same shape, got (3,) and (4,)."],
    ["dot batch", "dot_general", [aval([2, 3, 4]), aval([5, 4, 6])], { dimension_numbers: new DotDimensionNumbers([2], [1], [0], [0]), precision: null, preferred_element_type: null },
      "dot_general requires lhs batch dimensions and rhs batch dimensions to have the same shape, got (2,) and (5,)."],
    ["dot range", "dot_general", [aval([2, 3]), aval([3])], { dimension_numbers: new DotDimensionNumbers([2], [0], [], []), precision: null, preferred_element_type: null },
      "dot_general requires lhs dimension numbers to be nonnegative and less than the number of axes of the lhs value, got lhs_batch of () and lhs_contracting of (2,) for lhs of rank 2"],
    ["dot dtypes", "dot_general", [aval([2, 3]), aval([3], "int32")], { dimension_numbers: new DotDimensionNumbers([1], [0], [], []), precision: null, preferred_element_type: null },
      "lax.dot_general requires arguments to have the same dtypes, got float32, int32."],
    ["conv groups", "conv_general_dilated", [aval([1, 4, 5, 5]), aval([6, 2, 3, 3])], conv({ feature_group_count: 3 }),
      "conv_general_dilated feature_group_count must divide lhs feature dimension size, but 3 does not divide 4."],
    ["conv in features", "conv_general_dilated", [aval([1, 4, 5, 5]), aval([6, 3, 3, 3])], conv({ feature_group_count: 2 }),
      "conv_general_dilated lhs feature dimension size divided by feature_group_count must equal the rhs input feature dimension size, but 4 // 2 != 3."],
    ["conv batch groups", "conv_general_dilated", [aval([3, 2, 5, 5]), aval([4, 2, 3, 3])], conv({ batch_group_count: 2 }),
      "conv_general_dilated batch_group_count must divide lhs batch dimension size, but 2 does not divide 3."],
    ["conv strides", "conv_general_dilated", [aval([1, 2, 5, 5]), aval([4, 2, 3, 3])], conv({ window_strides: [1] }),
      "conv_general_dilated window and window_strides must have the same number of dimensions, but got 2 and 1"],
    ["conv rank", "conv_general_dilated", [aval([1, 2, 5]), aval([4, 2, 3, 3])], conv(), "conv_general_dilated lhs and rhs must have the same number of dimensions, but got (1, 2, 5) and (4, 2, 3, 3)."],
    ["conv padding", "conv_general_dilated", [aval([1, 2, 5, 5]), aval([4, 2, 3, 3])], conv({ padding: [[-6, 0], [0, 0]] }),
      "Negative padding is larger than the size of the corresponding dimension: got padding=((-6, 0), (0, 0)) for lhs_shape[2:]=(5, 5)"],
    ["reduce_window rank", "reduce_window_max", [aval([4])], rw, "reduce_window got the wrong number of window_dimensions for operand array with shape (4,): got (2, 2)."],
    ["reduce_window strides", "reduce_window_min", [aval([4, 4])], { ...rw, window_strides: [1, 0] }, "reduce_window window_strides must have every element be strictly positive, got (1, 0)."],
    ["reduce_window_sum bool", "reduce_window_sum", [aval([4, 4], "bool")], rw, "operand to reduce_window_sum must have a number type, got bool"],
  ];
  for (const [name, prim, avals, params, msg] of errors) {
    it(`rejects ${name}`, () => expect(() => evalRule(prim, avals, params)).toThrow(msg));
  }

  it("computes conv and reduce_window output shapes", () => {
    const p = conv({ window_strides: [2, 1], padding: [[1, 1], [0, 0]], rhs_dilation: [1, 2] });
    expect(evalRule("conv_general_dilated", [aval([2, 3, 7, 9]), aval([8, 3, 3, 3])], p)[0].shape).toEqual([2, 8, 4, 5]);
    const nhwc = conv({ dimension_numbers: new ConvDimensionNumbers([0, 3, 1, 2], [3, 2, 0, 1], [0, 3, 1, 2]) });
    expect(evalRule("conv_general_dilated", [aval([2, 7, 9, 3]), aval([3, 3, 3, 8])], nhwc)[0].shape).toEqual([2, 5, 7, 8]);
    const pool = { ...rw, window_strides: [2, 2], padding: [[0, 1], [1, 1]] as [number, number][], base_dilation: [2, 1] };
    expect(evalRule("reduce_window_max", [aval([4, 5])], pool)[0].shape).toEqual([4, 3]);
  });
});
