// Benchmark: Kiln's WebGPU backend side by side with @jax-js/jax (webgpu), @tensorflow/tfjs +
// tfjs-backend-webgpu and hand-written WGSL kernels, in ONE headless Chromium page on ONE adapter
// (SwiftShader on a machine without a GPU; DESIGN.md §8, §9). Builds bench/webgpu with vite,
// serves it on a free localhost port with COOP/COEP headers, drives /usr/bin/chromium through
// playwright-core, collects the results the page posts and prints markdown tables: f32 matmul
// GFLOP/s (256² … 2048²), the talk's MLP training step, an 8-op elementwise chain on 4M floats
// vs one buffer copy, and dispatch overhead. A workload a library cannot run prints
// "n/a (reason)". Run: node bench/webgpu_peers.mjs [--quick] [--sections=matmul,mlp]
// [--sizes=256,512] [--impls=kiln,jax,tfjs,hand] [--tune] [--json=out.json] [--verbose]
// (KILN_CHROMIUM overrides the browser path). Exits 0 when the harness ran, whatever the cells
// say; non-zero when it could not run at all.
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { arch, cpus, loadavg, platform, release, totalmem } from "node:os";
import { dirname, extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const pageDir = join(here, "webgpu");
const distDir = join(pageDir, "dist");
const chromiumPath = process.env.KILN_CHROMIUM ?? "/usr/bin/chromium";
/** The whole run (build excluded) is stopped after this; partial tables are still printed. */
const RUN_TIMEOUT_MS = Number(process.env.KILN_BENCH_TIMEOUT_S ?? 720) * 1000;

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const opt = (name) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const verbose = flag("verbose");

// ---- build ------------------------------------------------------------------------------------

async function buildPage() {
  const { build } = await import("vite");
  const configFile = join(pageDir, "vite.config.ts");
  const forced = process.env.KILN_BENCH_FORCE_STUB; // testing the fallback: KILN_BENCH_FORCE_STUB=reason
  delete process.env.KILN_BENCH_ENGINE_STUB;
  try {
    if (forced) throw new Error(forced);
    await build({ configFile, logLevel: "error" });
    return null;
  } catch (e) {
    // The engine is being written in parallel: if its sources do not bundle, measure the rest.
    const reason = String(e?.message ?? e).split("\n")[0].slice(0, 200);
    console.error(`webgpu_peers: the page did not build with @kiln/engine (${reason}); retrying with Kiln stubbed out.`);
    process.env.KILN_BENCH_ENGINE_STUB = reason;
    await build({ configFile, logLevel: "error" });
    return reason;
  }
}

// ---- static server with cross-origin isolation ------------------------------------------------

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".json": "application/json", ".map": "application/json" };

function serve(root) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    let path = normalize(join(root, decodeURIComponent(url.pathname)));
    if (!path.startsWith(root + sep) && path !== root) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(path) && statSync(path).isDirectory()) path = join(path, "index.html");
    if (!existsSync(path)) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, {
      "Content-Type": TYPES[extname(path)] ?? "application/octet-stream",
      "Cross-Origin-Opener-Policy": "same-origin",
      "Cross-Origin-Embedder-Policy": "require-corp",
      "Cache-Control": "no-store",
    });
    res.end(readFileSync(path));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

// ---- tables -----------------------------------------------------------------------------------

const NAMES = {
  kiln: "Kiln (jit)",
  kilnEager: "Kiln (eager)",
  kilnCpu: "Kiln CPU backend (jit, same page)",
  jax: "jax-js (jit)",
  jaxEager: "jax-js (eager)",
  tfjs: "tfjs-webgpu",
  hand: "hand-written WGSL",
};

