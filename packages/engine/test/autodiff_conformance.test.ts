// JAX conformance, area "autodiff_vmap" of shared/conformance/jax-cases.json: every case, translated
// from Python to Kiln's TypeScript API as a user would write it, with JAX's printed output asserted.
// Each test is named by its case id. Cases recorded as doctests (pytest's NUMBER +
// NORMALIZE_WHITESPACE flags) are compared the way pytest compares them: whitespace normalized and
// each number equal to the precision it is written with. Where a float32 result differs from
// JAX's by an ulp or two because Kiln's transcendentals are correctly rounded while XLA's are
// approximations, the value is compared numerically with a 1–2 ulp tolerance (said at the site).
//
// Translation rules (DESIGN.md §3): a Python float argument is a JS number (a weak float32); a
// Python int that becomes an array on its own is spelled `{ dtype: "int32" }` (a strong int32) or,
// where its weak type shows in the output, `lax.convertElementType(n, "int32", true)`; tuples are
// JS arrays; keyword arguments are options objects; `x[i]` is `x.index(i)`.
import { afterEach, describe, expect, it } from "vitest";
import {
  numpy as np, lax, random, grad, valueAndGrad, jvp, vjp, linearize, jacfwd, jacrev, hessian, jit, vmap, makeJaxpr, config,
  customJvp, customVjp, stopGradient,
} from "../src/index.js";
import type { Array } from "../src/index.js";

// ---- helpers: Python's printing ---------------------------------------------------------------

const isArr = (v: unknown): v is Array => typeof v === "object" && v !== null && typeof (v as Array).repr === "function" && "aval" in (v as object);

/** Python's repr of a float (`8.0`, `0.5`, `nan`). */
const pyFloat = (v: number) => (Number.isNaN(v) ? "nan" : Number.isInteger(v) ? `${v}.0` : String(v));

/** Python's repr: Arrays by their repr, JS arrays as tuples, plain objects as dicts. */
function pyRepr(v: unknown): string {
  if (isArr(v)) return v.repr();
  if (typeof v === "number") return pyFloat(v);
  if (globalThis.Array.isArray(v)) return v.length === 1 ? `(${pyRepr(v[0])},)` : `(${v.map(pyRepr).join(", ")})`;
  if (v && typeof v === "object") return `{${Object.entries(v).map(([k, x]) => `'${k}': ${pyRepr(x)}`).join(", ")}}`;
  return String(v);
}

/** Python's print(v): Arrays by numpy's str, containers by repr. */
const pyStr = (v: unknown): string => (isArr(v) ? String(v) : pyRepr(v));

/** Python's print(a, b, ...). */
const pyPrint = (...vs: unknown[]) => vs.map((v) => (typeof v === "string" ? v : pyStr(v))).join(" ");

/** IPython's display of a tuple of Arrays: one line if it fits in 79 columns, else one element per line. */
function pretty(v: unknown): string {
  const flat = pyRepr(v);
  if (!globalThis.Array.isArray(v) || flat.length <= 79) return flat;
  return `(${v.map((x) => pyRepr(x).replace(/\n/g, "\n ")).join(",\n ")}${v.length === 1 ? "," : ""})`;
}

const NUM = /[+-]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?/g;

/**
 * pytest's doctest NUMBER + NORMALIZE_WHITESPACE: the text between numbers is equal up to runs of
 * whitespace (and numpy's column padding inside brackets, which moves when a digit count changes),
 * and each float of `want` equals the one in `got` to the precision written in `want` (here: half a
 * unit in its last written place, a little stricter than pytest's full unit), or within `rtol`
 * where a case's float32 evaluation differs from XLA's (said at the call).
 */
function expectDoctest(got: string, want: string, { rtol = 0 } = {}): void {
  const norm = (s: string) => s.replace(NUM, "#").replace(/\s+/g, " ").replace(/([[(]) /g, "$1").replace(/ ([\])])/g, "$1").trim();
  expect(norm(got), `text of\n${got}\nvs\n${want}`).toBe(norm(want));
  const g = got.match(NUM) ?? [];
  const w = want.match(NUM) ?? [];
  expect(g.length).toBe(w.length);
  w.forEach((ws, i) => {
    const frac = /\.(\d*)/.exec(ws)?.[1];
    const exp = Number(/[eE]([+-]?\d+)/.exec(ws)?.[1] ?? 0);
    const tol = frac === undefined ? 0 : 0.5 * 10 ** -(frac.length - exp) + Math.max(1e-6, rtol) * Math.abs(Number(ws));
    if (!(Math.abs(Number(g[i]) - Number(ws)) <= tol)) expect.fail(`number ${i}: got ${g[i]}, want ${ws} (±${tol})\n${got}`);
  });
}

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);
/** Distance in float32 ulps (both finite, same sign or near zero). */
function ulps(a: number, b: number): number {
  f32[0] = a;
  const ia = i32[0] < 0 ? -2147483648 - i32[0] : i32[0];
  f32[0] = b;
  const ib = i32[0] < 0 ? -2147483648 - i32[0] : i32[0];
  return Math.abs(ia - ib);
}
const vals = (x: unknown): number[] => globalThis.Array.from((x as Array).dataSync(), Number);
/** Every element of `x` within `maxUlps` float32 ulps of `want` (used where XLA's transcendental differs from the correctly rounded one). */
function expectUlps(x: unknown, want: number[], maxUlps = 2): void {
  const got = vals(x);
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    if (!(ulps(g, Math.fround(want[i])) <= maxUlps)) expect.fail(`element ${i}: got ${g}, want ${want[i]} (${ulps(g, Math.fround(want[i]))} ulps)`);
  });
}

/** Collects "printed" lines, as the case's stdout. */
function stdout() {
  const lines: string[] = [];
  return { print: (...vs: unknown[]) => lines.push(pyPrint(...vs)), text: () => lines.join("\n"), lines };
}

afterEach(() => config.reset());

const f32arange = (n: number) => np.arange(n, null, null, { dtype: "float32" }); // jnp.arange(3.)

// ---- grad / value_and_grad ----------------------------------------------------------------------

