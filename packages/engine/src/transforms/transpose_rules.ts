/**
 * Transpose rules of the linear primitives (JAX's ad.deflinear / primitive
 * transpose rules): given the output cotangent, the cotangent of each linear
 * operand. Convolution and windowed-sum transposes live in transpose_conv.ts.
 */
import { isFloat } from "../core/dtype.js";
import { GatherDimensionNumbers, ScatterDimensionNumbers, type PrimitiveName } from "../core/primitives.js";
import { type Array, bind1 } from "../core/tracer.js";
import * as lax from "../lax/lax.js";
import { type MaybeZero, Zero, unbroadcast, zerosLikeAval } from "./ad_util.js";
import type { TransposeArg, TransposeRule, TransposeRuleTable } from "./transpose.js";
import { UndefPrimal } from "./transpose.js";
import { convTransposeRules } from "./transpose_conv.js";
import { condTransposeRule, scanTransposeRule, whileTransposeRule } from "./control_flow_rules.js";
import { customLinTranspose } from "./custom_derivative_rules.js";

const isU = (x: TransposeArg): x is UndefPrimal => x instanceof UndefPrimal;
const shapeOf = (x: TransposeArg) => x.aval.shape;

/** For ops linear in the single first operand: ct_in = f(ct). */
function linear1<P extends PrimitiveName>(f: (ct: Array, args: TransposeArg[], params: never) => Array): TransposeRule<P> {
  return (cts, args, params) => {
    const [ct] = cts;
    const out: (MaybeZero | null)[] = args.map(() => null);
    out[0] = ct instanceof Zero ? new Zero(args[0].aval) : f(ct, args, params as never);
    return out;
  };
}

function range(n: number, start = 0): number[] {
  return globalThis.Array.from({ length: n }, (_, i) => i + start);
}
function argsort(a: readonly number[]): number[] {
  return a.map((v, i) => [v, i]).sort((p, q) => p[0] - q[0]).map(([, i]) => i);
}

/** JAX's _dot_general_transpose_lhs. */
function dotTransposeLhs(g: Array, xAval: { shape: readonly number[] }, y: Array, dn: { lc: readonly number[]; rc: readonly number[]; lb: readonly number[]; rb: readonly number[] }, pref: string | null, swapAns: boolean): Array {
  const xNd = xAval.shape.length;
  const xKept = range(xNd).filter((i) => !dn.lc.includes(i) && !dn.lb.includes(i));
  const yKept = range(y.ndim).filter((i) => !dn.rc.includes(i) && !dn.rb.includes(i));
  const nb = dn.lb.length;
  let ansBatch: number[], ansY: number[];
  if (swapAns) {
    ansBatch = range(nb);
    ansY = range(yKept.length, nb);
  } else {
    ansBatch = range(nb);
    ansY = range(yKept.length, nb + xKept.length);
  }
  const xContractSortedByY = argsort(dn.rc).map((i) => dn.lc[i]);
  const outAxes = argsort([...dn.lb, ...xKept, ...xContractSortedByY]);
  const prod = lax.dotGeneral(g, y, [[ansY, yKept], [ansBatch, dn.rb]], (pref as never) ?? null);
  return lax.transpose(prod, outAxes);
}

const dotGeneralT: TransposeRule<"dot_general"> = (cts, args, params) => {
  const [ct] = cts;
  const [x, y] = args;
  const d = params.dimension_numbers;
  const out: (MaybeZero | null)[] = [null, null];
  if (ct instanceof Zero) return [isU(x) ? new Zero(x.aval) : null, isU(y) ? new Zero(y.aval) : null];
  if (isU(x) && !isU(y)) {
    const r = dotTransposeLhs(ct, x.aval, y, { lc: d.lhsContracting, rc: d.rhsContracting, lb: d.lhsBatch, rb: d.rhsBatch }, null, false);
    out[0] = lax.convertElementType(r, x.aval.dtype);
  }
  if (isU(y) && !isU(x)) {
    const r = dotTransposeLhs(ct, y.aval, x, { lc: d.rhsContracting, rc: d.lhsContracting, lb: d.rhsBatch, rb: d.lhsBatch }, null, true);
    out[1] = lax.convertElementType(r, y.aval.dtype);
  }
  if (isU(x) && isU(y)) throw new Error("dot_general transpose: both operands are linear (the program is not linear)");
  return out;
};

