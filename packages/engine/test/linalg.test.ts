// Contractions and norms (numpy/linalg.ts): values against numpy (fixtures/shape_linalg.json,
// made by fixtures/gen_shape_linalg.py), eager and under jit; matmul's broadcasting and 1-D
// rules; einsum's subscript forms; promotion (int stays int, bool stays bool, mixed inputs go
// to dot_general with preferred_element_type); error messages; golden jaxprs.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { numpy as np, lax, jit, makeJaxpr, grad, vmap } from "../src/index.js";
import type { Array } from "../src/index.js";
import * as la from "../src/numpy/linalg.js";
import * as sh from "../src/numpy/shape_ops.js";

type Enc = { dtype: "float32" | "int32" | "bool"; shape: number[]; data: (number | boolean)[] };
interface Case {
  fn: string;
  note: string;
  args: Enc[];
  params: Record<string, any>;
  out: Enc | Enc[];
  tol: "exact" | number;
}
const fixture: { cases: Case[] } = JSON.parse(readFileSync(fileURLToPath(new URL("./fixtures/shape_linalg.json", import.meta.url)), "utf8"));

function decode(e: Enc): Array {
  const data = e.dtype === "float32" ? Float32Array.from(e.data as number[]) : e.dtype === "int32" ? Int32Array.from(e.data as number[]) : Uint8Array.from(e.data.map(Number));
  return lax.reshape(np.array(data), e.shape);
}
const values = (x: Array): number[] => globalThis.Array.from((x as any).dataSync() as ArrayLike<number>);

function expectClose(got: Array, want: Enc, tol: "exact" | number, label: string): void {
  expect(got.dtype, `${label}: dtype`).toBe(want.dtype);
  expect([...got.shape], `${label}: shape`).toEqual(want.shape);
  const g = values(got);
  const w = want.data.map(Number);
  for (let i = 0; i < w.length; i++) {
    const ok = tol === "exact" ? g[i] === w[i] : Math.abs(g[i] - w[i]) <= tol * Math.max(1, Math.abs(w[i]));
    if (!ok) expect(g, `${label}: values`).toEqual(w);
  }
}

const ord = (v: unknown) => (v === "inf" ? Infinity : v === "-inf" ? -Infinity : v);

const CALL: Record<string, (xs: Array[], p: Record<string, any>) => Array> = {
  matmul: ([a, b]) => la.matmul(a, b),
  dot: ([a, b]) => la.dot(a, b),
  vdot: ([a, b]) => la.vdot(a, b),
  inner: ([a, b]) => la.inner(a, b),
  outer: ([a, b]) => la.outer(a, b),
  tensordot: ([a, b], p) => la.tensordot(a, b, p.axes),
  kron: ([a, b]) => la.kron(a, b),
  cross: ([a, b], p) => la.cross(a, b, p),
  einsum: (xs, p) => la.einsum(p.subscripts, ...xs),
  norm: ([x], p) => la.linalg.norm(x, { ord: ord(p.ord) as any, axis: p.axis, keepdims: p.keepdims }),
  vectorNorm: ([x], p) => la.linalg.vectorNorm(x, { ord: p.ord, axis: p.axis, keepdims: p.keepdims }),
  matrixNorm: ([x], p) => la.linalg.matrixNorm(x, { ord: ord(p.ord) as any, keepdims: p.keepdims }),
};

describe("contractions and norms against numpy (fixtures/shape_linalg.json)", () => {
  const cases = fixture.cases.filter((c) => c.fn in CALL);
  it("has cases for every function", () => {
    for (const fn of Object.keys(CALL)) expect(cases.some((c) => c.fn === fn), fn).toBe(true);
  });
  cases.forEach((c, i) => {
    const label = `${c.fn}#${i} ${JSON.stringify(c.params)} ${c.args.map((a) => `${a.dtype}(${a.shape})`).join(" ")}`;
    it(label, () => {
      const args = c.args.map(decode);
      expectClose(CALL[c.fn](args, c.params), c.out as Enc, c.tol, "eager");
      expectClose(jit((...xs: Array[]) => CALL[c.fn](xs, c.params))(...args), c.out as Enc, c.tol, "jit");
    });
  });
});

