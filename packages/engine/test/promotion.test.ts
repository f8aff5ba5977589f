/**
 * promoteTypes against JAX's type-promotion table, cell by cell, for the dtypes Kiln supports
 * (b1, u4, i4, f2, f4, f8 and the weak i*, f*), with JAX's x64-disabled canonicalization.
 */
import { describe, expect, it } from "vitest";
import { type DType, type DTypeLike, promoteDtypes, promoteTypes } from "../src/core/dtype.js";

type Code = "b1" | "u4" | "u8" | "i4" | "i8" | "f2" | "f4" | "f8" | "i*" | "f*";
const KILN_CODES = ["b1", "u4", "i4", "f2", "f4", "f8", "i*", "f*"] as const;

// Sub-table of JAX's `jnp.promote_types` table, transcribed from shared/docs/TYPE_PROMOTION.md
// (JAX docs, "Type promotion semantics"): rows and columns b1, u4, i4, f2, f4, f8, i*, f*, with
// the table's raw 64-bit entries kept as written (canonicalization happens below).
const TABLE: Record<(typeof KILN_CODES)[number], readonly Code[]> = {
  //     b1     u4     i4     f2     f4     f8     i*     f*
  b1: ["b1", "u4", "i4", "f2", "f4", "f8", "i*", "f*"],
  u4: ["u4", "u4", "i8", "f2", "f4", "f8", "u4", "f*"],
  i4: ["i4", "i8", "i4", "f2", "f4", "f8", "i4", "f*"],
  f2: ["f2", "f2", "f2", "f2", "f4", "f8", "f2", "f2"],
  f4: ["f4", "f4", "f4", "f4", "f4", "f8", "f4", "f4"],
  f8: ["f8", "f8", "f8", "f8", "f8", "f8", "f8", "f8"],
  "i*": ["i*", "u4", "i4", "f2", "f4", "f8", "i*", "f*"],
  "f*": ["f*", "f*", "f*", "f2", "f4", "f8", "f*", "f*"],
};

/** A Kiln operand for a table code: `i*`/`f*` are weakly typed int32/float32. */
function operand(c: (typeof KILN_CODES)[number]): DTypeLike {
  const map: Record<(typeof KILN_CODES)[number], DTypeLike> = {
    b1: { dtype: "bool", weakType: false },
    u4: { dtype: "uint32", weakType: false },
    i4: { dtype: "int32", weakType: false },
    f2: { dtype: "float16", weakType: false },
    f4: { dtype: "float32", weakType: false },
    f8: { dtype: "float64", weakType: false },
    "i*": { dtype: "int32", weakType: true },
    "f*": { dtype: "float32", weakType: true },
  };
  return map[c];
}

/**
 * JAX with jax_enable_x64=False: i8 -> i4 and u8 -> u4; weak `i*` and `f*` become weak int32 and float32.
 * float64 is kept, since Kiln's CPU backend supports it.
 */
function canonical(c: Code): DTypeLike {
  const map: Record<Code, DTypeLike> = {
    b1: { dtype: "bool", weakType: false },
    u4: { dtype: "uint32", weakType: false },
    u8: { dtype: "uint32", weakType: false },
    i4: { dtype: "int32", weakType: false },
    i8: { dtype: "int32", weakType: false },
    f2: { dtype: "float16", weakType: false },
    f4: { dtype: "float32", weakType: false },
    f8: { dtype: "float64", weakType: false },
    "i*": { dtype: "int32", weakType: true },
    "f*": { dtype: "float32", weakType: true },
  };
  return map[c];
}

const CELLS = KILN_CODES.flatMap((a) => KILN_CODES.map((b, j) => [a, b, TABLE[a][j]] as const));

describe("promoteTypes matches JAX's promotion table (x64 disabled)", () => {
  it("covers all 64 pairs of Kiln's types", () => {
    expect(CELLS).toHaveLength(64);
  });

  it.each(CELLS)("%s + %s -> %s", (a, b, expected) => {
    expect(promoteTypes(operand(a), operand(b))).toEqual(canonical(expected));
  });

  it("the transcribed table is symmetric, as a join must be", () => {
    for (const [a, b, c] of CELLS) expect(TABLE[b][KILN_CODES.indexOf(a)]).toBe(c);
  });
});

describe("promotion rules in words", () => {
  const strong = (dtype: DType): DTypeLike => ({ dtype, weakType: false });
  const weak = (dtype: DType): DTypeLike => ({ dtype, weakType: true });

  it("weak scalars keep the array's precision within its category", () => {
    expect(promoteTypes(strong("float16"), weak("float32"))).toEqual(strong("float16"));
    expect(promoteTypes(strong("uint32"), weak("int32"))).toEqual(strong("uint32"));
    expect(promoteTypes(strong("float16"), weak("int32"))).toEqual(strong("float16"));
  });

  it("mixing two weak values stays weak (jnp.add(1, 1.0) is a weak float32)", () => {
    expect(promoteTypes(weak("int32"), weak("float32"))).toEqual(weak("float32"));
  });

  it("int32 with uint32 is int64 in JAX, canonicalized to int32", () => {
    expect(promoteDtypes("int32", "uint32")).toBe("int32");
    expect(promoteDtypes("uint32", "int32")).toBe("int32");
  });

  it("a weak float with an unsigned or signed integer gives a weak float32", () => {
    expect(promoteTypes(strong("uint32"), weak("float32"))).toEqual(weak("float32"));
    expect(promoteTypes(strong("int32"), weak("float32"))).toEqual(weak("float32"));
  });

  it("joins any number of operands and is order-independent", () => {
    const xs = [weak("int32"), strong("bool"), strong("float16"), weak("float32")];
    expect(promoteTypes(...xs)).toEqual(strong("float16"));
    expect(promoteTypes(...[...xs].reverse())).toEqual(strong("float16"));
    expect(promoteTypes(strong("uint32"))).toEqual(strong("uint32"));
  });

  it("promoteDtypes on strong dtypes", () => {
    expect(promoteDtypes("bool", "int32")).toBe("int32");
    expect(promoteDtypes("float16", "float32")).toBe("float32");
    expect(promoteDtypes("int32", "float64")).toBe("float64");
  });

  it("needs at least one dtype", () => {
    expect(() => promoteTypes()).toThrow("promoteTypes needs at least one dtype");
  });
});
