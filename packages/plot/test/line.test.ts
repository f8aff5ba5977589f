// Tests for @kiln/plot's line spec builder.
import { describe, expect, it } from "vitest";
import { line, PLOTLY_MIME } from "../src/index.js";

describe("line", () => {
  it("builds a Plotly bundle with default x", () => {
    const bundle = line(new Float32Array([1, 4, 9]), { name: "sq", title: "squares" });
    expect(bundle[PLOTLY_MIME]).toEqual({
      data: [{ type: "scatter", mode: "lines", x: [0, 1, 2], y: [1, 4, 9], name: "sq" }],
      layout: { title: { text: "squares" } },
    });
    expect(structuredClone(bundle)).toEqual(bundle);
  });
  it("rejects mismatched lengths", () => {
    expect(() => line([1, 2], { x: [0] })).toThrow(/x has 1 points but y has 2/);
  });
});
