// E2E runner (`npm run test:e2e`): checks for Debian's Chromium, builds the notebook app when its
// build is missing or older than its sources, picks a free localhost port, runs Playwright
// (playwright.config.ts starts `vite preview` there and stops it and the browser afterwards), and
// prints the closing line `e2e: N passed, M failed`. Exits non-zero on any failure.
// Extra arguments go to `playwright test` (e.g. `npm run test:e2e -- --grep WebGPU`).
import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const chromium = process.env.KILN_CHROMIUM ?? "/usr/bin/chromium";
const distIndex = join(root, "apps/notebook/dist/index.html");
const reportPath = join(root, "test-results/e2e-report.json");
/** What the notebook build depends on: a newer file here means the build is stale. */
const buildInputs = [
  "apps/notebook/src",
  "apps/notebook/index.html",
  "packages/engine/src",
  "packages/engine/dist", // its .d.ts files become the editor's types (vite.config.ts)
  "packages/kernel/src",
  "packages/ui/src",
  "packages/plot/src",
  "examples/tour.ipynb", // bundled as the starter notebook
  "public",
  "vite.config.ts",
  "package-lock.json",
];

/** Run a command with inherited stdio; resolve with its exit code (signals count as failure). */
function run(cmd, args, env = process.env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env, stdio: "inherit" });
    const forward = (sig) => child.kill(sig);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    child.on("error", (err) => {
      console.error(`e2e: could not start ${cmd}: ${err.message}`);
      resolve(127);
    });
    child.on("exit", (code, signal) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

/** Newest modification time (ms) of a file or of any file under a directory; 0 if absent. */
function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** A TCP port that is free on 127.0.0.1 right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function fail(message) {
  console.error(`e2e: ${message}`);
  process.exit(1);
}

if (!existsSync(chromium)) {
  fail(
    `${chromium} not found. Install Debian's Chromium (it ships SwiftShader for WebGPU):\n` +
      "  apt-get update && apt-get install -y --no-install-recommends chromium\n" +
      "(or set KILN_CHROMIUM to a Chromium binary). Do not run `npx playwright install`.",
  );
}

const builtAt = existsSync(distIndex) ? statSync(distIndex).mtimeMs : 0;
const sourcesAt = Math.max(...buildInputs.map((p) => newestMtime(join(root, p))));
if (builtAt === 0 || sourcesAt > builtAt) {
  console.log(`e2e: ${builtAt === 0 ? "no build found" : "build is stale"}; building the notebook app`);
  const code = await run("npm", ["run", "build", "-w", "@kiln/notebook"]);
  if (code !== 0) fail(`notebook build failed (exit ${code})`);
}

const port = await freePort();
rmSync(reportPath, { force: true });
console.log(`e2e: serving the built app on http://127.0.0.1:${port}/ (vite preview), Chromium at ${chromium}`);
const playwrightCli = join(root, "node_modules/@playwright/test/cli.js");
const code = await run(
  process.execPath,
  [playwrightCli, "test", "--config", join(root, "playwright.config.ts"), ...process.argv.slice(2)],
  { ...process.env, KILN_E2E_PORT: String(port), KILN_CHROMIUM: chromium },
);

if (!existsSync(reportPath)) fail(`playwright exited with code ${code} before writing ${reportPath}`);
const { stats, errors = [] } = JSON.parse(readFileSync(reportPath, "utf8"));
for (const err of errors) console.error(`e2e: ${err.message ?? JSON.stringify(err)}`);
const passed = stats.expected + stats.flaky;
const failed = stats.unexpected + errors.length;
const skipped = stats.skipped;
console.log(`e2e: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`);
if (code !== 0 || failed > 0 || passed === 0) process.exit(code !== 0 ? code : 1);
