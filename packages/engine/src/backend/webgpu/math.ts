/**
 * Elementwise semantics of lax's primitives as IR expressions, matching the CPU reference
 * (XLA's semantics): NaN-propagating max/min, integer division by zero (x/0 = -1, x%0 = x),
 * saturating float→int conversion, shifts by ≥ 32, C's pow, and float32 formulas for functions
 * WGSL lacks or that SwiftShader computes imprecisely or without NaN/inf handling (log1p,
 * expm1, tanh, sinh, asinh, acosh, atanh, cbrt; sin/cos/atan/asin/acos after Cephes; erf and
 * erf_inv as XLA's float32 approximations). NaN is always tested by bits: shader compilers may
 * assume comparisons never see NaN. Like XLA's CHLO decompositions, these are written once here
 * over a small set of IR ops, so every kernel kind gets them.
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
  return select(or(isNan(a), and(not(isNan(b)), binary("ge", a, b))), a, b);
}
export function fmin(a: Node, b: Node): Node {
  if (a.dtype !== "f32") return a.dtype === "bool" ? and(a, b) : binary("min", a, b);
  return select(or(isNan(a), and(not(isNan(b)), binary("le", a, b))), a, b);
}

/** IEEE comparisons of floats, with NaN decided by bits (shader compilers may assume no NaN). */
function compareF(op: "eq" | "ne" | "lt" | "le" | "gt" | "ge", a: Node, b: Node): Node {
  const nan = or(isNan(a), isNan(b));
  return op === "ne" ? or(binary("ne", a, b), nan) : and(binary(op, a, b), not(nan));
}

/** Comparison with IEEE NaN semantics for floats (plain for other types). */
function cmp(op: "eq" | "ne" | "lt" | "le" | "gt" | "ge", a: Node, b: Node): Node {
  return a.dtype === "f32" ? compareF(op, a, b) : binary(op, a, b);
}

const nanIn = (x: Node, v: Node) => select(isNan(x), x, v);

/** exp/exp2 with NaN propagated (SwiftShader maps exp(NaN) to inf). */
function expF(op: "exp" | "exp2", x: Node): Node {
  return nanIn(x, unary(op, x));
}
/** log/log2 with C's special cases (SwiftShader's log(0) is finite, log(NaN) a number). */
function logF(op: "log" | "log2", x: Node): Node {
  const r = select(cmp("lt", x, f(0)), f(NaN), select(cmp("eq", x, f(0)), f(-Infinity), select(isInf(x), x, unary(op, x))));
  return nanIn(x, r);
}

// ---- trigonometry (Cephes' single-precision sinf/cosf/atanf/asinf, as accurate as libm) ----------

const FOPI = 1.2732395447351628; // 4/π
const PIO2 = 1.5707963267948966;
const PIO4 = 0.7853981633974483;
function sinPoly(r: Node, z: Node): Node {
  return add(mul(mul(poly(z, [-1.9515295891e-4, 8.3321608736e-3, -1.6666654611e-1]), z), r), r);
}
function cosPoly(z: Node): Node {
  return add(sub(mul(mul(poly(z, [2.443315711809948e-5, -1.388731625493765e-3, 4.166664568298827e-2]), z), z), mul(f(0.5), z)), f(1));
}
function sinCos(x: Node, which: "sin" | "cos"): Node {
  const i = (v: number) => constant(v, "i32");
  const a = unary("abs", x);
  const j0 = cast(unary("trunc", mul(a, f(FOPI))), "i32");
  const j = add(j0, and(j0, i(1)));
  const y = cast(j, "f32");
  const r = sub(sub(sub(a, mul(y, f(0.78515625))), mul(y, f(2.4187564849853515625e-4))), mul(y, f(3.77489497744594108e-8)));
  const z = mul(r, r);
  const bit = (m: number) => cmp("ne", and(j, i(m)), i(0));
  const swap = bit(2);
  const v = which === "sin" ? select(swap, cosPoly(z), sinPoly(r, z)) : select(swap, sinPoly(r, z), cosPoly(z));
  const negate = which === "sin" ? binary("xor", bit(4), cmp("lt", x, f(0))) : binary("xor", bit(4), swap);
  return select(isFiniteF(x), select(negate, unary("neg", v), v), f(NaN));
}
function atanF(x: Node): Node {
  const a = unary("abs", x);
  const big = cmp("gt", a, f(2.414213562373095));
  const mid = cmp("gt", a, f(0.41421356237309503));
  const t = select(big, div(f(-1), a), select(mid, div(sub(a, f(1)), add(a, f(1))), a));
  const y0 = select(big, f(PIO2), select(mid, f(PIO4), f(0)));
  const z = mul(t, t);
  const r = add(y0, add(mul(mul(poly(z, [8.05374449538e-2, -1.38776856032e-1, 1.99777106478e-1, -3.33329491539e-1]), z), t), t));
  return nanIn(x, copysign(r, x));
}
function asinF(x: Node): Node {
  const a = unary("abs", x);
  const flag = cmp("gt", a, f(0.5));
  const z = select(flag, mul(f(0.5), sub(f(1), a)), mul(a, a));
  const t = select(flag, unary("sqrt", z), a);
  const p = add(mul(mul(poly(z, [4.2163199048e-2, 2.4181311049e-2, 4.5470025998e-2, 7.4953002686e-2, 1.6666752422e-1]), z), t), t);
  const r = select(flag, sub(f(PIO2), add(p, p)), p);
  return select(cmp("gt", a, f(1)), f(NaN), nanIn(x, copysign(r, x)));
}
function acosF(x: Node): Node {
  const low = sub(f(Math.PI), mul(f(2), asinF(unary("sqrt", mul(f(0.5), add(f(1), x))))));
  const high = mul(f(2), asinF(unary("sqrt", mul(f(0.5), sub(f(1), x)))));
  const middle = sub(f(PIO2), asinF(x));
  return nanIn(x, select(cmp("lt", x, f(-0.5)), low, select(cmp("gt", x, f(0.5)), high, middle)));
}
/** atan2 with C's special cases (signed zeros, infinities). */
function atan2F(y: Node, x: Node): Node {
  const negX = cmp("ne", and(bitcast(x, "u32"), u(0x80000000)), u(0));
  const pi = copysign(f(Math.PI), y);
  const base = atanF(div(y, x));
  let r = select(cmp("lt", x, f(0)), add(base, pi), base);
  r = select(isInf(y), copysign(f(PIO2), y), r);
  r = select(isInf(x), select(isInf(y), copysign(select(negX, f(3 * PIO4), f(PIO4)), y), select(negX, pi, copysign(f(0), y))), r);
  r = select(cmp("eq", x, f(0)), select(cmp("eq", y, f(0)), select(negX, pi, copysign(f(0), y)), copysign(f(PIO2), y)), r);
  r = select(and(cmp("eq", y, f(0)), not(cmp("eq", x, f(0)))), select(negX, pi, copysign(f(0), y)), r);
  return select(or(isNan(x), isNan(y)), f(NaN), r);
}

