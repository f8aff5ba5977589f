// The cell pipeline as a notebook user meets it: definitions shared between cells, re-running
// cells, top-level await, which value a cell shows, imports, and errors that point at the line
// and column of the cell's own TypeScript.
import { describe, expect, it } from "vitest";
import { newKernel, run } from "./helpers.js";

describe("top-level declarations live on the notebook's scope", () => {
  it("const, let, var, function, class and destructuring are visible to later cells", async () => {
    const k = newKernel();
    const first = await run(
      k,
      [
        "const a: number = 1;",
        "let b = 2, c;",
        "var d = 3;",
        "const { e, f: [g, ...rest], h = 7 } = { e: 4, f: [5, 6, 60] };",
        "function twice(x: number): number { return 2 * x; }",
        "class Point { constructor(readonly x: number, readonly y: number) {} norm1() { return this.x + this.y; } }",
      ].join("\n"),
    );
    expect(first.status).toBe("ok");
    expect(first.outputs).toEqual([]);
    const r = await run(k, "[a, b, c, d, e, g, rest, h, twice(5), new Point(1, 2).norm1()]");
    expect(r.value).toBe("[ 1, 2, undefined, 3, 4, 5, [ 6, 60 ], 7, 10, 3 ]");
    expect(Object.keys(k.scope).sort()).toEqual(["Point", "a", "b", "c", "d", "e", "g", "h", "rest", "twice"].sort());
  });

  it("re-running a cell redefines its names, const included", async () => {
    const k = newKernel();
    await run(k, "const x = 1;\nfunction f() { return 'old'; }");
    expect((await run(k, "const x = 2;\nfunction f() { return 'new'; }")).status).toBe("ok");
    expect((await run(k, "[x, f()]")).value).toBe("[ 2, 'new' ]");
    await run(k, "class C { kind() { return 1; } }");
    await run(k, "class C { kind() { return 2; } }");
    expect((await run(k, "new C().kind()")).value).toBe("2");
  });

  it("functions are hoisted within their cell and keep their names", async () => {
    const k = newKernel();
    const r = await run(k, "const value = later();\nfunction later() { return 'hoisted'; }\nconst arrow = () => 1;\n[value, later.name, arrow.name]");
    expect(r.value).toBe("[ 'hoisted', 'later', 'arrow' ]");
  });

  it("functions from earlier cells see the scope's current values", async () => {
    const k = newKernel();
    await run(k, "let count = 0;\nfunction increment() { count++; }");
    await run(k, "increment(); increment();");
    expect((await run(k, "count")).value).toBe("2");
    await run(k, "count = 10;");
    await run(k, "increment();");
    expect((await run(k, "count")).value).toBe("11");
  });

  it("var without an initializer keeps the value, let without one resets it", async () => {
    const k = newKernel();
    await run(k, "var v = 5; let w = 6;");
    await run(k, "var v; let w;");
    expect((await run(k, "[v, w]")).value).toBe("[ 5, undefined ]");
  });

  it("declarations inside blocks and loops stay local to the cell", async () => {
    const k = newKernel();
    await run(k, "for (let i = 0; i < 2; i++) { const inner = i; }\nif (true) { let block = 1; }");
    expect("i" in k.scope || "inner" in k.scope || "block" in k.scope).toBe(false);
  });

  it("reset forgets every definition", async () => {
    const k = newKernel();
    await run(k, "const gone = 1;");
    k.reset();
    const r = await run(k, "gone");
    expect(r.error?.ename).toBe("ReferenceError");
    expect(r.executionCount).toBe(1);
  });
});