const mulT: TransposeRule<"mul"> = (cts, args) => {
  const [ct] = cts;
  const [x, y] = args;
  if (isU(x) && isU(y)) throw new Error("mul transpose: both operands are linear (the program is not linear)");
  const out: (MaybeZero | null)[] = [null, null];
  if (isU(x)) out[0] = ct instanceof Zero ? new Zero(x.aval) : unbroadcast(lax.mul(ct, y as Array), shapeOf(x));
  if (isU(y)) out[1] = ct instanceof Zero ? new Zero(y.aval) : unbroadcast(lax.mul(x as Array, ct), shapeOf(y));
  return out;
};

const addLike = (negY: boolean): TransposeRule<"add"> => (cts, args) => {
  const [ct] = cts;
  return args.map((a, i) => {
    if (!isU(a)) return null;
    if (ct instanceof Zero) return new Zero(a.aval);
    const c = unbroadcast(ct, a.aval.shape);
    return negY && i === 1 ? lax.neg(c) : c;
  });
};

const divT: TransposeRule<"div"> = (cts, args) => {
  const [ct] = cts;
  const [x, y] = args;
  if (isU(y)) throw new Error("div transpose: the divisor is linear (the program is not linear)");
  return [isU(x) ? (ct instanceof Zero ? new Zero(x.aval) : unbroadcast(lax.div(ct, y), x.aval.shape)) : null, null];
};

const selectNT: TransposeRule<"select_n"> = (cts, args) => {
  const [ct] = cts;
  const [which, ...cases] = args;
  if (isU(which)) throw new Error("select_n transpose: the predicate is linear");
  return [
    null,
    ...cases.map((c, i) => {
      if (!isU(c)) return null;
      if (ct instanceof Zero) return new Zero(c.aval);
      const z = zerosLikeAval(ct.aval);
      return bind1("select_n", [which, ...cases.map((_, j) => (j === i ? ct : z))], {});
    }),
  ];
};

const broadcastInDimT: TransposeRule<"broadcast_in_dim"> = linear1((ct, args, p: { shape: number[]; broadcast_dimensions: number[] }) => {
  const inShape = args[0].aval.shape;
  const bd = p.broadcast_dimensions;
  const sumDims = range(p.shape.length).filter((d) => !bd.includes(d));
  const expanded = bd.filter((d, i) => inShape[i] === 1 && p.shape[d] !== 1);
  const summed = lax.reduceSum(ct, [...sumDims, ...expanded].sort((a, b) => a - b));
  return lax.reshape(summed, inShape);
});

const reduceSumT: TransposeRule<"reduce_sum"> = linear1((ct, args, p: { axes: number[] }) => {
  const shape = args[0].aval.shape;
  const keep = range(shape.length).filter((d) => !p.axes.includes(d));
  return lax.broadcastInDim(ct, shape, keep);
});

const sliceT: TransposeRule<"slice"> = linear1((ct, args, p: { start_indices: number[]; limit_indices: number[]; strides: number[] | null }) => {
  const shape = args[0].aval.shape;
  const strides = p.strides ?? shape.map(() => 1);
  const realLimits = p.start_indices.map((s, i) => (ct.shape[i] === 0 ? s : s + (ct.shape[i] - 1) * strides[i] + 1));
  const cfg = shape.map((d, i) => [p.start_indices[i], d - realLimits[i], strides[i] - 1] as [number, number, number]);
  return lax.pad(ct, lax.convertElementType(0, ct.dtype), cfg);
});

