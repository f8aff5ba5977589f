/**
 * `lax`: thin, typed wrappers that bind primitives (JAX's jax.lax). lax does not
 * promote dtypes: operands must agree, except that JS numbers are weakly typed
 * and take the dtype of the array operands, as Python scalars do in JAX.
 */
import { type Array, bind, bind1 } from "../core/tracer.js";
import { type DType, isFloat, isDType } from "../core/dtype.js";
import {
  ConvDimensionNumbers, DotDimensionNumbers, GatherDimensionNumbers, type GatherScatterMode, ModeParam,
  ScatterDimensionNumbers, type PrimitiveParams,
} from "../core/primitives.js";
import { scalar } from "../array.js";
import { Array as ArrayBase } from "../core/tracer.js";

export type ArrayLike = Array | number | boolean;

/** Weak dtype a bare JS value gets: booleans bool, integer-valued numbers int32, others float32. */
export function jsScalarDtype(v: number | boolean): DType {
  return typeof v === "boolean" ? "bool" : Number.isInteger(v) ? "int32" : "float32";
}

export function isArray(x: unknown): x is Array {
  return x instanceof ArrayBase;
}

/** An Array from an ArrayLike; JS scalars become weak arrays of `dtype` (or their natural weak dtype). */
export function asArray(x: ArrayLike, dtype?: DType): Array {
  if (isArray(x)) return x;
  if (typeof x === "number" || typeof x === "boolean") {
    const d = dtype ?? jsScalarDtype(x);
    return scalar(x, d, typeof x !== "boolean" || d !== "bool");
  }
  throw new TypeError(`Expected an Array or a JS number/boolean, got ${describe(x)}.`);
}

export function describe(x: unknown): string {
  if (x === null) return "null";
  if (globalThis.Array.isArray(x)) return "a JS array";
  if (typeof x === "object") return `an object of type ${(x as object).constructor?.name ?? "Object"}`;
  return `${typeof x} ${String(x)}`;
}

/** Coerce operands of an n-ary lax op: JS scalars adopt the first array operand's dtype. */
function coerce(name: string, xs: ArrayLike[]): Array[] {
  const first = xs.find(isArray);
  const arrs = xs.map((x) => (isArray(x) ? x : asArray(x, first?.dtype)));
  const dts = arrs.map((a) => a.dtype);
  if (dts.some((d) => d !== dts[0]))
    throw new TypeError(
      `lax.${name} requires arguments to have the same dtypes, got ${dts.join(", ")}. ` +
        `(Tip: np.${name} is a similar function that does automatic type promotion on inputs).`,
    );
  return arrs;
}

const un = (prim: "neg" | "sign" | "floor" | "ceil" | "is_finite" | "exp" | "exp2" | "log" | "log1p" | "expm1" | "tanh" | "logistic" | "sin" | "cos" | "tan" | "asin" | "acos" | "atan" | "sinh" | "cosh" | "asinh" | "acosh" | "atanh" | "sqrt" | "rsqrt" | "cbrt" | "abs" | "not" | "erf" | "erf_inv") =>
  (x: ArrayLike): Array => bind1(prim, [asArray(x)], {});
const bin = (prim: "add" | "sub" | "mul" | "div" | "rem" | "pow" | "max" | "min" | "atan2" | "nextafter" | "and" | "or" | "xor" | "eq" | "ne" | "lt" | "le" | "gt" | "ge" | "shift_left" | "shift_right_logical" | "shift_right_arithmetic", name: string = prim) =>
  (x: ArrayLike, y: ArrayLike): Array => bind1(prim, coerce(name, [x, y]), {});

