/**
 * jnp reductions (numpy/reductions.ts): dtypes and weak types, golden jaxprs, empty arrays,
 * where/initial, JAX-worded errors; and the fixture runner for reductions, sorting and nn: values
 * against numpy-generated fixtures that emulate JAX's float32/int32 semantics
 * (fixtures/gen_reductions.py -> reductions.json), eagerly and under jit.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { numpy as np, lax, nn, jit, makeJaxpr } from "../src/index.js";
import type { ArrayImpl } from "../src/array.js";
import type { DType } from "../src/core/dtype.js";

// ---- fixture plumbing ---------------------------------------------------------------------------

type Val = number | boolean | "nan" | "inf" | "-inf" | "-0";
interface Enc {
  dtype: DType;
  shape: number[];
  data: Val[];
}
type Arg = Enc | number | Arg[];
interface Case {
  mod: "red" | "sort" | "nn";
  fn: string;
  args: Arg[];
  opts?: Record<string, unknown>;
  out: Enc | Enc[];
  tol?: { rtol: number; atol: number };
  note?: string;
}
const fixtures = JSON.parse(readFileSync(new URL("./fixtures/reductions.json", import.meta.url), "utf8")) as { cases: Case[] };

const num = (v: Val): number => (v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : v === "-0" ? -0 : Number(v));
const isEnc = (x: unknown): x is Enc => typeof x === "object" && x !== null && !Array.isArray(x) && "dtype" in x && "data" in x;
const dec = (e: Enc): np.Array => lax.reshape(np.array(e.data.map(num), { dtype: e.dtype }), e.shape);
const decArg = (a: unknown): unknown => (isEnc(a) ? dec(a) : Array.isArray(a) ? a.map(decArg) : a);
const decOpts = (o?: Record<string, unknown>) => (o ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k, decArg(v)])) : undefined);
const label = (c: Case) => `${c.fn}(${JSON.stringify(c.opts ?? {}, (_k, v) => (isEnc(v) ? `<${v.dtype}${JSON.stringify(v.shape)}>` : v))})${c.note ? ` [${c.note}]` : ""}`;
const values = (x: np.Array) => Array.from((x as ArrayImpl).dataSync() as ArrayLike<number>, Number);

function expectClose(actual: np.Array, want: Enc, tol: Case["tol"], what: string): void {
  expect(actual.dtype, what).toBe(want.dtype);
  expect([...actual.shape], what).toEqual(want.shape);
  expect(actual.weakType, what).toBe(false);
  const got = values(actual);
  // Fixtures hold each float's shortest decimal repr; round it back to the dtype before comparing.
  const round = want.dtype === "float32" || want.dtype === "float16" ? Math.fround : (v: number) => v;
  if (want.dtype === "float16" && !tol) tol = { rtol: 1e-3, atol: 0 };
  // mean of integers divides by a constant count, which (as in JAX's jitted _mean) XLA folds into a
  // multiplication by the float32 reciprocal: one ulp from numpy's exact division.
  if (want.dtype === "float32" && !tol && /mean/.test(what)) tol = { rtol: 2 ** -23, atol: 0 };
  want.data.map((v) => round(num(v))).forEach((w, i) => {
    const g = got[i];
    const ok = Number.isNaN(w) ? Number.isNaN(g) : tol && Number.isFinite(w) ? Math.abs(g - w) <= tol.atol + tol.rtol * Math.abs(w) : g === w;
    if (!ok) expect(`${what}: element ${i} = ${g}`).toBe(`${what}: element ${i} = ${w}`);
  });
}

/** Run a fixture case eagerly and under jit (number arguments static, options closed over). */
function checkCase(c: Case, f: (...a: never[]) => np.Array | np.Array[]): void {
  const args = c.args.map(decArg);
  const opts = decOpts(c.opts);
  const call = (...a: unknown[]) => (opts ? (f as (...x: unknown[]) => unknown)(...a, opts) : (f as (...x: unknown[]) => unknown)(...a)) as np.Array | np.Array[];
  const statics = args.flatMap((a, i) => (typeof a === "number" ? [i] : []));
  const outs: [string, np.Array | np.Array[]][] = [["eager", call(...args)]];
  // unique without a static size has a data-dependent shape: eager only (its jit error is tested in sorting.test.ts).
  const traceable = !(c.fn === "unique" && opts?.size === undefined);
  if (traceable) outs.push(["jit", jit(call, { staticArgnums: statics })(...(args as never[]))]);
  for (const [mode, out] of outs) {
    const wants = Array.isArray(c.out) ? c.out : [c.out];
    const gots = Array.isArray(out) ? out : [out];
    expect(gots.length, `${mode} ${label(c)}`).toBe(wants.length);
    wants.forEach((w, k) => expectClose(gots[k], w, c.tol, `${mode} ${label(c)}${wants.length > 1 ? ` output ${k}` : ""}`));
  }
}

