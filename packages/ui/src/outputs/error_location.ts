// Where an error happened in a cell, read back from the kernel's traceback: its headings name the
// cell as `Cell [n], line L, column C` (IPython's style, DESIGN §6), and the innermost heading of
// the cell that ran is the line the editor highlights.
import type { ErrorOutput, Output } from "../model/types.js";

export interface ErrorLocation {
  line: number;
  /** 1-based. */
  column: number;
}

const HEADING = /^(.*?), line (\d+), column (\d+)/;

/** The innermost location in the traceback that belongs to the cell labelled `label` (e.g. "Cell [3]"). */
export function errorLocation(error: ErrorOutput, label: string | null): ErrorLocation | null {
  let found: ErrorLocation | null = null;
  for (const line of error.traceback) {
    const m = HEADING.exec(line);
    if (m === null) continue;
    if (label !== null && m[1] !== label) continue;
    found = { line: Number(m[2]), column: Number(m[3]) };
  }
  return found;
}

/** The error location of a cell's outputs, if it failed in its own code. */
export function cellErrorLocation(outputs: readonly Output[], executionCount: number | null): ErrorLocation | null {
  const error = outputs.find((o): o is ErrorOutput => o.output_type === "error");
  if (error === undefined) return null;
  return errorLocation(error, executionCount === null ? null : `Cell [${executionCount}]`);
}