export const neg = un("neg"), sign = un("sign"), floor = un("floor"), ceil = un("ceil"), isFinite = un("is_finite");
export const exp = un("exp"), exp2 = un("exp2"), log = un("log"), log1p = un("log1p"), expm1 = un("expm1");
export const tanh = un("tanh"), logistic = un("logistic"), sin = un("sin"), cos = un("cos"), tan = un("tan");
export const asin = un("asin"), acos = un("acos"), atan = un("atan"), sinh = un("sinh"), cosh = un("cosh");
export const asinh = un("asinh"), acosh = un("acosh"), atanh = un("atanh");
export const sqrt = un("sqrt"), rsqrt = un("rsqrt"), cbrt = un("cbrt"), abs = un("abs"), bitwiseNot = un("not");
export const erf = un("erf"), erfInv = un("erf_inv");
export const add = bin("add"), sub = bin("sub", "subtract"), mul = bin("mul", "multiply"), div = bin("div", "divide");
export const rem = bin("rem", "remainder"), pow = bin("pow", "power"), max = bin("max", "maximum"), min = bin("min", "minimum");
export const atan2 = bin("atan2", "arctan2"), nextafter = bin("nextafter");
export const bitwiseAnd = bin("and", "bitwise_and"), bitwiseOr = bin("or", "bitwise_or"), bitwiseXor = bin("xor", "bitwise_xor");
export const eq = bin("eq", "equal"), ne = bin("ne", "not_equal"), lt = bin("lt", "less"), le = bin("le", "less_equal");
export const gt = bin("gt", "greater"), ge = bin("ge", "greater_equal");
export const shiftLeft = bin("shift_left", "left_shift"), shiftRightLogical = bin("shift_right_logical", "right_shift");
export const shiftRightArithmetic = bin("shift_right_arithmetic", "right_shift");

export const RoundingMethod = { AWAY_FROM_ZERO: 0, TO_NEAREST_EVEN: 1 } as const;
export function round(x: ArrayLike, roundingMethod: 0 | 1 = 0): Array {
  return bind1("round", [asArray(x)], { rounding_method: roundingMethod });
}
export function integerPow(x: ArrayLike, y: number): Array {
  if (!Number.isInteger(y)) throw new TypeError(`lax.integer_pow: exponent y must be an integer, got ${y}.`);
  return bind1("integer_pow", [asArray(x)], { y });
}
export function square(x: ArrayLike): Array {
  return integerPow(x, 2);
}

/** select_n(which, *cases): picks cases[which] elementwise. */
export function selectN(which: ArrayLike, ...cases: ArrayLike[]): Array {
  if (cases.length === 0) throw new TypeError("lax.select_n requires at least one case.");
  const cs = coerce("select_n", cases);
  return bind1("select_n", [asArray(which), ...cs], {});
}
/** select(pred, onTrue, onFalse). */
export function select(pred: ArrayLike, onTrue: ArrayLike, onFalse: ArrayLike): Array {
  return selectN(pred, onFalse, onTrue);
}
export function clamp(lo: ArrayLike, x: ArrayLike, hi: ArrayLike): Array {
  const [l, xx, h] = coerce("clamp", [lo, x, hi]);
  return bind1("clamp", [l, xx, h], {});
}

export function convertElementType(x: ArrayLike, newDtype: DType, weakType = false): Array {
  if (!isDType(newDtype)) throw new TypeError(`lax.convert_element_type: unknown dtype ${String(newDtype)}.`);
  // As in JAX, converting a constant JS scalar makes the array directly, without a primitive.
  if (!isArray(x)) return scalar(x, newDtype, weakType);
  if (x.dtype === newDtype && x.weakType === weakType) return x;
  return bind1("convert_element_type", [x], { new_dtype: newDtype, weak_type: weakType });
}
export function bitcastConvertType(x: ArrayLike, newDtype: DType): Array {
  return bind1("bitcast_convert_type", [asArray(x)], { new_dtype: newDtype });
}

export function iota(dtype: DType, size: number): Array {
  return bind1("iota", [], { dtype, shape: [size], dimension: 0 });
}
export function broadcastedIota(dtype: DType, shape: readonly number[], dimension: number): Array {
  return bind1("iota", [], { dtype, shape: [...shape], dimension });
}

