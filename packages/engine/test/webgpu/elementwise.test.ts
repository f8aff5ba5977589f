// WebGPU vs the CPU reference: every elementwise primitive (unary, binary with lax's
// broadcasting, select_n, clamp, conversions, bitcasts, iota) over float32 / int32 / uint32 /
// bool, on random shapes with odd sizes, size 0 and 1, and special values (NaN, ±inf, -0,
// integer extremes). float32 within tolerance, everything else exactly.
import { describe, it } from "vitest";
import type { DType } from "../../src/core/dtype.js";
import type { BinaryElementwise, UnaryElementwise } from "../../src/core/primitives.js";
import { type DataSpec, type Tolerance, acquireGpu, checkPrimitive, randomHost, randomShape, rng } from "./harness.js";

const gpu = await acquireGpu();
const SPECIAL_F = [NaN, Infinity, -Infinity, 0, -0];
const INT_EXTREMES = [-2147483648, 2147483647, 0, -1, 1];
const UINT_EXTREMES = [0, 1, 4294967295, 2147483648];

type UnaryCase = { dtypes: DType[]; spec?: DataSpec; tol?: Tolerance };
const UNARY: Record<Exclude<UnaryElementwise, "round" | "integer_pow">, UnaryCase> = {
  neg: { dtypes: ["float32", "int32", "uint32"], spec: { specials: SPECIAL_F } },
  sign: { dtypes: ["float32", "int32", "uint32"], spec: { specials: SPECIAL_F } },
  floor: { dtypes: ["float32"], spec: { specials: SPECIAL_F } },
  ceil: { dtypes: ["float32"], spec: { specials: SPECIAL_F } },
  is_finite: { dtypes: ["float32"], spec: { specials: SPECIAL_F } },
  exp: { dtypes: ["float32"], spec: { lo: -20, hi: 20, specials: SPECIAL_F } },
  exp2: { dtypes: ["float32"], spec: { lo: -20, hi: 20, specials: SPECIAL_F } },
  log: { dtypes: ["float32"], spec: { lo: 0.001, hi: 100, specials: [0, Infinity, NaN] } },
  log1p: { dtypes: ["float32"], spec: { lo: -0.999, hi: 100, specials: [0, 1e-7, -1e-7, Infinity, NaN, -1] } },
  expm1: { dtypes: ["float32"], spec: { lo: -20, hi: 20, specials: [0, 1e-7, -1e-7, Infinity, -Infinity, NaN] } },
  tanh: { dtypes: ["float32"], spec: { lo: -20, hi: 20, specials: [...SPECIAL_F, 1e-5, -3e-4] } },
  logistic: { dtypes: ["float32"], spec: { lo: -30, hi: 30, specials: SPECIAL_F } },
  sin: { dtypes: ["float32"], spec: { lo: -10, hi: 10 }, tol: { atol: 1e-5 } },
  cos: { dtypes: ["float32"], spec: { lo: -10, hi: 10 }, tol: { atol: 1e-5 } },
  tan: { dtypes: ["float32"], spec: { lo: -1.4, hi: 1.4 }, tol: { rtol: 1e-4, atol: 1e-5 } },
  asin: { dtypes: ["float32"], spec: { lo: -1, hi: 1 }, tol: { atol: 1e-5 } },
  acos: { dtypes: ["float32"], spec: { lo: -1, hi: 1 }, tol: { atol: 1e-5 } },
  atan: { dtypes: ["float32"], spec: { lo: -50, hi: 50 }, tol: { atol: 1e-5 } },
  sinh: { dtypes: ["float32"], spec: { lo: -20, hi: 20, specials: [0, 1e-6, -2e-3] }, tol: { rtol: 1e-5 } },
  cosh: { dtypes: ["float32"], spec: { lo: -20, hi: 20, specials: [0, 89] } },
  asinh: { dtypes: ["float32"], spec: { lo: -100, hi: 100, specials: [0, 1e-6, -1e-4, 1e20] } },
  acosh: { dtypes: ["float32"], spec: { lo: 1, hi: 100, specials: [1, 1.0001, 1e20] } },
  atanh: { dtypes: ["float32"], spec: { lo: -0.99, hi: 0.99, specials: [0, 1e-6, 1, -1] }, tol: { rtol: 1e-5, atol: 1e-6 } },
  sqrt: { dtypes: ["float32"], spec: { lo: 0, hi: 100, specials: [0, Infinity, NaN] } },
  rsqrt: { dtypes: ["float32"], spec: { lo: 0.01, hi: 100, specials: [Infinity] } },
  cbrt: { dtypes: ["float32"], spec: { lo: -100, hi: 100, specials: [0, 27, -8, Infinity] } },
  abs: { dtypes: ["float32", "int32"], spec: { specials: SPECIAL_F } },
  not: { dtypes: ["int32", "uint32", "bool"] },
  erf: { dtypes: ["float32"], spec: { lo: -5, hi: 5, specials: [0, NaN, Infinity, -Infinity] } },
  erf_inv: { dtypes: ["float32"], spec: { lo: -0.999, hi: 0.999, specials: [0, 1, -1] }, tol: { rtol: 2e-5, atol: 2e-6 } },
};

