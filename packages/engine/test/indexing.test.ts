/**
 * numpy/indexing.ts: `index` (x[idx]), `at` (x.at[idx] updates), take, takeAlongAxis, nonzero and
 * the index helpers, against numpy fixtures (fixtures/indexing.json, from gen_indexing.py), eager
 * and under jit, plus JAX-specific behaviour checked by hand: out-of-bounds clamping / dropping /
 * filling, the jaxprs indexing lowers to, and error messages.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { numpy as np, lax, jit, makeJaxpr } from "../src/index.js";
import type { Array } from "../src/core/tracer.js";
import type { DType } from "../src/core/dtype.js";
import { fromHostData, type ArrayImpl } from "../src/array.js";
import {
  IndexError, NonConcreteBooleanIndexError, Slice, argwhere, at, choose, compress, diagIndices, diagIndicesFrom, extract,
  flatnonzero, index, newaxis, nonzero, ravelMultiIndex, select, slice, take, takeAlongAxis, trilIndices, trilIndicesFrom,
  triuIndices, triuIndicesFrom, unravelIndex, type IndexItem, type NestedIndex,
} from "../src/numpy/indexing.js";

// ---- fixture plumbing ---------------------------------------------------------------

interface Enc {
  dtype: DType;
  shape: number[];
  data: (number | string | boolean)[];
}
type EncItem = number | boolean | null | "..." | { s: [number | null, number | null, number | null] } | { a: NestedIndex } | { m: NestedIndex };

const F = JSON.parse(readFileSync(new URL("./fixtures/indexing.json", import.meta.url), "utf8")) as {
  index: { x: Enc; idx: EncItem[]; out: Enc; note: string }[];
  at: { x: Enc; idx: EncItem[]; op: "set" | "add" | "mul" | "min" | "max"; v: Enc; out: Enc; note: string }[];
  take: { x: Enc; indices: Enc; axis: number | null; mode: "clip" | "wrap" | "fill"; fill: number | null; out: Enc }[];
  take_along_axis: { x: Enc; indices: Enc; axis: number | null; out: Enc }[];
  nonzero: { x: Enc; size: number | null; fill: number | number[] | null; out: Enc[]; argwhere: Enc; flat: Enc | null }[];
  select: { conds: Enc[]; choices: Enc[]; default: number; out: Enc }[];
  choose: { a: Enc; choices: Enc[]; mode: "clip" | "wrap" | "raise"; out: Enc }[];
  compress: { cond: boolean[] | Enc; a: Enc; axis?: number | null; extract?: boolean; out: Enc }[];
  tri_indices: { n: number; k: number; m: number | null; tril: Enc[]; triu: Enc[] }[];
  unravel: { indices: Enc; shape: number[]; out: Enc[] }[];
  ravel_multi: { multi: number[][]; dims: number[]; mode: "raise" | "wrap" | "clip"; order: "C" | "F"; out: Enc }[];
};

const dec = (e: Enc): Array => fromHostData(e.data.map((v) => (v === "nan" ? NaN : Number(v))), e.shape, e.dtype);

/** Decode an index item; `js` picks JS nested lists instead of Arrays for integer arrays and masks. */
function decItem(it: EncItem, js: boolean): IndexItem {
  if (it === null || typeof it === "number" || typeof it === "boolean" || it === "...") return it;
  if ("s" in it) return slice(...it.s);
  if ("a" in it) return js ? it.a : np.array(it.a as never, { dtype: "int32" });
  return js ? it.m : np.array(it.m as never, { dtype: "bool" });
}

const data = (x: Array) => globalThis.Array.from((x as ArrayImpl).dataSync());

function expectArray(got: Array, want: Enc, what = ""): void {
  expect(got.shape, `shape ${what}`).toEqual(want.shape);
  expect(got.dtype, `dtype ${what}`).toBe(want.dtype);
  const w = want.data.map((v) => (v === "nan" ? NaN : Number(v)));
  expect(data(got), what).toEqual(w);
}

const showIdx = (idx: EncItem[]) => JSON.stringify(idx);

// ---- x[idx] ------------------------------------------------------------------------------

