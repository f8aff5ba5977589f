// E2E: notebooks that outlive the page. Autosave survives a reload; share links carry the code
// into a fresh browser and never run it there; a link that meets different local work asks
// first; a corrupt link says so over an empty notebook; .ipynb goes out and comes back whole.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { allSources, cells, codeCells, newNotebook, openNotebook, outputText, resultsDir, runCell, waitForKernelIdle, writeCells } from "./helpers.js";

const SOURCES = ['import { numpy as np, grad } from "@kiln/engine";\nconst f = (x: np.Array) => x.mul(x).sum();\ngrad(f)(np.array([1, 2, 3]))', "// a second cell\n2 ** 10"];
const GRAD = "Array([2., 4., 6.], dtype=float32)";

async function shareLink(page: Page): Promise<string> {
  await page.getByTestId("share").click();
  const url = await page.getByTestId("share-url").inputValue();
  await page.getByTestId("share-dialog").getByRole("button", { name: "Done" }).click();
  return url;
}

test("reload keeps the code and the outputs", async ({ page }) => {
  await openNotebook(page);
  await newNotebook(page);
  await writeCells(page, SOURCES);
  expect(await runCell(codeCells(page).first())).toBe("done");
  expect(await outputText(codeCells(page).first())).toBe(GRAD);
  await expect(page.getByTestId("autosave")).toHaveAttribute("data-state", "saved");
  await page.reload();
  await expect(page.getByTestId("app")).toHaveAttribute("data-loaded", "true");
  await expect.poll(() => allSources(page)).toEqual(SOURCES);
  expect(await outputText(codeCells(page).first())).toBe(GRAD);
  await expect(codeCells(page).first().getByTestId("prompt")).toHaveText("[1]:");
});

test("a share link opens the same code in a fresh browser, without running it", async ({ page, browser }) => {
  await openNotebook(page);
  await newNotebook(page);
  await writeCells(page, SOURCES);
  expect(await runCell(codeCells(page).first())).toBe("done");
  const url = await shareLink(page);
  expect(new URL(url).hash).toMatch(/^#nb=1\.[A-Za-z0-9_-]+$/);
  expect(new URL(url).search).toBe("");

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(url);
  await expect(other.getByTestId("app")).toHaveAttribute("data-loaded", "true");
  await expect.poll(() => allSources(other)).toEqual(SOURCES);
  await expect(other.getByTestId("info-banner")).toContainText("Nothing has run");
  await waitForKernelIdle(other);
  // Nothing ran: no outputs, no counts, every cell idle.
  await other.waitForTimeout(500);
  expect(await other.getByTestId("outputs").count()).toBe(0);
  expect(await codeCells(other).getByTestId("prompt").allTextContents()).toEqual(["[ ]:", "[ ]:"]);
  // The fragment is consumed: a reload opens the (now autosaved) notebook, not the link again.
  expect(new URL(other.url()).hash).toBe("");
  // And it runs when asked.
  expect(await runCell(codeCells(other).first())).toBe("done");
  expect(await outputText(codeCells(other).first())).toBe(GRAD);
  await other.screenshot({ path: join(resultsDir, "notebook-shared.png") });
  await fresh.close();
});

test("a share link meeting different local work asks: keep mine, or open shared", async ({ page }) => {
  await openNotebook(page);
  await newNotebook(page);
  await writeCells(page, ["// shared version\n1"]);
  const url = await shareLink(page);
  await writeCells(page, ["// my local version\n2"]);
  await expect(page.getByTestId("autosave")).toHaveAttribute("data-state", "saved");

  await page.goto(url);
  const dialog = page.getByTestId("conflict-dialog");
  await expect(dialog).toBeVisible();
  await page.screenshot({ path: join(resultsDir, "notebook-conflict.png") });
  await dialog.getByTestId("keep-mine").click();
  await expect.poll(() => allSources(page)).toEqual(["// my local version\n2"]);

  await page.goto(url);
  await page.reload(); // a fresh load of the link, as pasting it into a new tab would be
  await expect(dialog).toBeVisible();
  await dialog.getByTestId("open-shared").click();
  await expect.poll(() => allSources(page)).toEqual(["// shared version\n1"]);
  expect(await page.getByTestId("outputs").count()).toBe(0);
});

test("a corrupt link shows a readable error and an empty notebook", async ({ page }) => {
  await openNotebook(page, "#nb=1.this-is-not*a-notebook");
  const banner = page.getByTestId("error-banner");
  await expect(banner).toContainText("This share link could not be opened.");
  await expect(banner).toContainText("corrupt");
  await expect(cells(page)).toHaveCount(1);
  await expect.poll(() => allSources(page)).toEqual([""]);
  await page.screenshot({ path: join(resultsDir, "notebook-corrupt-link.png") });
  // A link cut off in the middle says so, in a fresh load of it.
  await newNotebook(page);
  await writeCells(page, ["// a notebook worth sharing\n" + "1 + 1;\n".repeat(20)]);
  const whole = await shareLink(page);
  // Leave at once: the last edit is within autosave's debounce, and must survive anyway.
  await page.goto("about:blank");
  await page.goto(whole.slice(0, whole.indexOf("#nb=1.") + 30));
  await expect(page.getByTestId("error-banner")).toContainText(/incomplete|corrupt/);
  await expect(cells(page)).toHaveCount(1);
  // The user's own saved notebook is one click away.
  await page.getByTestId("error-banner").getByRole("button", { name: "Open my saved notebook" }).click();
  await expect.poll(async () => (await allSources(page))[0]).toMatch(/^\/\/ a notebook worth sharing/);
});

test(".ipynb download and open round-trip the notebook with its outputs", async ({ page, browser }) => {
  await openNotebook(page);
  await newNotebook(page);
  await writeCells(page, SOURCES);
  expect(await runCell(codeCells(page).first())).toBe("done");
  expect(await runCell(codeCells(page).nth(1))).toBe("done");
  const downloading = page.waitForEvent("download");
  await page.getByTestId("download").click();
  const download = await downloading;
  const path = join(resultsDir, "e2e-roundtrip.ipynb");
  await download.saveAs(path);
  const file = JSON.parse(readFileSync(path, "utf8"));
  expect(file.nbformat).toBe(4);
  expect(file.nbformat_minor).toBe(5);
  expect(file.metadata.kernelspec.name).toBe("kiln");
  expect(file.cells.map((c: { source: string[] }) => c.source.join(""))).toEqual(SOURCES);
  expect(file.cells[0].outputs[0].data["text/plain"]).toEqual([GRAD]);

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await openNotebook(other);
  await other.getByTestId("open-file").setInputFiles(path);
  await other.getByTestId("confirm-dialog").getByTestId("confirm").click();
  await expect(other.getByTestId("toast")).toContainText("Opened e2e-roundtrip.ipynb");
  await expect.poll(() => allSources(other)).toEqual(SOURCES);
  expect(await outputText(codeCells(other).first())).toBe(GRAD);
  expect(await outputText(codeCells(other).nth(1))).toBe("1024");
  await expect(codeCells(other).nth(1).getByTestId("prompt")).toHaveText("[2]:");
  await fresh.close();
});
