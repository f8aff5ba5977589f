// Autosave: debounced writes of code and outputs, survival of what the user wrote, the pause that
// protects saved work from an empty notebook (a broken link) until the user edits, and the limit
// that drops outputs rather than failing to save.
import { describe, expect, it } from "vitest";
import { Autosave, createNotebookStore, memoryStore, notebookActions, type SavedNotebook } from "../src/index.js";

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

function setup(options = {}) {
  const store = createNotebookStore({ metadata: {}, cells: [{ id: "a", type: "code", source: "1" }] });
  const kv = memoryStore();
  const autosave = new Autosave(store, kv, { debounceMs: 10, ...options });
  return { store, kv, autosave, actions: notebookActions(store) };
}

describe("Autosave", () => {
  it("saves the notebook shortly after an edit, and loads it back", async () => {
    const { autosave, actions, kv } = setup();
    autosave.start();
    actions.setSource("a", "const x = 2");
    expect(autosave.status.getState().state).toBe("pending");
    await wait(40);
    expect(autosave.status.getState().state).toBe("saved");
    const saved = await kv.get<SavedNotebook>("autosave");
    expect(saved!.notebook.cells[0]!.source).toBe("const x = 2");
    expect((await autosave.load())!.notebook.cells.map((c) => c.id)).toEqual(["a"]);
  });

  it("saves outputs when a run finishes, not while it streams", async () => {
    const { autosave, actions, kv } = setup();
    autosave.start();
    actions.markRunning("a", "1", 0);
    actions.addOutput("a", { output_type: "stream", name: "stdout", text: "x" });
    await wait(30);
    expect(await kv.get("autosave")).toBeUndefined();
    actions.finishRun("a", { status: "done", executionCount: 1, wallMs: 1 });
    await wait(30);
    expect((await kv.get<SavedNotebook>("autosave"))!.notebook.cells[0]!.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "x" }]);
  });

  it("stays paused until the user changes something", async () => {
    const { autosave, actions, kv } = setup();
    await kv.set("autosave", { version: 1, savedAt: 1, notebook: { metadata: {}, cells: [{ id: "mine", type: "code", source: "my work" }] } });
    autosave.start({ paused: true });
    actions.load({ metadata: {}, cells: [] });
    await autosave.flush();
    expect((await autosave.load())!.notebook.cells[0]!.source).toBe("my work");
    actions.insertCell({ index: 0 }, "code", "new work");
    await wait(30);
    expect((await autosave.load())!.notebook.cells[0]!.source).toBe("new work");
  });

  it("drops outputs above the size limit but keeps the code", async () => {
    const { autosave, actions } = setup({ maxOutputChars: 100 });
    actions.finishRun("a", { status: "done", executionCount: 1, wallMs: 1, outputs: [{ output_type: "stream", name: "stdout", text: "x".repeat(500) }] });
    await autosave.flush();
    const saved = await autosave.load();
    expect(saved!.outputsDropped).toBe(true);
    expect(saved!.notebook.cells[0]).toEqual({ id: "a", type: "code", source: "1" });
  });

  it("reads nothing from an empty or foreign store", async () => {
    const { autosave, kv } = setup();
    expect(await autosave.load()).toBeNull();
    await kv.set("autosave", { something: "else" });
    expect(await autosave.load()).toBeNull();
  });
});

describe("Autosave's last-moment backup", () => {
  it("keeps code written just before the page went away, with the outputs of unchanged cells", async () => {
    const store = createNotebookStore({ metadata: {}, cells: [{ id: "a", type: "code", source: "1" }, { id: "b", type: "code", source: "2" }] });
    const actions = notebookActions(store);
    const kv = memoryStore();
    let text: string | null = null;
    const backup = { read: () => text, write: (t: string) => void (text = t) };
    const autosave = new Autosave(store, kv, { debounceMs: 10_000, backup });
    autosave.start();
    actions.finishRun("a", { status: "done", executionCount: 1, wallMs: 1, outputs: [{ output_type: "stream", name: "stdout", text: "one" }] });
    await autosave.flush();
    await wait(2);
    actions.setSource("b", "2 + 2"); // the debounce has not fired when the page goes away
    autosave.flushSync();
    autosave.stop();
    const loaded = await new Autosave(createNotebookStore(), kv, { backup }).load();
    expect(loaded!.notebook.cells).toEqual([
      { id: "a", type: "code", source: "1", outputs: [{ output_type: "stream", name: "stdout", text: "one" }], executionCount: 1 },
      { id: "b", type: "code", source: "2 + 2" },
    ]);
  });
});