const specFor = (d: DType, spec: DataSpec = {}): DataSpec =>
  d === "int32" ? { lo: -1000, hi: 1000, specials: INT_EXTREMES } : d === "uint32" ? { lo: 0, hi: 2000, specials: UINT_EXTREMES } : spec;

describe.skipIf(!gpu)("WebGPU elementwise primitives vs CPU", () => {
  const g = gpu!;
  const r = rng(1234);
  const shapes = () => [[], [1], [0], [7], [3, 5], randomShape(r, 3)];

  for (const [prim, c] of Object.entries(UNARY) as [Exclude<UnaryElementwise, "round" | "integer_pow">, UnaryCase][]) {
    it(`${prim} (${c.dtypes.join(", ")})`, async () => {
      for (const d of c.dtypes) for (const s of shapes()) await checkPrimitive(g, prim, [randomHost(r, s, d, specFor(d, c.spec))], {}, c.tol);
    });
  }

  it("round (both rounding methods, ties)", async () => {
    const ties = [0.5, -0.5, 1.5, 2.5, -2.5, 0.49999997, NaN, Infinity, -0];
    for (const m of [0, 1] as const) for (const s of shapes()) await checkPrimitive(g, "round", [randomHost(r, s, "float32", { specials: ties })], { rounding_method: m });
  });

  it("integer_pow (float, int wrapping)", async () => {
    for (const y of [0, 1, 2, 3, 5, -1, -2])
      await checkPrimitive(g, "integer_pow", [randomHost(r, [17], "float32", { lo: -3, hi: 3, specials: [0, NaN] })], { y }, { rtol: 1e-5 });
    for (const y of [0, 2, 3, 7]) {
      await checkPrimitive(g, "integer_pow", [randomHost(r, [9], "int32", { lo: -70000, hi: 70000 })], { y });
      await checkPrimitive(g, "integer_pow", [randomHost(r, [9], "uint32", { lo: 0, hi: 100000 })], { y });
    }
  });

  type BinaryCase = { dtypes: DType[]; a?: DataSpec; b?: DataSpec; tol?: Tolerance };
  const ARITH: DType[] = ["float32", "int32", "uint32"];
  const BINARY: Record<BinaryElementwise, BinaryCase> = {
    add: { dtypes: ARITH, a: { specials: SPECIAL_F } },
    sub: { dtypes: ARITH, a: { specials: SPECIAL_F } },
    mul: { dtypes: ARITH, a: { specials: SPECIAL_F } },
    div: { dtypes: ARITH, b: { specials: [0, -0, 1, -1, Infinity] } },
    rem: { dtypes: ARITH, a: { lo: -50, hi: 50 }, b: { lo: -7, hi: 7, specials: [0, 1, -1] }, tol: { atol: 1e-5 } },
    pow: { dtypes: ["float32"], a: { lo: 0, hi: 5, specials: [0, -0, 1, -1, -2, -0.5, Infinity, NaN] }, b: { lo: -3, hi: 3, specials: [0, 1, 2, 3, -1, 0.5, Infinity, -Infinity, NaN] }, tol: { rtol: 2e-5 } },
    max: { dtypes: ["float32", "int32", "uint32", "bool"], a: { specials: SPECIAL_F }, b: { specials: SPECIAL_F } },
    min: { dtypes: ["float32", "int32", "uint32", "bool"], a: { specials: SPECIAL_F }, b: { specials: SPECIAL_F } },
    atan2: { dtypes: ["float32"], a: { specials: [0, -0] }, b: { specials: [0, -0] }, tol: { atol: 1e-5 } },
    nextafter: { dtypes: ["float32"], a: { specials: [0, -0, NaN, 1] }, b: { specials: [0, NaN, 1] } },
    and: { dtypes: ["int32", "uint32", "bool"] },
    or: { dtypes: ["int32", "uint32", "bool"] },
    xor: { dtypes: ["int32", "uint32", "bool"] },
    eq: { dtypes: ["float32", "int32", "uint32", "bool"], a: { lo: -2, hi: 2, specials: SPECIAL_F }, b: { lo: -2, hi: 2, specials: SPECIAL_F } },
    ne: { dtypes: ["float32", "int32", "uint32", "bool"], a: { lo: -2, hi: 2, specials: SPECIAL_F }, b: { lo: -2, hi: 2, specials: SPECIAL_F } },
    lt: { dtypes: ["float32", "int32", "uint32", "bool"], a: { lo: -2, hi: 2, specials: SPECIAL_F }, b: { lo: -2, hi: 2, specials: SPECIAL_F } },
    le: { dtypes: ["float32", "int32", "uint32", "bool"], a: { lo: -2, hi: 2, specials: SPECIAL_F }, b: { lo: -2, hi: 2, specials: SPECIAL_F } },
    gt: { dtypes: ["float32", "int32", "uint32", "bool"], a: { lo: -2, hi: 2, specials: SPECIAL_F }, b: { lo: -2, hi: 2, specials: SPECIAL_F } },
    ge: { dtypes: ["float32", "int32", "uint32", "bool"], a: { lo: -2, hi: 2, specials: SPECIAL_F }, b: { lo: -2, hi: 2, specials: SPECIAL_F } },
    shift_left: { dtypes: ["int32", "uint32"], b: { lo: -2, hi: 40 } },
    shift_right_logical: { dtypes: ["int32", "uint32"], b: { lo: -2, hi: 40 } },
    shift_right_arithmetic: { dtypes: ["int32", "uint32"], b: { lo: -2, hi: 40 } },
  };
  // Operand shape pairs: equal, rank-0 on either side, size-1 dimensions broadcasting.
  const pairs = (): [number[], number[]][] => {
    const s = randomShape(r, 2, 6, false);
    return [[[5], [5]], [[], [4, 3]], [[2, 3], []], [[3, 1], [1, 4]], [s, s], [[0, 3], [1, 3]], [[1], [1]]];
  };
  for (const [prim, c] of Object.entries(BINARY) as [BinaryElementwise, BinaryCase][]) {
    it(`${prim} (${c.dtypes.join(", ")})`, async () => {
      for (const d of c.dtypes)
        for (const [sa, sb] of pairs()) {
          const a = randomHost(r, sa, d, d === "float32" || d === "bool" ? c.a : specFor(d));
          const b = randomHost(r, sb, d, d === "float32" || d === "bool" ? c.b : prim.startsWith("shift") ? { lo: -2, hi: 40 } : specFor(d));
          await checkPrimitive(g, prim, [a, b], {}, c.tol);
        }
    });
  }

  it("select_n (bool and int32 `which`, scalar and full, 1-3 cases)", async () => {
    for (const s of [[], [6], [2, 3]]) {
      for (const d of ["float32", "int32", "bool"] as DType[]) {
        const cases = (k: number) => Array.from({ length: k }, () => randomHost(r, s, d));
        await checkPrimitive(g, "select_n", [randomHost(r, s, "bool"), ...cases(2)], {});
        await checkPrimitive(g, "select_n", [randomHost(r, [], "bool"), ...cases(2)], {});
        await checkPrimitive(g, "select_n", [randomHost(r, s, "int32", { lo: -1, hi: 3 }), ...cases(3)], {});
        await checkPrimitive(g, "select_n", [randomHost(r, s, "int32", { lo: 0, hi: 0 }), ...cases(1)], {});
      }
    }
  });

  it("clamp (scalar and full bounds, NaN)", async () => {
    for (const d of ["float32", "int32", "uint32"] as DType[]) {
      const s = [4, 5];
      const x = randomHost(r, s, d, d === "float32" ? { specials: [NaN] } : specFor(d));
      await checkPrimitive(g, "clamp", [randomHost(r, [], d, { lo: 0, hi: 2 }), x, randomHost(r, [], d, { lo: 5, hi: 8 })], {});
      await checkPrimitive(g, "clamp", [randomHost(r, s, d, { lo: 0, hi: 3 }), x, randomHost(r, s, d, { lo: 4, hi: 9 })], {});
    }
  });

  it("convert_element_type between all dtypes (saturation, NaN, bool)", async () => {
    const all: DType[] = ["float32", "int32", "uint32", "bool"];
    const src: Record<string, DataSpec> = {
      float32: { lo: -1e10, hi: 1e10, specials: [NaN, Infinity, -Infinity, 0, -0, 0.5, -0.7, 2147483647, 2147483648, 4294967295, 4294967296, 3e9] },
      int32: { lo: -100000, hi: 100000, specials: INT_EXTREMES },
      uint32: { lo: 0, hi: 100000, specials: UINT_EXTREMES },
      bool: {},
    };
    for (const from of all)
      for (const to of all) await checkPrimitive(g, "convert_element_type", [randomHost(r, [33], from, src[from])], { new_dtype: to, weak_type: false }, {}, ` ${from}->${to}`);
  });

  it("bitcast_convert_type between 32-bit types", async () => {
    const all: DType[] = ["float32", "int32", "uint32"];
    for (const from of all) for (const to of all) await checkPrimitive(g, "bitcast_convert_type", [randomHost(r, [3, 4], from, from === "float32" ? {} : specFor(from))], { new_dtype: to });
  });

  it("iota (dtypes, dimensions, empty)", async () => {
    for (const d of ["float32", "int32", "uint32"] as DType[])
      for (const [shape, dim] of [[[5], 0], [[3, 4], 1], [[3, 4], 0], [[2, 0, 3], 2], [[1, 7, 1], 1]] as [number[], number][])
        await checkPrimitive(g, "iota", [], { dtype: d, shape, dimension: dim });
  });
});
