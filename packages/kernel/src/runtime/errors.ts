// Errors as the notebook reports them: the kernel's own error types (import errors, interrupts,
// errors located in a cell's text) and the conversion of any thrown value into an nbformat error
// output whose traceback names cells, lines and columns of the user's code, IPython-style (most
// recent call last), with the engine's internal frames left out as JAX's traceback filtering does.
import type { ErrorOutput } from "../output/types.js";
import { inspect } from "../output/inspect.js";

/** An import of a module the kernel does not provide. */
export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImportError";
  }
}

/** Raised inside a cell when the user interrupts it (Stop, or I,I). */
export class KeyboardInterrupt extends Error {
  constructor() {
    super("the cell was interrupted");
    this.name = "KeyboardInterrupt";
  }
}

/** Where in a cell's text something went wrong: 1-based line, 0-based column. */
export interface CellLocation {
  label: string;
  line: number;
  column: number;
  /** The text of that line. */
  text: string;
}

/** An error found before the cell ran (syntax, imports), with its place in the cell. */
export class CellSourceError extends Error {
  constructor(
    readonly original: Error,
    readonly location: CellLocation,
  ) {
    super(original.message);
    this.name = original.name;
  }
}

/** What the traceback builder needs to know about a compiled cell. */
export interface CellSourceInfo {
  readonly label: string;
  readonly source: string;
  toSource(line: number, column: number): { line: number; column: number } | null;
}

interface Frame {
  fn: string | null;
  url: string;
  line: number;
  /** 1-based, as stack traces print it. */
  column: number;
}

const V8_FRAME = /^\s*at (?:(?:async )?(.*?) \()?(?:async )?(.*?):(\d+):(\d+)\)?$/;
const FIREFOX_FRAME = /^\s*(.*?)@(.*?):(\d+):(\d+)$/;

function parseStack(stack: string): Frame[] {
  const frames: Frame[] = [];
  for (const line of stack.split("\n")) {
    const m = V8_FRAME.exec(line) ?? FIREFOX_FRAME.exec(line);
    if (m) frames.push({ fn: m[1] || null, url: m[2], line: Number(m[3]), column: Number(m[4]) });
  }
  return frames;
}

/** The source line with a caret under `column` (0-based), IPython's `---->` arrow before it. */
function sourceExcerpt(loc: { line: number; column: number; text: string }): string[] {
  const arrow = `----> ${loc.line} `;
  return [arrow + loc.text, " ".repeat(arrow.length + loc.column) + "^"];
}

function heading(label: string, line: number, column: number, fn?: string | null): string {
  return `${label}, line ${line}, column ${column + 1}${fn ? `, in ${fn}` : ""}`;
}

/** Convert anything a cell threw into an nbformat error output. */
export function errorOutput(error: unknown, findCell: (sourceUrl: string) => CellSourceInfo | undefined): ErrorOutput {
  if (!(error instanceof Error)) {
    const evalue = inspect(error);
    return { output_type: "error", ename: "Uncaught", evalue, traceback: [`Uncaught ${evalue}`] };
  }
  const ename = error.name || error.constructor?.name || "Error";
  const evalue = error.message;
  const last = `${ename}: ${evalue}`;
  if (error instanceof CellSourceError) {
    const loc = error.location;
    return { output_type: "error", ename, evalue, traceback: [heading(loc.label, loc.line, loc.column), ...sourceExcerpt(loc), "", last] };
  }
  const blocks: string[][] = [];
  const others: string[] = [];
  for (const f of parseStack(error.stack ?? "")) {
    const cell = findCell(f.url);
    if (cell === undefined) {
      others.push(`${f.fn ? `${f.fn} ` : ""}(${f.url}:${f.line}:${f.column})`);
      continue;
    }
    const pos = cell.toSource(f.line, f.column - 1);
    if (pos === null) continue;
    const text = cell.source.split("\n")[pos.line - 1]?.replace(/\r$/, "") ?? "";
    // Names the cell's scope (a `with` object) as the receiver: `Object.g` is the user's `g`.
    const fn = f.fn && !f.fn.startsWith("__kiln$") && f.fn !== "eval" ? f.fn.replace(/^Object\./, "") : null;
    blocks.push([heading(cell.label, pos.line, pos.column, fn), ...sourceExcerpt({ line: pos.line, column: pos.column, text })]);
  }
  const traceback: string[] = [];
  if (blocks.length === 0 && others.length > 0 && !(error instanceof KeyboardInterrupt)) traceback.push("Traceback (most recent call first):", ...others.slice(0, 8).map((o) => `  at ${o}`), "");
  for (const b of blocks.reverse()) traceback.push(...b, "");
  traceback.push(last);
  return { output_type: "error", ename, evalue, traceback };
}
