// Composition of transformations on the talk's MLP (layers [1, 32, 32, 1] for speed, relu hidden
// layers, mean squared error, params from `random`): grad, jit∘grad, grad∘jit, vmap∘grad
// (per-example gradients), grad∘vmap, jit∘vmap∘grad, jacfwd∘jacrev and jacrev vs jacfwd all agree
// with one another (float32 tolerances) and with central finite differences (`checkGrads`,
// float64). Also: per-example gradient shapes, mean of per-example grads = batch grad, and SGD
// with jit(grad) lowering the loss over 20 steps.
import { afterEach, describe, expect, it } from "vitest";
import {
  numpy as np, nn, random, grad, valueAndGrad, jit, vmap, jvp, jacfwd, jacrev, hessian, checkGrads, config,
  treeMap, treeLeaves, treeFlatten, treeUnflatten,
} from "../src/index.js";
import type { Array } from "../src/index.js";

// ---- the model --------------------------------------------------------------------------------

interface Layer {
  weights: Array;
  biases: Array;
}
type Params = Layer[];

function initMlpParams(widths: readonly number[], key: Array, dtype: "float32" | "float64" = "float32"): Params {
  const params: Params = [];
  for (let i = 0; i < widths.length - 1; i++) {
    const [nIn, nOut] = [widths[i], widths[i + 1]];
    const [wKey, bKey, next] = random.split(key, 3);
    key = next;
    params.push({
      weights: np.multiply(random.normal(wKey, [nIn, nOut], dtype), Math.sqrt(2 / nIn)),
      biases: np.multiply(random.normal(bKey, [nOut], dtype), 0.1),
    });
  }
  return params;
}

function forward(params: Params, x: Array): Array {
  const hidden = params.slice(0, -1);
  const last = params[params.length - 1];
  for (const layer of hidden) x = nn.relu(np.add(np.matmul(x, layer.weights), layer.biases));
  return np.add(np.matmul(x, last.weights), last.biases);
}

/** Mean squared error; works on a batch (x: [B, 1]) and on one example (x: [1]). */
const loss = (params: Params, x: Array, y: Array): Array => np.mean(np.square(np.subtract(forward(params, x), y)));

const WIDTHS = [1, 32, 32, 1];
const BATCH = 8;

function data(dtype: "float32" | "float64" = "float32") {
  const params = initMlpParams(WIDTHS, random.PRNGKey(0), dtype);
  const xs = random.uniform(random.PRNGKey(1), [BATCH, 1], { minval: -1, maxval: 1, dtype });
  const ys = np.square(xs);
  return { params, xs, ys };
}

// ---- helpers ----------------------------------------------------------------------------------

const vals = (x: unknown): number[] => globalThis.Array.from((x as Array).dataSync(), Number);

/** Every leaf of `got` equals the leaf of `want` to |g - w| <= atol + rtol |w|, with equal shapes. */
function expectTreeClose(got: unknown, want: unknown, { atol = 1e-5, rtol = 1e-4 } = {}): void {
  const [g, gDef] = treeFlatten(got);
  const [w, wDef] = treeFlatten(want);
  expect(gDef.toString()).toBe(wDef.toString());
  g.forEach((leaf, i) => {
    expect((leaf as Array).shape).toEqual((w[i] as Array).shape);
    const gv = vals(leaf);
    const wv = vals(w[i]);
    gv.forEach((v, k) => {
      const tol = atol + rtol * Math.abs(wv[k]);
      if (!(Math.abs(v - wv[k]) <= tol)) expect.fail(`leaf ${i} element ${k}: got ${v}, expected ${wv[k]} (tol ${tol})`);
    });
  });
}

/** A function of the flat leaves of a params pytree (checkGrads takes positional arrays). */
function flatLoss(params: Params) {
  const [leaves, def] = treeFlatten(params);
  const f = (x: Array, y: Array, ...ls: Array[]) => loss(treeUnflatten(def, ls) as Params, x, y);
  return { leaves: leaves as Array[], def, f };
}

afterEach(() => config.reset());

// ---- the composition matrix --------------------------------------------------------------------