// The fixture file covers all three modules; their hand-written tests live in sorting.test.ts and nn.test.ts.
const MODULES: Record<Case["mod"], [string, Record<string, unknown>]> = {
  red: ["reductions", np],
  sort: ["sorting", np],
  nn: ["nn", nn],
};
for (const [mod, [title, table]] of Object.entries(MODULES)) {
  describe(`${title} match the fixtures (eager and jit)`, () => {
    fixtures.cases.forEach((c, i) => {
      if (c.mod === mod) it(`#${i} ${label(c)}`, () => checkCase(c, table[c.fn] as (...a: never[]) => np.Array));
    });
  });
}
it("has fixtures for every reduction", () => {
  const fns = new Set(fixtures.cases.filter((c) => c.mod === "red").map((c) => c.fn));
  for (const fn of ["sum", "prod", "max", "min", "mean", "var", "std", "ptp", "argmax", "argmin", "any", "all", "countNonzero", "average", "cumsum", "cumprod", "cumulativeSum", "nansum", "nanprod", "nanmean", "nanvar", "nanstd", "nanmax", "nanmin", "nanargmax", "nanargmin", "nancumsum", "nancumprod", "median", "quantile", "percentile"])
    expect(fns.has(fn), fn).toBe(true);
});

// ---- dtypes and weak types ------------------------------------------------------------------------

const f32 = (x: unknown) => np.array(x as number[], { dtype: "float32" });
const i32 = (x: unknown) => np.array(x as number[], { dtype: "int32" });

describe("result dtypes follow JAX", () => {
  it("sums bool and int32 to int32, keeps uint32 and floats", () => {
    expect(np.sum(np.array([true, false, true])).dtype).toBe("int32");
    expect(np.sum(np.array([true, false, true])).item()).toBe(2);
    expect(np.sum(i32([1, 2])).dtype).toBe("int32");
    expect(np.prod(np.array([1, 2], { dtype: "uint32" })).dtype).toBe("uint32");
    expect(np.sum(f32([1, 2])).dtype).toBe("float32");
    expect(np.sum(np.array([1, 2], { dtype: "float16" })).dtype).toBe("float16");
    expect(np.sum(i32([1, 2]), { dtype: "float32" }).dtype).toBe("float32");
    expect(np.cumsum(np.array([true, true])).dtype).toBe("int32");
    expect(np.cumsum(np.array([true, true]), { dtype: "bool" }).dtype).toBe("bool");
  });
  it("averages integers in float32", () => {
    for (const f of [np.mean, np.var, np.std, np.median, np.nanmean])
      expect(f(i32([1, 2, 4])).dtype).toBe("float32");
    expect(np.mean(i32([1, 2, 4])).item()).toBeCloseTo(7 / 3, 6);
    expect(np.average(i32([1, 2]), { weights: i32([1, 3]) }).item()).toBe(1.75);
  });
  it("gives int32 indices and counts, bool for any/all", () => {
    expect(np.argmax(f32([1, 3, 2])).dtype).toBe("int32");
    expect(np.argmin(np.array([true, false])).item()).toBe(1);
    expect(np.countNonzero(f32([0, 1, NaN])).dtype).toBe("int32");
    expect(np.any(f32([0, 1])).dtype).toBe("bool");
    expect(np.all(i32([1, 2])).item()).toBe(true);
  });
  it("returns strongly typed results for weak (JS scalar) inputs, as jnp's convert_element_type does", () => {
    for (const f of [np.sum, np.prod, np.max, np.min, np.mean, np.var]) {
      const r = f(2.5);
      expect(r.dtype).toBe("float32");
      expect(r.weakType).toBe(false);
      expect([...r.shape]).toEqual([]);
    }
    expect(np.sum(3).dtype).toBe("int32");
    expect(np.sum(2.5).item()).toBe(2.5);
    expect(np.var(2.5).item()).toBe(0);
  });
});

