// jit: values, the trace cache (one trace per signature, re-trace on new shapes
// or static values), nested jit, donation, and the errors for value-dependent
// control flow and non-array arguments.
import { describe, expect, it } from "vitest";
import { numpy as np, jit, makeJaxpr, ConcretizationTypeError, TracerBoolConversionError } from "../src/index.js";
import type { ArrayImpl } from "../src/array.js";

const data = (x: unknown) => Array.from((x as ArrayImpl).dataSync());

describe("jit", () => {
  it("computes the same values as eager", () => {
    const f = (x: np.Array) => np.add(np.multiply(x, 2), 1);
    const x = np.array([1, 2, 3]);
    const y = jit(f)(x);
    expect(data(y)).toEqual([3, 5, 7]);
    expect(y.dtype).toBe("float32");
    expect((y as ArrayImpl).repr()).toBe("Array([3., 5., 7.], dtype=float32)");
  });

  it("traces once per signature and re-traces on new shapes and dtypes", () => {
    const f = jit((x: np.Array) => np.sin(x));
    f(np.ones(3));
    f(np.zeros(3));
    expect(f.traceCount).toBe(1);
    f(np.ones(4));
    expect(f.traceCount).toBe(2);
    f(np.ones(3, { dtype: "int32" }));
    expect(f.traceCount).toBe(3);
    f(np.ones(4));
    expect(f.traceCount).toBe(3);
  });

  it("treats static arguments as part of the cache key", () => {
    const f = jit((x: np.Array, n: number) => (n > 1 ? np.multiply(x, n) : x), { staticArgnums: [1] });
    expect(data(f(np.array([1, 2]), 3))).toEqual([3, 6]);
    expect(data(f(np.array([1, 2]), 3))).toEqual([3, 6]);
    expect(f.traceCount).toBe(1);
    expect(data(f(np.array([1, 2]), 1))).toEqual([1, 2]);
    expect(f.traceCount).toBe(2);
  });

  it("accepts pytrees of arrays and returns pytrees", () => {
    const f = jit((p: { w: np.Array; b: np.Array }, x: np.Array) => ({ y: np.add(np.multiply(p.w, x), p.b), w: p.w }));
    const out = f({ w: np.array([2]), b: np.array([1]) }, np.array([3]));
    expect(data(out.y)).toEqual([7]);
    expect(data(out.w)).toEqual([2]);
  });

  it("runs nested jit", () => {
    const inner = jit((x: np.Array) => np.multiply(x, x));
    const outer = jit((x: np.Array) => np.add(inner(x), inner(np.add(x, 1))));
    expect(data(outer(np.array([1, 2])))).toEqual([5, 13]);
  });

  it("raises a ConcretizationTypeError naming the function and argument for value-dependent control flow", () => {
    const f = jit(function f(x: np.Array) {
      if ((x as unknown as number) > 0) return x;
      return np.multiply(x, 2);
    });
    let err: unknown;
    try {
      f(np.array(10));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConcretizationTypeError);
    const msg = (err as Error).message;
    expect(msg).toContain("Abstract tracer value encountered where concrete value is expected: traced array with shape float32[].");
    expect(msg).toContain("The error occurred while tracing the function f for jit.");
    expect(msg).toContain("depends on the value of the argument x.");
    expect(msg).toContain("lax.cond");
    expect(msg).toContain("staticArgnums");
  });

  it("names only the arguments a value depends on", () => {
    const g = jit(function g(x: np.Array, n: np.Array) {
      let i = 0;
      while (i < Number(n)) i++;
      return np.add(x, i);
    });
    expect(() => g(np.array(10), np.array(20))).toThrow(/depends on the value of the argument n\./);
  });

  it("raises TracerBoolConversionError for Boolean() of a tracer via item()", () => {
    const f = jit((x: np.Array) => (x.item() ? x : x));
    expect(() => f(np.array(1))).toThrow(ConcretizationTypeError);
    expect(TracerBoolConversionError.prototype).toBeInstanceOf(ConcretizationTypeError);
  });

  it("works with JS control flow on concrete values outside jit", () => {
    const f = (x: np.Array) => ((x as unknown as number) > 0 ? np.multiply(x, 2) : x);
    expect(data(f(np.array(3)))).toEqual([6]);
  });

  it("rejects non-array arguments with JAX's message", () => {
    class Custom {}
    const f = jit((self: unknown, y: np.Array) => y);
    expect(() => f(new Custom(), np.array(1))).toThrow(
      /Error interpreting argument to <lambda> as an abstract array\. The problematic value is an object of type Custom and was passed to the function at path self\./,
    );
  });

  it("deletes donated arguments", () => {
    const f = jit((x: np.Array) => np.add(x, 1), { donateArgnums: 0 });
    const x = np.array([1, 2]);
    expect(data(f(x))).toEqual([2, 3]);
    expect(() => (x as ArrayImpl).dataSync()).toThrow(/has been disposed/);
  });

  it("records jit inside makeJaxpr as one equation", () => {
    const f = jit(function sq(x: np.Array) {
      return np.multiply(x, x);
    });
    expect(makeJaxpr((x: np.Array) => f(x))(np.ones(2)).toString()).toBe(
      [
        "{ lambda ; a:f32[2]. let",
        "    b:f32[2] = jit[",
        "      name=sq",
        "      jaxpr={ lambda ; a:f32[2]. let b:f32[2] = mul a a in (b,) }",
        "    ] a",
        "  in (b,) }",
      ].join("\n"),
    );
  });

  it("fuses elementwise chains on the CPU and agrees with eager", () => {
    const f = (x: np.Array) => np.tanh(np.add(np.multiply(np.exp(np.negative(x)), 0.5), np.sin(x)));
    const x = np.linspace(-3, 3, 101);
    const eager = data(f(x));
    const fused = data(jit(f)(x));
    expect(fused).toEqual(eager);
  });
});