describe("grad and value_and_grad", () => {
  it("ad-grad-sum-logistic", () => {
    const sumLogistic = (x: Array) => np.sum(np.divide(1.0, np.add(1.0, np.exp(np.negative(x)))));
    const xSmall = f32arange(3);
    const derivativeFn = grad(sumLogistic);
    const g = derivativeFn(xSmall);
    // JAX prints [0.25       0.19661194 0.10499357]. The middle value is e^-1 / (1 + e^-1)^2 with
    // float32 exp(-1): XLA's is 0.36787942, one ulp below the correctly rounded 0.36787945 that Kiln
    // computes, which moves the result 2 ulps (0.19661197; the true value is 0.196611933).
    expectUlps(g, [0.25, 0.19661194, 0.10499357], 2);
    expect(pyStr(g).replace(/\d+(?=\s+0\.104)/, "#")).toBe("[0.25       0.# 0.10499357]");
  });

  describe("sum_squared_error", () => {
    const x = np.asarray([1.0, 2.0, 3.0, 4.0]);
    const sumSquaredError = (x: Array, y: Array) => np.sum(np.power(np.subtract(x, y), 2));
    const y = np.asarray([1.1, 2.1, 3.1, 4.1]);

    it("ad-grad-sum_squared_error", () => {
      const sumSquaredErrorDx = grad(sumSquaredError);
      expect(pyStr(sumSquaredErrorDx(x, y))).toBe("[-0.20000005 -0.19999981 -0.19999981 -0.19999981]");
    });

    it("ad-value_and_grad", () => {
      expect(pretty(valueAndGrad(sumSquaredError)(x, y))).toBe(
        "(Array(0.03999995, dtype=float32),\n Array([-0.20000005, -0.19999981, -0.19999981, -0.19999981], dtype=float32))",
      );
    });

    it("ad-grad-argnums-tuple", () => {
      expect(pretty(grad(sumSquaredError, { argnums: [0, 1] })(x, y))).toBe(
        "(Array([-0.20000005, -0.19999981, -0.19999981, -0.19999981], dtype=float32),\n Array([0.20000005, 0.19999981, 0.19999981, 0.19999981], dtype=float32))",
      );
    });
  });

  it("ad-grad-sum_of_squares", () => {
    const sumOfSquares = (x: Array) => np.sum(np.power(x, 2));
    const sumOfSquaresDx = grad(sumOfSquares);
    const x = np.asarray([1.0, 2.0, 3.0, 4.0]);
    const out = stdout();
    out.print(sumOfSquares(x));
    out.print(sumOfSquaresDx(x));
    expect(out.text()).toBe("30.0\n[2. 4. 6. 8.]");
  });

  it("ad-grad-python-control-flow", () => {
    // Python's `if x < 3` on a concrete value: JS's relational operator reads the array (Symbol.toPrimitive).
    const f = (x: Array) => ((x as unknown as number) < 3 ? np.multiply(3.0, np.power(x, 2)) : np.multiply(-4, x));
    const out = stdout();
    out.print(grad(f)(2.0)); // ok!
    out.print(grad(f)(4.0)); // ok!
    expect(out.text()).toBe("12.0\n-4.0");
  });

  it("ad-grad-x-over-1-plus-sqrt-at-0-nan", () => {
    const f = (x: Array) => np.divide(x, np.add(1, np.sqrt(x)));
    expect(pyStr(grad(f)(0.0))).toBe("nan");
  });

  describe("td_loss", () => {
    // Value function and initial parameters
    const valueFn = (theta: Array, state: Array) => np.dot(theta, state);
    const theta = np.array([0.1, -0.1, 0.0]);
    // An example transition.
    const sTm1 = np.array([1.0, 2.0, -1.0]);
    const rT = np.array(1.0);
    const sT = np.array([2.0, 1.0, 0.0]);

    it("ad-td-loss-without-stop_gradient", () => {
      const tdLoss = (theta: Array, sTm1: Array, rT: Array, sT: Array) => {
        const vTm1 = valueFn(theta, sTm1);
        const target = np.add(rT, valueFn(theta, sT));
        return np.multiply(-0.5, np.power(np.subtract(target, vTm1), 2));
      };
      const tdUpdate = grad(tdLoss);
      const deltaTheta = tdUpdate(theta, sTm1, rT, sT) as Array;
      // The stored display "Array([ -1.2, 1.2,  -1.2], dtype=float32)" was hand-edited: compare numerically.
      expect(deltaTheta.dtype).toBe("float32");
      vals(deltaTheta).forEach((v, i) => expect(v).toBeCloseTo([-1.2, 1.2, -1.2][i], 6));
    });

    it("ad-td-loss-stop_gradient", () => {
      const tdLoss = (theta: Array, sTm1: Array, rT: Array, sT: Array) => {
        const vTm1 = valueFn(theta, sTm1);
        const target = np.add(rT, valueFn(theta, sT));
        return np.multiply(-0.5, np.power(np.subtract(lax.stopGradient(target), vTm1), 2));
      };
      const tdUpdate = grad(tdLoss);
      const deltaTheta = tdUpdate(theta, sTm1, rT, sT) as Array;
      // Stored display "Array([1.2, 2.4,  -1.2], dtype=float32)" hand-edited: compare numerically.
      expect(deltaTheta.dtype).toBe("float32");
      vals(deltaTheta).forEach((v, i) => expect(v).toBeCloseTo([1.2, 2.4, -1.2][i], 6));
    });
  });

  it("ad-straight-through-estimator", () => {
    const f = (x: Array | number) => np.round(x); // non-differentiable
    const straightThroughF = (x: Array) => {
      // Create an exactly-zero expression with Sterbenz lemma that has an exactly-one gradient.
      const zero = np.subtract(x, stopGradient(x));
      return np.add(zero, stopGradient(f(x)));
    };
    const out = stdout();
    // Python's print("f(x): ", v) puts a space after the first argument's own trailing space.
    out.print("f(x): ", f(3.2));
    out.print("straight_through_f(x):", straightThroughF(np.asarray(3.2)));
    out.print("grad(f)(x):", grad(f)(3.2));
    out.print("grad(straight_through_f)(x):", grad(straightThroughF)(3.2));
    expect(out.text()).toBe(
      ["f(x):  3.0", "straight_through_f(x): 3.0", "grad(f)(x): 0.0", "grad(straight_through_f)(x): 1.0"].join("\n"),
    );
  });
});

// ---- jvp / linearize / vjp -----------------------------------------------------------------------

describe("jvp, linearize and vjp", () => {
  it("ad-linearize", () => {
    const f = (x: Array | number) => np.add(np.multiply(3.0, np.sin(x)), np.cos(np.divide(x, 2.0)));
    // Doctest (NUMBER): the jvp display, then three prints.
    const shown = jvp(f, [2.0], [3.0]);
    expectDoctest(pyRepr(shown), "(Array(3.2681944, dtype=float32, weak_type=True), Array(-5.007528, dtype=float32, weak_type=True))");
    const [y, fJvp] = linearize(f, 2.0);
    const out = stdout();
    out.print(y);
    out.print(fJvp(3.0));
    out.print(fJvp(4.0));
    expectDoctest(out.text(), "3.2681944\n-5.007528\n-6.676704");
  });

  it("ad-vjp-vgrad-ones", () => {
    const vgrad = (f: (x: Array) => Array, x: Array) => {
      const [y, vjpFn] = vjp(f, x);
      return vjpFn(np.ones((y as Array).shape))[0];
    };
    expect(pyStr(vgrad((x) => np.multiply(3, np.power(x, 2)), np.ones([2, 2])))).toBe("[[6. 6.]\n [6. 6.]]");
  });

  it("ad-vjp-python-control-flow-jit-of-vjp", () => {
    // Python's try/except/raise is JS's try/catch/throw; it runs on the concrete primal.
    const f = (x: Array) => {
      try {
        if ((x as unknown as number) < 3) return np.multiply(2, np.power(x, 3));
        else throw new RangeError();
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
        return np.multiply(Math.PI, x);
      }
    };
    const [, fVjp] = vjp(f, 4.0);
    // JAX prints (Array(3.1415927, dtype=float32),): it canonicalizes the Python-float primal to a
    // strong float32. Kiln's JS-number primal (and cotangent) is a weak float32 (DESIGN.md §3), so
    // the cotangent is weak; the value and dtype are JAX's.
    const cts = jit(fVjp)(1.0) as Array[];
    expect(cts[0].weakType).toBe(true);
    expect(pyStr(cts).replace(", weak_type=True", "")).toBe("(Array(3.1415927, dtype=float32),)");
  });
});

