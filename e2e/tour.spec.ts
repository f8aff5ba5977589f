// E2E: the tour on the engine in the kernel worker (WebGPU on SwiftShader in headless Chromium):
// a first visit opens the tour without running anything; running its cells gives JAX's exact
// text (arrays, grad values, jaxprs) and a plotly SVG. Also records the time from navigation to
// the first cell output (bench/RESULTS.md) and checks the page's isolation and WebGPU adapter.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { cellById, codeCells, logPageProblems, outputText, resultText, resultsDir, runCell, waitForKernelIdle, waitForRun } from "./helpers.js";

test("the tour runs in the worker and prints what JAX prints", async ({ page }) => {
  logPageProblems(page);
  await page.goto("/");
  // A first visit opens the tour, and nothing has run.
  await expect(page.getByTestId("notebook-title")).toHaveText("A tour of Kiln");
  const imports = cellById(page, "tour-02");
  await expect(imports).toBeVisible();
  expect(await page.getByTestId("outputs").count()).toBe(0);
  await expect(codeCells(page).first().getByTestId("prompt")).toHaveText("[ ]:");

  // Run the first cell at once (it waits for the kernel): navigation → first output.
  await imports.getByRole("button", { name: "Run cell" }).click();
  await waitForRun(imports);
  const firstOutputMs = await page.evaluate(() => performance.now());
  expect(await imports.getAttribute("data-status")).toBe("done");
  expect(await outputText(imports)).toMatch(/^\[ (WebGpuDevice\(id=0, adapter=".*"\)|CpuDevice\(id=0\)) \]$/);
  await expect(imports.getByTestId("prompt")).toHaveText("[1]:");
  const status = (await page.getByTestId("status-bar").textContent()) ?? "";
  console.log(`navigation → first output: ${firstOutputMs.toFixed(0)} ms; status bar: ${status}`);

  // grad through JavaScript control flow.
  const absVal = cellById(page, "tour-14");
  expect(await runCell(absVal)).toBe("done");
  expect(await resultText(absVal)).toBe("[\n  Array(1., dtype=float32, weak_type=True),\n  Array(-1., dtype=float32, weak_type=True)\n]");

  // Higher-order grad: console lines, then the cell's value.
  const tanh = cellById(page, "tour-15");
  expect(await runCell(tanh)).toBe("done");
  expect(await tanh.locator(".output-stdout").textContent()).toBe("0.4199743\n0.6216266\n");
  expect(await resultText(tanh)).toBe("Array(-5.5568933, dtype=float32, weak_type=True)");

  // vmap and its jaxpr, exact, highlighted.
  expect(await runCell(cellById(page, "tour-26"))).toBe("done");
  expect(await resultText(cellById(page, "tour-26"))).toBe("Array([0.        , 0.06185099, 0.23971277, 0.5112291 , 0.84147096],      dtype=float32)");
  const vmapJaxpr = cellById(page, "tour-27");
  expect(await runCell(vmapJaxpr)).toBe("done");
  const jaxpr = vmapJaxpr.locator(".output-jaxpr");
  expect(await jaxpr.textContent()).toBe("{ lambda ; a:f32[5]. let b:f32[5] = sin a; c:f32[5] = mul b a in (c,) }");
  await expect(jaxpr.locator(".jx-primitive", { hasText: "sin" })).toHaveCount(1);

  // A multi-line jaxpr with a typed literal.
  const log2 = cellById(page, "tour-34");
  expect(await runCell(log2)).toBe("done");
  expect(await log2.locator(".output-jaxpr").textContent()).toBe(
    "{ lambda ; a:f32[]. let\n    b:f32[] = log a\n    c:f32[] = log 2.0:f32[]\n    d:f32[] = div b c\n  in (d,) }",
  );

  // An array on the device, then a plot of one of its rows: plotly draws an SVG.
  const matrix = cellById(page, "tour-04");
  expect(await runCell(matrix)).toBe("done");
  expect(await resultText(matrix)).toMatch(/^Array\(\[\[.*\.\.\..*dtype=float32\)$/s);
  await matrix.getByRole("button", { name: /float32\[500, 500\]/ }).click();
  await expect(matrix.locator(".array-grid td").first()).toBeVisible();
  const plotCell = cellById(page, "tour-09");
  expect(await runCell(plotCell)).toBe("done");
  await expect(plotCell.locator(".output-plot svg.main-svg").first()).toBeVisible({ timeout: 60_000 });
  await expect(plotCell.locator(".output-plot")).toHaveAttribute("data-state", "ready");

  await waitForKernelIdle(page);
  await page.screenshot({ path: join(resultsDir, "notebook-tour.png"), fullPage: false });
  await plotCell.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(resultsDir, "notebook-plot.png"), fullPage: false });
  writeFileSync(join(resultsDir, "notebook-metrics.json"), JSON.stringify({ navigationToFirstOutputMs: Math.round(firstOutputMs), statusBar: status }, null, 2));
});

test("the page is cross-origin isolated and WebGPU gives an adapter", async ({ page }) => {
  logPageProblems(page);
  await page.goto("/");
  expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
  const adapter = await page.evaluate(async () => {
    if (!("gpu" in navigator)) return { error: "navigator.gpu is missing" };
    const a = await navigator.gpu.requestAdapter();
    if (a === null) return { error: "navigator.gpu.requestAdapter() returned null" };
    const { vendor, architecture, description } = a.info;
    return { vendor, architecture, description };
  });
  console.log(`WebGPU adapter: ${JSON.stringify(adapter)}`);
  expect(adapter).not.toHaveProperty("error");
  // The status bar names the engine's backend once the kernel is up.
  await waitForKernelIdle(page);
  await expect(page.getByTestId("backend")).toHaveText(/WebGPU|CPU/);
});
