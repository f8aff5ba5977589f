// jnp shape functions (numpy/shape_ops.ts): values against numpy (fixtures/shape_linalg.json, made
// by fixtures/gen_shape_linalg.py), eager and under jit; dtypes and weak types; size-0 and size-1
// axes; negative axes; error messages; and golden jaxprs for the ops JAX traces distinctively.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { numpy as np, lax, jit, makeJaxpr, grad, vmap } from "../src/index.js";
import type { Array } from "../src/index.js";
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

/** Calls the function a fixture case names with its params (Kiln's option names). */
const CALL: Record<string, (xs: Array[], p: Record<string, any>) => Array | Array[]> = {
  reshape: ([x], p) => sh.reshape(x, p.shape),
  ravel: ([x]) => sh.ravel(x),
  transpose: ([x], p) => sh.transpose(x, p.axes),
  swapaxes: ([x], p) => sh.swapaxes(x, p.axis1, p.axis2),
  moveaxis: ([x], p) => sh.moveaxis(x, p.source, p.destination),
  expandDims: ([x], p) => sh.expandDims(x, p.axis),
  squeeze: ([x], p) => sh.squeeze(x, p.axis),
  concatenate: (xs, p) => sh.concatenate(xs, "axis" in p ? { axis: p.axis } : {}),
  stack: (xs, p) => sh.stack(xs, { axis: p.axis }),
  hstack: (xs) => sh.hstack(xs),
  vstack: (xs) => sh.vstack(xs),
  dstack: (xs) => sh.dstack(xs),
  columnStack: (xs) => sh.columnStack(xs),
  append: ([a, b], p) => sh.append(a, b, { axis: p.axis }),
  split: ([x], p) => sh.split(x, p.sections ?? p.indices, { axis: p.axis }),
  arraySplit: ([x], p) => sh.arraySplit(x, p.sections ?? p.indices, { axis: p.axis }),
  hsplit: ([x], p) => sh.hsplit(x, p.sections ?? p.indices),
  vsplit: ([x], p) => sh.vsplit(x, p.sections ?? p.indices),
  tile: ([x], p) => sh.tile(x, p.reps),
  repeat: ([x], p) => sh.repeat(x, p.repeats, { axis: p.axis }),
  broadcastTo: ([x], p) => sh.broadcastTo(x, p.shape),
  broadcastArrays: (xs) => sh.broadcastArrays(...xs),
  flip: ([x], p) => sh.flip(x, p.axis),
  fliplr: ([x]) => sh.fliplr(x),
  flipud: ([x]) => sh.flipud(x),
  roll: ([x], p) => sh.roll(x, p.shift, { axis: p.axis }),
  rot90: ([x], p) => sh.rot90(x, p.k, p.axes ? { axes: p.axes } : {}),
  pad: ([x], p) => sh.pad(x, p.padWidth, { mode: p.mode, constantValues: p.constantValues, reflectType: p.reflectType }),
  where: ([c, x, y]) => sh.where(c, x, y),
  atleast1d: ([x]) => sh.atleast1d(x),
  atleast2d: ([x]) => sh.atleast2d(x),
  atleast3d: ([x]) => sh.atleast3d(x),
  diag: ([x], p) => sh.diag(x, p.k),
  diagonal: ([x], p) => sh.diagonal(x, p),
  diagflat: ([x], p) => sh.diagflat(x, p.k),
  trace: ([x], p) => sh.trace(x, p),
  meshgrid: (xs, p) => sh.meshgrid(...xs, { indexing: p.indexing }),
};