describe("index against numpy", () => {
  it("eager, integer arrays and masks as Arrays and as JS lists", () => {
    F.index.forEach((c, i) => {
      const x = dec(c.x);
      expectArray(index(x, ...c.idx.map((it) => decItem(it, i % 2 === 1))), c.out, `case ${i} ${showIdx(c.idx)}`);
    });
  });

  it("under jit, equal to eager", () => {
    F.index.forEach((c, i) => {
      const x = dec(c.x);
      const items = c.idx.map((it) => decItem(it, i % 2 === 0));
      const f = jit((a: Array) => index(a, ...items));
      expectArray(f(x), c.out, `jit case ${i} ${showIdx(c.idx)}`);
    });
  });

  it("traced integer-array indices under jit", () => {
    let n = 0;
    F.index.forEach((c, i) => {
      if (c.idx.some((it) => it !== null && typeof it === "object" && "m" in it)) return;
      const arrays = c.idx.flatMap((it) => (it !== null && typeof it === "object" && "a" in it ? [np.array(it.a as never, { dtype: "int32" })] : []));
      if (!arrays.length) return;
      const f = jit((a: Array, ...idx: Array[]) => {
        let k = 0;
        return index(a, ...c.idx.map((it) => (it !== null && typeof it === "object" && "a" in it ? idx[k++] : decItem(it, false))));
      });
      expectArray(f(dec(c.x), ...arrays), c.out, `traced case ${i} ${showIdx(c.idx)}`);
      n++;
    });
    expect(n).toBeGreaterThan(50);
  });
});

