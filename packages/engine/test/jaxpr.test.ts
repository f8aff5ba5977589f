// Golden jaxpr printouts, byte for byte against JAX's modern format (DESIGN.md §4),
// including the cases mined from JAX's docs in shared/conformance/jax-cases.json.
import { describe, expect, it } from "vitest";
import { numpy as np, jit, makeJaxpr, lax } from "../src/index.js";

describe("makeJaxpr printing", () => {
  it("prints a one-equation jaxpr flat", () => {
    expect(makeJaxpr((x) => np.sin(x))(1).toString()).toBe("{ lambda ; a:f32[]. let b:f32[] = sin a in (b,) }");
  });

  it("separates short equations with '; ' (jaxpr-make_jaxpr-docstring-sin-cos)", () => {
    const f = (x: np.ArrayLike) => np.sin(np.cos(x));
    expect(makeJaxpr(f)(3.0).toString()).toBe("{ lambda ; a:f32[]. let b:f32[] = cos a; c:f32[] = sin b in (c,) }");
  });

  it("breaks past 80 columns with typed literals (jaxpr-func1)", () => {
    const func1 = (first: np.Array, second: np.Array) => {
      const temp = np.add(first, np.multiply(np.sin(second), 3));
      return lax.reduceSum(temp, [0]);
    };
    expect(makeJaxpr(func1)(np.zeros(8), np.ones(8)).toString()).toBe(
      [
        "{ lambda ; a:f32[8] b:f32[8]. let",
        "    c:f32[8] = sin b",
        "    d:f32[8] = mul c 3.0:f32[]",
        "    e:f32[8] = add a d",
        "    f:f32[] = reduce_sum[axes=(0,)] e",
        "  in (f,) }",
      ].join("\n"),
    );
  });

  it("prints the log2 example", () => {
    const log2 = (x: np.ArrayLike) => np.divide(np.log(x), np.log(2.0));
    expect(makeJaxpr(log2)(3.0).toString()).toBe(
      ["{ lambda ; a:f32[]. let", "    b:f32[] = log a", "    c:f32[] = log 2.0:f32[]", "    d:f32[] = div b c", "  in (d,) }"].join("\n"),
    );
  });

  it("resolves shape-dependent JS control flow at trace time (jaxpr-log2-if-rank-2-int-input)", () => {
    const f = (x: np.Array) => (x.ndim === 2 ? np.divide(np.log(x), np.log(2.0)) : x);
    expect(makeJaxpr(f)(np.array([1, 2, 3], { dtype: "int32" })).toString()).toBe("{ lambda ; a:i32[3]. let  in (a,) }");
  });

  it("prints non-scalar constants as constvars and scalar ones as literals", () => {
    const c = np.array([1, 2, 3]);
    const f = (x: np.Array) => [x, 1.0, c] as const;
    expect(makeJaxpr(f)(np.array(0)).toString()).toBe("{ lambda a:f32[3]; b:f32[]. let  in (b, 1.0:f32[], a) }");
  });

  it("converts weak-typed args against strong arrays, and stages ones() (jaxpr-jit-nested-func12)", () => {
    const func12 = (arg: np.ArrayLike) => {
      const inner = jit(function inner(x: np.Array) {
        return np.add(x, np.multiply(arg, np.ones(1)));
      });
      return np.add(arg, inner(np.subtract(arg, 2)));
    };
    expect(makeJaxpr(func12)(1).toString()).toBe(
      [
        "{ lambda ; a:f32[]. let",
        "    b:f32[] = sub a 2.0:f32[]",
        "    c:f32[1] = jit[",
        "      name=inner",
        "      jaxpr={ lambda ; a:f32[] b:f32[]. let",
        "          d:f32[1] = broadcast_in_dim[broadcast_dimensions=() shape=(1,)] 1.0:f32[]",
        "          e:f32[] = convert_element_type[new_dtype=float32 weak_type=False] a",
        "          f:f32[1] = mul e d",
        "          g:f32[] = convert_element_type[new_dtype=float32 weak_type=False] b",
        "          c:f32[1] = add g f",
        "        in (c,) }",
        "    ] a b",
        "    h:f32[] = convert_element_type[new_dtype=float32 weak_type=False] a",
        "    i:f32[1] = add h c",
        "  in (i,) }",
      ].join("\n"),
    );
  });

  it("prints an identity inner jit (jaxpr-jit-pjit-id)", () => {
    const f = jit((x: np.Array, _y: np.Array) => x);
    const x = np.array([4.2]);
    expect(makeJaxpr((y: np.Array) => np.add(y, f(y, y)))(x).toString()).toBe(
      [
        "{ lambda ; a:f32[1]. let",
        "    b:f32[1] = jit[",
        "      name=<lambda>",
        "      jaxpr={ lambda ; a:f32[1] c:f32[1]. let  in (a,) }",
        "    ] a a",
        "    d:f32[1] = add a b",
        "  in (d,) }",
      ].join("\n"),
    );
  });

  it("passes a scalar constant to an inner jit as a literal (jaxpr-jit-with-constant-pjit-arg)", () => {
    const f = jit((x: np.Array, y: np.Array) => np.multiply(x, y));
    const x = np.array([4.2]);
    expect(makeJaxpr((x: np.Array) => f(x, np.array(1.0)))(x).toString()).toBe(
      [
        "{ lambda ; a:f32[1]. let",
        "    b:f32[1] = jit[",
        "      name=<lambda>",
        "      jaxpr={ lambda ; a:f32[1] c:f32[]. let b:f32[1] = mul a c in (b,) }",
        "    ] a 1.0:f32[]",
        "  in (b,) }",
      ].join("\n"),
    );
  });

  it("prints a literal output of an inner jit (jaxpr-jit-with-literal-outvar)", () => {
    const f = jit((x: np.Array) => [np.array(2, { dtype: "int32" }), x]);
    expect(makeJaxpr(f)(np.array([4.2])).toString()).toBe(
      [
        "{ lambda ; a:f32[1]. let",
        "    b:i32[] c:f32[1] = jit[",
        "      name=<lambda>",
        "      jaxpr={ lambda ; a:f32[1]. let  in (2:i32[], a) }",
        "    ] a",
        "  in (b, c) }",
      ].join("\n"),
    );
  });

  it("hoists a jaxpr used twice and passes closed-over tracers first (jaxpr-jit-with-closure)", () => {
    const g = jit(function g(x: np.Array, y: np.Array) {
      const f = jit(function f(x: np.Array) {
        return np.multiply(x, y);
      });
      return np.add(f(x), f(y));
    });
    const x = np.array([4.2]);
    expect(makeJaxpr(g)(x, x).toString()).toBe(
      [
        "let f = { lambda ; a:f32[1] b:f32[1]. let c:f32[1] = mul b a in (c,) } in",
        "{ lambda ; d:f32[1] e:f32[1]. let",
        "    g:f32[1] = jit[",
        "      name=g",
        "      jaxpr={ lambda ; d:f32[1] e:f32[1]. let",
        "          h:f32[1] = jit[name=f jaxpr=f] e d",
        "          i:f32[1] = jit[name=f jaxpr=f] e e",
        "          g:f32[1] = add h i",
        "        in (g,) }",
        "    ] d e",
        "  in (g,) }",
      ].join("\n"),
    );
  });

  it("wraps a long binder list and names past z (jaxpr-permissive_sum-list-input)", () => {
    const permissiveSum = (...xs: np.Array[]) => lax.reduceSum(np.array(xs), [0]);
    // Python ints are weakly typed int32 scalars; JS numbers are float32, so build weak int32 scalars.
    const args = Array.from({ length: 10 }, (_, i) => lax.convertElementType(i, "int32", true));
    const text = makeJaxpr(permissiveSum)(...args).toString();
    const lines = text.split("\n");
    expect(lines[0]).toBe("{ lambda ; a:i32[] b:i32[] c:i32[] d:i32[] e:i32[] f:i32[] g:i32[] h:i32[] i:i32[]");
    expect(lines[1]).toBe("    j:i32[]. let");
    expect(lines[2]).toBe("    k:i32[] = convert_element_type[new_dtype=int32 weak_type=False] a");
    expect(text).toContain("    ba:i32[1] = broadcast_in_dim[broadcast_dimensions=() shape=(1,)] q");
    expect(text).toContain("    be:i32[10] = concatenate[dimension=0] u v w x y z ba bb bc bd");
    expect(lines.at(-2)).toBe("    bf:i32[] = reduce_sum[axes=(0,)] be");
  });

  it("prints integer literals typed (jaxpr-aot-trace-int-literal)", () => {
    const f = (x: np.Array, y: np.Array) => np.add(np.multiply(2, x), y);
    const i = np.array(3, { dtype: "int32" });
    expect(makeJaxpr(f)(i, i).toString()).toBe(
      ["{ lambda ; a:i32[] b:i32[]. let", "    c:i32[] = mul 2:i32[] a", "    d:i32[] = add c b", "  in (d,) }"].join("\n"),
    );
  });

  it("marks unused equation outputs as dropped", () => {
    const f = (x: np.Array) => {
      np.sin(x);
      return np.cos(x);
    };
    expect(makeJaxpr(f)(np.array(1)).toString()).toBe("{ lambda ; a:f32[]. let _:f32[] = sin a; b:f32[] = cos a in (b,) }");
  });
});