describe("shape ops against numpy (fixtures/shape_linalg.json)", () => {
  const cases = fixture.cases.filter((c) => c.fn in CALL);
  it("has cases for every shape function", () => {
    for (const fn of Object.keys(CALL)) expect(cases.some((c) => c.fn === fn), fn).toBe(true);
  });
  cases.forEach((c, i) => {
    const label = `${c.fn}#${i} ${JSON.stringify(c.params)} ${c.args.map((a) => `(${a.shape})`).join(" ")} ${c.note}`;
    it(label, () => {
      const args = c.args.map(decode);
      const check = (got: Array | Array[], how: string) => {
        if (globalThis.Array.isArray(c.out)) {
          const outs = got as Array[];
          expect(outs.length, `${how}: number of outputs`).toBe(c.out.length);
          c.out.forEach((o, k) => expectClose(outs[k], o, c.tol, `${how} output ${k}`));
        } else expectClose(got as Array, c.out, c.tol, how);
      };
      check(CALL[c.fn](args, c.params), "eager");
      check(jit((...xs: Array[]) => CALL[c.fn](xs, c.params))(...args) as Array | Array[], "jit");
    });
  });
});

const f32 = (data: number[], shape?: number[]) => (shape ? sh.reshape(np.array(data), shape) : np.array(data));
const i32 = (data: number[], shape?: number[]) => (shape ? sh.reshape(np.array(data, { dtype: "int32" }), shape) : np.array(data, { dtype: "int32" }));
const iota = (n: number, shape: number[], dtype: "float32" | "int32" = "float32") => sh.reshape(np.arange(0, n, 1, { dtype }), shape);

describe("golden jaxprs", () => {
  it("reshape binds reshape[dimensions=None new_sizes=(...)]", () => {
    expect(makeJaxpr((x: Array) => sh.reshape(x, [2, -1]))(np.zeros([3, 4])).toString()).toBe(
      [
        "{ lambda ; a:f32[3,4]. let",
        "    b:f32[2,6] = reshape[dimensions=None new_sizes=(2, 6)] a",
        "  in (b,) }",
      ].join("\n"),
    );
  });
  it("reshape to the same shape and identity transpose bind nothing", () => {
    expect(makeJaxpr((x: Array) => sh.transpose(sh.reshape(x, [3, 4]), [0, 1]))(np.zeros([3, 4])).toString()).toBe("{ lambda ; a:f32[3,4]. let  in (a,) }");
  });
  it("transpose binds transpose[permutation=(...)]", () => {
    expect(makeJaxpr((x: Array) => sh.transpose(x))(np.zeros([2, 3, 4])).toString()).toBe(
      [
        "{ lambda ; a:f32[2,3,4]. let",
        "    b:f32[4,3,2] = transpose[permutation=(2, 1, 0)] a",
        "  in (b,) }",
      ].join("\n"),
    );
    expect(makeJaxpr((x: Array) => sh.moveaxis(x, 0, -1))(np.zeros([2, 3, 4])).toString()).toBe(
      [
        "{ lambda ; a:f32[2,3,4]. let",
        "    b:f32[3,4,2] = transpose[permutation=(1, 2, 0)] a",
        "  in (b,) }",
      ].join("\n"),
    );
  });
  it("expand_dims binds broadcast_in_dim", () => {
    expect(makeJaxpr((x: Array) => sh.expandDims(x, [0, -1]))(np.zeros([3])).toString()).toBe(
      [
        "{ lambda ; a:f32[3]. let",
        "    b:f32[1,3,1] = broadcast_in_dim[broadcast_dimensions=(1,) shape=(1, 3, 1)] a",
        "  in (b,) }",
      ].join("\n"),
    );
  });
  it("stack is expand_dims of each operand and one concatenate", () => {
    expect(makeJaxpr((x: Array, y: Array) => sh.stack([x, y]))(np.zeros([3]), np.ones([3])).toString()).toBe(
      [
        "{ lambda ; a:f32[3] b:f32[3]. let",
        "    c:f32[1,3] = broadcast_in_dim[broadcast_dimensions=(1,) shape=(1, 3)] a",
        "    d:f32[1,3] = broadcast_in_dim[broadcast_dimensions=(1,) shape=(1, 3)] b",
        "    e:f32[2,3] = concatenate[dimension=0] c d",
        "  in (e,) }",
      ].join("\n"),
    );
  });
  it("concatenate binds one concatenate, promoting first", () => {
    expect(makeJaxpr((x: Array, y: Array) => sh.concatenate([x, y], { axis: -1 }))(np.zeros([2, 3]), np.zeros([2, 1], { dtype: "int32" })).toString()).toBe(
      [
        "{ lambda ; a:f32[2,3] b:i32[2,1]. let",
        "    c:f32[2,1] = convert_element_type[new_dtype=float32 weak_type=False] b",
        "    d:f32[2,4] = concatenate[dimension=1] a c",
        "  in (d,) }",
      ].join("\n"),
    );
  });
  it("broadcast_to is one broadcast_in_dim, size-1 axes included", () => {
    expect(makeJaxpr((x: Array) => sh.broadcastTo(x, [2, 3, 4]))(np.zeros([3, 1])).toString()).toBe(
      [
        "{ lambda ; a:f32[3,1]. let",
        "    b:f32[2,3,4] = broadcast_in_dim[broadcast_dimensions=(1, 2) shape=(2, 3, 4)] a",
        "  in (b,) }",
      ].join("\n"),
    );
  });
  it("where broadcasts its operands and binds select_n", () => {
    expect(makeJaxpr((c: Array, x: Array) => sh.where(c, x, 0))(np.array([true, false]), np.ones([2])).toString()).toBe(
      [
        "{ lambda ; a:bool[2] b:f32[2]. let",
        "    c:f32[2] = broadcast_in_dim[broadcast_dimensions=() shape=(2,)] 0.0:f32[]",
        "    d:f32[2] = select_n a c b",
        "  in (d,) }",
      ].join("\n"),
    );
  });
});

