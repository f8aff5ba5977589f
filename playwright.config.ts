// Playwright config for Kiln's e2e tests (e2e/*.spec.ts), run through e2e/run.mjs.
// Debian's Chromium (/usr/bin/chromium, never a downloaded browser) with WebGPU on SwiftShader,
// flags as in DESIGN §9. Playwright starts `vite preview` of the built app on KILN_E2E_PORT and
// shuts it and the browser down afterwards. One worker: SwiftShader is CPU-bound (2 cores in CI).
import { defineConfig } from "@playwright/test";

const port = Number(process.env.KILN_E2E_PORT ?? "4173");
const baseURL = `http://127.0.0.1:${port}`;

/** Chromium flags for WebGPU on SwiftShader in headless mode (DESIGN §9). */
export const chromiumArgs = [
  "--no-sandbox",
  "--enable-unsafe-webgpu",
  "--enable-features=Vulkan",
  "--use-vulkan=swiftshader",
  "--use-angle=swiftshader",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];

export default defineConfig({
  testDir: "./e2e",
  testMatch: "**/*.spec.ts",
  outputDir: "./test-results/e2e",
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false",
  timeout: 180_000,
  expect: { timeout: 120_000 },
  reporter: [["list"], ["json", { outputFile: "./test-results/e2e-report.json" }]],
  use: {
    baseURL,
    browserName: "chromium",
    headless: true,
    launchOptions: {
      executablePath: process.env.KILN_CHROMIUM ?? "/usr/bin/chromium",
      args: chromiumArgs,
    },
    trace: "retain-on-failure",
    // The e2e helpers paste code into cells, as a user would (typing meets auto-closed brackets).
    permissions: ["clipboard-read", "clipboard-write"],
  },
  webServer: {
    command: `node node_modules/vite/bin/vite.js preview --config vite.config.ts --host 127.0.0.1 --port ${port} --strictPort`,
    url: baseURL,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
  },
});