// ---- golden jaxprs ---------------------------------------------------------------------------------

describe("jaxprs match JAX's", () => {
  const jaxpr = (f: (x: np.Array) => np.Array, x: np.Array) => makeJaxpr(f)(x).toString();
  it("sum of f32[8] is one reduce_sum", () => {
    expect(jaxpr((x) => np.sum(x), np.ones([8]))).toBe("{ lambda ; a:f32[8]. let b:f32[] = reduce_sum[axes=(0,)] a in (b,) }");
  });
  it("mean is reduce_sum then div by the count", () => {
    expect(jaxpr((x) => np.mean(x), np.ones([4]))).toBe(
      ["{ lambda ; a:f32[4]. let", "    b:f32[] = reduce_sum[axes=(0,)] a", "    c:f32[] = div b 4.0:f32[]", "  in (c,) }"].join("\n"),
    );
  });
  it("mean of int32 converts first", () => {
    expect(jaxpr((x) => np.mean(x, { axis: 1 }), np.ones([2, 3], { dtype: "int32" }))).toBe(
      [
        "{ lambda ; a:i32[2,3]. let",
        "    b:f32[2,3] = convert_element_type[new_dtype=float32 weak_type=False] a",
        "    c:f32[2] = reduce_sum[axes=(1,)] b",
        "    d:f32[2] = div c 3.0:f32[]",
        "  in (d,) }",
      ].join("\n"),
    );
  });
  it("sum of bool converts to int32", () => {
    expect(jaxpr((x) => np.sum(x), np.array([true, false]))).toBe(
      ["{ lambda ; a:bool[2]. let", "    b:i32[2] = convert_element_type[new_dtype=int32 weak_type=False] a", "    c:i32[] = reduce_sum[axes=(0,)] b", "  in (c,) }"].join("\n"),
    );
  });
  it("keepdims expands with broadcast_in_dim; initial combines after the reduce", () => {
    expect(jaxpr((x) => np.sum(x, { axis: -1, keepdims: true }), np.ones([2, 3]))).toBe(
      [
        "{ lambda ; a:f32[2,3]. let",
        "    b:f32[2] = reduce_sum[axes=(1,)] a",
        "    c:f32[2,1] = broadcast_in_dim[broadcast_dimensions=(0,) shape=(2, 1)] b",
        "  in (c,) }",
      ].join("\n"),
    );
    expect(jaxpr((x) => np.max(x, { axis: 1, initial: 0 }), np.ones([2, 3]))).toBe(
      ["{ lambda ; a:f32[2,3]. let", "    b:f32[2] = reduce_max[axes=(1,)] a", "    c:f32[2] = max 0.0:f32[] b", "  in (c,) }"].join("\n"),
    );
  });
  it("argmax and cumsum bind their primitives", () => {
    expect(jaxpr((x) => np.argmax(x), np.ones([5]))).toBe("{ lambda ; a:f32[5]. let b:i32[] = argmax[axes=(0,) index_dtype=int32] a in (b,) }");
    expect(jaxpr((x) => np.cumsum(x, { axis: 0 }), np.ones([5]))).toBe("{ lambda ; a:f32[5]. let b:f32[5] = cumsum[axis=0 reverse=False] a in (b,) }");
  });
  it("max, min and prod use their reduce primitives; any/all use reduce_or/reduce_and", () => {
    expect(jaxpr((x) => np.prod(x), np.ones([3]))).toBe("{ lambda ; a:f32[3]. let b:f32[] = reduce_prod[axes=(0,)] a in (b,) }");
    expect(jaxpr((x) => np.min(x), np.ones([3]))).toBe("{ lambda ; a:f32[3]. let b:f32[] = reduce_min[axes=(0,)] a in (b,) }");
    expect(jaxpr((x) => np.any(x), np.array([true]))).toBe("{ lambda ; a:bool[1]. let b:bool[] = reduce_or[axes=(0,)] a in (b,) }");
    expect(jaxpr((x) => np.all(x), np.array([true]))).toBe("{ lambda ; a:bool[1]. let b:bool[] = reduce_and[axes=(0,)] a in (b,) }");
  });
});