describe("dtypes and weak types", () => {
  it("concatenate and stack promote as JAX does", () => {
    expect(sh.concatenate([i32([1, 2]), f32([3])]).dtype).toBe("float32");
    expect(sh.concatenate([i32([1, 2]), i32([3])]).dtype).toBe("int32");
    const s = sh.stack([1, 2, 3]);
    expect([s.dtype, s.weakType, [...s.shape]]).toEqual(["int32", true, [3]]);
    const m = sh.stack([1, 2.5]);
    expect([m.dtype, m.weakType]).toEqual(["float32", true]);
    expect(values(sh.stack([np.array(1, { dtype: "int32" }), 2.5]))).toEqual([1, 2.5]);
    expect(sh.concatenate([i32([1])], { dtype: "float32" }).dtype).toBe("float32");
  });
  it("shape functions keep dtype and weak type", () => {
    const w = sh.broadcastTo(2, [2, 2]);
    expect([w.dtype, w.weakType]).toEqual(["int32", true]);
    const b = sh.reshape(np.array([true, false, true, true]), [2, 2]);
    expect(b.dtype).toBe("bool");
    expect(values(sh.transpose(b))).toEqual([1, 1, 0, 1]);
    expect(sh.tile(i32([1, 2]), 2).dtype).toBe("int32");
    expect(sh.pad(np.array([true]), 1).dtype).toBe("bool");
    expect(values(sh.pad(np.array([true]), 1))).toEqual([0, 1, 0]);
  });
  it("where promotes x and y and accepts a non-boolean condition", () => {
    const r = sh.where(i32([0, 2, -1]), i32([1, 2, 3]), 0.5);
    expect(r.dtype).toBe("float32");
    expect(values(r)).toEqual([0.5, 2, 3]);
    expect(sh.where(true, i32([1]), 2).dtype).toBe("int32");
    expect(values(sh.where(np.array(false), i32([1, 2]), i32([5, 6])))).toEqual([5, 6]);
  });
  it("trace sums booleans as int32", () => {
    const t = sh.trace(np.array([[true, false], [true, true]]));
    expect([t.dtype, t.item()]).toEqual(["int32", 2]);
    expect(sh.trace(iota(9, [3, 3]), { dtype: "int32" }).dtype).toBe("int32");
  });
  it("diag of an int vector stays int32", () => {
    const d = sh.diag(i32([1, 2]), -1);
    expect([d.dtype, [...d.shape], values(d)]).toEqual(["int32", [3, 3], [0, 0, 0, 1, 0, 0, 0, 2, 0]]);
  });
});

