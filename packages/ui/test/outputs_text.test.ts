// Text-level helpers of the output views: jaxpr highlighting keeps the printed text exactly, and
// error locations are read from the kernel's IPython-style traceback headings.
import { describe, expect, it } from "vitest";
import { cellErrorLocation, errorLocation, formatWallTime, promptText, tokenizeJaxpr, type ErrorOutput } from "../src/index.js";

describe("tokenizeJaxpr", () => {
  const jaxpr = "{ lambda ; a:f32[]. let\n    b:f32[] = log a\n    c:f32[] = log 2.0:f32[]\n    d:f32[3,4] = broadcast_in_dim[broadcast_dimensions=() shape=(3, 4)] c\n  in (d,) }";

  it("keeps the text byte for byte", () => {
    expect(tokenizeJaxpr(jaxpr).map((t) => t.text).join("")).toBe(jaxpr);
  });

  it("classifies keywords, binders, types, primitives, params and literals", () => {
    const kinds = (text: string) => tokenizeJaxpr(jaxpr).filter((t) => t.text === text).map((t) => t.kind);
    expect(kinds("lambda")).toEqual(["keyword"]);
    expect(kinds("in")).toEqual(["keyword"]);
    expect(kinds("f32[]")).toEqual(["type", "type", "type", "type"]);
    expect(kinds("f32[3,4]")).toEqual(["type"]);
    expect(kinds("log")).toEqual(["primitive", "primitive"]);
    expect(kinds("broadcast_in_dim")).toEqual(["primitive"]);
    expect(kinds("shape")).toEqual(["param"]);
    expect(kinds("2.0")).toEqual(["literal"]);
    expect(kinds("a")).toEqual(["var", "var"]);
  });
});

describe("errorLocation", () => {
  const error: ErrorOutput = {
    output_type: "error",
    ename: "TypeError",
    evalue: "x is not a function",
    traceback: ["Cell [2], line 3, column 5, in helper", "----> 3 x()", "        ^", "", "Cell [4], line 7, column 1", "----> 7 helper()", "      ^", "", "TypeError: x is not a function"],
  };

  it("finds the innermost frame of the cell that ran", () => {
    expect(errorLocation(error, "Cell [4]")).toEqual({ line: 7, column: 1 });
    expect(errorLocation(error, "Cell [2]")).toEqual({ line: 3, column: 5 });
    expect(errorLocation(error, null)).toEqual({ line: 7, column: 1 });
    expect(cellErrorLocation([error], 4)).toEqual({ line: 7, column: 1 });
    expect(cellErrorLocation([], 4)).toBeNull();
  });
});

describe("formatting", () => {
  it("writes Jupyter's prompts", () => {
    expect(promptText({ status: "idle", executionCount: null })).toBe("[ ]:");
    expect(promptText({ status: "queued", executionCount: 3 })).toBe("[*]:");
    expect(promptText({ status: "running", executionCount: null })).toBe("[*]:");
    expect(promptText({ status: "done", executionCount: 12 })).toBe("[12]:");
  });

  it("writes wall times in the unit that reads best", () => {
    expect(formatWallTime(0.25)).toBe("250 µs");
    expect(formatWallTime(3.14159)).toBe("3.1 ms");
    expect(formatWallTime(42.4)).toBe("42 ms");
    expect(formatWallTime(1340)).toBe("1.34 s");
    expect(formatWallTime(125_000)).toBe("2 min 5 s");
  });
});
