// Autodiff: jvp, vjp, grad (argnums, hasAux), higher order, linearize, jacobians,
// JS control flow on concrete values, and the printed grad jaxpr.
import { describe, expect, it } from "vitest";
import { numpy as np, grad, valueAndGrad, jvp, vjp, linearize, jacfwd, jacrev, hessian, jit, makeJaxpr } from "../src/index.js";
import type { ArrayImpl } from "../src/array.js";

const val = (x: unknown) => Array.from((x as ArrayImpl).dataSync());
const close = (a: number[], b: number[], tol = 1e-5) => {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i]))));
};

describe("grad", () => {
  it("differentiates tanh to higher orders (JAX's autodiff cookbook)", () => {
    const f = (x: np.ArrayLike) => np.tanh(x);
    const d1 = grad(f);
    const d2 = grad(grad(f));
    const d3 = grad(grad(grad(f)));
    // JAX prints 0.070650935, -0.13621889, 0.2526544; XLA's float32 tanh is a rational
    // approximation a few ulps from the correctly rounded one Kiln computes, so compare closely.
    close(val(d1(2.0)), [0.070650935], 1e-5);
    close(val(d2(2.0)), [-0.13621889], 1e-5);
    close(val(d3(2.0)), [0.2526544], 1e-5);
    expect((d1(2.0) as ArrayImpl).dtype).toBe("float32");
    expect((d1(2.0) as ArrayImpl).weakType).toBe(true);
  });

  it("works through JS control flow on concrete values (the talk's if (x > 0))", () => {
    const f = (x: np.Array) => ((x as unknown as number) > 0 ? np.multiply(np.multiply(x, x), x) : np.multiply(x, -1));
    close(val(grad(f)(np.array(2))), [12]);
    close(val(grad(f)(np.array(-2))), [-1]);
    expect(() => jit(grad(f))(np.array(2))).toThrow(/ConcretizationTypeError|Abstract tracer value/);
  });

  it("supports argnums and hasAux", () => {
    const f = (x: np.Array, y: np.Array) => np.sum(np.multiply(x, y)) as np.Array;
    const [gx, gy] = grad(f, { argnums: [0, 1] })(np.array([1, 2]), np.array([3, 4])) as np.Array[];
    expect(val(gx)).toEqual([3, 4]);
    expect(val(gy)).toEqual([1, 2]);
    const h = (x: np.Array) => [np.sum(np.multiply(x, x)), x] as const;
    const [g, aux] = grad(h, { hasAux: true })(np.array([1, 2])) as np.Array[];
    expect(val(g)).toEqual([2, 4]);
    expect(val(aux)).toEqual([1, 2]);
    const [v, g2] = valueAndGrad((x: np.Array) => np.sum(np.sin(x)) as np.Array)(np.array([0, 1])) as np.Array[];
    close(val(v), [Math.sin(1)]);
    close(val(g2), [1, Math.cos(1)]);
  });

  it("handles pytrees of parameters", () => {
    const loss = (p: { w: np.Array; b: np.Array }, x: np.Array) => np.sum(np.square(np.add(np.multiply(p.w, x), p.b))) as np.Array;
    const g = grad(loss)({ w: np.array([2]), b: np.array([1]) }, np.array([3])) as { w: np.Array; b: np.Array };
    expect(val(g.w)).toEqual([42]);
    expect(val(g.b)).toEqual([14]);
  });

  it("raises JAX's errors for non-scalar and integer outputs/inputs", () => {
    expect(() => grad((x: np.Array) => np.sin(x))(np.array([1, 2]))).toThrow("Gradient only defined for scalar-output functions. Output had shape: (2,).");
    expect(() => grad((x: np.Array) => x)(np.array(1, { dtype: "int32" }))).toThrow(/grad requires real-valued inputs/);
  });

  it("prints the grad jaxpr as JAX does (jaxpr-make_jaxpr-grad-sin-cos-current)", () => {
    const f = (x: np.ArrayLike) => np.sin(np.cos(x));
    expect(makeJaxpr(grad(f))(3.0).toString()).toBe(
      [
        "{ lambda ; a:f32[]. let",
        "    b:f32[] = cos a",
        "    c:f32[] = sin a",
        "    _:f32[] = sin b",
        "    d:f32[] = cos b",
        "    e:f32[] = mul 1.0:f32[] d",
        "    f:f32[] = neg e",
        "    g:f32[] = mul f c",
        "  in (g,) }",
      ].join("\n"),
    );
  });

  it("composes with jit both ways", () => {
    const f = (x: np.Array) => np.sum(np.tanh(np.multiply(x, x))) as np.Array;
    const x = np.array([0.5, -1, 2]);
    const ref = val(grad(f)(x));
    close(val(jit(grad(f))(x)), ref);
    close(val(grad(jit(f))(x)), ref);
  });
});

describe("jvp / vjp / linearize / jacobians", () => {
  it("jvp computes directional derivatives", () => {
    const [y, t] = jvp((x: np.Array) => np.sin(x), [np.array([0, 1])], [np.array([1, 2])]) as np.Array[];
    close(val(y), [0, Math.sin(1)]);
    close(val(t), [1, 2 * Math.cos(1)]);
  });

  it("vjp pulls back cotangents", () => {
    const [y, f] = vjp((x: np.Array) => np.multiply(x, x), np.array([1, 2, 3]));
    expect(val(y)).toEqual([1, 4, 9]);
    expect(val(f(np.array([1, 1, 1]))[0])).toEqual([2, 4, 6]);
  });

  it("linearize gives the linear map", () => {
    const [y, fLin] = linearize((x: np.Array) => np.exp(x), np.array([0, 1]));
    close(val(y), [1, Math.E]);
    close(val(fLin(np.array([2, 1]))), [2, Math.E]);
  });

  it("jacfwd and jacrev agree and hessian is symmetric", () => {
    const f = (x: np.Array) => np.multiply(np.sin(x), np.sum(np.multiply(x, x)) as np.Array);
    const x = np.array([0.3, -0.7]);
    const jf = jacfwd(f)(x) as np.Array;
    const jr = jacrev(f)(x) as np.Array;
    expect(jf.shape).toEqual([2, 2]);
    close(val(jf), val(jr));
    const h = hessian((x: np.Array) => np.sum(np.multiply(np.multiply(x, x), x)) as np.Array)(x) as np.Array;
    close(val(h), [6 * 0.3, 0, 0, 6 * -0.7]);
  });
});