describe("shape helpers and edge cases", () => {
  it("shape, ndim, size", () => {
    const x = np.zeros([2, 3, 4]);
    expect([sh.shape(x), sh.ndim(x), sh.size(x), sh.size(x, -1), sh.size(x, 0)]).toEqual([[2, 3, 4], 3, 24, 4, 2]);
    expect([sh.shape(3), sh.ndim(3), sh.size(3)]).toEqual([[], 0, 1]);
    expect(sh.broadcastShapes([3, 1], [4], [])).toEqual([3, 4]);
  });
  it("size-0 arrays", () => {
    const e = np.zeros([0, 3]);
    expect([...sh.reshape(e, [3, -1]).shape]).toEqual([3, 0]);
    expect([...sh.flip(e).shape]).toEqual([0, 3]);
    expect([...sh.roll(e, 2, { axis: 0 }).shape]).toEqual([0, 3]);
    expect([...sh.transpose(e).shape]).toEqual([3, 0]);
    expect(sh.split(iota(4, [4]), [2, 2]).map((p) => p.shape[0])).toEqual([2, 0, 2]);
    expect([...sh.diagonal(np.zeros([3, 2]), { offset: 5 }).shape]).toEqual([0]);
    expect([...sh.diagonal(np.zeros([2, 0, 3]), { axis1: 0, axis2: 2 }).shape]).toEqual([0, 2]);
    expect([...sh.tile(e, 3).shape]).toEqual([0, 9]);
    expect([...sh.repeat(e, 2, { axis: 0 }).shape]).toEqual([0, 3]);
    expect([...sh.repeat(e, [1, 0, 2], { axis: 1 }).shape]).toEqual([0, 3]);
    expect([...sh.broadcastTo(np.zeros([1]), [0]).shape]).toEqual([0]);
    expect([...sh.concatenate([e, e]).shape]).toEqual([0, 3]);
    expect([...sh.stack([e, e], { axis: -1 }).shape]).toEqual([0, 3, 2]);
    expect([...sh.pad(e, 1).shape]).toEqual([2, 5]);
    expect([...sh.where(true, e, 1).shape]).toEqual([0, 3]);
    expect([...sh.meshgrid(np.zeros([0]), np.zeros([2])).map((g) => [...g.shape])]).toEqual([[2, 0], [2, 0]]);
  });
  it("size-1 axes", () => {
    const x = iota(3, [1, 3, 1]);
    expect([...sh.squeeze(x, [0, 2]).shape]).toEqual([3]);
    expect([...sh.squeeze(np.zeros([1, 1])).shape]).toEqual([]);
    expect(values(sh.roll(x, 1, { axis: 0 }))).toEqual([0, 1, 2]);
    expect(values(sh.pad(np.array([5]), 2, { mode: "reflect" }))).toEqual([5, 5, 5, 5, 5]);
    expect(values(sh.flip(x, -1))).toEqual([0, 1, 2]);
    expect(values(sh.diagonal(iota(3, [1, 3]), { offset: 1 }))).toEqual([1]);
    expect([...sh.atleast2d(np.zeros([5])).shape]).toEqual([1, 5]);
    expect(sh.atleast1d(1, np.zeros([2, 2])).map((a) => [...a.shape])).toEqual([[1], [2, 2]]);
  });
  it("ravel, reshape and flatten of scalars and JS numbers", () => {
    expect([...sh.ravel(3).shape]).toEqual([1]);
    expect([...sh.reshape(np.array(2), [1, 1, 1]).shape]).toEqual([1, 1, 1]);
    expect([...sh.expandDims(3, 0).shape]).toEqual([1]);
  });
  it("Array inputs to concatenate, stack, hstack, vstack, dstack, column_stack", () => {
    const x = iota(24, [2, 3, 4]);
    const list = [0, 1].map((i) => sh.reshape(lax.slice(x, [i, 0, 0], [i + 1, 3, 4]), [3, 4]));
    const same = (a: Array, b: Array) => {
      expect([...a.shape]).toEqual([...b.shape]);
      expect(values(a)).toEqual(values(b));
    };
    same(sh.concatenate(x, { axis: 1 }), sh.concatenate(list, { axis: 1 }));
    same(sh.concatenate(x, { axis: -1 }), sh.concatenate(list, { axis: -1 }));
    same(sh.concatenate(x, { axis: null }), sh.concatenate(list, { axis: null }));
    same(sh.stack(x, { axis: 2 }), sh.stack(list, { axis: 2 }));
    same(sh.hstack(x), sh.hstack(list));
    same(sh.vstack(x), sh.vstack(list));
    same(sh.dstack(x), sh.dstack(list));
    same(sh.columnStack(x), sh.columnStack(list));
    const v = iota(6, [2, 3]);
    const vl = [0, 1].map((i) => sh.reshape(lax.slice(v, [i, 0], [i + 1, 3]), [3]));
    same(sh.hstack(v), sh.hstack(vl));
    same(sh.vstack(v), sh.vstack(vl));
    same(sh.dstack(v), sh.dstack(vl));
    same(sh.columnStack(v), sh.columnStack(vl));
  });
  it("roll by an Array shift (dynamic_slice), eager and under jit", () => {
    const x = iota(10, [2, 5]);
    const want = values(sh.roll(x, -7, { axis: 1 }));
    expect(values(sh.roll(x, np.array(-7, { dtype: "int32" }), { axis: 1 }))).toEqual(want);
    const f = jit((a: Array, s: Array) => sh.roll(a, s, { axis: 1 }));
    expect(values(f(x, np.array(-7, { dtype: "int32" })))).toEqual(want);
    expect(values(f(x, np.array(3, { dtype: "int32" })))).toEqual(values(sh.roll(x, 3, { axis: 1 })));
    expect(values(sh.roll(x, i32([1, 2]), { axis: [0, 1] }))).toEqual(values(sh.roll(x, [1, 2], { axis: [0, 1] })));
    expect(values(sh.roll(x, np.array(4, { dtype: "int32" })))).toEqual(values(sh.roll(x, 4)));
  });
  it("meshgrid sparse", () => {
    const [a, b] = sh.meshgrid(f32([1, 2, 3]), f32([4, 5]), { sparse: true });
    expect([[...a.shape], [...b.shape]]).toEqual([[1, 3], [2, 1]]);
    const [c, d] = sh.meshgrid(f32([1, 2, 3]), f32([4, 5]), { sparse: true, indexing: "ij" });
    expect([[...c.shape], [...d.shape]]).toEqual([[3, 1], [1, 2]]);
  });
});

