/**
 * The primitive set: every primitive's JAX name and the type of its params.
 *
 * This is the single list of primitives. Rule tables (abstract eval, impl, jvp,
 * transpose, batching, backend lowerings) are mapped types over `PrimitiveName`,
 * so a primitive without a rule is a compile error where a rule is required.
 * Param names follow JAX so that jaxprs print as JAX prints them; param
 * printing (tuples, None, True/False, nested jaxprs) lives in `jaxpr.ts`.
 */
import type { DType } from "./dtype.js";
import type { ClosedJaxpr } from "./jaxpr.js";
import type { CustomJvpCallParams, CustomLinParams, CustomVjpCallParams } from "./rules/custom_rules.js";

export type Empty = Record<string, never>;

/** `dot_general`'s dimension numbers: ((lhs_contract, rhs_contract), (lhs_batch, rhs_batch)). */
export class DotDimensionNumbers {
  constructor(
    readonly lhsContracting: readonly number[],
    readonly rhsContracting: readonly number[],
    readonly lhsBatch: readonly number[],
    readonly rhsBatch: readonly number[],
  ) {}
  toString(): string {
    const l = (a: readonly number[]) => `[${a.join(", ")}]`;
    return `((${l(this.lhsContracting)}, ${l(this.rhsContracting)}), (${l(this.lhsBatch)}, ${l(this.rhsBatch)}))`;
  }
}

/** JAX's GatherScatterMode, printed as `GatherScatterMode.CLIP` etc. */
export type GatherScatterMode = "clip" | "fill" | "promise_in_bounds";
export class ModeParam {
  constructor(readonly mode: GatherScatterMode) {}
  toString(): string {
    return `GatherScatterMode.${this.mode === "fill" ? "FILL_OR_DROP" : this.mode.toUpperCase()}`;
  }
}

const tup = (a: readonly number[]) => (a.length === 1 ? `(${a[0]},)` : `(${a.join(", ")})`);

export class GatherDimensionNumbers {
  constructor(
    readonly offsetDims: readonly number[],
    readonly collapsedSliceDims: readonly number[],
    readonly startIndexMap: readonly number[],
    readonly operandBatchingDims: readonly number[] = [],
    readonly startIndicesBatchingDims: readonly number[] = [],
  ) {}
  toString(): string {
    return (
      `GatherDimensionNumbers(offset_dims=${tup(this.offsetDims)}, collapsed_slice_dims=${tup(this.collapsedSliceDims)}, ` +
      `start_index_map=${tup(this.startIndexMap)}, operand_batching_dims=${tup(this.operandBatchingDims)}, ` +
      `start_indices_batching_dims=${tup(this.startIndicesBatchingDims)})`
    );
  }
}

export class ScatterDimensionNumbers {
  constructor(
    readonly updateWindowDims: readonly number[],
    readonly insertedWindowDims: readonly number[],
    readonly scatterDimsToOperandDims: readonly number[],
    readonly operandBatchingDims: readonly number[] = [],
    readonly scatterIndicesBatchingDims: readonly number[] = [],
  ) {}
  toString(): string {
    return (
      `ScatterDimensionNumbers(update_window_dims=${tup(this.updateWindowDims)}, inserted_window_dims=${tup(this.insertedWindowDims)}, ` +
      `scatter_dims_to_operand_dims=${tup(this.scatterDimsToOperandDims)}, operand_batching_dims=${tup(this.operandBatchingDims)}, ` +
      `scatter_indices_batching_dims=${tup(this.scatterIndicesBatchingDims)})`
    );
  }
}

/** Convolution layout: each spec lists dimension indices as (batch/out-feature, feature/in-feature, spatial...). */
export class ConvDimensionNumbers {
  constructor(
    readonly lhsSpec: readonly number[],
    readonly rhsSpec: readonly number[],
    readonly outSpec: readonly number[],
  ) {}
  toString(): string {
    return `ConvDimensionNumbers(lhs_spec=${tup(this.lhsSpec)}, rhs_spec=${tup(this.rhsSpec)}, out_spec=${tup(this.outSpec)})`;
  }
}

