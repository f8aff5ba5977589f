/**
 * CPU reference implementations of the elementwise half of the primitive set, with
 * XLA:CPU semantics: values are computed in double and rounded to the output dtype
 * (Float32Array stores round to f32; float16 goes through `roundFloat16`), 32-bit
 * integer arithmetic wraps, integer division truncates (x/0 = -1, x%0 = x), max/min
 * propagate NaN, sort orders NaNs last. Reductions and scans round their accumulator
 * to the dtype after every step, as an f32/f16 accumulator on XLA does.
 */
import { type DType, allocTyped, isFloat, isInteger } from "../../core/dtype.js";
import { type ShapedArray, sizeOf, stridesOf } from "../../core/aval.js";
import { BINARY_ELEMENTWISE, type BinaryElementwise, type PrimitiveName, type PrimitiveParams, type UnaryElementwise } from "../../core/primitives.js";
import { CUMULATIVE, type Cumulative, type ElementwiseName, REDUCTIONS, type Reduction } from "../../core/rules/elementwise_rules.js";
import type { CpuImpl, CpuImplTable, HostArray } from "./host_array.js";

type Fn1 = (x: number) => number;
type Fn2 = (a: number, b: number) => number;
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const UINT_MAX = 4294967295;

// ---- float16 -------------------------------------------------------------------

/** floor(log2(a)) for finite a > 0, exact (Math.log2 may be off by one near powers of two). */
function ilog2(a: number): number {
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  return e;
}

/** Round a double to the nearest float16 value (ties to even, overflow to ±inf, subnormals kept). */
export function roundFloat16(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const a = Math.abs(x);
  if (a >= 65520) return x > 0 ? Infinity : -Infinity;
  const q = 2 ** (Math.max(ilog2(a), -14) - 10); // spacing of float16 values near a
  const m = a / q;
  let r = Math.round(m);
  if (r - m === 0.5 && r % 2 === 1) r--;
  return (x < 0 ? -r : r) * q;
}

function f16ToBits(x: number): number {
  if (x !== x) return 0x7e00;
  const s = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a === Infinity) return s | 0x7c00;
  if (a < 2 ** -14) return s | (a * 2 ** 24);
  const e = ilog2(a);
  return s | ((e + 15) << 10) | ((a / 2 ** e - 1) * 1024);
}

function f16FromBits(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 31;
  const m = h & 1023;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (e === 0 ? m * 2 ** -24 : (1 + m / 1024) * 2 ** (e - 15));
}

// ---- scalar helpers ----------------------------------------------------------------

/** IEEE-style nextafter for a format given by its (sign-magnitude) bit conversions. */
function nextafterVia(toBits: Fn1, fromBits: Fn1): Fn2 {
  return (x, y) => {
    if (x !== x || y !== y) return NaN;
    if (x === y) return y;
    if (x === 0) return y > 0 ? fromBits(1) : -fromBits(1);
    return fromBits(toBits(x) + ((x < y) === (x > 0) ? 1 : -1));
  };
}
const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);
const nextafter32 = nextafterVia(
  (x) => ((F32[0] = x), U32[0]),
  (b) => ((U32[0] = b), F32[0]),
);
const nextafter16 = nextafterVia(f16ToBits, f16FromBits);
const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);
const nextafter64: Fn2 = (x, y) => {
  if (x !== x || y !== y) return NaN;
  if (x === y) return y;
  if (x === 0) return y > 0 ? Number.MIN_VALUE : -Number.MIN_VALUE;
  F64[0] = x;
  U64[0] += (x < y) === (x > 0) ? 1n : -1n;
  return F64[0];
};

const TWO_OVER_SQRT_PI = 1.1283791670955126;

/** erfc(a) for a >= 2 by the continued fraction erfc(a) = e^{-a²}/√π · 1/(a+ (1/2)/(a+ 1/(a+ (3/2)/(a+ ...)))). */
function erfcLarge(a: number): number {
  if (a > 27) return 0;
  let f = a;
  let c = a;
  let d = 0;
  for (let n = 1; n < 300; n++) {
    const an = n / 2;
    d = 1 / (a + an * d);
    c = a + an / c;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-a * a) / (1.7724538509055159 * f);
}