describe("index: hand-checked semantics", () => {
  const x = lax.reshape(np.arange(12), [3, 4]);

  it("ints, negative ints, slices with clamping and negative steps", () => {
    expect(data(index(x, 1))).toEqual([4, 5, 6, 7]);
    expect(data(index(x, -1, -2))).toEqual([10]);
    expect(index(x, -1, -2).shape).toEqual([]);
    expect(data(index(np.arange(10), slice(null, null, -3)))).toEqual([9, 6, 3, 0]);
    expect(data(index(np.arange(10), slice(-100, 3)))).toEqual([0, 1, 2]);
    expect(index(np.arange(10), slice(7, 2)).shape).toEqual([0]);
    expect(data(index(x, slice(null, null, -1), slice(1, null, 2)))).toEqual([9, 11, 5, 7, 1, 3]);
  });

  it("newaxis and ellipsis", () => {
    expect(index(x, newaxis).shape).toEqual([1, 3, 4]);
    expect(index(x, "...", null).shape).toEqual([3, 4, 1]);
    expect(index(x, "...", 1).shape).toEqual([3]);
    expect(index(x)).toBe(x);
    expect(index(x, "...")).toBe(x);
    expect(index(x, slice())).toBe(x);
  });

  it("advanced indices separated by a slice go first (numpy's rule)", () => {
    const y = lax.reshape(np.arange(60), [3, 4, 5]);
    expect(index(y, [0, 1], slice(), [1, 2]).shape).toEqual([2, 4]);
    expect(index(y, slice(), [0, 1], [1, 2]).shape).toEqual([3, 2]);
    expect(index(y, 0, slice(), [1, 2]).shape).toEqual([2, 4]);
    expect(index(y, slice(), [0, 1], null, [1, 2]).shape).toEqual([2, 3, 1]);
  });

  it("array and traced indices out of bounds clamp (PROMISE_IN_BOUNDS)", () => {
    const a = np.arange(10);
    expect(data(index(a, np.array([11, -1, -20], { dtype: "int32" })))).toEqual([9, 9, 0]);
    expect(index(a, lax.convertElementType(11, "int32")).item()).toBe(9);
    expect(jit((v: Array, i: Array) => index(v, i))(a, lax.convertElementType(11, "int32")).item()).toBe(9);
    expect(jit((v: Array, i: Array) => index(v, i))(a, lax.convertElementType(-3, "int32")).item()).toBe(7);
  });

  it("at().get with modes", () => {
    const a = np.arange(5, null, null, { dtype: "float32" });
    const i = np.array([0, 7, -1, -6], { dtype: "int32" });
    expect(data(at(a, i).get({ mode: "fill" }))).toEqual([0, NaN, 4, NaN]);
    expect(data(at(a, i).get({ mode: "fill", fillValue: -1 }))).toEqual([0, -1, 4, -1]);
    expect(data(at(a, i).get({ mode: "clip" }))).toEqual([0, 4, 4, 0]);
    expect(data(at(np.arange(5), i).get({ mode: "fill" }))).toEqual([0, -2147483648, 4, -2147483648]);
    expect(at(a, 9).get({ mode: "fill" }).item()).toBeNaN();
    expect(at(a, 9).get({ mode: "clip" }).item()).toBe(4);
    expect(data(at(lax.reshape(np.arange(6), [2, 3]), 5, slice(0, 2)).get({ mode: "fill", fillValue: 7 }))).toEqual([7, 7]);
  });

  it("boolean masks: concrete only", () => {
    expect(data(index(x, x.gt(6)))).toEqual([7, 8, 9, 10, 11]);
    const mask = x.gt(6);
    expect(data(jit((a: Array) => index(a, mask))(x))).toEqual([7, 8, 9, 10, 11]);
    expect(() => jit((a: Array) => index(a, a.gt(6)))(x)).toThrow(NonConcreteBooleanIndexError);
    expect(() => jit((a: Array) => index(a, a.gt(6)))(x)).toThrow("Array boolean indices must be concrete; got ShapedArray(bool[3,4])");
    expect(() => jit((a: Array) => index(a, a.gt(6)))(x)).toThrow(/np\.where/);
    expect(() => index(x, [true, false])).toThrow("boolean index did not match shape of indexed array in index 0: got (2,), expected (3,)");
  });

  it("golden jaxprs: static int, traced scalar, integer array", () => {
    expect(makeJaxpr((a: Array) => index(a, 1))(np.ones([3, 4])).toString()).toBe(
      "{ lambda ; a:f32[3,4]. let\n    b:f32[1,4] = slice[limit_indices=(2, 4) start_indices=(1, 0) strides=None] a\n    c:f32[4] = squeeze[dimensions=(0,)] b\n  in (c,) }",
    );
    expect(makeJaxpr((a: Array) => index(a, slice(null, null, -1)))(np.ones([3])).toString()).toBe(
      "{ lambda ; a:f32[3]. let b:f32[3] = rev[dimensions=(0,)] a in (b,) }",
    );
    const dyn = makeJaxpr((a: Array, i: Array) => index(a, i))(np.ones([3, 4]), lax.convertElementType(0, "int32")).toString();
    expect(dyn).toBe(
      "{ lambda ; a:f32[3,4] b:i32[]. let\n    c:bool[] = lt b 0:i32[]\n    d:i32[] = add b 3:i32[]\n    e:i32[] = select_n c b d\n" +
        "    f:f32[1,4] = dynamic_slice[slice_sizes=(1, 4)] a e 0:i32[]\n    g:f32[4] = squeeze[dimensions=(0,)] f\n  in (g,) }",
    );
    const g = makeJaxpr((a: Array, i: Array) => index(a, i))(np.arange(10), np.array([1, -1], { dtype: "int32" })).toString();
    expect(g).toContain("select_n c b d");
    expect(g).toContain("offset_dims=(), collapsed_slice_dims=(0,), start_index_map=(0,)");
    expect(g).toContain("mode=GatherScatterMode.PROMISE_IN_BOUNDS");
  });

  it("errors", () => {
    expect(() => index(np.arange(10), 11)).toThrow(IndexError);
    expect(() => index(np.arange(10), 11)).toThrow("index 11 is out of bounds for axis 0 with size 10");
    expect(() => index(x, 0, -5)).toThrow("index -5 is out of bounds for axis 1 with size 4");
    expect(() => index(x, 0, 0, 0)).toThrow("Too many indices: 2-dimensional array indexed with 3 regular indices.");
    expect(() => index(np.ones([]), 0)).toThrow("Too many indices: 0-dimensional array indexed with 1 regular index.");
    expect(() => index(x, 1.5)).toThrow(TypeError);
    expect(() => index(x, 1.5)).toThrow("Indexer must have integer or boolean type, got indexer with type float32 at position 0");
    expect(() => index(x, np.array([0, 1]))).toThrow("Indexer must have integer or boolean type, got indexer with type float32 at position 0");
    expect(() => index(x, [0.5, 1])).toThrow(TypeError);
    expect(() => index(x, "...", "...")).toThrow(IndexError);
    expect(() => index(x, "a" as never)).toThrow("JAX does not support string indexing");
    expect(() => index(x, slice(null, null, 0))).toThrow("slice step cannot be zero");
    expect(() => index(x, [0, 1], [0, 1, 2])).toThrow("shape mismatch: indexing arrays could not be broadcast together with shapes (2,) (3,)");
    expect(() => jit((a: Array, i: Array) => index(a, slice(i)))(np.arange(4), lax.convertElementType(1, "int32"))).toThrow(
      "Array slice indices must have static start/stop/step",
    );
  });

  it("Slice mirrors Python's slice", () => {
    const s = new Slice(-3, null, -1);
    expect(s.indices(10)).toEqual([7, -1, -1]);
    expect(s.length(10)).toBe(8);
    expect(String(slice(1, null, 2))).toBe("slice(1, None, 2)");
    expect(slice(null, 100).indices(5)).toEqual([0, 5, 1]);
    expect(slice(lax.convertElementType(2, "int32")).start).toBe(2);
  });
});