export function broadcastInDim(x: ArrayLike, shape: readonly number[], broadcastDimensions: readonly number[]): Array {
  const a = asArray(x);
  if (a.ndim === shape.length && a.shape.every((d, i) => d === shape[i]) && broadcastDimensions.every((d, i) => d === i)) return a;
  return bind1("broadcast_in_dim", [a], { shape: [...shape], broadcast_dimensions: [...broadcastDimensions] });
}
/** lax.broadcast: prepend `sizes` dimensions. */
export function broadcast(x: ArrayLike, sizes: readonly number[]): Array {
  const a = asArray(x);
  return broadcastInDim(a, [...sizes, ...a.shape], a.shape.map((_, i) => i + sizes.length));
}
export function reshape(x: ArrayLike, newSizes: readonly number[]): Array {
  const a = asArray(x);
  if (a.shape.length === newSizes.length && a.shape.every((d, i) => d === newSizes[i])) return a;
  return bind1("reshape", [a], { new_sizes: [...newSizes], dimensions: null });
}
export function transpose(x: ArrayLike, permutation: readonly number[]): Array {
  const a = asArray(x);
  if (permutation.every((p, i) => p === i) && permutation.length === a.ndim) return a;
  return bind1("transpose", [a], { permutation: [...permutation] });
}
export function squeeze(x: ArrayLike, dimensions: readonly number[]): Array {
  const a = asArray(x);
  if (dimensions.length === 0) return a;
  return bind1("squeeze", [a], { dimensions: [...dimensions].sort((p, q) => p - q) });
}
/** lax.expand_dims: insert size-1 dims at `dimensions` (of the result), via broadcast_in_dim as JAX does. */
export function expandDims(x: ArrayLike, dimensions: readonly number[]): Array {
  const a = asArray(x);
  const nd = a.ndim + dimensions.length;
  const dims = dimensions.map((d) => (d < 0 ? d + nd : d)).sort((p, q) => p - q);
  if (dims.some((d, i) => d < 0 || d >= nd || dims.indexOf(d) !== i))
    throw new Error(`lax.expand_dims: repeated or out-of-range axis in dimensions=(${dimensions.join(", ")}) for an array of rank ${a.ndim}.`);
  const shape: number[] = [];
  const bdims: number[] = [];
  let src = 0;
  for (let i = 0; i < nd; i++) {
    if (dims.includes(i)) shape.push(1);
    else {
      shape.push(a.shape[src++]);
      bdims.push(i);
    }
  }
  return broadcastInDim(a, shape, bdims);
}
export function rev(x: ArrayLike, dimensions: readonly number[]): Array {
  const a = asArray(x);
  if (dimensions.length === 0) return a;
  return bind1("rev", [a], { dimensions: [...dimensions] });
}
export function slice(x: ArrayLike, startIndices: readonly number[], limitIndices: readonly number[], strides: readonly number[] | null = null): Array {
  return bind1("slice", [asArray(x)], { start_indices: [...startIndices], limit_indices: [...limitIndices], strides: strides ? [...strides] : null });
}
export function sliceInDim(x: ArrayLike, start: number, limit: number, stride = 1, axis = 0): Array {
  const a = asArray(x);
  if (axis < 0) axis += a.ndim;
  const len = a.shape[axis];
  if (start < 0) start += len;
  if (limit < 0) limit += len;
  const s = a.shape.map(() => 0);
  const l = [...a.shape];
  const st = a.shape.map(() => 1);
  s[axis] = start;
  l[axis] = limit;
  st[axis] = stride;
  return slice(a, s, l, stride === 1 ? null : st);
}
export function dynamicSlice(x: ArrayLike, startIndices: readonly ArrayLike[], sliceSizes: readonly number[]): Array {
  const idx = startIndices.map((i) => asArray(i, "int32"));
  return bind1("dynamic_slice", [asArray(x), ...idx], { slice_sizes: [...sliceSizes] });
}
export function dynamicUpdateSlice(x: ArrayLike, update: ArrayLike, startIndices: readonly ArrayLike[]): Array {
  const [a, u] = coerce("dynamic_update_slice", [x, update]);
  return bind1("dynamic_update_slice", [a, u, ...startIndices.map((i) => asArray(i, "int32"))], {});
}
export function pad(x: ArrayLike, paddingValue: ArrayLike, paddingConfig: readonly (readonly [number, number, number])[]): Array {
  const [a, p] = coerce("pad", [x, paddingValue]);
  return bind1("pad", [a, p], { padding_config: paddingConfig.map((c) => [c[0], c[1], c[2]] as const) });
}
export function concatenate(xs: readonly ArrayLike[], dimension: number): Array {
  if (xs.length === 0) throw new TypeError("lax.concatenate requires at least one operand.");
  const arrs = coerce("concatenate", [...xs]);
  if (arrs.length === 1) return arrs[0];
  return bind1("concatenate", arrs, { dimension });
}

