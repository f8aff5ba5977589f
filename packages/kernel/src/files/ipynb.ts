// .ipynb import and export (nbformat 4.5, DESIGN.md §6): a notebook in memory keeps each cell's
// source as one string; on disk sources and text outputs are lists of lines as Jupyter writes
// them. Importing accepts any nbformat 4 file, generates missing cell ids, and keeps markdown and
// raw cells; `validateNotebook` checks the structure nbformat 4.5's schema requires.
import type { MimeBundle, Output } from "../output/types.js";

export type CellType = "code" | "markdown" | "raw";

export interface NotebookCell {
  id: string;
  cell_type: CellType;
  source: string;
  metadata: Record<string, unknown>;
  /** Code cells only. */
  outputs?: Output[];
  /** Code cells only: null when not run. */
  execution_count?: number | null;
  /** Markdown and raw cells may carry attachments. */
  attachments?: Record<string, MimeBundle>;
}

export interface Notebook {
  cells: NotebookCell[];
  metadata: Record<string, unknown>;
}

export const KERNELSPEC = { name: "kiln", display_name: "Kiln (TypeScript)", language: "typescript" } as const;
export const LANGUAGE_INFO = { name: "typescript", file_extension: ".ts", mimetype: "text/typescript" } as const;

/** A fresh cell id in nbformat's alphabet (8 hex digits, as Jupyter makes them). */
export function newCellId(taken: ReadonlySet<string> = new Set()): string {
  for (;;) {
    const bytes = new Uint8Array(4);
    globalThis.crypto.getRandomValues(bytes);
    const id = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
    if (!taken.has(id)) return id;
  }
}

export function emptyNotebook(): Notebook {
  return { cells: [], metadata: { kernelspec: { ...KERNELSPEC }, language_info: { ...LANGUAGE_INFO } } };
}

/** A notebook from cell sources, e.g. `notebookFromSources(["const x = 1", "x"])`. */
export function notebookFromSources(cells: readonly (string | { cell_type: CellType; source: string })[]): Notebook {
  const nb = emptyNotebook();
  const taken = new Set<string>();
  for (const c of cells) {
    const { cell_type, source } = typeof c === "string" ? { cell_type: "code" as const, source: c } : c;
    const id = newCellId(taken);
    taken.add(id);
    nb.cells.push(cell_type === "code" ? { id, cell_type, source, metadata: {}, outputs: [], execution_count: null } : { id, cell_type, source, metadata: {} });
  }
  return nb;
}

/** Thrown for a file that is not an nbformat 4 notebook. */
export class NotebookFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotebookFormatError";
  }
}

const joinText = (v: unknown): string => (Array.isArray(v) ? v.join("") : typeof v === "string" ? v : "");

/** Split text into lines that keep their "\n", as Jupyter stores multiline strings. */
export function splitLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines.length === 1 && lines[0] === "" ? [] : lines;
}

function isJsonMime(mime: string): boolean {
  return /^application\/(.*\+)?json$/.test(mime);
}

function readBundle(data: unknown): MimeBundle {
  const out: MimeBundle = {};
  for (const [mime, v] of Object.entries((data ?? {}) as Record<string, unknown>)) out[mime] = isJsonMime(mime) ? v : joinText(v);
  return out;
}

function writeBundle(data: MimeBundle): MimeBundle {
  const out: MimeBundle = {};
  for (const [mime, v] of Object.entries(data)) out[mime] = isJsonMime(mime) || typeof v !== "string" ? v : splitLines(v);
  return out;
}

function readOutput(o: Record<string, unknown>): Output {
  switch (o.output_type) {
    case "stream":
      return { output_type: "stream", name: o.name === "stderr" ? "stderr" : "stdout", text: joinText(o.text) };
    case "display_data":
      return { output_type: "display_data", data: readBundle(o.data), metadata: (o.metadata as Record<string, unknown>) ?? {} };
    case "execute_result":
      return {
        output_type: "execute_result",
        execution_count: typeof o.execution_count === "number" ? o.execution_count : null,
        data: readBundle(o.data),
        metadata: (o.metadata as Record<string, unknown>) ?? {},
      };
    case "error":
      return { output_type: "error", ename: String(o.ename ?? ""), evalue: String(o.evalue ?? ""), traceback: Array.isArray(o.traceback) ? o.traceback.map(String) : [] };
    default:
      throw new NotebookFormatError(`unknown output_type ${JSON.stringify(o.output_type)}`);
  }
}

