/**
 * jax.nn (nn/index.ts): activation values at special points, dtypes, softmax/logsumexp
 * stability and masking, one-hot encoding, standardize, jaxprs and errors. Values over a
 * range of inputs (eager and jit) are checked by the fixture runner in reductions.test.ts.
 */
import { describe, expect, it } from "vitest";
import { numpy as np, nn, jit, makeJaxpr } from "../src/index.js";
import type { ArrayImpl } from "../src/array.js";

const values = (x: np.Array) => Array.from((x as ArrayImpl).dataSync() as ArrayLike<number>, Number);
const f32 = (x: number[]) => np.array(x, { dtype: "float32" });
const i32 = (x: number[]) => np.array(x, { dtype: "int32" });

describe("activations", () => {
  it("keep float dtypes and promote integers where JAX's formula does", () => {
    expect(nn.relu(i32([-1, 2])).dtype).toBe("int32");
    expect(values(nn.relu(i32([-1, 2])))).toEqual([0, 2]);
    expect(nn.sigmoid(i32([0])).dtype).toBe("float32");
    expect(nn.gelu(i32([1])).dtype).toBe("float32");
    expect(nn.softmax(i32([1, 2])).dtype).toBe("float32");
    expect(nn.relu(np.array([1, -1], { dtype: "float16" })).dtype).toBe("float16");
  });
  it("agree with the closed forms at special points", () => {
    expect(nn.sigmoid(0).item()).toBe(0.5);
    expect(nn.softplus(0).item()).toBeCloseTo(Math.LN2, 6);
    expect(nn.softplus(100).item()).toBe(100);
    expect(nn.logSigmoid(-100).item()).toBe(-100);
    expect(nn.relu6(7).item()).toBe(6);
    expect(nn.hardTanh(-2).item()).toBe(-1);
    expect(nn.leakyRelu(-2).item()).toBeCloseTo(-0.02, 7);
    expect(nn.elu(-1000).item()).toBe(-1);
    expect(nn.elu(1000).item()).toBe(1000);
    expect(nn.selu(1).item()).toBeCloseTo(1.0507009873554805, 6);
    expect(nn.silu(f32([Infinity])).item()).toBe(Infinity);
    expect(Number.isNaN(nn.relu(f32([NaN])).item() as number)).toBe(true);
  });
  it("gelu defaults to the tanh approximation, exact uses erf", () => {
    const approx = nn.gelu(1).item() as number;
    const exact = nn.gelu(1, { approximate: false }).item() as number;
    expect(approx).toBeCloseTo(0.8411920071, 6);
    expect(exact).toBeCloseTo(0.8413447461, 6);
    expect(makeJaxpr((x: np.Array) => nn.gelu(x))(np.ones([3])).toString()).toBe(
      [
        "{ lambda ; a:f32[3]. let",
        "    b:f32[3] = integer_pow[y=3] a",
        "    c:f32[3] = mul 0.044715:f32[] b",
        "    d:f32[3] = add a c",
        "    e:f32[3] = mul 0.7978846:f32[] d",
        "    f:f32[3] = tanh e",
        "    g:f32[3] = add 1.0:f32[] f",
        "    h:f32[3] = mul 0.5:f32[] g",
        "    i:f32[3] = mul a h",
        "  in (i,) }",
      ].join("\n"),
    );
  });
  it("glu halves the axis", () => {
    expect([...nn.glu(np.ones([2, 6])).shape]).toEqual([2, 3]);
    expect([...nn.glu(np.ones([4, 3]), { axis: 0 }).shape]).toEqual([2, 3]);
    expect(() => nn.glu(np.ones([2, 5]))).toThrow("glu: axis size must be divisible by 2, got 5.");
  });
});

