// Notebook helpers for the e2e specs, in the user's words (Galata's idea): open a notebook, find a
// cell, type into it, run it, read its output. Everything goes through the page as a user would
// (clicks, keys, the file picker); nothing reaches into the app's internals.
import { expect, type Locator, type Page } from "@playwright/test";
import { fileURLToPath } from "node:url";

export const resultsDir = fileURLToPath(new URL("../test-results/", import.meta.url));

/** Forward the page's (and its workers') errors to the test log, so failures explain themselves. */
export function logPageProblems(page: Page): void {
  page.on("pageerror", (err) => console.log(`[pageerror] ${err.name}: ${err.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning") console.log(`[console.${msg.type()}] ${msg.text()}`);
  });
}

/** Open the app (optionally at a fragment) and wait until the notebook is there and the kernel idle. */
export async function openNotebook(page: Page, fragment = ""): Promise<void> {
  logPageProblems(page);
  await page.goto(`/${fragment}`);
  await expect(page.getByTestId("app")).toHaveAttribute("data-loaded", "true");
  await waitForKernelIdle(page);
}

export async function waitForKernelIdle(page: Page, timeout = 60_000): Promise<void> {
  await expect(page.getByTestId("kernel-state")).toHaveAttribute("data-state", "idle", { timeout });
}

export const cells = (page: Page): Locator => page.getByTestId("cell");
export const cellById = (page: Page, id: string): Locator => page.locator(`[data-testid="cell"][data-cell-id="${id}"]`);
export const codeCells = (page: Page): Locator => page.locator('[data-testid="cell"][data-type="code"]');

/** The text of a cell, as its editor shows it (Monaco or the plain view). */
export async function cellSource(cell: Locator): Promise<string> {
  const editor = cell.locator(".cell-editor");
  if ((await editor.getAttribute("data-editor")) === "monaco") {
    // A just-mounted editor draws its lines on the next frame.
    await expect(editor.locator(".view-line").first()).toBeAttached();
    // Monaco's line elements are positioned, not ordered: sort them by their offset from the top.
    return editor.evaluate((el) =>
      [...el.querySelectorAll<HTMLElement>(".view-line")]
        .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
        .map((l) => (l.textContent ?? "").replace(/\u00a0/g, " "))
        .join("\n"),
    );
  }
  return (await cell.locator(".code-line").allTextContents()).map((l) => (l === "\u200b" ? "" : l)).join("\n");
}

/** Put the caret in a cell's editor (Monaco mounts on demand) and wait until it has the keyboard. */
export async function editCell(cell: Locator): Promise<void> {
  await cell.locator(".cell-editor").click();
  await expect(cell.locator(".monaco-editor.focused")).toBeVisible({ timeout: 30_000 });
}

/** Replace a cell's code by pasting it (typing would meet Monaco's auto-closing brackets). */
export async function setSource(page: Page, cell: Locator, code: string): Promise<void> {
  await editCell(cell);
  await page.keyboard.press("ControlOrMeta+A");
  await page.evaluate((text) => navigator.clipboard.writeText(text), code);
  await page.keyboard.press("ControlOrMeta+V");
  await expect.poll(() => cellSource(cell)).toBe(code);
}

/** Run a cell with its ▶ button and wait until it has finished (done, error or interrupted). */
export async function runCell(cell: Locator, timeout = 120_000): Promise<string> {
  await cell.getByRole("button", { name: "Run cell" }).click();
  return waitForRun(cell, timeout);
}

export async function waitForRun(cell: Locator, timeout = 120_000): Promise<string> {
  await expect(cell).toHaveAttribute("data-status", /^(done|error|interrupted)$/, { timeout });
  return (await cell.getAttribute("data-status"))!;
}

/** The text of every output of a cell, joined as it reads on the page. */
export async function outputText(cell: Locator): Promise<string> {
  const outputs = cell.getByTestId("outputs");
  if ((await outputs.count()) === 0) return "";
  return (await outputs.locator(".output").allTextContents()).join("");
}

/** The text of the cell's result (the last execute_result / display output's text view). */
export async function resultText(cell: Locator): Promise<string> {
  return (await cell.locator(".output-execute_result pre").last().textContent()) ?? "";
}

/** All cell sources of the notebook, in order. */
export async function allSources(page: Page): Promise<string[]> {
  const out: string[] = [];
  for (const c of await cells(page).all()) {
    const type = await c.getAttribute("data-type");
    out.push(type === "markdown" && (await c.locator(".markdown-view").count()) > 0 ? `md:${(await c.locator(".markdown-view").textContent()) ?? ""}` : await cellSource(c));
  }
  return out;
}

/** Start an empty notebook (confirming the replacement of the open one). */
export async function newNotebook(page: Page): Promise<void> {
  await page.getByRole("button", { name: "New" }).click();
  const confirm = page.getByTestId("confirm-dialog");
  if (await confirm.isVisible()) await confirm.getByTestId("confirm").click();
  await expect(cells(page)).toHaveCount(1);
}

/** Type code into the notebook's cells, one per entry, starting from an empty notebook. */
export async function writeCells(page: Page, sources: readonly string[]): Promise<void> {
  for (const [i, source] of sources.entries()) {
    if (i > 0) await page.getByRole("button", { name: "Insert code cell" }).last().click();
    await setSource(page, codeCells(page).nth(i), source);
    // The first Escape closes a suggestion list if one is open; then command mode.
    await page.keyboard.press("Escape");
    await page.keyboard.press("Escape");
  }
}
