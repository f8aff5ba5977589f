// `timeit(fn)`, IPython's %timeit for cells (DESIGN.md §4): the first call is timed on its own
// (it traces and compiles under jit), then loops grow 1, 10, 100, … until one run of them takes at
// least 0.2 s, then 7 runs of that many loops; every call waits for the device (blockUntilReady
// on its result) and may be async. Prints `51.2 µs ± 1.47 µs per loop (mean ± std. dev. of 7 runs,
// 10,000 loops each)` exactly as IPython does, with its warning about very uneven runs.

export interface TimeitOptions {
  /** Loops per run (default: the smallest power of ten whose run takes ≥ 0.2 s). */
  number?: number;
  /** Runs (default 7). */
  repeat?: number;
  /** Significant digits (default 3). */
  precision?: number;
  /** Do not print; just return the result. */
  quiet?: boolean;
}

/** The outcome of timeit, as IPython's TimeitResult; its string is the printed line. */
export class TimeitResult {
  /** Whether timeit already printed this result (a cell then shows no value for it). */
  printed = false;

  constructor(
    /** Loops per run. */
    readonly loops: number,
    /** Number of runs. */
    readonly repeat: number,
    /** Seconds per run of `loops` calls. */
    readonly allRuns: readonly number[],
    /** Seconds taken by the first call (tracing and compilation included). */
    readonly compileTime: number,
    readonly precision = 3,
  ) {}
  /** Seconds per loop, each run. */
  get timings(): number[] {
    return this.allRuns.map((t) => t / this.loops);
  }
  get average(): number {
    const t = this.timings;
    return t.reduce((a, b) => a + b, 0) / t.length;
  }
  get stdev(): number {
    const mean = this.average;
    const t = this.timings;
    return Math.sqrt(t.reduce((a, b) => a + (b - mean) ** 2, 0) / t.length);
  }
  get best(): number {
    return Math.min(...this.timings);
  }
  get worst(): number {
    return Math.max(...this.timings);
  }
  toString(): string {
    const p = this.precision;
    return (
      `${formatTime(this.average, p)} ± ${formatTime(this.stdev, p)} per loop (mean ± std. dev. of ${this.repeat} run${this.repeat === 1 ? "" : "s"}, ` +
      `${this.loops.toLocaleString("en-US")} loop${this.loops === 1 ? "" : "s"} each)`
    );
  }
  /** Displayed and logged as the line itself, like IPython's repr. */
  [Symbol.for("kiln.mimeBundle")](): Record<string, string> {
    return { "text/plain": this.toString() };
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

/** IPython's `_format_time`: three significant digits in s, ms, µs or ns; minutes and up as `1min 3s`. */
export function formatTime(timespan: number, precision = 3): string {
  if (timespan >= 60) {
    const parts: [string, number][] = [["d", 86400], ["h", 3600], ["min", 60], ["s", 1]];
    const out: string[] = [];
    let leftover = timespan;
    for (const [suffix, length] of parts) {
      const value = Math.trunc(leftover / length);
      if (value > 0) {
        leftover = leftover % length;
        out.push(`${value}${suffix}`);
      }
      if (leftover < 1) break;
    }
    return out.join(" ");
  }
  const units = ["s", "ms", "\u00b5s", "ns"];
  const scaling = [1, 1e3, 1e6, 1e9];
  // Python: -int(math.floor(math.log10(t)) // 3), with floor division.
  const order = timespan > 0 ? Math.min(-Math.floor(Math.floor(Math.log10(timespan)) / 3), 3) : 3;
  return `${formatG(timespan * scaling[order], precision)} ${units[order]}`;
}

/** C's / Python's `%.*g`. */
export function formatG(x: number, precision: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const p = Math.max(precision, 1);
  const [mantissa, expStr] = x.toExponential(p - 1).split("e");
  const exp = Number(expStr);
  const strip = (s: string) => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
  if (exp < -4 || exp >= p) return `${strip(mantissa)}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  return strip(x.toFixed(p - 1 - exp));
}

export interface TimeitDeps {
  /** Wait for the device: the engine's blockUntilReady over any pytree. */
  blockUntilReady: (value: unknown) => Promise<unknown>;
  /** Print a line to the cell's stdout. */
  print: (line: string) => void;
  /** Raise KeyboardInterrupt if the cell was interrupted. */
  check: () => void;
  /** Seconds, monotonic. */
  now?: () => number;
}

export async function timeit(fn: () => unknown, options: TimeitOptions, deps: TimeitDeps): Promise<TimeitResult> {
  if (typeof fn !== "function") throw new TypeError("timeit(fn): pass a function, e.g. timeit(() => f(x))");
  const now = deps.now ?? (() => performance.now() / 1000);
  const call = async (): Promise<void> => {
    let r = fn();
    if (r !== null && typeof r === "object" && typeof (r as PromiseLike<unknown>).then === "function") r = await r;
    await deps.blockUntilReady(r);
  };
  const time = async (n: number): Promise<number> => {
    deps.check();
    const t0 = now();
    for (let i = 0; i < n; i++) await call();
    return now() - t0;
  };
  const t0 = now();
  await call();
  const compileTime = now() - t0;

  let number = options.number ?? 0;
  if (number <= 0) {
    for (let index = 0; index < 10; index++) {
      number = 10 ** index;
      if ((await time(number)) >= 0.2) break;
    }
  }
  const repeat = options.repeat ?? 7;
  const runs: number[] = [];
  for (let r = 0; r < repeat; r++) runs.push(await time(number));
  const result = new TimeitResult(number, repeat, runs, compileTime, options.precision ?? 3);
  if (!options.quiet) {
    const { best, worst } = result;
    if (worst > 4 * best && best > 0 && worst > 1e-6) {
      deps.print(
        `The slowest run took ${(worst / best).toFixed(2)} times longer than the fastest. This could mean that an intermediate result is being cached.`,
      );
    }
    deps.print(result.toString());
    deps.print(`Compile time (first call): ${formatTime(compileTime, result.precision)}`);
    result.printed = true;
  }
  return result;
}