/** erf(a) for 0 <= a < 2 by the all-positive series erf(a) = 2/√π e^{-a²} Σ 2^n a^{2n+1} / (2n+1)!!. */
function erfSmall(a: number): number {
  const t = 2 * a * a;
  let term = a;
  let sum = a;
  for (let k = 1; k < 200 && term > sum * 1e-17; k++) sum += term *= t / (2 * k + 1);
  return TWO_OVER_SQRT_PI * Math.exp(-a * a) * sum;
}

/** erf, accurate to a few double ulps. */
export function erf(x: number): number {
  if (x !== x || x === 0) return x;
  const a = Math.abs(x);
  const r = a < 2 ? erfSmall(a) : 1 - erfcLarge(a);
  return x < 0 ? -r : r;
}

/** erfc for a >= 0 (relative accuracy kept in the tail). */
function erfcPos(a: number): number {
  return a < 2 ? 1 - erfSmall(a) : erfcLarge(a);
}

/** erf⁻¹: Giles' single-precision approximation, refined by Halley steps on erf (or erfc near ±1). */
export function erfInv(y: number): number {
  if (y !== y || y < -1 || y > 1) return NaN;
  if (y === 0) return y;
  if (y === 1 || y === -1) return y * Infinity;
  const a = Math.abs(y);
  let w = -Math.log((1 - a) * (1 + a));
  let p: number;
  if (w < 5) {
    w -= 2.5;
    p = 2.81022636e-8;
    for (const c of [3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 2.1858087e-4, -1.25372503e-3, -4.17768164e-3, 0.246640727, 1.50140941]) p = c + p * w;
  } else {
    w = Math.sqrt(w) - 3;
    p = -2.00214257e-4;
    for (const c of [1.00950558e-4, 1.34934322e-3, -3.67342844e-3, 5.73950773e-3, -7.6224613e-3, 9.43887047e-3, 1.00167406, 2.83297682]) p = c + p * w;
  }
  // Refine: Halley on erf(x) = a for a <= 0.5; near 1, Newton on log erfc(x) = log(1 - a), which
  // stays accurate (1 - a is exact) and converges from the rough guess far in the float64 tail.
  let x = p * a;
  for (let k = 0; k < 30; k++) {
    const fp = TWO_OVER_SQRT_PI * Math.exp(-x * x);
    let dx: number;
    if (a <= 0.5) {
      const err = erf(x) - a;
      dx = err / (fp + x * err); // f'' = -2x f'
    } else {
      const c = erfcPos(x);
      dx = (-Math.log(c / (1 - a)) * c) / fp;
    }
    x -= dx;
    if (!(Math.abs(dx) > 1e-16 * x)) break;
  }
  return y < 0 ? -x : x;
}

/** C's pow (Math.pow differs for pow(1, NaN) and pow(-1, ±inf), which C defines as 1). */
const cpow: Fn2 = (a, b) => (a === 1 || (a === -1 && Math.abs(b) === Infinity) ? 1 : Math.pow(a, b));
/** XLA's max/min: NaN in either operand propagates; ties return the first operand. */
const fmax: Fn2 = (a, b) => (a >= b || a !== a ? a : b);
const fmin: Fn2 = (a, b) => (a <= b || a !== a ? a : b);
const roundAway: Fn1 = (x) => {
  const t = Math.trunc(x);
  return Math.abs(x - t) >= 0.5 ? t + Math.sign(x) : t;
};
const roundEven: Fn1 = (x) => {
  const r = Math.round(x); // ties toward +inf
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
};
const intDiv: Fn2 = (a, b) => (b === 0 ? -1 : a === INT_MIN && b === -1 ? INT_MIN : Math.trunc(a / b));
/** Total order used by sort: -0 == 0, NaNs last. */
const cmpTotal = (a: number, b: number) => (a < b ? -1 : a > b ? 1 : a === b ? 0 : a !== a ? (b !== b ? 0 : 1) : -1);

/** Rounding of a float accumulator to dtype `d` after each step. */
function rounder(d: DType): Fn1 {
  return d === "float16" ? roundFloat16 : d === "float32" ? Math.fround : (x) => x;
}

