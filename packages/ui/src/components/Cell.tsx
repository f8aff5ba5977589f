// One cell: prompt and run button in the gutter, the editor (code) or the rendered text
// (markdown, which turns into an editor while you edit it), a footer with the run's status and
// wall time, and the outputs. The cell subscribes only to its own slices of the stores.
import { memo, useCallback, useEffect, useState } from "react";
import { CellEditor } from "../editor/CellEditor.js";
import { chordTable } from "../hotkeys/keys.js";
import { Markdown } from "../markdown/Markdown.js";
import { editedSinceRun } from "../model/notebook_store.js";
import { EMPTY_RUN, type CellId, type CellRun } from "../model/types.js";
import { cellErrorLocation } from "../outputs/error_location.js";
import { OutputArea } from "../outputs/OutputArea.js";
import { useController, useNotebook } from "./context.js";
import { ErrorBoundary } from "./ErrorBoundary.js";
import { formatWallTime, promptText } from "./format.js";

const editChords = chordTable("edit");

function RunStatusLine({ run, edited }: { run: CellRun; edited: boolean }) {
  const [now, setNow] = useState(() => Date.now());
  const running = run.status === "running";
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setNow(Date.now()), 100);
    return () => clearInterval(t);
  }, [running]);
  let text: string | null = null;
  switch (run.status) {
    case "queued":
      text = "queued";
      break;
    case "running":
      text = `running… ${run.startedAt === null ? "" : formatWallTime(Math.max(0, now - run.startedAt))}`;
      break;
    case "done":
    case "error":
      text = run.wallMs === null ? null : formatWallTime(run.wallMs);
      break;
    case "interrupted":
      text = `interrupted${run.wallMs === null ? "" : ` after ${formatWallTime(run.wallMs)}`}`;
      break;
    case "idle":
      text = run.executionCount !== null ? "not run in this kernel" : null;
      break;
    default:
      return run.status satisfies never;
  }
  if (text === null && !edited) return null;
  return (
    <div className="cell-status" data-testid="cell-status">
      {text !== null && <span className={`run-${run.status}`}>{text}</span>}
      {edited && <span className="edited-badge" title="The code changed after this output was produced">edited</span>}
    </div>
  );
}

export const Cell = memo(function Cell({ id }: { id: CellId }) {
  const controller = useController();
  const { actions } = controller;
  const cell = useNotebook((s) => s.cells[id]);
  const run = useNotebook((s) => s.runs[id] ?? EMPTY_RUN);
  const active = useNotebook((s) => s.activeId === id);
  const editing = useNotebook((s) => s.activeId === id && s.mode === "edit");
  const edited = useNotebook((s) => editedSinceRun(s, id));

  const onChange = useCallback((source: string) => actions.setSource(id, source), [actions, id]);
  const onFocus = useCallback(() => actions.setActive(id, "edit"), [actions, id]);
  const onBlur = useCallback(() => {
    const s = controller.store.getState();
    if (s.activeId === id && s.mode === "edit") actions.setMode("command");
  }, [actions, controller.store, id]);
  const onHotkey = useCallback(
    (chord: string) => {
      const action = editChords.get(chord);
      if (action === undefined) return false;
      actions.setActive(id);
      controller.hotkeys[action]();
      return true;
    },
    [actions, controller, id],
  );

  if (cell === undefined) return null;
  const errorLine = cell.type === "code" && !edited ? (cellErrorLocation(run.outputs, run.executionCount)?.line ?? null) : null;
  const busy = run.status === "running" || run.status === "queued";
  const showMarkdownEditor = cell.type === "markdown" && (editing || cell.source.trim() === "");

  return (
    <section
      className={`cell cell-${cell.type}${active ? " active" : ""}${editing ? " editing" : ""}`}
      data-testid="cell"
      aria-label={`${cell.type === "code" ? "Code" : cell.type === "markdown" ? "Markdown" : "Raw"} cell`}
      data-cell-id={id}
      data-type={cell.type}
      data-status={run.status}
      data-active={active || undefined}
      data-edited={edited || undefined}
      onPointerDown={() => {
        if (!active) actions.setActive(id, "command");
      }}
    >
      <div className="cell-gutter">
        {cell.type === "code" && (
          <>
            <span className="prompt" data-testid="prompt">
              {promptText(run)}
            </span>
            <button
              type="button"
              className="icon-button run-button"
              title={busy ? "Queued or running" : "Run this cell (Shift+Enter runs and advances)"}
              aria-label="Run cell"
              onClick={() => controller.run(id, "stay")}
            >
              {busy ? "◌" : "▶"}
            </button>
          </>
        )}
      </div>
      <div className="cell-body">
        {cell.type === "markdown" && !showMarkdownEditor ? (
          <div className="markdown-view" onDoubleClick={() => actions.setActive(id, "edit")} title="Double-click to edit">
            <Markdown source={cell.source} />
          </div>
        ) : (
          <CellEditor
            cellId={id}
            source={cell.source}
            language={cell.type === "code" ? "typescript" : cell.type === "markdown" ? "markdown" : "plaintext"}
            editing={editing}
            errorLine={errorLine}
            onChange={onChange}
            onFocus={onFocus}
            onBlur={onBlur}
            onHotkey={onHotkey}
          />
        )}
        {cell.type === "code" && <RunStatusLine run={run} edited={edited} />}
        {cell.type === "code" && (
          <ErrorBoundary what="This output">
            <OutputArea outputs={run.outputs} />
          </ErrorBoundary>
        )}
      </div>
      <div className="cell-tools" role="toolbar" aria-label="Cell actions">
        <button type="button" className="icon-button" title="Move up" aria-label="Move cell up" onClick={() => actions.moveCell(id, -1)}>
          ↑
        </button>
        <button type="button" className="icon-button" title="Move down" aria-label="Move cell down" onClick={() => actions.moveCell(id, 1)}>
          ↓
        </button>
        <button
          type="button"
          className="icon-button"
          title={cell.type === "code" ? "Make markdown (M)" : "Make code (Y)"}
          aria-label="Toggle cell type"
          onClick={() => actions.setType(id, cell.type === "code" ? "markdown" : "code")}
        >
          {cell.type === "code" ? "M↓" : "{}"}
        </button>
        <button type="button" className="icon-button" title="Run all cells above this one" aria-label="Run above" onClick={() => controller.runAbove(id)}>
          ⤒
        </button>
        <button type="button" className="icon-button" title="Run this cell and the ones below" aria-label="Run below" onClick={() => controller.runBelow(id)}>
          ⤓
        </button>
        <button type="button" className="icon-button danger" title="Delete (D,D)" aria-label="Delete cell" onClick={() => actions.deleteCells([id])}>
          ✕
        </button>
      </div>
    </section>
  );
});
