// The notebook store (zustand): cell order and what the user wrote (`cells`) in one map, what the
// engine produced (`runs`) in another, both keyed by cell id, plus the selection (active cell,
// command/edit mode). Actions live beside the store, not inside its state, so selectors see data
// only. "Edited since run" is derived (source ≠ the source that last ran), never stored.
import { createStore, type StoreApi } from "zustand/vanilla";
import { newCellId } from "./ids.js";
import {
  EMPTY_RUN,
  type CellDoc,
  type CellId,
  type CellRun,
  type CellType,
  type NotebookSnapshot,
  type Output,
  type RunStatus,
} from "./types.js";

export type Mode = "command" | "edit";

export interface NotebookState {
  readonly order: readonly CellId[];
  readonly cells: Readonly<Record<CellId, CellDoc>>;
  readonly runs: Readonly<Record<CellId, CellRun>>;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly activeId: CellId | null;
  readonly mode: Mode;
  /** Bumped by every change to what the user wrote (autosave watches it). */
  readonly revision: number;
  /** Bumped when a whole notebook is loaded (a file, a link), as opposed to edited. */
  readonly generation: number;
  /** Deleted cells, most recent last, for undo (Jupyter's Z). */
  readonly trash: readonly { cell: CellDoc; index: number }[];
}

export type NotebookStore = StoreApi<NotebookState>;

/** Where to put a new cell. */
export type InsertAt = { index: number } | { above: CellId } | { below: CellId };

export interface RunFinish {
  status: Extract<RunStatus, "done" | "error" | "interrupted">;
  executionCount: number | null;
  wallMs: number | null;
  /** The authoritative output list (replaces what streamed in); omitted: keep what streamed. */
  outputs?: readonly Output[];
}

const TRASH_LIMIT = 50;

export function createNotebookStore(snapshot?: NotebookSnapshot): NotebookStore {
  const store = createStore<NotebookState>(() => ({
    order: [],
    cells: {},
    runs: {},
    metadata: {},
    activeId: null,
    mode: "command",
    revision: 0,
    generation: 0,
    trash: [],
  }));
  if (snapshot) notebookActions(store).load(snapshot);
  return store;
}

/** Whether the cell's source changed after its last run (its outputs may be out of date). */
export function editedSinceRun(state: NotebookState, id: CellId): boolean {
  const run = state.runs[id];
  const cell = state.cells[id];
  return run !== undefined && cell !== undefined && run.ranSource !== null && run.ranSource !== cell.source;
}

/** The run record of a cell (an empty one for cells never run). */
export function runOf(state: NotebookState, id: CellId): CellRun {
  return state.runs[id] ?? EMPTY_RUN;
}

/** Append an output the way Jupyter shows a stream: consecutive text of one stream merges. */
export function appendOutput(outputs: readonly Output[], output: Output): Output[] {
  const last = outputs.at(-1);
  if (output.output_type === "stream" && last?.output_type === "stream" && last.name === output.name) {
    return [...outputs.slice(0, -1), { ...last, text: last.text + output.text }];
  }
  return [...outputs, output];
}

export type NotebookActions = ReturnType<typeof notebookActions>;

