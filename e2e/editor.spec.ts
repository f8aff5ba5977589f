// E2E: the cell editor knows Kiln. Monaco's TypeScript service has the engine's generated .d.ts,
// so `np.` completes with numpy's functions and hovers show signatures; earlier cells'
// declarations are visible (with their types) in later cells; and a 200-cell notebook opens with
// only the editors near the viewport mounted.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { cells, codeCells, editCell, newNotebook, openNotebook, resultsDir, waitForRun, writeCells } from "./helpers.js";

/**
 * The suggestion list shows `label`. The TypeScript service starts cold (a 7 MB worker) and may
 * answer the first request before it has every library: then, as a user would, ask again (Ctrl+Space).
 */
async function expectSuggestion(page: Page, cell: Locator, label: string): Promise<void> {
  const row = cell.locator(".suggest-widget.visible .monaco-list-row", { hasText: label }).first();
  await expect(async () => {
    if (!(await row.isVisible())) await page.keyboard.press("Control+Space");
    await expect(row).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 60_000 });
}

test("completions and hovers come from the engine's types and from earlier cells", async ({ page }) => {
  await openNotebook(page);
  await newNotebook(page);
  await writeCells(page, ['import { numpy as np, grad } from "@kiln/engine";\nconst w = np.zeros([3]);', ""]);
  const second = codeCells(page).nth(1);
  await editCell(second);
  await page.keyboard.type("np.ara");
  await expectSuggestion(page, second, "arange");
  await page.keyboard.press("Escape");
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  // `w` was declared in the first cell: its members complete here.
  await page.keyboard.type("w.sha");
  await expectSuggestion(page, second, "shape");
  await page.screenshot({ path: join(resultsDir, "notebook-completion.png") });
  await page.keyboard.press("Escape");
  await page.keyboard.press("Escape");
  // Hovering `grad` in the first cell shows its declaration.
  const first = codeCells(page).first();
  await editCell(first);
  await first.locator(".view-line span", { hasText: /\bgrad\b/ }).first().hover();
  await expect(page.locator(".monaco-hover").filter({ hasText: "grad" }).first()).toBeVisible({ timeout: 60_000 });
});

test("a 200-cell notebook opens fast and mounts editors only near the viewport", async ({ page }) => {
  const nbCells = Array.from({ length: 200 }, (_, i) =>
    i % 2 === 0
      ? { cell_type: "markdown", id: `m${i}`, metadata: {}, source: [`## Section ${i / 2}\n`, "Some *text* about it."] }
      : { cell_type: "code", id: `c${i}`, metadata: {}, execution_count: null, outputs: [], source: [`const v${i} = ${i};\n`, `v${i} * 2`] },
  );
  const path = join(resultsDir, "e2e-200-cells.ipynb");
  writeFileSync(path, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: nbCells }));
  await openNotebook(page);
  await newNotebook(page);
  const t0 = Date.now();
  await page.getByTestId("open-file").setInputFiles(path);
  await expect(cells(page)).toHaveCount(200);
  const openMs = Date.now() - t0;
  await page.waitForTimeout(1500);
  const mounted = await page.locator(".monaco-editor").count();
  console.log(`200 cells: opened in ${openMs} ms; Monaco editors mounted: ${mounted}`);
  expect(mounted).toBeLessThan(30);
  // Scrolling to the end mounts the editors there.
  await codeCells(page).last().scrollIntoViewIfNeeded();
  await expect(codeCells(page).last().locator(".monaco-editor")).toBeVisible({ timeout: 30_000 });
  // Run all: 100 code cells, in order.
  const t1 = Date.now();
  await page.getByTestId("run-all").click();
  await waitForRun(codeCells(page).last(), 120_000);
  const runAllMs = Date.now() - t1;
  await expect(codeCells(page).last().getByTestId("outputs")).toHaveText("398");
  await expect(codeCells(page).last().getByTestId("prompt")).toHaveText("[100]:");
  console.log(`200 cells: run all (100 code cells) in ${runAllMs} ms`);
  writeFileSync(join(resultsDir, "notebook-200-cells.json"), JSON.stringify({ openMs, mountedEditors: mounted, runAllMs }, null, 2));
});
