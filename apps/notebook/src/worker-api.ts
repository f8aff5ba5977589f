// The RPC surface between the notebook page and the engine worker (Comlink). Types only, so the
// page can import them without pulling the engine into the main-thread bundle.

/** The outcome of running one demo snippet in the worker. */
export interface DemoResult {
  /** "ok": `text` is the snippet's value; "error": `text` is the error's name and message. */
  status: "ok" | "error";
  text: string;
  /** Wall time of the snippet in the worker, in milliseconds. */
  ms: number;
}

/** What the engine worker exposes. */
export interface EngineWorkerApi {
  /** The source of each demo snippet, in order. */
  listDemos(): string[];
  /** Run demo `index` (0-based) and report its value or its error; never rejects for engine errors. */
  runDemo(index: number): Promise<DemoResult>;
}