// ---- x.at[idx] ---------------------------------------------------------------------------

describe("at against numpy", () => {
  const apply = (x: Array, idx: IndexItem[], op: string, v: Array): Array => {
    const r = at(x, ...idx);
    return op === "set" ? r.set(v) : op === "add" ? r.add(v) : op === "mul" ? r.mul(v) : op === "min" ? r.min(v) : r.max(v);
  };
  it("set (unique indices), add/mul/min/max with duplicates", () => {
    F.at.forEach((c, i) => {
      expectArray(apply(dec(c.x), c.idx.map((it) => decItem(it, i % 2 === 1)), c.op, dec(c.v)), c.out, `case ${i} ${c.op} ${showIdx(c.idx)}`);
    });
  });
  it("under jit with traced updates", () => {
    F.at.forEach((c, i) => {
      const items = c.idx.map((it) => decItem(it, i % 2 === 0));
      const f = jit((x: Array, v: Array) => apply(x, items, c.op, v));
      expectArray(f(dec(c.x), dec(c.v)), c.out, `jit case ${i} ${c.op} ${showIdx(c.idx)}`);
    });
  });
});

describe("at: hand-checked semantics", () => {
  const a = np.arange(10);
  it("duplicates accumulate, out-of-bounds updates are dropped", () => {
    expect(data(at(a, [1, 1, 3, 12, -11]).add(5))).toEqual([0, 11, 2, 8, 4, 5, 6, 7, 8, 9]);
    expect(data(at(a, 10).set(-1))).toEqual(data(a));
    expect(data(at(a, -1).set(-1))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, -1]);
    expect(data(at(a, [2, 2]).mul(3))).toEqual([0, 1, 18, 3, 4, 5, 6, 7, 8, 9]);
    expect(data(at(a, [0, 20]).set(7, { mode: "clip" }))).toEqual([7, 1, 2, 3, 4, 5, 6, 7, 8, 7]);
    expect(data(jit((v: Array, i: Array) => at(v, i).add(1))(a, np.array([0, 10, -1, -11], { dtype: "int32" })))).toEqual([1, 1, 2, 3, 4, 5, 6, 7, 8, 10]);
  });
  it("keeps x's dtype and weak type", () => {
    const xi = np.array([1, 2], { dtype: "int32" });
    const r = at(xi, 0).add(1.5);
    expect(r.dtype).toBe("int32");
    expect(data(r)).toEqual([2, 2]);
    expect(data(at(xi, [0, 0]).add(0.5))).toEqual([2, 2]);
    expect(data(at(xi, 1).set(2.7))).toEqual([1, 2]);
    expect(at(np.zeros([3]), 0).set(lax.convertElementType(5, "int32")).dtype).toBe("float32");
    expect(at(np.zeros([3]), 0).set(1).weakType).toBe(false);
  });
  it("a full-shape boolean mask with a scalar works under jit", () => {
    const x = lax.reshape(np.arange(6), [2, 3]);
    const f = jit((v: Array) => at(v, v.gt(2)).set(0));
    expect(data(f(x))).toEqual([0, 1, 2, 0, 0, 0]);
    expect(data(jit((v: Array) => at(v, v.lt(2)).add(10))(x))).toEqual([10, 11, 2, 3, 4, 5]);
  });
  it("broadcasts updates and rejects bad shapes", () => {
    const x = np.zeros([2, 3]);
    expect(data(at(x, slice(), 1).set([1, 2]))).toEqual([0, 1, 0, 0, 2, 0]);
    expect(() => at(x, 0).set(np.ones([2]))).toThrow();
  });
  it("scalar false indices update nothing", () => {
    expect(at(a, false).set(5)).toBe(a);
  });
});