const cellText = (s) => String(s).replaceAll("|", "\\|").replaceAll("\n", " ");
const na = (r) => (r ? `n/a (${cellText(r.error)})` : "not run");
const fmt = (x, digits = 3) => (Number.isFinite(x) ? (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toPrecision(digits)) : "—");
/** a/b as "1.23x", or "—" when either side is missing. */
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}x` : "—");

function tables(meta, results, { done, buildNote, load }) {
  const get = (section, row, impl) => results.find((r) => r.section === section && r.row === row && r.impl === impl);
  const ok = (r) => (r?.ok ? r : null);
  const rowsOf = (section) => [...new Set(results.filter((r) => r.section === section).map((r) => r.row))];
  const out = [];
  const P = (s = "") => out.push(s);

  const a = meta?.adapter;
  P(`Machine: ${cpus().length}-core ${arch()} (${cpus()[0]?.model ?? "?"}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${platform()} ${release()}; Node ${process.version}; load average (1 min) ${load.map((l) => l.toFixed(2)).join(" at start, ")} at the end.`);
  if (meta) {
    P(`Browser: ${meta.userAgent?.match(/(HeadlessChrome|Chrome)\/[\d.]+/)?.[0] ?? meta.userAgent}, headless, crossOriginIsolated=${meta.crossOriginIsolated}, hardwareConcurrency=${meta.hardwareConcurrency}.`);
    P(a ? `Adapter (adapter.info): vendor "${a.vendor}", architecture "${a.architecture}", description "${a.description}", subgroup size ${a.subgroupMinSize}–${a.subgroupMaxSize}.` : `Adapter: unavailable (${meta.adapterError}).`);
    const LIBS = { kiln: "Kiln", jax: "jax-js", tfjs: "tfjs-webgpu" };
    if (meta.libraryAdapters) P(`Per library: ${Object.entries(meta.libraryAdapters).map(([k, v]) => `${LIBS[k] ?? k}: ${String(v).trim()}`).join("; ")}.`);
  } else P("The page posted no metadata (it did not start).");
  if (buildNote) P(`NOTE: @kiln/engine did not bundle (${buildNote}); Kiln's cells are n/a.`);
  if (!done) P("NOTE: the run did not finish (timed out or crashed); the tables hold what was measured.");

  if (rowsOf("tune").length) {
    P();
    P("Hand-written GEMM variants (f32, GFLOP/s, verified against a CPU product):");
    P();
    P("| size and kernel | GFLOP/s | ms |");
    P("|---|---|---|");
    for (const row of rowsOf("tune")) {
      const r = get("tune", row, "hand");
      P(`| ${row} | ${r?.ok ? fmt(r.gflops) : na(r)} | ${r?.ok ? fmt(r.ms) : ""} |`);
    }
  }

  const mm = rowsOf("matmul");
  if (mm.length) {
    P();
    P("f32 matmul n×n·n×n, GFLOP/s (median ms per matmul); ratios are Kiln's GFLOP/s over the peer's (>1: Kiln faster):");
    P();
    P("| n | Kiln | jax-js | tfjs-webgpu | hand-written WGSL | Kiln/jax-js | Kiln/tfjs | Kiln/hand-written |");
    P("|---|---|---|---|---|---|---|---|");
    for (const row of mm) {
      const cells = ["kiln", "jax", "tfjs", "hand"].map((i) => get("matmul", row, i));
      const g = cells.map((r) => (r?.ok ? r.gflops : NaN));
      const shown = cells.map((r) => (r?.ok ? `${fmt(r.gflops)} (${fmt(r.ms)} ms)` : na(r)));
      P(`| ${row}² | ${shown.join(" | ")} | ${ratio(g[0], g[1])} | ${ratio(g[0], g[2])} | ${ratio(g[0], g[3])} |`);
    }
    const hand = mm.map((row) => ok(get("matmul", row, "hand"))).find(Boolean);
    if (hand?.kernel) P(`\nHand-written kernel: ${hand.kernel}; A packed k-major once before timing; every result checked against a float64 CPU product (all entries up to 512², 4 rows + 4 columns + 512 random entries above).`);
    const runs = mm.flatMap((row) => ["kiln", "jax", "tfjs", "hand"].map((i) => ok(get("matmul", row, i))).filter(Boolean).map((r) => r.runs));
    if (runs.length) P(`Timed runs per cell: ${Math.min(...runs)}–${Math.max(...runs)}, after one warm-up run.`);
  }

  const mlp = rowsOf("mlp");
  if (mlp.length) {
    const row = mlp[0];
    P();
    P(`The talk's MLP training step (${row}; LR 0.001; loops of ${get("mlp", row, "kiln")?.stepsPerRun ?? 10} steps, parameters fed back, one wait per loop):`);
    P();
    P("| implementation | ms / step | steps/s | Kiln jit vs this | loss before → after 3 steps |");
    P("|---|---|---|---|---|");
    const kj = ok(get("mlp", row, "kiln"));
    for (const impl of ["kiln", "kilnEager", "jax", "jaxEager", "tfjs", "kilnCpu"]) {
      const r = get("mlp", row, impl);
      if (!r) continue;
      if (!r.ok) P(`| ${NAMES[impl]} | ${na(r)} | | | |`);
      else P(`| ${NAMES[impl]} | ${fmt(r.ms)} | ${fmt(r.stepsPerSec)} | ${impl === "kiln" ? "1.00x" : ratio(kj?.stepsPerSec, r.stepsPerSec)} | ${r.lossBefore.toPrecision(6)} → ${r.lossAfter.toPrecision(6)} |`);
    }
  }

  const ch = rowsOf("chain");
  if (ch.length) {
    P();
    P("Elementwise: the 8-op chain ((|(x·1.5+0.5)·x−3|)^½ + x)·0.25 on 4M f32 (16 MiB in, 16 MiB out) vs one 16 MiB buffer copy; GB/s counts 32 MiB moved:");
    P();
    P("| implementation | ms | GB/s | time vs one buffer copy |");
    P("|---|---|---|---|");
    const copyRow = ch.find((r) => r.startsWith("one buffer copy"));
    const copy = copyRow ? ok(get("chain", copyRow, "hand")) : null;
    for (const row of ch) {
      for (const impl of ["kiln", "kilnEager", "jax", "jaxEager", "tfjs", "hand"]) {
        const r = get("chain", row, impl);
        if (!r) continue;
        const name = row === copyRow ? "one buffer copy (raw WebGPU copyBufferToBuffer)" : impl === "hand" ? "hand-written fused WGSL (1 pass)" : NAMES[impl];
        if (!r.ok) P(`| ${name} | ${na(r)} | | |`);
        else P(`| ${name} | ${fmt(r.ms)} | ${fmt(r.gbps)} | ${ratio(r.ms, copy?.ms)} |`);
      }
    }
  }

  const dp = rowsOf("dispatch");
  if (dp.length) {
    P();
    P("Dispatch overhead, µs (median; “wait” = blockUntilReady for Kiln and jax-js, submitQueue + onSubmittedWorkDone for tfjs and raw WebGPU):");
    P();
    P("| workload | Kiln | jax-js | tfjs-webgpu | raw WebGPU | Kiln/jax-js (time) |");
    P("|---|---|---|---|---|---|");
    for (const row of dp) {
      const cells = ["kiln", "jax", "tfjs", "hand"].map((i) => get("dispatch", row, i));
      const shown = cells.map((r) => (!r ? "—" : r.ok ? fmt(r.us) : na(r)));
      P(`| ${row} | ${shown.join(" | ")} | ${ratio(cells[0]?.ok ? cells[0].us : NaN, cells[1]?.ok ? cells[1].us : NaN)} |`);
    }
  }
  return out.join("\n");
}

