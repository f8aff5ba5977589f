/**
 * Tests for the elementwise half of the primitive set: abstract-eval rules (dtypes, shapes,
 * weak types, JAX-worded errors) and the CPU reference backend, against numpy-generated
 * fixtures (fixtures/gen_elementwise.py -> elementwise.json) plus hand-written edge cases.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ShapedArray } from "../src/core/aval.js";
import { type DType, allocTyped } from "../src/core/dtype.js";
import { ELEMENTWISE_NAMES, type ElementwiseName, elementwiseAbstractEval } from "../src/core/rules/elementwise_rules.js";
import { elementwiseCpu, erf, erfInv, roundFloat16 } from "../src/backend/cpu/elementwise.js";
import type { HostArray } from "../src/backend/cpu/host_array.js";

type Val = number | "nan" | "inf" | "-inf" | "-0";
interface Enc {
  dtype: DType;
  shape: number[];
  data: Val[];
  weak?: boolean;
}
type Tol = "exact" | { ulp: number } | { rel: number };
interface Case {
  prim: ElementwiseName;
  params: Record<string, unknown>;
  note: string;
  tol: Tol;
  inputs: { ref: string }[];
  outputs: Enc[];
}
const fixtures = JSON.parse(readFileSync(new URL("./fixtures/elementwise.json", import.meta.url), "utf8")) as {
  arrays: Record<string, Enc>;
  cases: Case[];
};

type AnyRule = (avals: readonly ShapedArray[], params: unknown) => ShapedArray[];
type AnyImpl = (inputs: readonly HostArray[], params: unknown, outAvals: readonly ShapedArray[]) => HostArray[];
const rule = (p: ElementwiseName) => elementwiseAbstractEval[p] as AnyRule;
const impl = (p: ElementwiseName) => elementwiseCpu[p] as AnyImpl;

const decode = (v: Val): number => (typeof v === "number" ? v : v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : -0);

function host(dtype: DType, values: readonly Val[], shape: readonly number[] = [values.length]): HostArray {
  const data = allocTyped(dtype, values.length);
  values.forEach((v, i) => (data[i] = dtype === "float16" ? roundFloat16(decode(v)) : decode(v)));
  return { shape, dtype, data };
}
const fromEnc = (e: Enc) => host(e.dtype, e.data, e.shape);
const aval = (dtype: DType, shape: number[] = [3], weak = false) => new ShapedArray(shape, dtype, weak);

/** Evaluate through the abstract-eval rule and the CPU impl, as the interpreter would. */
function run(prim: ElementwiseName, inputs: HostArray[], params: unknown = {}) {
  const outAvals = rule(prim)(inputs.map((x) => new ShapedArray(x.shape, x.dtype)), params);
  const outs = impl(prim)(inputs, params, outAvals);
  return { outAvals, outs };
}
const values = (h: HostArray) => Array.from(h.data as ArrayLike<number>);

const F32 = new Float32Array(1);
const I32 = new Int32Array(F32.buffer);
/** Monotone integer image of a float32 (so ulp distance is a difference); -0 and +0 coincide. */
function f32Ordinal(x: number): number {
  F32[0] = x;
  const b = I32[0];
  return b < 0 ? -(b & 0x7fffffff) : b;
}
const TINY: Record<string, number> = { float16: 2 ** -24, float32: 2 ** -149, float64: Number.MIN_VALUE };

function close(a: number, e: number, tol: Tol, dtype: DType): boolean {
  if (Number.isNaN(e)) return Number.isNaN(a);
  if (tol === "exact" || !Number.isFinite(e) || !Number.isFinite(a)) return Object.is(a, e);
  if ("ulp" in tol && dtype === "float32") return Math.abs(f32Ordinal(a) - f32Ordinal(e)) <= tol.ulp;
  const rel = "rel" in tol ? tol.rel : tol.ulp * 2 ** -23;
  return Math.abs(a - e) <= rel * Math.abs(e) + (TINY[dtype] ?? 0);
}