// ---- jacobians and hessians -------------------------------------------------------------------

describe("jacobians and hessians", () => {
  it("ad-jacrev-docstring", () => {
    const f = (x: Array) =>
      np.asarray([x.index(0), np.multiply(5, x.index(2)), np.subtract(np.multiply(4, np.power(x.index(1), 2)), np.multiply(2, x.index(2))), np.multiply(x.index(2), np.sin(x.index(0)))]);
    expectDoctest(
      pyStr(jacrev(f)(np.array([1.0, 2.0, 3.0]))),
      "[[ 1.       0.       0.     ]\n [ 0.       0.       5.     ]\n [ 0.      16.      -2.     ]\n [ 1.6209   0.       0.84147]]",
    );
  });

  it("ad-hessian-jacfwd-grad-dot", () => {
    const hessian = (f: (x: Array) => Array) => jacfwd(grad(f));
    const f = (x: Array) => np.dot(x, x);
    expect(pyRepr(hessian(f)(np.array([1.0, 2.0, 3.0])))).toBe(
      "Array([[2., 0., 0.],\n       [0., 2., 0.],\n       [0., 0., 2.]], dtype=float32)",
    );
  });

  it("ad-hessian-pytree-docstring", () => {
    const f = (dct: { a: Array; b: Array }) => ({ c: np.power(dct.a, dct.b) });
    const h = hessian(f)({ a: np.add(f32arange(2), 1.0), b: np.add(f32arange(2), 2.0) }) as Record<string, Record<string, Record<string, Array>>>;
    const got = `{'c': {'a': {'a': ${h.c.a.a.repr()}, 'b': ${h.c.a.b.repr()}}, 'b': {'a': ${h.c.b.a.repr()}, 'b': ${h.c.b.b.repr()}}}}`;
    expectDoctest(
      got,
      `{'c': {'a': {'a': Array([[[ 2.,  0.], [ 0.,  0.]],
                         [[ 0.,  0.], [ 0., 12.]]], dtype=float32),
             'b': Array([[[ 1.      ,  0.      ], [ 0.      ,  0.      ]],
                         [[ 0.      ,  0.      ], [ 0.      , 12.317766]]], dtype=float32)},
       'b': {'a': Array([[[ 1.      ,  0.      ], [ 0.      ,  0.      ]],
                         [[ 0.      ,  0.      ], [ 0.      , 12.317766]]], dtype=float32),
             'b': Array([[[0.      , 0.      ], [0.      , 0.      ]],
                         [[0.      , 0.      ], [0.      , 3.843624]]], dtype=float32)}}}`,
    );
  });
});

// ---- the autodiff cookbook's logistic regression (legacy PRNG stream) --------------------------