// ---- take / takeAlongAxis ----------------------------------------------------------------

describe("take and takeAlongAxis", () => {
  it("take against numpy (clip, wrap; fill computed as JAX does)", () => {
    F.take.forEach((c, i) => {
      const r = take(dec(c.x), dec(c.indices), { axis: c.axis, mode: c.mode, fillValue: c.fill });
      expectArray(r, c.out, `take case ${i} axis=${c.axis} mode=${c.mode}`);
    });
  });
  it("take: fill is the default, NaN for floats", () => {
    const f = np.arange(4, null, null, { dtype: "float32" });
    expect(data(take(f, [1, 4, -1, -5]))).toEqual([1, NaN, 3, NaN]);
    expect(data(take(f, [1, 4, -1, -5], { mode: "clip" }))).toEqual([1, 3, 0, 0]);
    expect(data(take(f, [1, 4, -1, -5], { mode: "wrap" }))).toEqual([1, 0, 3, 3]);
    expect(data(jit((v: Array, i: Array) => take(v, i))(f, np.array([2, 9], { dtype: "int32" })))).toEqual([2, NaN]);
    expect(take(lax.reshape(np.arange(6), [2, 3]), np.zeros([0], { dtype: "int32" }), { axis: 1 }).shape).toEqual([2, 0]);
    expect(() => take(f, np.array([0.5]))).toThrow(TypeError);
  });
  it("takeAlongAxis against numpy", () => {
    F.take_along_axis.forEach((c, i) => {
      expectArray(takeAlongAxis(dec(c.x), dec(c.indices), c.axis), c.out, `take_along_axis case ${i}`);
      expectArray(jit((x: Array, ii: Array) => takeAlongAxis(x, ii, c.axis))(dec(c.x), dec(c.indices)), c.out, `jit take_along_axis case ${i}`);
    });
  });
  it("takeAlongAxis: out of range fills by default", () => {
    const x = lax.convertElementType(lax.reshape(np.arange(6), [2, 3]), "float32");
    expect(data(takeAlongAxis(x, [[3], [-1]], 1))).toEqual([NaN, 5]);
    expect(data(takeAlongAxis(x, [[3], [-1]], 1, { mode: "clip" }))).toEqual([2, 5]);
    expect(() => takeAlongAxis(x, [1, 2], 1)).toThrow("indices and arr must have the same number of dimensions");
  });
});

// ---- nonzero & co -------------------------------------------------------------------------

describe("nonzero, argwhere, flatnonzero", () => {
  it("against numpy, eager and (with size) under jit", () => {
    F.nonzero.forEach((c, i) => {
      const x = dec(c.x);
      const opts = { size: c.size, fillValue: c.fill };
      const r = nonzero(x, opts);
      expect(r.length).toBe(c.out.length);
      r.forEach((o, d) => expectArray(o, c.out[d], `nonzero case ${i} dim ${d}`));
      expectArray(argwhere(x, opts), c.argwhere, `argwhere case ${i}`);
      if (c.flat) expectArray(flatnonzero(x), c.flat, `flatnonzero case ${i}`);
      if (c.size !== null) {
        const j = jit((v: Array) => nonzero(v, opts))(x);
        j.forEach((o, d) => expectArray(o, c.out[d], `jit nonzero case ${i} dim ${d}`));
        expectArray(jit((v: Array) => argwhere(v, opts))(x), c.argwhere, `jit argwhere case ${i}`);
      }
    });
  });
  it("needs a static size under jit; rejects 0-d", () => {
    expect(() => jit((v: Array) => nonzero(v))(np.ones([3]))).toThrow("The size argument of jnp.nonzero must be statically specified");
    expect(() => nonzero(np.ones([]))).toThrow("Calling nonzero on 0d arrays is not allowed");
    expect(argwhere(np.ones([])).shape).toEqual([1, 0]);
    expect(argwhere(np.zeros([])).shape).toEqual([0, 0]);
    expect(data(flatnonzero(np.array([0, 3, 0, 1]), { size: 3, fillValue: 9 }))).toEqual([1, 3, 9]);
  });
});

