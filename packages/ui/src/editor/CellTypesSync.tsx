// Keeps the editor's view of the notebook's own declarations current: when code changes or the
// active cell moves, the cell libraries (cell_libs.ts) are rebuilt — after a short pause, and only
// once Monaco is loaded — so completions and hovers in a cell know what earlier cells defined.
// It also disposes the Monaco models of cells that no longer exist.
import { useContext, useEffect } from "react";
import { useController } from "../components/context.js";
import { cellLibs } from "./cell_libs.js";
import { EditorEnvironmentContext, ensureMonaco } from "./environment.js";

export function CellTypesSync({ delayMs = 400 }: { delayMs?: number }) {
  const { store } = useController();
  const { loadMonaco } = useContext(EditorEnvironmentContext);
  useEffect(() => {
    if (loadMonaco === null) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let cancelled = false;
    let last = { cells: store.getState().cells, order: store.getState().order, activeId: store.getState().activeId };
    const update = async () => {
      const monaco = await ensureMonaco(loadMonaco);
      if (cancelled) return;
      const s = store.getState();
      const code = s.order.filter((id) => s.cells[id]?.type === "code");
      const focus = s.activeId === null ? null : code.indexOf(s.activeId);
      monaco.setCellLibs(cellLibs(code.map((id) => ({ id, source: s.cells[id]!.source })), focus === null || focus < 0 ? null : focus));
      // Models of cells that are gone (or changed type) go too.
      for (const model of monaco.monaco.editor.getModels()) {
        const m = /^\/kiln\/cell-(.+)\.(ts|md|txt)$/.exec(model.uri.path);
        if (m === null) continue;
        const cell = s.cells[m[1]!];
        const ext = cell === undefined ? null : cell.type === "code" ? "ts" : cell.type === "markdown" ? "md" : "txt";
        if (ext !== m[2] && !model.isAttachedToEditor()) model.dispose();
      }
    };
    const schedule = (ms: number) => {
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(() => void update(), ms);
    };
    const unsubscribe = store.subscribe((s) => {
      if (s.cells === last.cells && s.order === last.order && s.activeId === last.activeId) return;
      // Moving to another cell changes what it should see at once; typing waits for a pause.
      const moved = s.activeId !== last.activeId && s.cells === last.cells;
      last = { cells: s.cells, order: s.order, activeId: s.activeId };
      schedule(moved ? 0 : delayMs);
    });
    schedule(0);
    return () => {
      cancelled = true;
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    };
  }, [store, loadMonaco, delayMs]);
  return null;
}