describe("autodiff cookbook: logistic regression", () => {
  // The stored outputs were recorded with jax_threefry_partitionable=False.
  function setup() {
    config.update("jax_threefry_partitionable", false);
    let key = random.key(0);
    const sigmoid = (x: Array) => np.multiply(0.5, np.add(np.tanh(np.divide(x, 2)), 1));
    // Outputs probability of a label being true.
    const predict = (W: Array, b: Array, inputs: Array) => sigmoid(np.add(np.dot(inputs, W), b));
    // Build a toy dataset.
    const inputs = np.array([
      [0.52, 1.12, 0.77],
      [0.88, -1.08, 0.15],
      [0.52, 0.06, -1.3],
      [0.74, -2.49, 1.39],
    ]);
    const targets = np.array([true, true, false, true]);
    // Training loss is the negative log-likelihood of the training examples.
    const loss = (W: Array, b: Array) => {
      const preds = predict(W, b, inputs);
      const labelProbs = np.add(np.multiply(preds, targets), np.multiply(np.subtract(1, preds), np.subtract(1, targets)));
      return np.negative(np.sum(np.log(labelProbs)));
    };
    // Initialize random model coefficients
    let WKey: random.PRNGKeyArray, bKey: random.PRNGKeyArray;
    [key, WKey, bKey] = random.split(key, 3);
    const W = random.normal(WKey, [3]);
    const b = random.normal(bKey, []);
    return { predict, inputs, targets, loss, W, b };
  }

  // XLA's float32 tanh/log are approximations a few ulps from the correctly rounded ones Kiln
  // computes, and the gradient goes through 1 - tanh² at x/2 = 3.13 for the 4th example (tanh =
  // 0.9962), which multiplies tanh's relative error by ~250. So the 8th significant digit is float32
  // noise in both (float64 gives W_grad[0] = -0.1696558: JAX -0.16965576, Kiln -0.16965587): the
  // values are checked to 1e-6 relative (vs ~6e-8 per ulp); the key stream and layout exactly.
  const RTOL = 1e-6;
  const wGrad = [-0.16965576, -0.8774645, -1.4901344];
  const bGrad = -0.29227236;
  // Jacobian/Hessian entries of the 4th example scale with p(1-p) = (1 - tanh²)/4 ≈ 0.0019, whose
  // cancellation costs ~ulp(1)/0.0076 ≈ 1e-5 relative in any float32 evaluation (JAX's row 4 is off
  // float64 by ~4e-6 too: J[3,1] float64 -0.0047252, JAX -0.00472522, Kiln -0.00472523).
  const JAC_RTOL = 2e-5;
  const expectClose = (x: unknown, want: number[], rtol = RTOL) =>
    vals(x).forEach((v, i) => {
      if (!(Math.abs(v - want[i]) <= rtol * Math.abs(want[i]) + 1e-9)) expect.fail(`element ${i}: got ${v}, want ${want[i]}`);
    });

  it("ad-cookbook-logistic-W_grad-legacy-prng", () => {
    const { loss, W, b } = setup();
    // The notes' independently checked key stream (printed to 8 significant digits).
    expectDoctest(pyStr(W), "[-0.36838785 -2.2756889   0.01144757]");
    expectDoctest(pyStr(b), "0.8535516");
    const out = stdout();
    // Differentiate `loss` with respect to the first positional argument:
    let WGrad = grad(loss, { argnums: 0 })(W, b) as Array;
    expectClose(WGrad, wGrad);
    out.print("W_grad", WGrad);
    // Since argnums=0 is the default, this does the same thing:
    WGrad = grad(loss)(W, b) as Array;
    expectClose(WGrad, wGrad);
    out.print("W_grad", WGrad);
    // But we can choose different values too, and drop the keyword:
    let bGradV = grad(loss, { argnums: 1 })(W, b) as Array;
    expectClose(bGradV, [bGrad]);
    out.print("b_grad", bGradV);
    // Including tuple values
    [WGrad, bGradV] = grad(loss, { argnums: [0, 1] })(W, b) as Array[];
    expectClose(WGrad, wGrad);
    expectClose(bGradV, [bGrad]);
    out.print("W_grad", WGrad);
    out.print("b_grad", bGradV);
    expectDoctest(
      out.text(),
      [
        "W_grad [-0.16965576 -0.8774645  -1.4901344 ]",
        "W_grad [-0.16965576 -0.8774645  -1.4901344 ]",
        "b_grad -0.29227236",
        "W_grad [-0.16965576 -0.8774645  -1.4901344 ]",
        "b_grad -0.29227236",
      ].join("\n"),
      { rtol: RTOL },
    );
  });

  it("ad-cookbook-grad-dict-legacy-prng", () => {
    const { predict, inputs, targets, W, b } = setup();
    const loss2 = (paramsDict: { W: Array; b: Array }) => {
      const preds = predict(paramsDict.W, paramsDict.b, inputs);
      const labelProbs = np.add(np.multiply(preds, targets), np.multiply(np.subtract(1, preds), np.subtract(1, targets)));
      return np.negative(np.sum(np.log(labelProbs)));
    };
    const g = grad(loss2)({ W, b }) as { W: Array; b: Array };
    expect(Object.keys(g)).toEqual(["W", "b"]);
    expectClose(g.W, wGrad);
    expectClose(g.b, [bGrad]);
    expectDoctest(
      pyStr(g),
      "{'W': Array([-0.16965576, -0.8774645 , -1.4901344 ], dtype=float32), 'b': Array(-0.29227236, dtype=float32)}",
      { rtol: RTOL },
    );
  });

  it("ad-cookbook-value_and_grad-legacy-prng", () => {
    const { loss, W, b } = setup();
    const [lossValue] = valueAndGrad(loss, { argnums: [0, 1] })(W, b) as [Array, Array[]];
    const out = stdout();
    out.print("loss value", lossValue);
    out.print("loss value", loss(W, b));
    expectClose(lossValue, [3.051939]);
    expectClose(loss(W, b), [3.051939]);
    expectDoctest(out.text(), "loss value 3.051939\nloss value 3.051939", { rtol: RTOL });
  });

  const J_WANT = [
    [0.05981756, 0.12883782, 0.088576],
    [0.04015914, -0.04928622, 0.00684531],
    [0.12188289, 0.01406341, -0.3047072],
    [0.00140428, -0.00472522, 0.00263777],
  ].flat();
  const J_TEXT = [
    "[[ 0.05981756  0.12883782  0.088576  ]",
    " [ 0.04015914 -0.04928622  0.00684531]",
    " [ 0.12188289  0.01406341 -0.3047072 ]",
    " [ 0.00140428 -0.00472522  0.00263777]]",
  ].join("\n");

  it("ad-cookbook-jacfwd-jacrev-legacy-prng", () => {
    const { predict, inputs, W, b } = setup();
    // Isolate the function from the weight matrix to the predictions
    const f = (W: Array) => predict(W, b, inputs);
    const out = stdout();
    let J = jacfwd(f)(W) as Array;
    out.print("jacfwd result, with shape", `(${J.shape.join(", ")})`);
    out.print(J);
    expectClose(J, J_WANT, JAC_RTOL);
    J = jacrev(f)(W) as Array;
    out.print("jacrev result, with shape", `(${J.shape.join(", ")})`);
    out.print(J);
    expectClose(J, J_WANT, JAC_RTOL);
    expectDoctest(out.text(), ["jacfwd result, with shape (4, 3)", J_TEXT, "jacrev result, with shape (4, 3)", J_TEXT].join("\n"), { rtol: JAC_RTOL });
  });

  it("ad-cookbook-hessian-legacy-prng", () => {
    const { predict, inputs, W, b } = setup();
    const f = (W: Array) => predict(W, b, inputs);
    const hessian = (f: (W: Array) => Array) => jacfwd(jacrev(f));
    const H = hessian(f)(W) as Array;
    const out = stdout();
    out.print("hessian, with shape", `(${H.shape.join(", ")})`);
    out.print(H);
    const want = [
      "hessian, with shape (4, 3, 3)",
      "[[[ 0.02285465  0.0492254   0.03384246]",
      "  [ 0.0492254   0.10602394  0.07289147]",
      "  [ 0.03384246  0.07289146  0.05011288]]",
      "",
      " [[-0.03195214  0.03921399 -0.00544639]",
      "  [ 0.03921399 -0.04812626  0.0066842 ]",
      "  [-0.00544639  0.0066842  -0.00092836]]",
      "",
      " [[-0.01583708 -0.00182736  0.03959271]",
      "  [-0.00182736 -0.00021085  0.00456839]",
      "  [ 0.03959271  0.00456839 -0.09898177]]",
      "",
      " [[-0.00103522  0.00348336 -0.00194453]",
      "  [ 0.00348336 -0.01172105  0.00654308]",
      "  [-0.00194453  0.00654308 -0.00365256]]]",
    ].join("\n");
    // The case notes the last digit of 0.07289147 vs 0.07289146 is float32 rounding; the 4th
    // example's block carries the 1 - tanh² cancellation (JAC_RTOL above).
    expectDoctest(out.text(), want, { rtol: JAC_RTOL });
  });
});

// ---- vmap ---------------------------------------------------------------------------------------

