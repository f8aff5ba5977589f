// jit on WebGPU: values agree with the CPU backend, and fusion is visible in the kernel
// counts — an 8-op elementwise chain is one kernel, an MLP layer (matmul + bias + relu) one
// GEMM with an epilogue, reductions absorb their prologue and epilogue, views (transpose,
// slice, reshape, broadcast) fuse without copies, one queue submission per call, and
// intermediate buffers are reused by liveness. Also: init({ backend: "webgpu" }), devices(),
// synchronous scalar reads, and PRNG streams identical to the CPU's.
import { afterAll, describe, expect, it } from "vitest";
import { numpy as np, lax, nn, random, jit, grad, init, devices, makeJaxpr, customVjp, stopGradient } from "../../src/index.js";
import { ArrayImpl, fromHostData, getBackend, setBackend } from "../../src/array.js";
import type { Array } from "../../src/core/tracer.js";
import { treeLeaves } from "../../src/core/tree.js";
import type { HostArray } from "../../src/backend/cpu/host_array.js";
import type { ClosedJaxpr } from "../../src/core/jaxpr.js";
import { planJaxpr } from "../../src/backend/webgpu/plan.js";
import { acquireGpu, cpu, expectClose, randomHost, rng } from "./harness.js";

const gpu = await acquireGpu();
const original = getBackend();
afterAll(() => setBackend(original));

type Fn = (...xs: Array[]) => unknown;

