/**
 * Lowering rules, one per primitive: lazy inputs → lazy outputs (lazy.ts). Elementwise
 * primitives compose expressions (math.ts); movement primitives substitute coordinates
 * (broadcast_in_dim, reshape, transpose, rev, slice, pad, concatenate, dynamic slices and
 * gather are all index maps, the last ones data-dependent); reductions, argmax/argmin,
 * cumulative ops and dot_general register pending ops; scatters update a fresh copy in place.
 * Sort, windowed reductions and convolutions live in lower_window.ts; control flow (cond,
 * while, scan) runs at the backend level (control.ts), not through these rules. A primitive
 * without a rule raises a clear "not supported yet" error — there is no CPU fallback.
 */
import { ShapedArray, sizeOf } from "../../core/aval.js";
import {
  BINARY_ELEMENTWISE, type BinaryElementwise, type PrimitiveName, type PrimitiveParams, UNARY_ELEMENTWISE, type UnaryElementwise,
} from "../../core/primitives.js";
import { type IRType, type Node, acc, binary, bitcast, cast, constant, coords, flatten, i32, scalarVar, select, unflatten } from "./ir.js";
import type { Monoid, NativeAtomic } from "./kernel.js";
import { type Lazy, type LowerContext, UnsupportedError, at, irType } from "./lazy.js";
import { windowLowerings } from "./lower_window.js";
import { binaryPrimitive, convert, fmax, fmin, integerPow, roundPrimitive, selectN, unaryPrimitive } from "./math.js";

type Rule<P extends PrimitiveName> = (cx: LowerContext, ins: readonly Lazy[], params: PrimitiveParams[P], outs: readonly ShapedArray[]) => Lazy[];
export type LoweringTable = { [P in PrimitiveName]?: Rule<P> };

const lazy = (aval: ShapedArray, expr: Node): Lazy => ({ aval, expr });

/** lax's implicit broadcasting of elementwise operands: rank-0 operands and size-1 dimensions. */
function broadcastTo(x: Lazy, shape: readonly number[]): Node {
  if (x.aval.ndim === 0) return x.expr;
  const c = coords(shape);
  return at(x, x.aval.shape.map((d, i) => (d === 1 ? i32(0) : c[i])));
}

// ---- elementwise ---------------------------------------------------------------------------

function unaryRule(prim: Exclude<UnaryElementwise, "round" | "integer_pow">): Rule<UnaryElementwise> {
  return (_cx, [x], _p, [out]) => [lazy(out, unaryPrimitive(prim, x.expr))];
}
function binaryRule(prim: BinaryElementwise): Rule<BinaryElementwise> {
  return (_cx, [a, b], _p, [out]) => [lazy(out, binaryPrimitive(prim, broadcastTo(a, out.shape), broadcastTo(b, out.shape)))];
}

// ---- reductions and scans ----------------------------------------------------------------

/** Pending reduction of `x` over `axes` (in increasing order, which is the CPU's accumulation order). */
function reduction(cx: LowerContext, x: Lazy, axes: readonly number[], monoid: Monoid, resultType?: IRType): Node {
  const sorted = [...axes].sort((p, q) => p - q);
  const kept = x.aval.shape.map((_, d) => d).filter((d) => !sorted.includes(d));
  const outShape = kept.map((d) => x.aval.shape[d]);
  const redShape = sorted.map((d) => x.aval.shape[d]);
  const oc = coords(outShape);
  const rc = coords(redShape, "r");
  const idx = x.aval.shape.map((_, d) => (sorted.includes(d) ? rc[sorted.indexOf(d)] : oc[kept.indexOf(d)]));
  let body = at(x, idx);
  const t = body.dtype === "bool" ? "u32" : body.dtype;
  body = cast(body, t);
  const p = cx.pend({ kind: "reduce", outShape, redShape, monoid, body, accType: t, resultType: resultType ?? t });
  return acc(p.id, p.resultType, oc);
}

