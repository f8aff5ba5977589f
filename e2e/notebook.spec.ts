// E2E: the notebook page in headless Chromium (WebGPU on SwiftShader).
// 1. the engine worker computes the three demos and the page shows JAX's exact text;
// 2. the page is cross-origin isolated and WebGPU gives an adapter (its info is logged).
import { fileURLToPath } from "node:url";
import { expect, test, type Page } from "@playwright/test";

/** Demo N's exact expected text (DESIGN §4: printing matches JAX byte for byte). */
const expectedDemos: readonly string[] = [
  "Array([[ 0,  2,  4],\n       [ 6,  8, 10]], dtype=int32)",
  "{ lambda ; a:f32[]. let b:f32[] = sin a in (b,) }",
  "Array([3., 5., 7.], dtype=float32)",
];

const screenshotPath = fileURLToPath(new URL("../test-results/notebook.png", import.meta.url));

/** Forward the page's (and its workers') errors to the test log, so failures explain themselves. */
function logPageProblems(page: Page): void {
  page.on("pageerror", (err) => console.log(`[pageerror] ${err.name}: ${err.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning") {
      console.log(`[console.${msg.type()}] ${msg.text()}`);
    }
  });
}

test("engine worker computes the demos and the page shows JAX's exact text", async ({ page }) => {
  logPageProblems(page);
  await page.goto("/");
  // The worker must load and answer (a worker that fails to load shows data-worker="failed").
  const status = page.getByTestId("status");
  await expect(status).not.toHaveAttribute("data-worker", "starting");
  console.log(`status: ${await status.textContent()}`);
  await expect(status).toHaveAttribute("data-worker", "ready", { timeout: 1 });
  for (const [i, expected] of expectedDemos.entries()) {
    const out = page.getByTestId(`demo-${i + 1}`);
    // Wait for the worker to finish this demo (ok or error), then compare the raw text exactly.
    await expect(out).toHaveAttribute("data-status", /^(ok|error)$/);
    const text = await out.textContent();
    const outStatus = await out.getAttribute("data-status");
    console.log(`demo-${i + 1} [${outStatus}]: ${JSON.stringify(text)}`);
    expect.soft(outStatus, `demo-${i + 1} status`).toBe("ok");
    expect.soft(text, `demo-${i + 1} text`).toBe(expected);
  }
  await page.screenshot({ path: screenshotPath, fullPage: true });
  console.log(`screenshot: ${screenshotPath}`);
});

test("page is cross-origin isolated and WebGPU gives an adapter", async ({ page }) => {
  logPageProblems(page);
  await page.goto("/");
  expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
  const adapter = await page.evaluate(async () => {
    if (!("gpu" in navigator)) return { error: "navigator.gpu is missing" };
    const a = await navigator.gpu.requestAdapter();
    if (a === null) return { error: "navigator.gpu.requestAdapter() returned null" };
    const { vendor, architecture, device, description } = a.info;
    return {
      vendor,
      architecture,
      device,
      description,
      features: [...a.features].sort(),
      maxBufferSize: a.limits.maxBufferSize,
    };
  });
  console.log(`WebGPU adapter: ${JSON.stringify(adapter)}`);
  expect(adapter).not.toHaveProperty("error");
});
