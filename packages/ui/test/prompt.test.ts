// Tests for @kiln/ui's execution prompt (Jupyter's "[ ]:", "[*]:", "[n]:").
import { describe, expect, it } from "vitest";
import { executionPrompt } from "../src/index.js";

describe("executionPrompt", () => {
  it("matches Jupyter's prompts", () => {
    expect(executionPrompt({ kind: "idle" })).toBe("[ ]:");
    expect(executionPrompt({ kind: "running" })).toBe("[*]:");
    expect(executionPrompt({ kind: "done", count: 12 })).toBe("[12]:");
  });
  it("rejects counts that Jupyter never shows", () => {
    expect(() => executionPrompt({ kind: "done", count: 0 })).toThrow(RangeError);
    expect(() => executionPrompt({ kind: "done", count: 1.5 })).toThrow(RangeError);
  });
});
