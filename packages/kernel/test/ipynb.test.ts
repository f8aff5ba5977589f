// .ipynb import/export: nbformat 4.5 structure, Kiln's kernelspec, outputs, ids, markdown cells.
import { describe, expect, it } from "vitest";
import { KERNELSPEC, notebookFromSources, NotebookFormatError, parseNotebook, serializeNotebook, toIpynb, validateNotebook, type Output } from "../src/index.js";
import { newKernel } from "./helpers.js";

/** A notebook as Jupyter 6 (nbformat 4.4) saved it: no cell ids, sources as line lists. */
const jupyterFile = {
  cells: [
    { cell_type: "markdown", metadata: {}, source: ["# Title\n", "Some *text*."] },
    {
      cell_type: "code",
      execution_count: 3,
      metadata: { collapsed: false },
      outputs: [
        { output_type: "stream", name: "stdout", text: ["hello\n", "world\n"] },
        { output_type: "execute_result", execution_count: 3, data: { "text/plain": ["Array([1., 2.],", " dtype=float32)"] }, metadata: {} },
      ],
      source: ["const x = 1;\n", "x"],
    },
    { cell_type: "raw", metadata: {}, source: "raw text" },
  ],
  metadata: { kernelspec: { name: "python3", display_name: "Python 3" }, custom: { keep: true } },
  nbformat: 4,
  nbformat_minor: 4,
};

describe("import", () => {
  it("reads nbformat 4 files, joins line lists and generates missing ids", () => {
    const nb = parseNotebook(JSON.stringify(jupyterFile));
    expect(nb.cells.map((c) => [c.cell_type, c.source])).toEqual([
      ["markdown", "# Title\nSome *text*."],
      ["code", "const x = 1;\nx"],
      ["raw", "raw text"],
    ]);
    const ids = nb.cells.map((c) => c.id);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}$/);
    expect(new Set(ids).size).toBe(3);
    expect(nb.cells[1].execution_count).toBe(3);
    expect(nb.cells[1].outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "hello\nworld\n" },
      { output_type: "execute_result", execution_count: 3, data: { "text/plain": "Array([1., 2.], dtype=float32)" }, metadata: {} },
    ]);
  });

  it("keeps valid ids and replaces duplicates", () => {
    const file = { ...jupyterFile, nbformat_minor: 5, cells: jupyterFile.cells.map((c) => ({ ...c, id: "same-id" })) };
    const ids = parseNotebook(file).cells.map((c) => c.id);
    expect(ids[0]).toBe("same-id");
    expect(new Set(ids).size).toBe(3);
  });

  it("refuses what is not an nbformat 4 notebook, saying why", () => {
    expect(() => parseNotebook("{not json")).toThrow(NotebookFormatError);
    expect(() => parseNotebook("{not json")).toThrow(/not valid JSON/);
    expect(() => parseNotebook({ nbformat: 3, worksheets: [] })).toThrow(/nbformat 3; Kiln reads nbformat 4/);
    expect(() => parseNotebook({ nbformat: 4, cells: [{ cell_type: "widget" }] })).toThrow(/cell 1: unknown cell_type "widget"/);
  });
});