// ---- transcendental helpers ---------------------------------------------------------------

function log1p(x: Node): Node {
  const v = add(f(1), x);
  const r = mul(logF("log", v), div(x, sub(v, f(1))));
  return select(cmp("eq", v, f(1)), x, select(isInf(x), x, r));
}
function expm1(x: Node): Node {
  const v = expF("exp", x);
  const vm1 = sub(v, f(1));
  const r = div(mul(vm1, x), unary("log", v));
  return select(cmp("eq", v, f(1)), x, select(cmp("eq", vm1, f(-1)), f(-1), select(isInf(v), v, r)));
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
  return nanIn(x, copysign(select(cmp("lt", a, f(1)), small, large), x));
}
function cosh(x: Node): Node {
  const e = unary("exp", sub(unary("abs", x), f(LN2)));
  return nanIn(x, add(e, div(f(0.25), e)));
}
function asinh(x: Node): Node {
  const a = unary("abs", x);
  const a2 = mul(a, a);
  const r = select(cmp("gt", a, f(1e18)), add(unary("log", a), f(LN2)), log1p(add(a, div(a2, add(f(1), unary("sqrt", add(f(1), a2)))))));
  return copysign(r, x);
}
function acosh(x: Node): Node {
  const t = sub(x, f(1));
  return select(cmp("gt", x, f(1e18)), add(unary("log", x), f(LN2)), log1p(add(t, unary("sqrt", mul(t, add(t, f(2)))))));
}
function atanh(x: Node): Node {
  return mul(f(0.5), log1p(div(mul(f(2), x), sub(f(1), x))));
}
function cbrt(x: Node): Node {
  const a = unary("abs", x);
  const r0 = unary("exp2", div(unary("log2", a), f(3)));
  const r = sub(r0, div(sub(mul(mul(r0, r0), r0), a), mul(f(3), mul(r0, r0))));
  return select(or(cmp("eq", x, f(0)), not(isFiniteF(x))), x, copysign(r, x));
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
  const r = mul(select(cmp("lt", w, f(5)), small, large), x);
  return select(cmp("eq", unary("abs", x), f(1)), mul(x, f(Infinity)), r);
}

/** C's pow for float32. */
function pow(a: Node, b: Node): Node {
  const ax = unary("abs", a);
  const r = unary("exp2", mul(b, unary("log2", ax)));
  const bInt = and(cmp("eq", unary("floor", b), b), isFiniteF(b));
  const small = cmp("lt", unary("abs", b), f(16777216));
  const bOdd = and(and(bInt, small), cmp("eq", and(cast(select(small, b, f(0)), "i32"), constant(1, "i32")), constant(1, "i32")));
  const negBase = select(bInt, select(bOdd, unary("neg", r), r), f(NaN));
  const zeroBase = select(cmp("gt", b, f(0)), select(bOdd, a, f(0)), select(bOdd, copysign(f(Infinity), a), f(Infinity)));
  let out = select(cmp("lt", a, f(0)), negBase, r);
  out = select(cmp("eq", a, f(0)), zeroBase, out);
  out = select(and(cmp("eq", ax, f(1)), isInf(b)), f(1), out);
  out = select(or(isNan(a), isNan(b)), f(NaN), out);
  return select(or(cmp("eq", b, f(0)), cmp("eq", a, f(1))), f(1), out);
}

