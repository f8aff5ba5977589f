// The notebook toolbar: file actions (open, download .ipynb, share link), run controls (run,
// run all, interrupt, restart), and help. File actions are the app's; run controls go to the
// controller, exactly as their hotkeys do.
import type { ReactNode } from "react";
import { displayKey } from "../hotkeys/keys.js";
import { HOTKEYS, type HotkeyAction } from "../hotkeys/registry.js";
import { useController, useKernel, useNotebook } from "./context.js";

export interface ToolbarProps {
  title: string;
  onOpen(): void;
  onDownload(): void;
  onShare(): void;
  onNew(): void;
  onHelp(): void;
  children?: ReactNode;
}

function keyHint(action: HotkeyAction): string {
  return HOTKEYS[action].keys.map((k) => displayKey(k)).join(" or ");
}

export function Toolbar({ title, onOpen, onDownload, onShare, onNew, onHelp, children }: ToolbarProps) {
  const controller = useController();
  const activeId = useNotebook((s) => s.activeId);
  const state = useKernel((s) => s.state);
  const busy = state === "busy" || state === "interrupting";
  return (
    <header className="toolbar" role="toolbar" aria-label="Notebook">
      <div className="brand">
        <span className="logo" aria-hidden="true">
          ◆
        </span>
        <span className="title" data-testid="notebook-title">
          {title}
        </span>
      </div>
      <div className="toolbar-group">
        <button type="button" className="button" onClick={onNew} title="Start an empty notebook">
          New
        </button>
        <button type="button" className="button" onClick={onOpen} title="Open an .ipynb file" data-testid="open">
          Open
        </button>
        <button type="button" className="button" onClick={onDownload} title="Download as .ipynb" data-testid="download">
          Download
        </button>
        <button type="button" className="button" onClick={onShare} title="Copy a link that contains this notebook's code" data-testid="share">
          Share link
        </button>
      </div>
      <div className="toolbar-group">
        <button
          type="button"
          className="button"
          disabled={activeId === null}
          onClick={() => activeId !== null && controller.run(activeId, "advance")}
          title={`Run the selected cell and advance (${keyHint("runAndAdvance")})`}
          data-testid="run"
        >
          ▶ Run
        </button>
        <button type="button" className="button" onClick={() => controller.runAll()} title={`Run all cells (${keyHint("runAll")})`} data-testid="run-all">
          Run all
        </button>
        <button type="button" className="button" disabled={!busy} onClick={() => controller.interrupt()} title={`Interrupt (${keyHint("interrupt")})`} data-testid="interrupt">
          ■ Stop
        </button>
        <button type="button" className="button" onClick={() => controller.restart()} title={`Restart the kernel (${keyHint("restart")})`} data-testid="restart">
          ↻ Restart
        </button>
      </div>
      <div className="toolbar-group toolbar-end">
        {children}
        <button type="button" className="button" onClick={onHelp} title={`Keyboard shortcuts (${keyHint("help")})`} data-testid="help">
          ?
        </button>
      </div>
    </header>
  );
}