describe("vmap", () => {
  it("vmap-pytree-in_axes", () => {
    const [A, B, C, D] = [2, 3, 4, 5];
    let x = np.ones([A, B]);
    let y = np.ones([B, C]);
    let z = np.ones([C, D]);
    const foo = (treeArg: [Array, [Array, Array]]) => {
      const [x, [y, z]] = treeArg;
      return np.dot(x, np.dot(y, z));
    };
    let tree: [Array, [Array, Array]] = [x, [y, z]];
    const out = stdout();
    out.print(foo(tree));
    const K = 6; // batch size
    x = np.ones([K, A, B]); // batch axis in different locations
    y = np.ones([B, K, C]);
    z = np.ones([C, D, K]);
    tree = [x, [y, z]];
    const vfoo = vmap(foo, { inAxes: [[0, [1, 2]]] });
    out.print(`(${vfoo(tree).shape.join(", ")})`);
    expect(out.text()).toBe("[[12. 12. 12. 12. 12.]\n [12. 12. 12. 12. 12.]]\n(6, 2, 5)");
  });

  it("vmap-out_axes-None-unmapped-output", () => {
    const out = vmap((x: Array, y: number) => [np.add(x, y), np.multiply(y, 2.0)], { inAxes: [0, null], outAxes: [0, null] })(f32arange(2), 4.0);
    // JAX prints (Array([4., 5.], dtype=float32), 8.0): the unmapped output is the Python float
    // untouched. Kiln's numpy ops on JS numbers return arrays, so it is a weak float32 scalar 8.
    expect(pyRepr(out[0])).toBe("Array([4., 5.], dtype=float32)");
    expect(pyRepr(out[1])).toBe("Array(8., dtype=float32, weak_type=True)");
    expect(pyStr(out[1])).toBe("8.0");
  });

  // Kiln's VmapOptions has no `sumMatch` (jax's 2025 `sum_match`): with outAxes null and a mapped
  // output it raises JAX's pre-sum_match error instead of summing. Marked until the option lands.
  it.fails("vmap-out_axes-None-sum_match", () => {
    const opts = { outAxes: null, sumMatch: true } as Parameters<typeof vmap>[1];
    expectDoctest(pyRepr(vmap((x: Array) => np.multiply(2.0, x), opts)(f32arange(3))), "Array(6., dtype=float32)");
  });

  describe("convolve", () => {
    // vmap-convolve-single (jax's "Automatic vectorization" tutorial) defines these.
    const x = np.arange(5);
    const w = np.array([2.0, 3.0, 4.0]);
    const convolve = (x: Array, w: Array) => {
      const output: Array[] = [];
      for (let i = 1; i < x.shape[0] - 1; i++) output.push(np.dot(x.index(np.slice(i - 1, i + 2)), w));
      return np.array(output);
    };
    const xs = np.stack([x, x]);
    const ws = np.stack([w, w]);
    // The stored displays were hand-edited (odd continuation indentation): compare modulo whitespace.
    const batched = "Array([[11., 20., 29.],\n             [11., 20., 29.]], dtype=float32)";

    it("vmap-convolve-batched", () => {
      const autoBatchConvolve = vmap(convolve);
      expectDoctest(pyRepr(autoBatchConvolve(xs, ws)), batched);
      expect(pyRepr(autoBatchConvolve(xs, ws))).toBe("Array([[11., 20., 29.],\n       [11., 20., 29.]], dtype=float32)");
    });

    it("vmap-convolve-in_axes1-out_axes1", () => {
      const autoBatchConvolveV2 = vmap(convolve, { inAxes: 1, outAxes: 1 });
      const xst = np.transpose(xs);
      const wst = np.transpose(ws);
      expectDoctest(pyRepr(autoBatchConvolveV2(xst, wst)), "Array([[11., 11.],\n             [20., 20.],\n             [29., 29.]], dtype=float32)");
    });

    it("vmap-convolve-in_axes-list-None", () => {
      const batchConvolveV3 = vmap(convolve, { inAxes: [0, null] });
      expectDoctest(pyRepr(batchConvolveV3(xs, w)), batched);
    });
  });

  it("ad-log1pexp-jit-grad-vmap", () => {
    const log1pexp = (x: Array | number) => np.log(np.add(1.0, np.exp(x)));
    // IPython displays log1pexp(3.): a Python float argument gives a strong float32 result in JAX
    // (jnp.exp canonicalizes it); Kiln's JS number stays weak, so the display carries weak_type.
    expect(pyRepr(log1pexp(3.0)).replace(", weak_type=True", "")).toBe("Array(3.0485873, dtype=float32)");
    const out = stdout();
    out.print(jit(log1pexp)(3.0));
    out.print(jit(grad(log1pexp))(3.0));
    const v = vmap(jit(grad(log1pexp)))(f32arange(3));
    expect(out.text()).toBe("3.0485873\n0.95257413");
    // JAX prints [0.5        0.7310586  0.88079715]: e^2 / (1 + e^2) with XLA's float32 exp(2), an ulp
    // from the correctly rounded one Kiln uses; Kiln gets 0.8807971, one ulp below.
    expectUlps(v, [0.5, 0.7310586, 0.88079715], 1);
  });
});

// ---- jit ----------------------------------------------------------------------------------------

describe("jit", () => {
  it("jit-static_argnames-power-loop", () => {
    // jax.jit(static_argnames=['n']): Kiln's jit takes positions (staticArgnums).
    const g = jit(
      (x: Array, n: number) => {
        for (let i = 0; i < n; i++) x = np.power(x, 2);
        return x;
      },
      { staticArgnums: [1] },
    );
    expectDoctest(pyRepr(g(np.arange(4), 3)), "Array([   0,    1,  256, 6561], dtype=int32)");
  });

  it("jit-python-loops-unrolled", () => {
    const f = jit((x: Array) => {
      for (let i = 0; i < 3; i++) x = np.multiply(2, x);
      return x;
    });
    const out = stdout();
    out.print(f(np.asarray(3, { dtype: "int32" }))); // Python int 3
    const g = jit((x: Array) => {
      let y: Array | number = 0.0;
      for (let i = 0; i < x.shape[0]; i++) y = np.add(y, x.index(i));
      return y;
    });
    out.print(g(np.array([1.0, 2.0, 3.0])));
    expect(out.text()).toBe("24\n6.0");
  });

  it("jit-static_argnums-loop-bound", () => {
    let f = (x: Array, n: number) => {
      let y: Array | number = 0.0;
      for (let i = 0; i < n; i++) y = np.add(y, x.index(i));
      return y as Array;
    };
    f = jit(f, { staticArgnums: [1] });
    expect(pyRepr(f(np.array([2.0, 3.0, 4.0]), 2))).toBe("Array(5., dtype=float32)");
  });

  it("jit-static_argnums-shape", () => {
    const exampleFun = (length: number, val: number) => np.multiply(np.ones([length]), val);
    const out = stdout();
    // un-jit'd works fine
    out.print(exampleFun(5, 4));
    // staticArgnums tells Kiln to recompile on changes at these argument positions:
    const goodExampleJit = jit(exampleFun, { staticArgnums: [0] });
    // first compile
    out.print(goodExampleJit(10, 4));
    // recompiles
    out.print(goodExampleJit(5, 4));
    expect(goodExampleJit.traceCount).toBe(2);
    expect(out.text()).toBe("[4. 4. 4. 4. 4.]\n[4. 4. 4. 4. 4. 4. 4. 4. 4. 4.]\n[4. 4. 4. 4. 4.]");
  });

  it("jit-print-tracer-weak-int", () => {
    const out = stdout();
    const f = jit((x: Array) => {
      out.print(String(x));
      const y = np.multiply(2, x);
      out.print(String(y));
      return y;
    });
    // f(2) with a Python int: a weakly typed int32 scalar.
    const result = f(lax.convertElementType(2, "int32", true));
    // The case records the tracer repr of its JAX era (level=0/1); Kiln names its jaxpr-building trace
    // and level its own way, so the aval part is compared exactly and the trace part by shape.
    expect(out.lines).toHaveLength(2);
    for (const line of out.lines) expect(line).toMatch(/^Traced<ShapedArray\(int32\[\], weak_type=True\)>with<\w+\(level=[\d/]+\)>$/);
    expect(pyRepr(result)).toBe("Array(4, dtype=int32, weak_type=True)");
  });

  it("jit-cache-captured-global", () => {
    let g = 0.0;
    const impureUsesGlobals = (x: Array | number) => np.add(x, g);
    const out = stdout();
    // JAX captures the value of the global during the first run
    out.print("First call: ", jit(impureUsesGlobals)(4.0));
    g = 10.0; // Update the global
    // Subsequent runs may silently use the cached value of the globals
    out.print("Second call: ", jit(impureUsesGlobals)(5.0));
    // JAX re-runs the Python function when the type or shape of the argument changes
    // This will end up reading the latest value of the global
    out.print("Third call, different type: ", jit(impureUsesGlobals)(np.array([4.0])));
    expect(out.text()).toBe("First call:  4.0\nSecond call:  5.0\nThird call, different type:  [14.]");
  });
});

