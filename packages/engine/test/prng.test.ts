// jax.random: the threefry2x32 primitive (Random123 known-answer vectors, abstract eval,
// broadcasting), every "prng" case of shared/conformance/jax-cases.json under the
// jax_threefry_partitionable setting the case was recorded with, jit-vs-eager identity,
// the samplers' shapes/dtypes/ranges, and the errors for bad input.
import { afterEach, describe, expect, it } from "vitest";
import { numpy as np, lax, jit, makeJaxpr, config, ConcretizationTypeError } from "../src/index.js";
import type { ArrayImpl } from "../src/array.js";
import type { Array } from "../src/core/tracer.js";
import { ShapedArray } from "../src/core/aval.js";
import { abstractEval } from "../src/core/abstract_eval.js";
import { threefry2x32 } from "../src/lax/prng.js";
import * as random from "../src/random/index.js";

const data = (x: Array) => globalThis.Array.from((x as ArrayImpl).dataSync());
const repr = (x: Array) => (x as ArrayImpl).repr();
const u32 = (xs: number[]) => np.array(new Uint32Array(xs));
const hex = (x: Array) => data(x).map((v) => "0x" + v.toString(16).padStart(8, "0"));
/** JAX's assertAllClose default for float32: |a - b| <= atol + rtol·|b| with both 1e-6. */
function expectClose(actual: Array, expected: number[], tol = 1e-6): void {
  const a = data(actual);
  expect(a.length).toBe(expected.length);
  a.forEach((v, i) => expect(Math.abs(v - expected[i]), `element ${i}: ${v} vs ${expected[i]}`).toBeLessThanOrEqual(tol + tol * Math.abs(expected[i])));
}
/** numpy printing with precision=2 (as in `jnp.printoptions(precision=2, suppress=True)`). */
const round2 = (x: Array) => data(x).map((v) => Number(v.toFixed(2)));
const legacy = () => config.update("jax_threefry_partitionable", false);

afterEach(() => config.reset());

describe("threefry2x32 primitive", () => {
  // Random123 kat_vectors, threefry2x32 with 20 rounds: (count, key) -> output.
  const kat: [string, number[], number[], string[]][] = [
    ["zeros", [0, 0], [0, 0], ["0x6b200159", "0x99ba4efe"]],
    ["all ones", [0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], ["0x1cb996fc", "0xbb002be7"]],
    ["pi digits", [0x13198a2e, 0x03707344], [0x243f6a88, 0x85a308d3], ["0xc4923a9c", "0x483df7a0"]],
  ];
  for (const [name, key, count, want] of kat)
    it(`matches the Random123 known-answer vector (${name})`, () => {
      const [y0, y1] = threefry2x32(u32([key[0]]), u32([key[1]]), u32([count[0]]), u32([count[1]]));
      expect([...hex(y0), ...hex(y1)]).toEqual(want);
      // Scalar key words broadcast against the counts, as threefry2x32_p does.
      const [z0, z1] = threefry2x32(key[0], key[1], u32([count[0], 0]), u32([count[1], 0]));
      expect([hex(z0)[0], hex(z1)[0]]).toEqual(want);
    });

  it("has JAX's abstract eval: uint32 operands broadcast, two uint32 outputs", () => {
    const s = (shape: number[], d: "uint32" | "int32" = "uint32") => new ShapedArray(shape, d);
    const outs = abstractEval("threefry2x32", [s([]), s([]), s([2, 3]), s([2, 3])], {});
    expect(outs.map(String)).toEqual(["ShapedArray(uint32[2,3])", "ShapedArray(uint32[2,3])"]);
    expect(abstractEval("threefry2x32", [s([1, 3]), s([]), s([2, 1]), s([2, 3])], {}).map((a) => a.shape)).toEqual([[2, 3], [2, 3]]);
    expect(() => abstractEval("threefry2x32", [s([]), s([]), s([3], "int32"), s([3])], {})).toThrow(
      "Arguments to threefry2x32 must have uint32 type, got (uint32, uint32, int32, uint32).",
    );
    expect(() => abstractEval("threefry2x32", [s([]), s([]), s([3]), s([4])], {})).toThrow("threefry2x32 got incompatible shapes for broadcasting: (), (), (3,), (4,).");
    expect(() => abstractEval("threefry2x32", [s([]), s([]), s([3]), s([3, 1])], {})).toThrow("arrays must have same number of dimensions");
    expect(() => abstractEval("threefry2x32", [s([]), s([]), s([3])], {})).toThrow("threefry2x32 takes 4 operands");
  });

  it("prints in jaxprs with two outputs and runs under jit", () => {
    const f = (x0: Array, x1: Array) => threefry2x32(1, 2, x0, x1);
    expect(makeJaxpr(f)(u32([1, 2]), u32([3, 4])).toString()).toBe(
      "{ lambda ; a:u32[2] b:u32[2]. let\n    c:u32[2] d:u32[2] = threefry2x32 1:u32[] 2:u32[] a b\n  in (c, d) }",
    );
    const [e0, e1] = f(u32([1, 2]), u32([3, 4]));
    const [j0, j1] = jit(f)(u32([1, 2]), u32([3, 4]));
    expect(data(j0)).toEqual(data(e0));
    expect(data(j1)).toEqual(data(e1));
  });
});

