// Small formatting helpers the components share: Jupyter's execution prompt and wall times.
import type { CellRun } from "../model/types.js";

/** Jupyter's prompt: `[ ]:` never run, `[*]:` queued or running, `[7]:` after the 7th execution. */
export function promptText(run: Pick<CellRun, "status" | "executionCount">): string {
  if (run.status === "queued" || run.status === "running") return "[*]:";
  return run.executionCount === null ? "[ ]:" : `[${run.executionCount}]:`;
}

/** A wall time as the notebook shows it: 840 µs, 12 ms, 1.34 s, 2 min 5 s. */
export function formatWallTime(ms: number): string {
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(2) : s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}