describe("what a cell shows", () => {
  it("the value of the last expression statement", async () => {
    const k = newKernel();
    expect((await run(k, "1 + 1")).value).toBe("2");
    expect((await run(k, "const s = 'text'\ns")).value).toBe("'text'");
    expect((await run(k, "[1, 2].map((v) => v * 2) // trailing comment")).value).toBe("[ 2, 4 ]");
    expect((await run(k, "({ a: 1, b: 'two' })")).value).toBe("{ a: 1, b: 'two' }");
    expect((await run(k, "null")).value).toBe("null");
  });

  it("nothing when the last statement ends with ';', is a declaration, or the value is undefined", async () => {
    const k = newKernel();
    expect((await run(k, "1 + 1;")).outputs).toEqual([]);
    expect((await run(k, "1 + 1; // a comment")).outputs).toEqual([]);
    expect((await run(k, "const y = 3")).outputs).toEqual([]);
    expect((await run(k, "undefined")).outputs).toEqual([]);
    expect((await run(k, "// only a comment")).outputs).toEqual([]);
    expect((await run(k, "")).outputs).toEqual([]);
  });

  it("the result carries the execution count", async () => {
    const k = newKernel();
    await run(k, "1");
    const r = await run(k, "2");
    expect(r.executionCount).toBe(2);
    expect(r.outputs[0]).toMatchObject({ output_type: "execute_result", execution_count: 2 });
  });

  it("top-level await, also in the last expression", async () => {
    const k = newKernel();
    const r = await run(k, "const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));\nawait wait(5);\nconst v = await Promise.resolve(41);\nawait Promise.resolve(v + 1)");
    expect(r.value).toBe("42");
    expect((await run(k, "import { numpy as np } from '@kiln/engine';\nawait np.arange(3).tolist()")).value).toBe("[ 0, 1, 2 ]");
  });

  it("TypeScript-only statements are stripped", async () => {
    const k = newKernel();
    const r = await run(k, "interface P { x: number }\ntype Q = P | null;\nenum Color { Red, Green }\nconst p: P = { x: 1 } satisfies P;\nconst q = p as Q;\n[Color.Green, q!.x]");
    expect(r.value).toBe("[ 1, 1 ]");
  });

  it("modern syntax survives the rewrite", async () => {
    const k = newKernel();
    const r = await run(
      k,
      [
        "class Counter { #n = 0; static zero = 0; get value() { return this.#n; } inc() { this.#n++; return this; } }",
        "function* gen() { yield 1; yield 2; }",
        "async function* agen() { yield 3; }",
        "const seen: number[] = [];",
        "for await (const v of agen()) seen.push(v);",
        "outer: for (const v of gen()) { for (;;) { seen.push(v); continue outer; } }",
        "const obj = { a: { b: null as number | null } };",
        "const n = obj.a?.b ?? 5;",
        "let m = 1; m ||= 2; m **= 3;",
        "const tag = (s: TemplateStringsArray, ...v: unknown[]) => s.raw.join('|') + v.join(',');",
        "do { m++; } while (m < 3)",
        "[new Counter().inc().inc().value, seen, n, m, tag`x${1}y${2}`, 1_000n]",
      ].join("\n"),
    );
    expect(r.error).toBeUndefined();
    expect(r.value).toBe("[ 2, [ 3, 1, 2 ], 5, 3, 'x|y|1,2', 1000n ]");
  });

  it("TypeScript namespaces are refused rather than silently dropped", async () => {
    const r = await run(newKernel(), "namespace N { export const a = 1; }");
    expect(r.error?.evalue).toMatch(/namespaces are not supported/);
  });
});

describe("imports", () => {
  it("named, aliased, namespace and default imports resolve to the runtime's instances", async () => {
    const engine = await import("@kiln/engine");
    const plot = await import("@kiln/plot");
    const k = newKernel();
    const r = await run(
      k,
      [
        'import { numpy as np, grad, type DType } from "@kiln/engine";',
        'import * as plot from "@kiln/plot";',
        'import kiln from "@kiln/engine";',
        'import { "jit" as compile } from "@kiln/engine";',
        "typeof grad",
      ].join("\n"),
    );
    expect(r.value).toBe("'function'");
    expect(k.scope.np).toBe(engine.numpy);
    expect(k.scope.plot).toBe(plot);
    expect(k.scope.kiln).toBe(engine);
    expect(k.scope.compile).toBe(engine.jit);
    expect("DType" in k.scope).toBe(false);
  });

  it("imports a cell does not use are still there for later cells", async () => {
    const k = newKernel();
    await run(k, 'import { numpy as np, makeJaxpr } from "@kiln/engine";');
    expect((await run(k, "makeJaxpr((x) => np.sin(x))(1.0)")).value).toBe("{ lambda ; a:f32[]. let b:f32[] = sin a in (b,) }");
  });

  it("any other module is an ImportError naming it and what is available, at the import's line", async () => {
    const r = await run(newKernel(), 'const before = 1;\nimport _ from "lodash";');
    expect(r.error).toMatchObject({
      ename: "ImportError",
      evalue: 'Cannot find module "lodash": notebook cells can import only "@kiln/engine" and "@kiln/plot" (the notebook\'s own instances).',
    });
    expect(r.error!.traceback.slice(0, 3)).toEqual(["Cell [1], line 2, column 8", '----> 2 import _ from "lodash";', "               ^"]);
  });

  it("a name the module does not export is a SyntaxError, as in ES modules", async () => {
    const r = await run(newKernel(), 'import { numpy, nothingHere } from "@kiln/engine";');
    expect(r.error?.ename).toBe("SyntaxError");
    expect(r.error?.evalue).toBe("The requested module '@kiln/engine' does not provide an export named 'nothingHere'");
    expect(r.error?.traceback[0]).toBe("Cell [1], line 1, column 17");
  });

  it("dynamic import() goes through the same table", async () => {
    const k = newKernel();
    expect((await run(k, 'const m = await import("@kiln/plot");\ntypeof m.line')).value).toBe("'function'");
    const bad = await run(k, 'await import("fs")');
    expect(bad.error?.ename).toBe("ImportError");
    expect(bad.error?.evalue).toMatch(/^Cannot find module "fs"/);
  });
});