// ---- per-dtype dispatch ----------------------------------------------------------------

/** Implementations by dtype class; lookups fall back f16/f32/f64 -> f -> all, u -> i -> all, b -> i -> all. */
interface Spec<F> {
  all?: F;
  f?: F;
  f16?: F;
  f32?: F;
  f64?: F;
  i?: F;
  u?: F;
  b?: F;
}

function pick<F>(name: string, s: Spec<F>, d: DType): F {
  const fn =
    d === "float16" || d === "float32" || d === "float64"
      ? (s[d === "float16" ? "f16" : d === "float32" ? "f32" : "f64"] ?? s.f)
      : d === "int32"
        ? s.i
        : d === "uint32"
          ? (s.u ?? s.i)
          : (s.b ?? s.i);
  const r = fn ?? s.all;
  if (!r) throw new TypeError(`${name}: no CPU implementation for dtype ${d}`);
  return r;
}

/** Fill a fresh output of aval `out` from f(i), rounding to float16 where needed. */
function mapInto(out: ShapedArray, f: (i: number) => number): HostArray {
  const n = sizeOf(out.shape);
  const data = allocTyped(out.dtype, n);
  if (out.dtype === "float16") for (let i = 0; i < n; i++) data[i] = roundFloat16(f(i));
  else for (let i = 0; i < n; i++) data[i] = f(i);
  return { shape: out.shape, dtype: out.dtype, data };
}

function unaryP<P extends PrimitiveName>(make: (p: PrimitiveParams[P], d: DType) => Fn1): CpuImpl<P> {
  return ([x], p, [out]) => {
    const f = make(p, x.dtype);
    const d = x.data;
    return [mapInto(out, (i) => f(d[i]))];
  };
}
const unary = (name: string, s: Spec<Fn1>) => unaryP<UnaryElementwise>((_p, d) => pick(name, s, d));

function binary(name: string, s: Spec<Fn2>): CpuImpl<BinaryElementwise> {
  return ([a, b], _p, [out]) => {
    const f = pick(name, s, a.dtype);
    const x = a.data;
    const y = b.data;
    return [mapInto(out, (i) => f(x[i], y[i]))];
  };
}

// ---- elementwise tables ------------------------------------------------------------------

const M = Math;
const UNARY: Record<Exclude<UnaryElementwise, "round" | "integer_pow">, Spec<Fn1>> = {
  neg: { all: (x) => -x },
  sign: { all: (x) => (x > 0 ? 1 : x < 0 ? -1 : x) },
  floor: { f: M.floor },
  ceil: { f: M.ceil },
  is_finite: { f: (x) => (Number.isFinite(x) ? 1 : 0) },
  exp: { f: M.exp },
  exp2: { f: (x) => 2 ** x },
  log: { f: M.log },
  log1p: { f: M.log1p },
  expm1: { f: M.expm1 },
  tanh: { f: M.tanh },
  logistic: { f: (x) => 1 / (1 + M.exp(-x)) },
  sin: { f: M.sin },
  cos: { f: M.cos },
  tan: { f: M.tan },
  asin: { f: M.asin },
  acos: { f: M.acos },
  atan: { f: M.atan },
  sinh: { f: M.sinh },
  cosh: { f: M.cosh },
  asinh: { f: M.asinh },
  acosh: { f: M.acosh },
  atanh: { f: M.atanh },
  sqrt: { f: M.sqrt },
  rsqrt: { f: (x) => 1 / M.sqrt(x) },
  cbrt: { f: M.cbrt },
  abs: { all: M.abs },
  not: { i: (x) => ~x, b: (x) => (x ? 0 : 1) },
  erf: { f: erf },
  erf_inv: { f: erfInv, f32: erfInvF32 },
};

/**
 * float32 erf_inv exactly as XLA evaluates it (Giles' single-precision polynomial with every
 * step rounded to float32), so random.normal matches JAX's printed values bit for bit.
 */