describe("conformance cases (area prng)", () => {
  it("prng-threefry2x32-kat-pi: threefry_2x32(key, count) of the pi digits", () => {
    // count [c0, c1] splits in halves: x0 = c0, x1 = c1.
    const [y0, y1] = threefry2x32(0x13198a2e, 0x03707344, u32([0x243f6a88]), u32([0x85a308d3]));
    expect([...hex(y0), ...hex(y1)]).toEqual(["0xc4923a9c", "0x483df7a0"]);
  });

  it("prng-legacy-randint-key0 (partitionable=False)", () => {
    legacy();
    const x = random.randint(random.PRNGKey(0), [3, 3], 0, 8, "int32");
    expect(String(x)).toBe("[[2 1 3]\n [6 1 5]\n [6 3 4]]");
    expect(x.dtype).toBe("int32");
  });

  it("prng-legacy-split4-key0 (partitionable=False)", () => {
    legacy();
    const keys = random.keyData(random.split(random.PRNGKey(0), 4));
    expect(String(keys)).toBe("[[2285895361 1501764800]\n [1518642379 4090693311]\n [ 433833334 4221794875]\n [ 839183663 3740430601]]");
  });

  it("prng-legacy-fold_in-key0-4: fold_in is the same in both modes", () => {
    expect(String(random.keyData(random.foldIn(random.PRNGKey(0), 4)))).toBe("[2285895361  433833334]");
    legacy();
    expect(String(random.keyData(random.foldIn(random.PRNGKey(0), 4)))).toBe("[2285895361  433833334]");
  });

  it("prng-uniform-key0-and-split-current (partitionable=True)", () => {
    let key = random.PRNGKey(0);
    expect(String(key)).toBe("[0 0]");
    expect(repr(random.uniform(key))).toBe("Array(0.947667, dtype=float32)");
    expect(repr(random.uniform(key))).toBe("Array(0.947667, dtype=float32)");
    const keys = random.split(key);
    expect(String(keys)).toBe("[[1797259609 2579123966]\n [ 928981903 3453687069]]");
    key = lax.reshape(lax.slice(keys, [0, 0], [1, 2]), [2]);
    const subkey = lax.reshape(lax.slice(keys, [1, 0], [2, 2]), [2]);
    expect(String(key)).toBe("[1797259609 2579123966]");
    expect(repr(random.uniform(subkey))).toBe("Array(0.00729382, dtype=float32)");
  });

  it("prng-uniform3-key0-legacy (partitionable=False)", () => {
    legacy();
    const key = random.PRNGKey(0);
    expect(String(key)).toBe("[0 0]");
    expect(repr(random.uniform(key, [3]))).toBe("Array([0.9653214 , 0.31468165, 0.63302994], dtype=float32)");
  });

  it("prng-uniform-key42-3x3-current (partitionable=True)", () => {
    const x = random.uniform(random.key(42), [3, 3], { minval: -5, maxval: 5 });
    expect(round2(x)).toEqual([-0.11, 1.8, 1.16, 0.61, -0.49, 0.86, -4.25, 2.75, 1.99]);
  });

  it("prng-uniform-key42-3x3-legacy (partitionable=False)", () => {
    legacy();
    const x = random.uniform(random.key(42), [3, 3], { minval: -5, maxval: 5 });
    expect(round2(x)).toEqual([1.44, -1.77, -3.07, 3.86, 2.25, -3.08, -1.55, -2.48, 1.32]);
  });

  it("prng-legacy-normal-key0-10 (partitionable=False)", () => {
    legacy();
    const x = random.normal(random.key(0), [10]);
    const want = [-0.3721109, 0.26423115, -0.18252768, -0.7368197, -0.44030377, -0.1521442, -0.67135346, -0.5908641, 0.73168886, 0.5673026];
    expectClose(x, want);
  });

  it("prng-legacy-normal-key0-10 prints float32-exact values (needs XLA's float32 erf_inv)", () => {
    legacy();
    const x = random.normal(random.key(0), [10]);
    expect(String(x)).toBe("[-0.3721109   0.26423115 -0.18252768 -0.7368197  -0.44030377 -0.1521442\n -0.67135346 -0.5908641   0.73168886  0.5673026 ]");
  });

  it("prng-stateful-rng-key0: fold_in(key(0), 0 and 1) equal split(key(0)) (partitionable=True)", () => {
    const k = random.PRNGKey(0);
    expect(String(random.foldIn(k, 0))).toBe("[1797259609 2579123966]");
    expect(String(random.foldIn(k, 1))).toBe("[ 928981903 3453687069]");
    expect(data(random.split(k))).toEqual([...data(random.foldIn(k, 0)), ...data(random.foldIn(k, 1))]);
  });

  it("prng-issubdtype-prng_key: raw keys are plain uint32 arrays (typed keys: prng_keys.test.ts)", () => {
    expect(random.PRNGKey(0).dtype).toBe("uint32");
    expect(random.PRNGKey(0).shape).toEqual([2]);
  });

  it("prng-legacy-dist-bits (partitionable=False)", () => {
    legacy();
    const x = random.bits(random.PRNGKey(942802475), [5], "uint32");
    expect(data(x)).toEqual([1978747883, 4134381225, 3628107870, 689687174, 2788938207]);
    expect(x.dtype).toBe("uint32");
  });

  it("prng-legacy-dist-exponential (partitionable=False)", () => {
    legacy();
    expectClose(random.exponential(random.PRNGKey(1942292768), [5], "float32"), [0.526067, 0.043046, 0.039932, 0.46427, 0.123886]);
  });

  it("prng-legacy-dist-gumbel (partitionable=False)", () => {
    legacy();
    expectClose(random.gumbel(random.PRNGKey(1179715317), [5], "float32"), [2.06701, 0.911726, 0.145736, 0.185427, -0.00711]);
  });

  it("prng-legacy-dist-truncated_normal (partitionable=False)", () => {
    legacy();
    const x = random.truncatedNormal(random.PRNGKey(2846034731), 0, 2, [5], "float32");
    expectClose(x, [0.582807, 1.709771, 0.159513, 0.861376, 0.36148]);
  });

  it("prng-legacy-dist-laplace (partitionable=False)", () => {
    legacy();
    expectClose(random.laplace(random.PRNGKey(1291781963), [5], "float32"), [0.578939, -0.204902, 0.555733, 0.911053, -0.96456]);
  });

  it("prng-legacy-dist-logistic (partitionable=False)", () => {
    legacy();
    expectClose(random.logistic(random.PRNGKey(1466238935), [5], "float32"), [0.19611, -1.709053, -0.274093, -0.208322, -1.675489]);
  });

  it("prng-legacy-split-key42 (partitionable=False)", () => {
    legacy();
    const key = random.PRNGKey(42);
    expect(String(key)).toBe("[ 0 42]");
    const keys = random.split(key);
    expect(data(keys)).toEqual([2465931498, 3679230171, 255383827, 267815257]);
    const subkey = lax.reshape(lax.slice(keys, [1, 0], [2, 2]), [2]);
    expect(String(subkey)).toBe("[255383827 267815257]");
    expectClose(random.normal(subkey), [1.3694694]);
  });

  it("prng-legacy-split3-vs-shape3-key42 (partitionable=False)", () => {
    legacy();
    const subkeys = random.split(random.PRNGKey(42), 3);
    const individually = [0, 1, 2].map((i) => data(random.normal(lax.reshape(lax.slice(subkeys, [i, 0], [i + 1, 2]), [2])))[0]);
    expectClose(np.array(individually), [-0.04838839, 0.10796146, -1.2226542]);
    expectClose(random.normal(random.PRNGKey(42), [3]), [0.18693541, -1.2806507, -1.5593133]);
  });
});

