/**
 * jnp sorting and searching (numpy/sorting.ts): NaN order, stability, descending sorts,
 * lexsort key order, searchsorted sides, partition layout, unique (eagerly, and under jit with a
 * static size), golden jaxprs and errors. Fixture values (eager and jit) are checked by the
 * shared fixture runner in reductions.test.ts.
 */
import { describe, expect, it } from "vitest";
import { numpy as np, jit, makeJaxpr, ConcretizationTypeError } from "../src/index.js";
import type { ArrayImpl } from "../src/array.js";

const values = (x: np.Array) => Array.from((x as ArrayImpl).dataSync() as ArrayLike<number>, Number);
const f32 = (x: number[]) => np.array(x, { dtype: "float32" });
const i32 = (x: number[]) => np.array(x, { dtype: "int32" });

describe("sort and argsort", () => {
  it("sorts NaNs last along the last axis by default", () => {
    const x = np.array([[3, NaN, 1], [-Infinity, 2, Infinity]]);
    expect(values(np.sort(x))).toEqual([1, 3, NaN, -Infinity, 2, Infinity]);
    expect(values(np.sort(x, { axis: 0 }))).toEqual([-Infinity, 2, 1, 3, NaN, Infinity]);
    expect(values(np.sort(x, { axis: null }))).toEqual([-Infinity, 1, 2, 3, Infinity, NaN]);
    expect(values(np.sort(x, { axis: null, descending: true }))).toEqual([NaN, Infinity, 3, 2, 1, -Infinity]);
    expect(np.sort(i32([3, 1])).dtype).toBe("int32");
  });
  it("argsort is stable, int32, and stable when descending", () => {
    const x = f32([2, 1, 2, 1, NaN, 2]);
    const idx = np.argsort(x);
    expect(idx.dtype).toBe("int32");
    expect(values(idx)).toEqual([1, 3, 0, 2, 5, 4]);
    expect(values(np.argsort(x, { descending: true }))).toEqual([4, 0, 2, 5, 1, 3]);
    expect(values(np.argsort(np.array([[3, 1], [0, 2]]), { axis: 0 }))).toEqual([1, 0, 0, 1]);
    expect(values(np.argsort(np.array([[3, 1], [0, 2]]), { axis: null }))).toEqual([2, 1, 3, 0]);
  });
  it("lexsort sorts by the last key first", () => {
    const surnames = i32([3, 1, 2, 1]);
    const first = i32([0, 9, 1, 4]);
    expect(values(np.lexsort([first, surnames]))).toEqual([3, 1, 2, 0]);
    expect(np.lexsort([f32([1])]).dtype).toBe("int32");
    expect(np.lexsort([np.array(3)]).item()).toBe(0);
  });
  it("prints JAX's sort jaxprs", () => {
    expect(makeJaxpr((x: np.Array) => np.sort(x))(np.ones([5])).toString()).toBe(
      "{ lambda ; a:f32[5]. let\n    b:f32[5] = sort[dimension=0 is_stable=True num_keys=1] a\n  in (b,) }",
    );
    expect(makeJaxpr((x: np.Array) => np.argsort(x))(np.ones([5])).toString()).toBe(
      [
        "{ lambda ; a:f32[5]. let",
        "    b:i32[5] = iota[dimension=0 dtype=int32 shape=(5,)] ",
        "    _:f32[5] c:i32[5] = sort[dimension=0 is_stable=True num_keys=1] a b",
        "  in (c,) }",
      ].join("\n"),
    );
  });
});

describe("searchsorted", () => {
  const a = f32([1, 2, 2, 3, NaN]);
  it("finds left and right insertion points, NaN at the end", () => {
    const v = f32([2, 0, 9, NaN]);
    expect(values(np.searchsorted(a, v))).toEqual([1, 0, 4, 4]);
    expect(values(np.searchsorted(a, v, { side: "right" }))).toEqual([3, 0, 4, 5]);
    expect(np.searchsorted(a, 2).dtype).toBe("int32");
    expect([...np.searchsorted(a, 2).shape]).toEqual([]);
    expect([...np.searchsorted(a, np.ones([2, 3])).shape]).toEqual([2, 3]);
  });
  it("uses a sorter and promotes dtypes", () => {
    const b = i32([30, 10, 20]);
    expect(values(np.searchsorted(b, f32([15, 25]), { sorter: i32([1, 2, 0]) }))).toEqual([1, 2]);
    expect(values(np.searchsorted(i32([1, 2, 3]), 2.5))).toEqual([2]);
  });
  it("rejects bad arguments", () => {
    expect(() => np.searchsorted(np.ones([2, 2]), 1)).toThrow("a should be 1-dimensional");
    expect(() => np.searchsorted(a, 1, { side: "middle" as never })).toThrow("'middle' is an invalid value for keyword 'side'. Expected one of ['left', 'right'].");
    expect(() => np.searchsorted([1, 2] as never, 1)).toThrow("searchsorted requires ndarray or scalar arguments, got a JS array at position 0.");
  });
});