function nextafter(a: Node, b: Node): Node {
  const bits = bitcast(a, "u32");
  const up = cmp("eq", cmp("lt", a, b), cmp("gt", a, f(0)));
  const stepped = bitcast(select(up, add(bits, u(1)), sub(bits, u(1))), "f32");
  const fromZero = select(cmp("gt", b, f(0)), bitcast(u(1), "f32"), bitcast(u(0x80000001), "f32"));
  let r = select(cmp("eq", a, f(0)), fromZero, stepped);
  r = select(cmp("eq", a, b), b, r);
  return select(or(isNan(a), isNan(b)), f(NaN), r);
}

function roundAway(x: Node): Node {
  const t = unary("trunc", x);
  return select(cmp("ge", unary("abs", sub(x, t)), f(0.5)), add(t, unary("sign", x)), t);
}

// ---- integer helpers ------------------------------------------------------------------------

const zero = (t: IRType) => constant(0, t);

function intDiv(a: Node, b: Node): Node {
  return select(cmp("eq", b, zero(b.dtype)), constant(-1, a.dtype), div(a, b));
}
function intRem(a: Node, b: Node): Node {
  return select(cmp("eq", b, zero(b.dtype)), a, binary("rem", a, select(cmp("eq", b, zero(b.dtype)), constant(1, b.dtype), b)));
}
function shiftAmount(b: Node): Node {
  return b.dtype === "u32" ? b : bitcast(b, "u32");
}
function shift(kind: "shift_left" | "shift_right_logical" | "shift_right_arithmetic", a: Node, b: Node): Node {
  const s = shiftAmount(b);
  const big = cmp("ge", s, u(32));
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
      return t === "u32" ? select(cmp("gt", x, u(0)), u(1), u(0)) : unary("sign", x);
    case "floor": return unary("floor", x);
    case "ceil": return unary("ceil", x);
    case "is_finite": return isFiniteF(x);
    case "exp": return expF("exp", x);
    case "exp2": return expF("exp2", x);
    case "log": return logF("log", x);
    case "log1p": return log1p(x);
    case "expm1": return expm1(x);
    case "tanh": return tanh(x);
    case "logistic": return div(f(1), add(f(1), expF("exp", unary("neg", x))));
    case "sin": return sinCos(x, "sin");
    case "cos": return sinCos(x, "cos");
    case "tan": return div(sinCos(x, "sin"), sinCos(x, "cos"));
    case "asin": return asinF(x);
    case "acos": return acosF(x);
    case "atan": return atanF(x);
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
    case "atan2": return atan2F(a, b);
    case "nextafter": return nextafter(a, b);
    case "and": return and(a, b);
    case "or": return or(a, b);
    case "xor": return binary("xor", a, b);
    case "eq": case "ne": case "lt": case "le": case "gt": case "ge":
      return t === "bool" ? binary(prim, cast(a, "u32"), cast(b, "u32")) : fl ? compareF(prim, a, b) : binary(prim, a, b);
    case "shift_left": case "shift_right_logical": case "shift_right_arithmetic":
      return shift(prim, a, b);
  }
}

/** lax.convert_element_type between the IR types, with XLA's saturating float → int. */
export function convert(x: Node, to: IRType): Node {
  const from = x.dtype;
  if (from === to) return x;
  if (to === "bool") return from === "f32" ? cmp("ne", and(bitcast(x, "u32"), u(0x7fffffff)), u(0)) : cmp("ne", x, zero(from));
  if (from === "bool") return cast(x, to);
  if (from === "f32" && to === "i32") {
    const inRange = cast(fmin(fmax(x, f(-2147483648)), f(2147483520)), "i32");
    return select(isNan(x), constant(0, "i32"), select(cmp("ge", x, f(2147483648)), constant(2147483647, "i32"), inRange));
  }
  if (from === "f32" && to === "u32") {
    const inRange = cast(fmin(x, f(4294967040)), "u32");
    return select(or(isNan(x), cmp("le", x, f(0))), u(0), select(cmp("ge", x, f(4294967296)), u(0xffffffff), inRange));
  }
  if (from !== "f32" && to !== "f32") return bitcast(x, to);
  return cast(x, to);
}

/** select_n: `which` (bool or integer) picks among `cases`; out-of-range picks the nearest case. */
export function selectN(which: Node, cases: readonly Node[]): Node {
  if (cases.length === 1) return cases[0];
  if (which.dtype === "bool") return select(which, cases[1], cases[0]);
  let r = cases[cases.length - 1];
  for (let j = cases.length - 2; j >= 0; j--) r = select(cmp("le", which, constant(j, which.dtype)), cases[j], r);
  return r;
}
