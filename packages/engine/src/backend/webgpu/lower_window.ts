/**
 * Lowering rules for sort, windowed reductions and convolutions, all built from the planner's
 * existing kernel kinds. `sort` is a rank sort: a pending reduction counts, for every element,
 * the elements of its row that order before it (keys lexicographically under the CPU's total
 * order — -0 == 0, NaNs last — ties broken by position, so it is stable); each operand is then
 * scattered to its rank. `reduce_window_*` and `conv_general_dilated` are direct kernels: one
 * pending reduction per output element over the window taps (and input features), with padding,
 * base/lhs dilation and window/rhs dilation as index arithmetic and masked taps.
 */
import type { ShapedArray } from "../../core/aval.js";
import type { PrimitiveParams } from "../../core/primitives.js";
import { type IRType, type Node, acc, binary, cast, constant, coords, flatten, i32, select, unary } from "./ir.js";
import type { Monoid } from "./kernel.js";
import { type Lazy, type LowerContext, at, irType } from "./lazy.js";
import { convert, isNan } from "./math.js";

type Rule<P extends keyof PrimitiveParams> = (cx: LowerContext, ins: readonly Lazy[], params: PrimitiveParams[P], outs: readonly ShapedArray[]) => Lazy[];

const lazy = (aval: ShapedArray, expr: Node): Lazy => ({ aval, expr });
const and = (a: Node, b: Node) => binary("and", a, b);
const or = (a: Node, b: Node) => binary("or", a, b);
const not = (a: Node) => unary("not", a);

/** A pending reduction of `body` (over output coords c… and reduced coords r…); returns its acc at coords(outShape). */
function pendReduce(cx: LowerContext, outShape: readonly number[], redShape: readonly number[], body: Node, monoid: Monoid): Node {
  const t = body.dtype;
  const p = cx.pend({ kind: "reduce", outShape, redShape, monoid, body, accType: t, resultType: t });
  return acc(p.id, t, coords(outShape));
}

// ---- sort ------------------------------------------------------------------------------------

/** a < b in sort's total order (-0 == 0, NaNs last) and a == b in it. */
function orderOps(a: Node, b: Node): { lt: Node; eq: Node } {
  if (a.dtype === "bool") {
    a = cast(a, "u32");
    b = cast(b, "u32");
  }
  if (a.dtype !== "f32") return { lt: binary("lt", a, b), eq: binary("eq", a, b) };
  const na = isNan(a);
  const nb = isNan(b);
  const neither = and(not(na), not(nb));
  return { lt: or(and(neither, binary("lt", a, b)), and(not(na), nb)), eq: or(and(na, nb), and(neither, binary("eq", a, b))) };
}

const sort: Rule<"sort"> = (cx, ins, { dimension: d, num_keys }, outs) => {
  const shape = ins[0].aval.shape;
  const n = shape[d];
  if (n <= 1 || ins[0].aval.size === 0) return ins.map((x, j) => lazy(outs[j], x.expr));
  const c = coords(shape);
  const [r] = coords([n], "r");
  const atJ = c.map((v, k) => (k === d ? r : v));
  // "j orders before i": lexicographic over the keys, then by position.
  let before = binary("lt", r, c[d]);
  for (let k = num_keys - 1; k >= 0; k--) {
    const { lt, eq } = orderOps(at(ins[k], atJ), ins[k].expr);
    before = or(lt, and(eq, before));
  }
  const rank = pendReduce(cx, shape, [n], select(before, i32(1), i32(0)), "sum");
  const target = flatten(c.map((v, k) => (k === d ? rank : v)), shape);
  return ins.map((x, j) => {
    const base = lazy(outs[j], constant(0, irType(outs[j].dtype)));
    return cx.scatter(base, shape, { target, valid: constant(true, "bool"), value: x.expr, combine: null, atomic: null });
  });
};

// ---- windows ---------------------------------------------------------------------------------

/**
 * The input coordinate of window tap `k` at output position `o` along one dimension, and whether
 * it is a real element (not padding, not a base-dilation hole): pos = o·stride + k·wdil − lo,
 * input = pos / bdil when pos ≥ 0, pos % bdil == 0 and pos / bdil < size.
 */
