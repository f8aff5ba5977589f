/**
 * Elementwise semantics of lax's primitives as IR expressions, matching the CPU reference
 * (XLA's semantics): NaN-propagating max/min, integer division by zero (x/0 = -1, x%0 = x),
 * saturating float→int conversion, shifts by ≥ 32, C's pow, and float32 formulas for functions
 * WGSL lacks or computes imprecisely (log1p, expm1, tanh, sinh, asinh, acosh, atanh, cbrt, erf,
 * erf_inv — XLA's/Eigen's float32 approximations). Like XLA's CHLO decompositions, these are
 * written once here on top of a small set of IR ops, so every kernel kind gets them.
 */
import type { BinaryElementwise, UnaryElementwise } from "../../core/primitives.js";
import { type IRType, type Node, binary, bitcast, cast, constant, select, unary } from "./ir.js";

const f = (v: number) => constant(v, "f32");
const u = (v: number) => constant(v, "u32");
const add = (a: Node, b: Node) => binary("add", a, b);
const sub = (a: Node, b: Node) => binary("sub", a, b);
const mul = (a: Node, b: Node) => binary("mul", a, b);
const div = (a: Node, b: Node) => binary("div", a, b);
const and = (a: Node, b: Node) => binary("and", a, b);
const or = (a: Node, b: Node) => binary("or", a, b);
const not = (a: Node) => unary("not", a);
const LN2 = 0.6931471805599453;

// ---- float classification (by bits: shader compilers may assume no NaN in comparisons) ------

export function isNan(x: Node): Node {
  return binary("gt", and(bitcast(x, "u32"), u(0x7fffffff)), u(0x7f800000));
}
export function isInf(x: Node): Node {
  return binary("eq", and(bitcast(x, "u32"), u(0x7fffffff)), u(0x7f800000));
}
function isFiniteF(x: Node): Node {
  return binary("ne", and(bitcast(x, "u32"), u(0x7f800000)), u(0x7f800000));
}
/** copysign(mag, sgn) by bits. */
function copysign(mag: Node, sgn: Node): Node {
  const bits = or(and(bitcast(mag, "u32"), u(0x7fffffff)), and(bitcast(sgn, "u32"), u(0x80000000)));
  return bitcast(bits, "f32");
}
function poly(x: Node, coeffs: readonly number[]): Node {
  let p = f(coeffs[0]);
  for (let i = 1; i < coeffs.length; i++) p = add(mul(p, x), f(coeffs[i]));
  return p;
}

export function fmax(a: Node, b: Node): Node {
  if (a.dtype !== "f32") return a.dtype === "bool" ? or(a, b) : binary("max", a, b);
  return select(or(binary("ge", a, b), isNan(a)), a, b);
}
export function fmin(a: Node, b: Node): Node {
  if (a.dtype !== "f32") return a.dtype === "bool" ? and(a, b) : binary("min", a, b);
  return select(or(binary("le", a, b), isNan(a)), a, b);
}

// ---- transcendental helpers ---------------------------------------------------------------

function log1p(x: Node): Node {
  const v = add(f(1), x);
  const r = mul(unary("log", v), div(x, sub(v, f(1))));
  return select(binary("eq", v, f(1)), x, select(isInf(x), x, r));
}
function expm1(x: Node): Node {
  const v = unary("exp", x);
  const vm1 = sub(v, f(1));
  const r = div(mul(vm1, x), unary("log", v));
  return select(binary("eq", v, f(1)), x, select(binary("eq", vm1, f(-1)), f(-1), select(isInf(v), v, r)));
}
function tanh(x: Node): Node {
  const t = expm1(mul(f(-2), unary("abs", x)));
  const r = div(unary("neg", t), add(f(2), t));
  return select(isNan(x), x, copysign(r, x));
}
function sinh(x: Node): Node {
  const a = unary("abs", x);
  const small = mul(f(0.5), sub(expm1(a), expm1(unary("neg", a))));
  const e = unary("exp", sub(a, f(LN2)));
  const large = sub(e, div(f(0.25), e));
  return copysign(select(binary("lt", a, f(1)), small, large), x);
}
function cosh(x: Node): Node {
  const e = unary("exp", sub(unary("abs", x), f(LN2)));
  return add(e, div(f(0.25), e));
}
function asinh(x: Node): Node {
  const a = unary("abs", x);
  const a2 = mul(a, a);
  const r = select(binary("gt", a, f(1e18)), add(unary("log", a), f(LN2)), log1p(add(a, div(a2, add(f(1), unary("sqrt", add(f(1), a2)))))));
  return copysign(r, x);
}
function acosh(x: Node): Node {
  const t = sub(x, f(1));
  return select(binary("gt", x, f(1e18)), add(unary("log", x), f(LN2)), log1p(add(t, unary("sqrt", mul(t, add(t, f(2)))))));
}
function atanh(x: Node): Node {
  return mul(f(0.5), log1p(div(mul(f(2), x), sub(f(1), x))));
}
function cbrt(x: Node): Node {
  const a = unary("abs", x);
  const r0 = unary("exp2", div(unary("log2", a), f(3)));
  const r = sub(r0, div(sub(mul(mul(r0, r0), r0), a), mul(f(3), mul(r0, r0))));
  return select(or(binary("eq", x, f(0)), not(isFiniteF(x))), x, copysign(r, x));
}