const MONOID: Record<"reduce_sum" | "reduce_max" | "reduce_min" | "reduce_prod" | "reduce_and" | "reduce_or", Monoid> = {
  reduce_sum: "sum", reduce_max: "max", reduce_min: "min", reduce_prod: "prod", reduce_and: "and", reduce_or: "or",
};

function reduceRule(prim: keyof typeof MONOID): Rule<keyof typeof MONOID> {
  return (cx, [x], { axes }, [out]) => {
    const r = reduction(cx, x, axes, MONOID[prim]);
    return [lazy(out, out.dtype === "bool" ? binary("ne", r, constant(0, "u32")) : r)];
  };
}

function argRule(monoid: "argmax" | "argmin"): Rule<"argmax" | "argmin"> {
  return (cx, [x], { axes }, [out]) => {
    const r = reduction(cx, x, axes, monoid, "i32");
    return [lazy(out, irType(out.dtype) === "u32" ? bitcast(r, "u32") : r)];
  };
}

const SCAN: Record<"cumsum" | "cumprod" | "cummax" | "cummin", Monoid> = { cumsum: "sum", cumprod: "prod", cummax: "max", cummin: "min" };

function scanRule(prim: keyof typeof SCAN): Rule<keyof typeof SCAN> {
  return (cx, [x], { axis, reverse }, [out]) => {
    const t = irType(out.dtype);
    const p = cx.pend({ kind: "scan", outShape: out.shape, monoid: SCAN[prim], axis, reverse, body: x.expr, accType: t, resultType: t });
    return [lazy(out, acc(p.id, t, coords(out.shape)))];
  };
}

// ---- dot_general ---------------------------------------------------------------------------

const dotGeneral: Rule<"dot_general"> = (cx, operands, { dimension_numbers: dn }, [out]) => {
  const [lhs, rhs] = operands.map((x) => cx.operand(x));
  const { lhsContracting: lc, rhsContracting: rc, lhsBatch: lb, rhsBatch: rb } = dn;
  const free = (x: Lazy, c: readonly number[], b: readonly number[]) => x.aval.shape.map((_, i) => i).filter((i) => !c.includes(i) && !b.includes(i));
  const lf = free(lhs, lc, lb);
  const rf = free(rhs, rc, rb);
  const dims = (x: Lazy, ds: readonly number[]) => ds.map((d) => x.aval.shape[d]);
  const [bShape, mShape, kShape, nShape] = [dims(lhs, lb), dims(lhs, lf), dims(lhs, lc), dims(rhs, rf)];
  const [nb, M, K, N] = [bShape, mShape, kShape, nShape].map(sizeOf);
  const outT = irType(out.dtype);
  const t: IRType = outT === "bool" ? "i32" : outT;

  // Canonical operands A[nb, M, K] and B[nb, K, N], converted to the contraction type.
  const operand = (x: Lazy, batch: readonly number[], rows: readonly number[], rowShape: readonly number[], cols: readonly number[], colShape: readonly number[], shape3: number[]): Lazy => {
    const [b, i, j] = coords(shape3);
    const idx: Node[] = new Array(x.aval.ndim);
    unflatten(b, bShape).forEach((v, q) => (idx[batch[q]] = v));
    unflatten(i, rowShape).forEach((v, q) => (idx[rows[q]] = v));
    unflatten(j, colShape).forEach((v, q) => (idx[cols[q]] = v));
    const aval = new ShapedArray(shape3, out.dtype === "bool" ? "int32" : out.dtype);
    return lazy(aval, convert(at(x, idx), t));
  };
  const a = operand(lhs, lb, lf, mShape, lc, kShape, [nb, M, K]);
  const b = operand(rhs, rb, rc, kShape, rf, nShape, [nb, K, N]);

  const oc = coords(out.shape);
  const nbd = lb.length;
  const nm = lf.length;
  const ob = flatten(oc.slice(0, nbd), bShape);
  const om = flatten(oc.slice(nbd, nbd + nm), mShape);
  const on = flatten(oc.slice(nbd + nm), nShape);

  let r: Node;
  if (M >= 8 && N >= 8 && K > 0 && nb <= 65535) {
    const p = cx.pend({ kind: "gemm", outShape: [nb, M, N], a, b, accType: t, resultType: t });
    r = acc(p.id, t, [ob, om, on]);
  } else {
    // Small products (matrix-vector, dot of vectors): a plain reduction over k.
    const [cb, cm, cn] = coords([nb, M, N]);
    const [k] = coords([K], "r");
    const body = binary("mul", at(a, [cb, cm, k]), at(b, [cb, k, cn]));
    const p = cx.pend({ kind: "reduce", outShape: [nb, M, N], redShape: [K], monoid: "sum", body, accType: t, resultType: t });
    r = acc(p.id, t, [ob, om, on]);
  }
  return [lazy(out, outT === "bool" ? binary("ne", r, constant(0, "i32")) : r)];
};