/** Both PRNG streams, for tests that hold in each. */
const modes = [
  ["partitionable", true],
  ["legacy", false],
] as const;
const row = (keys: Array, i: number) => lax.reshape(lax.slice(keys, [i, 0], [i + 1, 2]), [2]);

describe.each(modes)("jit gives the eager bits (%s stream)", (_name, partitionable) => {
  const fns: [string, (k: Array) => Array][] = [
    ["split", (k) => random.split(k, 3)],
    ["foldIn", (k) => random.foldIn(k, 7)],
    ["bits", (k) => random.bits(k, [5])],
    ["bits of odd size", (k) => random.bits(k, [3, 3])],
    ["uniform", (k) => random.uniform(k, [2, 3], { minval: -2, maxval: 3 })],
    ["normal", (k) => random.normal(k, [4])],
    ["truncatedNormal", (k) => random.truncatedNormal(k, -1, 1, [4])],
    ["bernoulli", (k) => random.bernoulli(k, 0.3, [6])],
    ["randint", (k) => random.randint(k, [7], -3, 10)],
    ["gumbel", (k) => random.gumbel(k, [3])],
    ["exponential", (k) => random.exponential(k, [3])],
    ["laplace", (k) => random.laplace(k, [3])],
    ["logistic", (k) => random.logistic(k, [3])],
    ["categorical", (k) => random.categorical(k, np.array([[0, 1, 2], [2, 1, 0]]))],
    ["permutation", (k) => random.permutation(k, 10)],
    ["permutation of rows", (k) => random.permutation(k, lax.reshape(np.arange(12), [4, 3]))],
    ["choice", (k) => random.choice(k, 5, { shape: [3], replace: false })],
    ["choice with p", (k) => random.choice(k, np.array([10, 20, 30]), { shape: [4], p: np.array([0.2, 0.3, 0.5]) })],
  ];
  for (const [name, f] of fns)
    it(name, () => {
      if (!partitionable) legacy();
      const k = random.PRNGKey(1234);
      const eager = f(k);
      const jitted = jit(f)(k);
      expect(jitted.dtype).toBe(eager.dtype);
      expect(jitted.shape).toEqual(eager.shape);
      expect(data(jitted)).toEqual(data(eager));
    });

  it("seeds from a traced integer", () => {
    if (!partitionable) legacy();
    const f = (seed: Array) => random.uniform(random.PRNGKey(seed), [3]);
    expect(data(jit(f)(np.array(5, { dtype: "int32" })))).toEqual(data(random.uniform(random.PRNGKey(5), [3])));
  });
});