const f32 = (data: number[], shape: number[]) => sh.reshape(np.array(data), shape);
const i32 = (data: number[], shape: number[]) => sh.reshape(np.array(data, { dtype: "int32" }), shape);
const iota = (n: number, shape: number[]) => sh.reshape(np.arange(0, n, 1, { dtype: "float32" }), shape);

describe("golden jaxprs", () => {
  it("matmul of f32[3,4] @ f32[4,5] is one dot_general", () => {
    expect(makeJaxpr((a: Array, b: Array) => la.matmul(a, b))(np.zeros([3, 4]), np.zeros([4, 5])).toString()).toBe(
      [
        "{ lambda ; a:f32[3,4] b:f32[4,5]. let",
        "    c:f32[3,5] = dot_general[",
        "      dimension_numbers=(([1], [0]), ([], []))",
        "      precision=None",
        "      preferred_element_type=float32",
        "    ] a b",
        "  in (c,) }",
      ].join("\n"),
    );
  });
  it("batched matmul uses batch dimension numbers", () => {
    const s = makeJaxpr((a: Array, b: Array) => la.matmul(a, b))(np.zeros([2, 3, 4]), np.zeros([2, 4, 5])).toString();
    expect(s).toContain("dimension_numbers=(([2], [1]), ([0], [0]))");
    expect(s).not.toContain("transpose");
  });
  it("mixed int/float matmul passes both dtypes to dot_general (no convert), as JAX does", () => {
    const s = makeJaxpr((a: Array, b: Array) => la.matmul(a, b))(np.zeros([3, 4]), np.zeros([4, 5], { dtype: "int32" })).toString();
    expect(s).toBe(
      [
        "{ lambda ; a:f32[3,4] b:i32[4,5]. let",
        "    c:f32[3,5] = dot_general[",
        "      dimension_numbers=(([1], [0]), ([], []))",
        "      precision=None",
        "      preferred_element_type=float32",
        "    ] a b",
        "  in (c,) }",
      ].join("\n"),
    );
  });
  it("einsum ij,jk->ik is one dot_general; ij->ji one transpose; ii-> a select and a reduce_sum", () => {
    const mm = makeJaxpr((a: Array, b: Array) => la.einsum("ij,jk->ik", a, b))(np.zeros([3, 4]), np.zeros([4, 5])).toString();
    expect(mm).toBe(makeJaxpr((a: Array, b: Array) => la.matmul(a, b))(np.zeros([3, 4]), np.zeros([4, 5])).toString());
    expect(makeJaxpr((a: Array) => la.einsum("ij->ji", a))(np.zeros([3, 4])).toString()).toBe(
      "{ lambda ; a:f32[3,4]. let b:f32[4,3] = transpose[permutation=(1, 0)] a in (b,) }",
    );
    const tr = makeJaxpr((a: Array) => la.einsum("ii->", a))(np.zeros([3, 3])).toString();
    expect(tr).toContain("select_n");
    expect(tr).toContain("reduce_sum[axes=(0, 1)]");
    expect(tr).not.toContain("dot_general");
  });
});

