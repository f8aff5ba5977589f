// The notebook's data model, split as marimo and JupyterLab split it: what the user wrote (a cell's
// id, type and source) apart from what the engine produced (outputs, run status, execution count,
// wall time). Outputs are nbformat 4.5 outputs, exactly what the kernel worker sends and what an
// .ipynb file stores, so the page never converts between two shapes.

/** A cell id in nbformat's alphabet (Kiln makes 8 hex digits, as Jupyter does). */
export type CellId = string;

/** Code cells run in the kernel; markdown cells render; raw cells are kept verbatim. */
export type CellType = "code" | "markdown" | "raw";

/** What the user wrote: the only part of a cell that autosave and share links must never lose. */
export interface CellDoc {
  readonly id: CellId;
  readonly type: CellType;
  readonly source: string;
  /** nbformat cell metadata, kept as the file had it (Kiln itself writes none). */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** A MIME bundle: MIME type → text (text types) or a JSON value (`application/…+json`). */
export type MimeBundle = Record<string, unknown>;

export interface StreamOutput {
  output_type: "stream";
  name: "stdout" | "stderr";
  text: string;
}

export interface DisplayDataOutput {
  output_type: "display_data";
  data: MimeBundle;
  metadata: Record<string, unknown>;
}

export interface ExecuteResultOutput {
  output_type: "execute_result";
  execution_count: number | null;
  data: MimeBundle;
  metadata: Record<string, unknown>;
}

export interface ErrorOutput {
  output_type: "error";
  ename: string;
  evalue: string;
  traceback: string[];
}

export type Output = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

/**
 * Where a cell is in its life with the kernel. `idle`: not run in this kernel session (outputs, if
 * any, are from before); `queued`: waiting behind other cells; `interrupted`: stopped by the user.
 */
export type RunStatus = "idle" | "queued" | "running" | "done" | "error" | "interrupted";

/** What the engine produced for one cell. */
export interface CellRun {
  readonly status: RunStatus;
  readonly outputs: readonly Output[];
  /** Jupyter's `[n]`: the kernel's execution counter when this cell last ran; null if never. */
  readonly executionCount: number | null;
  /** Wall time of the last run in milliseconds (null while running or never run). */
  readonly wallMs: number | null;
  /** When the last run started (ms since epoch), for the live timer while it runs. */
  readonly startedAt: number | null;
  /** The source as it was submitted for the last run: "edited since run" derives from it. */
  readonly ranSource: string | null;
}

export const EMPTY_RUN: CellRun = {
  status: "idle",
  outputs: [],
  executionCount: null,
  wallMs: null,
  startedAt: null,
  ranSource: null,
};

/** The MIME types the notebook renders (DESIGN §6), most specific first. */
export const MIME = {
  plotly: "application/vnd.plotly.v1+json",
  array: "application/vnd.kiln.array+json",
  jaxpr: "application/vnd.kiln.jaxpr",
  html: "text/html",
  png: "image/png",
  text: "text/plain",
} as const;

/** The order in which a bundle's representations are preferred for display. */
export const MIME_PREFERENCE: readonly string[] = [MIME.plotly, MIME.jaxpr, MIME.html, MIME.png, MIME.array, MIME.text];

/** A notebook as files and links carry it: cells in order, outputs optional. */
export interface NotebookSnapshot {
  cells: { id: CellId; type: CellType; source: string; metadata?: Record<string, unknown>; outputs?: Output[]; executionCount?: number | null }[];
  metadata: Record<string, unknown>;
}