// ---- control flow -------------------------------------------------------------------------------

describe("control flow", () => {
  it("control-fori_loop-sum", () => {
    const initVal = lax.convertElementType(0, "int32", true); // Python int 0: weak int32
    const start = 0;
    const stop = 10;
    const bodyFun = (i: Array, x: Array) => np.add(x, i);
    expect(pyRepr(lax.foriLoop(start, stop, bodyFun, initVal))).toBe("Array(45, dtype=int32, weak_type=True)");
  });

  it("control-while_loop-weak", () => {
    const initVal = lax.convertElementType(0, "int32", true); // Python int 0: weak int32
    const condFun = (x: Array) => np.less(x, 10);
    const bodyFun = (x: Array) => np.add(x, 1);
    expect(pyRepr(lax.whileLoop(condFun, bodyFun, initVal))).toBe("Array(10, dtype=int32, weak_type=True)");
  });

  it("control-fori_loop-iterator-gotcha", () => {
    const out = stdout();
    // lax.fori_loop
    const array = np.arange(10);
    const zero = () => lax.convertElementType(0, "int32", true); // Python int 0
    out.print(lax.foriLoop(0, 10, (i: Array, x: Array) => np.add(x, array.index(i)), zero())); // expected result 45
    const iterator = globalThis.Array.from({ length: 10 }, (_, k) => k)[Symbol.iterator]();
    out.print(lax.foriLoop(0, 10, (_i: Array, x: Array) => np.add(x, iterator.next().value as number), zero())); // unexpected result 0
    // lax.scan
    const func11 = (arr: Array, extra: Array | number) => {
      const ones = np.ones(arr.shape);
      const body = (carry: Array, aelems: [Array, Array]) => {
        const [ae1, ae2] = aelems;
        return [np.add(np.add(carry, np.multiply(ae1, ae2)), extra), carry];
      };
      return lax.scan(body, 0.0, [arr, ones]);
    };
    expect(makeJaxpr(func11)(np.arange(16), 5.0).toString()).toContain("scan[");
    // lax.cond
    const arrayOperand = np.array([0.0]);
    expect(pyStr(lax.cond(true, (x: Array) => np.add(x, 1), (x: Array) => np.subtract(x, 1), arrayOperand))).toBe("[1.]");
    expect(out.text()).toBe("45\n0");
  });

  it("while_loop-fixed-point-newton-sqrt", () => {
    const fixedPoint = (f: (a: Array, x: Array) => Array, a: Array, xGuess: Array) => {
      const condFun = ([xPrev, x]: [Array, Array]) => np.greater(np.abs(np.subtract(xPrev, x)), 1e-6);
      const bodyFun = ([, x]: [Array, Array]) => [x, f(a, x)];
      const [, xStar] = lax.whileLoop(condFun, bodyFun, [xGuess, f(a, xGuess)]) as [Array, Array];
      return xStar;
    };
    const newtonSqrt = (a: Array) => {
      const update = (a: Array, x: Array) => np.multiply(0.5, np.add(x, np.divide(a, x)));
      return fixedPoint(update, a, a);
    };
    const out = stdout();
    out.print(newtonSqrt(np.asarray(2.0)));
    const v = jit(vmap(newtonSqrt))(np.array([1.0, 2.0, 3.0, 4.0]));
    expect(out.text()).toBe("1.4142135");
    // JAX prints [1.        1.4142135 1.7320508 2.       ]. With IEEE float32 division the Newton
    // iteration for a = 3 settles on 1.7320509 (numpy float32 gives the same); XLA's CPU code computes
    // a / x as a * (1 / x), which settles on 1.7320508: one ulp.
    expectUlps(v, [1, 1.4142135, 1.7320508, 2], 1);
    expect(pyStr(v).replace("1.7320509", "1.7320508")).toBe("[1.        1.4142135 1.7320508 2.       ]");
  });
});

// ---- custom_jvp / custom_vjp ---------------------------------------------------------------------

