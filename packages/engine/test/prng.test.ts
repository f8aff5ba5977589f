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
      "{ lambda ; a:u32[2] b:u32[2]. let c:u32[2] d:u32[2] = threefry2x32 1:u32[] 2:u32[] a b in (c, d) }",
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
    let key = random.key(0);
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
    const key = random.key(0);
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
    expect(String(x)).toBe("[-0.3721109   0.26423115 -0.18252768 -0.7368197  -0.44030377 -0.1521442\n -0.67135346 -0.5908641   0.73168886  0.5673026 ]");
  });

  it("prng-stateful-rng-key0: fold_in(key(0), 0 and 1) equal split(key(0)) (partitionable=True)", () => {
    const k = random.key(0);
    expect(String(random.foldIn(k, 0))).toBe("[1797259609 2579123966]");
    expect(String(random.foldIn(k, 1))).toBe("[ 928981903 3453687069]");
    expect(data(random.split(k))).toEqual([...data(random.foldIn(k, 0)), ...data(random.foldIn(k, 1))]);
  });

  it("prng-issubdtype-prng_key: raw keys are plain uint32 arrays (Kiln has no typed key dtype yet)", () => {
    // JAX: issubdtype(key(0).dtype, prng_key) is True, and False for PRNGKey(0). Kiln's key() returns
    // raw key data too, so only the raw half of the case carries over.
    expect(random.PRNGKey(0).dtype).toBe("uint32");
    expect(random.key(0).dtype).toBe("uint32");
    expect(random.key(0).shape).toEqual([2]);
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