describe("partition and argpartition", () => {
  const x = f32([5, 1, 4, 2, 3, 0]);
  it("puts the kth element in sorted position, smaller before and larger after", () => {
    for (let k = 0; k < 6; k++) {
      const p = values(np.partition(x, k));
      expect(p[k]).toBe(k);
      p.slice(0, k).forEach((v) => expect(v).toBeLessThanOrEqual(k));
      p.slice(k + 1).forEach((v) => expect(v).toBeGreaterThanOrEqual(k));
      const idx = values(np.argpartition(x, k));
      expect(idx.map((i) => values(x)[i])).toEqual(p.slice(0, k + 1).concat(idx.slice(k + 1).map((i) => values(x)[i])));
      expect([...idx].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    }
  });
  it("lays results out as JAX's top_k-based version does", () => {
    expect(values(np.partition(x, 2))).toEqual([0, 1, 2, 5, 4, 3]);
    expect(values(np.argpartition(x, 2))).toEqual([5, 1, 3, 0, 2, 4]);
    expect(values(np.partition(x, -1))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(values(np.partition(np.array([[3, 1], [0, 2]]), 0, { axis: 0 }))).toEqual([0, 1, 3, 2]);
  });
  it("rejects unsigned integers and bad kth", () => {
    expect(() => np.partition(np.array([1, 2], { dtype: "uint32" }), 0)).toThrow("jnp.partition not implemented for unsigned integer types");
    expect(() => np.partition(x, 6)).toThrow("partition: axis 6 is out of bounds for array of dimension 6");
  });
});

describe("unique", () => {
  const x = np.array([[3, 1, NaN], [1, NaN, 2]]);
  it("returns sorted distinct values with indices, inverse and counts", () => {
    expect(values(np.unique(x))).toEqual([1, 2, 3, NaN]);
    const [v, idx, inv, cnt] = np.unique(x, { returnIndex: true, returnInverse: true, returnCounts: true });
    expect(values(v)).toEqual([1, 2, 3, NaN]);
    expect(values(idx)).toEqual([1, 5, 0, 2]);
    expect([...inv.shape]).toEqual([2, 3]);
    expect(values(inv)).toEqual([2, 0, 3, 0, 3, 1]);
    expect(values(cnt)).toEqual([2, 1, 1, 2]);
    expect(idx.dtype).toBe("int32");
    expect(values(np.unique(x, { equalNan: false }))).toEqual([1, 2, 3, NaN, NaN]);
    expect(values(np.unique(np.zeros([0])))).toEqual([]);
  });
  it("offers the array-API variants", () => {
    const r = np.uniqueAll(i32([3, 4, 1, 3, 1]));
    expect(values(r.values)).toEqual([1, 3, 4]);
    expect(values(r.indices)).toEqual([2, 0, 1]);
    expect(values(r.inverseIndices)).toEqual([1, 2, 0, 1, 0]);
    expect(values(r.counts)).toEqual([2, 2, 1]);
    expect(values(np.uniqueCounts(i32([3, 4, 1, 3, 1])).counts)).toEqual([2, 2, 1]);
    expect(values(np.uniqueInverse(i32([3, 4, 1])).inverseIndices)).toEqual([1, 2, 0]);
    expect(values(np.uniqueValues(f32([NaN, NaN])))).toEqual([NaN, NaN]);
  });
  it("raises a ConcretizationTypeError under jit without size", () => {
    const f = jit((a: np.Array) => np.unique(a));
    expect(() => f(i32([3, 4, 1]))).toThrow(ConcretizationTypeError);
    expect(() => f(i32([3, 4, 1]))).toThrow(/specify a concrete value for the size/);
  });
  it("works under jit with a static size, padding with fillValue or the minimum", () => {
    const x5 = i32([3, 4, 1, 3, 1]);
    expect(values(jit((a: np.Array) => np.unique(a, { size: 5 }))(x5))).toEqual([1, 3, 4, 1, 1]);
    expect(values(jit((a: np.Array) => np.unique(a, { size: 5, fillValue: 0 }))(x5))).toEqual([1, 3, 4, 0, 0]);
    expect(values(jit((a: np.Array) => np.unique(a, { size: 2 }))(x5))).toEqual([1, 3]);
    const [, cnt] = jit((a: np.Array) => np.unique(a, { size: 4, returnCounts: true }))(x5);
    expect(values(cnt)).toEqual([2, 2, 1, 0]);
    expect(() => np.unique(np.zeros([0]), { size: 2 })).toThrow("jnp.unique: for zero-sized input with nonzero size argument, fill_value must be specified");
  });
});

describe("errors", () => {
  it("uses JAX/numpy wording for bad axes and inputs", () => {
    expect(() => np.sort(np.ones([2, 3]), { axis: 2 })).toThrow("sort: axis 2 is out of bounds for array of dimension 2");
    expect(() => np.argsort(np.array(1))).toThrow("argsort: axis -1 is out of bounds for array of dimension 0");
    expect(() => np.sort([3, 1] as never)).toThrow("sort requires ndarray or scalar arguments, got a JS array at position 0.");
    expect(() => np.lexsort([])).toThrow("need sequence of keys with len > 0 in lexsort");
    expect(() => np.lexsort([np.ones([2]), np.ones([3])])).toThrow("all keys need to be the same shape");
  });
});