const padT: TransposeRule<"pad"> = (cts, args, p) => {
  const [ct] = cts;
  const [op, pv] = args;
  if (ct instanceof Zero) return [isU(op) ? new Zero(op.aval) : null, isU(pv) ? new Zero(pv.aval) : null];
  // Undo negative low/high padding by padding the cotangent, then take the strided interior.
  const unpadCfg = p.padding_config.map(([lo, hi]) => [Math.max(-lo, 0), Math.max(-hi, 0), 0] as [number, number, number]);
  const ctPadded = lax.pad(ct, lax.convertElementType(0, ct.dtype), unpadCfg);
  const starts = p.padding_config.map(([lo]) => Math.max(lo, 0));
  const opShape = op.aval.shape;
  const limits = p.padding_config.map(([lo, , int], i) => Math.max(lo, 0) + (opShape[i] === 0 ? 0 : (opShape[i] - 1) * (int + 1) + 1));
  const strides = p.padding_config.map(([, , int]) => int + 1);
  const tOp = lax.slice(ctPadded, starts, limits, strides);
  const tPv = lax.sub(lax.reduceSum(ct, range(ct.ndim)), lax.reduceSum(tOp, range(tOp.ndim)));
  return [isU(op) ? tOp : null, isU(pv) ? tPv : null];
};

const concatenateT: TransposeRule<"concatenate"> = (cts, args, p) => {
  const [ct] = cts;
  let offset = 0;
  return args.map((a) => {
    const n = a.aval.shape[p.dimension];
    const start = offset;
    offset += n;
    if (!isU(a)) return null;
    if (ct instanceof Zero) return new Zero(a.aval);
    return lax.sliceInDim(ct, start, start + n, 1, p.dimension);
  });
};

const dynamicSliceT: TransposeRule<"dynamic_slice"> = (cts, args) => {
  const [ct] = cts;
  const [op, ...idx] = args;
  if (!isU(op)) return args.map(() => null);
  const z = zerosLikeAval(op.aval);
  return [ct instanceof Zero ? new Zero(op.aval) : lax.dynamicUpdateSlice(z, ct, idx as Array[]), ...idx.map(() => null)];
};

const dynamicUpdateSliceT: TransposeRule<"dynamic_update_slice"> = (cts, args) => {
  const [ct] = cts;
  const [op, upd, ...idx] = args;
  if (ct instanceof Zero) return [isU(op) ? new Zero(op.aval) : null, isU(upd) ? new Zero(upd.aval) : null, ...idx.map(() => null)];
  const opCt = isU(op) ? lax.dynamicUpdateSlice(ct, zerosLikeAval(upd.aval), idx as Array[]) : null;
  const updCt = isU(upd) ? lax.dynamicSlice(ct, idx as Array[], upd.aval.shape) : null;
  return [opCt, updCt, ...idx.map(() => null)];
};

const gatherT: TransposeRule<"gather"> = (cts, args, p) => {
  const [ct] = cts;
  const [op, idx] = args;
  if (!isU(op)) return [null, null];
  if (ct instanceof Zero) return [new Zero(op.aval), null];
  const dn = p.dimension_numbers;
  const sdn = new ScatterDimensionNumbers(dn.offsetDims, dn.collapsedSliceDims, dn.startIndexMap, dn.operandBatchingDims, dn.startIndicesBatchingDims);
  const z = zerosLikeAval(op.aval);
  return [bind1("scatter-add", [z, idx as Array, ct], { dimension_numbers: sdn, indices_are_sorted: p.indices_are_sorted, mode: p.mode, unique_indices: p.unique_indices }), null];
};

export function scatterToGather(dn: ScatterDimensionNumbers, updShape: readonly number[], opShape: readonly number[]): { gdn: GatherDimensionNumbers; sliceSizes: number[] } {
  const sliceSizes: number[] = [];
  let pos = 0;
  for (let i = 0; i < opShape.length; i++) {
    if (dn.insertedWindowDims.includes(i) || dn.operandBatchingDims.includes(i)) sliceSizes.push(1);
    else sliceSizes.push(updShape[dn.updateWindowDims[pos++]]);
  }
  return { gdn: new GatherDimensionNumbers(dn.updateWindowDims, dn.insertedWindowDims, dn.scatterDimsToOperandDims, dn.operandBatchingDims, dn.scatterIndicesBatchingDims), sliceSizes };
}

