// Which notebook a page opens with (DESIGN §6): a share link in the fragment first, then the
// notebook autosaved in this browser, then the starter. A shared notebook that differs from the
// saved one is a question for the user, not a silent replacement; a broken link is an error
// message over an empty notebook — never somebody else's notebook, never the user's work erased.
import type { NotebookSnapshot, SavedNotebook } from "@kiln/ui";
import { isShareFragment, readShareFragment, sameCode } from "./notebook_files.js";

export type InitialNotebook =
  /** A share link; `saved` is set when this browser holds a different notebook (ask first). */
  | { kind: "shared"; notebook: NotebookSnapshot; saved: SavedNotebook | null }
  /** A share link that cannot be read: show `error`, open an empty notebook, keep `saved` intact. */
  | { kind: "broken-link"; error: string; saved: SavedNotebook | null }
  | { kind: "saved"; saved: SavedNotebook }
  | { kind: "starter"; notebook: NotebookSnapshot };

export async function initialNotebook(hash: string, loadSaved: () => Promise<SavedNotebook | null>, starter: () => NotebookSnapshot): Promise<InitialNotebook> {
  const saved = await loadSaved();
  if (isShareFragment(hash.replace(/^#/, ""))) {
    try {
      const notebook = readShareFragment(hash);
      const conflict = saved !== null && saved.notebook.cells.some((c) => c.source.trim() !== "") && !sameCode(saved.notebook, notebook);
      return { kind: "shared", notebook, saved: conflict ? saved : null };
    } catch (e) {
      return { kind: "broken-link", error: e instanceof Error ? e.message : String(e), saved };
    }
  }
  if (saved !== null) return { kind: "saved", saved };
  return { kind: "starter", notebook: starter() };
}