/** The operations on a notebook store; every mutation of the model goes through one of these. */
export function notebookActions(store: NotebookStore) {
  const get = store.getState;
  const set = (partial: Partial<NotebookState> | ((s: NotebookState) => Partial<NotebookState>)) => store.setState(partial);

  const patchRun = (id: CellId, patch: (run: CellRun) => CellRun): void =>
    set((s) => (s.cells[id] === undefined ? {} : { runs: { ...s.runs, [id]: patch(s.runs[id] ?? EMPTY_RUN) } }));

  const insertIndex = (s: NotebookState, at: InsertAt): number => {
    if ("index" in at) return Math.max(0, Math.min(at.index, s.order.length));
    const ref = "above" in at ? at.above : at.below;
    const i = s.order.indexOf(ref);
    if (i < 0) return s.order.length;
    return "above" in at ? i : i + 1;
  };

  return {
    /** Replace the whole notebook (open a file, a shared link, the autosave, the starter). */
    load(snapshot: NotebookSnapshot): void {
      const order: CellId[] = [];
      const cells: Record<CellId, CellDoc> = {};
      const runs: Record<CellId, CellRun> = {};
      const taken = new Set<CellId>();
      for (const c of snapshot.cells) {
        const id = c.id && !taken.has(c.id) ? c.id : newCellId(taken);
        taken.add(id);
        order.push(id);
        cells[id] = c.metadata && Object.keys(c.metadata).length > 0 ? { id, type: c.type, source: c.source, metadata: c.metadata } : { id, type: c.type, source: c.source };
        const outputs = c.outputs ?? [];
        const executionCount = c.executionCount ?? null;
        runs[id] = { ...EMPTY_RUN, outputs, executionCount, ranSource: outputs.length > 0 || executionCount !== null ? c.source : null };
      }
      set((s) => ({ order, cells, runs, metadata: snapshot.metadata, activeId: order[0] ?? null, mode: "command", revision: s.revision + 1, generation: s.generation + 1, trash: [] }));
    },

    /** The notebook as files carry it; `outputs: false` gives code only (share links). */
    snapshot(options: { outputs?: boolean } = {}): NotebookSnapshot {
      const s = get();
      const withOutputs = options.outputs ?? true;
      return {
        cells: s.order.map((id) => {
          const c = s.cells[id]!;
          const base = c.metadata ? { id, type: c.type, source: c.source, metadata: { ...c.metadata } } : { id, type: c.type, source: c.source };
          if (!withOutputs || c.type !== "code") return base;
          const run = runOf(s, id);
          return { ...base, outputs: [...run.outputs], executionCount: run.executionCount };
        }),
        metadata: { ...s.metadata },
      };
    },

    insertCell(at: InsertAt, type: CellType = "code", source = ""): CellId {
      const s = get();
      const id = newCellId(new Set(s.order));
      const index = insertIndex(s, at);
      const order = [...s.order.slice(0, index), id, ...s.order.slice(index)];
      set({ order, cells: { ...s.cells, [id]: { id, type, source } }, runs: { ...s.runs, [id]: EMPTY_RUN }, activeId: id, revision: s.revision + 1 });
      return id;
    },

    /** Delete cells (they go to the trash for undo); the cell after the last one becomes active. */
    deleteCells(ids: readonly CellId[]): void {
      const s = get();
      const doomed = new Set(ids.filter((id) => s.cells[id] !== undefined));
      if (doomed.size === 0) return;
      const trash = [...s.trash];
      s.order.forEach((id, index) => {
        if (doomed.has(id)) trash.push({ cell: s.cells[id]!, index });
      });
      const order = s.order.filter((id) => !doomed.has(id));
      const cells = { ...s.cells };
      const runs = { ...s.runs };
      for (const id of doomed) {
        delete cells[id];
        delete runs[id];
      }
      let activeId = s.activeId;
      if (activeId !== null && doomed.has(activeId)) {
        const firstIndex = s.order.findIndex((id) => doomed.has(id));
        activeId = order[Math.min(firstIndex, order.length - 1)] ?? null;
      }
      set({ order, cells, runs, activeId, mode: "command", revision: s.revision + 1, trash: trash.slice(-TRASH_LIMIT) });
    },

    /** Bring back the most recently deleted cell (its outputs are gone, as in Jupyter). */
    undoDelete(): CellId | null {
      const s = get();
      const last = s.trash.at(-1);
      if (last === undefined) return null;
      const id = s.cells[last.cell.id] === undefined ? last.cell.id : newCellId(new Set(s.order));
      const index = Math.min(last.index, s.order.length);
      set({
        order: [...s.order.slice(0, index), id, ...s.order.slice(index)],
        cells: { ...s.cells, [id]: { ...last.cell, id } },
        runs: { ...s.runs, [id]: EMPTY_RUN },
        activeId: id,
        revision: s.revision + 1,
        trash: s.trash.slice(0, -1),
      });
      return id;
    },

    moveCell(id: CellId, delta: number): void {
      const s = get();
      const from = s.order.indexOf(id);
      const to = from + delta;
      if (from < 0 || to < 0 || to >= s.order.length) return;
      const order = [...s.order];
      order.splice(from, 1);
      order.splice(to, 0, id);
      set({ order, revision: s.revision + 1 });
    },

    setSource(id: CellId, source: string): void {
      const s = get();
      const cell = s.cells[id];
      if (cell === undefined || cell.source === source) return;
      set({ cells: { ...s.cells, [id]: { ...cell, source } }, revision: s.revision + 1 });
    },

    /** Change a cell's type; a cell that stops being code loses its outputs. */
    setType(id: CellId, type: CellType): void {
      const s = get();
      const cell = s.cells[id];
      if (cell === undefined || cell.type === type) return;
      set({ cells: { ...s.cells, [id]: { ...cell, type } }, runs: { ...s.runs, [id]: EMPTY_RUN }, revision: s.revision + 1 });
    },

    setMetadata(metadata: Record<string, unknown>): void {
      set((s) => ({ metadata, revision: s.revision + 1 }));
    },

    setActive(id: CellId | null, mode?: Mode): void {
      const s = get();
      if (id !== null && s.cells[id] === undefined) return;
      if (s.activeId === id && (mode === undefined || s.mode === mode)) return;
      set({ activeId: id, ...(mode === undefined ? {} : { mode }) });
    },

    setMode(mode: Mode): void {
      if (get().mode !== mode) set({ mode });
    },

    /** Move the selection by `delta` cells (command mode's arrows); returns the new active id. */
    moveSelection(delta: number): CellId | null {
      const s = get();
      if (s.order.length === 0) return null;
      const i = s.activeId === null ? 0 : s.order.indexOf(s.activeId);
      const next = s.order[Math.max(0, Math.min(s.order.length - 1, i + delta))]!;
      set({ activeId: next });
      return next;
    },

    // ---- what the engine produced -------------------------------------------------------------

    markQueued(ids: readonly CellId[]): void {
      set((s) => {
        const runs = { ...s.runs };
        for (const id of ids) if (s.cells[id] !== undefined) runs[id] = { ...(runs[id] ?? EMPTY_RUN), status: "queued" };
        return { runs };
      });
    },

    /** The kernel took the cell: its old outputs go, the submitted source is remembered. */
    markRunning(id: CellId, source: string, startedAt: number): void {
      patchRun(id, (r) => ({ ...r, status: "running", outputs: [], wallMs: null, startedAt, ranSource: source }));
    },

    /** An output streamed in while the cell runs. */
    addOutput(id: CellId, output: Output): void {
      patchRun(id, (r) => ({ ...r, outputs: appendOutput(r.outputs, output) }));
    },

    finishRun(id: CellId, finish: RunFinish): void {
      patchRun(id, (r) => ({
        ...r,
        status: finish.status,
        executionCount: finish.executionCount,
        wallMs: finish.wallMs,
        outputs: finish.outputs === undefined ? r.outputs : [...finish.outputs],
      }));
    },

    /** Cells that were waiting and will not run (interrupt, restart, a crashed worker). */
    markNotRun(ids: readonly CellId[]): void {
      set((s) => {
        const runs = { ...s.runs };
        for (const id of ids) {
          const r = runs[id];
          if (r !== undefined && (r.status === "queued" || r.status === "running")) runs[id] = { ...r, status: "idle" };
        }
        return { runs };
      });
    },

    clearOutputs(ids?: readonly CellId[]): void {
      set((s) => {
        const runs = { ...s.runs };
        for (const id of ids ?? s.order) {
          const r = runs[id];
          if (r !== undefined && r.status !== "running" && r.status !== "queued") runs[id] = { ...EMPTY_RUN };
        }
        return { runs };
      });
    },

    /** A new kernel: nothing has run in it; outputs stay on the page as Jupyter keeps them. */
    kernelRestarted(): void {
      set((s) => {
        const runs: Record<CellId, CellRun> = {};
        for (const [id, r] of Object.entries(s.runs)) runs[id] = r.status === "idle" ? r : { ...r, status: r.status === "interrupted" || r.status === "error" ? r.status : "idle" };
        return { runs };
      });
    },
  };
}
