// The app's files and links through the kernel's formats: .ipynb round trips with outputs and
// cell metadata, share fragments carry code only, titles and file names read well.
import { describe, expect, it } from "vitest";
import { validateNotebook } from "@kiln/kernel";
import type { NotebookSnapshot } from "@kiln/ui";
import { fileNameFor, isShareFragment, notebookTitle, readIpynb, readShareFragment, sameCode, shareFragment, writeIpynb } from "../src/files/notebook_files.js";

const nb: NotebookSnapshot = {
  metadata: {},
  cells: [
    { id: "intro", type: "markdown", source: "# A *tour* of Kiln\n\ntext" },
    {
      id: "c1",
      type: "code",
      source: 'import { numpy as np } from "@kiln/engine";\nnp.arange(3)',
      metadata: { tags: ["setup"] },
      outputs: [
        { output_type: "stream", name: "stdout", text: "line 1\nline 2\n" },
        { output_type: "execute_result", execution_count: 1, data: { "text/plain": "Array([0, 1, 2], dtype=int32)", "application/vnd.kiln.array+json": { shape: [3], dtype: "int32", weakType: false, preview: [0, 1, 2] } }, metadata: {} },
      ],
      executionCount: 1,
    },
    { id: "c2", type: "code", source: "", outputs: [], executionCount: null },
  ],
};

describe(".ipynb", () => {
  it("writes valid nbformat 4.5 with Kiln's kernelspec", () => {
    const json = JSON.parse(writeIpynb(nb));
    expect(validateNotebook(json)).toEqual([]);
    expect(json.nbformat_minor).toBe(5);
    expect(json.metadata.kernelspec).toEqual({ name: "kiln", display_name: "Kiln (TypeScript)", language: "typescript" });
    expect(json.cells[1].source).toEqual(['import { numpy as np } from "@kiln/engine";\n', "np.arange(3)"]);
  });

  it("round-trips cells, outputs, counts and cell metadata", () => {
    const back = readIpynb(writeIpynb(nb));
    expect(back.cells).toEqual(nb.cells);
  });

  it("rejects what is not a notebook with a readable message", () => {
    expect(() => readIpynb("{ nope")).toThrow(/not valid JSON/);
    expect(() => readIpynb('{"nbformat": 3, "cells": []}')).toThrow(/nbformat 3/);
  });
});

describe("share links", () => {
  it("carry the code (no outputs) and come back as the same cells", () => {
    const { fragment } = shareFragment(nb);
    expect(fragment).toMatch(/^#nb=1\.[A-Za-z0-9_-]+$/);
    expect(isShareFragment(fragment)).toBe(true);
    const back = readShareFragment(fragment);
    expect(back.cells.map((c) => [c.type, c.source])).toEqual(nb.cells.map((c) => [c.type, c.source]));
    expect(back.cells.every((c) => c.outputs === undefined)).toBe(true);
    expect(sameCode(back, nb)).toBe(true);
  });

  it("refuse corrupt and cut-off links with the kernel's messages", () => {
    const { fragment } = shareFragment(nb);
    expect(() => readShareFragment(fragment.slice(0, 30))).toThrow(/incomplete|corrupt/);
    expect(() => readShareFragment("#nb=1.!!!")).toThrow(/corrupt/);
    expect(() => readShareFragment("#nb=9.abc")).toThrow(/newer version/);
  });
});

describe("names", () => {
  it("titles a notebook by its first heading and names its file", () => {
    expect(notebookTitle(nb)).toBe("A tour of Kiln");
    expect(notebookTitle({ cells: [{ id: "x", type: "code", source: "# not markdown" }] })).toBe("Untitled");
    expect(fileNameFor("A tour of Kiln")).toBe("a-tour-of-kiln.ipynb");
    expect(fileNameFor("∑")).toBe("notebook.ipynb");
  });

  it("compares code, not outputs or trailing blank cells", () => {
    const same: NotebookSnapshot = { metadata: {}, cells: [...nb.cells.map((c) => ({ ...c, outputs: [] })), { id: "z", type: "code", source: "  " }] };
    expect(sameCode(nb, same)).toBe(true);
    expect(sameCode(nb, { metadata: {}, cells: nb.cells.slice(0, 2).map((c, i) => (i === 1 ? { ...c, source: "changed" } : c)) })).toBe(false);
  });
});
