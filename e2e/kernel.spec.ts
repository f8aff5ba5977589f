// E2E: driving the kernel from the page. Jupyter's keys (run and advance, run, run and insert,
// command mode, help), interrupt — cooperative for `while (true) {}` in a cell (the kernel checks
// its loops), hard (worker terminated and respawned) for a loop in code built from a string, which
// it cannot check — and restart, with the code never touched.
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { allSources, cellSource, cells, codeCells, editCell, newNotebook, openNotebook, outputText, resultsDir, runCell, setSource, waitForKernelIdle, waitForRun, writeCells } from "./helpers.js";

test("Jupyter's keys: Shift+Enter runs and advances, Mod+Enter runs, Alt+Enter inserts, command mode edits cells", async ({ page }) => {
  await openNotebook(page);
  await newNotebook(page);
  const first = codeCells(page).first();
  await setSource(page, first, "const a = 40 + 2;\na");
  await page.keyboard.press("Shift+Enter");
  await waitForRun(first);
  expect(await outputText(first)).toBe("42");
  // The last cell advanced into a new cell, in edit mode.
  await expect(cells(page)).toHaveCount(2);
  await expect(codeCells(page).nth(1).locator(".monaco-editor.focused")).toBeVisible();
  await page.keyboard.insertText("a * 2");
  await page.keyboard.press("ControlOrMeta+Enter");
  await waitForRun(codeCells(page).nth(1));
  expect(await outputText(codeCells(page).nth(1))).toBe("84");
  await expect(cells(page)).toHaveCount(2);
  await page.keyboard.press("Alt+Enter");
  await expect(cells(page)).toHaveCount(3);
  await expect(page.getByTestId("mode")).toHaveText("Edit");

  // Command mode: A above, D D delete, M markdown, Y code, Z undo.
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("mode")).toHaveText("Command");
  await page.keyboard.press("a");
  await expect(cells(page)).toHaveCount(4);
  await page.keyboard.press("d");
  await page.keyboard.press("d");
  await expect(cells(page)).toHaveCount(3);
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("m");
  await expect(cells(page).nth(1)).toHaveAttribute("data-type", "markdown");
  await page.keyboard.press("y");
  await expect(cells(page).nth(1)).toHaveAttribute("data-type", "code");
  expect(await cellSource(cells(page).nth(1))).toBe("a * 2");

  // The help sheet comes from the hotkey registry.
  await page.keyboard.press("h");
  const help = page.getByTestId("help-sheet");
  await expect(help).toBeVisible();
  await expect(help.locator('tr[data-action="deleteCell"] kbd')).toHaveText("D, D");
  await page.screenshot({ path: join(resultsDir, "notebook-help.png") });
  await page.keyboard.press("Escape");
  await expect(help).toBeHidden();
});

test("interrupt stops a checked loop in place and hard-stops an unchecked one; the code stays", async ({ page }) => {
  await openNotebook(page);
  await newNotebook(page);
  const sources = ["let n = 0;\nwhile (true) { n++; }", "n > 0", "// Code made from a string has no interrupt checks in it.\nconst spin = new Function(\"while (true) {}\");\nspin();", "typeof n", "1 + 1"];
  await writeCells(page, sources);
  const [loop, check, spin, gone, after] = [0, 1, 2, 3, 4].map((i) => codeCells(page).nth(i));

  // A top-level loop gets interrupt checks: Stop ends it and the kernel keeps its variables.
  await loop!.getByRole("button", { name: "Run cell" }).click();
  await expect(loop!).toHaveAttribute("data-status", "running");
  await page.waitForTimeout(300);
  await page.getByTestId("interrupt").click();
  expect(await waitForRun(loop!, 30_000)).toBe("interrupted");
  expect(await outputText(loop!)).toContain("KeyboardInterrupt");
  expect(await runCell(check!)).toBe("done");
  expect(await outputText(check!)).toBe("true");

  // A loop the kernel could not instrument never reaches a check: the worker is terminated and replaced.
  await spin!.getByRole("button", { name: "Run cell" }).click();
  await expect(spin!).toHaveAttribute("data-status", "running");
  await page.waitForTimeout(300);
  // I, I in command mode, as in Jupyter.
  await page.keyboard.press("Escape");
  await page.keyboard.press("i");
  await page.keyboard.press("i");
  expect(await waitForRun(spin!, 30_000)).toBe("interrupted");
  expect(await outputText(spin!)).toMatch(/KeyboardInterrupt: .*terminated and restarted/);
  await waitForKernelIdle(page);
  expect(await runCell(gone!)).toBe("done");
  expect(await outputText(gone!)).toBe("'undefined'");
  expect(await runCell(after!)).toBe("done");
  expect(await outputText(after!)).toBe("2");
  await expect(after!.getByTestId("prompt")).toHaveText("[2]:");
  await expect.poll(() => allSources(page)).toEqual(sources);
  await page.screenshot({ path: join(resultsDir, "notebook-interrupt.png") });
});

test("restart forgets variables and keeps the code and outputs", async ({ page }) => {
  await openNotebook(page);
  await newNotebook(page);
  const sources = ["const r = 5;\nr", "typeof r"];
  await writeCells(page, sources);
  const [define, probe] = [codeCells(page).nth(0), codeCells(page).nth(1)];
  expect(await runCell(define)).toBe("done");
  expect(await runCell(probe)).toBe("done");
  expect(await outputText(probe)).toBe("'number'");
  await page.getByTestId("restart").click();
  await waitForKernelIdle(page);
  expect(await outputText(define)).toBe("5");
  await expect(define).toHaveAttribute("data-status", "idle");
  expect(await runCell(probe)).toBe("done");
  expect(await outputText(probe)).toBe("'undefined'");
  await expect(probe.getByTestId("prompt")).toHaveText("[1]:");
  await expect.poll(() => allSources(page)).toEqual(sources);
});

test("an error marks its line in the editor and the traceback", async ({ page }) => {
  await openNotebook(page);
  await newNotebook(page);
  const cell = codeCells(page).first();
  await setSource(page, cell, 'const ok = 1;\nnull.boom();\n"never"');
  await page.keyboard.press("Escape");
  expect(await runCell(cell)).toBe("error");
  await expect(cell.locator(".output-error .tb-current")).toHaveText(/^----> 2 null\.boom\(\);/);
  await editCell(cell);
  await expect(cell.locator(".monaco-editor .error-line")).toHaveCount(1);
});
