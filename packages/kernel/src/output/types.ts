// Cell outputs, shaped exactly as nbformat 4.5 stores them, so that what the worker sends the page
// is what an .ipynb file holds: stream text, display data, the cell's result, and errors.

/** A MIME bundle: MIME type → string (text types) or JSON value (`application/…+json`). */
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
  /** Lines of the traceback, ready to print (no ANSI colours). */
  traceback: string[];
}

export type Output = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

/** The MIME types Kiln emits (DESIGN.md §6). */
export const MIME = {
  text: "text/plain",
  html: "text/html",
  png: "image/png",
  array: "application/vnd.kiln.array+json",
  jaxpr: "application/vnd.kiln.jaxpr",
  plotly: "application/vnd.plotly.v1+json",
} as const;

/** The plain-text form of an output, as a terminal shows it (null: nothing textual). */
export function outputText(o: Output): string | null {
  switch (o.output_type) {
    case "stream":
      return o.text;
    case "display_data":
    case "execute_result": {
      const t = o.data[MIME.text];
      return typeof t === "string" ? t : null;
    }
    case "error":
      return o.traceback.join("\n");
    default:
      return o satisfies never;
  }
}