describe.skipIf(!gpu)("jit on WebGPU", () => {
  const g = gpu!;
  const r = rng(5);

  /** Run jit(f) on both backends; compare all outputs; return the GPU's kernel names for the call. */
  async function onBoth(f: Fn, args: readonly HostArray[], tol = { rtol: 1e-4, atol: 1e-5 }): Promise<string[]> {
    setBackend(cpu);
    const want = treeLeaves(jit(f)(...args.map((h) => fromHostData(h.data, h.shape, h.dtype)))) as ArrayImpl[];
    setBackend(g);
    const jf = jit(f);
    const gArgs = args.map((h) => fromHostData(h.data, h.shape, h.dtype));
    jf(...gArgs); // warm up (compiles pipelines)
    await g.synchronize();
    g.resetStats();
    const got = treeLeaves(jf(...gArgs)) as ArrayImpl[];
    const kernels = [...g.stats.kernels];
    expect(g.stats.submissions, "one queue submission per jitted call").toBeLessThanOrEqual(1);
    expect(got.length).toBe(want.length);
    for (let i = 0; i < got.length; i++) {
      expect(got[i].shape).toEqual(want[i].shape);
      expect(got[i].dtype).toBe(want[i].dtype);
      expectClose(await got[i].data(), want[i].dataSync(), want[i].dtype, tol, `output ${i}`);
    }
    return kernels;
  }

  it("an 8-op elementwise chain is one kernel", async () => {
    const f = (x: Array) => np.tanh(np.exp(np.sin(np.multiply(np.add(np.abs(np.negative(x)), 1), 0.5)))).mul(3);
    const x = randomHost(r, [37, 11], "float32");
    expect((makeJaxpr(f)(fromHostData(x.data, x.shape, x.dtype)) as ClosedJaxpr).jaxpr.eqns.length).toBe(8);
    expect(await onBoth(f, [x])).toEqual(["map"]);
  });

  it("an MLP layer (matmul + bias + relu) is one GEMM with an epilogue", async () => {
    const layer = (x: Array, w: Array, b: Array) => nn.relu(np.add(np.matmul(x, w), b));
    const kernels = await onBoth(layer, [randomHost(r, [32, 64], "float32"), randomHost(r, [64, 48], "float32"), randomHost(r, [48], "float32")]);
    expect(kernels.length).toBe(1);
    expect(kernels[0]).toMatch(/^gemm_.*\+epilogue$/);
  });

  it("a two-layer MLP is two GEMMs, each with its epilogue", async () => {
    const mlp = (x: Array, w1: Array, b1: Array, w2: Array, b2: Array) => np.add(np.matmul(nn.relu(np.add(np.matmul(x, w1), b1)), w2), b2);
    const f = (s: number[]) => randomHost(r, s, "float32", { lo: -1, hi: 1 });
    const kernels = await onBoth(mlp, [f([16, 20]), f([20, 32]), f([32]), f([32, 12]), f([12])]);
    expect(kernels).toHaveLength(2);
    expect(kernels.every((k) => /^gemm_.*\+epilogue$/.test(k))).toBe(true);
  });

  it("a reduction absorbs its elementwise prologue and epilogue (mean of squares, sqrt)", async () => {
    const rms = (x: Array) => np.sqrt(np.mean(np.square(np.subtract(x, 1)), { axis: 1 }));
    expect(await onBoth(rms, [randomHost(r, [9, 300], "float32")])).toEqual(["reduce_sum"]);
  });

  it("softmax and log-softmax agree with the CPU", async () => {
    const kernels = await onBoth((x: Array) => nn.softmax(x), [randomHost(r, [7, 33], "float32", { lo: -20, hi: 20 })]);
    expect(kernels.length).toBeLessThanOrEqual(3);
    await onBoth((x: Array) => nn.logSoftmax(x, { axis: 0 }), [randomHost(r, [7, 33], "float32")]);
  });

  it("views fuse without copies: transpose, slice, reverse, reshape and broadcast", async () => {
    // Two kernels: the row sums (whose prologue reads the view) and the map that broadcasts them.
    const f = (x: Array, y: Array) => {
      const t = np.transpose(x, [1, 0, 2]); // [5, 4, 6]
      const s = lax.slice(t, [1, 0, 1], [5, 4, 6], [2, 1, 2]); // [2, 4, 3]
      const v = np.flip(s, 2).reshape([8, 3]);
      return np.add(np.multiply(v, y), np.expandDims(np.sum(v, { axis: 1 }), 1));
    };
    const kernels = await onBoth(f, [randomHost(r, [4, 5, 6], "float32"), randomHost(r, [3], "float32")]);
    expect(kernels).toEqual(["reduce_sum", "map"]);
  });

  it("multiple outputs of one shape come from one kernel; ints and bools stay exact", async () => {
    const f = (x: Array, y: Array) => [np.add(x, y), np.greater(x, y), np.bitwiseXor(x, 7)];
    const kernels = await onBoth(f, [randomHost(r, [6, 5], "int32", { lo: -100, hi: 100 }), randomHost(r, [6, 5], "int32", { lo: -100, hi: 100 })]);
    expect(kernels).toEqual(["map"]);
  });

  it("kernels never bind more buffers than the device allows", async () => {
    const xs = globalThis.Array.from({ length: 14 }, () => randomHost(r, [5, 3], "float32"));
    const pairs = (...a: Array[]) => a.slice(0, 12).map((x, i) => (i % 2 ? x : np.add(x, a[i + 1]))).filter((_, i) => i % 2 === 0);
    await onBoth(pairs, xs);
    const total = (...a: Array[]) => a.reduce((s, x) => np.add(s, np.multiply(x, 2)));
    await onBoth(total, xs);
    const normed = (...a: Array[]) => np.divide(total(...a), np.sum(total(...a.slice(1)), { axis: 1, keepdims: true }));
    await onBoth(normed, xs);
  });

  it("indexing with arrays (gather: take, take_along_axis, fancy indexing; fill and clip modes)", async () => {
    const x = randomHost(r, [6, 7], "float32");
    const idx = randomHost(r, [4], "int32", { lo: -8, hi: 8 });
    const idx2 = randomHost(r, [6, 3], "int32", { lo: 0, hi: 6 });
    const f = (a: Array, i: Array, j: Array) => [
      np.take(a, i, { axis: 1 }),
      np.take(a, i, { axis: 0, mode: "clip" }),
      np.takeAlongAxis(a, j, 1),
      a.index(np.clip(i, 0, 5)),
      np.take(np.multiply(a, 2), i, { fillValue: -1 }),
    ];
    await onBoth(f as Fn, [x, idx, idx2]);
    const u = randomHost(r, [5], "uint32", { lo: 0, hi: 9 });
    await onBoth(((a: Array, i: Array) => np.take(a, i)) as Fn, [x, u]);
  });

  it("scatters (x.at[i].set/add/mul/min/max with repeated indices, out of bounds) and the grad of indexing", async () => {
    const x = randomHost(r, [6, 4], "float32", { specials: [NaN] });
    const v = randomHost(r, [5, 4], "float32", { specials: [NaN] });
    const rep = { shape: [5], dtype: "int32" as const, data: new Int32Array([1, 4, 1, -1, 9]) };
    const uniq = { shape: [5], dtype: "int32" as const, data: new Int32Array([0, 3, 5, 2, 7]) };
    const f = (a: Array, i: Array, j: Array, u: Array) => [
      a.at(j).set(u), a.at(i).add(u), a.at(i).mul(u), a.at(i).min(u), a.at(i).max(u), a.at(i).add(1, { mode: "clip" }),
    ];
    await onBoth(f as Fn, [x, rep, uniq, v]);
    const xi = randomHost(r, [7, 3], "int32", { lo: -50, hi: 50 });
    const vi = randomHost(r, [5, 3], "int32", { lo: -50, hi: 50 });
    await onBoth(f as Fn, [xi, rep, uniq, vi]);
    const loss = (w: Array, labels: Array) => np.sum(np.takeAlongAxis(nn.logSoftmax(w), labels, 1));
    const labels = randomHost(r, [6, 1], "int32", { lo: 0, hi: 3 });
    await onBoth(((w: Array, l: Array) => grad(loss)(w, l)) as Fn, [x.data.some(Number.isNaN) ? randomHost(r, [6, 4], "float32") : x, labels]);
  });

  it("custom derivatives and stop_gradient run inlined (eager and under jit)", async () => {
    const f = customVjp((x: Array) => np.sin(x));
    f.defvjp(
      (x: Array) => [f(x), np.cos(x)],
      (c: Array, g: Array) => [np.multiply(np.multiply(c, g), 2)],
    );
    const h = (x: Array) => [np.sinc(x), stopGradient(x).mul(2), grad((y: Array) => np.sum(np.add(f(y), np.sinc(y))))(x)];
    await onBoth(h as Fn, [randomHost(r, [9], "float32")]);
    setBackend(g);
    const y = f(np.array([0.5, 1]));
    expect(globalThis.Array.from(await y.data())).toEqual([Math.fround(Math.sin(0.5)), Math.fround(Math.sin(1))].map((v) => expect.closeTo(v, 6)));
  });

  it("grad of an MLP loss matches the CPU", async () => {
    const loss = (w: Array, b: Array, x: Array, y: Array) => np.mean(np.square(np.subtract(np.tanh(np.add(np.matmul(x, w), b)), y)));
    const f = (w: Array, b: Array, x: Array, y: Array) => grad(loss, { argnums: [0, 1] })(w, b, x, y);
    const h = (s: number[]) => randomHost(r, s, "float32", { lo: -1, hi: 1 });
    await onBoth(f as Fn, [h([24, 16]), h([16]), h([40, 24]), h([40, 16])]);
  });

  it("intermediate buffers are reused by liveness", () => {
    setBackend(g);
    const f = (x: Array) => {
      let y = x;
      for (let i = 0; i < 6; i++) y = np.cumsum(y, { axis: 1 }).mul(0.5);
      return y;
    };
    const closed = makeJaxpr(f)(np.ones([64, 64])) as ClosedJaxpr;
    const plan = planJaxpr(closed, { maxStorageBuffers: 8 });
    const temps = plan.slots.filter((s) => s.kind === "temp").length;
    expect(temps).toBe(7);
    expect(plan.physical.length).toBeLessThanOrEqual(3);
  });

  it("PRNG: random bits and normals match the CPU stream", async () => {
    const f = (k: Array) => [random.bits(k, [1000]), random.normal(random.foldIn(k, 3), [257]), random.uniform(k, [3, 5])];
    const key = randomHost(r, [2], "uint32", { lo: 0, hi: 4294967295 });
    await onBoth(f as Fn, [key], { rtol: 2e-6, atol: 2e-6 });
  });

  it("init({ backend: 'webgpu' }), devices(), synchronous scalar reads and printing", async () => {
    const ds = await init({ backend: "webgpu" });
    try {
      expect(ds.length).toBe(1);
      expect(String(devices()[0])).toMatch(/^WebGpuDevice\(id=0, adapter=".+"\)$/);
      expect(getBackend().platform).toBe("webgpu");
      const x = np.array([[1, 2], [3, 4]]);
      const s = np.sum(np.multiply(x, x));
      expect(s.item()).toBe(30);
      expect(Number(s) > 29).toBe(true);
      expect((np.add(x, 1) as ArrayImpl).repr()).toBe("Array([[2., 3.],\n       [4., 5.]], dtype=float32)");
      expect(await np.arange(5).tolist()).toEqual([0, 1, 2, 3, 4]);
      expect(() => np.ones([3]).item()).toThrow(/size-1/);
    } finally {
      await init({ backend: "cpu" });
    }
  });
});
