// The notebook's files and links, through the kernel's formats: .ipynb (nbformat 4.5) for open and
// download, `#nb=1.…` fragments for share links (code only), and the conversions between the
// kernel's Notebook and the page's NotebookSnapshot. Also the notebook's title, as Jupyter users
// expect it: the first heading of the first markdown cell.
import {
  decodeShareLink,
  encodeShareLink,
  parseNotebook,
  serializeNotebook,
  emptyNotebook,
  type EncodedLink,
  type Notebook,
  type NotebookCell,
} from "@kiln/kernel";
import type { NotebookSnapshot } from "@kiln/ui";

export function snapshotFromNotebook(nb: Notebook): NotebookSnapshot {
  return {
    cells: nb.cells.map((c) => ({
      id: c.id,
      type: c.cell_type,
      source: c.source,
      ...(Object.keys(c.metadata ?? {}).length > 0 ? { metadata: c.metadata } : {}),
      ...(c.cell_type === "code" ? { outputs: c.outputs ?? [], executionCount: c.execution_count ?? null } : {}),
    })),
    metadata: nb.metadata,
  };
}

export function notebookFromSnapshot(s: NotebookSnapshot): Notebook {
  const base = emptyNotebook();
  return {
    metadata: { ...base.metadata, ...s.metadata },
    cells: s.cells.map((c): NotebookCell => {
      const cell: NotebookCell = { id: c.id, cell_type: c.type, source: c.source, metadata: c.metadata ?? {} };
      if (c.type === "code") {
        cell.outputs = c.outputs ?? [];
        cell.execution_count = c.executionCount ?? null;
      }
      return cell;
    }),
  };
}

/** Read an .ipynb file's text (throws the kernel's NotebookFormatError with a readable message). */
export function readIpynb(text: string): NotebookSnapshot {
  return snapshotFromNotebook(parseNotebook(text));
}

export function writeIpynb(s: NotebookSnapshot): string {
  return serializeNotebook(notebookFromSnapshot(s));
}

/** The `#nb=1.…` fragment for a notebook's code (throws ShareLinkError above ~1 MB). */
export function shareFragment(s: NotebookSnapshot): EncodedLink {
  return encodeShareLink(s.cells.map((c) => ({ cell_type: c.type, source: c.source })));
}

/** The notebook in a share fragment (throws ShareLinkError for anything else). */
export function readShareFragment(hash: string): NotebookSnapshot {
  const cells = decodeShareLink(hash);
  return { cells: cells.map((c) => ({ id: "", type: c.cell_type, source: c.source })), metadata: emptyNotebook().metadata };
}

/** Whether a URL fragment is meant as a share link (so a broken one is an error, not ignored). */
export function isShareFragment(hash: string): boolean {
  return /^#?nb=/.test(hash);
}

/** Whether two notebooks hold the same cells (types and code; outputs and ids do not count). */
export function sameCode(a: NotebookSnapshot, b: NotebookSnapshot): boolean {
  const strip = (s: NotebookSnapshot) => s.cells.filter((c) => !(c.type !== "code" && c.source.trim() === "") && !(c.type === "code" && c.source.trim() === ""));
  const x = strip(a);
  const y = strip(b);
  return x.length === y.length && x.every((c, i) => c.type === y[i]!.type && c.source.trimEnd() === y[i]!.source.trimEnd());
}

/** The first heading of the notebook's markdown, else "Untitled". */
export function notebookTitle(s: Pick<NotebookSnapshot, "cells">): string {
  for (const c of s.cells) {
    if (c.type !== "markdown") continue;
    const m = /^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/m.exec(c.source);
    if (m) return m[1]!.replace(/[*_`]/g, "");
  }
  return "Untitled";
}

/** A file name for downloading the notebook. */
export function fileNameFor(title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return `${slug || "notebook"}.ipynb`;
}