export { GatherDimensionNumbers, ScatterDimensionNumbers, ConvDimensionNumbers, DotDimensionNumbers };

export interface GatherOptions {
  dimensionNumbers: GatherDimensionNumbers;
  sliceSizes: readonly number[];
  mode?: GatherScatterMode;
  fillValue?: number | null;
  indicesAreSorted?: boolean;
  uniqueIndices?: boolean;
}
export function gather(operand: ArrayLike, indices: ArrayLike, o: GatherOptions): Array {
  const params: PrimitiveParams["gather"] = {
    dimension_numbers: o.dimensionNumbers,
    fill_value: o.fillValue ?? null,
    indices_are_sorted: o.indicesAreSorted ?? false,
    mode: new ModeParam(o.mode ?? "fill"),
    slice_sizes: [...o.sliceSizes],
    unique_indices: o.uniqueIndices ?? false,
  };
  return bind1("gather", [asArray(operand), asArray(indices, "int32")], params);
}

export interface ScatterOptions {
  dimensionNumbers: ScatterDimensionNumbers;
  mode?: GatherScatterMode;
  indicesAreSorted?: boolean;
  uniqueIndices?: boolean;
}
type ScatterPrim = "scatter" | "scatter-add" | "scatter-mul" | "scatter-min" | "scatter-max";
const scatterOp = (prim: ScatterPrim) => (operand: ArrayLike, indices: ArrayLike, updates: ArrayLike, o: ScatterOptions): Array => {
  const [op, up] = coerce(prim, [operand, updates]);
  return bind1(prim, [op, asArray(indices, "int32"), up], {
    dimension_numbers: o.dimensionNumbers,
    indices_are_sorted: o.indicesAreSorted ?? false,
    mode: new ModeParam(o.mode ?? "fill"),
    unique_indices: o.uniqueIndices ?? false,
  });
};
export const scatter = scatterOp("scatter"), scatterAdd = scatterOp("scatter-add"), scatterMul = scatterOp("scatter-mul");
export const scatterMin = scatterOp("scatter-min"), scatterMax = scatterOp("scatter-max");

type ReducePrim = "reduce_sum" | "reduce_max" | "reduce_min" | "reduce_prod" | "reduce_and" | "reduce_or";
const reduceOp = (prim: ReducePrim) => (x: ArrayLike, axes: readonly number[]): Array => {
  return bind1(prim, [asArray(x)], { axes: [...axes].sort((p, q) => p - q) });
};
export const reduceSum = reduceOp("reduce_sum"), reduceMax = reduceOp("reduce_max"), reduceMin = reduceOp("reduce_min");
export const reduceProd = reduceOp("reduce_prod"), reduceAnd = reduceOp("reduce_and"), reduceOr = reduceOp("reduce_or");

export function argmax(x: ArrayLike, axis: number, indexDtype: DType = "int32"): Array {
  return bind1("argmax", [asArray(x)], { axes: [axis], index_dtype: indexDtype });
}
export function argmin(x: ArrayLike, axis: number, indexDtype: DType = "int32"): Array {
  return bind1("argmin", [asArray(x)], { axes: [axis], index_dtype: indexDtype });
}

type CumPrim = "cumsum" | "cumprod" | "cummax" | "cummin";
const cumOp = (prim: CumPrim) => (x: ArrayLike, axis = 0, reverse = false): Array => bind1(prim, [asArray(x)], { axis, reverse });
export const cumsum = cumOp("cumsum"), cumprod = cumOp("cumprod"), cummax = cumOp("cummax"), cummin = cumOp("cummin");

/** lax.sort: sorts one operand, or several together by the first `numKeys`. */
export function sort(operand: ArrayLike | readonly ArrayLike[], dimension = -1, isStable = true, numKeys = 1): Array | Array[] {
  const many = globalThis.Array.isArray(operand);
  const ops = (many ? (operand as ArrayLike[]) : [operand as ArrayLike]).map((x) => asArray(x));
  const nd = ops[0].ndim;
  const dim = dimension < 0 ? dimension + nd : dimension;
  const outs = bind("sort", ops, { dimension: dim, is_stable: isStable, num_keys: numKeys });
  return many ? outs : outs[0];
}

