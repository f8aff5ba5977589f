// The kernel: one notebook's execution state (the shared scope, the execution counter, the cells
// compiled so far) and `execute`, which runs one cell at a time and returns its outputs as
// nbformat outputs. The same class serves the browser worker and `kiln run` in Node; the engine
// and plot modules are passed in, so cells import the runtime's own instances.
import { compileCell, type CellRuntime, type CompiledCell, type ModuleTable } from "../cell/compile.js";
import { HTML, MimeFormatter, type EngineClasses } from "../output/mime.js";
import type { ErrorOutput, MimeBundle, Output } from "../output/types.js";
import { createConsole, DEFAULT_STREAM_LIMIT, OutputCollector } from "./console.js";
import { errorOutput, ImportError, KeyboardInterrupt } from "./errors.js";
import { InterruptFlag } from "./interrupt.js";
import { timeit, TimeitResult, type TimeitOptions } from "./timeit.js";

export interface KernelOptions {
  /** Modules cells may import, e.g. `{ "@kiln/engine": engine, "@kiln/plot": plot }`. */
  modules: ModuleTable;
  /** The interrupt flag (shared with the page when cross-origin isolated). */
  interrupt?: InterruptFlag;
  /** Stream characters kept per cell (default 1 MB). */
  streamLimit?: number;
  /** Also capture `globalThis.console` while a cell runs (library logging). Default true. */
  captureGlobalConsole?: boolean;
}

export interface ExecuteOptions {
  /** How tracebacks name the cell (default `Cell [n]`, n the execution count). */
  label?: string;
  /** Compile as TSX. */
  jsx?: boolean;
  /** Called with each output as it is produced (stream text in pieces). */
  onOutput?: (output: Output) => void;
}

export interface ExecuteResult {
  status: "ok" | "error";
  executionCount: number;
  /** All outputs, consecutive stream text merged. */
  outputs: Output[];
  error?: ErrorOutput;
  /** Wall time of the cell in milliseconds. */
  durationMs: number;
}

const BUILTINS = ["display", "timeit", "HTML", "console"] as const;
const KEEP_COMPILED = 1000;
const INTERRUPT_POLL_MS = 25;
/** Polls an interrupted cell gets to stop by itself before the kernel stops waiting for it. */
const INTERRUPT_GRACE_TICKS = 4;

interface Execution {
  collector: OutputCollector;
  interrupted: boolean;
  check: () => void;
}

export class Kernel {
  readonly interruptFlag: InterruptFlag;
  private scopeObject: Record<string, unknown> = Object.create(null);
  private count = 0;
  private readonly compiled = new Map<string, CompiledCell>();
  private current: Execution | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly formatter: MimeFormatter;
  private readonly console;
  private readonly modules: ModuleTable;

  constructor(private readonly options: KernelOptions) {
    this.modules = options.modules;
    this.interruptFlag = options.interrupt ?? InterruptFlag.create();
    this.formatter = new MimeFormatter(this.modules["@kiln/engine"] as EngineClasses | undefined);
    this.console = createConsole(() => this.current?.collector ?? null, this.formatter.inspectOptions);
  }

  /** The shared scope: every name the cells have defined. */
  get scope(): Record<string, unknown> {
    return this.scopeObject;
  }

  get executionCount(): number {
    return this.count;
  }

  /** Forget every definition (the page's "restart" without respawning the worker). */
  reset(): void {
    this.scopeObject = Object.create(null);
    this.count = 0;
    this.compiled.clear();
  }

  /** Interrupt the running cell (also what setting the shared flag from the page does). */
  interrupt(): void {
    this.interruptFlag.set();
  }

  /** The bundle a value displays as (what `display(value)` shows). */
  mimeBundle(value: unknown): MimeBundle | null {
    return this.formatter.bundle(value);
  }

