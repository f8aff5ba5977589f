// Vite config of the WebGPU peer benchmark page (bench/webgpu/index.html + bench.ts), built and
// served by bench/webgpu_peers.mjs. @kiln/engine resolves to its TypeScript sources, as in the
// root vite.config.ts. When KILN_BENCH_ENGINE_STUB is set (the runner's fallback after the engine
// failed to bundle), @kiln/engine resolves to kiln_stub.ts instead, whose functions throw that
// reason, so the peers and the hand-written kernel are still measured.
// COOP/COEP headers on dev/preview servers (cross-origin isolation, as the notebook app has).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

const isolationHeaders = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

const stubReason = process.env.KILN_BENCH_ENGINE_STUB;

export default defineConfig({
  root: here("."),
  base: "./",
  publicDir: false,
  logLevel: "warn",
  resolve: {
    alias: [{ find: /^@kiln\/engine$/, replacement: stubReason ? here("./kiln_stub.ts") : here("../../packages/engine/src/index.ts") }],
  },
  define: { __KILN_STUB_REASON__: JSON.stringify(stubReason ?? "") },
  build: {
    outDir: here("./dist"),
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    minify: false,
    chunkSizeWarningLimit: 8192,
  },
  server: { host: "127.0.0.1", headers: isolationHeaders },
  preview: { host: "127.0.0.1", headers: isolationHeaders },
});