describe("promotion", () => {
  it("int32 @ int32 stays int32; bool @ bool is bool (an or of ands)", () => {
    const r = la.matmul(i32([1, 2, 3, 4], [2, 2]), i32([5, 6, 7, 8], [2, 2]));
    expect([r.dtype, values(r)]).toEqual(["int32", [19, 22, 43, 50]]);
    const a = sh.reshape(np.array([true, false, false, false]), [2, 2]);
    const b = sh.reshape(np.array([false, true, true, false]), [2, 2]);
    const p = la.matmul(a, b);
    expect([p.dtype, values(p)]).toEqual(["bool", [0, 1, 0, 0]]);
    expect(la.einsum("ij,jk", a, b).dtype).toBe("bool");
    expect(values(la.einsum("ij->", a))).toEqual([1]);
  });
  it("mixed dtypes promote; weak operands take the other's dtype", () => {
    const r = la.matmul(i32([1, 2], [1, 2]), f32([0.5, 0.25], [2, 1]));
    expect([r.dtype, values(r)]).toEqual(["float32", [1]]);
    expect(la.dot(i32([1, 2], [2]), 2).dtype).toBe("int32");
    expect(values(la.dot(i32([1, 2], [2]), 2))).toEqual([2, 4]);
    expect(la.dot(f32([1, 2], [2]), 2.5).dtype).toBe("float32");
    const w = la.matmul(sh.broadcastTo(1.5, [2]), sh.broadcastTo(2, [2]));
    expect([w.dtype, w.weakType, w.item()]).toEqual(["float32", true, 6]);
    expect(la.einsum("i,i", i32([1, 2], [2]), f32([1, 1], [2])).dtype).toBe("float32");
    expect(la.tensordot(i32([1, 2], [2]), i32([3, 4], [2]), 1).dtype).toBe("int32");
    expect(la.outer(i32([1, 2], [2]), f32([1], [1])).dtype).toBe("float32");
  });
  it("preferredElementType", () => {
    const r = la.matmul(i32([1, 2], [1, 2]), i32([3, 4], [2, 1]), { preferredElementType: "float32" });
    expect([r.dtype, values(r)]).toEqual(["float32", [11]]);
    expect(la.einsum("i,i->", i32([1, 2], [2]), i32([3, 4], [2]), { preferredElementType: "float32" }).dtype).toBe("float32");
  });
  it("norms of integers are float32", () => {
    const n = la.linalg.norm(i32([3, 4], [2]));
    expect([n.dtype, n.item()]).toEqual(["float32", 5]);
    expect(la.linalg.norm(i32([3, -4], [2]), { ord: 1 }).item()).toBe(7);
    expect(la.linalg.norm(i32([0, -4, 2], [3]), { ord: 0 }).item()).toBe(2);
  });
});

describe("einsum", () => {
  const a34 = iota(12, [3, 4]);
  const a45 = iota(20, [4, 5]);
  it("the listed subscripts match their matmul/transpose/trace/… equivalents", () => {
    const eq = (x: Array, y: Array) => {
      expect([...x.shape]).toEqual([...y.shape]);
      expect(values(x)).toEqual(values(y));
    };
    eq(la.einsum("ij,jk->ik", a34, a45), la.matmul(a34, a45));
    eq(la.einsum("ij->ji", a34), sh.transpose(a34));
    const sq = iota(16, [4, 4]);
    eq(la.einsum("ii->", sq), sh.trace(sq));
    eq(la.einsum("ii->i", sq), sh.diagonal(sq));
    expect(la.einsum("ij->", a34).item()).toBe(66);
    const b1 = iota(24, [2, 3, 4]);
    const b2 = iota(40, [2, 4, 5]);
    eq(la.einsum("bij,bjk->bik", b1, b2), la.matmul(b1, b2));
    const v = iota(4, [4]);
    expect(la.einsum("i,i->", v, v).item()).toBe(14);
    eq(la.einsum("i,j->ij", iota(3, [3]), v), la.outer(iota(3, [3]), v));
    eq(la.einsum("...ij,...jk->...ik", b1, b2), la.matmul(b1, b2));
    eq(la.einsum("ijk->kji", b1), sh.transpose(b1));
    eq(la.einsum(" i j , j k -> i k ", a34, a45), la.matmul(a34, a45));
  });
  it("errors", () => {
    expect(() => la.einsum("ij,jk->ik", a34)).toThrow("fewer operands provided to einstein sum function than specified in the subscripts string");
    expect(() => la.einsum("ij->ij", a34, a34)).toThrow("more operands provided to einstein sum function than specified in the subscripts string");
    expect(() => la.einsum("ij,jk->ik", a34, a34)).toThrow("Size of label 'j' for operand 1 (3) does not match previous terms (4).");
    expect(() => la.einsum("ijk", a34)).toThrow("einstein sum subscripts string contains too many subscripts for operand 0");
    expect(() => la.einsum("i", a34)).toThrow("operand has more dimensions than subscripts given in einstein sum, but no '...' ellipsis provided");
    expect(() => la.einsum("ij->iz", a34)).toThrow("einstein sum subscripts string included output subscript 'z' which never appeared in an input");
    expect(() => la.einsum("ij->ii", a34)).toThrow("einstein sum subscripts string includes output subscript 'i' multiple times");
    expect(() => la.einsum("ii->i", a34)).toThrow("dimensions in operand 0 for collapsing index 'i' don't match (3 != 4)");
    expect(() => la.einsum("i.j", a34)).toThrow("einstein sum subscripts string contains a '.' that is not part of an ellipsis ('...')");
    expect(() => la.einsum("i1", a34)).toThrow("invalid subscript '1'");
  });
});

