// The notebook's demo snippets, run in Node against the engine's sources: the same values the
// page must show (e2e/notebook.spec.ts checks them in Chromium, through the worker).
import { describe, expect, it } from "vitest";
import { demos } from "../src/demos.js";

const expected: readonly string[] = [
  "Array([[ 0,  2,  4],\n       [ 6,  8, 10]], dtype=int32)",
  "{ lambda ; a:f32[]. let b:f32[] = sin a in (b,) }",
  "Array([3., 5., 7.], dtype=float32)",
];

describe("notebook demos", () => {
  it("has one expected value per demo", () => {
    expect(demos.map((d) => d.code)).toHaveLength(expected.length);
  });
  for (const [i, demo] of demos.entries()) {
    it(demo.code, async () => {
      expect(await demo.run()).toBe(expected[i]);
    });
  }
});