describe("keys", () => {
  it("seeds keys from the low 32 bits without x64 and from 64 bits with it", () => {
    expect(data(random.PRNGKey(-1))).toEqual([0, 4294967295]);
    expect(data(random.PRNGKey(2 ** 32 + 5))).toEqual([0, 5]);
    expect(data(random.PRNGKey(np.array(-2, { dtype: "int32" })))).toEqual([0, 4294967294]);
    config.update("jax_enable_x64", true);
    expect(data(random.PRNGKey(-1))).toEqual([4294967295, 4294967295]);
    expect(data(random.PRNGKey(2 ** 40 + 5))).toEqual([256, 5]);
  });

  it("splits into any shape of keys and, partitionably, as fold_in does", () => {
    const k = random.PRNGKey(3);
    expect(random.split(k, [2, 3]).shape).toEqual([2, 3, 2]);
    expect(data(random.split(k, [2, 3]))).toEqual(data(random.split(k, 6)));
    const keys = random.split(k, 5);
    for (let i = 0; i < 5; i++) expect(data(row(keys, i))).toEqual(data(random.foldIn(k, i)));
  });

  it("folds in uint32-wrapped data, as a number or a scalar array", () => {
    const k = random.PRNGKey(0);
    expect(data(random.foldIn(k, np.array(4, { dtype: "uint32" })))).toEqual([2285895361, 433833334]);
    expect(data(random.foldIn(k, -1))).toEqual(data(random.foldIn(k, 4294967295)));
  });
});