describe("error messages", () => {
  it("matmul", () => {
    expect(() => la.matmul(np.zeros([2, 4]), np.zeros([3, 5]))).toThrow(
      "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (n?,k),(k,m?)->(n?,m?) (size 3 is different from 4); operand shapes are (2, 4) and (3, 5).",
    );
    expect(() => la.matmul(np.zeros([4]), np.zeros([3]))).toThrow("(size 3 is different from 4); operand shapes are (4,) and (3,).");
    expect(() => la.matmul(np.zeros([2, 2, 4]), np.zeros([3, 4, 5]))).toThrow("Incompatible shapes for matmul arguments: (2, 2, 4) and (3, 4, 5)");
    expect(() => la.matmul(np.zeros([3]), 2)).toThrow("matmul input operand 1 must have ndim at least 1, but it has ndim 0");
    expect(() => la.matmul(np.zeros([3]), [1, 2, 3] as any)).toThrow("matmul requires ndarray or scalar arguments, got a JS array at position 1.");
  });
  it("dot, inner, tensordot, cross, kron", () => {
    expect(() => la.dot(np.zeros([2, 4]), np.zeros([3, 5]))).toThrow("dot: shapes (2,4) and (3,5) not aligned: 4 (dim 1) != 3 (dim 0)");
    expect(() => la.inner(np.zeros([2, 4]), np.zeros([3]))).toThrow("inner: shapes (2,4) and (3,) not aligned");
    expect(() => la.tensordot(np.zeros([3]), np.zeros([3]), 2)).toThrow("Number of tensordot axes (axes 2) exceeds input ranks ((3,) and (3,))");
    expect(() => la.tensordot(np.zeros([3, 4]), np.zeros([3, 4]), 1)).toThrow("tensordot: shape-mismatch for sum");
    expect(() => la.tensordot(np.zeros([3, 4]), np.zeros([3, 4]), [[0, 1], [0]])).toThrow("tensordot requires axes lists to have equal length");
    expect(() => la.cross(np.zeros([4]), np.zeros([3]))).toThrow("Dimension must be either 2 or 3 for cross product");
  });
  it("norms", () => {
    expect(() => la.linalg.norm(np.zeros([2, 2]), { ord: "nuc" })).toThrow("SVD");
    expect(() => la.linalg.norm(np.zeros([2, 2]), { ord: 3 })).toThrow("Invalid order '3' for matrix norm.");
    expect(() => la.linalg.norm(np.zeros([2]), { ord: "fro" })).toThrow("Invalid order 'fro' for vector norm.");
    expect(() => la.linalg.norm(np.zeros([2, 2, 2]), { ord: 1 })).toThrow("Invalid axis values ((0, 1, 2)) for jnp.linalg.norm.");
    expect(() => la.linalg.norm(np.zeros([2, 2]), { axis: [0, 0] })).toThrow("Duplicate axes");
    expect(() => la.linalg.norm(np.zeros([0]), { ord: Infinity })).toThrow("zero-size array to reduction operation max which has no identity");
  });
});