/** Eigen's / XLA's float32 erf: a rational approximation on [-4, 4]. */
function erf(x: Node): Node {
  const c = fmin(fmax(x, f(-4)), f(4));
  const x2 = mul(c, c);
  const p = mul(c, poly(x2, [-2.72614225801306e-10, 2.77068142495902e-8, -2.10102402082508e-6, -5.69250639462346e-5, -7.34990630326855e-4, -2.95459980854025e-3, -1.60960333262415e-2]));
  const q = poly(x2, [-1.45660718464996e-5, -2.13374055278905e-4, -1.68282697438203e-3, -7.37332916720468e-3, -1.42647390514189e-2]);
  return select(isNan(x), x, div(p, q));
}

/** XLA's float32 erf_inv (Giles), as the CPU backend evaluates it. */
function erfInv(x: Node): Node {
  const w = unary("neg", log1p(unary("neg", mul(x, x))));
  const small = poly(sub(w, f(2.5)), [2.81022636e-8, 3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 2.1858087e-4, -1.25372503e-3, -4.17768164e-3, 0.246640727, 1.50140941]);
  const large = poly(sub(unary("sqrt", w), f(3)), [-2.00214257e-4, 1.00950558e-4, 1.34934322e-3, -3.67342844e-3, 5.73950773e-3, -7.6224613e-3, 9.43887047e-3, 1.00167406, 2.83297682]);
  const r = mul(select(binary("lt", w, f(5)), small, large), x);
  return select(binary("eq", unary("abs", x), f(1)), mul(x, f(Infinity)), r);
}

/** C's pow for float32. */
function pow(a: Node, b: Node): Node {
  const ax = unary("abs", a);
  const r = unary("exp2", mul(b, unary("log2", ax)));
  const bInt = and(binary("eq", unary("floor", b), b), isFiniteF(b));
  const small = binary("lt", unary("abs", b), f(16777216));
  const bOdd = and(and(bInt, small), binary("eq", and(cast(select(small, b, f(0)), "i32"), constant(1, "i32")), constant(1, "i32")));
  const negBase = select(bInt, select(bOdd, unary("neg", r), r), f(NaN));
  const zeroBase = select(binary("gt", b, f(0)), select(bOdd, a, f(0)), select(bOdd, copysign(f(Infinity), a), f(Infinity)));
  let out = select(binary("lt", a, f(0)), negBase, r);
  out = select(binary("eq", a, f(0)), zeroBase, out);
  out = select(and(binary("eq", ax, f(1)), isInf(b)), f(1), out);
  return select(or(binary("eq", b, f(0)), binary("eq", a, f(1))), f(1), out);
}

function nextafter(a: Node, b: Node): Node {
  const bits = bitcast(a, "u32");
  const up = binary("eq", binary("lt", a, b), binary("gt", a, f(0)));
  const stepped = bitcast(select(up, add(bits, u(1)), sub(bits, u(1))), "f32");
  const fromZero = select(binary("gt", b, f(0)), bitcast(u(1), "f32"), bitcast(u(0x80000001), "f32"));
  let r = select(binary("eq", a, f(0)), fromZero, stepped);
  r = select(binary("eq", a, b), b, r);
  return select(or(isNan(a), isNan(b)), f(NaN), r);
}

function roundAway(x: Node): Node {
  const t = unary("trunc", x);
  return select(binary("ge", unary("abs", sub(x, t)), f(0.5)), add(t, unary("sign", x)), t);
}

// ---- integer helpers ------------------------------------------------------------------------

const zero = (t: IRType) => constant(0, t);

function intDiv(a: Node, b: Node): Node {
  return select(binary("eq", b, zero(b.dtype)), constant(-1, a.dtype), div(a, b));
}
function intRem(a: Node, b: Node): Node {
  return select(binary("eq", b, zero(b.dtype)), a, binary("rem", a, select(binary("eq", b, zero(b.dtype)), constant(1, b.dtype), b)));
}
function shiftAmount(b: Node): Node {
  return b.dtype === "u32" ? b : bitcast(b, "u32");
}
function shift(kind: "shift_left" | "shift_right_logical" | "shift_right_arithmetic", a: Node, b: Node): Node {
  const s = shiftAmount(b);
  const big = binary("ge", s, u(32));
  const t = a.dtype;
  if (kind === "shift_left") return select(big, zero(t), binary("shl", a, s));
  if (kind === "shift_right_logical") {
    const au = t === "u32" ? a : bitcast(a, "u32");
    const r = binary("shr", au, s);
    return select(big, zero(t), t === "u32" ? r : bitcast(r, t));
  }
  const ai = t === "i32" ? a : bitcast(a, "i32");
  const r = binary("shr", ai, binary("min", s, u(31)));
  return t === "i32" ? r : bitcast(r, t);
}

// ---- the primitive tables ---------------------------------------------------------------------