function tap(o: Node, k: Node, size: number, stride: number, lo: number, bdil: number, wdil: number): { idx: Node; valid: Node } {
  const pos = binary("sub", binary("add", binary("mul", o, i32(stride)), binary("mul", k, i32(wdil))), i32(lo));
  const pc = binary("max", pos, i32(0));
  const q = bdil === 1 ? pc : binary("div", pc, i32(bdil));
  let valid = and(binary("ge", pos, i32(0)), binary("lt", q, i32(size)));
  if (bdil !== 1) valid = and(valid, binary("eq", binary("rem", pc, i32(bdil)), i32(0)));
  return { idx: binary("min", q, i32(Math.max(0, size - 1))), valid };
}

function identity(monoid: "sum" | "max" | "min", t: IRType): Node {
  if (monoid === "sum") return constant(0, t);
  const max = monoid === "max";
  if (t === "f32") return constant(max ? -Infinity : Infinity, t);
  if (t === "i32") return constant(max ? -2147483648 : 2147483647, t);
  return constant(max ? 0 : 0xffffffff, t);
}

function reduceWindow(monoid: "sum" | "max" | "min"): Rule<"reduce_window_sum"> {
  return (cx, [x], p, [out]) => {
    const c = coords(out.shape);
    const r = coords(p.window_dimensions, "r");
    let valid = constant(true, "bool");
    const idx = x.aval.shape.map((size, d) => {
      const t = tap(c[d], r[d], size, p.window_strides[d], p.padding[d][0], p.base_dilation[d], p.window_dilation[d]);
      valid = and(valid, t.valid);
      return t.idx;
    });
    const v = at(x, idx);
    const t = v.dtype === "bool" ? "u32" : v.dtype;
    const res = pendReduce(cx, out.shape, p.window_dimensions, select(valid, cast(v, t), identity(monoid, t)), monoid);
    return [lazy(out, out.dtype === "bool" ? binary("ne", res, constant(0, "u32")) : res)];
  };
}

/**
 * Direct convolution: out[n, o, y…] = Σ over input features i and taps k… of lhs·rhs, in any
 * dimension numbers. With Q = max(feature_group_count, batch_group_count) groups, output feature o
 * belongs to group q = o / (O/Q), which reads input features q·I… (feature groups) or lhs batch
 * q·N + n (batch groups), as XLA (and the CPU backend) define them.
 */
const conv: Rule<"conv_general_dilated"> = (cx, [lhs, rhs], p, [out]) => {
  const { lhsSpec: ls, rhsSpec: rs, outSpec: os } = p.dimension_numbers;
  const nsp = ls.length - 2;
  const outT = irType(out.dtype);
  const t: IRType = outT === "bool" ? "i32" : outT;
  const c = coords(out.shape);
  const I = rhs.aval.shape[rs[1]];
  const kShape = rs.slice(2).map((d) => rhs.aval.shape[d]);
  const r = coords([I, ...kShape], "r");
  const [n, o] = [c[os[0]], c[os[1]]];
  const O = out.shape[os[1]];
  const Nout = out.shape[os[0]];
  const G = p.feature_group_count;
  const BG = p.batch_group_count;
  const Q = Math.max(G, BG);
  const q = Q > 1 ? binary("div", o, i32(O / Q)) : i32(0);
  const lIdx: Node[] = new Array(lhs.aval.ndim);
  const wIdx: Node[] = new Array(rhs.aval.ndim);
  lIdx[ls[0]] = BG > 1 ? binary("add", binary("mul", q, i32(Nout)), n) : n;
  lIdx[ls[1]] = G > 1 ? binary("add", binary("mul", q, i32(I)), r[0]) : r[0];
  wIdx[rs[0]] = o;
  wIdx[rs[1]] = r[0];
  let valid = constant(true, "bool");
  for (let s = 0; s < nsp; s++) {
    const size = lhs.aval.shape[ls[2 + s]];
    const tp = tap(c[os[2 + s]], r[1 + s], size, p.window_strides[s], p.padding[s][0], p.lhs_dilation[s], p.rhs_dilation[s]);
    valid = and(valid, tp.valid);
    lIdx[ls[2 + s]] = tp.idx;
    wIdx[rs[2 + s]] = r[1 + s];
  }
  const prod = binary("mul", convert(at(lhs, lIdx), t), convert(at(rhs, wIdx), t));
  const res = pendReduce(cx, out.shape, [I, ...kShape], select(valid, prod, constant(0, t)), "sum");
  return [lazy(out, outT === "bool" ? binary("ne", res, constant(0, "i32")) : res)];
};

export const windowLowerings = {
  sort,
  reduce_window_sum: reduceWindow("sum"),
  reduce_window_max: reduceWindow("max"),
  reduce_window_min: reduceWindow("min"),
  conv_general_dilated: conv,
};
