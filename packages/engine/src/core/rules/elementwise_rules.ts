/**
 * Abstract-eval rules for the elementwise half of the primitive set: unary and
 * binary elementwise ops, select_n, clamp, dtype conversions, iota, reductions,
 * argmax/argmin, cumulative ops and sort. Semantics are lax's (not jnp's): no
 * implicit broadcasting or promotion; errors use JAX's wording.
 */
import { ShapedArray, shapeStr, shapesEqual } from "../aval.js";
import { type DType, isFloat, isInteger, itemsize } from "../dtype.js";
import { ValueError } from "../errors.js";
import {
  BINARY_ELEMENTWISE,
  COMPARISONS,
  UNARY_ELEMENTWISE,
  type BinaryElementwise,
  type PrimitiveName,
  type PrimitiveParams,
  type UnaryElementwise,
} from "../primitives.js";
import type { AbstractEvalRule, AbstractEvalTable } from "../shape_rule_types.js";

export const REDUCTIONS = ["reduce_sum", "reduce_max", "reduce_min", "reduce_prod", "reduce_and", "reduce_or"] as const satisfies readonly PrimitiveName[];
export const CUMULATIVE = ["cumsum", "cumprod", "cummax", "cummin"] as const satisfies readonly PrimitiveName[];
export const ELEMENTWISE_NAMES = [
  ...UNARY_ELEMENTWISE, ...BINARY_ELEMENTWISE, "select_n", "clamp", "convert_element_type", "bitcast_convert_type",
  "iota", ...REDUCTIONS, "argmax", "argmin", ...CUMULATIVE, "sort",
] as const satisfies readonly PrimitiveName[];
export type Reduction = (typeof REDUCTIONS)[number];
export type Cumulative = (typeof CUMULATIVE)[number];
export type ElementwiseName = (typeof ELEMENTWISE_NAMES)[number];

// ---- dtype classes and checks ------------------------------------------------

/** numpy abstract dtype names, as JAX prints them in "Accepted dtypes are subtypes of ...". */
type Kind = "bool" | "integer" | "signedinteger" | "floating";
const IS_KIND: Record<Kind, (d: DType) => boolean> = {
  bool: (d) => d === "bool",
  integer: isInteger,
  signedinteger: (d) => d === "int32",
  floating: isFloat,
};
const NUM: Kind[] = ["integer", "floating"];
const ANY: Kind[] = ["bool", "integer", "floating"];
const FLOAT: Kind[] = ["floating"];
const INT: Kind[] = ["integer"];
const BOOL_INT: Kind[] = ["bool", "integer"];

function checkDtype(name: string, d: DType, accepted: readonly Kind[], pos?: number): void {
  if (accepted.some((k) => IS_KIND[k](d))) return;
  const at = pos === undefined ? "" : ` at position ${pos}`;
  throw new TypeError(`${name} does not accept dtype ${d}. Accepted dtypes${at} are subtypes of ${accepted.join(", ")}.`);
}

function checkSameDtypes(name: string, avals: readonly ShapedArray[]): void {
  if (avals.some((a) => a.dtype !== avals[0].dtype))
    throw new TypeError(`${name} requires arguments to have the same dtypes, got ${avals.map((a) => a.dtype).join(", ")}.`);
}

function checkArity(name: string, avals: readonly ShapedArray[], n: number): void {
  if (avals.length !== n) throw new TypeError(`${name} takes ${n} operand${n === 1 ? "" : "s"}, got ${avals.length}.`);
}

/** lax requires equal shapes for n-ary elementwise ops (the lax layer broadcasts beforehand). */
function checkSameShapes(name: string, avals: readonly ShapedArray[]): readonly number[] {
  const s0 = avals[0].shape;
  if (avals.every((a) => shapesEqual(a.shape, s0))) return s0;
  const list = avals.map((a) => shapeStr(a.shape)).join(", ");
  if (avals.every((a) => a.ndim > 0) && new Set(avals.map((a) => a.ndim)).size > 1)
    throw new TypeError(`${name}: arrays must have same number of dimensions, got ${list}.`);
  throw new TypeError(`${name} got incompatible shapes for broadcasting: ${list}.`);
}

const allWeak = (avals: readonly ShapedArray[]) => avals.every((a) => a.weakType);

function checkAxis(name: string, axis: number, aval: ShapedArray): void {
  if (!Number.isInteger(axis) || axis < 0) throw new ValueError(`${name}: XLA operations do not allow negative axes, got ${axis}.`);
  if (axis >= aval.ndim) throw new ValueError(`${name}: axis ${axis} is out of bounds for array of shape ${shapeStr(aval.shape)}`);
}

// ---- unary / binary ----------------------------------------------------------

