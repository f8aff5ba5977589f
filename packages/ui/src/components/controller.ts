// The notebook's commands: what toolbar buttons, cell buttons and hotkeys do, in one place. Each
// hotkey of the registry maps to one of these (HotkeyHandlers is exhaustive by type), so the
// buttons and the keys can never drift apart.
import type { HotkeyHandlers } from "../hotkeys/registry.js";
import { notebookActions, type NotebookActions, type NotebookStore } from "../model/notebook_store.js";
import type { CellId, CellType } from "../model/types.js";
import type { KernelSession } from "../kernel/session.js";

export type After = "stay" | "advance" | "insert";

export interface NotebookController {
  readonly store: NotebookStore;
  readonly actions: NotebookActions;
  readonly session: KernelSession;
  /** Run (or render, for markdown) one cell, then stay, select the next cell, or insert one. */
  run(id: CellId, after: After): void;
  runAll(): void;
  runAbove(id: CellId): void;
  runBelow(id: CellId): void;
  interrupt(): void;
  restart(): void;
  insert(where: "above" | "below", type?: CellType, id?: CellId): CellId;
  hotkeys: HotkeyHandlers;
}

export interface ControllerHooks {
  save(): void;
  showHelp(): void;
  /** Ask before something drastic (restart); resolves true to go on. Default: go on. */
  confirm?(message: string): boolean | Promise<boolean>;
}

export function createNotebookController(store: NotebookStore, session: KernelSession, hooks: ControllerHooks): NotebookController {
  const actions = notebookActions(store);
  const state = store.getState;

  const codeIds = (ids: readonly CellId[]) => ids.filter((id) => state().cells[id]?.type === "code");

  const run = (id: CellId, after: After): void => {
    const s = state();
    const cell = s.cells[id];
    if (cell === undefined) return;
    const wasEditing = s.mode === "edit";
    if (cell.type === "code") session.run([id]);
    const index = s.order.indexOf(id);
    if (after === "stay") {
      // Markdown renders when you run it: leave its editor.
      if (cell.type !== "code") actions.setActive(id, "command");
      return;
    }
    if (after === "insert" || index === s.order.length - 1) {
      actions.insertCell({ below: id }, "code");
      actions.setMode("edit");
      return;
    }
    const next = s.order[index + 1]!;
    const nextIsCode = s.cells[next]?.type === "code";
    actions.setActive(next, wasEditing && nextIsCode ? "edit" : "command");
  };

  const insert = (where: "above" | "below", type: CellType = "code", id?: CellId): CellId => {
    const ref = id ?? state().activeId;
    const at = ref === null ? { index: state().order.length } : where === "above" ? { above: ref } : { below: ref };
    return actions.insertCell(at, type);
  };

  const withActive = (f: (id: CellId) => void) => () => {
    const id = state().activeId;
    if (id !== null) f(id);
  };

  const restart = async (): Promise<void> => {
    const ok = hooks.confirm ? await hooks.confirm("Restart the kernel? Every variable is lost; your code stays.") : true;
    if (ok) await session.restart();
  };

  const controller: NotebookController = {
    store,
    actions,
    session,
    run,
    runAll: () => session.run(codeIds(state().order)),
    runAbove: (id) => {
      const order = state().order;
      session.run(codeIds(order.slice(0, order.indexOf(id))));
    },
    runBelow: (id) => {
      const order = state().order;
      session.run(codeIds(order.slice(order.indexOf(id))));
    },
    interrupt: () => void session.interrupt(),
    restart: () => void restart(),
    insert,
    hotkeys: {
      runAndAdvance: withActive((id) => run(id, "advance")),
      run: withActive((id) => run(id, "stay")),
      runAndInsert: withActive((id) => run(id, "insert")),
      runAll: () => session.run(codeIds(state().order)),
      interrupt: () => void session.interrupt(),
      restart: () => void restart(),
      commandMode: () => actions.setMode("command"),
      editMode: withActive((id) => actions.setActive(id, "edit")),
      selectPrevious: () => actions.moveSelection(-1),
      selectNext: () => actions.moveSelection(1),
      insertAbove: () => void insert("above"),
      insertBelow: () => void insert("below"),
      deleteCell: withActive((id) => actions.deleteCells([id])),
      undoDelete: () => void actions.undoDelete(),
      toMarkdown: withActive((id) => actions.setType(id, "markdown")),
      toCode: withActive((id) => actions.setType(id, "code")),
      moveUp: withActive((id) => actions.moveCell(id, -1)),
      moveDown: withActive((id) => actions.moveCell(id, 1)),
      clearOutput: withActive((id) => actions.clearOutputs([id])),
      save: () => hooks.save(),
      help: () => hooks.showHelp(),
    },
  };
  return controller;
}