/** Value of a unary elementwise primitive on `x` (an IR value of the operand's type). */
export function unaryPrimitive(prim: Exclude<UnaryElementwise, "round" | "integer_pow">, x: Node): Node {
  const t = x.dtype;
  switch (prim) {
    case "neg": return unary("neg", x);
    case "sign":
      if (t === "f32") return select(isNan(x), x, unary("sign", x));
      return t === "u32" ? select(binary("gt", x, u(0)), u(1), u(0)) : unary("sign", x);
    case "floor": return unary("floor", x);
    case "ceil": return unary("ceil", x);
    case "is_finite": return isFiniteF(x);
    case "exp": return unary("exp", x);
    case "exp2": return unary("exp2", x);
    case "log": return unary("log", x);
    case "log1p": return log1p(x);
    case "expm1": return expm1(x);
    case "tanh": return tanh(x);
    case "logistic": return div(f(1), add(f(1), unary("exp", unary("neg", x))));
    case "sin": return unary("sin", x);
    case "cos": return unary("cos", x);
    case "tan": return unary("tan", x);
    case "asin": return unary("asin", x);
    case "acos": return unary("acos", x);
    case "atan": return unary("atan", x);
    case "sinh": return sinh(x);
    case "cosh": return cosh(x);
    case "asinh": return asinh(x);
    case "acosh": return acosh(x);
    case "atanh": return atanh(x);
    case "sqrt": return unary("sqrt", x);
    case "rsqrt": return div(f(1), unary("sqrt", x));
    case "cbrt": return cbrt(x);
    case "abs": return unary("abs", x);
    case "not": return unary("not", x);
    case "erf": return erf(x);
    case "erf_inv": return erfInv(x);
  }
}

export function roundPrimitive(x: Node, method: 0 | 1): Node {
  return method === 0 ? roundAway(x) : unary("round", x);
}

/** integer_pow by repeated squaring, each product rounded as stored (JAX's lowering). */
export function integerPow(x: Node, y: number): Node {
  const one = constant(1, x.dtype);
  if (y === 0) return one;
  let accum: Node | null = null;
  let base = x;
  for (let n = Math.abs(y); n > 0; ) {
    if (n & 1) accum = accum ? mul(accum, base) : base;
    n = Math.floor(n / 2);
    if (n > 0) base = mul(base, base);
  }
  return y > 0 ? accum! : div(one, accum!);
}

/** Value of a binary elementwise primitive (operands of equal IR type). */
export function binaryPrimitive(prim: BinaryElementwise, a: Node, b: Node): Node {
  const t = a.dtype;
  const fl = t === "f32";
  switch (prim) {
    case "add": return add(a, b);
    case "sub": return sub(a, b);
    case "mul": return mul(a, b);
    case "div": return fl ? div(a, b) : intDiv(a, b);
    case "rem": return fl ? binary("rem", a, b) : intRem(a, b);
    case "pow": return pow(a, b);
    case "max": return fmax(a, b);
    case "min": return fmin(a, b);
    case "atan2": return binary("atan2", a, b);
    case "nextafter": return nextafter(a, b);
    case "and": return and(a, b);
    case "or": return or(a, b);
    case "xor": return binary("xor", a, b);
    case "eq": case "ne": case "lt": case "le": case "gt": case "ge":
      return t === "bool" ? binary(prim, cast(a, "u32"), cast(b, "u32")) : binary(prim, a, b);
    case "shift_left": case "shift_right_logical": case "shift_right_arithmetic":
      return shift(prim, a, b);
  }
}

/** lax.convert_element_type between the IR types, with XLA's saturating float → int. */
export function convert(x: Node, to: IRType): Node {
  const from = x.dtype;
  if (from === to) return x;
  if (to === "bool") return from === "f32" ? binary("ne", and(bitcast(x, "u32"), u(0x7fffffff)), u(0)) : binary("ne", x, zero(from));
  if (from === "bool") return cast(x, to);
  if (from === "f32" && to === "i32") {
    const inRange = cast(fmin(fmax(x, f(-2147483648)), f(2147483520)), "i32");
    return select(isNan(x), constant(0, "i32"), select(binary("ge", x, f(2147483648)), constant(2147483647, "i32"), inRange));
  }
  if (from === "f32" && to === "u32") {
    const inRange = cast(fmin(x, f(4294967040)), "u32");
    return select(or(isNan(x), binary("le", x, f(0))), u(0), select(binary("ge", x, f(4294967296)), u(0xffffffff), inRange));
  }
  if (from !== "f32" && to !== "f32") return bitcast(x, to);
  return cast(x, to);
}

/** select_n: `which` (bool or integer) picks among `cases`; out-of-range picks the nearest case. */
export function selectN(which: Node, cases: readonly Node[]): Node {
  if (cases.length === 1) return cases[0];
  if (which.dtype === "bool") return select(which, cases[1], cases[0]);
  let r = cases[cases.length - 1];
  for (let j = cases.length - 2; j >= 0; j--) r = select(binary("le", which, constant(j, which.dtype)), cases[j], r);
  return r;
}

export { fmax as maxValue, fmin as minValue };