type GatherParams = {
  dimension_numbers: GatherDimensionNumbers;
  fill_value: number | null;
  indices_are_sorted: boolean;
  mode: ModeParam;
  slice_sizes: readonly number[];
  unique_indices: boolean;
};
type ScatterParams = {
  dimension_numbers: ScatterDimensionNumbers;
  indices_are_sorted: boolean;
  mode: ModeParam;
  unique_indices: boolean;
};
type ReduceWindowParams = {
  base_dilation: readonly number[];
  padding: readonly (readonly [number, number])[];
  window_dilation: readonly number[];
  window_dimensions: readonly number[];
  window_strides: readonly number[];
};
type CumParams = { axis: number; reverse: boolean };
type Axes = { axes: readonly number[] };

/** Primitive name -> params type. JAX's names; order is irrelevant. */
export interface PrimitiveParams {
  // unary elementwise
  neg: Empty; sign: Empty; floor: Empty; ceil: Empty; round: { rounding_method: 0 | 1 };
  is_finite: Empty; exp: Empty; exp2: Empty; log: Empty; log1p: Empty; expm1: Empty;
  tanh: Empty; logistic: Empty; sin: Empty; cos: Empty; tan: Empty; asin: Empty; acos: Empty;
  atan: Empty; sinh: Empty; cosh: Empty; asinh: Empty; acosh: Empty; atanh: Empty;
  sqrt: Empty; rsqrt: Empty; cbrt: Empty; abs: Empty; not: Empty; erf: Empty; erf_inv: Empty;
  integer_pow: { y: number };
  // binary elementwise
  add: Empty; sub: Empty; mul: Empty; div: Empty; rem: Empty; pow: Empty; max: Empty; min: Empty;
  atan2: Empty; nextafter: Empty; and: Empty; or: Empty; xor: Empty;
  eq: Empty; ne: Empty; lt: Empty; le: Empty; gt: Empty; ge: Empty;
  shift_left: Empty; shift_right_logical: Empty; shift_right_arithmetic: Empty;
  // n-ary elementwise
  select_n: Empty; // operands: which, *cases
  clamp: Empty; // operands: min, x, max
  // dtype
  convert_element_type: { new_dtype: DType; weak_type: boolean };
  bitcast_convert_type: { new_dtype: DType };
  // creation / shape
  iota: { dtype: DType; shape: readonly number[]; dimension: number };
  broadcast_in_dim: { shape: readonly number[]; broadcast_dimensions: readonly number[] };
  reshape: { new_sizes: readonly number[]; dimensions: null };
  transpose: { permutation: readonly number[] };
  squeeze: { dimensions: readonly number[] };
  rev: { dimensions: readonly number[] };
  slice: { start_indices: readonly number[]; limit_indices: readonly number[]; strides: readonly number[] | null };
  dynamic_slice: { slice_sizes: readonly number[] }; // operands: operand, *start_indices (scalars)
  dynamic_update_slice: Empty; // operands: operand, update, *start_indices
  pad: { padding_config: readonly (readonly [number, number, number])[] }; // operands: operand, padding_value
  concatenate: { dimension: number };
  gather: GatherParams; // operands: operand, indices
  scatter: ScatterParams; // operands: operand, indices, updates
  "scatter-add": ScatterParams;
  "scatter-mul": ScatterParams;
  "scatter-min": ScatterParams;
  "scatter-max": ScatterParams;
  // reductions
  reduce_sum: Axes; reduce_max: Axes; reduce_min: Axes; reduce_prod: Axes; reduce_and: Axes; reduce_or: Axes;
  argmax: { axes: readonly number[]; index_dtype: DType };
  argmin: { axes: readonly number[]; index_dtype: DType };
  cumsum: CumParams; cumprod: CumParams; cummax: CumParams; cummin: CumParams;
  sort: { dimension: number; is_stable: boolean; num_keys: number }; // n operands sorted together by the first num_keys
  // linear algebra / windows
  dot_general: { dimension_numbers: DotDimensionNumbers; precision: null; preferred_element_type: DType | null };
  conv_general_dilated: {
    window_strides: readonly number[];
    padding: readonly (readonly [number, number])[];
    lhs_dilation: readonly number[];
    rhs_dilation: readonly number[];
    dimension_numbers: ConvDimensionNumbers;
    feature_group_count: number;
    batch_group_count: number;
    precision: null;
    preferred_element_type: DType | null;
  };
  reduce_window_sum: ReduceWindowParams;
  reduce_window_max: ReduceWindowParams;
  reduce_window_min: ReduceWindowParams;
  // PRNG: threefry-2x32 (20 rounds) on uint32 words; operands k0, k1, x0, x1 -> (y0, y1)
  threefry2x32: Empty;
  // higher-order
  jit: { name: string; jaxpr: ClosedJaxpr };
  // custom derivatives (transforms/custom_derivatives.ts)
  stop_gradient: Empty;
  custom_jvp_call: CustomJvpCallParams;
  custom_vjp_call: CustomVjpCallParams;
  custom_lin: CustomLinParams;
  // structured control flow (operands: index, *ops | *cond_consts, *body_consts, *init | *consts, *init, *xs)
  cond: { branches: readonly ClosedJaxpr[] };
  while: { body_jaxpr: ClosedJaxpr; body_nconsts: number; cond_jaxpr: ClosedJaxpr; cond_nconsts: number };
  scan: { jaxpr: ClosedJaxpr; length: number; linear: readonly boolean[]; num_carry: number; num_consts: number; reverse: boolean; unroll: number };
}