// ---- movement ----------------------------------------------------------------------------

const broadcastInDim: Rule<"broadcast_in_dim"> = (_cx, [x], { broadcast_dimensions: bd }, [out]) => {
  const c = coords(out.shape);
  return [lazy(out, at(x, x.aval.shape.map((d, i) => (d === 1 ? i32(0) : c[bd[i]]))))];
};

const reshapeLike = (_cx: LowerContext, [x]: readonly Lazy[], _p: unknown, [out]: readonly ShapedArray[]): Lazy[] => [
  lazy(out, at(x, unflatten(flatten(coords(out.shape), out.shape), x.aval.shape))),
];

const transpose: Rule<"transpose"> = (_cx, [x], { permutation }, [out]) => {
  const c = coords(out.shape);
  const idx: Node[] = new Array(x.aval.ndim);
  permutation.forEach((d, i) => (idx[d] = c[i]));
  return [lazy(out, at(x, idx))];
};

const rev: Rule<"rev"> = (_cx, [x], { dimensions }, [out]) => {
  const c = coords(out.shape);
  return [lazy(out, at(x, c.map((v, d) => (dimensions.includes(d) ? binary("sub", i32(out.shape[d] - 1), v) : v))))];
};

const slice: Rule<"slice"> = (_cx, [x], { start_indices: start, strides }, [out]) => {
  const c = coords(out.shape);
  return [lazy(out, at(x, c.map((v, d) => binary("add", i32(start[d]), binary("mul", v, i32(strides ? strides[d] : 1))))))];
};

const pad: Rule<"pad"> = (_cx, [x, v], { padding_config: cfg }, [out]) => {
  const c = coords(out.shape);
  let valid = constant(true, "bool");
  const idx = c.map((cd, d) => {
    const [lo, , interior] = cfg[d];
    const step = interior + 1;
    const q = binary("sub", cd, i32(lo));
    const qc = binary("max", q, i32(0));
    const j = binary("div", qc, i32(step));
    valid = binary("and", valid, binary("ge", q, i32(0)));
    if (step > 1) valid = binary("and", valid, binary("eq", binary("rem", qc, i32(step)), i32(0)));
    valid = binary("and", valid, binary("lt", j, i32(x.aval.shape[d])));
    return binary("min", j, i32(Math.max(0, x.aval.shape[d] - 1)));
  });
  return [lazy(out, select(valid, at(x, idx), v.expr))];
};

const concatenate: Rule<"concatenate"> = (cx, xs, { dimension }, [out]) => {
  // A kernel may bind only so many buffers: concatenate wide lists in materialized chunks.
  let parts = [...xs];
  const chunk = Math.max(2, cx.maxInputs - 1);
  while (parts.length > chunk) {
    const next: Lazy[] = [];
    for (let i = 0; i < parts.length; i += chunk) {
      const group = parts.slice(i, i + chunk);
      if (group.length === 1) {
        next.push(group[0]);
        continue;
      }
      const shape = [...group[0].aval.shape];
      shape[dimension] = group.reduce((s, g) => s + g.aval.shape[dimension], 0);
      next.push(cx.materialize(concatExpr(group, dimension, new ShapedArray(shape, out.dtype, out.weakType))));
    }
    parts = next;
  }
  return [concatExpr(parts, dimension, out)];
};

