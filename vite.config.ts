// Vite config for the notebook app (apps/notebook), shared by dev, build and preview.
// - @kiln/* resolve to their TypeScript sources, so the app never needs prebuilt packages; the
//   kernel (engine, plot worker half) runs inside a module Web Worker (worker.format "es").
// - Two virtual modules, read at build time: `virtual:kiln/type-libs` (the engine's generated
//   .d.ts files from packages/engine/dist and the plot package's sources, for Monaco's TypeScript
//   service; imported only by the lazy Monaco chunk) and `virtual:kiln/tour` (examples/tour.ipynb
//   as text, or null when it is absent: the app then starts from its built-in notebook).
// - Cross-origin isolation (COOP same-origin + COEP require-corp) on dev and preview servers, so
//   SharedArrayBuffer / Atomics work (DESIGN §5, §6: the interrupt flag).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

const isolationHeaders = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

/** Modules whose import alone does nothing the page needs (see build.rolldownOptions). */
const MAIN_THREAD_PURE = /[\\/](?:packages[\\/]kernel[\\/]src|node_modules[\\/](?:sucrase|acorn|ts-interface-checker|lines-and-columns|@jridgewell))[\\/]/;

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, keep));
    else if (keep(entry)) out.push(path);
  }
  return out.sort();
}

/** The type libraries Monaco gets: path (as the TS service sees it) → content. */
function typeLibs(warn: (message: string) => void): { path: string; content: string }[] {
  const engineDist = here("./packages/engine/dist");
  const engine = filesUnder(engineDist, (n) => n.endsWith(".d.ts"));
  if (engine.length === 0) warn("packages/engine/dist has no .d.ts files (run `npm run build -w @kiln/engine`): cells get no engine types in the editor.");
  const plotSrc = here("./packages/plot/src");
  // The plot package has no build: its worker half's sources serve as its types (never dom.ts).
  const plot = filesUnder(plotSrc, (n) => n.endsWith(".ts") && !n.endsWith(".d.ts") && n !== "dom.ts");
  return [
    ...engine.map((f) => ({ path: `file:///node_modules/@kiln/engine/${relative(engineDist, f).replaceAll("\\", "/")}`, content: readFileSync(f, "utf8") })),
    ...plot.map((f) => ({ path: `file:///node_modules/@kiln/plot/${relative(plotSrc, f).replaceAll("\\", "/")}`, content: readFileSync(f, "utf8") })),
  ];
}

function kilnVirtualModules(): Plugin {
  const ids = { typeLibs: "virtual:kiln/type-libs", tour: "virtual:kiln/tour" } as const;
  const tourPath = here("./examples/tour.ipynb");
  return {
    name: "kiln-virtual-modules",
    resolveId(id) {
      return id === ids.typeLibs || id === ids.tour ? `\0${id}` : null;
    },
    load(id) {
      if (id === `\0${ids.typeLibs}`) {
        for (const f of filesUnder(here("./packages/engine/dist"), (n) => n.endsWith(".d.ts"))) this.addWatchFile(f);
        return `export default ${JSON.stringify(typeLibs((m) => this.warn(m)))};`;
      }
      if (id === `\0${ids.tour}`) {
        if (existsSync(tourPath)) this.addWatchFile(tourPath);
        return `export default ${existsSync(tourPath) ? JSON.stringify(readFileSync(tourPath, "utf8")) : "null"};`;
      }
      return null;
    },
  };
}

export default defineConfig({
  root: here("./apps/notebook"),
  publicDir: here("./public"),
  plugins: [kilnVirtualModules()],
  resolve: {
    alias: [
      { find: /^@kiln\/engine$/, replacement: here("./packages/engine/src/index.ts") },
      { find: /^@kiln\/kernel$/, replacement: here("./packages/kernel/src/index.ts") },
      { find: /^@kiln\/ui$/, replacement: here("./packages/ui/src/index.ts") },
      { find: /^@kiln\/ui\/monaco$/, replacement: here("./packages/ui/src/editor/monaco_setup.ts") },
      { find: /^@kiln\/plot$/, replacement: here("./packages/plot/src/index.ts") },
      { find: /^@kiln\/plot\/dom$/, replacement: here("./packages/plot/src/dom.ts") },
    ],
  },
  oxc: { jsx: { runtime: "automatic" } },
  worker: { format: "es" },
  build: {
    outDir: here("./apps/notebook/dist"),
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
    // Monaco and plotly are big on purpose and load lazily; the first download is what we watch.
    chunkSizeWarningLimit: 4096,
    rolldownOptions: {
      treeshake: {
        // The page uses only the kernel's file formats (.ipynb, share links); the cell pipeline
        // (sucrase, acorn) runs in the worker. Declared free of side effects here, so that the
        // page's bundle keeps only what it calls. The worker bundle keeps the default.
        moduleSideEffects: (id: string) => !MAIN_THREAD_PURE.test(id),
      },
    },
  },
  server: { host: "127.0.0.1", port: 5173, headers: isolationHeaders },
  preview: { host: "127.0.0.1", port: 5173, strictPort: true, headers: isolationHeaders },
});
