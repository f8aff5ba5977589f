// `kiln run notebook.ipynb [--backend cpu|webgpu] [--json] [--keep-going] [--out FILE.ipynb]`:
// executes a notebook headless in Node with the same kernel as the browser worker (DESIGN.md §1),
// prints each cell's text outputs (or, with --json, every output's MIME bundle), writes the
// outputs back with --out, and exits non-zero on the first error (at the end with --keep-going).
// On a terminal it shows which cell is running. Node-only: not part of the worker bundle.
import { readFile, writeFile } from "node:fs/promises";
import { Kernel } from "../runtime/kernel.js";
import { parseNotebook, serializeNotebook, type Notebook } from "../files/ipynb.js";
import { outputText, type Output } from "../output/types.js";
import type { ModuleTable } from "../cell/compile.js";

export interface CliIo {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
}

interface RunArgs {
  file: string;
  backend: "cpu" | "webgpu";
  json: boolean;
  keepGoing: boolean;
  out: string | null;
}

export const USAGE = `Usage: kiln run NOTEBOOK.ipynb [options]

Runs every code cell of a notebook in order, in Node, and prints the outputs.

Options:
  --backend cpu|webgpu  the engine's backend (default: cpu, or $KILN_BACKEND)
  --json                print all outputs as JSON (MIME bundles) instead of text
  --keep-going          run every cell even after an error (exit status 1 at the end)
  --out FILE.ipynb      write the notebook with its new outputs to FILE.ipynb
  -h, --help            show this help
`;

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): RunArgs {
  const [command, ...rest] = argv;
  if (command !== "run") throw new UsageError(command === undefined ? "missing command" : `unknown command "${command}"`);
  const args: RunArgs = { file: "", backend: (process.env.KILN_BACKEND as RunArgs["backend"]) || "cpu", json: false, keepGoing: false, out: null };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const value = (): string => {
      const v = a.includes("=") ? a.slice(a.indexOf("=") + 1) : rest[++i];
      if (v === undefined || v === "") throw new UsageError(`${a.split("=")[0]} needs a value`);
      return v;
    };
    if (a === "--json") args.json = true;
    else if (a === "--keep-going") args.keepGoing = true;
    else if (a === "--backend" || a.startsWith("--backend=")) args.backend = value() as RunArgs["backend"];
    else if (a === "--out" || a.startsWith("--out=")) args.out = value();
    else if (a.startsWith("-")) throw new UsageError(`unknown option ${a}`);
    else if (args.file === "") args.file = a;
    else throw new UsageError(`unexpected argument "${a}"`);
  }
  if (args.file === "") throw new UsageError("missing the notebook to run");
  if (args.backend !== "cpu" && args.backend !== "webgpu") throw new UsageError(`--backend must be cpu or webgpu, not "${args.backend}"`);
  return args;
}

/** Load the runtime's modules: the engine (initialized on the chosen backend) and plots. */
async function loadModules(backend: RunArgs["backend"]): Promise<ModuleTable> {
  const engine = await import("@kiln/engine");
  const plot = await import("@kiln/plot");
  await engine.init({ backend });
  return { "@kiln/engine": engine, "@kiln/plot": plot };
}

/** Run the CLI; resolves to the exit status. */
export async function main(argv: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  if (argv.includes("-h") || argv.includes("--help")) {
    io.stdout.write(USAGE);
    return 0;
  }
  let args: RunArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr.write(`kiln: ${e.message}\n\n${USAGE}`);
    return 2;
  }

  let nb: Notebook;
  try {
    nb = parseNotebook(await readFile(args.file, "utf8"));
  } catch (e) {
    io.stderr.write(`kiln: cannot read ${args.file}: ${(e as Error).message}\n`);
    return 2;
  }

  let modules: ModuleTable;
  try {
    modules = await loadModules(args.backend);
  } catch (e) {
    io.stderr.write(`kiln: cannot start the ${args.backend} backend: ${(e as Error).message}\n`);
    return 1;
  }

  const kernel = new Kernel({ modules });
  const codeCells = nb.cells.filter((c) => c.cell_type === "code");
  const progress = new Progress(io.stderr);
  const onSigint = () => {
    if (kernel.interruptFlag.isSet) process.exit(130);
    kernel.interrupt();
  };
  process.on("SIGINT", onSigint);

  let failures = 0;
  let stopped = false;
  const report: { index: number; id: string; execution_count: number | null; status: string; outputs: Output[] }[] = [];
  try {
    for (const [i, cell] of codeCells.entries()) {
      if (stopped) {
        cell.outputs = [];
        cell.execution_count = null;
        continue;
      }
      progress.show(`cell ${i + 1}/${codeCells.length}`);
      const result = await kernel.execute(cell.source, {
        onOutput: args.json ? undefined : (o) => progress.around(() => printOutput(o, io)),
      });
      cell.outputs = result.outputs;
      cell.execution_count = result.executionCount;
      report.push({ index: i + 1, id: cell.id, execution_count: result.executionCount, status: result.status, outputs: result.outputs });
      if (result.status === "error") {
        failures++;
        if (!args.keepGoing) stopped = true;
      }
    }
  } finally {
    progress.clear();
    process.off("SIGINT", onSigint);
  }

  if (args.json) io.stdout.write(JSON.stringify({ cells: report }, null, 1) + "\n");
  if (args.out !== null) {
    await writeFile(args.out, serializeNotebook(nb));
    if (!args.json) io.stderr.write(`kiln: wrote ${args.out}\n`);
  }
  if (failures > 0) {
    const ran = report.length;
    io.stderr.write(
      args.keepGoing
        ? `kiln: ${failures} of ${codeCells.length} cells failed\n`
        : `kiln: stopped at cell ${ran}/${codeCells.length} (the error is above)${ran < codeCells.length ? "; --keep-going runs the rest" : ""}\n`,
    );
    return 1;
  }
  return 0;
}

function printOutput(o: Output, io: CliIo): void {
  const text = outputText(o);
  if (text === null) return;
  if (o.output_type === "stream") (o.name === "stderr" ? io.stderr : io.stdout).write(text);
  else if (o.output_type === "error") io.stderr.write(text + "\n");
  else io.stdout.write(text.endsWith("\n") ? text : text + "\n");
}

/** A one-line status on a terminal's stderr, cleared before other output is printed. */
class Progress {
  private line = "";
  constructor(private readonly stream: CliIo["stderr"]) {}
  show(line: string): void {
    if (!this.stream.isTTY) return;
    this.line = line;
    this.stream.write(`\r\x1b[2K${line}`);
  }
  around(print: () => void): void {
    if (this.line && this.stream.isTTY) this.stream.write("\r\x1b[2K");
    print();
    if (this.line && this.stream.isTTY) this.stream.write(this.line);
  }
  clear(): void {
    if (this.line && this.stream.isTTY) this.stream.write("\r\x1b[2K");
    this.line = "";
  }
}
