// Vitest config for the unit tests of every workspace: packages/*/test and apps/*/test, in Node.
// @kiln/* resolve to their TypeScript sources (as in vite.config.ts); e2e/ is Playwright's.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@kiln\/engine$/, replacement: here("./packages/engine/src/index.ts") },
      { find: /^@kiln\/ui$/, replacement: here("./packages/ui/src/index.ts") },
      { find: /^@kiln\/plot$/, replacement: here("./packages/plot/src/index.ts") },
      { find: /^@kiln\/kernel$/, replacement: here("./packages/kernel/src/index.ts") },
    ],
  },
  test: {
    include: ["packages/*/test/**/*.test.ts", "apps/*/test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**", "e2e/**"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // 2 cores in CI: forks keep tests that block (Atomics.wait, GPU polling) isolated per file.
    pool: "forks",
  },
});
