// console.* inside cells: stream outputs per cell, formatted like Node's console, capped per cell.
import { inspect as nodeInspect, format as nodeFormat } from "node:util";
import { describe, expect, it } from "vitest";
import { formatLog, inspect } from "../src/index.js";
import { newKernel, run } from "./helpers.js";

describe("console capture", () => {
  it("log/info/debug go to stdout, warn/error to stderr, in order", async () => {
    const r = await run(newKernel(), "console.log('a', 1);\nconsole.warn('careful');\nconsole.info({ b: [1, 2] });\nconsole.error(new Map([['k', 1]]));\nconsole.debug('d');");
    expect(r.outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "a 1\n" },
      { output_type: "stream", name: "stderr", text: "careful\n" },
      { output_type: "stream", name: "stdout", text: "{ b: [ 1, 2 ] }\n" },
      { output_type: "stream", name: "stderr", text: "Map(1) { 'k' => 1 }\n" },
      { output_type: "stream", name: "stdout", text: "d\n" },
    ]);
  });

  it("consecutive writes to one stream merge into one output; streaming delivers each piece", async () => {
    const k = newKernel();
    const pieces: string[] = [];
    const r = await k.execute("for (let i = 0; i < 3; i++) console.log(i);\n'done'", { onOutput: (o) => o.output_type === "stream" && pieces.push(o.text) });
    expect(r.outputs[0]).toEqual({ output_type: "stream", name: "stdout", text: "0\n1\n2\n" });
    expect(pieces).toEqual(["0\n", "1\n", "2\n"]);
    expect(r.outputs[1]).toMatchObject({ output_type: "execute_result", data: { "text/plain": "'done'" } });
  });

  it("Kiln arrays print with their repr, as in Node", async () => {
    const r = await run(newKernel(), 'import { numpy as np } from "@kiln/engine";\nconsole.log(np.array([1, 2]), [np.arange(2)]);');
    expect(r.stdout).toBe("Array([1., 2.], dtype=float32) [ Array([0, 1], dtype=int32) ]\n");
  });

  it("functions from an earlier cell print into the cell that calls them", async () => {
    const k = newKernel();
    await run(k, "function shout(s: string) { console.log(s.toUpperCase()); }");
    const r = await run(k, "shout('hi');");
    expect(r.stdout).toBe("HI\n");
  });

  it("the global console is captured while a cell runs, and restored after", async () => {
    const k = newKernel();
    const r = await run(k, "globalThis.console.log('via global');");
    expect(r.stdout).toBe("via global\n");
    expect(globalThis.console.log.toString()).not.toMatch(/current/);
  });

  it("stops at the per-cell cap with a visible note", async () => {
    const k = newKernel({ streamLimit: 1000 });
    const r = await run(k, "for (let i = 0; i < 100; i++) console.log('x'.repeat(50));\nconsole.error('after');\n'still runs'");
    expect(r.stdout.length).toBeLessThan(1100);
    expect(r.stdout).toMatch(/\n\[output truncated: this cell printed more than 1 kB; the rest was dropped\]\n$/);
    expect(r.stderr).toBe("");
    expect(r.value).toBe("'still runs'");
    expect((await run(k, "console.log('next cell');")).stdout).toBe("next cell\n");
  });

  it("the default cap is 1 MB per cell", async () => {
    const r = await run(newKernel(), "const line = 'y'.repeat(999);\nfor (let i = 0; i < 1500; i++) console.log(line);");
    expect(r.stdout.length).toBeGreaterThan(999_000);
    expect(r.stdout.length).toBeLessThan(1_000_200);
    expect(r.stdout).toContain("[output truncated: this cell printed more than 1 MB; the rest was dropped]");
  });

  it("console.group, count, assert and time", async () => {
    const r = await run(newKernel(), "console.group('g');\nconsole.log('inner');\nconsole.groupEnd();\nconsole.count();\nconsole.count();\nconsole.assert(1 > 2, 'math');");
    expect(r.stdout).toBe("g\n  inner\ndefault: 1\ndefault: 2\n");
    expect(r.stderr).toBe("Assertion failed: math\n");
  });
});

describe("formatting matches Node's util.inspect / util.format", () => {
  class Point {
    constructor(
      readonly x: number,
      readonly y: number,
    ) {}
  }
  const circular: Record<string, unknown> = { name: "loop" };
  circular.self = circular;
  const values: unknown[] = [
    1, -0, 1.5, "str", "it's", 10n, true, null, undefined, Symbol("s"),
    [], {}, [1, 2, 3], { a: 1, "b-c": "two", nested: { deep: { deeper: { deepest: 1 } } } },
    Array.from({ length: 30 }, (_, i) => i * 7), Array.from({ length: 120 }, (_, i) => i),
    ["apple", "banana", "cherry", "date", "elderberry", "fig", "grape", "honeydew"],
    new Float32Array([1, 2.5, -3]), new Int32Array(0), new Map([["a", { b: 1 }]]), new Set([1, "two"]),
    new Point(1, 2), Object.create(null), [1, , 3], function named() {}, () => 1, async function af() {}, class K {},
    new Date(0), /re+/g, circular,
    { alpha: "aaaaaaaaaaaaaaaaa", beta: [1, 2, 3], gamma: { x: 1, y: { z: [1, { q: 2 }] } }, delta: "dddddddddddddddddddd" },
    [{ b: [128, 32], w: [128, 4, 32] }, { b: [128, 32], w: [128, 32, 32] }, { b: [128, 1], w: [128, 32, 1] }],
  ];
  it.each(values.map((v, i) => [i, v]))("value #%i", (_, v) => {
    expect(inspect(v)).toBe(nodeInspect(v));
  });

  it("format strings", () => {
    const cases: unknown[][] = [["%s is %d years", "Bob", 42], ["%i %f %j", 3.7, "2.5", { a: 1 }], ["%O and %O", [1], { b: 2 }], ["100%% %c", "color: red"], ["no args %s"], [1, "a", { b: 1 }], ["%s", { nested: { x: 1 } }]];
    for (const c of cases) expect(formatLog(c)).toBe(nodeFormat(...(c as [unknown, ...unknown[]])));
  });
});