function concatExpr(xs: readonly Lazy[], dimension: number, out: ShapedArray): Lazy {
  const c = coords(out.shape);
  const nonEmpty = xs.filter((x) => x.aval.shape[dimension] > 0);
  let offset = 0;
  let e: Node | null = null;
  const pieces = nonEmpty.map((x) => {
    const o = offset;
    offset += x.aval.shape[dimension];
    const n = x.aval.shape[dimension];
    const local = binary("min", binary("max", binary("sub", c[dimension], i32(o)), i32(0)), i32(n - 1));
    return { end: offset, value: at(x, c.map((v, d) => (d === dimension ? local : v))) };
  });
  for (let i = pieces.length - 1; i >= 0; i--) e = e === null ? pieces[i].value : select(binary("lt", c[dimension], i32(pieces[i].end)), pieces[i].value, e);
  return lazy(out, e ?? constant(0, irType(out.dtype)));
}

/** A scalar start index, clamped so that a window of `size` fits in `dim`. */
function startIndex(s: Lazy, dim: number, size: number): Node {
  const v = s.expr.dtype === "i32" ? s.expr : cast(s.expr.dtype === "u32" ? binary("min", s.expr, constant(2147483647, "u32")) : s.expr, "i32");
  return binary("min", binary("max", v, i32(0)), i32(Math.max(0, dim - size)));
}

const dynamicSlice: Rule<"dynamic_slice"> = (_cx, [x, ...starts], { slice_sizes: sizes }, [out]) => {
  const c = coords(out.shape);
  return [lazy(out, at(x, c.map((v, d) => binary("add", startIndex(starts[d], x.aval.shape[d], sizes[d]), v))))];
};

const dynamicUpdateSlice: Rule<"dynamic_update_slice"> = (_cx, [x, u, ...starts], _p, [out]) => {
  const c = coords(out.shape);
  let inside = constant(true, "bool");
  const local = c.map((v, d) => {
    const s = startIndex(starts[d], x.aval.shape[d], u.aval.shape[d]);
    const l = binary("sub", v, s);
    inside = binary("and", inside, binary("and", binary("ge", l, i32(0)), binary("lt", l, i32(u.aval.shape[d]))));
    return binary("min", binary("max", l, i32(0)), i32(Math.max(0, u.aval.shape[d] - 1)));
  });
  return [lazy(out, select(inside, at(u, local), x.expr))];
};

/** XLA's gather: data-dependent window starts (clamped, or a fill value out of bounds in "fill" mode). */
const gather: Rule<"gather"> = (_cx, [x, indices], p, [out]) => {
  const dn = p.dimension_numbers;
  const c = coords(out.shape);
  const G = out.shape.map((_, d) => d).filter((d) => !dn.offsetDims.includes(d)).map((d) => c[d]);
  const K = indices.aval.shape[indices.aval.ndim - 1];
  const start: Node[] = x.aval.shape.map(() => i32(0));
  let inBounds = constant(true, "bool");
  for (let k = 0; k < K; k++) {
    const d = dn.startIndexMap[k];
    const hi = x.aval.shape[d] - p.slice_sizes[d];
    const raw = at(indices, [...G, i32(k)]);
    const v = raw.dtype === "i32" ? raw : cast(binary("min", raw, constant(2147483647, "u32")), "i32");
    inBounds = binary("and", inBounds, binary("and", binary("ge", v, i32(0)), binary("le", v, i32(hi))));
    start[d] = binary("min", binary("max", v, i32(0)), i32(Math.max(0, hi)));
  }
  dn.operandBatchingDims.forEach((d, i) => (start[d] = G[dn.startIndicesBatchingDims[i]]));
  let w = 0;
  const idx = x.aval.shape.map((_, d) =>
    dn.collapsedSliceDims.includes(d) || dn.operandBatchingDims.includes(d) ? start[d] : binary("add", start[d], c[dn.offsetDims[w++]]));
  const value = at(x, idx);
  if (p.mode.mode !== "fill") return [lazy(out, value)];
  const t = irType(out.dtype);
  const fill = p.fill_value ?? (t === "f32" ? NaN : t === "i32" ? -2147483648 : t === "u32" ? 4294967295 : 1);
  return [lazy(out, select(inBounds, value, constant(fill, t)))];
};