describe("composition matrix on the MLP", () => {
  const { params, xs, ys } = data();
  const batchGrad = grad(loss)(params, xs, ys) as Params;
  const perExample = vmap(grad(loss), { inAxes: [null, 0, 0] }) as (p: Params, x: Array, y: Array) => Params;
  const sumOfLosses = (p: Params, x: Array, y: Array) => np.sum(vmap(loss, { inAxes: [null, 0, 0] })(p, x, y));

  it("grad has the structure and shapes of the params", () => {
    expect(treeFlatten(batchGrad)[1].toString()).toBe(treeFlatten(params)[1].toString());
    batchGrad.forEach((g, i) => {
      expect(g.weights.shape).toEqual(params[i].weights.shape);
      expect(g.biases.shape).toEqual(params[i].biases.shape);
      expect(g.weights.dtype).toBe("float32");
    });
    // valueAndGrad returns the same gradient and the loss itself.
    const [v, g] = valueAndGrad(loss)(params, xs, ys) as [Array, Params];
    expect(vals(v)[0]).toBeCloseTo(vals(loss(params, xs, ys))[0], 6);
    expectTreeClose(g, batchGrad, { atol: 0, rtol: 0 });
  });

  it("jit∘grad = grad", () => {
    expectTreeClose(jit(grad(loss))(params, xs, ys), batchGrad);
  });

  it("grad∘jit = grad", () => {
    expectTreeClose(grad(jit(loss))(params, xs, ys), batchGrad);
  });

  it("vmap∘grad: per-example gradients have a leading batch dim on every leaf", () => {
    const pe = perExample(params, xs, ys);
    expect(treeFlatten(pe)[1].toString()).toBe(treeFlatten(params)[1].toString());
    for (const [p, g] of treeLeaves(params).map((l, i) => [l, treeLeaves(pe)[i]] as [Array, Array])) expect(g.shape).toEqual([BATCH, ...p.shape]);
    // Row b is the gradient of example b alone.
    for (const b of [0, 3, BATCH - 1]) {
      const one = grad(loss)(params, np.take(xs, b, { axis: 0 }), np.take(ys, b, { axis: 0 }));
      expectTreeClose(treeMap((g: Array) => np.take(g, b, { axis: 0 }), pe), one);
    }
  });

  it("vmap∘grad: the mean of per-example gradients is the batch gradient", () => {
    const pe = perExample(params, xs, ys);
    expectTreeClose(treeMap((g: Array) => np.mean(g, { axis: 0 }), pe), batchGrad);
  });

  it("grad∘vmap: grad of the summed vmapped loss = sum of per-example gradients = B × batch grad", () => {
    const g = grad(sumOfLosses)(params, xs, ys);
    expectTreeClose(g, treeMap((pe: Array) => np.sum(pe, { axis: 0 }), perExample(params, xs, ys)));
    expectTreeClose(g, treeMap((b: Array) => np.multiply(b, BATCH), batchGrad));
  });

  it("jit∘vmap∘grad = vmap∘grad (and vmap∘jit∘grad)", () => {
    const want = perExample(params, xs, ys);
    const jitted = jit(vmap(grad(loss), { inAxes: [null, 0, 0] }));
    expectTreeClose(jitted(params, xs, ys), want);
    expectTreeClose(jitted(params, xs, ys), want); // cached second call
    expect(jitted.traceCount).toBe(1);
    expectTreeClose(vmap(jit(grad(loss)), { inAxes: [null, 0, 0] })(params, xs, ys), want);
  });

  it("jacrev and jacfwd of the per-example predictions agree (and match vmap∘grad of the output)", () => {
    const predict = (x: Array) => np.reshape(forward(params, np.reshape(x, [-1, 1])), [-1]);
    const x = np.reshape(xs, [-1]);
    const jf = jacfwd(predict)(x) as Array;
    const jr = jacrev(predict)(x) as Array;
    expect(jf.shape).toEqual([BATCH, BATCH]);
    expectTreeClose(jr, jf);
    // Examples are independent: the Jacobian is diagonal, and its diagonal is vmap(grad).
    const scalar = (xi: Array) => np.sum(forward(params, np.reshape(xi, [1, 1])));
    const d = vmap(grad(scalar))(x);
    expectTreeClose(np.diagonal(jf), d);
    expectTreeClose(np.subtract(jf, np.diag(d)), np.zeros([BATCH, BATCH]), { atol: 1e-6, rtol: 0 });
  });
});

