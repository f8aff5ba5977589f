// Notebook page load (run: node bench/notebook_load.mjs, or npm run bench): the size of what the
// first visit downloads — the page's own JS and CSS, gzipped — beside the chunks that load later
// (the kernel worker at start, Monaco when a cell editor mounts, plotly at the first plot); and
// the time from navigation to the first cell output when ▶ on the tour's first code cell is pressed
// the moment it appears (the run waits for the kernel), median of fresh browser contexts (no
// autosave, no cache), in Debian's Chromium with DESIGN §9's flags. Builds the app first when apps/notebook/dist is missing.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = join(root, "apps/notebook/dist");
const chromiumPath = process.env.KILN_CHROMIUM ?? "/usr/bin/chromium";
const RUNS = Number(process.env.KILN_BENCH_RUNS ?? "5");

if (!existsSync(join(dist, "index.html"))) {
  const r = spawnSync("npm", ["run", "build", "-w", "@kiln/notebook"], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// ---- sizes -----------------------------------------------------------------------------------
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const html = readFileSync(join(dist, "index.html"), "utf8");
const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
const assets = readdirSync(join(dist, "assets")).filter((f) => /\.(js|css)$/.test(f));
const group = (test) => assets.filter((f) => test.test(f)).map((f) => `assets/${f}`);
const rows = [
  ["first visit: page JS", initial.filter((f) => f.endsWith(".js"))],
  ["first visit: page CSS", initial.filter((f) => f.endsWith(".css"))],
  ["kernel worker (starts with the page, off the main thread)", group(/^kernel\.worker-/)],
  ["Monaco (first editor; lazy)", group(/^(editor\.api|monaco|tsMode|typescript|markdown)-.*\.(js|css)$|^editor-.*\.css$/)],
  ["Monaco's workers (editor + TypeScript; lazy)", group(/^(editor|ts)\.worker-/)],
  ["plotly.js cartesian (first plot; lazy)", group(/^plotly/)],
];
console.log("| download | files | raw | gzip |\n|---|---|---|---|");
for (const [name, files] of rows) {
  const raw = files.reduce((a, f) => a + statSync(join(dist, f)).size, 0);
  const zipped = files.reduce((a, f) => a + gz(f), 0);
  console.log(`| ${name} | ${files.length} | ${kb(raw)} | ${kb(zipped)} |`);
}

// ---- navigation → first output ------------------------------------------------------------------
const { chromium } = await import(join(root, "node_modules/playwright-core/index.mjs"));
const port = await new Promise((resolve, reject) => {
  const srv = createServer();
  srv.on("error", reject);
  srv.listen(0, "127.0.0.1", () => {
    const { port } = srv.address();
    srv.close(() => resolve(port));
  });
});
const server = spawn(process.execPath, [join(root, "node_modules/vite/bin/vite.js"), "preview", "--config", join(root, "vite.config.ts"), "--host", "127.0.0.1", "--port", String(port), "--strictPort"], { cwd: root, stdio: "pipe" });
const base = `http://127.0.0.1:${port}/`;
for (let i = 0; ; i++) {
  try {
    if ((await fetch(base)).ok) break;
  } catch {
    if (i > 100) throw new Error("vite preview did not start");
  }
  await new Promise((r) => setTimeout(r, 100));
}
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ["--no-sandbox", "--enable-unsafe-webgpu", "--enable-features=Vulkan", "--use-vulkan=swiftshader", "--use-angle=swiftshader", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
});
const samples = [];
try {
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    // When the first cell appears (the notebook is on screen), seen from inside the page.
    // From inside the page: when the first code cell appears, press its ▶ at once (no test-driver
    // latency in the number), and note both moments.
    await page.addInitScript(() => {
      const seen = new MutationObserver(() => {
        const run = document.querySelector('[data-testid="cell"][data-type="code"] button[aria-label="Run cell"]');
        if (run === null) return;
        seen.disconnect();
        globalThis.__kilnCellsAt = performance.now();
        run.click();
        globalThis.__kilnClickedAt = performance.now();
      });
      seen.observe(document, { childList: true, subtree: true });
      const ready = new MutationObserver(() => {
        if (document.querySelector('[data-testid="kernel-state"][data-state="idle"]') === null) return;
        ready.disconnect();
        globalThis.__kilnReadyAt = performance.now();
      });
      ready.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-state"] });
    });
    await page.goto(base);
    await page.waitForFunction(() => globalThis.__kilnClickedAt !== undefined);
    const clickedMs = await page.evaluate(() => globalThis.__kilnClickedAt);
    const cellShownMs = await page.evaluate(() => globalThis.__kilnCellsAt);
    await page.waitForFunction(() => document.querySelector('[data-testid="cell"][data-type="code"] [data-testid="outputs"]') !== null, null, { timeout: 120_000 });
    const outputMs = await page.evaluate(() => performance.now());
    const readyMs = await page.evaluate(() => globalThis.__kilnReadyAt ?? NaN);
    const dcl = await page.evaluate(() => performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd);
    const backend = await page.getByTestId("backend").textContent();
    const engineMs = Number(/Engine started in (\d+) ms/.exec((await page.getByTestId("backend").getAttribute("title")) ?? "")?.[1] ?? NaN);
    samples.push({ dcl, cellShownMs, clickedMs, readyMs, outputMs, backend, engineMs });
    await context.close();
  }
} finally {
  await browser.close();
  server.kill();
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`\n| navigation → (median of ${RUNS} fresh contexts) | ms |\n|---|---|`);
console.log(`| DOMContentLoaded | ${median(samples.map((s) => s.dcl)).toFixed(0)} |`);
console.log(`| the tour on screen | ${median(samples.map((s) => s.cellShownMs)).toFixed(0)} |`);
console.log(`| ▶ pressed on its first code cell (by a script in the page, at once) | ${median(samples.map((s) => s.clickedMs)).toFixed(0)} |`);
console.log(`| kernel ready (worker loaded, engine and kernel started) | ${median(samples.map((s) => s.readyMs)).toFixed(0)} |`);
console.log(`| first cell output | ${median(samples.map((s) => s.outputMs)).toFixed(0)} |`);
console.log(`| (inside the worker: engine and kernel start, WebGPU probe included) | ${median(samples.map((s) => s.engineMs)).toFixed(0)} |`);
console.log(`\nbackend: ${samples[0]?.backend}; runs (ms to output): ${samples.map((s) => s.outputMs.toFixed(0)).join(", ")}`);