type ScatterName = "scatter" | "scatter-add" | "scatter-mul" | "scatter-min" | "scatter-max";

/**
 * XLA's scatter: every update element lands at its window start (clamped in "clip" mode, the
 * whole window dropped when out of bounds otherwise) and is combined atomically; float
 * combiners use compare-exchange loops. With repeated indices, "scatter" keeps an unspecified one.
 */
function scatterRule(kind: ScatterName): Rule<ScatterName> {
  return (cx, [x, indices, updates], p) => {
    const dn = p.dimension_numbers;
    const uwd = dn.updateWindowDims;
    const uc = coords(updates.aval.shape);
    const G = updates.aval.shape.map((_, d) => d).filter((d) => !uwd.includes(d)).map((d) => uc[d]);
    const inserted = (d: number) => dn.insertedWindowDims.includes(d) || dn.operandBatchingDims.includes(d);
    let w = 0;
    const window = x.aval.shape.map((_, d) => (inserted(d) ? 1 : updates.aval.shape[uwd[w++]]));
    const start: Node[] = x.aval.shape.map(() => i32(0));
    let valid = constant(true, "bool");
    dn.scatterDimsToOperandDims.forEach((d, k) => {
      const hi = x.aval.shape[d] - window[d];
      const raw = at(indices, [...G, i32(k)]);
      const v = raw.dtype === "i32" ? raw : cast(binary("min", raw, constant(2147483647, "u32")), "i32");
      valid = binary("and", valid, binary("and", binary("ge", v, i32(0)), binary("le", v, i32(hi))));
      start[d] = binary("min", binary("max", v, i32(0)), i32(Math.max(0, hi)));
    });
    dn.operandBatchingDims.forEach((d, i) => (start[d] = G[dn.scatterIndicesBatchingDims[i]]));
    w = 0;
    const idx = x.aval.shape.map((_, d) => (inserted(d) ? start[d] : binary("add", start[d], uc[uwd[w++]])));
    const t = irType(x.aval.dtype);
    const cur = scalarVar("cur", t);
    const upd = scalarVar("upd", t);
    const native = (a: NativeAtomic | null) => (t === "f32" ? null : a);
    const combine: Record<ScatterName, [Node | null, NativeAtomic | null]> = {
      scatter: [null, null],
      "scatter-add": t === "bool" ? [binary("or", cur, upd), "atomicOr"] : [binary("add", cur, upd), native("atomicAdd")],
      "scatter-mul": t === "bool" ? [binary("and", cur, upd), "atomicAnd"] : [binary("mul", cur, upd), null],
      "scatter-min": [fmin(cur, upd), native("atomicMin")],
      "scatter-max": [fmax(cur, upd), native("atomicMax")],
    };
    const [comb, atomic] = combine[kind];
    return [cx.scatter(x, updates.aval.shape, {
      target: flatten(idx, x.aval.shape),
      valid: p.mode.mode === "clip" ? constant(true, "bool") : valid,
      value: updates.expr,
      combine: comb,
      atomic,
    })];
  };
}

// ---- PRNG ----------------------------------------------------------------------------------

/** Threefry-2x32, 20 rounds, on u32 expressions (the CPU's prng.ts, bit for bit). */
function threefry(k0: Node, k1: Node, x0: Node, x1: Node): [Node, Node] {
  const u = (v: number) => constant(v, "u32");
  const add = (a: Node, b: Node) => binary("add", a, b);
  const rotl = (v: Node, r: number) => binary("or", binary("shl", v, u(r)), binary("shr", v, u(32 - r)));
  const ks = [k0, k1, binary("xor", binary("xor", k0, k1), u(0x1bd11bda))];
  const ROT = [[13, 15, 26, 6], [17, 29, 16, 24]];
  let a = add(x0, ks[0]);
  let b = add(x1, ks[1]);
  for (let g = 0; g < 5; g++) {
    for (const r of ROT[g % 2]) {
      a = add(a, b);
      b = binary("xor", a, rotl(b, r));
    }
    a = add(a, ks[(g + 1) % 3]);
    b = add(add(b, ks[(g + 2) % 3]), u(g + 1));
  }
  return [a, b];
}