describe("hessians and Jacobians of small functions", () => {
  // f(x) = sum(sin(x) * x^2) + x0 x1 x2: a scalar function of a vector with a dense Hessian.
  const f = (x: Array) => np.add(np.sum(np.multiply(np.sin(x), np.square(x))), np.prod(x));
  // g: R^3 -> R^4, a vector function.
  const g = (x: Array) => np.stack([np.multiply(np.take(x, 0), np.take(x, 1)), np.sin(np.take(x, 2)), np.sum(np.exp(x)), np.tanh(np.dot(x, x))]);
  const x = np.array([0.3, -1.2, 0.7]);

  function analyticHessian(v: number[]): number[] {
    const h = new globalThis.Array(9).fill(0);
    v.forEach((t, i) => (h[i * 4] = (2 - t * t) * Math.sin(t) + 4 * t * Math.cos(t)));
    h[1] = h[3] = v[2];
    h[2] = h[6] = v[1];
    h[5] = h[7] = v[0];
    return h;
  }

  it("jacfwd∘jacrev = hessian = jacrev∘jacrev = jacfwd∘jacfwd = jacfwd∘grad = analytic", () => {
    const want = analyticHessian(vals(x));
    const h = jacfwd(jacrev(f))(x) as Array;
    expect(h.shape).toEqual([3, 3]);
    vals(h).forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
    expectTreeClose(hessian(f)(x), h);
    expectTreeClose(jacrev(jacrev(f))(x), h);
    expectTreeClose(jacfwd(jacfwd(f))(x), h);
    expectTreeClose(jacfwd(grad(f))(x), h);
    expectTreeClose(jit(jacfwd(jacrev(f)))(x), h);
    // Hessian-vector product by forward-over-reverse equals H v.
    const v = np.array([1, -2, 0.5]);
    const [, hv] = jvp(grad(f), [x], [v]) as [Array, Array];
    expectTreeClose(hv, np.matmul(h, v));
  });

  it("jacrev = jacfwd for a vector function, and both match finite differences", () => {
    const jf = jacfwd(g)(x) as Array;
    const jr = jacrev(g)(x) as Array;
    expect(jf.shape).toEqual([4, 3]);
    expectTreeClose(jr, jf);
    expectTreeClose(jit(jacrev(g))(x), jf);
    // vmap of jacfwd over a batch of points = stacked Jacobians.
    const xs = np.stack([x, np.multiply(x, -0.5)]);
    const jb = vmap(jacfwd(g))(xs) as Array;
    expect(jb.shape).toEqual([2, 4, 3]);
    expectTreeClose(np.take(jb, 1, { axis: 0 }), jacrev(g)(np.multiply(x, -0.5)));
    checkGrads(g, [x], { order: 2 });
  });

  it("checkGrads: f to third order, and the Hessian against finite differences of the gradient", () => {
    config.update("jax_enable_x64", true);
    try {
      const x64 = np.array([0.3, -1.2, 0.7], { dtype: "float64" });
      checkGrads(f, [x64], { order: 3 });
      checkGrads(grad(f), [x64], { order: 1 });
      // Finite differences of grad(f) along each basis vector are the Hessian's columns.
      const h = vals(jacfwd(jacrev(f))(x64));
      const eps = 1e-6;
      for (let j = 0; j < 3; j++) {
        const e = np.array([0, 1, 2].map((k) => (k === j ? eps : 0)), { dtype: "float64" });
        const col = np.divide(np.subtract(grad(f)(np.add(x64, e)), grad(f)(np.subtract(x64, e))), 2 * eps);
        vals(col).forEach((c, i) => expect(Math.abs(c - h[i * 3 + j])).toBeLessThan(1e-7));
      }
    } finally {
      config.reset();
    }
  });
});