describe("softmax family", () => {
  it("is stable for large inputs and sums to one", () => {
    const p = nn.softmax(f32([1000, 1001, 1002]));
    expect(values(p).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
    expect(values(p)[2]).toBeCloseTo(0.66524096, 6);
    expect(values(nn.logSoftmax(f32([1000, 1000])))).toEqual([-Math.fround(Math.LN2), -Math.fround(Math.LN2)]);
    expect(values(nn.softmax(f32([0, -Infinity])))).toEqual([1, 0]);
  });
  it("masks with where", () => {
    const w = np.array([true, false, true]);
    expect(values(nn.softmax(f32([1, 5, 1]), { where: w }))).toEqual([0.5, 0, 0.5]);
    expect(values(nn.logSoftmax(f32([1, 5, 1]), { where: w }))).toEqual([-Math.fround(Math.LN2), -Infinity, -Math.fround(Math.LN2)]);
  });
  it("prints JAX's softmax jaxpr (max with initial -inf, then exp and normalize)", () => {
    expect(makeJaxpr((x: np.Array) => nn.softmax(x))(np.ones([2, 3])).toString()).toBe(
      [
        "{ lambda ; a:f32[2,3]. let",
        "    b:f32[2] = reduce_max[axes=(1,)] a",
        "    c:f32[2] = max -inf:f32[] b",
        "    d:f32[2,1] = broadcast_in_dim[broadcast_dimensions=(0,) shape=(2, 1)] c",
        "    e:f32[2,3] = sub a d",
        "    f:f32[2,3] = exp e",
        "    g:f32[2] = reduce_sum[axes=(1,)] f",
        "    h:f32[2,1] = broadcast_in_dim[broadcast_dimensions=(0,) shape=(2, 1)] g",
        "    i:f32[2,3] = div f h",
        "  in (i,) }",
      ].join("\n"),
    );
  });
  it("logsumexp handles -inf, weights and keepdims", () => {
    expect(nn.logsumexp(f32([-Infinity, -Infinity])).item()).toBe(-Infinity);
    expect(nn.logsumexp(f32([1000, 1000])).item()).toBeCloseTo(1000 + Math.LN2, 3);
    expect(nn.logsumexp(f32([0, 0]), { b: f32([2, 0]) }).item()).toBeCloseTo(Math.LN2, 6);
    expect(Number.isNaN(nn.logsumexp(f32([0, 1]), { b: f32([1, -1]) }).item() as number)).toBe(true);
    expect([...nn.logsumexp(np.ones([2, 3]), { axis: 1, keepdims: true }).shape]).toEqual([2, 1]);
    expect([...nn.logsumexp(np.ones([2, 3])).shape]).toEqual([]);
    expect(() => nn.logsumexp(np.ones([2, 3]), { axis: 2 })).toThrow("logsumexp: axis 2 is out of bounds for array of dimension 2");
  });
});

describe("oneHot and standardize", () => {
  it("encodes classes and gives zero rows out of range", () => {
    const oh = nn.oneHot(i32([0, 2, 3, -1]), 3);
    expect(oh.dtype).toBe("float32");
    expect([...oh.shape]).toEqual([4, 3]);
    expect(values(oh)).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(values(nn.oneHot(i32([1, 0]), 2, { axis: 0, dtype: "int32" }))).toEqual([0, 1, 1, 0]);
    expect(nn.oneHot(2, 4).dtype).toBe("float32");
    expect(values(nn.oneHot(2, 4))).toEqual([0, 0, 1, 0]);
    expect(() => nn.oneHot(i32([1]), 2.5)).toThrow(/numClasses must be a non-negative integer/);
    expect(() => nn.oneHot(i32([1]), 2, { axis: 2 })).toThrow("one_hot: axis 2 is out of bounds for array of dimension 2");
  });
  it("standardizes to zero mean and unit variance", () => {
    const s = nn.standardize(f32([1, 2, 3, 4]));
    const v = values(s);
    expect(v.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 5);
    expect(v.reduce((a, b) => a + b * b, 0) / 4).toBeCloseTo(1, 4);
    expect(nn.normalize).toBe(nn.standardize);
  });
});

describe("under jit", () => {
  it("gives the same values as eager", () => {
    const x = np.array([[-2, 0.5, 3], [1, -1, 0]]);
    const fns: ((a: np.Array) => np.Array)[] = [
      (a) => nn.gelu(a, { approximate: false }),
      (a) => nn.logSoftmax(a, { axis: 0 }),
      (a) => nn.logsumexp(a, { axis: 1, b: f32([1, 2, 0.5]) }),
      (a) => nn.standardize(a, { axis: [0, 1] }),
      (a) => nn.oneHot(a, 4),
      (a) => nn.celu(a, 0.5),
    ];
    for (const f of fns) expect(values(jit(f)(x))).toEqual(values(f(x)));
  });
  it("rejects JS arrays like the other jnp functions", () => {
    expect(() => nn.relu([1, 2] as never)).toThrow("relu requires ndarray or scalar arguments, got a JS array at position 0.");
    expect(() => nn.softmax([1, 2] as never)).toThrow("softmax requires ndarray or scalar arguments, got a JS array at position 0.");
  });
});
