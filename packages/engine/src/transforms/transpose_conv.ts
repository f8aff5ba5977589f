/**
 * Transposes of the windowed linear primitives, following the formulas of
 * JAX's convolution.py: conv_general_dilated (w.r.t. lhs: a convolution of the
 * cotangent with the flipped kernel; w.r.t. rhs: a convolution of lhs with the
 * cotangent), and reduce_window_sum (pad the cotangent, sum windows again).
 */
import { ConvDimensionNumbers } from "../core/primitives.js";
import { type Array, bind1 } from "../core/tracer.js";
import * as lax from "../lax/lax.js";
import { type MaybeZero, Zero } from "./ad_util.js";
import { UndefPrimal, type TransposeRule } from "./transpose.js";

const dilateShape = (s: readonly number[], d: readonly number[]) => s.map((x, i) => (x === 0 ? 0 : 1 + d[i] * (x - 1)));
const take = (s: readonly number[], idx: readonly number[]) => idx.map((i) => s[i]);

export function convVjpLhsPadding(inShape: number[], window: number[], strides: readonly number[], outShape: number[], padding: readonly (readonly [number, number])[], lhsDil: readonly number[], rhsDil: readonly number[]): [number, number][] {
  const lhsD = dilateShape(inShape, lhsDil);
  const rhsD = dilateShape(window, rhsDil);
  const outD = dilateShape(outShape, strides);
  return lhsD.map((_, i) => {
    const before = rhsD[i] - padding[i][0] - 1;
    const after = lhsD[i] + rhsD[i] - 1 - outD[i] - before;
    return [before, after];
  });
}

function convVjpRhsPadding(inShape: number[], window: number[], strides: readonly number[], outShape: number[], padding: readonly (readonly [number, number])[], lhsDil: readonly number[], rhsDil: readonly number[]): [number, number][] {
  const lhsD = dilateShape(inShape, lhsDil);
  const rhsD = dilateShape(window, rhsDil);
  const outD = dilateShape(outShape, strides);
  return padding.map(([lo], i) => [lo, outD[i] - lhsD[i] + (rhsD[i] - lo - 1)]);
}

const specTranspose = (s: readonly number[]) => [s[1], s[0], ...s.slice(2)];

function reshapeAxisOutOf(src: number, size1: number, x: Array): Array {
  const shape = [...x.shape];
  shape.splice(src, 1, size1, shape[src] / size1);
  return lax.reshape(x, shape);
}
function reshapeAxisInto(src: number, dst: number, x: Array): Array {
  const perm = x.shape.map((_, i) => i).filter((i) => i !== src);
  perm.splice(dst, 0, src);
  const newShape = x.shape.filter((_, i) => i !== src);
  newShape[dst] *= x.shape[src];
  return lax.reshape(lax.transpose(x, perm), newShape);
}

const convT: TransposeRule<"conv_general_dilated"> = (cts, args, p) => {
  const [ct] = cts;
  const [lhs, rhs] = args;
  if (lhs instanceof UndefPrimal && rhs instanceof UndefPrimal) throw new Error("conv transpose: both operands are linear (the program is not linear)");
  const out: (MaybeZero | null)[] = [null, null];
  const dn = p.dimension_numbers;
  const lhsS = dn.lhsSpec.slice(2), rhsS = dn.rhsSpec.slice(2), outS = dn.outSpec.slice(2);
  if (ct instanceof Zero) return [lhs instanceof UndefPrimal ? new Zero(lhs.aval) : null, rhs instanceof UndefPrimal ? new Zero(rhs.aval) : null];
  if (lhs instanceof UndefPrimal) {
    let w = rhs as Array;
    let fgc = p.feature_group_count;
    const bgc = p.batch_group_count;
    if (fgc > 1) {
      w = reshapeAxisOutOf(dn.rhsSpec[0], fgc, w);
      w = reshapeAxisInto(dn.rhsSpec[0], dn.rhsSpec[1], w);
    } else if (bgc > 1) {
      w = reshapeAxisOutOf(dn.rhsSpec[0], bgc, w);
      w = reshapeAxisInto(dn.rhsSpec[0], dn.rhsSpec[1], w);
      fgc = bgc;
    }
    const tdn = new ConvDimensionNumbers(dn.outSpec, specTranspose(dn.rhsSpec), dn.lhsSpec);
    const padding = convVjpLhsPadding(take(lhs.aval.shape, lhsS), take(w.shape, rhsS), p.window_strides, take(ct.shape, outS), p.padding, p.lhs_dilation, p.rhs_dilation);
    let r = bind1("conv_general_dilated", [ct, lax.rev(w, rhsS)], {
      window_strides: p.lhs_dilation,
      padding,
      lhs_dilation: p.window_strides,
      rhs_dilation: p.rhs_dilation,
      dimension_numbers: tdn,
      feature_group_count: fgc,
      batch_group_count: 1,
      precision: null,
      preferred_element_type: p.preferred_element_type,
    });
    if (bgc > 1) {
      r = reshapeAxisOutOf(dn.lhsSpec[1], bgc, r);
      r = reshapeAxisInto(dn.lhsSpec[1], dn.lhsSpec[0], r);
    }
    out[0] = lax.convertElementType(r, lhs.aval.dtype);
  }
  if (rhs instanceof UndefPrimal) {
    let fgc = p.feature_group_count;
    let bgc = p.batch_group_count;
    if (bgc > 1) {
      fgc = bgc;
      bgc = 1;
    } else if (fgc > 1) {
      bgc = fgc;
      fgc = 1;
    }
    const tdn = new ConvDimensionNumbers(specTranspose(dn.lhsSpec), specTranspose(dn.outSpec), specTranspose(dn.rhsSpec));
    const l = lhs as Array;
    const padding = convVjpRhsPadding(take(l.shape, lhsS), take(rhs.aval.shape, rhsS), p.window_strides, take(ct.shape, outS), p.padding, p.lhs_dilation, p.rhs_dilation);
    const r = bind1("conv_general_dilated", [l, ct], {
      window_strides: p.rhs_dilation,
      padding,
      lhs_dilation: p.lhs_dilation,
      rhs_dilation: p.window_strides,
      dimension_numbers: tdn,
      feature_group_count: fgc,
      batch_group_count: bgc,
      precision: null,
      preferred_element_type: p.preferred_element_type,
    });
    out[1] = lax.convertElementType(r, rhs.aval.dtype);
  }
  return out;
};

const reduceWindowSumT: TransposeRule<"reduce_window_sum"> = (cts, args, p) => {
  const [ct] = cts;
  const [op] = args;
  if (ct instanceof Zero) return [new Zero(op.aval)];
  const inShape = [...op.aval.shape];
  const pads = convVjpLhsPadding(inShape, [...p.window_dimensions], p.window_strides, [...ct.shape], p.padding, p.base_dilation, p.window_dilation);
  const cfg = pads.map(([lo, hi], i) => [lo, hi, p.window_strides[i] - 1] as [number, number, number]);
  const padded = lax.pad(ct, lax.convertElementType(0, ct.dtype), cfg);
  const r = bind1("reduce_window_sum", [padded], {
    base_dilation: inShape.map(() => 1),
    padding: inShape.map(() => [0, 0] as [number, number]),
    window_dilation: p.window_dilation,
    window_dimensions: p.window_dimensions,
    window_strides: p.base_dilation,
  });
  return [r];
};

export const convTransposeRules = {
  conv_general_dilated: convT,
  reduce_window_sum: reduceWindowSumT,
};