function writeOutput(o: Output): Record<string, unknown> {
  switch (o.output_type) {
    case "stream":
      return { output_type: "stream", name: o.name, text: splitLines(o.text) };
    case "display_data":
      return { output_type: "display_data", data: writeBundle(o.data), metadata: o.metadata };
    case "execute_result":
      return { output_type: "execute_result", execution_count: o.execution_count, data: writeBundle(o.data), metadata: o.metadata };
    case "error":
      return { output_type: "error", ename: o.ename, evalue: o.evalue, traceback: o.traceback };
    default:
      return o satisfies never;
  }
}

const ID_PATTERN = /^[a-zA-Z0-9-_]{1,64}$/;

/** Read an .ipynb (text or parsed JSON). */
export function parseNotebook(input: string | unknown): Notebook {
  let raw: unknown = input;
  if (typeof input === "string") {
    try {
      raw = JSON.parse(input);
    } catch (e) {
      throw new NotebookFormatError(`not a notebook: the file is not valid JSON (${(e as Error).message})`);
    }
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new NotebookFormatError("not a notebook: expected a JSON object");
  const nb = raw as Record<string, unknown>;
  if (nb.nbformat !== 4) {
    const v = nb.nbformat === undefined ? "no nbformat version" : `nbformat ${String(nb.nbformat)}`;
    throw new NotebookFormatError(`unsupported notebook: ${v}; Kiln reads nbformat 4 (open and save the file in Jupyter to upgrade it)`);
  }
  if (!Array.isArray(nb.cells)) throw new NotebookFormatError('not a notebook: "cells" is missing');
  const taken = new Set<string>();
  const cells: NotebookCell[] = nb.cells.map((c: Record<string, unknown>, i: number) => {
    const cell_type = c.cell_type;
    if (cell_type !== "code" && cell_type !== "markdown" && cell_type !== "raw") throw new NotebookFormatError(`cell ${i + 1}: unknown cell_type ${JSON.stringify(cell_type)}`);
    const id = typeof c.id === "string" && ID_PATTERN.test(c.id) && !taken.has(c.id) ? c.id : newCellId(taken);
    taken.add(id);
    const cell: NotebookCell = { id, cell_type, source: joinText(c.source), metadata: (c.metadata as Record<string, unknown>) ?? {} };
    if (cell_type === "code") {
      cell.outputs = Array.isArray(c.outputs) ? c.outputs.map((o: Record<string, unknown>) => readOutput(o)) : [];
      cell.execution_count = typeof c.execution_count === "number" ? c.execution_count : null;
    } else if (c.attachments && typeof c.attachments === "object") cell.attachments = c.attachments as Record<string, MimeBundle>;
    return cell;
  });
  return { cells, metadata: (nb.metadata as Record<string, unknown>) ?? {} };
}

/** The nbformat 4.5 JSON object of a notebook; Kiln's kernelspec and language_info are filled in. */
export function toIpynb(nb: Notebook): Record<string, unknown> {
  const taken = new Set<string>();
  return {
    cells: nb.cells.map((c) => {
      const id = ID_PATTERN.test(c.id) && !taken.has(c.id) ? c.id : newCellId(taken);
      taken.add(id);
      const base = { cell_type: c.cell_type, id, metadata: c.metadata ?? {}, source: splitLines(c.source) };
      if (c.cell_type === "code") return { ...base, execution_count: c.execution_count ?? null, outputs: (c.outputs ?? []).map(writeOutput) };
      return c.attachments ? { ...base, attachments: c.attachments } : base;
    }),
    metadata: {
      ...nb.metadata,
      kernelspec: { ...KERNELSPEC },
      language_info: { ...((nb.metadata.language_info as object) ?? {}), ...LANGUAGE_INFO },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/** The .ipynb text of a notebook (one-space indent and a final newline, as Jupyter saves). */
export function serializeNotebook(nb: Notebook): string {
  return JSON.stringify(toIpynb(nb), null, 1) + "\n";
}

// ---- structure checks of nbformat 4.5 (the schema's required fields and types) ----------------

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isMultiline = (v: unknown): boolean => typeof v === "string" || (Array.isArray(v) && v.every((s) => typeof s === "string"));

function checkKeys(o: Record<string, unknown>, where: string, required: readonly string[], allowed: readonly string[], problems: string[]): void {
  for (const k of required) if (!(k in o)) problems.push(`${where}: missing required property "${k}"`);
  for (const k of Object.keys(o)) if (!allowed.includes(k)) problems.push(`${where}: unexpected property "${k}"`);
}

function checkBundle(data: unknown, where: string, problems: string[]): void {
  if (!isObject(data)) {
    problems.push(`${where}: data must be an object`);
    return;
  }
  for (const [mime, v] of Object.entries(data)) if (!isJsonMime(mime) && !isMultiline(v)) problems.push(`${where}: data["${mime}"] must be a string or a list of strings`);
}

function checkOutput(o: unknown, where: string, problems: string[]): void {
  if (!isObject(o)) return void problems.push(`${where}: must be an object`);
  switch (o.output_type) {
    case "execute_result":
      checkKeys(o, where, ["output_type", "data", "metadata", "execution_count"], ["output_type", "data", "metadata", "execution_count"], problems);
      if (!(o.execution_count === null || Number.isInteger(o.execution_count))) problems.push(`${where}: execution_count must be an integer or null`);
      checkBundle(o.data, where, problems);
      break;
    case "display_data":
      checkKeys(o, where, ["output_type", "data", "metadata"], ["output_type", "data", "metadata", "transient"], problems);
      checkBundle(o.data, where, problems);
      break;
    case "stream":
      checkKeys(o, where, ["output_type", "name", "text"], ["output_type", "name", "text"], problems);
      if (typeof o.name !== "string") problems.push(`${where}: name must be a string`);
      if (!isMultiline(o.text)) problems.push(`${where}: text must be a string or a list of strings`);
      break;
    case "error":
      checkKeys(o, where, ["output_type", "ename", "evalue", "traceback"], ["output_type", "ename", "evalue", "traceback"], problems);
      if (!Array.isArray(o.traceback) || !o.traceback.every((t) => typeof t === "string")) problems.push(`${where}: traceback must be a list of strings`);
      break;
    default:
      problems.push(`${where}: unknown output_type ${JSON.stringify(o.output_type)}`);
  }
}

/** Problems with a notebook's structure under nbformat 4.5 (empty when it is valid). */
export function validateNotebook(nb: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(nb)) return ["notebook: must be an object"];
  checkKeys(nb, "notebook", ["metadata", "nbformat_minor", "nbformat", "cells"], ["metadata", "nbformat_minor", "nbformat", "cells"], problems);
  if (nb.nbformat !== 4) problems.push("notebook: nbformat must be 4");
  if (!Number.isInteger(nb.nbformat_minor) || (nb.nbformat_minor as number) < 5) problems.push("notebook: nbformat_minor must be an integer ≥ 5 (cell ids)");
  if (!isObject(nb.metadata)) problems.push("notebook: metadata must be an object");
  else {
    const { kernelspec, language_info } = nb.metadata;
    if (kernelspec !== undefined) {
      if (!isObject(kernelspec) || typeof kernelspec.name !== "string" || typeof kernelspec.display_name !== "string") problems.push("metadata.kernelspec: needs string name and display_name");
    }
    if (language_info !== undefined && (!isObject(language_info) || typeof language_info.name !== "string")) problems.push("metadata.language_info: needs a string name");
  }
  if (!Array.isArray(nb.cells)) return [...problems, "notebook: cells must be a list"];
  const ids = new Set<string>();
  nb.cells.forEach((c: unknown, i: number) => {
    const where = `cells[${i}]`;
    if (!isObject(c)) return void problems.push(`${where}: must be an object`);
    if (typeof c.id !== "string" || !ID_PATTERN.test(c.id)) problems.push(`${where}: id must match ^[a-zA-Z0-9-_]+$ and be 1 to 64 characters`);
    else if (ids.has(c.id)) problems.push(`${where}: duplicate id "${c.id}"`);
    else ids.add(c.id);
    if (!isObject(c.metadata)) problems.push(`${where}: metadata must be an object`);
    if (!isMultiline(c.source)) problems.push(`${where}: source must be a string or a list of strings`);
    switch (c.cell_type) {
      case "code":
        checkKeys(c, where, ["id", "cell_type", "metadata", "source", "outputs", "execution_count"], ["id", "cell_type", "metadata", "source", "outputs", "execution_count"], problems);
        if (!(c.execution_count === null || Number.isInteger(c.execution_count))) problems.push(`${where}: execution_count must be an integer or null`);
        if (!Array.isArray(c.outputs)) problems.push(`${where}: outputs must be a list`);
        else c.outputs.forEach((o: unknown, j: number) => checkOutput(o, `${where}.outputs[${j}]`, problems));
        break;
      case "markdown":
      case "raw":
        checkKeys(c, where, ["id", "cell_type", "metadata", "source"], ["id", "cell_type", "metadata", "source", "attachments"], problems);
        break;
      default:
        problems.push(`${where}: unknown cell_type ${JSON.stringify(c.cell_type)}`);
    }
  });
  return problems;
}