describe("errors point at the cell's own line and column", () => {
  it("runtime errors, through type annotations removed on the same line", async () => {
    const k = newKernel();
    const r = await run(k, "const ok = 1;\nconst label: string = 'x'; const n: number = 2; throw new Error('boom: ' + label);");
    expect(r.status).toBe("error");
    expect(r.error).toMatchObject({ ename: "Error", evalue: "boom: x" });
    expect(r.error!.traceback).toEqual([
      "Cell [1], line 2, column 55",
      "----> 2 const label: string = 'x'; const n: number = 2; throw new Error('boom: ' + label);",
      "                                                              ^",
      "",
      "Error: boom: x",
    ]);
  });

  it("frames in functions from earlier cells name their cell and function, most recent call last", async () => {
    const k = newKernel();
    await run(k, "// helpers\nfunction inner(v: number): number {\n  return (v as any).missing.property;\n}\nconst outer = (v: number) => inner(v) + 1;");
    const r = await run(k, "const before = 0;\nouter(1)");
    expect(r.error?.ename).toBe("TypeError");
    expect(r.error!.traceback.filter((l) => /^Cell/.test(l))).toEqual([
      "Cell [2], line 2, column 1",
      "Cell [1], line 5, column 30, in outer",
      "Cell [1], line 3, column 29, in inner",
    ]);
    expect(r.error!.traceback.at(-1)).toBe("TypeError: Cannot read properties of undefined (reading 'property')");
  });

  it("syntax errors in TypeScript and in JavaScript", async () => {
    const k = newKernel();
    const ts = await run(k, "const a = 1;\nlet b: = 2;");
    expect(ts.error).toMatchObject({ ename: "SyntaxError", evalue: "Unexpected token" });
    expect(ts.error!.traceback.slice(0, 3)).toEqual(["Cell [1], line 2, column 8", "----> 2 let b: = 2;", "               ^"]);
    const js = await run(k, "const x: number = 1;\nreturn x;");
    expect(js.error).toMatchObject({ ename: "SyntaxError", evalue: "'return' outside of function" });
    expect(js.error!.traceback[0]).toBe("Cell [2], line 2, column 1");
    const exp = await run(k, "export default 1;");
    expect(exp.error?.evalue).toMatch(/export statements are not supported/);
  });

  it("engine errors name the cell line of the call", async () => {
    const k = newKernel();
    const r = await run(k, 'import { numpy as np } from "@kiln/engine";\nconst a = np.ones([2, 3]);\nconst b = np.ones([4]);\nnp.add(a, b)');
    expect(r.error?.evalue).toMatch(/Incompatible shapes for broadcasting/);
    expect(r.error!.traceback.filter((l) => /^Cell/.test(l))).toEqual(["Cell [1], line 4, column 4"]);
  });

  it("thrown non-errors are reported too", async () => {
    const r = await run(newKernel(), "throw { code: 42 }");
    expect(r.error).toEqual({ output_type: "error", ename: "Uncaught", evalue: "{ code: 42 }", traceback: ["Uncaught { code: 42 }"] });
  });

  it("an error does not stop later cells, and definitions made before it remain", async () => {
    const k = newKernel();
    await run(k, "const kept = 1;\nthrow new Error('x');\nconst never = 2;");
    expect((await run(k, "kept")).value).toBe("1");
    expect((await run(k, "never")).value).toBeUndefined();
  });
});