describe("samplers", () => {
  const k = random.key(7);

  it("give JAX's shapes and dtypes", () => {
    expect(random.uniform(k).shape).toEqual([]);
    expect(random.uniform(k, [2, 3]).dtype).toBe("float32");
    expect(random.normal(k, [2], "float16").dtype).toBe("float16");
    expect(random.bernoulli(k).dtype).toBe("bool");
    expect(random.bernoulli(k, np.array([0.1, 0.9])).shape).toEqual([2]);
    expect(random.randint(k, [4], 0, 3, "uint32").dtype).toBe("uint32");
    expect(random.categorical(k, np.zeros([4, 3])).shape).toEqual([4]);
    expect(random.categorical(k, np.zeros([4, 3]), { axis: 0 }).shape).toEqual([3]);
    expect(random.categorical(k, np.zeros([4, 3]), { shape: [5, 4] }).shape).toEqual([5, 4]);
    expect(random.categorical(k, np.zeros([4, 3])).dtype).toBe("int32");
    expect(random.truncatedNormal(k, np.array([-1, 0]), 1).shape).toEqual([2]);
    expect(random.choice(k, np.zeros([4, 5]), { shape: [2, 3], axis: 1 }).shape).toEqual([4, 2, 3]);
  });

  it("turn float64 requests into float32 without x64, and honour them with it", () => {
    expect(random.uniform(k, [2], "float64").dtype).toBe("float32");
    config.update("jax_enable_x64", true);
    const x = random.uniform(k, [1000]);
    expect(x.dtype).toBe("float64");
    const v = data(x);
    expect(v.every((t) => t >= 0 && t < 1)).toBe(true);
    expect(v.some((t) => Math.fround(t) !== t)).toBe(true); // 52 random mantissa bits
  });

  it("build float16 uniforms from 16 random bits", () => {
    for (const [, partitionable] of modes) {
      config.update("jax_threefry_partitionable", partitionable);
      const f16 = data(random.uniform(k, [5], "float16"));
      if (partitionable) {
        const b = data(random.bits(k, [5]));
        expect(f16).toEqual(b.map((w) => ((w & 0xffff) >>> 6) / 1024));
      } else {
        const w = data(random.bits(k, [3])); // half-words in order, low half first
        const halves = w.flatMap((x) => [x & 0xffff, x >>> 16]).slice(0, 5);
        expect(f16).toEqual(halves.map((h) => (h >>> 6) / 1024));
      }
    }
  });

  it("stay in range", () => {
    const u = data(random.uniform(k, [2000], { minval: 2, maxval: 3 }));
    expect(u.every((t) => t >= 2 && t < 3)).toBe(true);
    const t = data(random.truncatedNormal(k, -0.5, 0.25, [2000]));
    expect(t.every((x) => x > -0.5 && x < 0.25)).toBe(true);
    const r = data(random.randint(k, [2000], -3, 4));
    expect(new Set(r)).toEqual(new Set([-3, -2, -1, 0, 1, 2, 3]));
    expect(data(random.randint(k, [3], 5, 5))).toEqual([5, 5, 5]);
    expect(data(random.randint(k, [3], 5, 2))).toEqual([5, 5, 5]);
    const full32 = data(random.randint(k, [2000], 0, 2 ** 32, "uint32"));
    expect(full32.some((x) => x >= 2 ** 31)).toBe(true);
    const e = data(random.exponential(k, [1000]));
    expect(e.every((x) => x >= 0)).toBe(true);
  });

  it("draw bernoulli with probability p", () => {
    expect(data(random.bernoulli(k, 0, [50])).every((b) => b === 0)).toBe(true);
    expect(data(random.bernoulli(k, 1, [50])).every((b) => b === 1)).toBe(true);
    const mean = data(random.bernoulli(k, 0.25, [4000])).reduce((a, b) => a + b, 0) / 4000;
    expect(Math.abs(mean - 0.25)).toBeLessThan(0.03);
  });

  it("sample categorical from the logits", () => {
    const logits = np.log(np.array([0.0, 0.0, 1.0]));
    expect(data(random.categorical(k, logits, { shape: [20] })).every((i) => i === 2)).toBe(true);
  });

  it("permute", () => {
    const p = data(random.permutation(k, 50));
    expect([...p].sort((a, b) => a - b)).toEqual([...globalThis.Array(50).keys()]);
    const rows = random.permutation(k, lax.reshape(np.arange(12), [4, 3]));
    const r = data(rows);
    expect([0, 3, 6, 9].map((i) => r.slice(i, i + 3)).every((x) => x[1] === x[0] + 1 && x[2] === x[0] + 2)).toBe(true);
    // independent: each column shuffled on its own, values stay in their column.
    const ind = data(random.permutation(k, lax.reshape(np.arange(30), [10, 3]), { independent: true }));
    for (let c = 0; c < 3; c++) expect(ind.filter((_, i) => i % 3 === c).sort((a, b) => a - b)).toEqual([...globalThis.Array(10).keys()].map((i) => 3 * i + c));
    expect(data(random.permutation(k, np.array([4, 5, 6]).astype("int32"), { axis: -1 })).sort()).toEqual([4, 5, 6]);
  });

  it("choose with and without replacement and with p", () => {
    const noRep = data(random.choice(k, 10, { shape: [10], replace: false }));
    expect(new Set(noRep).size).toBe(10);
    const pNoRep = data(random.choice(k, 6, { shape: [3], replace: false, p: np.array([0.1, 0.1, 0.2, 0.2, 0.2, 0.2]) }));
    expect(new Set(pNoRep).size).toBe(3);
    const only = data(random.choice(k, np.array([7, 8, 9]).astype("int32"), { shape: [10], p: np.array([0, 1, 0]) }));
    expect(only).toEqual(new globalThis.Array(10).fill(8));
    expect(random.choice(k, 3, { shape: [0] }).shape).toEqual([0]);
  });
});