describe("more values", () => {
  it("vecdot, kron, cross with axis, linalg helpers", () => {
    const a = iota(6, [2, 3]);
    const b = iota(3, [3]);
    expect(values(la.linalg.vecdot(a, b))).toEqual([5, 14]);
    expect(values(la.linalg.vecdot(a, iota(2, [2, 1]), { axis: 0 })).length).toBe(3);
    expect(values(la.linalg.matrixTranspose(a))).toEqual(values(sh.transpose(a)));
    expect(values(la.linalg.diagonal(iota(8, [2, 2, 2])))).toEqual([0, 3, 4, 7]);
    expect(values(la.linalg.trace(iota(8, [2, 2, 2])))).toEqual([3, 11]);
    expect(() => la.linalg.outer(a, b)).toThrow("Input arrays must be one-dimensional");
    expect(values(la.cross(f32([1, 0, 0, 1, 0, 0], [3, 2]), f32([0, 1, 0, 0, 1, 1], [3, 2]), { axis: 0 }))).toEqual([0, 1, -1, 0, 0, -1]);
  });
  it("size-0 contractions give zeros", () => {
    expect(values(la.matmul(np.zeros([2, 0]), np.zeros([0, 3])))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(la.dot(np.zeros([0]), np.zeros([0])).item()).toBe(0);
    expect(la.linalg.norm(np.zeros([0])).item()).toBe(0);
    expect([...la.einsum("ij,jk->ik", np.zeros([0, 2]), np.zeros([2, 3])).shape]).toEqual([0, 3]);
  });
  it("size-1 batch broadcasting in matmul", () => {
    const a = iota(12, [1, 3, 4]);
    const b = iota(40, [2, 4, 5]);
    const r = la.matmul(a, b);
    expect([...r.shape]).toEqual([2, 3, 5]);
    const r0 = la.matmul(sh.reshape(a, [3, 4]), sh.reshape(lax.slice(b, [1, 0, 0], [2, 4, 5]), [4, 5]));
    expect(values(r).slice(15)).toEqual(values(r0));
  });
});

describe("jit matches eager", () => {
  const x = iota(24, [2, 3, 4]);
  const y = iota(20, [4, 5]);
  const fns: [string, (a: Array, b: Array) => Array][] = [
    ["matmul", (a, b) => la.matmul(a, b)],
    ["dot", (a, b) => la.dot(a, b)],
    ["tensordot", (a, b) => la.tensordot(a, b, [[2], [0]])],
    ["einsum 3 operands", (a, b) => la.einsum("bij,jk,bik->b", a, b, iota(30, [2, 3, 5]))],
    ["einsum ellipsis", (a, b) => la.einsum("...j,jk", a, b)],
    ["kron", (a, b) => la.kron(sh.reshape(a, [6, 4]), b)],
    ["norm", (a) => la.linalg.norm(a, { axis: [0, 2], ord: Infinity, keepdims: true })],
    ["vector p-norm", (a) => la.linalg.vectorNorm(a, { ord: 3, axis: -1 })],
  ];
  for (const [name, f] of fns) {
    it(name, () => {
      const e = f(x, y);
      const j = jit(f)(x, y);
      expect([...j.shape]).toEqual([...e.shape]);
      expect(j.dtype).toBe(e.dtype);
      const ev = values(e);
      values(j).forEach((v, i) => expect(Math.abs(v - ev[i])).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(ev[i]))));
    });
  }
});

describe("transformations", () => {
  it("grad through einsum and matmul", () => {
    const x = iota(12, [3, 4]);
    const s = iota(9, [3, 3]);
    // d/da sum_ijk a_ij a_kj s_kk = sum_k a_kq s_kk + s_pp sum_i a_iq
    const g = grad((a: Array) => la.einsum("ij,kj,kk->", a, a, s))(x);
    expect(values(g)).toEqual([80, 92, 104, 116, 128, 152, 176, 200, 176, 212, 248, 284]);
    const gm = grad((a: Array) => la.einsum("ij->", la.matmul(a, sh.transpose(a))))(x);
    // d/da sum(a @ a.T) = 2 * (column sums of a), broadcast over rows.
    expect(values(gm)).toEqual(values(np.multiply(2, sh.broadcastTo(la.einsum("ij->j", x), [3, 4]))));
  });
  it("vmap of matmul and einsum", () => {
    const xs = iota(24, [2, 3, 4]);
    const w = iota(20, [4, 5]);
    const v = vmap((a: Array) => la.matmul(a, w))(xs);
    expect(values(v)).toEqual(values(la.matmul(xs, w)));
    const e = vmap((a: Array) => la.einsum("ij,kj->ik", a, a))(xs);
    expect(values(e)).toEqual(values(la.matmul(xs, sh.swapaxes(xs, -1, -2))));
  });
});