describe("export", () => {
  it("writes nbformat 4.5 with Kiln's kernelspec and language_info, keeping other metadata", () => {
    const out = toIpynb(parseNotebook(jupyterFile));
    expect(out.nbformat).toBe(4);
    expect(out.nbformat_minor).toBe(5);
    const metadata = out.metadata as Record<string, unknown>;
    expect(metadata.kernelspec).toEqual({ name: "kiln", display_name: "Kiln (TypeScript)", language: "typescript" });
    expect(metadata.kernelspec).toEqual(KERNELSPEC);
    expect((metadata.language_info as { name: string }).name).toBe("typescript");
    expect(metadata.custom).toEqual({ keep: true });
    expect(validateNotebook(out)).toEqual([]);
  });

  it("splits sources and text into lines as Jupyter does, keeps JSON outputs as JSON", () => {
    const nb = notebookFromSources(["a\nb"]);
    nb.cells[0].outputs = [
      { output_type: "display_data", data: { "text/plain": "one\ntwo", "application/vnd.kiln.array+json": { shape: [2], dtype: "float32", weakType: false, preview: [1, 2] } }, metadata: {} },
    ];
    const cell = (toIpynb(nb).cells as Record<string, unknown>[])[0];
    expect(cell.source).toEqual(["a\n", "b"]);
    expect((cell.outputs as { data: Record<string, unknown> }[])[0].data).toEqual({
      "text/plain": ["one\n", "two"],
      "application/vnd.kiln.array+json": { shape: [2], dtype: "float32", weakType: false, preview: [1, 2] },
    });
  });

  it("round-trips a notebook run by the kernel: outputs, execution counts, markdown", async () => {
    const nb = notebookFromSources([
      { cell_type: "markdown", source: "# Run me" },
      'import { numpy as np, makeJaxpr } from "@kiln/engine";\nimport * as plot from "@kiln/plot";\nconsole.log("hi");\nconsole.error("careful");\nnp.arange(3)',
      "display(plot.line([1, 2, 3]));\nmakeJaxpr((x) => np.cos(x))(0.5)",
      "throw new TypeError('bad')",
      "not run",
    ]);
    const kernel = newKernel();
    for (const cell of nb.cells.slice(1, 4)) {
      const r = await kernel.execute(cell.source);
      cell.outputs = r.outputs;
      cell.execution_count = r.executionCount;
    }
    const text = serializeNotebook(nb);
    expect(text.endsWith("}\n")).toBe(true);
    const file = JSON.parse(text);
    expect(validateNotebook(file)).toEqual([]);
    expect(file.cells.map((c: { cell_type: string; execution_count?: number | null }) => [c.cell_type, c.execution_count])).toEqual([
      ["markdown", undefined],
      ["code", 1],
      ["code", 2],
      ["code", 3],
      ["code", null],
    ]);
    expect(file.cells[1].outputs.map((o: Output) => o.output_type)).toEqual(["stream", "stream", "execute_result"]);
    expect(file.cells[2].outputs[0].data["application/vnd.plotly.v1+json"].data[0].y).toEqual([1, 2, 3]);
    expect(file.cells[2].outputs[1].data["application/vnd.kiln.jaxpr"]).toEqual(["{ lambda ; a:f32[]. let b:f32[] = cos a in (b,) }"]);
    expect(file.cells[3].outputs[0]).toMatchObject({ output_type: "error", ename: "TypeError", evalue: "bad" });
    const back = parseNotebook(text);
    expect(back).toEqual(nb);
    expect(serializeNotebook(back)).toBe(text);
  });
});

describe("structure validation (nbformat 4.5's required fields)", () => {
  const valid = () => JSON.parse(serializeNotebook(notebookFromSources(["1", { cell_type: "markdown", source: "m" }])));
  it("accepts a valid notebook", () => {
    expect(validateNotebook(valid())).toEqual([]);
  });
  it.each([
    ["a missing top-level field", (nb: Record<string, unknown>) => delete nb.nbformat_minor, 'notebook: missing required property "nbformat_minor"'],
    ["an old minor version", (nb: Record<string, unknown>) => (nb.nbformat_minor = 4), "notebook: nbformat_minor must be an integer ≥ 5 (cell ids)"],
    ["a cell without an id", (nb: { cells: Record<string, unknown>[] }) => delete nb.cells[0].id, "cells[0]: id must match ^[a-zA-Z0-9-_]+$ and be 1 to 64 characters"],
    ["a bad id", (nb: { cells: Record<string, unknown>[] }) => (nb.cells[0].id = "has space"), "cells[0]: id must match ^[a-zA-Z0-9-_]+$ and be 1 to 64 characters"],
    ["duplicate ids", (nb: { cells: Record<string, unknown>[] }) => (nb.cells[1].id = nb.cells[0].id), `cells[1]: duplicate id`],
    ["a code cell without outputs", (nb: { cells: Record<string, unknown>[] }) => delete nb.cells[0].outputs, 'cells[0]: missing required property "outputs"'],
    ["a markdown cell with outputs", (nb: { cells: Record<string, unknown>[] }) => (nb.cells[1].outputs = []), 'cells[1]: unexpected property "outputs"'],
    ["a stream without text", (nb: { cells: { outputs: unknown[] }[] }) => nb.cells[0].outputs.push({ output_type: "stream", name: "stdout" }), 'cells[0].outputs[0]: missing required property "text"'],
    ["a result without execution_count", (nb: { cells: { outputs: unknown[] }[] }) => nb.cells[0].outputs.push({ output_type: "execute_result", data: {}, metadata: {} }), 'cells[0].outputs[0]: missing required property "execution_count"'],
    ["a kernelspec without display_name", (nb: { metadata: { kernelspec: Record<string, unknown> } }) => delete nb.metadata.kernelspec.display_name, "metadata.kernelspec: needs string name and display_name"],
  ] as const)("reports %s", (_, mutate, problem) => {
    const nb = valid();
    (mutate as (nb: unknown) => void)(nb);
    expect(validateNotebook(nb).join("\n")).toContain(problem);
  });
});