describe("error messages", () => {
  const x34 = np.zeros([3, 4]);
  it("reshape", () => {
    expect(() => sh.reshape(x34, [5])).toThrow("cannot reshape array of shape (3, 4) (size 12) into shape (5,) (size 5)");
    expect(() => sh.reshape(x34, [5, -1])).toThrow(
      "cannot reshape array of shape (3, 4) (size 12) into shape (5, -1) because the product of specified axis sizes (5) does not evenly divide 12",
    );
    expect(() => sh.reshape(x34, [-1, -1])).toThrow("can only specify one unknown dimension");
    expect(() => sh.reshape(x34, [2.5, 2] as any)).toThrow(TypeError);
  });
  it("axes", () => {
    expect(() => sh.expandDims(x34, 3)).toThrow("expand_dims: axis 3 is out of bounds for array of dimension 3");
    expect(() => sh.expandDims(x34, [0, 0])).toThrow("repeated axis in expand_dims");
    expect(() => sh.squeeze(x34, 0)).toThrow("cannot select an axis to squeeze out which has size not equal to one, got shape=(3, 4) and dimensions=(0,)");
    expect(() => sh.transpose(x34, [0])).toThrow("transpose: axes don't match array");
    expect(() => sh.swapaxes(x34, 0, 2)).toThrow("swapaxes: axis 2 is out of bounds for array of dimension 2");
    expect(() => sh.moveaxis(x34, [0, 1], [0])).toThrow("Inconsistent number of elements: 2 vs 1");
    expect(() => sh.flip(x34, -3)).toThrow("flip: axis -3 is out of bounds for array of dimension 2");
  });
  it("joining and splitting", () => {
    expect(() => sh.concatenate([])).toThrow("Need at least one array to concatenate.");
    expect(() => sh.concatenate([np.array(1), np.array(2)])).toThrow("Zero-dimensional arrays cannot be concatenated.");
    expect(() => sh.concatenate([x34, np.zeros([3, 5])])).toThrow(
      "Cannot concatenate arrays with shapes that differ in dimensions other than the one being concatenated: concatenating along dimension 0 for shapes (3, 4), (3, 5).",
    );
    expect(() => sh.concatenate([x34, np.zeros([4])])).toThrow("Cannot concatenate arrays with different numbers of dimensions");
    expect(() => sh.concatenate([x34, [1, 2] as any])).toThrow("concatenate requires ndarray or scalar arguments, got a JS array at position 1. Wrap JS arrays with np.array(...) first.");
    expect(() => sh.stack([x34, np.zeros([4, 3])])).toThrow("All input arrays must have the same shape");
    expect(() => sh.stack([])).toThrow("Need at least one array to stack.");
    expect(() => sh.split(np.zeros([7]), 3)).toThrow("array split does not result in an equal division: rest is 1");
    expect(() => sh.vsplit(np.zeros([4]), 2)).toThrow("vsplit only works on arrays of 2 or more dimensions");
  });
  it("broadcasting, tiling, padding and the rest", () => {
    expect(() => sh.broadcastTo(np.zeros([3]), [4])).toThrow("Incompatible shapes for broadcasting: (3,) and requested shape (4,)");
    expect(() => sh.broadcastTo(np.zeros([2, 3]), [3])).toThrow("Cannot broadcast to shape with fewer dimensions");
    expect(() => sh.broadcastArrays(np.zeros([3]), np.zeros([4]))).toThrow("Incompatible shapes for broadcasting: shapes=[(3,), (4,)]");
    expect(() => sh.repeat(np.zeros([3]), [1, 2])).toThrow("repeat: repeats has length 2");
    expect(() => sh.repeat(np.zeros([3]), -1)).toThrow("repeats may not contain negative values");
    expect(() => sh.pad(x34, -1)).toThrow("index can't contain negative values");
    expect(() => sh.pad(x34, [[1, 2], [3, 4], [5, 6]])).toThrow("jnp.pad: pad_width with nd=2 has unsupported shape (3, 2)");
    expect(() => sh.pad(x34, 1, { mode: "linear_ramp" as any })).toThrow("Unimplemented padding mode 'linear_ramp'");
    expect(() => sh.pad(np.zeros([0]), 1, { mode: "wrap" })).toThrow("Cannot apply 'wrap' padding to empty axis");
    expect(() => sh.rot90(np.zeros([3]))).toThrow("rot90 requires its first argument to have ndim at least two, but got first argument of shape (3,), which has ndim 1");
    expect(() => sh.rot90(x34, 1, { axes: [1, -1] })).toThrow("Axes must be different");
    expect(() => sh.diag(np.zeros([2, 2, 2]))).toThrow("diag input must be 1d or 2d");
    expect(() => sh.diagonal(np.zeros([3]))).toThrow("diagonal requires an array of at least two dimensions.");
    expect(() => sh.diagonal(x34, { axis1: 1, axis2: -1 })).toThrow("axis1 and axis2 cannot be the same");
    expect(() => sh.meshgrid(x34)).toThrow("Arguments to jax.numpy.meshgrid must be 1D, got shapes [(3, 4)]");
    expect(() => sh.meshgrid(np.zeros([2]), { indexing: "xx" as any })).toThrow("Valid values for indexing are 'xy' and 'ij', got xx");
    expect(() => (sh.where as any)(np.array(true), np.zeros([2]))).toThrow("Either both or neither of the x and y arguments");
    expect(() => sh.tile(x34, np.array([2]) as any)).toThrow(TypeError);
  });
  it("static arguments must be JS numbers under jit", () => {
    const f = jit((x: Array, s: any) => sh.tile(x, s));
    expect(() => f(np.zeros([2]), np.array(2, { dtype: "int32" }))).toThrow("tile: reps must be a static JS integer");
  });
});