const UNARY_ACCEPTS: Partial<Record<UnaryElementwise, Kind[]>> = {
  neg: NUM, sign: NUM, integer_pow: NUM, abs: ["signedinteger", "floating"], not: BOOL_INT,
};
const BINARY_ACCEPTS: Record<BinaryElementwise, Kind[]> = {
  add: NUM, sub: NUM, mul: NUM, div: NUM, rem: NUM, pow: FLOAT, max: ANY, min: ANY, atan2: FLOAT, nextafter: FLOAT,
  and: BOOL_INT, or: BOOL_INT, xor: BOOL_INT, eq: ANY, ne: ANY, lt: ANY, le: ANY, gt: ANY, ge: ANY,
  shift_left: INT, shift_right_logical: INT, shift_right_arithmetic: INT,
};
const isComparison = (n: string) => (COMPARISONS as readonly string[]).includes(n);

function unaryRule(name: UnaryElementwise): AbstractEvalRule<UnaryElementwise> {
  return (avals, params) => {
    checkArity(name, avals, 1);
    const [x] = avals;
    checkDtype(name, x.dtype, UNARY_ACCEPTS[name] ?? FLOAT);
    if (name === "is_finite") return [new ShapedArray(x.shape, "bool", false)];
    if (name === "integer_pow") {
      const y = (params as PrimitiveParams["integer_pow"]).y;
      if (!Number.isInteger(y)) throw new TypeError(`integer_pow requires an integer exponent, got ${y}.`);
      if (y < 0 && isInteger(x.dtype)) throw new TypeError(`Integers cannot be raised to negative powers, got integer_pow(${x}, ${y})`);
    }
    if (name === "round") {
      const m = (params as PrimitiveParams["round"]).rounding_method;
      if (m !== 0 && m !== 1) throw new ValueError(`round: rounding_method must be 0 (AWAY_FROM_ZERO) or 1 (TO_NEAREST_EVEN), got ${m}.`);
    }
    return [new ShapedArray(x.shape, x.dtype, x.weakType)];
  };
}

function binaryRule(name: BinaryElementwise): AbstractEvalRule<BinaryElementwise> {
  return (avals) => {
    checkArity(name, avals, 2);
    const shape = checkSameShapes(name, avals);
    avals.forEach((a, i) => checkDtype(name, a.dtype, BINARY_ACCEPTS[name], i));
    checkSameDtypes(name, avals);
    return isComparison(name) ? [new ShapedArray(shape, "bool", false)] : [new ShapedArray(shape, avals[0].dtype, allWeak(avals))];
  };
}

const table = <K extends string, R>(names: readonly K[], f: (n: K) => R) => Object.fromEntries(names.map((n) => [n, f(n)])) as Record<K, R>;

// ---- reductions ----------------------------------------------------------------

function reductionRule(name: Reduction): AbstractEvalRule<Reduction> {
  return (avals, { axes }) => {
    checkArity(name, avals, 1);
    const [x] = avals;
    const tup = `(${axes.join(", ")}${axes.length === 1 ? "," : ""})`;
    if (new Set(axes).size !== axes.length) throw new ValueError(`duplicate value in 'axes' of reduction: ${tup}`);
    if (!axes.every((a) => Number.isInteger(a) && a >= 0 && a < x.ndim))
      throw new ValueError(`reduction axes ${tup} contains out-of-bounds indices for ${x}.`);
    if ((name === "reduce_sum" || name === "reduce_prod") && !isFloat(x.dtype) && !isInteger(x.dtype))
      throw new TypeError(`${name} does not accept dtype ${x.dtype}. Accepted dtypes are subtypes of number.`);
    if ((name === "reduce_and" || name === "reduce_or") && x.dtype !== "bool" && !isInteger(x.dtype))
      throw new TypeError(`logical reduction requires operand dtype bool or int, got ${x.dtype}.`);
    return [new ShapedArray(x.shape.filter((_, i) => !axes.includes(i)), x.dtype, x.weakType)];
  };
}

function argRule(name: "argmax" | "argmin"): AbstractEvalRule<"argmax" | "argmin"> {
  return (avals, { axes, index_dtype }) => {
    checkArity(name, avals, 1);
    const [x] = avals;
    if (axes.length !== 1) throw new ValueError(`${name} takes exactly one axis, got axes=(${axes.join(", ")}).`);
    const axis = axes[0];
    if (!Number.isInteger(axis) || axis < 0 || axis >= x.ndim) throw new ValueError(`Invalid axis ${axis} for operand shape ${shapeStr(x.shape)}`);
    if (x.shape[axis] < 1)
      throw new ValueError(`argmin and argmax require non-empty reduced dimension. operand.shape=${shapeStr(x.shape)} axis=${axis}`);
    if (!isInteger(index_dtype)) throw new TypeError(`index_dtype must be an integer type, but got ${index_dtype}`);
    return [new ShapedArray(x.shape.filter((_, i) => i !== axis), index_dtype, false)];
  };
}