  /** Run one cell. Cells run one at a time, in the order they were submitted. */
  execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    const run = this.queue.then(() => this.run(code, options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(code: string, options: ExecuteOptions): Promise<ExecuteResult> {
    const executionCount = ++this.count;
    const label = options.label ?? `Cell [${executionCount}]`;
    const collector = new OutputCollector(options.onOutput, this.options.streamLimit ?? DEFAULT_STREAM_LIMIT);
    const flag = this.interruptFlag;
    const exec: Execution = {
      collector,
      interrupted: false,
      check: () => {
        if (exec.interrupted || flag.isSet) {
          exec.interrupted = true;
          throw new KeyboardInterrupt();
        }
      },
    };
    const started = performance.now();
    const restore = this.captureGlobals(exec);
    this.current = exec;
    let error: ErrorOutput | undefined;
    try {
      const cell = compileCell(code, { label, modules: this.modules, builtins: BUILTINS, jsx: options.jsx });
      this.compiled.set(cell.sourceUrl, cell);
      if (this.compiled.size > KEEP_COMPILED) this.compiled.delete(this.compiled.keys().next().value!);
      const value = await this.raceInterrupt(exec, cell.run(this.scopeObject, this.cellRuntime(exec), this.builtins(exec)));
      exec.check();
      if (cell.hasResult && !(value instanceof TimeitResult && value.printed)) {
        const data = this.formatter.bundle(value);
        if (data) collector.add({ output_type: "execute_result", execution_count: executionCount, data, metadata: {} });
      }
    } catch (e) {
      error = errorOutput(e, (url) => this.compiled.get(url));
      collector.add(error);
    } finally {
      if (this.current === exec) this.current = null;
      restore();
      flag.clear();
    }
    return { status: error ? "error" : "ok", executionCount, outputs: collector.outputs, error, durationMs: performance.now() - started };
  }

  /**
   * Settle with the cell, or stop waiting for it once an interrupt arrives: the cell gets a moment
   * to reach its own next check (so the traceback shows where it was), then is abandoned.
   */
  private raceInterrupt<T>(exec: Execution, work: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let graceTicks = -1;
      const timer = setInterval(() => {
        if (graceTicks < 0 && (exec.interrupted || this.interruptFlag.isSet)) {
          exec.interrupted = true;
          graceTicks = INTERRUPT_GRACE_TICKS;
        }
        if (graceTicks >= 0 && graceTicks-- === 0) {
          clearInterval(timer);
          reject(new KeyboardInterrupt());
        }
      }, INTERRUPT_POLL_MS);
      work.then(
        (v) => {
          clearInterval(timer);
          resolve(v);
        },
        (e) => {
          clearInterval(timer);
          reject(e);
        },
      );
    });
  }

  private cellRuntime(exec: Execution): CellRuntime {
    return {
      check: exec.check,
      afterAwait: <T>(v: T): T => {
        exec.check();
        return v;
      },
      module: (specifier) => this.modules[specifier],
      dynamicImport: async (specifier) => {
        const mod = this.modules[specifier];
        if (mod === undefined) throw new ImportError(`Cannot find module "${specifier}": notebook cells can import only ${Object.keys(this.modules).map((m) => `"${m}"`).join(" and ")}.`);
        return mod;
      },
    };
  }

  private builtins(exec: Execution): unknown[] {
    const engine = this.modules["@kiln/engine"] as { blockUntilReady?: (v: unknown) => Promise<unknown> } | undefined;
    const display = (...values: unknown[]): void => {
      for (const v of values) {
        const data = this.formatter.bundle(v);
        if (data) exec.collector.add({ output_type: "display_data", data, metadata: {} });
      }
    };
    const timeitBuiltin = (fn: () => unknown, opts: TimeitOptions = {}) =>
      timeit(fn, opts, {
        blockUntilReady: engine?.blockUntilReady ?? (async (v) => v),
        print: (line) => exec.collector.write("stdout", line + "\n"),
        check: exec.check,
      });
    // Works with and without `new`, as IPython's HTML(...) reads.
    const html = function (markup: string) {
      return new HTML(markup);
    };
    const values: Record<(typeof BUILTINS)[number], unknown> = { display, timeit: timeitBuiltin, HTML: html, console: this.console };
    return BUILTINS.map((name) => values[name]);
  }

  /** Route the global console into the cell while it runs, and raise the stack depth for tracebacks. */
  private captureGlobals(exec: Execution): () => void {
    const limit = Error.stackTraceLimit;
    if (typeof limit === "number" && limit < 50) Error.stackTraceLimit = 50;
    const patched: [keyof Console, unknown][] = [];
    if (this.options.captureGlobalConsole !== false) {
      const g = globalThis.console as unknown as Record<string, unknown>;
      const c = this.console as unknown as Record<string, unknown>;
      for (const name of ["log", "info", "debug", "warn", "error"] as const) {
        patched.push([name, g[name]]);
        g[name] = (...args: unknown[]) => (this.current === exec ? (c[name] as (...a: unknown[]) => void)(...args) : (patched.find((p) => p[0] === name)![1] as (...a: unknown[]) => void)(...args));
      }
    }
    return () => {
      Error.stackTraceLimit = limit;
      const g = globalThis.console as unknown as Record<string, unknown>;
      for (const [name, fn] of patched) g[name] = fn;
    };
  }
}