export type PrimitiveName = keyof PrimitiveParams;

export const UNARY_ELEMENTWISE = [
  "neg", "sign", "floor", "ceil", "round", "is_finite", "exp", "exp2", "log", "log1p", "expm1",
  "tanh", "logistic", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh",
  "atanh", "sqrt", "rsqrt", "cbrt", "abs", "not", "erf", "erf_inv", "integer_pow",
] as const satisfies readonly PrimitiveName[];

export const BINARY_ELEMENTWISE = [
  "add", "sub", "mul", "div", "rem", "pow", "max", "min", "atan2", "nextafter", "and", "or", "xor",
  "eq", "ne", "lt", "le", "gt", "ge", "shift_left", "shift_right_logical", "shift_right_arithmetic",
] as const satisfies readonly PrimitiveName[];

export const COMPARISONS = ["eq", "ne", "lt", "le", "gt", "ge"] as const satisfies readonly PrimitiveName[];

export type UnaryElementwise = (typeof UNARY_ELEMENTWISE)[number];
export type BinaryElementwise = (typeof BINARY_ELEMENTWISE)[number];

/** Every primitive name, checked against PrimitiveParams in both directions. */
export const PRIMITIVE_NAMES = [
  ...UNARY_ELEMENTWISE, ...BINARY_ELEMENTWISE, "select_n", "clamp", "convert_element_type",
  "bitcast_convert_type", "iota", "broadcast_in_dim", "reshape", "transpose", "squeeze", "rev", "slice",
  "dynamic_slice", "dynamic_update_slice", "pad", "concatenate", "gather", "scatter", "scatter-add",
  "scatter-mul", "scatter-min", "scatter-max", "reduce_sum", "reduce_max", "reduce_min", "reduce_prod",
  "reduce_and", "reduce_or", "argmax", "argmin", "cumsum", "cumprod", "cummax", "cummin", "sort",
  "dot_general", "conv_general_dilated", "reduce_window_sum", "reduce_window_max", "reduce_window_min", "threefry2x32", "jit",
  "stop_gradient", "custom_jvp_call", "custom_vjp_call", "custom_lin",
  "cond", "while", "scan",
] as const satisfies readonly PrimitiveName[];
type _Missing = Exclude<PrimitiveName, (typeof PRIMITIVE_NAMES)[number]>;
const _allListed: [_Missing] extends [never] ? true : _Missing = true;
void _allListed;
