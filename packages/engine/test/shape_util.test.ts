/**
 * Shape helpers: numpy broadcasting of shapes, axis normalization with numpy's error wording,
 * and Python-tuple shape strings.
 */
import { describe, expect, it } from "vitest";
import { broadcastShapes, normalizeAxes, normalizeAxis, shapeStr, shapeToString } from "../src/core/shape_util.js";

describe("broadcastShapes", () => {
  it("follows numpy's rules", () => {
    expect(broadcastShapes([3, 1], [1, 4], [5, 1, 1])).toEqual([5, 3, 4]);
    expect(broadcastShapes([2, 3], [3])).toEqual([2, 3]);
    expect(broadcastShapes([], [4])).toEqual([4]);
    expect(broadcastShapes([1], [])).toEqual([1]);
    expect(broadcastShapes([7])).toEqual([7]);
    expect(broadcastShapes()).toEqual([]);
  });

  it("lets 1 broadcast against 0, but not 0 against 2", () => {
    expect(broadcastShapes([0, 1], [1, 3])).toEqual([0, 3]);
    expect(() => broadcastShapes([0], [2])).toThrow("Incompatible shapes for broadcasting: shapes=[(0,), (2,)]");
  });

  it("reports every shape in JAX's words", () => {
    expect(() => broadcastShapes([3], [4])).toThrow("Incompatible shapes for broadcasting: shapes=[(3,), (4,)]");
    expect(() => broadcastShapes([2, 3], [], [3, 3])).toThrow(
      "Incompatible shapes for broadcasting: shapes=[(2, 3), (), (3, 3)]",
    );
  });

  it("does not modify its arguments", () => {
    const a = [3, 1];
    broadcastShapes(a, [3, 4]);
    expect(a).toEqual([3, 1]);
  });
});

describe("normalizeAxis", () => {
  it("maps negative axes from the end", () => {
    expect(normalizeAxis(0, 2, "sum")).toBe(0);
    expect(normalizeAxis(1, 2, "sum")).toBe(1);
    expect(normalizeAxis(-1, 2, "sum")).toBe(1);
    expect(normalizeAxis(-2, 2, "sum")).toBe(0);
  });

  it("throws numpy's AxisError text, prefixed with the function name", () => {
    expect(() => normalizeAxis(3, 2, "sum")).toThrow("sum: axis 3 is out of bounds for array of dimension 2");
    expect(() => normalizeAxis(2, 2, "sum")).toThrow("sum: axis 2 is out of bounds for array of dimension 2");
    expect(() => normalizeAxis(-3, 2, "mean")).toThrow("mean: axis -3 is out of bounds for array of dimension 2");
    expect(() => normalizeAxis(0, 0, "argmax")).toThrow("argmax: axis 0 is out of bounds for array of dimension 0");
  });

  it("rejects non-integer axes", () => {
    expect(() => normalizeAxis(0.5, 2, "sum")).toThrow("sum: axis must be an integer, got 0.5");
  });
});

describe("normalizeAxes", () => {
  it("null and undefined mean every axis", () => {
    expect(normalizeAxes(null, 3, "sum")).toEqual([0, 1, 2]);
    expect(normalizeAxes(undefined, 2, "sum")).toEqual([0, 1]);
    expect(normalizeAxes(null, 0, "sum")).toEqual([]);
  });

  it("returns sorted non-negative axes", () => {
    expect(normalizeAxes(-1, 3, "sum")).toEqual([2]);
    expect(normalizeAxes([2, 0], 3, "sum")).toEqual([0, 2]);
    expect(normalizeAxes([-1, 0], 3, "sum")).toEqual([0, 2]);
    expect(normalizeAxes([], 3, "sum")).toEqual([]);
  });

  it("rejects a repeated axis, negative spellings included", () => {
    expect(() => normalizeAxes([1, 1], 3, "sum")).toThrow("sum: repeated axis 1 in axis=(1, 1)");
    expect(() => normalizeAxes([1, -2], 3, "max")).toThrow("max: repeated axis 1 in axis=(1, -2)");
  });

  it("checks bounds of every axis", () => {
    expect(() => normalizeAxes([0, 3], 2, "sum")).toThrow("sum: axis 3 is out of bounds for array of dimension 2");
  });
});

describe("shapeToString", () => {
  it("prints Python tuples", () => {
    expect(shapeToString([3])).toBe("(3,)");
    expect(shapeToString([2, 3])).toBe("(2, 3)");
    expect(shapeToString([])).toBe("()");
  });

  it("is aval.ts's shapeStr", () => {
    expect(shapeToString).toBe(shapeStr);
  });
});