describe("custom derivatives", () => {
  it("custom_jvp-sin-times-y", () => {
    const f = customJvp(function f(x: Array | number, y: Array | number) {
      return np.multiply(np.sin(x), y);
    });
    f.defjvp(function f_jvp(primals: Array[], tangents: Array[]) {
      const [x, y] = primals;
      const [xDot, yDot] = tangents;
      const primalOut = f(x, y);
      const tangentOut = np.add(np.multiply(np.multiply(np.cos(x), xDot), y), np.multiply(np.sin(x), yDot));
      return [primalOut, tangentOut];
    });
    const out = stdout();
    out.print(f(2.0, 3.0));
    const [y, yDot] = jvp(f, [2.0, 3.0], [1.0, 0.0]);
    out.print(y);
    out.print(yDot);
    out.print(grad(f)(2.0, 3.0));
    expect(out.text()).toBe("2.7278922\n2.7278922\n-1.2484405\n-1.2484405");
  });

  it("custom_jvp-log1pexp-stable", () => {
    const log1pexp = customJvp(function log1pexp(x: Array | number) {
      return np.log(np.add(1.0, np.exp(x)));
    });
    log1pexp.defjvp(function log1pexp_jvp(primals: Array[], tangents: Array[]) {
      const [x] = primals;
      const [xDot] = tangents;
      const ans = log1pexp(x);
      const ansDot = np.multiply(np.subtract(1, np.divide(1, np.add(1, np.exp(x)))), xDot);
      return [ans, ansDot];
    });
    const out = stdout();
    out.print(grad(log1pexp)(100.0));
    out.print(jit(log1pexp)(3.0));
    out.print(jit(grad(log1pexp))(3.0));
    out.print(vmap(jit(grad(log1pexp)))(f32arange(3)));
    expect(out.text()).toBe("1.0\n3.0485873\n0.95257413\n[0.5       0.7310586 0.8807971]");
  });

  it("custom_jvp-defjvps-argnums", () => {
    const f = customJvp((x: Array | number, y: Array | number) => np.multiply(np.power(x, 2), y));
    f.defjvps(
      (xDot: Array, _primalOut: Array, x: Array, y: Array) => np.multiply(np.multiply(np.multiply(2, x), y), xDot),
      (yDot: Array, _primalOut: Array, x: Array) => np.multiply(np.power(x, 2), yDot),
    );
    const out = stdout();
    out.print(grad(f)(2.0, 3.0));
    out.print(grad(f, { argnums: 0 })(2.0, 3.0)); // same as above
    out.print(grad(f, { argnums: 1 })(2.0, 3.0));
    expect(out.text()).toBe("12.0\n12.0\n4.0");
  });

  it("custom_jvp-defjvps-None-zero", () => {
    const f = customJvp((x: Array | number, y: Array | number) => np.multiply(np.power(x, 2), y));
    f.defjvps((xDot: Array, _primalOut: Array, x: Array, y: Array) => np.multiply(np.multiply(np.multiply(2, x), y), xDot), null);
    const out = stdout();
    out.print(grad(f)(2.0, 3.0));
    out.print(grad(f, { argnums: 0 })(2.0, 3.0)); // same as above
    out.print(grad(f, { argnums: 1 })(2.0, 3.0));
    expect(out.text()).toBe("12.0\n12.0\n0.0");
  });

  it("custom_jvp-trace-side-effects", () => {
    const out = stdout();
    const f = customJvp(function f(x: Array | number) {
      out.print("called f!"); // a harmless side-effect
      return np.sin(x);
    });
    f.defjvp(function f_jvp(primals: Array[], tangents: Array[]) {
      out.print("called f_jvp!"); // a harmless side-effect
      const [x] = primals;
      const [t] = tangents;
      return [f(x), np.multiply(np.cos(x), t)];
    });
    out.print(f(3.0));
    const v = vmap(f)(f32arange(3));
    out.print(v);
    out.print(jit(f)(3.0));
    const [, yDot] = jvp(f, [3.0], [1.0]);
    out.print(yDot);
    out.print(grad(f)(3.0));
    const gg = grad(grad(f))(3.0) as Array;
    out.lines.push(pyRepr(gg));
    // Deviations, compared separately below: (1) XLA's float32 sin(1) is 0.841471 (one ulp above the
    // correctly rounded 0.84147096 Kiln computes); (2) JAX displays grad(grad(f))(3.) as a strong
    // float32: its custom_jvp_call canonicalizes the Python float inside the rule, where Kiln's
    // JS-number argument stays a weak float32.
    expectUlps(v, [0, 0.841471, 0.9092974], 1);
    expect(gg.dtype).toBe("float32");
    const got = out.lines.map((l) => (l === pyStr(v) ? "<vmap>" : l === pyRepr(gg) ? pyRepr(gg).replace(", weak_type=True", "") : l));
    expect(got.join("\n")).toBe(
      [
        "called f!", "0.14112",
        "called f!", "<vmap>",
        "called f!", "0.14112",
        "called f_jvp!", "called f!", "-0.9899925",
        "called f_jvp!", "called f!", "-0.9899925",
        "called f_jvp!", "called f_jvp!", "called f!", "Array(-0.14112, dtype=float32)",
      ].join("\n"),
    );
  });

  it("custom_jvp-python-control-flow", () => {
    const f = customJvp((x: Array) => ((x as unknown as number) > 0 ? np.sin(x) : np.cos(x)));
    f.defjvp((primals: Array[], tangents: Array[]) => {
      const [x] = primals;
      const [xDot] = tangents;
      const ans = f(x);
      if ((x as unknown as number) > 0) return [ans, np.multiply(2, xDot)];
      else return [ans, np.multiply(3, xDot)];
    });
    const out = stdout();
    out.print(grad(f)(1.0));
    out.print(grad(f)(-1.0));
    expect(out.text()).toBe("2.0\n3.0");
  });

  it("custom_jvp-pytree-namedtuple", () => {
    // namedtuple Point(x, y) is a plain object { x, y } (a pytree node with keys x, y).
    type Point = { x: Array; y: Array };
    const f = customJvp((pt: Point) => {
      const [x, y] = [pt.x, pt.y];
      return { a: np.power(x, 2), b: [np.sin(x), np.cos(y)] };
    });
    f.defjvp((primals: Point[], tangents: Point[]) => {
      const [pt] = primals;
      const [ptDot] = tangents;
      const ans = f(pt);
      const ansDot = { a: np.multiply(np.multiply(2, pt.x), ptDot.x), b: [np.multiply(np.cos(pt.x), ptDot.x), np.multiply(np.negative(np.sin(pt.y)), ptDot.y)] };
      return [ans, ansDot];
    });
    const fun = (pt: Point) => {
      const dct = f(pt);
      return np.add(dct.a, dct.b[0]);
    };
    // Point(1., 2.): JAX canonicalizes the Python floats to strong float32 on entry to the
    // custom_jvp function; the user-visible equivalent here is strong float32 scalars.
    const pt: Point = { x: np.array(1.0), y: np.array(2.0) };
    const out = f(pt);
    // JAX prints {'a': 1.0, 'b': (Array(0.841471, dtype=float32), Array(-0.4161468, dtype=float32))}:
    // 'a' stays a Python-float-looking value; Kiln's is the float32 array 1.0. sin(1): XLA's is one
    // ulp above Kiln's correctly rounded 0.84147096.
    expect(pyStr(out.a)).toBe("1.0");
    expectUlps(out.b[0], [0.841471], 1);
    // cos(2): XLA's float32 is -0.4161468, one ulp from the correctly rounded -0.41614684 Kiln computes.
    expect(pyRepr(out.b[1]).replace(/-0\.4161468\d*/, "#")).toBe("Array(#, dtype=float32)");
    expectUlps(out.b[1], [-0.4161468], 1);
    // Point(x=Array(2.5403023, dtype=float32), y=array(0., dtype=float32))
    const g = grad(fun)(pt) as Point;
    expect(Object.keys(g)).toEqual(["x", "y"]);
    expect(`Point(x=${pyRepr(g.x)}, y=${pyRepr(g.y).replace(/^Array/, "array")})`).toBe("Point(x=Array(2.5403023, dtype=float32), y=array(0., dtype=float32))");
  });

  it("custom_jvp-nondiff_argnums", () => {
    const app = customJvp((f: (x: Array) => Array, x: Array) => f(x), { nondiffArgnums: [0] });
    app.defjvp((f: (x: Array) => Array, primals: Array[], tangents: Array[]) => {
      const [x] = primals;
      const [xDot] = tangents;
      return [f(x), np.multiply(2.0, xDot)];
    });
    const out = stdout();
    out.print(app((x) => np.power(x, 3), np.asarray(3.0)));
    out.print(grad(app, { argnums: 1 })((x: Array) => np.power(x, 3), 3.0));
    expect(out.text()).toBe("27.0\n2.0");
  });

  it("custom_jvp-defjvp-value_and_grad", () => {
    const f = customJvp((x: Array, y: Array) => np.multiply(np.sin(x), y));
    f.defjvp((primals: Array[], tangents: Array[]) => {
      const [x, y] = primals;
      const [xDot, yDot] = tangents;
      const primalOut = f(x, y);
      const tangentOut = np.add(np.multiply(np.multiply(np.cos(x), xDot), y), np.multiply(np.sin(x), yDot));
      return [primalOut, tangentOut];
    });
    const x = np.array(1.0, { dtype: "float32" }); // jnp.float32(1.0)
    const y = np.array(2.0, { dtype: "float32" });
    // with jnp.printoptions(precision=2): Kiln has no print options, so the doctest comparison at the
    // written precision stands in for it.
    expectDoctest(pyRepr(valueAndGrad(f)(x, y)), "(Array(1.68, dtype=float32), Array(1.08, dtype=float32))");
  });

  it("custom_vjp-trace-side-effects", () => {
    const out = stdout();
    const f = customVjp(function f(x: Array | number) {
      out.print("called f!");
      return np.sin(x);
    });
    f.defvjp(
      function f_fwd(x: Array) {
        out.print("called f_fwd!");
        return [f(x), np.cos(x)];
      },
      function f_bwd(cosX: Array, yBar: Array) {
        out.print("called f_bwd!");
        return [np.multiply(cosX, yBar)];
      },
    );
    out.print(f(3.0));
    out.print(grad(f)(3.0));
    const [y, fVjp] = vjp(f, 3.0);
    out.print(y);
    // JAX prints (Array(-0.9899925, dtype=float32),): its vjp canonicalizes the Python float
    // primal to a strong float32; Kiln's JS-number primal is a weak float32 (DESIGN.md §3).
    out.lines.push(pyRepr(fVjp(1.0)).replace(", weak_type=True", ""));
    expect(out.text()).toBe(
      [
        "called f!", "0.14112",
        "called f_fwd!", "called f!", "called f_bwd!", "-0.9899925",
        "called f_fwd!", "called f!", "0.14112",
        "called f_bwd!", "(Array(-0.9899925, dtype=float32),)",
      ].join("\n"),
    );
  });

  it("custom_vjp-nondiff_argnums", () => {
    const app = customVjp((f: (x: Array) => Array, x: Array) => f(x), { nondiffArgnums: [0] });
    const appFwd = (f: (x: Array) => Array, x: Array) => [f(x), x];
    const appBwd = (_f: (x: Array) => Array, _x: Array, g: Array) => [np.multiply(5, g)];
    app.defvjp(appFwd, appBwd);
    const out = stdout();
    out.print(app((x) => np.power(x, 2), np.asarray(4.0)));
    out.print(grad(app, { argnums: 1 })((x: Array) => np.power(x, 2), 4.0));
    expect(out.text()).toBe("16.0\n5.0");
  });

  it("custom_vjp-fixed-point-implicit-grad", () => {
    type F = (a: unknown, x: Array) => Array;
    const fixedPoint = customVjp(
      function fixed_point(f: F, a: unknown, xGuess: Array) {
        const condFun = ([xPrev, x]: [Array, Array]) => np.greater(np.abs(np.subtract(xPrev, x)), 1e-6);
        const bodyFun = ([, x]: [Array, Array]) => [x, f(a, x)];
        const [, xStar] = lax.whileLoop(condFun, bodyFun, [xGuess, f(a, xGuess)]) as [Array, Array];
        return xStar;
      },
      { nondiffArgnums: [0] },
    );
    const revIter = (f: F, packed: unknown, u: Array) => {
      const [a, xStar, xStarBar] = packed as [unknown, Array, Array];
      const [, vjpX] = vjp((x: Array) => f(a, x), xStar);
      return np.add(xStarBar, vjpX(u)[0] as Array);
    };
    fixedPoint.defvjp(
      function fixed_point_fwd(f: F, a: Array, xInit: Array) {
        const xStar = fixedPoint(f, a, xInit);
        return [xStar, [a, xStar]];
      },
      function fixed_point_rev(f: F, res: Array[], xStarBar: Array) {
        const [a, xStar] = res;
        const [, vjpA] = vjp((a: Array) => f(a, xStar), a);
        // partial(rev_iter, f): a new closure per call, as functools.partial makes a new object.
        const [aBar] = vjpA(fixedPoint((packed: unknown, u: Array) => revIter(f, packed, u), [a, xStar, xStarBar], xStarBar));
        return [aBar, np.zerosLike(xStar)];
      },
    );
    const newtonSqrt = (a: Array | number) => {
      const update = (a: unknown, x: Array) => np.multiply(0.5, np.add(x, np.divide(a as Array, x)));
      return fixedPoint(update, a, a as Array);
    };
    const out = stdout();
    out.print(newtonSqrt(np.asarray(2.0)));
    out.print(grad(newtonSqrt)(2.0));
    out.print(grad(grad(newtonSqrt))(2.0));
    out.print(grad(np.sqrt)(2.0));
    out.print(grad(grad(np.sqrt))(2.0));
    // JAX prints 0.35355335 for grad(newton_sqrt)(2.): XLA's a * (1 / x) division (see
    // while_loop-fixed-point-newton-sqrt) leaves it an ulp below 0.35355338, the IEEE float32
    // 0.5 / 1.4142135 that Kiln computes, equal to grad(jnp.sqrt)(2.).
    expectUlps(grad(newtonSqrt)(2.0), [0.35355335], 1);
    expect(out.lines.filter((_, i) => i !== 1).join("\n")).toBe("1.4142135\n-0.088388346\n0.35355338\n-0.08838835");
  });
});

// ---- skipped: no Kiln counterpart yet --------------------------------------------------------------
// - custom_gradient-docstring: jax.custom_gradient is not in Kiln's API (src/index.ts).
// - ad-linear_transpose: jax.linear_transpose is not in Kiln's API (src/index.ts).