/**
 * lax.top_k: the `k` largest entries along the last axis, largest first, and their int32
 * indices. Ties keep the lower index first; NaN counts as larger than every number (as XLA's
 * TopK). Implemented as one stable ascending sort on a descending key (negation for floats,
 * bitwise not for integers and bools, which reverses their order without overflow), then a slice.
 */
export function topK(operand: ArrayLike, k: number): [Array, Array] {
  const x = asArray(operand);
  if (x.ndim === 0) throw new TypeError("lax.top_k: operand must have at least one dimension, got a scalar.");
  const last = x.ndim - 1;
  const n = x.shape[last];
  if (!Number.isInteger(k) || k < 0) throw new TypeError(`lax.top_k: k must be a non-negative integer, got ${k}.`);
  if (k > n) throw new TypeError(`lax.top_k: k=${k} is larger than the last dimension of the operand, of size ${n} (shape (${x.shape.join(", ")})).`);
  const iotaIdx = broadcastedIota("int32", x.shape, last);
  const outs = isFloat(x.dtype)
    ? (() => {
        // Key 1 puts NaNs first (0 before 1); key 2 orders the numbers descending.
        const isNan = ne(x, x);
        const nanFirst = convertElementType(bitwiseNot(isNan), "int32");
        const desc = select(isNan, broadcastInDim(convertElementType(0, x.dtype), x.shape, []), neg(x));
        return bind("sort", [nanFirst, desc, x, iotaIdx], { dimension: last, is_stable: true, num_keys: 2 }).slice(2);
      })()
    : bind("sort", [bitwiseNot(x), x, iotaIdx], { dimension: last, is_stable: true, num_keys: 1 }).slice(1);
  const start = x.shape.map(() => 0);
  const limit = x.shape.map((d, i) => (i === last ? k : d));
  return [slice(outs[0], start, limit), slice(outs[1], start, limit)];
}

/** dot_general with ((lhs_contract, rhs_contract), (lhs_batch, rhs_batch)). */
export function dotGeneral(
  lhs: ArrayLike,
  rhs: ArrayLike,
  dimensionNumbers: readonly [readonly [readonly number[], readonly number[]], readonly [readonly number[], readonly number[]]],
  preferredElementType: DType | null = null,
): Array {
  const [[lc, rc], [lb, rb]] = dimensionNumbers;
  const [l, r] = preferredElementType ? [asArray(lhs), asArray(rhs)] : coerce("dot_general", [lhs, rhs]);
  return bind1("dot_general", [l, r], {
    dimension_numbers: new DotDimensionNumbers(lc, rc, lb, rb),
    precision: null,
    preferred_element_type: preferredElementType ?? l.dtype,
  });
}
/** lax.dot: vector/matrix products contracting lhs's last and rhs's first (or only) axis. */
export function dot(lhs: ArrayLike, rhs: ArrayLike, preferredElementType: DType | null = null): Array {
  const l = asArray(lhs), r = asArray(rhs);
  if (l.ndim > 2 || r.ndim > 2 || l.ndim === 0 || r.ndim === 0)
    throw new TypeError(`lax.dot requires 1- or 2-D operands, got shapes ${l.shape} and ${r.shape}; use dotGeneral or np.matmul.`);
  return dotGeneral(l, r, [[[l.ndim - 1], [0]], [[], []]], preferredElementType);
}

export interface ConvOptions {
  windowStrides: readonly number[];
  padding: "SAME" | "VALID" | readonly (readonly [number, number])[];
  lhsDilation?: readonly number[];
  rhsDilation?: readonly number[];
  /** e.g. ["NCHW", "OIHW", "NCHW"] (the default) or ["NHWC", "HWIO", "NHWC"]. */
  dimensionNumbers?: readonly [string, string, string] | ConvDimensionNumbers;
  featureGroupCount?: number;
  batchGroupCount?: number;
  preferredElementType?: DType | null;
}

function specFromString(s: string, kind: "lhs" | "rhs"): number[] {
  const [a, b] = kind === "lhs" ? ["N", "C"] : ["O", "I"];
  const spatial = [...s].map((c, i) => [c, i] as const).filter(([c]) => c !== a && c !== b).map(([, i]) => i);
  return [s.indexOf(a), s.indexOf(b), ...spatial];
}

