// @vitest-environment happy-dom
// The notebook's components in a DOM: cells render their code (plain text until Monaco loads) and
// markdown, the run button and command-mode keys drive the kernel and the model, the status bar
// reports the kernel, and the help sheet lists every hotkey of the registry.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  HOTKEYS,
  HelpSheet,
  KernelSession,
  Notebook,
  NotebookContext,
  StatusBar,
  createNotebookController,
  createNotebookStore,
  type NotebookController,
} from "../src/index.js";
import { fakeKernels } from "./fake_kernel.js";
import { click, h, mount, press, settle, type Mounted } from "./render.js";

let mounted: Mounted | null = null;
let controller: NotebookController;
const hooks = { save: vi.fn(), showHelp: vi.fn() };

beforeEach(async () => {
  const store = createNotebookStore({
    metadata: {},
    cells: [
      { id: "m1", type: "markdown", source: "# Hello *Kiln*" },
      { id: "c1", type: "code", source: "print:hi" },
      { id: "c2", type: "code", source: "1 + 1" },
    ],
  });
  const session = new KernelSession(store, fakeKernels().connect, { memoryPollMs: 0 });
  session.start();
  controller = createNotebookController(store, session, hooks);
  hooks.save.mockClear();
  hooks.showHelp.mockClear();
  mounted = await mount(h(NotebookContext.Provider, { value: controller }, h(Notebook), h(StatusBar)));
  await settle(5);
});

afterEach(() => {
  controller.session.dispose();
  mounted?.unmount();
  mounted = null;
});

const $ = (sel: string) => mounted!.container.querySelector(sel);
const $$ = (sel: string) => [...mounted!.container.querySelectorAll(sel)];
const cell = (id: string) => $(`[data-cell-id="${id}"]`)!;
const order = () => controller.store.getState().order;

describe("Notebook", () => {
  it("renders markdown, code as text, and Jupyter prompts", () => {
    expect(cell("m1").querySelector(".markdown h1")!.innerHTML).toBe("Hello <em>Kiln</em>");
    expect(cell("c1").querySelector(".code-static")!.textContent).toBe("print:hi");
    expect($$('[data-testid="prompt"]').map((p) => p.textContent)).toEqual(["[ ]:", "[ ]:"]);
  });

  it("runs a cell from its run button and shows the output, count and status", async () => {
    await click(cell("c1").querySelector(".run-button"));
    await settle();
    expect(cell("c1").getAttribute("data-status")).toBe("done");
    expect(cell("c1").querySelector('[data-testid="prompt"]')!.textContent).toBe("[1]:");
    expect(cell("c1").querySelector(".output-stream")!.textContent).toBe("hi\n");
    expect($('[data-testid="kernel-state"]')!.getAttribute("data-state")).toBe("idle");
    expect($('[data-testid="backend"]')!.textContent).toContain("CPU");
  });

  it("marks a cell edited after its run", async () => {
    await click(cell("c2").querySelector(".run-button"));
    await settle();
    expect(cell("c2").hasAttribute("data-edited")).toBe(false);
    controller.actions.setSource("c2", "1 + 2");
    await settle(1);
    expect(cell("c2").getAttribute("data-edited")).toBe("true");
    expect(cell("c2").querySelector(".edited-badge")).not.toBeNull();
  });

  it("runs and advances with Shift+Enter in command mode", async () => {
    controller.actions.setActive("c1", "command");
    await press("Enter", { shiftKey: true });
    await settle();
    expect(controller.store.getState().activeId).toBe("c2");
    expect(cell("c1").getAttribute("data-status")).toBe("done");
  });

  it("inserts (A, B), deletes (D,D), undoes (Z) and converts (M, Y) cells with command-mode keys", async () => {
    controller.actions.setActive("c1", "command");
    await press("b");
    expect(order()).toHaveLength(4);
    expect(order()[2]).toBe(controller.store.getState().activeId);
    await press("a");
    expect(order()).toHaveLength(5);
    const inserted = controller.store.getState().activeId!;
    expect(order().indexOf(inserted)).toBe(2);
    await press("d");
    await press("d");
    expect(order()).toHaveLength(4);
    expect(order()).not.toContain(inserted);
    await press("z");
    expect(order()).toContain(inserted);
    controller.actions.setActive("c2", "command");
    await press("m");
    expect(controller.store.getState().cells.c2!.type).toBe("markdown");
    await press("y");
    expect(controller.store.getState().cells.c2!.type).toBe("code");
  });

  it("leaves keys alone in edit mode and in form fields", async () => {
    controller.actions.setActive("c1", "edit");
    await press("b");
    expect(order()).toHaveLength(3);
    controller.actions.setMode("command");
    const input = document.createElement("input");
    mounted!.container.append(input);
    await press("b", {}, input);
    expect(order()).toHaveLength(3);
  });

  it("opens help with H and ? and saves with Mod+S", async () => {
    await press("h");
    await press("?", { shiftKey: true });
    expect(hooks.showHelp).toHaveBeenCalledTimes(2);
    await press("s", { ctrlKey: true });
    expect(hooks.save).toHaveBeenCalledTimes(1);
  });

  it("highlights the error line in a cell's code", async () => {
    controller.actions.setSource("c2", "const a = 1\nerror");
    controller.actions.markRunning("c2", "const a = 1\nerror", 0);
    controller.actions.finishRun("c2", {
      status: "error",
      executionCount: 5,
      wallMs: 1,
      outputs: [{ output_type: "error", ename: "Error", evalue: "x", traceback: ["Cell [5], line 2, column 1", "----> 2 error", "      ^", "", "Error: x"] }],
    });
    await settle(1);
    const lines = [...cell("c2").querySelectorAll(".code-line")];
    expect(lines.map((l) => l.classList.contains("error-line"))).toEqual([false, true]);
    expect(cell("c2").querySelector(".tb-current")!.textContent).toBe("----> 2 error\n");
  });
});

describe("HelpSheet", () => {
  it("lists every action of the registry with its keys", async () => {
    const help = await mount(h(HelpSheet, { onClose: () => undefined }));
    const rows = [...help.container.querySelectorAll("tr[data-action]")];
    expect(rows.map((r) => r.getAttribute("data-action")).sort()).toEqual(Object.keys(HOTKEYS).sort());
    const del = help.container.querySelector('tr[data-action="deleteCell"]')!;
    expect(del.querySelector("kbd")!.textContent).toBe("D, D");
    help.unmount();
  });
});
