// Checks the array printer against numpy 2.x / JAX output byte for byte: inline known JAX
// reprs, plus every case in fixtures/format.json (made by fixtures/gen_format.py).

import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { DType } from "../src/core/dtype.js";
import {
  DEFAULT_PRINT_OPTIONS,
  formatRepr,
  formatScalar,
  formatStr,
  summaryOffsets,
  type FormatInput,
  type PrintOptions,
} from "../src/print/format.js";

type JsonNum = number | "nan" | "inf" | "-inf";

interface FixtureCase {
  name: string;
  shape: number[];
  dtype: DType;
  weak: boolean;
  data?: JsonNum[];
  corners?: JsonNum[];
  options?: Partial<PrintOptions>;
  repr: string;
  str: string;
}

interface Fixture {
  numpy: string;
  cases: FixtureCase[];
  scalars: { dtype: DType; value: JsonNum; str: string }[];
}

const fixture: Fixture = JSON.parse(
  readFileSync(fileURLToPath(new URL("./fixtures/format.json", import.meta.url)), "utf8"),
);

function decode(v: JsonNum): number {
  if (v === "nan") return NaN;
  if (v === "inf") return Infinity;
  if (v === "-inf") return -Infinity;
  return v;
}

function inputOf(c: FixtureCase): FormatInput {
  const size = c.shape.reduce((a, b) => a * b, 1);
  let data: number[];
  if (c.corners) {
    const edge = c.options?.edgeitems ?? DEFAULT_PRINT_OPTIONS.edgeitems;
    const offsets = summaryOffsets(c.shape, edge);
    expect(offsets.length).toBe(c.corners.length);
    data = new Array<number>(size).fill(0);
    offsets.forEach((o, i) => (data[o] = decode(c.corners![i])));
  } else {
    data = c.data!.map(decode);
  }
  return { shape: c.shape, dtype: c.dtype, data, weakType: c.weak };
}

const f32 = (shape: number[], data: number[], weakType = false): FormatInput => ({
  shape,
  dtype: "float32",
  data: Float32Array.from(data),
  weakType,
});

describe("known JAX outputs", () => {
  it("formats float32 arrays", () => {
    expect(formatRepr(f32([3], [1, 2, 3]))).toBe("Array([1., 2., 3.], dtype=float32)");
    expect(formatRepr(f32([2, 2], [1, 2, 3, 4]))).toBe("Array([[1., 2.],\n       [3., 4.]], dtype=float32)");
    expect(formatRepr(f32([3], [-0.16965576, -0.8774645, -1.4901344]))).toBe(
      "Array([-0.16965576, -0.8774645 , -1.4901344 ], dtype=float32)",
    );
    expect(formatRepr(f32([2, 2], [0, 0, 0, 0]))).toBe("Array([[0., 0.],\n       [0., 0.]], dtype=float32)");
  });

  it("formats scalars, weak types and empty arrays", () => {
    expect(formatRepr(f32([], [2], true))).toBe("Array(2., dtype=float32, weak_type=True)");
    expect(formatRepr(f32([], [1], true))).toBe("Array(1., dtype=float32, weak_type=True)");
    expect(formatRepr(f32([0], []))).toBe("Array([], shape=(0,), dtype=float32)");
    expect(formatRepr({ shape: [2, 0], dtype: "int32", data: [] })).toBe("Array([], shape=(2, 0), dtype=int32)");
    expect(formatStr(f32([], [1]))).toBe("1.0");
    expect(formatStr(f32([0], []))).toBe("[]");
  });

  it("formats ints, uints and bools", () => {
    expect(formatRepr({ shape: [3], dtype: "int32", data: [1, 2, 3] })).toBe("Array([1, 2, 3], dtype=int32)");
    expect(formatRepr({ shape: [2], dtype: "uint32", data: [1, 2] })).toBe("Array([1, 2], dtype=uint32)");
    expect(formatRepr({ shape: [2], dtype: "bool", data: [1, 0] })).toBe("Array([ True, False], dtype=bool)");
    expect(formatStr({ shape: [2], dtype: "bool", data: [1, 0] })).toBe("[ True False]");
  });

  it("formats numpy str", () => {
    expect(formatStr(f32([2, 2], [1, 2, 3, 4]))).toBe("[[1. 2.]\n [3. 4.]]");
    expect(formatStr(f32([3], [0.1, 0.25, 3]))).toBe("[0.1  0.25 3.  ]");
  });

  it("formats scalar literals like Python / numpy str", () => {
    expect(formatScalar(1, "float32")).toBe("1.0");
    expect(formatScalar(3, "float32")).toBe("3.0");
    expect(formatScalar(0.1, "float32")).toBe("0.1");
    expect(formatScalar(0.1, "float64")).toBe("0.1");
    expect(formatScalar(1e-5, "float32")).toBe("1e-05");
    expect(formatScalar(NaN, "float32")).toBe("nan");
    expect(formatScalar(Infinity, "float32")).toBe("inf");
    expect(formatScalar(-Infinity, "float64")).toBe("-inf");
    expect(formatScalar(2, "int32")).toBe("2");
    expect(formatScalar(1, "bool")).toBe("True");
    expect(formatScalar(0, "bool")).toBe("False");
  });

  it("rejects data that does not match the shape", () => {
    expect(() => formatRepr(f32([2], [1]))).toThrow();
  });
});

describe(`numpy ${fixture.numpy} fixtures`, () => {
  it("has cases", () => {
    expect(fixture.cases.length).toBeGreaterThan(100);
  });

  it.each(fixture.cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const x = inputOf(c);
    expect(formatRepr(x, c.options)).toBe(c.repr);
    expect(formatStr(x, c.options)).toBe(c.str);
  });

  it("formats scalars like numpy's str()", () => {
    for (const s of fixture.scalars) {
      expect(`${s.dtype} ${s.value}: ${formatScalar(decode(s.value), s.dtype)}`).toBe(`${s.dtype} ${s.value}: ${s.str}`);
    }
  });
});