// ---- behaviour ---------------------------------------------------------------------------------------

describe("axes, keepdims, where and initial", () => {
  const x = np.array([[1, 2, 3], [4, 5, 6]]);
  it("accepts negative axes and axis lists", () => {
    expect(values(np.sum(x, { axis: -1 }))).toEqual([6, 15]);
    expect(values(np.sum(x, { axis: -2 }))).toEqual([5, 7, 9]);
    expect(values(np.sum(x, { axis: [-1, 0] }))).toEqual([21]);
    expect([...np.sum(x, { axis: [0, 1], keepdims: true }).shape]).toEqual([1, 1]);
    expect([...np.max(x, { axis: [], keepdims: true }).shape]).toEqual([2, 3]);
    expect([...np.argmax(x, { axis: -1, keepdims: true }).shape]).toEqual([2, 1]);
    expect(values(np.argmax(x, { axis: -1 }))).toEqual([2, 2]);
  });
  it("masks with the identity and combines initial", () => {
    const w = np.array([true, false, true]);
    expect(values(np.sum(x, { axis: 1, where: w }))).toEqual([4, 10]);
    expect(values(np.prod(x, { axis: 1, where: w }))).toEqual([3, 24]);
    expect(values(np.sum(x, { axis: 1, where: w, initial: 100 }))).toEqual([104, 110]);
    expect(values(np.max(x, { axis: 1, where: w, initial: -1 }))).toEqual([3, 6]);
    expect(values(np.min(x, { where: false, initial: 7 }))).toEqual([7]);
    expect(values(np.max(x, { initial: 10 }))).toEqual([10]);
    expect(values(np.mean(x, { axis: 1, where: w }))).toEqual([2, 5]);
    expect(np.all(np.array([true, false]), { where: np.array([true, false]) }).item()).toBe(true);
    expect(np.any(np.array([true, false]), { where: np.array([false, true]) }).item()).toBe(false);
  });
  it("treats empty reductions as JAX does", () => {
    const e = np.zeros([0, 3]);
    expect(np.sum(e).item()).toBe(0);
    expect(np.prod(e).item()).toBe(1);
    expect(values(np.sum(e, { axis: 0 }))).toEqual([0, 0, 0]);
    expect([...np.sum(e, { axis: 1 }).shape]).toEqual([0]);
    expect(np.max(e, { initial: -3 }).item()).toBe(-3);
    expect([...np.max(e, { axis: 1 }).shape]).toEqual([0]);
    expect(np.any(e).item()).toBe(false);
    expect(np.all(e).item()).toBe(true);
    expect(Number.isNaN(np.mean(e).item() as number)).toBe(true);
    expect(values(np.cumsum(e))).toEqual([]);
  });
  it("handles NaN and inf", () => {
    expect(Number.isNaN(np.max(f32([1, NaN, 3])).item() as number)).toBe(true);
    expect(Number.isNaN(np.min(f32([1, NaN, 3])).item() as number)).toBe(true);
    expect(np.argmax(f32([1, NaN, 3, NaN])).item()).toBe(1);
    expect(np.argmin(f32([1, NaN, -3, NaN])).item()).toBe(1);
    expect(np.argmax(f32([1, 3, 3])).item()).toBe(1);
    expect(np.nanmax(f32([1, NaN, 3])).item()).toBe(3);
    expect(np.nanargmin(f32([NaN, 2, 1])).item()).toBe(2);
    expect(np.nanargmax(f32([NaN, NaN])).item()).toBe(-1);
    expect(Number.isNaN(np.nanmin(f32([NaN, NaN])).item() as number)).toBe(true);
    expect(np.nansum(f32([NaN, NaN])).item()).toBe(0);
    expect(np.sum(f32([Infinity, 1])).item()).toBe(Infinity);
    expect(Number.isNaN(np.sum(f32([Infinity, -Infinity])).item() as number)).toBe(true);
    expect(np.any(f32([NaN])).item()).toBe(true);
    expect(Number.isNaN(np.var(f32([1, 2]), { ddof: 2 }).item() as number)).toBe(true);
    expect(np.std(f32([1, 2, 3, 4]), { correction: 1 }).item()).toBeCloseTo(Math.sqrt(5 / 3), 6);
  });
  it("flattens for axis null in argmax and cumsum, and takes JS scalars", () => {
    expect(np.argmax(np.array([[1, 9], [3, 4]])).item()).toBe(1);
    expect(values(np.argmax(np.array([[1, 9], [3, 4]]), { keepdims: true }))).toEqual([1]);
    expect([...np.argmax(np.array([[1, 9], [3, 4]]), { keepdims: true }).shape]).toEqual([1, 1]);
    expect(np.argmax(5).item()).toBe(0);
    expect(values(np.cumsum(np.array([[1, 2], [3, 4]])))).toEqual([1, 3, 6, 10]);
    expect(values(np.cumsum(2))).toEqual([2]);
    expect(values(np.cumprod(i32([2, 3, 4])))).toEqual([2, 6, 24]);
  });
  it("computes order statistics", () => {
    expect(np.median(f32([3, 1, 2, 10])).item()).toBe(2.5);
    expect(np.quantile(f32([4, 1, 3, 2]), 1).item()).toBe(4); // integer-valued JS q is a float quantile
    expect(np.quantile(f32([4, 1, 3, 2]), 0).item()).toBe(1);
    expect(values(np.quantile(i32([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), f32([0.25, 0.5, 0.75])))).toEqual([2.25, 4.5, 6.75]);
    expect(values(np.quantile(i32([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), f32([0.25, 0.5, 0.75]), { method: "nearest" }))).toEqual([2, 4, 7]);
    expect(values(np.percentile(i32([0, 1, 2, 3, 4, 5, 6]), f32([25, 50, 75])))).toEqual([1.5, 3, 4.5]);
    expect(values(np.nanmedian(np.array([[2, NaN, 7, NaN], [NaN, 5, 9, 2], [6, 1, NaN, 3]]), { axis: 1 }))).toEqual([4.5, 5, 3]);
    expect([...np.quantile(np.ones([2, 3, 4]), f32([0.1, 0.9]), { axis: [0, 2], keepdims: true }).shape]).toEqual([2, 1, 3, 1]);
  });
  it("computes weighted averages", () => {
    const [avg, wsum] = np.average(np.array([[1, 2], [3, 4]]), { axis: 1, weights: f32([1, 3]), returned: true });
    expect(values(avg)).toEqual([1.75, 3.75]);
    expect(values(wsum)).toEqual([4, 4]);
    const [a2, w2] = np.average(np.array([[1, 2], [3, 4]]), { returned: true });
    expect(a2.item()).toBe(2.5);
    expect(w2.item()).toBe(4);
    expect(values(np.cumulativeSum(i32([1, 2, 3]), { includeInitial: true }))).toEqual([0, 1, 3, 6]);
  });
});

describe("errors use JAX's wording", () => {
  const x = np.ones([2, 3]);
  it("rejects bad axes", () => {
    expect(() => np.sum(x, { axis: 3 })).toThrow("sum: axis 3 is out of bounds for array of dimension 2");
    expect(() => np.mean(x, { axis: -3 })).toThrow("mean: axis -3 is out of bounds for array of dimension 2");
    expect(() => np.argmax(x, { axis: 2 })).toThrow("argmax: axis 2 is out of bounds for array of dimension 2");
    expect(() => np.cumsum(x, { axis: 2 })).toThrow("cumsum: axis 2 is out of bounds for array of dimension 2");
    expect(() => np.nansum(x, { axis: 5 })).toThrow("nansum: axis 5 is out of bounds for array of dimension 2");
    expect(() => np.sum(x, { axis: [0, -2] })).toThrow(/repeated axis/);
  });
  it("rejects JS arrays and bad options", () => {
    expect(() => np.sum([1, 2] as never)).toThrow("sum requires ndarray or scalar arguments, got a JS array at position 0.");
    expect(() => np.mean([1, 2] as never)).toThrow("mean requires ndarray or scalar arguments, got a JS array at position 0.");
    expect(() => np.argmax([1, 2] as never)).toThrow("argmax requires ndarray or scalar arguments, got a JS array at position 0.");
    expect(() => np.sum(x, { initial: np.ones([2]) })).toThrow("initial value must be a scalar. Got array of shape (2,)");
    expect(() => np.sum(x, { dtype: "int8" as DType })).toThrow(/unknown dtype "int8"/);
    expect(() => np.std(x, { dtype: "int32" })).toThrow("dtype argument to jnp.std must be inexact; got int32");
    expect(() => np.var(x, { ddof: 1, correction: 1 })).toThrow("ddof and correction can't be provided simultaneously.");
  });
  it("rejects reductions without identity", () => {
    expect(() => np.max(np.zeros([0]))).toThrow("zero-size array to reduction operation max which has no identity");
    expect(() => np.min(np.zeros([2, 0]), { axis: 1 })).toThrow("zero-size array to reduction operation min which has no identity");
    expect(() => np.max(x, { where: np.array([true, false, true]) })).toThrow(
      "reduction operation max does not have an identity, so to use a where mask one has to specify 'initial'",
    );
    expect(() => np.argmax(np.zeros([0]))).toThrow("attempt to get argmax of an empty sequence");
    expect(() => np.argmin(np.zeros([2, 0]), { axis: 1 })).toThrow("attempt to get argmin of an empty sequence");
    try {
      np.max(np.zeros([0]));
    } catch (e) {
      expect((e as Error).name).toBe("ValueError");
    }
  });
  it("checks average, cumulative_sum and quantile arguments", () => {
    expect(() => np.average(x, { weights: np.ones([3]) })).toThrow("Axis must be specified when shapes of a and weights differ.");
    expect(() => np.average(x, { axis: 1, weights: np.ones([2]) })).toThrow("Length of weights not compatible with specified axis.");
    expect(() => np.average(x, { axis: 1, weights: np.ones([2, 1]) })).toThrow("1D weights expected when shapes of a and weights differ.");
    expect(() => np.cumulativeSum(x)).toThrow(/axis was not set to an explicit value/);
    expect(() => np.cumulativeSum(2)).toThrow(/must be non-scalar/);
    expect(() => np.quantile(x, 0.5, { method: "cubic" as never })).toThrow("method can only be 'linear', 'lower', 'higher', 'midpoint', or 'nearest'");
    expect(() => np.quantile(x, np.ones([2, 2]))).toThrow("q must be have rank <= 1, got shape (2, 2)");
  });
});

describe("under jit", () => {
  it("gives the same values and dtypes as eager for options-heavy calls", () => {
    const x = np.array([[1, NaN, 3], [4, 5, -6]]);
    const fns: ((a: np.Array) => np.Array)[] = [
      (a) => np.nansum(a, { axis: 1, keepdims: true }),
      (a) => np.nanvar(a, { axis: 0, ddof: 1 }),
      (a) => np.max(a, { where: np.array([true, false, true]), initial: 0, axis: -1 }),
      (a) => np.median(a, { axis: 1 }),
      (a) => np.nanquantile(a, f32([0.2, 0.8]), { axis: 1, keepdims: true }),
      (a) => np.countNonzero(a, { axis: 0 }),
      (a) => np.nanargmax(a, { axis: 1 }),
      (a) => np.nancumprod(a, { axis: 1 }),
    ];
    for (const f of fns) {
      const e = f(x);
      const j = jit(f)(x);
      expect(j.dtype).toBe(e.dtype);
      expect([...j.shape]).toEqual([...e.shape]);
      expect(values(j)).toEqual(values(e));
    }
  });
  it("raises the same errors while tracing", () => {
    expect(() => jit((a: np.Array) => np.sum(a, { axis: 3 }))(np.ones([2, 3]))).toThrow("sum: axis 3 is out of bounds for array of dimension 2");
    expect(() => jit((a: np.Array) => np.max(a))(np.zeros([0]))).toThrow("zero-size array to reduction operation max which has no identity");
  });
});
