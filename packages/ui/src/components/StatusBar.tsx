// The status bar: the kernel's state, the engine's backend and adapter, device memory when the
// engine reports it, interrupt mode, and whatever the app adds (autosave state).
import type { ReactNode } from "react";
import { formatBytes } from "../outputs/ArrayView.js";
import { useKernel, useNotebook } from "./context.js";

const STATE_TEXT = {
  starting: "starting",
  idle: "idle",
  busy: "busy",
  interrupting: "interrupting…",
  restarting: "restarting",
  dead: "failed",
} as const;

export function StatusBar({ children }: { children?: ReactNode }) {
  const state = useKernel((s) => s.state);
  const info = useKernel((s) => s.info);
  const memory = useKernel((s) => s.memory);
  const error = useKernel((s) => s.error);
  const queued = useKernel((s) => s.queued);
  const cells = useNotebook((s) => s.order.length);
  const mode = useNotebook((s) => s.mode);
  return (
    <footer className="status-bar" data-testid="status-bar">
      <span className="status-item kernel-state" data-testid="kernel-state" data-state={state} title={error ?? undefined}>
        <span className={`dot dot-${state}`} aria-hidden="true" />
        Kernel {STATE_TEXT[state]}
        {queued > 0 && ` · ${queued} queued`}
      </span>
      {info && (
        <span
          className="status-item"
          data-testid="backend"
          title={[info.note ?? info.devices.join(", "), info.startupMs === undefined ? "" : `Engine started in ${Math.round(info.startupMs)} ms.`].filter(Boolean).join(" ")}
        >
          {info.backend === "webgpu" ? "WebGPU" : info.backend.toUpperCase()}
          {info.adapter ? ` · ${info.adapter}` : ` · ${info.devices[0] ?? ""}`}
        </span>
      )}
      {memory && (memory.liveBuffers !== null || memory.bytesInUse !== null) && (
        <span className="status-item" data-testid="memory" title="Device buffers the engine holds">
          {memory.liveBuffers !== null && `${memory.liveBuffers.toLocaleString("en-US")} buffers`}
          {memory.liveBuffers !== null && memory.bytesInUse !== null && " · "}
          {memory.bytesInUse !== null && formatBytes(memory.bytesInUse)}
          {memory.peakBytesInUse !== null && ` (peak ${formatBytes(memory.peakBytesInUse)})`}
        </span>
      )}
      {state === "dead" && error && <span className="status-item status-error">{error}</span>}
      <span className="status-spacer" />
      {children}
      <span className="status-item">{cells === 1 ? "1 cell" : `${cells} cells`}</span>
      <span className="status-item mode-indicator" data-testid="mode">
        {mode === "edit" ? "Edit" : "Command"}
      </span>
      <span className="status-item" title={info?.sharedInterrupt ? "Interrupts use shared memory (cross-origin isolated)" : "Interrupts wait for the cell's next await"}>
        {globalThis.crossOriginIsolated ? "isolated" : "not isolated"}
      </span>
    </footer>
  );
}