const ERFINV_SMALL = [2.81022636e-8, 3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 2.1858087e-4, -1.25372503e-3, -4.17768164e-3, 0.246640727, 1.50140941].map(Math.fround);
const ERFINV_LARGE = [-2.00214257e-4, 1.00950558e-4, 1.34934322e-3, -3.67342844e-3, 5.73950773e-3, -7.6224613e-3, 9.43887047e-3, 1.00167406, 2.83297682].map(Math.fround);
function erfInvF32(x: number): number {
  const f = Math.fround;
  if (Math.abs(x) === 1) return x * Infinity;
  let w = f(-f(Math.log1p(f(-f(x * x)))));
  let c: number[];
  if (w < 5) {
    w = f(w - 2.5);
    c = ERFINV_SMALL;
  } else {
    w = f(f(Math.sqrt(w)) - 3);
    c = ERFINV_LARGE;
  }
  let p = c[0];
  for (let i = 1; i < c.length; i++) p = f(c[i] + f(p * w));
  return f(p * x);
}

/** integer_pow by binary exponentiation with each product rounded to the dtype, as JAX lowers it. */
function integerPow(y: number, d: DType): Fn1 {
  const int = isInteger(d);
  const r = rounder(d);
  const mul: Fn2 = int ? Math.imul : (a, b) => r(a * b);
  return (x) => {
    if (y === 0) return 1;
    let acc: number | undefined;
    let base = x;
    for (let n = Math.abs(y); n > 0; ) {
      if (n & 1) acc = acc === undefined ? base : mul(acc, base);
      n = Math.floor(n / 2);
      if (n > 0) base = mul(base, base);
    }
    return y > 0 ? acc! : int ? intDiv(1, acc!) : 1 / acc!;
  };
}

const cmp = (f: (a: number, b: number) => boolean): Spec<Fn2> => ({ all: (a, b) => (f(a, b) ? 1 : 0) });
const BINARY: Record<BinaryElementwise, Spec<Fn2>> = {
  add: { all: (a, b) => a + b },
  sub: { all: (a, b) => a - b },
  mul: { f: (a, b) => a * b, i: Math.imul },
  div: { f: (a, b) => a / b, i: intDiv },
  rem: { f: (a, b) => a % b, i: (a, b) => (b === 0 ? a : a % b) },
  pow: { f: cpow },
  max: { f: fmax, i: Math.max },
  min: { f: fmin, i: Math.min },
  atan2: { f: Math.atan2 },
  nextafter: { f16: nextafter16, f32: nextafter32, f64: nextafter64 },
  and: { i: (a, b) => a & b },
  or: { i: (a, b) => a | b },
  xor: { i: (a, b) => a ^ b },
  eq: cmp((a, b) => a === b),
  ne: cmp((a, b) => a !== b),
  lt: cmp((a, b) => a < b),
  le: cmp((a, b) => a <= b),
  gt: cmp((a, b) => a > b),
  ge: cmp((a, b) => a >= b),
  // Shift amounts are read as unsigned: >= 32 (or negative) shifts everything out.
  shift_left: { i: (a, b) => (b >>> 0 >= 32 ? 0 : a << b) },
  shift_right_logical: { i: (a, b) => (b >>> 0 >= 32 ? 0 : a >>> b) },
  shift_right_arithmetic: { i: (a, b) => (b >>> 0 >= 32 ? ((a | 0) < 0 ? -1 : 0) : a >> b) },
};

// ---- conversions ---------------------------------------------------------------------------

function convertFn(from: DType, to: DType): Fn1 {
  const fromFloat = isFloat(from);
  switch (to) {
    case "bool":
      return (x) => (x !== 0 ? 1 : 0);
    case "int32": // float -> int saturates, NaN -> 0; uint32 -> int32 reinterprets
      return fromFloat ? (x) => (x !== x ? 0 : x >= INT_MAX ? INT_MAX : x <= INT_MIN ? INT_MIN : Math.trunc(x)) : (x) => x | 0;
    case "uint32":
      return fromFloat ? (x) => (x !== x || x <= 0 ? 0 : x >= UINT_MAX ? UINT_MAX : Math.trunc(x)) : (x) => x >>> 0;
    default:
      return (x) => x; // to float: rounded by the store (f32) or mapInto (f16)
  }
}