const threefryRule: Rule<"threefry2x32"> = (_cx, ins, _p, [o0, o1]) => {
  const [k0, k1, x0, x1] = ins.map((x) => broadcastTo(x, o0.shape));
  const [y0, y1] = threefry(k0, k1, x0, x1);
  return [lazy(o0, y0), lazy(o1, y1)];
};

// ---- the table ------------------------------------------------------------------------------

const table = <K extends string, R>(names: readonly K[], f: (n: K) => R) => Object.fromEntries(names.map((n) => [n, f(n)])) as Record<K, R>;
const PLAIN_UNARY = UNARY_ELEMENTWISE.filter((p): p is Exclude<UnaryElementwise, "round" | "integer_pow"> => p !== "round" && p !== "integer_pow");

export const lowerings: LoweringTable = {
  ...table(PLAIN_UNARY, unaryRule),
  round: (_cx, [x], { rounding_method }, [out]) => [lazy(out, roundPrimitive(x.expr, rounding_method))],
  integer_pow: (_cx, [x], { y }, [out]) => [lazy(out, integerPow(x.expr, y))],
  ...table(BINARY_ELEMENTWISE, binaryRule),
  select_n: (_cx, [which, ...cases], _p, [out]) => [lazy(out, selectN(broadcastTo(which, out.shape), cases.map((c) => c.expr)))],
  clamp: (_cx, [lo, x, hi], _p, [out]) => [lazy(out, fmin(fmax(x.expr, broadcastTo(lo, out.shape)), broadcastTo(hi, out.shape)))],
  convert_element_type: (_cx, [x], { new_dtype }, [out]) => [lazy(out, convert(x.expr, irType(new_dtype)))],
  bitcast_convert_type: (_cx, [x], { new_dtype }, [out]) => {
    const from = irType(x.aval.dtype);
    const to = irType(new_dtype);
    if (from === "bool" || to === "bool") throw new UnsupportedError(`bitcast_convert_type from ${x.aval.dtype} to ${new_dtype} is not supported by the WebGPU backend.`);
    return [lazy(out, bitcast(x.expr, to))];
  },
  iota: (_cx, _ins, { dimension }, [out]) => [lazy(out, convert(coords(out.shape)[dimension], irType(out.dtype)))],
  broadcast_in_dim: broadcastInDim,
  reshape: reshapeLike,
  squeeze: reshapeLike,
  transpose,
  rev,
  slice,
  pad,
  concatenate,
  dynamic_slice: dynamicSlice,
  dynamic_update_slice: dynamicUpdateSlice,
  gather,
  scatter: scatterRule("scatter"),
  "scatter-add": scatterRule("scatter-add"),
  "scatter-mul": scatterRule("scatter-mul"),
  "scatter-min": scatterRule("scatter-min"),
  "scatter-max": scatterRule("scatter-max"),
  ...table(Object.keys(MONOID) as (keyof typeof MONOID)[], reduceRule),
  argmax: argRule("argmax"),
  argmin: argRule("argmin"),
  ...table(Object.keys(SCAN) as (keyof typeof SCAN)[], scanRule),
  dot_general: dotGeneral,
  ...windowLowerings,
  threefry2x32: threefryRule,
  stop_gradient: (_cx, [x], _p, [out]) => [lazy(out, x.expr)],
  custom_lin: () => {
    throw new TypeError("can't apply forward-mode autodiff (jvp) to a custom_vjp function.");
  },
};

/** The rule for `prim`, or a clear error naming it. */
export function loweringFor<P extends PrimitiveName>(prim: P): Rule<P> {
  const rule = lowerings[prim] as Rule<P> | undefined;
  if (!rule) throw new UnsupportedError(`The WebGPU backend does not support the primitive '${prim}' yet. Use the CPU backend (init({ backend: "cpu" })) for programs that need it.`);
  return rule;
}
