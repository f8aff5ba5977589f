// @kiln/ui — the notebook's React components and stores (DESIGN §1, §6).
// For now it holds the one piece of notebook presentation logic the app already needs: the
// Jupyter-style execution prompt shown beside a cell. Components and zustand stores land here.

/** A cell's run state as the prompt shows it: never run, queued/running, or its execution count. */
export type CellRunState = { kind: "idle" } | { kind: "running" } | { kind: "done"; count: number };

/** Jupyter's prompt text: `[ ]:` never run, `[*]:` running or queued, `[7]:` after the 7th execution. */
export function executionPrompt(state: CellRunState): string {
  switch (state.kind) {
    case "idle":
      return "[ ]:";
    case "running":
      return "[*]:";
    case "done":
      if (!Number.isInteger(state.count) || state.count < 1) {
        throw new RangeError(`execution count must be a positive integer, got ${state.count}`);
      }
      return `[${state.count}]:`;
  }
}