export function convGeneralDilated(lhs: ArrayLike, rhs: ArrayLike, o: ConvOptions): Array {
  const [l, r] = coerce("conv_general_dilated", [lhs, rhs]);
  const nsp = l.ndim - 2;
  let dn: ConvDimensionNumbers;
  if (o.dimensionNumbers instanceof ConvDimensionNumbers) dn = o.dimensionNumbers;
  else {
    const [ls, rs, os] = o.dimensionNumbers ?? ["NCHW".slice(0, 2) + "DHW".slice(3 - nsp), "OIHW".slice(0, 2) + "DHW".slice(3 - nsp), "NCHW".slice(0, 2) + "DHW".slice(3 - nsp)];
    dn = new ConvDimensionNumbers(specFromString(ls, "lhs"), specFromString(rs, "rhs"), specFromString(os, "lhs"));
  }
  const lhsDil = o.lhsDilation ?? new globalThis.Array(nsp).fill(1);
  const rhsDil = o.rhsDilation ?? new globalThis.Array(nsp).fill(1);
  let padding: [number, number][];
  if (typeof o.padding === "string") {
    padding = [];
    for (let i = 0; i < nsp; i++) {
      const inSize = (l.shape[dn.lhsSpec[i + 2]] - 1) * lhsDil[i] + 1;
      const k = (r.shape[dn.rhsSpec[i + 2]] - 1) * rhsDil[i] + 1;
      const s = o.windowStrides[i];
      if (o.padding === "VALID") padding.push([0, 0]);
      else {
        const out = Math.ceil(inSize / s);
        const total = Math.max(0, (out - 1) * s + k - inSize);
        padding.push([Math.floor(total / 2), total - Math.floor(total / 2)]);
      }
    }
  } else padding = o.padding.map((p) => [p[0], p[1]]);
  return bind1("conv_general_dilated", [l, r], {
    window_strides: [...o.windowStrides],
    padding,
    lhs_dilation: [...lhsDil],
    rhs_dilation: [...rhsDil],
    dimension_numbers: dn,
    feature_group_count: o.featureGroupCount ?? 1,
    batch_group_count: o.batchGroupCount ?? 1,
    precision: null,
    preferred_element_type: o.preferredElementType ?? null,
  });
}

/** lax.reduce_window with computation lax.add, lax.max or lax.min. */
export function reduceWindow(
  operand: ArrayLike,
  initValue: number,
  computation: (a: Array, b: Array) => Array,
  windowDimensions: readonly number[],
  windowStrides: readonly number[],
  padding: "SAME" | "VALID" | readonly (readonly [number, number])[],
  baseDilation?: readonly number[],
  windowDilation?: readonly number[],
): Array {
  const x = asArray(operand);
  const prim = computation === add ? "reduce_window_sum" : computation === max ? "reduce_window_max" : computation === min ? "reduce_window_min" : null;
  if (!prim) throw new TypeError("lax.reduceWindow supports computation lax.add, lax.max or lax.min.");
  const n = x.ndim;
  let pads: [number, number][];
  if (typeof padding === "string") {
    pads = x.shape.map((d, i) => {
      if (padding === "VALID") return [0, 0];
      const out = Math.ceil(d / windowStrides[i]);
      const total = Math.max(0, (out - 1) * windowStrides[i] + windowDimensions[i] - d);
      return [Math.floor(total / 2), total - Math.floor(total / 2)];
    });
  } else pads = padding.map((p) => [p[0], p[1]]);
  let out = bind1(prim, [x], {
    base_dilation: [...(baseDilation ?? new globalThis.Array(n).fill(1))],
    padding: pads,
    window_dilation: [...(windowDilation ?? new globalThis.Array(n).fill(1))],
    window_dimensions: [...windowDimensions],
    window_strides: [...windowStrides],
  });
  const identity = prim === "reduce_window_sum" ? 0 : prim === "reduce_window_max" ? -Infinity : Infinity;
  if (initValue !== identity && !(isFloat(x.dtype) === false && prim !== "reduce_window_sum")) out = computation(out, asArray(initValue, x.dtype));
  return out;
}

/** `lax.stop_gradient` (transforms/custom_derivatives.ts). */
export { stopGradient } from "../transforms/custom_derivatives.js";

export * from "./control_flow.js";
