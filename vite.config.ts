// Vite config for the notebook app (apps/notebook), shared by dev, build and preview.
// - @kiln/engine (and ui/plot) resolve to their TypeScript sources, so the app never needs a
//   prebuilt engine; the engine runs inside a module Web Worker (worker.format "es").
// - Cross-origin isolation (COOP same-origin + COEP require-corp) on dev and preview servers, so
//   SharedArrayBuffer / Atomics.wait work (DESIGN §5, §6).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

const isolationHeaders = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

export default defineConfig({
  root: here("./apps/notebook"),
  publicDir: here("./public"),
  resolve: {
    alias: [
      { find: /^@kiln\/engine$/, replacement: here("./packages/engine/src/index.ts") },
      { find: /^@kiln\/ui$/, replacement: here("./packages/ui/src/index.ts") },
      { find: /^@kiln\/plot$/, replacement: here("./packages/plot/src/index.ts") },
    ],
  },
  oxc: { jsx: { runtime: "automatic" } },
  worker: { format: "es" },
  build: {
    outDir: here("./apps/notebook/dist"),
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
  },
  server: { host: "127.0.0.1", port: 5173, headers: isolationHeaders },
  preview: { host: "127.0.0.1", port: 5173, strictPort: true, headers: isolationHeaders },
});
