// The cell list and command mode's keyboard. Keys reach the registry's command-mode bindings only
// when no editor or form field has them (Monaco handles edit mode itself, see CellEditor). The
// active cell is kept in view as the selection moves.
import { Fragment, useEffect, useRef } from "react";
import { chordOf, SequenceMatcher } from "../hotkeys/keys.js";
import type { CellType } from "../model/types.js";
import { Cell } from "./Cell.js";
import { useController, useNotebook } from "./context.js";
import { ErrorBoundary } from "./ErrorBoundary.js";

function isTextTarget(t: EventTarget | null): boolean {
  if (!(t instanceof Element)) return false;
  return t.closest("input, textarea, select, [contenteditable=''], [contenteditable='true'], .monaco-editor, [role='dialog']") !== null;
}

function InsertBar({ index }: { index: number }) {
  const { actions } = useController();
  const add = (type: CellType) => {
    actions.insertCell({ index }, type);
    actions.setMode("edit");
  };
  return (
    <div className="insert-bar">
      <button type="button" className="insert-button" onClick={() => add("code")} aria-label="Insert code cell">
        + Code
      </button>
      <button type="button" className="insert-button" onClick={() => add("markdown")} aria-label="Insert markdown cell">
        + Markdown
      </button>
    </div>
  );
}

/** A cell's code as plain text, for when the cell itself cannot render. */
function CellSourceFallback({ id }: { id: string }) {
  const source = useNotebook((s) => s.cells[id]?.source ?? "");
  return <pre className="code-static">{source}</pre>;
}

export function Notebook() {
  const controller = useController();
  const order = useNotebook((s) => s.order);
  const activeId = useNotebook((s) => s.activeId);
  const mode = useNotebook((s) => s.mode);
  const listRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const matcher = new SequenceMatcher("command");
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      if (controller.store.getState().mode !== "command" || isTextTarget(e.target)) return;
      const chord = chordOf(e);
      // Enter and Space on a focused button or link are that control's own.
      if ((chord === "Enter" || chord === "Space") && e.target instanceof Element && e.target.closest("button, a[href]") !== null) return;
      const action = matcher.feed(chord, e.timeStamp || performance.now());
      if (action !== null) {
        e.preventDefault();
        controller.hotkeys[action]();
      } else if (matcher.knows(chord)) e.preventDefault();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [controller]);

  // Keep the active cell in view in command mode (the editor scrolls itself in edit mode) — when
  // the keyboard moved the selection. A click selects what is already under the pointer; scrolling
  // then would move the page between press and release and lose the click.
  const pointerAt = useRef(-Infinity);
  useEffect(() => {
    if (activeId === null || mode !== "command" || performance.now() - pointerAt.current < 1000) return;
    const el = listRef.current?.querySelector(`[data-cell-id="${activeId}"]`);
    (el as HTMLElement | null)?.scrollIntoView?.({ block: "nearest" });
  }, [activeId, mode]);

  return (
    <div className="notebook" ref={listRef} data-testid="notebook" data-mode={mode} onPointerDownCapture={() => (pointerAt.current = performance.now())}>
      {order.length === 0 && <p className="empty-notebook">This notebook is empty. Add a cell to start.</p>}
      {order.map((id, i) => (
        <Fragment key={id}>
          <InsertBar index={i} />
          <ErrorBoundary what="This cell" detail={<CellSourceFallback id={id} />}>
            <Cell id={id} />
          </ErrorBoundary>
        </Fragment>
      ))}
      <InsertBar index={order.length} />
    </div>
  );
}
