// Cell ids: 8 random hex digits, the alphabet and length Jupyter uses (nbformat 4.5 requires ids
// of 1–64 characters from [a-zA-Z0-9-_]), unique within the notebook that asks for one.
import type { CellId } from "./types.js";

export function newCellId(taken: ReadonlySet<CellId> | { has(id: CellId): boolean } = new Set()): CellId {
  for (;;) {
    const bytes = new Uint8Array(4);
    globalThis.crypto.getRandomValues(bytes);
    let id = "";
    for (const b of bytes) id += b.toString(16).padStart(2, "0");
    if (!taken.has(id)) return id;
  }
}

/** Whether a string is a valid nbformat cell id. */
export function isCellId(id: unknown): id is CellId {
  return typeof id === "string" && /^[a-zA-Z0-9-_]{1,64}$/.test(id);
}