describe("errors", () => {
  const k = random.PRNGKey(0);
  it("names the function and the problem", () => {
    expect(() => random.bits(k, [2], "int32")).toThrow("dtype argument to `bits` must be an unsigned int dtype, got int32");
    expect(() => random.uniform(k, [2], "int32")).toThrow("dtype argument to `uniform` must be a float dtype, got int32");
    expect(() => random.normal(k, [2], "uint32")).toThrow("dtype argument to `normal` must be a float or complex dtype, got uint32");
    expect(() => random.randint(k, [2], 0, 3, "float32")).toThrow("randint only accepts integer dtypes, got float32");
    expect(() => random.split(random.split(k))).toThrow(
      "split accepts a single key, but was given a key array of shape (2, 2) != (). Use jax.vmap for batching.",
    );
    expect(() => random.uniform(np.array([1, 2]))).toThrow("expected key_data.dtype = uint32; got dtype=float32");
    expect(() => random.normal(np.array([1, 2, 3]).astype("uint32"))).toThrow("expected key_data.shape to end with (2,); got shape=(3,)");
    expect(() => random.uniform(3 as unknown as Array)).toThrow("unexpected PRNG key type number 3");
    expect(() => random.uniform(k, [2.5])).toThrow("uniform: shape must be an array of non-negative integers");
    expect(() => random.PRNGKey(1.5)).toThrow("PRNG key seed must be an integer");
    expect(() => random.PRNGKey(np.array([1, 2]).astype("int32"))).toThrow("PRNGKey accepts a scalar seed, but was given an array of shape (2,) != ()");
    expect(() => random.foldIn(k, np.array([1, 2]).astype("int32"))).toThrow("fold_in accepts a scalar");
    expect(() => random.bernoulli(k, np.array([1, 0]).astype("int32"))).toThrow("bernoulli probability `p` must have a floating dtype, got int32.");
    expect(() => random.randint(k, [3], np.array([0, 1]).astype("int32"), 5)).toThrow("Incompatible shapes for broadcasting: shapes=[(3,), (2,), ()]");
    expect(() => random.randint(k, [3], np.zeros([2, 3], { dtype: "int32" }), 5)).toThrow(
      "randint parameter shapes must be broadcast-compatible with shape argument, and the result of broadcasting the shapes must equal the shape argument, but got result (2, 3) for shape argument (3,).",
    );
    expect(() => random.permutation(k, np.array(2.5))).toThrow("x must be an integer or at least 1-dimensional");
    expect(() => random.choice(k, 3, { shape: [4], replace: false })).toThrow("Cannot take a larger sample (size 4) than population (size 3) when 'replace=False'");
    expect(() => random.choice(k, 3, { p: np.array([0.5, 0.5]) })).toThrow("p must be None or a 1D vector with the same size as a.shape[axis]. p has shape (2,) and a.shape[axis] is 3.");
    expect(() => random.categorical(k, np.zeros([4, 3]), { shape: [3] })).toThrow("Incompatible shapes for broadcasting: shapes=[(3,), (4,)]");
    expect(() => random.categorical(k, np.zeros([4, 3]), { shape: [4, 1] })).toThrow("categorical parameter shapes must be broadcast-compatible");
  });

  it("needs a concrete size for permutation under jit", () => {
    const f = jit((n: Array) => random.permutation(k, n));
    expect(() => f(np.array(5, { dtype: "int32" }))).toThrow(ConcretizationTypeError);
  });
});
