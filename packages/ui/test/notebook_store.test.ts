// The notebook store: what the user wrote and what the engine produced stay apart; edits, undo,
// type changes and run bookkeeping behave as in Jupyter.
import { describe, expect, it } from "vitest";
import { appendOutput, createNotebookStore, editedSinceRun, notebookActions, runOf, type NotebookSnapshot, type Output } from "../src/index.js";

const snapshot: NotebookSnapshot = {
  metadata: { kernelspec: { name: "kiln" } },
  cells: [
    { id: "md1", type: "markdown", source: "# Title" },
    { id: "c1", type: "code", source: "const x = 1", outputs: [{ output_type: "stream", name: "stdout", text: "hi\n" }], executionCount: 3 },
    { id: "c2", type: "code", source: "x + 1" },
  ],
};

function setup() {
  const store = createNotebookStore(snapshot);
  return { store, actions: notebookActions(store) };
}

describe("notebook store", () => {
  it("keeps code and runs in separate maps keyed by cell id", () => {
    const { store } = setup();
    const s = store.getState();
    expect(s.order).toEqual(["md1", "c1", "c2"]);
    expect(s.cells.c1).toEqual({ id: "c1", type: "code", source: "const x = 1" });
    expect(s.runs.c1!.executionCount).toBe(3);
    expect(s.runs.c1!.outputs).toHaveLength(1);
    expect(s.runs.c2!.status).toBe("idle");
  });

  it("round-trips a snapshot, with or without outputs", () => {
    const { actions } = setup();
    expect(actions.snapshot()).toEqual({ ...snapshot, cells: [snapshot.cells[0], snapshot.cells[1], { ...snapshot.cells[2], outputs: [], executionCount: null }] });
    expect(actions.snapshot({ outputs: false }).cells.map((c) => Object.keys(c))).toEqual([
      ["id", "type", "source"],
      ["id", "type", "source"],
      ["id", "type", "source"],
    ]);
  });

  it("derives 'edited since run' from the source that last ran", () => {
    const { store, actions } = setup();
    expect(editedSinceRun(store.getState(), "c1")).toBe(false);
    actions.setSource("c1", "const x = 2");
    expect(editedSinceRun(store.getState(), "c1")).toBe(true);
    actions.setSource("c1", "const x = 1");
    expect(editedSinceRun(store.getState(), "c1")).toBe(false);
    expect(editedSinceRun(store.getState(), "c2")).toBe(false); // never ran
  });

  it("inserts above and below, deletes, and undoes the deletion in place", () => {
    const { store, actions } = setup();
    const a = actions.insertCell({ above: "c1" }, "code", "1");
    const b = actions.insertCell({ below: "c2" }, "markdown", "*b*");
    expect(store.getState().order).toEqual(["md1", a, "c1", "c2", b]);
    expect(store.getState().activeId).toBe(b);
    actions.setActive("c1");
    actions.deleteCells(["c1"]);
    expect(store.getState().order).toEqual(["md1", a, "c2", b]);
    expect(store.getState().activeId).toBe("c2");
    expect(store.getState().runs.c1).toBeUndefined();
    expect(actions.undoDelete()).toBe("c1");
    expect(store.getState().order).toEqual(["md1", a, "c1", "c2", b]);
    expect(store.getState().cells.c1!.source).toBe("const x = 1");
  });

  it("moves cells and the selection within bounds", () => {
    const { store, actions } = setup();
    actions.moveCell("c2", -1);
    expect(store.getState().order).toEqual(["md1", "c2", "c1"]);
    actions.moveCell("md1", -1);
    expect(store.getState().order).toEqual(["md1", "c2", "c1"]);
    actions.setActive("md1");
    expect(actions.moveSelection(-1)).toBe("md1");
    expect(actions.moveSelection(5)).toBe("c1");
  });

  it("drops the outputs of a cell that stops being code", () => {
    const { store, actions } = setup();
    actions.setType("c1", "markdown");
    expect(store.getState().cells.c1!.type).toBe("markdown");
    expect(runOf(store.getState(), "c1").outputs).toEqual([]);
  });

  it("counts every change to what the user wrote, and nothing else", () => {
    const { store, actions } = setup();
    const r0 = store.getState().revision;
    actions.markQueued(["c2"]);
    actions.markRunning("c2", "x + 1", 0);
    actions.addOutput("c2", { output_type: "stream", name: "stdout", text: "a" });
    actions.setActive("c2", "edit");
    expect(store.getState().revision).toBe(r0);
    actions.setSource("c2", "x + 2");
    expect(store.getState().revision).toBe(r0 + 1);
  });

  it("records a run: queued, running (old outputs cleared), streamed outputs, finish", () => {
    const { store, actions } = setup();
    actions.markQueued(["c1"]);
    expect(store.getState().runs.c1!.status).toBe("queued");
    expect(store.getState().runs.c1!.outputs).toHaveLength(1); // kept while waiting
    actions.markRunning("c1", "const x = 1", 1000);
    expect(store.getState().runs.c1).toMatchObject({ status: "running", outputs: [], startedAt: 1000, ranSource: "const x = 1" });
    actions.addOutput("c1", { output_type: "stream", name: "stdout", text: "a" });
    actions.addOutput("c1", { output_type: "stream", name: "stdout", text: "b" });
    expect(store.getState().runs.c1!.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "ab" }]);
    actions.finishRun("c1", { status: "done", executionCount: 4, wallMs: 12 });
    expect(store.getState().runs.c1).toMatchObject({ status: "done", executionCount: 4, wallMs: 12 });
  });

  it("marks waiting cells as not run and keeps outputs across a kernel restart", () => {
    const { store, actions } = setup();
    actions.markQueued(["c1", "c2"]);
    actions.markNotRun(["c1", "c2"]);
    expect(store.getState().runs.c1!.status).toBe("idle");
    expect(store.getState().runs.c1!.outputs).toHaveLength(1);
    actions.finishRun("c2", { status: "done", executionCount: 1, wallMs: 1 });
    actions.kernelRestarted();
    expect(store.getState().runs.c2).toMatchObject({ status: "idle", executionCount: 1 });
    expect(store.getState().cells.c2!.source).toBe("x + 1");
  });

  it("merges consecutive stream text per stream only", () => {
    const out: Output[] = appendOutput(appendOutput([], { output_type: "stream", name: "stdout", text: "a" }), { output_type: "stream", name: "stderr", text: "b" });
    expect(appendOutput(out, { output_type: "stream", name: "stderr", text: "c" })).toEqual([
      { output_type: "stream", name: "stdout", text: "a" },
      { output_type: "stream", name: "stderr", text: "bc" },
    ]);
  });

  it("gives duplicate or missing ids fresh ones on load", () => {
    const store = createNotebookStore({ metadata: {}, cells: [{ id: "a", type: "code", source: "" }, { id: "a", type: "code", source: "" }, { id: "", type: "code", source: "" }] });
    const order = store.getState().order;
    expect(new Set(order).size).toBe(3);
    expect(order[0]).toBe("a");
    for (const id of order.slice(1)) expect(id).toMatch(/^[0-9a-f]{8}$/);
  });
});
