// Control flow on WebGPU vs the CPU reference: cond/switch (straight-line branches selected on
// the device; a branch holding a loop reads the index), while (host-driven, predicate read back
// each iteration), scan (static length, xs/ys rows moved on the device, reverse, consts, empty
// xs, size-0/1 carries), nesting (scan in while in jit, cond around a loop, loops inside a jit
// between ordinary equations) and grad through scan — eager and jitted.
import { afterAll, describe, expect, it } from "vitest";
import { numpy as np, lax, jit, grad } from "../../src/index.js";
import { type ArrayImpl, fromHostData, getBackend, setBackend } from "../../src/array.js";
import type { Array } from "../../src/core/tracer.js";
import { treeLeaves } from "../../src/core/tree.js";
import type { HostArray } from "../../src/backend/cpu/host_array.js";
import { acquireGpu, cpu, expectClose, randomHost, randomShape, rng } from "./harness.js";

const gpu = await acquireGpu();
const original = getBackend();
afterAll(() => setBackend(original));

type Fn = (...xs: Array[]) => unknown;

describe.skipIf(!gpu)("control flow on WebGPU vs CPU", () => {
  const g = gpu!;
  const r = rng(77);

  /** f eagerly and jitted on both backends; every output compared. */
  async function onBoth(f: Fn, args: readonly HostArray[], tol = { rtol: 1e-4, atol: 1e-5 }): Promise<void> {
    for (const wrap of [(h: Fn) => h, (h: Fn) => jit(h) as Fn]) {
      setBackend(cpu);
      const want = treeLeaves(wrap(f)(...args.map((h) => fromHostData(h.data, h.shape, h.dtype)))) as ArrayImpl[];
      setBackend(g);
      const got = treeLeaves(wrap(f)(...args.map((h) => fromHostData(h.data, h.shape, h.dtype)))) as ArrayImpl[];
      expect(got.length).toBe(want.length);
      for (let i = 0; i < got.length; i++) {
        expect(got[i].shape).toEqual(want[i].shape);
        expect(got[i].dtype).toBe(want[i].dtype);
        expectClose(await got[i].data(), want[i].dataSync(), want[i].dtype, tol, `output ${i}`);
      }
    }
  }

  it("cond and switch (clamped index), including reductions in branches", async () => {
    for (const pred of [0, 1]) {
      const f = (p: Array, x: Array) => lax.cond(p, (v: Array) => np.sum(np.sin(v)), (v: Array) => np.max(v).mul(2), x);
      await onBoth(f, [{ shape: [], dtype: "int32", data: Int32Array.of(pred) }, randomHost(r, [3, 5], "float32")]);
    }
    for (const idx of [-3, 0, 1, 2, 7]) {
      const f = (i: Array, x: Array, y: Array) =>
        lax.switch(i, [(a: Array, b: Array) => [a.add(b), b], (a: Array, b: Array) => [a.mul(b), a], (a: Array, b: Array) => [np.exp(a), np.negative(b)]], x, y);
      const s = randomShape(r, 2, 5);
      await onBoth(f, [{ shape: [], dtype: "int32", data: Int32Array.of(idx) }, randomHost(r, s, "float32"), randomHost(r, s, "float32")]);
    }
  });

  it("while (fori loops, data-dependent trip counts, int and float carries)", async () => {
    const f = (x: Array) => lax.foriLoop(0, 5, (i: Array, acc: Array) => acc.mul(1.5).add(i), x);
    await onBoth(f, [randomHost(r, [4, 3], "float32")]);
    // Collatz steps of each start, a data-dependent loop on int32 vectors.
    const collatz = (n: Array) =>
      lax.whileLoop(
        ([v]: Array[]) => np.any(v.gt(1)),
        ([v, steps]: Array[]) => [np.where(v.gt(1), np.where(v.mod(2).eq(0), np.floorDivide(v, 2), v.mul(3).add(1)), v), steps.add(v.gt(1).astype("int32"))],
        [n, np.zerosLike(n)],
      );
    await onBoth(collatz, [{ shape: [6], dtype: "int32", data: Int32Array.of(1, 2, 3, 7, 9, 27) }]);
    // A loop that never runs, and one over an empty array.
    await onBoth((x: Array) => lax.whileLoop((v: Array) => np.sum(v).lt(-1e9), (v: Array) => v.add(1), x), [randomHost(r, [2], "float32")]);
    await onBoth((x: Array) => lax.foriLoop(0, 3, (_i: Array, v: Array) => v.add(1), x), [randomHost(r, [0, 3], "float32")]);
  });

  it("scan (ys, reverse, several xs, consts, size 0 and 1)", async () => {
    for (let t = 0; t < 4; t++) {
      const L = [0, 1, 4, 7][t];
      const s = randomShape(r, 2, 4, false);
      const w = randomHost(r, s, "float32");
      const f = (c0: Array, xs: Array, ks: Array, wc: Array) =>
        lax.scan(
          (c: Array, [x, k]: Array[]) => {
            const c2 = np.tanh(c.mul(wc).add(x)).add(k.astype("float32"));
            return [c2, [np.sum(c2), k.mul(2)]];
          },
          c0, [xs, ks], { reverse: t % 2 === 1 },
        );
      await onBoth(f, [randomHost(r, s, "float32"), randomHost(r, [L, ...s], "float32"), randomHost(r, [L], "int32"), w]);
    }
    // xs = null with a length, and a bool carry.
    await onBoth((x: Array) => lax.scan((c: Array[], _: null) => [[c[0].add(1), np.logicalNot(c[1])], c[0]], [x, x.gt(0)], null, { length: 3 }), [randomHost(r, [2], "float32")]);
  });

  it("nesting: scan inside a while inside jit between ordinary ops; cond around a loop", async () => {
    const f = (x: Array, xs: Array) => {
      const y = np.exp(x).mul(0.5);
      const [out] = lax.whileLoop(
        ([_, i]: Array[]) => i.lt(3),
        ([v, i]: Array[]) => [lax.scan((c: Array, e: Array) => [c.add(e).mul(0.5), c], v, xs)[0], i.add(1)],
        [y, np.array(0, { dtype: "int32" })],
      );
      return np.sum(out.mul(y));
    };
    await onBoth(f, [randomHost(r, [3], "float32"), randomHost(r, [5, 3], "float32")]);
    for (const p of [0, 1]) {
      const h = (pred: Array, x: Array) => lax.cond(pred, (v: Array) => lax.foriLoop(0, 4, (_i: Array, a: Array) => a.mul(2), v), (v: Array) => v.sub(1), x);
      await onBoth(h, [{ shape: [], dtype: "bool", data: Uint8Array.of(p) }, randomHost(r, [2, 2], "float32")]);
    }
  });

  it("grad through scan (an RNN-style loss)", async () => {
    const loss = (w: Array, xs: Array) => np.sum(lax.scan((c: Array, x: Array) => { const h = np.tanh(np.matmul(c, w).add(x)); return [h, np.sum(h.mul(h))]; }, np.zeros([3]), xs)[1]);
    await onBoth(grad(loss) as Fn, [randomHost(r, [3, 3], "float32", { lo: -1, hi: 1 }), randomHost(r, [6, 3], "float32", { lo: -1, hi: 1 })]);
  });
});