// ---- select / choose / compress / extract ----------------------------------------------------

describe("select, choose, compress, extract", () => {
  it("select against numpy", () => {
    for (const c of F.select) expectArray(select(c.conds.map(dec), c.choices.map(dec), c.default), c.out, "select");
    expect(() => select([], [])).toThrow("condlist must be non-empty");
    expect(() => select([true], [1, 2])).toThrow("condlist must have length equal to choicelist (1 vs 2)");
  });
  it("choose against numpy", () => {
    for (const c of F.choose) expectArray(choose(dec(c.a), c.choices.map(dec), { mode: c.mode }), c.out, `choose ${c.mode}`);
    expect(() => choose(np.array([0, 3], { dtype: "int32" }), [np.zeros([2]), np.ones([2])])).toThrow("invalid entry in choice array");
    expect(() => jit((a: Array) => choose(a, [1, 2]))(np.array([0, 1], { dtype: "int32" }))).toThrow(/mode='raise'/);
  });
  it("compress and extract against numpy", () => {
    for (const c of F.compress) {
      if (c.extract) expectArray(extract(dec(c.cond as Enc), dec(c.a)), c.out, "extract");
      else expectArray(compress(c.cond as boolean[], dec(c.a), { axis: c.axis }), c.out, `compress axis=${c.axis}`);
    }
  });
  it("compress with a static size works under jit", () => {
    const a = lax.reshape(np.arange(6), [2, 3]);
    const f = jit((c: Array, x: Array) => compress(c, x, { axis: 1, size: 3, fillValue: -1 }));
    expect(data(f(np.array([true, false, true]), a))).toEqual([0, 2, -1, 3, 5, -1]);
    expect(() => compress([true, false, false, true], np.arange(3))).toThrow("condition contains entries that are out of bounds");
  });
});

// ---- index helpers ----------------------------------------------------------------------------

describe("index helpers", () => {
  it("tril/triu indices against numpy", () => {
    for (const c of F.tri_indices) {
      trilIndices(c.n, c.k, c.m).forEach((o, d) => expectArray(o, c.tril[d], `tril ${c.n} ${c.k} ${c.m} ${d}`));
      triuIndices(c.n, c.k, c.m).forEach((o, d) => expectArray(o, c.triu[d], `triu ${c.n} ${c.k} ${c.m} ${d}`));
    }
    const m = np.zeros([3, 4]);
    expect(trilIndicesFrom(m, 1).map(data)).toEqual(trilIndices(3, 1, 4).map(data));
    expect(triuIndicesFrom(m).map(data)).toEqual(triuIndices(3, 0, 4).map(data));
  });
  it("diagIndices", () => {
    const d = diagIndices(3, 3);
    expect(d.length).toBe(3);
    expect(data(d[2])).toEqual([0, 1, 2]);
    expect(diagIndicesFrom(np.zeros([4, 4])).length).toBe(2);
    expect(() => diagIndicesFrom(np.zeros([3, 4]))).toThrow("All dimensions of input must be of equal length");
  });
  it("unravelIndex against numpy; out of range clamps as in JAX", () => {
    for (const c of F.unravel) unravelIndex(dec(c.indices), c.shape).forEach((o, d) => expectArray(o, c.out[d], `unravel ${d}`));
    expect(unravelIndex([12, -1, -13], [3, 4]).map(data)).toEqual([
      [2, 2, 0],
      [3, 3, 0],
    ]);
  });
  it("ravelMultiIndex against numpy", () => {
    for (const c of F.ravel_multi) {
      const multi = c.multi.map((m) => np.array(m, { dtype: "int32" }));
      expectArray(ravelMultiIndex(multi, c.dims, { mode: c.mode, order: c.order }), c.out, `ravel ${c.mode} ${c.order}`);
    }
    expect(() => ravelMultiIndex([[0, 3]], [3])).toThrow("invalid entry in coordinates array");
  });
});