describe("jit matches eager", () => {
  const x = iota(24, [2, 3, 4]);
  const fns: [string, (a: Array) => Array][] = [
    ["reshape+transpose", (a) => sh.transpose(sh.reshape(a, [4, -1]))],
    ["pad reflect", (a) => sh.pad(a, [[1, 1], [2, 0], [0, 3]], { mode: "reflect" })],
    ["pad symmetric odd", (a) => sh.pad(a, 2, { mode: "symmetric", reflectType: "odd" })],
    ["rot90", (a) => sh.rot90(a, 3, { axes: [2, 1] })],
    ["roll", (a) => sh.roll(a, [1, -1], { axis: [0, 2] })],
    ["repeat list", (a) => sh.repeat(a, [3, 0, 1], { axis: 1 })],
    ["diagonal+stack", (a) => sh.stack([sh.diagonal(a, { axis1: 1, axis2: 2 }), sh.diagonal(a, { offset: 1, axis1: 1, axis2: 2 })])],
    ["split+concatenate", (a) => sh.concatenate(sh.arraySplit(a, 3, { axis: -1 }).reverse(), { axis: -1 })],
    ["where+broadcast", (a) => sh.where(np.greater(a, 10), a, sh.broadcastTo(f32([-1, -2, -3, -4]), [2, 3, 4]))],
    ["tile+flip", (a) => sh.flip(sh.tile(a, [2, 1, 1, 2]), [0, -1])],
  ];
  for (const [name, f] of fns) {
    it(name, () => {
      const e = f(x);
      const j = jit(f)(x);
      expect([...j.shape]).toEqual([...e.shape]);
      expect(j.dtype).toBe(e.dtype);
      expect(values(j)).toEqual(values(e));
    });
  }
});