function cumulativeRule(name: Cumulative): AbstractEvalRule<Cumulative> {
  return (avals, { axis }) => {
    checkArity(name, avals, 1);
    const [x] = avals;
    checkAxis(name, axis, x);
    if (!isFloat(x.dtype) && !isInteger(x.dtype))
      throw new TypeError(`${name} does not accept dtype ${x.dtype}. Accepted dtypes are subtypes of number.`);
    return [x];
  };
}

// ---- the table -------------------------------------------------------------------

export const elementwiseAbstractEval: AbstractEvalTable<ElementwiseName> = {
  ...table(UNARY_ELEMENTWISE, unaryRule),
  ...table(BINARY_ELEMENTWISE, binaryRule),
  ...table(REDUCTIONS, reductionRule),
  ...table(CUMULATIVE, cumulativeRule),
  argmax: argRule("argmax"),
  argmin: argRule("argmin"),

  select_n(avals) {
    if (avals.length < 2) throw new TypeError("select must have at least one case");
    const [which, ...cases] = avals;
    const shape = cases[0].shape;
    if (cases.some((c) => !shapesEqual(c.shape, shape)))
      throw new TypeError(`select cases must have the same shapes, got [${cases.map((c) => shapeStr(c.shape)).join(", ")}].`);
    if (which.ndim && !shapesEqual(which.shape, shape))
      throw new TypeError(
        `select \`which\` must be scalar or have the same shape as cases, got \`which\` shape ${shapeStr(which.shape)} but case shape ${shapeStr(shape)}.`,
      );
    checkSameDtypes("select_n", cases);
    if (which.dtype !== "bool" && !isInteger(which.dtype))
      throw new TypeError(`select \`which\` must be boolean or integer type, got ${which.dtype}.`);
    if (which.dtype === "bool" && cases.length > 2) throw new TypeError("select with boolean `which` cannot have > 2 cases.");
    return [new ShapedArray(shape, cases[0].dtype, allWeak(cases))];
  },

  clamp(avals) {
    checkArity("clamp", avals, 3);
    const [lo, x, hi] = avals;
    for (const [nm, a] of [["min", lo], ["max", hi]] as const)
      if (a.ndim && !shapesEqual(a.shape, x.shape))
        throw new TypeError(`clamp requires ${nm}.shape == operand.shape or ${nm}.shape == (), got ${shapeStr(a.shape)}.`);
    avals.forEach((a, i) => checkDtype("clamp", a.dtype, ANY, i));
    checkSameDtypes("clamp", avals);
    return [new ShapedArray(x.shape, x.dtype, allWeak(avals))];
  },

  convert_element_type(avals, { new_dtype, weak_type }) {
    checkArity("convert_element_type", avals, 1);
    return [new ShapedArray(avals[0].shape, new_dtype, weak_type)];
  },

  bitcast_convert_type(avals, { new_dtype }) {
    checkArity("bitcast_convert_type", avals, 1);
    const [x] = avals;
    if (x.dtype === "bool" && new_dtype !== "bool")
      throw new TypeError(`\`bitcast_convert_type\` for operand type (${x.dtype}) cannot have different destination type (${new_dtype})`);
    if (itemsize(x.dtype) !== itemsize(new_dtype))
      throw new ValueError(
        `bitcast_convert_type from ${x.dtype} (${8 * itemsize(x.dtype)} bits) to ${new_dtype} (${8 * itemsize(new_dtype)} bits) ` +
          `is not supported: Kiln only bitcasts between dtypes of equal width.`,
      );
    return [new ShapedArray(x.shape, new_dtype, false)];
  },

  iota(avals, { dtype, shape, dimension }) {
    checkArity("iota", avals, 0);
    if (!shape.every((d) => Number.isInteger(d) && d >= 0)) throw new TypeError(`iota: shape must be non-negative integers, got ${shapeStr(shape)}.`);
    if (!(Number.isInteger(dimension) && dimension >= 0 && dimension < shape.length))
      throw new ValueError(`iota dimension must be between 0 and len(shape), got dimension=${dimension} for shape=${shapeStr(shape)}`);
    checkDtype("iota", dtype, NUM);
    return [new ShapedArray(shape, dtype, false)];
  },

  sort(avals, { dimension, num_keys }) {
    if (avals.length < 1) throw new TypeError("sort takes at least one operand, got 0.");
    if (avals.some((a) => !shapesEqual(a.shape, avals[0].shape)))
      throw new TypeError(`Arguments to sort must have equal shapes, got: ${avals.map((a) => shapeStr(a.shape)).join(" ")}`);
    checkAxis("sort", dimension, avals[0]);
    if (!(Number.isInteger(num_keys) && num_keys >= 1 && num_keys <= avals.length))
      throw new ValueError(`num_keys=${num_keys} must be between 1 and len(operand)=${avals.length}`);
    return [...avals];
  },
};