describe("fixtures (numpy references)", () => {
  it("cover every primitive of this half", () => {
    const seen = new Set(fixtures.cases.map((c) => c.prim));
    expect(ELEMENTWISE_NAMES.filter((n) => !seen.has(n))).toEqual([]);
  });

  fixtures.cases.forEach((c, k) => {
    const ins = c.inputs.map((r) => fixtures.arrays[r.ref]);
    const title = `#${k} ${c.prim}${Object.keys(c.params).length ? JSON.stringify(c.params) : ""}(${ins.map((e) => `${e.dtype}[${e.shape}]`).join(", ")}) ${c.note}`;
    it(title, () => {
      const { outAvals, outs } = run(c.prim, ins.map(fromEnc), c.params);
      expect(outAvals.map((a) => [a.dtype, [...a.shape]])).toEqual(c.outputs.map((o) => [o.dtype, o.shape]));
      c.outputs.forEach((want, j) => {
        const got = outs[j];
        expect(got.dtype).toBe(want.dtype);
        expect([...got.shape]).toEqual(want.shape);
        const exp = values(fromEnc(want));
        const act = values(got);
        expect(act.length).toBe(exp.length);
        const bad: string[] = [];
        // float32 erf_inv follows XLA's polynomial (for bit-exact random.normal), a few ulps from the true value.
        const tol: Tol = c.prim === "erf_inv" && want.dtype === "float32" ? { rel: 5e-6 } : c.tol;
        act.forEach((a, i) => {
          if (!close(a, exp[i], tol, want.dtype)) bad.push(`[${i}] in=(${ins.map((e) => String(e.data[i])).join(", ")}) got ${Object.is(a, -0) ? "-0" : a} want ${Object.is(exp[i], -0) ? "-0" : exp[i]}`);
        });
        expect(bad.slice(0, 8)).toEqual([]);
      });
    });
  });
});

describe("abstract eval: dtypes, shapes, weak types", () => {
  const ev = (p: ElementwiseName, avals: ShapedArray[], params: unknown = {}) => rule(p)(avals, params);

  it("binary ops keep dtype; weak iff all inputs weak; comparisons give strong bool", () => {
    expect(ev("add", [aval("float32", [2, 3], true), aval("float32", [2, 3], true)])[0].toString()).toBe("ShapedArray(float32[2,3], weak_type=True)");
    expect(ev("mul", [aval("int32", [3], true), aval("int32", [3])])[0].weakType).toBe(false);
    const lt = ev("lt", [aval("float32", [3], true), aval("float32", [3], true)])[0];
    expect([lt.dtype, lt.weakType]).toEqual(["bool", false]);
    expect(ev("shift_left", [aval("uint32"), aval("uint32")])[0].dtype).toBe("uint32");
    expect(ev("max", [aval("bool"), aval("bool")])[0].dtype).toBe("bool");
  });

  it("unary ops keep dtype and weak type; is_finite gives strong bool", () => {
    expect(ev("sin", [aval("float16", [4], true)])[0].toString()).toBe("ShapedArray(float16[4], weak_type=True)");
    expect(ev("is_finite", [aval("float32", [4], true)])[0].toString()).toBe("ShapedArray(bool[4])");
    expect(ev("neg", [aval("int32", [])])[0].strShort()).toBe("i32[]");
    expect(ev("integer_pow", [aval("int32", [2], true)], { y: 3 })[0].toString()).toBe("ShapedArray(int32[2], weak_type=True)");
    expect(ev("not", [aval("bool")])[0].dtype).toBe("bool");
  });

  it("select_n, clamp, conversions, iota", () => {
    expect(ev("select_n", [aval("bool", []), aval("float32", [3], true), aval("float32", [3], true)])[0].weakType).toBe(true);
    expect(ev("select_n", [aval("int32"), aval("float32", [3], true), aval("float32")])[0].weakType).toBe(false);
    expect(ev("clamp", [aval("float32", []), aval("float32", [2, 2]), aval("float32", [2, 2])])[0].strShort()).toBe("f32[2,2]");
    expect(ev("clamp", [aval("int32", [], true), aval("int32", [3], true), aval("int32", [], true)])[0].weakType).toBe(true);
    expect(ev("convert_element_type", [aval("int32", [2], false)], { new_dtype: "float32", weak_type: true })[0].toString()).toBe("ShapedArray(float32[2], weak_type=True)");
    expect(ev("bitcast_convert_type", [aval("float32", [2], true)], { new_dtype: "uint32" })[0].toString()).toBe("ShapedArray(uint32[2])");
    expect(ev("iota", [], { dtype: "int32", shape: [2, 5], dimension: 1 })[0].strShort()).toBe("i32[2,5]");
  });

  it("reductions drop axes and keep dtype/weak type; argmax gives index_dtype", () => {
    expect(ev("reduce_sum", [aval("float32", [2, 3, 4], true)], { axes: [0, 2] })[0].toString()).toBe("ShapedArray(float32[3], weak_type=True)");
    expect(ev("reduce_max", [aval("int32", [2, 3])], { axes: [] })[0].strShort()).toBe("i32[2,3]");
    expect(ev("reduce_and", [aval("bool", [2, 3])], { axes: [0, 1] })[0].strShort()).toBe("bool[]");
    expect(ev("argmax", [aval("float32", [2, 3], true)], { axes: [1], index_dtype: "int32" })[0].toString()).toBe("ShapedArray(int32[2])");
    expect(ev("argmin", [aval("float32", [2, 3])], { axes: [0], index_dtype: "uint32" })[0].strShort()).toBe("u32[3]");
    expect(ev("cumsum", [aval("float32", [2, 3], true)], { axis: 1, reverse: true })[0].toString()).toBe("ShapedArray(float32[2,3], weak_type=True)");
    const s = ev("sort", [aval("float32", [4]), aval("int32", [4], true)], { dimension: 0, is_stable: true, num_keys: 1 });
    expect(s.map((a) => a.toString())).toEqual(["ShapedArray(float32[4])", "ShapedArray(int32[4], weak_type=True)"]);
  });
});

