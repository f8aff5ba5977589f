// `kiln run`: the tour end to end on the CPU backend (spawning the real CLI, as `npx kiln run`
// does), exit statuses, --keep-going, --out and --json, and the progress line on a terminal.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/node/cli.js";
import { notebookFromSources, serializeNotebook, validateNotebook } from "../src/index.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const bin = join(root, "packages/kernel/bin/kiln.mjs");
const tmp = mkdtempSync(join(tmpdir(), "kiln-cli-"));

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** The CLI runs the built dist/: rebuild engine, plot and kernel when a source is newer. */
function ensureBuilt(): void {
  const outputs = ["packages/engine/dist/index.js", "packages/plot/dist/index.js", "packages/kernel/dist/node/cli.js"].map((p) => join(root, p));
  const built = Math.min(...outputs.map((p) => (statSync(p, { throwIfNoEntry: false })?.mtimeMs ?? 0)));
  const sources = Math.max(...["packages/engine/src", "packages/plot/src", "packages/kernel/src"].map((p) => newestSource(join(root, p))));
  if (sources > built) execFileSync("npm", ["run", "build:node"], { cwd: root, stdio: "pipe" });
}

function kiln(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: "utf8", env: { ...process.env, KILN_BACKEND: "" }, timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function writeNotebook(name: string, sources: string[]): string {
  const path = join(tmp, name);
  writeFileSync(path, serializeNotebook(notebookFromSources(sources)));
  return path;
}

beforeAll(ensureBuilt, 120_000);

describe("kiln run examples/tour.ipynb (CPU backend)", () => {
  interface CellReport {
    index: number;
    status: string;
    outputs: { output_type: string; name?: string; text?: string; data?: Record<string, unknown> }[];
  }
  let cells: CellReport[];
  let written: { cells: { cell_type: string; outputs?: unknown[]; execution_count?: number | null }[] };
  const textOf = (c: CellReport) => c.outputs.map((o) => o.text ?? (o.data?.["text/plain"] as string | undefined) ?? "").join("");
  const find = (pattern: RegExp) => cells.find((c) => pattern.test(textOf(c)));

  beforeAll(() => {
    const out = join(tmp, "tour.out.ipynb");
    const r = kiln(["run", "examples/tour.ipynb", "--json", "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    cells = JSON.parse(r.stdout).cells;
    written = JSON.parse(readFileSync(out, "utf8"));
  }, 120_000);

  it("runs every code cell without error", () => {
    expect(cells.length).toBeGreaterThan(20);
    expect(cells.filter((c) => c.status !== "ok")).toEqual([]);
  });

  it("lists the devices and says it shrank the matrix on the CPU", () => {
    expect(textOf(cells[0])).toBe("[ CpuDevice(id=0) ]");
    expect(textOf(cells[1])).toMatch(/^No hardware GPU \(CpuDevice\(id=0\)\): using a 500×500 matrix instead of 5000×5000\.\nArray\(\[\[/);
  });

  it("prints arrays as JAX does and plots a slice", () => {
    expect(find(/^Array\(\[\[ 1\.622642  ,  2\.0252647 , -0\.43359444, -0\.07861735\],/)).toBeDefined();
    const plotCell = cells.find((c) => c.outputs.some((o) => o.data?.["application/vnd.plotly.v1+json"]));
    const fig = plotCell!.outputs[0].data!["application/vnd.plotly.v1+json"] as { data: { y: number[] }[] };
    expect(fig.data[0].y).toHaveLength(100);
  });

  it("times the matmul and the plain-JS matmul in IPython's format", () => {
    const timings = cells.flatMap((c) => textOf(c).split("\n")).filter((l) => l.includes("per loop"));
    expect(timings.length).toBeGreaterThanOrEqual(4);
    for (const line of timings) expect(line).toMatch(/^\d+(\.\d+)? (ns|µs|ms|s) ± \d+(\.\d+)?(e[-+]\d+)? (ns|µs|ms|s) per loop \(mean ± std\. dev\. of 7 runs, [\d,]+ loops? each\)$/);
  });

  it("differentiates through JS control flow, to any order", () => {
    expect(textOf(find(/absVal|weak_type/)!)).toBe("[\n  Array(1., dtype=float32, weak_type=True),\n  Array(-1., dtype=float32, weak_type=True)\n]");
    const tanh = textOf(find(/^0\.4199743\n/)!);
    expect(tanh).toMatch(/^0\.4199743\n0\.62162\d*\nArray\(-5\.55689\d*, dtype=float32, weak_type=True\)$/);
  });

  it("trains the MLP: the loss falls, with eager grad and with jit(grad)", () => {
    const steps = [...textOf(find(/^step 0: loss/)!).matchAll(/loss (\d+\.\d+)/g)].map((m) => Number(m[1]));
    expect(steps).toHaveLength(5);
    for (let i = 1; i < steps.length; i++) expect(steps[i]).toBeLessThan(steps[i - 1]);
    const [before, after] = /loss (\d+\.\d+) → (\d+\.\d+)/.exec(textOf(find(/→/)!))!.slice(1).map(Number);
    expect(after).toBeLessThan(before);
    expect(after).toBeLessThan(steps[0] / 5);
  });

  it("prints the ConcretizationTypeError of value-dependent control flow under jit", () => {
    expect(textOf(find(/ConcretizationTypeError/)!)).toMatch(/^ConcretizationTypeError: Abstract tracer value encountered where concrete value is expected.*\n.*\nThe error occurred while tracing the function f for jit/);
  });

  it("shows the jaxprs of vmap and of pairwise distances, and per-example gradient shapes", () => {
    expect(find(/^\{ lambda ; a:f32\[5\]\. let b:f32\[5\] = sin a; c:f32\[5\] = mul b a in \(c,\) \}$/)).toBeDefined();
    expect(find(/^\[ 100, 100 \]$/)).toBeDefined();
    expect(find(/^\{ lambda ; a:f32\[100,3\]\. let\n/)).toBeDefined();
    expect(find(/w: \[ 128, 4, 32 \]/)!.outputs.at(-1)!.data!["text/plain"]).toBe(
      "[\n  { b: [ 128, 32 ], w: [ 128, 4, 32 ] },\n  { b: [ 128, 32 ], w: [ 128, 32, 32 ] },\n  { b: [ 128, 1 ], w: [ 128, 32, 1 ] }\n]",
    );
  });

  it("ends with the log2 jaxpr, exactly as JAX prints it", () => {
    const last = cells.at(-1)!.outputs[0].data!;
    const jaxpr = "{ lambda ; a:f32[]. let\n    b:f32[] = log a\n    c:f32[] = log 2.0:f32[]\n    d:f32[] = div b c\n  in (d,) }";
    expect(last["text/plain"]).toBe(jaxpr);
    expect(last["application/vnd.kiln.jaxpr"]).toBe(jaxpr);
  });

  it("--out writes a valid nbformat 4.5 notebook with the outputs", () => {
    expect(validateNotebook(written)).toEqual([]);
    const code = written.cells.filter((c) => c.cell_type === "code");
    expect(code.map((c) => c.execution_count)).toEqual(code.map((_, i) => i + 1));
    expect(code.every((c) => (c.outputs?.length ?? 0) > 0)).toBe(true);
    expect(written.cells.some((c) => c.cell_type === "markdown")).toBe(true);
  });
});

describe("kiln run: errors and options", () => {
  it("prints text outputs and stops at the first error with a non-zero status", () => {
    const nb = writeNotebook("fails.ipynb", ["console.log('one');\n1 + 1", "const bad: number = 1;\nbad.toFixed(-1)", "console.log('never');"]);
    const out = join(tmp, "fails.out.ipynb");
    const r = kiln(["run", nb, "--out", out]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("one\n2\n");
    expect(r.stderr).toContain("Cell [2], line 2, column 5\n----> 2 bad.toFixed(-1)\n            ^\n\nRangeError: toFixed() digits argument must be between 0 and 100\n");
    expect(r.stderr).toContain("kiln: stopped at cell 2/3 (the error is above); --keep-going runs the rest\n");
    const written = JSON.parse(readFileSync(out, "utf8"));
    expect(validateNotebook(written)).toEqual([]);
    expect(written.cells.map((c: { execution_count: number | null }) => c.execution_count)).toEqual([1, 2, null]);
  });

  it("--keep-going runs every cell and fails at the end", () => {
    const nb = writeNotebook("keep.ipynb", ["throw new Error('first')", "console.log('still ran')"]);
    const r = kiln(["run", nb, "--keep-going"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("still ran\n");
    expect(r.stderr).toMatch(/Error: first\nkiln: 1 of 2 cells failed\n$/);
  });

  it("usage errors exit with status 2", () => {
    const r = kiln(["run"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^kiln: missing the notebook to run\n\nUsage: kiln run NOTEBOOK\.ipynb/);
    expect(kiln(["run", "x.ipynb", "--backend", "tpu"]).stderr).toMatch(/--backend must be cpu or webgpu, not "tpu"/);
    expect(kiln(["run", join(tmp, "missing.ipynb")]).status).toBe(2);
  });

  it("shows cell N/M progress on a terminal, cleared before outputs", async () => {
    const nb = writeNotebook("tty.ipynb", ["console.log('a');", "'b'"]);
    let stdout = "";
    let stderr = "";
    const code = await main(["run", nb], { stdout: { write: (s: string) => (stdout += s), isTTY: true }, stderr: { write: (s: string) => (stderr += s), isTTY: true } });
    expect(code).toBe(0);
    expect(stdout).toBe("a\n'b'\n");
    expect(stderr).toBe("\r\x1b[2Kcell 1/2\r\x1b[2Kcell 1/2\r\x1b[2Kcell 2/2\r\x1b[2Kcell 2/2\r\x1b[2K");
  });
});

describe("kiln run examples/tour.ipynb --backend webgpu (Dawn on SwiftShader)", () => {
  interface CellReport {
    status: string;
    outputs: { text?: string; data?: Record<string, unknown> }[];
  }
  let cells: CellReport[] = [];
  const textOf = (c: CellReport) => c.outputs.map((o) => o.text ?? (o.data?.["text/plain"] as string | undefined) ?? "").join("");
  const all = () => cells.map(textOf).join("\n");

  beforeAll(() => {
    const r = kiln(["run", "examples/tour.ipynb", "--json", "--backend", "webgpu"]);
    expect(r.status).toBe(0);
    cells = JSON.parse(r.stdout).cells;
  }, 240_000);

  it("runs every code cell on a WebGPU device", () => {
    expect(cells.length).toBeGreaterThan(20);
    expect(cells.filter((c) => c.status !== "ok")).toEqual([]);
    expect(textOf(cells[0])).toMatch(/WebGpuDevice\(id=0, adapter="/);
  });

  it("gives the CPU's printed jaxprs, grads and falling loss", () => {
    expect(all()).toContain("{ lambda ; a:f32[5]. let b:f32[5] = sin a; c:f32[5] = mul b a in (c,) }");
    expect(all()).toMatch(/Array\(1\., dtype=float32, weak_type=True\),\n  Array\(-1\., dtype=float32, weak_type=True\)/);
    expect(all()).toMatch(/^0\.41997\d*$/m);
    const steps = [...all().matchAll(/step \d+: loss (\d+\.\d+)/g)].map((m) => Number(m[1]));
    expect(steps.length).toBe(5);
    for (let i = 1; i < steps.length; i++) expect(steps[i]).toBeLessThan(steps[i - 1]);
  });
});
