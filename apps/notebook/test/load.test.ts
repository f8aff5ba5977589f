// Which notebook a page opens with: share link → autosave → starter; a link that meets different
// local work asks; a broken link opens nothing of anyone's and leaves the saved work alone.
import { describe, expect, it } from "vitest";
import type { NotebookSnapshot, SavedNotebook } from "@kiln/ui";
import { initialNotebook } from "../src/files/load.js";
import { shareFragment } from "../src/files/notebook_files.js";

const starter: NotebookSnapshot = { metadata: {}, cells: [{ id: "s", type: "code", source: "starter" }] };
const saved = (source: string): SavedNotebook => ({ version: 1, savedAt: 1, notebook: { metadata: {}, cells: [{ id: "m", type: "code", source }] } });
const link = (source: string) => shareFragment({ metadata: {}, cells: [{ id: "x", type: "code", source }] }).fragment;

describe("initialNotebook", () => {
  it("opens the starter on a first visit", async () => {
    expect(await initialNotebook("", async () => null, () => starter)).toEqual({ kind: "starter", notebook: starter });
  });

  it("prefers the autosave to the starter", async () => {
    const s = saved("mine");
    expect(await initialNotebook("", async () => s, () => starter)).toEqual({ kind: "saved", saved: s });
  });

  it("opens a shared link directly when nothing different is saved", async () => {
    const r = await initialNotebook(link("shared"), async () => saved("shared"), () => starter);
    expect(r.kind).toBe("shared");
    if (r.kind === "shared") {
      expect(r.saved).toBeNull();
      expect(r.notebook.cells[0]!.source).toBe("shared");
    }
    expect((await initialNotebook(link("shared"), async () => null, () => starter)).kind).toBe("shared");
  });

  it("asks when a shared link meets a different saved notebook", async () => {
    const s = saved("mine");
    const r = await initialNotebook(link("shared"), async () => s, () => starter);
    expect(r).toMatchObject({ kind: "shared", saved: s });
  });

  it("reports a broken link and keeps the saved notebook for the user to reopen", async () => {
    const s = saved("mine");
    const r = await initialNotebook("#nb=1.garbage!", async () => s, () => starter);
    expect(r.kind).toBe("broken-link");
    if (r.kind === "broken-link") {
      expect(r.error).toMatch(/corrupt/);
      expect(r.saved).toBe(s);
    }
  });
});