const scatterAddT: TransposeRule<"scatter-add"> = (cts, args, p) => {
  const [ct] = cts;
  const [op, idx, upd] = args;
  if (ct instanceof Zero) return [isU(op) ? new Zero(op.aval) : null, null, isU(upd) ? new Zero(upd.aval) : null];
  let updCt: Array | null = null;
  if (isU(upd)) {
    const { gdn, sliceSizes } = scatterToGather(p.dimension_numbers, upd.aval.shape, op.aval.shape);
    updCt = bind1("gather", [ct, idx as Array], { dimension_numbers: gdn, fill_value: null, indices_are_sorted: p.indices_are_sorted, mode: p.mode, slice_sizes: sliceSizes, unique_indices: p.unique_indices });
  }
  return [isU(op) ? ct : null, null, updCt];
};

/**
 * scatter (set) is linear in (operand, updates) jointly. Overwritten operand positions get a zero
 * cotangent; with repeated indices only the update that won (the last, as the CPU scatter applies
 * them) receives one: JAX's trick of scattering update ids and gathering them back.
 */
const scatterT: TransposeRule<"scatter"> = (cts, args, p) => {
  const [ct] = cts;
  const [op, idx, upd] = args;
  if (ct instanceof Zero) return [isU(op) ? new Zero(op.aval) : null, null, isU(upd) ? new Zero(upd.aval) : null];
  const opCt = isU(op) ? bind1("scatter", [ct, idx as Array, zerosLikeAval(upd.aval)], p) : null;
  let updCt: Array | null = null;
  if (isU(upd)) {
    const { gdn, sliceSizes } = scatterToGather(p.dimension_numbers, upd.aval.shape, op.aval.shape);
    const gatherP = { dimension_numbers: gdn, fill_value: null, indices_are_sorted: p.indices_are_sorted, mode: p.mode, slice_sizes: sliceSizes, unique_indices: p.unique_indices };
    const gathered = bind1("gather", [ct, idx as Array], gatherP);
    if (p.unique_indices) updCt = gathered;
    else {
      const n = upd.aval.size;
      const ids = lax.reshape(lax.add(lax.iota("int32", n), 1), upd.aval.shape);
      const zerosI = lax.broadcastInDim(lax.convertElementType(0, "int32"), op.aval.shape, []);
      const scatteredIds = bind1("scatter", [zerosI, idx as Array, ids], p);
      const won = lax.eq(bind1("gather", [scatteredIds, idx as Array], gatherP), ids);
      updCt = lax.select(won, gathered, zerosLikeAval(gathered.aval));
    }
  }
  return [opCt, null, updCt];
};

const convertT: TransposeRule<"convert_element_type"> = linear1((ct, args) => {
  const inAval = args[0].aval;
  return isFloat(ct.dtype) ? lax.convertElementType(ct, inAval.dtype, inAval.weakType) : ct;
});

export const transposeRules: TransposeRuleTable = {
  neg: linear1((ct) => lax.neg(ct)),
  add: addLike(false),
  sub: addLike(true) as unknown as TransposeRule<"sub">,
  mul: mulT,
  div: divT,
  select_n: selectNT,
  convert_element_type: convertT,
  reduce_sum: reduceSumT,
  broadcast_in_dim: broadcastInDimT,
  reshape: linear1((ct, args) => lax.reshape(ct, args[0].aval.shape)),
  transpose: linear1((ct, _a, p: { permutation: number[] }) => lax.transpose(ct, argsort(p.permutation))),
  squeeze: linear1((ct, args) => lax.reshape(ct, args[0].aval.shape)),
  rev: linear1((ct, _a, p: { dimensions: number[] }) => lax.rev(ct, p.dimensions)),
  slice: sliceT,
  pad: padT,
  concatenate: concatenateT,
  dynamic_slice: dynamicSliceT,
  dynamic_update_slice: dynamicUpdateSliceT,
  gather: gatherT,
  "scatter-add": scatterAddT,
  scatter: scatterT,
  cumsum: linear1((ct, _a, p: { axis: number; reverse: boolean }) => lax.cumsum(ct, p.axis, !p.reverse)),
  dot_general: dotGeneralT,
  custom_lin: customLinTranspose,
  ...convTransposeRules,
  cond: condTransposeRule,
  while: whileTransposeRule,
  scan: scanTransposeRule,
};

export type { TransposeRule };