describe("transformations", () => {
  it("grad through pad, roll, repeat, diagonal", () => {
    const x = iota(6, [2, 3]);
    const ones = (a: Array) => values(a).map(() => 1);
    // Every input element appears (1 + reflected copies) times in a reflect pad.
    const gp = grad((a: Array) => la_sum(sh.pad(a, [[0, 0], [1, 1]], { mode: "reflect" })))(x);
    expect(values(gp)).toEqual([1, 3, 1, 1, 3, 1]);
    expect(values(grad((a: Array) => la_sum(sh.roll(a, 1, { axis: 1 })))(x))).toEqual(ones(x));
    expect(values(grad((a: Array) => la_sum(sh.repeat(a, [2, 0, 1], { axis: 1 })))(x))).toEqual([2, 0, 1, 2, 0, 1]);
    expect(values(grad((a: Array) => la_sum(sh.diagonal(a, { offset: 1 })))(x))).toEqual([0, 1, 0, 0, 0, 1]);
  });
  it("vmap of stack, concatenate, where", () => {
    const xs = iota(24, [4, 2, 3]);
    const v = vmap((a: Array) => sh.stack([a, sh.flip(a)], { axis: -1 }))(xs);
    expect([...v.shape]).toEqual([4, 2, 3, 2]);
    expect(values(v)).toEqual(values(sh.stack([xs, sh.flip(xs, [1, 2])], { axis: -1 })));
    const c = vmap((a: Array) => sh.concatenate([a, a], { axis: null }))(xs);
    expect([...c.shape]).toEqual([4, 12]);
    const w = vmap((a: Array) => sh.where(np.greater(a, 4), a, -1))(xs);
    expect(values(w)).toEqual(values(sh.where(np.greater(xs, 4), xs, -1)));
  });
});

/** Sum of every element (a reduce_sum over all axes). */
function la_sum(a: Array): Array {
  return lax.reduceSum(a, a.shape.map((_, i) => i));
}
