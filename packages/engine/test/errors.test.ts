// Bad input gets a clear error in the user's terms: which function, which argument,
// which shape or dtype, and what to do instead.
import { describe, expect, it } from "vitest";
import { numpy as np, lax, jit, grad, vmap, makeJaxpr } from "../src/index.js";

describe("bad input", () => {
  it("shape mismatches name the function and both shapes", () => {
    expect(() => np.add(np.ones(3), np.ones(4))).toThrow("add got incompatible shapes for broadcasting: (3,), (4,).");
    expect(() => np.add(np.ones(3), np.ones([4, 2]))).toThrow("Incompatible shapes for broadcasting: shapes=[(3,), (4, 2)]");
    expect(() => np.matmul(np.ones([2, 3]), np.ones([4, 5]))).toThrow(/matmul.*\(2, 3\).*\(4, 5\)|size 3 is different from 4/);
    expect(() => np.reshape(np.ones([3, 4]), [5])).toThrow(/cannot reshape array of shape \(3, 4\) \(size 12\) into shape \(5,\)/);
    expect(() => np.concatenate([np.ones([2, 3]), np.ones([2, 4])])).toThrow(/concatenate/);
  });

  it("bad axes name the function, the axis and the rank", () => {
    expect(() => np.sum(np.ones([2, 3]), { axis: 3 })).toThrow("sum: axis 3 is out of bounds for array of dimension 2");
    expect(() => np.mean(np.ones([2, 3]), { axis: [1, -1] })).toThrow(/repeated axis/);
    expect(() => np.expandDims(np.ones(2), 5)).toThrow(/axis|out of/);
  });

  it("wrong dtypes say which dtype was rejected", () => {
    expect(() => lax.sin(np.ones(2, { dtype: "int32" }))).toThrow("sin does not accept dtype int32. Accepted dtypes are subtypes of floating.");
    expect(() => lax.add(np.ones(2, { dtype: "int32" }), np.ones(2))).toThrow(
      "lax.add requires arguments to have the same dtypes, got int32, float32. (Tip: np.add is a similar function that does automatic type promotion on inputs).",
    );
    expect(() => np.bitwiseAnd(np.ones(2), np.ones(2))).toThrow(/bitwise_and.*float32/);
    expect(() => np.zeros(3, { dtype: "int8" as never })).toThrow(/unknown dtype "int8"/);
  });

  it("JS arrays where arrays are expected get a hint to wrap them", () => {
    expect(() => np.sum([1, 2, 3] as never)).toThrow("sum requires ndarray or scalar arguments, got a JS array at position 0. Wrap JS arrays with np.array(...) first.");
    expect(() => np.add(np.ones(2), "x" as never)).toThrow(/add requires ndarray or scalar arguments, got string x at position 1/);
  });

  it("non-array pytree leaves passed to transformations are named by their path", () => {
    const f = jit((p: { w: np.Array; name: string }) => p.w);
    expect(() => f({ w: np.ones(2), name: "layer" })).toThrow(/passed to the function at path p\['name'\]/);
    expect(() => grad((x: np.Array) => np.sum(x))("a" as never)).toThrow(/grad: leaf 0 is string|not an Array/);
    expect(() => makeJaxpr((x: np.Array) => x)({} as never)).not.toThrow();
  });

  it("reading a multi-element array as a JS number explains what to do", () => {
    expect(() => Number(np.ones(3))).toThrow("Cannot convert an array of shape (3,) (dtype float32) to a JS number. Only size-1 arrays can be converted to a JS number; read the whole array with `await x.data()` or `await x.tolist()`.");
  });

  it("vmap errors list each argument's axis and size", () => {
    const X = np.ones([10, 4]);
    const U = np.ones([10, 2]);
    expect(() => vmap((x: np.Array, y: np.Array, z: np.Array) => x, { inAxes: [0, 1, 0] })(X, U, X)).toThrow(
      [
        "vmap got inconsistent sizes for array axes to be mapped:",
        "  * most axes (2 of them) had size 10, e.g. axis 0 of argument x of type float32[10,4];",
        "  * one axis had size 2: axis 1 of argument y of type float32[10,2]",
      ].join("\n"),
    );
  });
});