describe("abstract eval: errors", () => {
  const bad = (p: ElementwiseName, avals: ShapedArray[], params: unknown, msg: string) => expect(() => rule(p)(avals, params)).toThrow(msg);

  it("binary shapes and dtypes", () => {
    bad("add", [aval("float32", [3]), aval("float32", [4])], {}, "add got incompatible shapes for broadcasting: (3,), (4,).");
    bad("mul", [aval("float32", [2, 3]), aval("float32", [3, 2])], {}, "mul got incompatible shapes for broadcasting: (2, 3), (3, 2).");
    bad("add", [aval("float32", [3]), aval("float32", [3, 4])], {}, "add: arrays must have same number of dimensions, got (3,), (3, 4).");
    bad("sub", [aval("float32", []), aval("float32", [3])], {}, "sub got incompatible shapes for broadcasting: (), (3,).");
    bad("add", [aval("float32"), aval("int32")], {}, "add requires arguments to have the same dtypes, got float32, int32.");
    bad("lt", [aval("uint32"), aval("int32")], {}, "lt requires arguments to have the same dtypes, got uint32, int32.");
    bad("add", [aval("bool"), aval("bool")], {}, "add does not accept dtype bool. Accepted dtypes at position 0 are subtypes of integer, floating.");
    bad("shift_left", [aval("int32"), aval("float32")], {}, "shift_left does not accept dtype float32. Accepted dtypes at position 1 are subtypes of integer.");
    bad("and", [aval("float32"), aval("float32")], {}, "and does not accept dtype float32. Accepted dtypes at position 0 are subtypes of bool, integer.");
    bad("pow", [aval("int32"), aval("int32")], {}, "pow does not accept dtype int32. Accepted dtypes at position 0 are subtypes of floating.");
    bad("nextafter", [aval("float32"), aval("float64")], {}, "nextafter requires arguments to have the same dtypes, got float32, float64.");
    bad("add", [aval("float32")], {}, "add takes 2 operands, got 1.");
  });

  it("unary dtypes", () => {
    bad("sin", [aval("int32")], {}, "sin does not accept dtype int32. Accepted dtypes are subtypes of floating.");
    bad("erf_inv", [aval("bool")], {}, "erf_inv does not accept dtype bool. Accepted dtypes are subtypes of floating.");
    bad("is_finite", [aval("int32")], {}, "is_finite does not accept dtype int32. Accepted dtypes are subtypes of floating.");
    bad("abs", [aval("uint32")], {}, "abs does not accept dtype uint32. Accepted dtypes are subtypes of signedinteger, floating.");
    bad("neg", [aval("bool")], {}, "neg does not accept dtype bool. Accepted dtypes are subtypes of integer, floating.");
    bad("not", [aval("float32")], {}, "not does not accept dtype float32. Accepted dtypes are subtypes of bool, integer.");
    bad("round", [aval("int32")], { rounding_method: 0 }, "round does not accept dtype int32. Accepted dtypes are subtypes of floating.");
    bad("integer_pow", [aval("int32")], { y: -1 }, "Integers cannot be raised to negative powers, got integer_pow(ShapedArray(int32[3]), -1)");
    bad("integer_pow", [aval("float32")], { y: 0.5 }, "integer_pow requires an integer exponent, got 0.5.");
  });

  it("select_n and clamp", () => {
    bad("select_n", [aval("bool")], {}, "select must have at least one case");
    bad("select_n", [aval("bool", []), aval("float32", [3]), aval("float32", [4])], {}, "select cases must have the same shapes, got [(3,), (4,)].");
    bad("select_n", [aval("bool", [2]), aval("float32", [3]), aval("float32", [3])], {}, "select `which` must be scalar or have the same shape as cases, got `which` shape (2,) but case shape (3,).");
    bad("select_n", [aval("float32"), aval("float32"), aval("float32")], {}, "select `which` must be boolean or integer type, got float32.");
    bad("select_n", [aval("bool"), aval("float32"), aval("float32"), aval("float32")], {}, "select with boolean `which` cannot have > 2 cases.");
    bad("select_n", [aval("bool"), aval("float32"), aval("int32")], {}, "select_n requires arguments to have the same dtypes, got float32, int32.");
    bad("clamp", [aval("float32", [2]), aval("float32", [3]), aval("float32", [])], {}, "clamp requires min.shape == operand.shape or min.shape == (), got (2,).");
    bad("clamp", [aval("float32", []), aval("float32", [3]), aval("float32", [3, 1])], {}, "clamp requires max.shape == operand.shape or max.shape == (), got (3, 1).");
    bad("clamp", [aval("int32", []), aval("float32"), aval("float32", [])], {}, "clamp requires arguments to have the same dtypes, got int32, float32, float32.");
  });

  it("conversions and iota", () => {
    bad("bitcast_convert_type", [aval("float16")], { new_dtype: "int32" }, "bitcast_convert_type from float16 (16 bits) to int32 (32 bits) is not supported");
    bad("bitcast_convert_type", [aval("bool")], { new_dtype: "uint32" }, "`bitcast_convert_type` for operand type (bool) cannot have different destination type (uint32)");
    bad("iota", [], { dtype: "int32", shape: [2, 3], dimension: 2 }, "iota dimension must be between 0 and len(shape), got dimension=2 for shape=(2, 3)");
    bad("iota", [], { dtype: "bool", shape: [2], dimension: 0 }, "iota does not accept dtype bool. Accepted dtypes are subtypes of integer, floating.");
    bad("iota", [aval("int32")], { dtype: "int32", shape: [2], dimension: 0 }, "iota takes 0 operands, got 1.");
  });

  it("reductions, arg reductions, scans, sort", () => {
    bad("reduce_sum", [aval("float32", [2, 3])], { axes: [1, 1] }, "duplicate value in 'axes' of reduction: (1, 1)");
    bad("reduce_max", [aval("float32", [2, 3])], { axes: [2] }, "reduction axes (2,) contains out-of-bounds indices for ShapedArray(float32[2,3]).");
    bad("reduce_min", [aval("float32", [2, 3])], { axes: [-1] }, "reduction axes (-1,) contains out-of-bounds indices");
    bad("reduce_sum", [aval("bool", [2])], { axes: [0] }, "reduce_sum does not accept dtype bool. Accepted dtypes are subtypes of number.");
    bad("reduce_or", [aval("float32", [2])], { axes: [0] }, "logical reduction requires operand dtype bool or int, got float32.");
    bad("argmax", [aval("float32", [0, 3])], { axes: [0], index_dtype: "int32" }, "argmin and argmax require non-empty reduced dimension. operand.shape=(0, 3) axis=0");
    bad("argmin", [aval("float32", [2, 3])], { axes: [2], index_dtype: "int32" }, "Invalid axis 2 for operand shape (2, 3)");
    bad("argmax", [aval("float32", [2, 3])], { axes: [1], index_dtype: "float32" }, "index_dtype must be an integer type, but got float32");
    bad("cumsum", [aval("bool", [3])], { axis: 0, reverse: false }, "cumsum does not accept dtype bool. Accepted dtypes are subtypes of number.");
    bad("cummax", [aval("float32", [3])], { axis: 1, reverse: false }, "cummax: axis 1 is out of bounds for array of shape (3,)");
    bad("sort", [aval("float32", [3]), aval("int32", [4])], { dimension: 0, is_stable: true, num_keys: 1 }, "Arguments to sort must have equal shapes, got: (3,) (4,)");
    bad("sort", [aval("float32", [3])], { dimension: 0, is_stable: true, num_keys: 2 }, "num_keys=2 must be between 1 and len(operand)=1");
    bad("sort", [aval("float32", [3])], { dimension: 1, is_stable: true, num_keys: 1 }, "sort: axis 1 is out of bounds for array of shape (3,)");
  });
});