const VIEWS = { int32: Int32Array, uint32: Uint32Array, float32: Float32Array } as const;

// ---- reductions and scans -------------------------------------------------------------------

/** Sizes before, along and after `axis`: element (o, k, i) lives at (o*n + k)*inner + i. */
function splitAxis(shape: readonly number[], axis: number): [outer: number, n: number, inner: number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis], sizeOf(shape.slice(axis + 1))];
}

/** For each input element (row-major), the flat index of its output element after reducing `axes`. */
function reducedIndexMap(shape: readonly number[], axes: readonly number[]): Int32Array {
  const outStrides = stridesOf(shape.filter((_, i) => !axes.includes(i)));
  let j = 0;
  const st = shape.map((_, i) => (axes.includes(i) ? 0 : outStrides[j++]));
  const n = sizeOf(shape);
  const map = new Int32Array(n);
  const idx = new Array<number>(shape.length).fill(0);
  for (let f = 0, off = 0; f < n; f++) {
    map[f] = off;
    for (let d = shape.length - 1; d >= 0; d--) {
      off += st[d];
      if (++idx[d] < shape[d]) break;
      off -= st[d] * shape[d];
      idx[d] = 0;
    }
  }
  return map;
}

const SUM: Spec<Fn2> = { f: (a, b) => a + b, i: (a, b) => (a + b) | 0 };
const PROD: Spec<Fn2> = { f: (a, b) => a * b, i: Math.imul };
const MAX: Spec<Fn2> = { f: fmax, i: Math.max };
const MIN: Spec<Fn2> = { f: fmin, i: Math.min };

const MONOIDS: Record<Reduction, { op: Spec<Fn2>; init: (d: DType) => number }> = {
  reduce_sum: { op: SUM, init: () => 0 },
  reduce_prod: { op: PROD, init: () => 1 },
  reduce_max: { op: MAX, init: (d) => (isFloat(d) ? -Infinity : d === "int32" ? INT_MIN : 0) },
  reduce_min: { op: MIN, init: (d) => (isFloat(d) ? Infinity : d === "int32" ? INT_MAX : d === "uint32" ? UINT_MAX : 1) },
  reduce_and: { op: { i: (a, b) => a & b }, init: (d) => (d === "bool" ? 1 : -1) },
  reduce_or: { op: { i: (a, b) => a | b }, init: () => 0 },
};

function reduction(name: Reduction): CpuImpl<Reduction> {
  const { op, init } = MONOIDS[name];
  return ([x], { axes }, [out]) => {
    const f = pick(name, op, x.dtype);
    const r = rounder(x.dtype);
    const acc = new Float64Array(sizeOf(out.shape)).fill(init(x.dtype));
    const map = reducedIndexMap(x.shape, axes);
    const d = x.data;
    for (let i = 0; i < d.length; i++) acc[map[i]] = r(f(acc[map[i]], d[i]));
    return [mapInto(out, (i) => acc[i])];
  };
}

const CUM_OPS: Record<Cumulative, Spec<Fn2>> = { cumsum: SUM, cumprod: PROD, cummax: MAX, cummin: MIN };

function cumulative(name: Cumulative): CpuImpl<Cumulative> {
  return ([x], { axis, reverse }, [out]) => {
    const f = pick(name, CUM_OPS[name], x.dtype);
    const r = rounder(x.dtype);
    const [outer, n, inner] = splitAxis(x.shape, axis);
    const d = x.data;
    const acc = new Float64Array(d.length);
    for (let o = 0; o < outer; o++)
      for (let i = 0; i < inner; i++) {
        let a = 0;
        for (let k = 0; k < n; k++) {
          const at = (o * n + (reverse ? n - 1 - k : k)) * inner + i;
          acc[at] = a = k === 0 ? d[at] : r(f(a, d[at]));
        }
      }
    return [mapInto(out, (i) => acc[i])];
  };
}