// ---- main -------------------------------------------------------------------------------------

async function main() {
  if (!existsSync(chromiumPath)) {
    console.log(`webgpu_peers: skipped, no Chromium at ${chromiumPath} (apt-get install chromium; DESIGN.md §9).`);
    return;
  }
  let chromium;
  try {
    ({ chromium } = await import("playwright-core"));
  } catch {
    console.log("webgpu_peers: skipped, playwright-core is not installed (npm install).");
    return;
  }
  const load = [loadavg()[0]];
  const tBuild = performance.now();
  const buildNote = await buildPage();
  console.error(`webgpu_peers: built the page in ${((performance.now() - tBuild) / 1000).toFixed(1)} s`);

  const query = new URLSearchParams();
  for (const k of ["sections", "sizes", "impls", "cellTimeout"]) if (opt(k)) query.set(k, opt(k));
  if (flag("quick")) query.set("quick", "1");
  if (flag("tune")) query.set("tune", "1");

  const server = await serve(distDir);
  const { port } = server.address();
  const args = [
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
  if (process.getuid?.() === 0) args.unshift("--no-sandbox");
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args });
  let meta = null;
  const results = [];
  let done = false;
  let fatal = null;
  let finish;
  const finished = new Promise((resolve) => (finish = resolve));
  const t0 = performance.now();
  const stamp = () => `${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s`;
  try {
    const page = await browser.newPage();
    page.on("pageerror", (e) => console.error(`webgpu_peers: page error: ${e.message}`));
    page.on("crash", () => {
      fatal = "the page crashed";
      finish();
    });
    if (verbose) page.on("console", (m) => console.error(`[page ${m.type()}] ${m.text()}`));
    await page.exposeFunction("__benchPost", (m) => {
      if (m.type === "meta") meta = m;
      else if (m.type === "result") {
        results.push(m);
        const v = m.ok ? (m.gflops !== undefined ? `${fmt(m.gflops)} GFLOP/s` : m.stepsPerSec !== undefined ? `${fmt(m.stepsPerSec)} steps/s` : m.gbps !== undefined ? `${fmt(m.ms)} ms` : `${fmt(m.us)} µs`) : `n/a (${m.error})`;
        console.error(`${stamp()}  ${m.section} | ${m.row} | ${m.impl}: ${v}`);
      } else if (m.type === "log") console.error(`${stamp()}  ${m.text}`);
      else if (m.type === "done") {
        done = true;
        finish();
      } else if (m.type === "fatal") {
        fatal = m.error;
        finish();
      }
    });
    await page.goto(`http://127.0.0.1:${port}/index.html?${query}`);
    const timer = setTimeout(() => {
      fatal = `the run took longer than ${RUN_TIMEOUT_MS / 1000} s (KILN_BENCH_TIMEOUT_S)`;
      finish();
    }, RUN_TIMEOUT_MS);
    await finished;
    clearTimeout(timer);
  } finally {
    await browser.close().catch(() => undefined);
    server.close();
  }
  load.push(loadavg()[0]);
  if (fatal) console.error(`webgpu_peers: ${fatal}`);
  console.log(tables(meta, results, { done, buildNote, load }));
  const json = opt("json");
  if (json) writeFileSync(json, JSON.stringify({ meta, results, done, buildNote, load }, null, 2));
  console.error(`webgpu_peers: ${done ? "finished" : "stopped"} after ${((performance.now() - t0) / 1000).toFixed(0)} s in the browser`);
  if (!meta) process.exitCode = 1;
}

main().catch((e) => {
  console.error(`webgpu_peers: ${e?.stack ?? e}`);
  process.exitCode = 1;
});