describe("CPU edge cases", () => {
  const one = (p: ElementwiseName, ins: HostArray[], params: unknown = {}) => values(run(p, ins, params).outs[0]);
  const I = (...v: number[]) => host("int32", v);
  const U = (...v: number[]) => host("uint32", v);
  const F = (...v: number[]) => host("float32", v);

  it("integer division, remainder and overflow", () => {
    expect(one("div", [I(-2147483648, 7, -7, 7, 0), I(-1, 0, 2, -2, 0)])).toEqual([-2147483648, -1, -3, -3, -1]);
    expect(one("div", [U(7, 0xffffffff), U(0, 2)])).toEqual([0xffffffff, 0x7fffffff]);
    expect(one("rem", [I(-7, 7, 5, -2147483648), I(2, -2, 0, -1)])).toEqual([-1, 1, 5, 0]);
    expect(one("add", [I(2147483647), I(1)])).toEqual([-2147483648]);
    expect(one("mul", [I(65536, 46341), I(65536, 46341)])).toEqual([0, -2147479015]);
    expect(one("neg", [U(1)])).toEqual([0xffffffff]);
  });

  it("shifts by >= 32 or negative amounts", () => {
    expect(one("shift_left", [I(1, 1, 1), I(31, 32, -1)])).toEqual([-2147483648, 0, 0]);
    expect(one("shift_right_logical", [I(-1, -1), I(28, 40)])).toEqual([15, 0]);
    expect(one("shift_right_arithmetic", [I(-16, -16, 16), I(2, 33, 99)])).toEqual([-4, -1, 0]);
    expect(one("shift_right_arithmetic", [U(0x80000000), U(40)])).toEqual([0xffffffff]);
  });

  it("float special values", () => {
    const sgn = one("sign", [F(-0, 0, NaN, -3)]);
    expect(Object.is(sgn[0], -0) && Object.is(sgn[1], 0) && Number.isNaN(sgn[2]) && sgn[3] === -1).toBe(true);
    expect(one("max", [F(NaN, 1), F(1, NaN)]).every(Number.isNaN)).toBe(true);
    expect(one("min", [F(NaN, 1), F(1, NaN)]).every(Number.isNaN)).toBe(true);
    expect(one("rem", [F(-5.5, 5.5, -0), F(2, -2, 3)])).toEqual([-1.5, 1.5, -0]);
    expect(one("pow", [F(1, -1, 0), F(NaN, Infinity, 0)])).toEqual([1, 1, 1]);
    expect(one("round", [F(0.5, 1.5, 2.5, -0.5, -2.5)], { rounding_method: 0 })).toEqual([1, 2, 3, -1, -3]);
    expect(one("round", [F(0.5, 1.5, 2.5, -0.5, -2.5)], { rounding_method: 1 })).toEqual([0, 2, 2, -0, -2]);
    expect(one("logistic", [F(-Infinity, 0, Infinity, -200)])).toEqual([0, 0.5, 1, Math.fround(1 / (1 + Math.exp(200)))]);
    expect(one("nextafter", [F(0, 0, 1, 3.4028234663852886e38), F(1, -1, 2, Infinity)])).toEqual([2 ** -149, -(2 ** -149), 1 + 2 ** -23, Infinity]);
    expect(one("integer_pow", [F(2, 0)], { y: -2 })).toEqual([0.25, Infinity]);
  });

  it("float32 results are rounded to float32", () => {
    expect(one("add", [F(1), F(2 ** -24)])).toEqual([1]); // tie -> even
    expect(one("add", [F(1), F(2 ** -24 + 2 ** -47)])).toEqual([1 + 2 ** -23]);
    expect(one("div", [F(1), F(3)])).toEqual([Math.fround(1 / 3)]);
  });

  it("float16 results are rounded to float16 after each op", () => {
    const H = (...v: number[]) => host("float16", v);
    expect(one("add", [H(1, 65504, 2048), H(2 ** -11, 16, 1)])).toEqual([1, Infinity, 2048]);
    expect(one("mul", [H(0.1), H(0.1)])).toEqual([roundFloat16(roundFloat16(0.1) ** 2)]);
    expect(one("nextafter", [H(1, 0, 65504, Infinity), H(2, -1, Infinity, 0)])).toEqual([1 + 2 ** -10, -(2 ** -24), Infinity, 65504]);
    expect(one("convert_element_type", [host("float64", [1 + 2 ** -11 + 2 ** -40])], { new_dtype: "float16", weak_type: false })).toEqual([1 + 2 ** -10]);
  });

  it("roundFloat16", () => {
    expect([0.1, 65519.99, 65520, -65520, 2 ** -25, 3 * 2 ** -25, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 1e-9].map(roundFloat16)).toEqual([
      0.0999755859375, 65504, Infinity, -Infinity, 0, 2 ** -23, 1, 1 + 2 ** -9, 0,
    ]);
    expect(Object.is(roundFloat16(-1e-9), -0)).toBe(true);
    expect(Number.isNaN(roundFloat16(NaN))).toBe(true);
  });

  it("erf and erf_inv in float64", () => {
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 15);
    expect(erf(3)).toBeCloseTo(0.9999779095030014, 15);
    expect(Object.is(erf(-0), -0)).toBe(true);
    for (const y of [-0.999, -0.4, 1e-12, 0.3, 0.7, 0.99999, 1 - 2 ** -30]) expect(Math.abs(erf(erfInv(y)) - y)).toBeLessThan(3e-16);
    expect(erfInv(1)).toBe(Infinity);
    expect(Number.isNaN(erfInv(1.5))).toBe(true);
  });

  it("reductions: XLA's zero init, NaN propagation, identities", () => {
    expect(Object.is(one("reduce_sum", [F(-0, -0)], { axes: [0] })[0], 0)).toBe(true);
    expect(one("reduce_max", [F(1, NaN, 3)], { axes: [0] })[0]).toBeNaN();
    expect(one("reduce_and", [U(0xf0f0, 0xff00)], { axes: [0] })).toEqual([0xf000]);
    expect(one("reduce_prod", [I(65536, 65536, 3)], { axes: [0] })).toEqual([0]);
    expect(one("argmax", [F(-0, 0, 0)], { axes: [0], index_dtype: "int32" })).toEqual([0]);
    expect(one("argmin", [F(3, 1, NaN, NaN)], { axes: [0], index_dtype: "int32" })).toEqual([2]);
  });

  it("select_n, clamp, iota, sort", () => {
    expect(one("select_n", [host("bool", [1, 0]), F(1, 2), F(3, 4)])).toEqual([3, 2]);
    expect(one("clamp", [host("float32", [0], []), F(-1, 0.5, 2, NaN), host("float32", [1], [])]).map(String)).toEqual(["0", "0.5", "1", "NaN"]);
    expect(one("iota", [], { dtype: "int32", shape: [2, 3], dimension: 1 })).toEqual([0, 1, 2, 0, 1, 2]);
    const { outs } = run("sort", [F(0, -0, NaN, -1, 0), I(0, 1, 2, 3, 4)], { dimension: 0, is_stable: true, num_keys: 1 });
    expect(values(outs[1])).toEqual([3, 0, 1, 4, 2]);
  });

  it("outputs never alias inputs", () => {
    const x = F(1, 2);
    for (const [p, params] of [["bitcast_convert_type", { new_dtype: "float32" }], ["convert_element_type", { new_dtype: "float32", weak_type: false }], ["neg", {}]] as const)
      expect(run(p, [x], params).outs[0].data).not.toBe(x.data);
    expect(run("select_n", [host("bool", [1], []), x, x]).outs[0].data).not.toBe(x.data);
  });
});