/** argmax/argmin along one axis: first index on ties, the first NaN wins. */
function argImpl(better: (v: number, best: number) => boolean): CpuImpl<"argmax" | "argmin"> {
  return ([x], { axes }, [out]) => {
    const [, n, inner] = splitAxis(x.shape, axes[0]);
    const d = x.data;
    return [
      mapInto(out, (o) => {
        const base = Math.floor(o / inner) * n * inner + (o % inner);
        let best = d[base];
        let bi = 0;
        if (best !== best) return 0;
        for (let k = 1; k < n; k++) {
          const v = d[base + k * inner];
          if (v !== v) return k;
          if (better(v, best)) (best = v), (bi = k);
        }
        return bi;
      }),
    ];
  };
}

const table = <K extends string, R>(names: readonly K[], f: (n: K) => R) => Object.fromEntries(names.map((n) => [n, f(n)])) as Record<K, R>;

// ---- the table -----------------------------------------------------------------------------------

export const elementwiseCpu: CpuImplTable<ElementwiseName> = {
  ...table(Object.keys(UNARY) as (keyof typeof UNARY)[], (n) => unary(n, UNARY[n])),
  round: unaryP<"round">((p) => (p.rounding_method === 0 ? roundAway : roundEven)),
  integer_pow: unaryP<"integer_pow">((p, d) => integerPow(p.y, d)),
  ...table(BINARY_ELEMENTWISE, (n) => binary(n, BINARY[n])),
  ...table(REDUCTIONS, reduction),
  ...table(CUMULATIVE, cumulative),
  argmax: argImpl((v, best) => v > best),
  argmin: argImpl((v, best) => v < best),

  select_n: ([which, ...cases], _p, [out]) => {
    const w = which.data;
    const scalar = which.shape.length === 0;
    const k = cases.length;
    // Out-of-range `which` picks the nearest case, as XLA's lowering to a select tree does.
    return [mapInto(out, (i) => cases[Math.min(Math.max(w[scalar ? 0 : i], 0), k - 1)].data[i])];
  },

  clamp: ([lo, x, hi], _p, [out]) => {
    const [mx, mn] = isFloat(x.dtype) ? [fmax, fmin] : [Math.max, Math.min];
    const l = lo.data;
    const h = hi.data;
    const d = x.data;
    const ls = lo.shape.length === 0;
    const hs = hi.shape.length === 0;
    return [mapInto(out, (i) => mn(mx(d[i], l[ls ? 0 : i]), h[hs ? 0 : i]))];
  },

  convert_element_type: unaryP<"convert_element_type">((p, d) => convertFn(d, p.new_dtype)),

  bitcast_convert_type: ([x], _p, [out]) => {
    const copy = x.data.slice();
    if (x.dtype === out.dtype) return [{ shape: out.shape, dtype: out.dtype, data: copy }];
    const View = VIEWS[out.dtype as keyof typeof VIEWS];
    if (!View || !(x.dtype in VIEWS)) throw new TypeError(`bitcast_convert_type: cannot bitcast ${x.dtype} to ${out.dtype}`);
    return [{ shape: out.shape, dtype: out.dtype, data: new View(copy.buffer) }];
  },

  iota: (_in, { shape, dimension }, [out]) => {
    const st = stridesOf(shape)[dimension];
    const n = shape[dimension];
    return [mapInto(out, (i) => Math.floor(i / st) % n)];
  },

  sort: (inputs, { dimension, num_keys }, outAvals) => {
    const [outer, n, inner] = splitAxis(inputs[0].shape, dimension);
    const keys = inputs.slice(0, num_keys).map((k) => k.data);
    const outs = outAvals.map((a) => allocTyped(a.dtype, sizeOf(a.shape)));
    const perm = new Array<number>(n);
    for (let o = 0; o < outer; o++)
      for (let i = 0; i < inner; i++) {
        const base = o * n * inner + i;
        for (let k = 0; k < n; k++) perm[k] = k;
        perm.sort((p, q) => {
          for (const key of keys) {
            const c = cmpTotal(key[base + p * inner], key[base + q * inner]);
            if (c) return c;
          }
          return p - q; // stable
        });
        inputs.forEach((x, j) => {
          for (let k = 0; k < n; k++) outs[j][base + k * inner] = x.data[base + perm[k] * inner];
        });
      }
    return outs.map((data, j) => ({ shape: outAvals[j].shape, dtype: outAvals[j].dtype, data }));
  },
};