describe("finite differences (checkGrads, float64) through every composition", () => {
  it("checks the MLP loss, jit(loss), the vmapped summed loss and grad(loss) in float64", () => {
    config.update("jax_enable_x64", true);
    try {
      const { params, xs, ys } = data("float64");
      expect(params[0].weights.dtype).toBe("float64");
      const { leaves, def, f } = flatLoss(params);
      const args = [xs, ys, ...leaves];
      checkGrads(f, args, { order: 1, seed: 7 });
      checkGrads(jit(f), args, { order: 1, seed: 8 });
      const summed = (x: Array, y: Array, ...ls: Array[]) => np.sum(vmap(loss, { inAxes: [null, 0, 0] })(treeUnflatten(def, ls) as Params, x, y));
      checkGrads(summed, args, { order: 1, seed: 9 });
      // Derivatives of the gradient itself (relu's second derivative is zero almost everywhere).
      const gradFlat = (x: Array, y: Array, ...ls: Array[]) => treeLeaves(grad(loss)(treeUnflatten(def, ls) as Params, x, y));
      checkGrads(gradFlat, args, { order: 1, modes: ["fwd", "rev"], seed: 10 });
      // Per-example gradients: vmap∘grad and jit∘vmap∘grad.
      const perEx = (x: Array, y: Array, ...ls: Array[]) => treeLeaves(vmap(grad(loss), { inAxes: [null, 0, 0] })(treeUnflatten(def, ls) as Params, x, y));
      checkGrads(perEx, args, { order: 1, modes: ["rev"], seed: 11 });
      checkGrads(jit(perEx), args, { order: 1, modes: ["fwd"], seed: 12 });
    } finally {
      config.reset();
    }
  });

  it("float32 gradients of every composition match the float64 reference", () => {
    const { params, xs, ys } = data();
    const ref = (() => {
      config.update("jax_enable_x64", true);
      try {
        const p64 = treeMap((l: Array) => np.asarray(l, { dtype: "float64" }), params) as Params;
        const g = grad(loss)(p64, np.asarray(xs, { dtype: "float64" }), np.asarray(ys, { dtype: "float64" }));
        return treeMap((l: Array) => np.array(vals(l), { dtype: "float32" }).reshape(l.shape as number[]), g);
      } finally {
        config.reset();
      }
    })();
    const perEx = vmap(grad(loss), { inAxes: [null, 0, 0] });
    const mean0 = (t: unknown) => treeMap((g: Array) => np.mean(g, { axis: 0 }), t);
    const candidates: [string, unknown][] = [
      ["grad", grad(loss)(params, xs, ys)],
      ["jit∘grad", jit(grad(loss))(params, xs, ys)],
      ["grad∘jit", grad(jit(loss))(params, xs, ys)],
      ["mean∘vmap∘grad", mean0(perEx(params, xs, ys))],
      ["mean∘jit∘vmap∘grad", mean0(jit(perEx)(params, xs, ys))],
    ];
    for (const [, got] of candidates) expectTreeClose(got, ref, { atol: 1e-5, rtol: 1e-4 });
  });
});

describe("training", () => {
  it("SGD with jit(grad(loss)) lowers the loss over 20 steps", () => {
    let { params } = data();
    const xs = random.uniform(random.PRNGKey(2), [64, 1], { minval: -1, maxval: 1 });
    const ys = np.square(xs);
    const gradFn = jit(grad(loss));
    const lossFn = jit(loss);
    const lr = 0.02;
    const losses = [vals(lossFn(params, xs, ys))[0]];
    for (let step = 0; step < 20; step++) {
      const g = gradFn(params, xs, ys) as Params;
      params = treeMap((p: Array, gi: Array) => np.subtract(p, np.multiply(lr, gi)), params, g) as Params;
      losses.push(vals(lossFn(params, xs, ys))[0]);
    }
    expect(gradFn.traceCount).toBe(1);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[20]).toBeLessThan(0.5 * losses[0]);
    // Deterministic (PRNG-initialised) and with a small step: every step goes downhill.
    losses.slice(1).forEach((l, i) => expect(l).toBeLessThan(losses[i]));
  });
});
