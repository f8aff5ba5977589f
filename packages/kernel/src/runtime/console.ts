// Per-cell capture of console output as nbformat stream outputs: log/info/debug to stdout,
// warn/error/trace to stderr, formatted as Node's console formats them, capped per cell (1 MB by
// default) with a visible note when output is dropped. Cells see this console instead of the
// global one; functions defined in one cell and called from another print into the running cell.
import { formatLog, type InspectOptions } from "../output/inspect.js";
import type { Output, StreamOutput } from "../output/types.js";

export const DEFAULT_STREAM_LIMIT = 1_000_000;

/** Collects one execution's outputs, merging consecutive stream text as Jupyter does. */
export class OutputCollector {
  readonly outputs: Output[] = [];
  private streamChars = 0;
  private truncated = false;

  constructor(
    private readonly onOutput: ((o: Output) => void) | undefined,
    private readonly streamLimit: number = DEFAULT_STREAM_LIMIT,
  ) {}

  write(name: StreamOutput["name"], text: string): void {
    if (this.truncated || text.length === 0) return;
    if (this.streamChars + text.length > this.streamLimit) {
      const keep = text.slice(0, Math.max(0, this.streamLimit - this.streamChars));
      const limit = this.streamLimit >= 1e6 ? `${this.streamLimit / 1e6} MB` : `${Math.round(this.streamLimit / 1e3)} kB`;
      text = `${keep}\n[output truncated: this cell printed more than ${limit}; the rest was dropped]\n`;
      this.truncated = true;
    }
    this.streamChars += text.length;
    const last = this.outputs.at(-1);
    if (last?.output_type === "stream" && last.name === name) last.text += text;
    else this.outputs.push({ output_type: "stream", name, text });
    this.onOutput?.({ output_type: "stream", name, text });
  }

  add(o: Output): void {
    this.outputs.push(o);
    this.onOutput?.(o);
  }
}

export interface CapturedConsole {
  log(...args: unknown[]): void;
  info(...args: unknown[]): void;
  debug(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  trace(...args: unknown[]): void;
  dir(value: unknown): void;
  table(value: unknown): void;
  assert(condition: unknown, ...args: unknown[]): void;
  group(...args: unknown[]): void;
  groupCollapsed(...args: unknown[]): void;
  groupEnd(): void;
  count(label?: string): void;
  countReset(label?: string): void;
  time(label?: string): void;
  timeLog(label?: string, ...args: unknown[]): void;
  timeEnd(label?: string): void;
}

/** A console whose output goes to whichever collector `current()` returns (the running cell's). */
export function createConsole(current: () => OutputCollector | null, options: InspectOptions, fallback: Console = globalThis.console): CapturedConsole {
  let indent = "";
  const counts = new Map<string, number>();
  const timers = new Map<string, number>();
  const emit = (name: StreamOutput["name"], args: readonly unknown[]): void => {
    let text = formatLog(args, options);
    if (indent) text = indent + text.replace(/\n/g, `\n${indent}`);
    const sink = current();
    if (sink) sink.write(name, text + "\n");
    else (name === "stdout" ? fallback.log : fallback.error).call(fallback, text);
  };
  const elapsed = (label: string): string | null => {
    const start = timers.get(label);
    return start === undefined ? null : `${label}: ${(performance.now() - start).toFixed(3)}ms`;
  };
  return {
    log: (...a) => emit("stdout", a),
    info: (...a) => emit("stdout", a),
    debug: (...a) => emit("stdout", a),
    warn: (...a) => emit("stderr", a),
    error: (...a) => emit("stderr", a),
    trace: (...a) => {
      const stack = (new Error().stack ?? "").split("\n").slice(2).join("\n");
      emit("stderr", [`Trace${a.length ? ": " + formatLog(a, options) : ""}\n${stack}`]);
    },
    dir: (v) => emit("stdout", [v === undefined || typeof v !== "string" ? v : `'${v}'`]),
    table: (v) => emit("stdout", [v]),
    assert: (cond, ...a) => {
      if (!cond) emit("stderr", a.length ? [`Assertion failed: ${formatLog(a, options)}`] : ["Assertion failed"]);
    },
    group: (...a) => {
      if (a.length) emit("stdout", a);
      indent += "  ";
    },
    groupCollapsed: (...a) => {
      if (a.length) emit("stdout", a);
      indent += "  ";
    },
    groupEnd: () => {
      indent = indent.slice(2);
    },
    count: (label = "default") => {
      const n = (counts.get(label) ?? 0) + 1;
      counts.set(label, n);
      emit("stdout", [`${label}: ${n}`]);
    },
    countReset: (label = "default") => {
      counts.delete(label);
    },
    time: (label = "default") => {
      timers.set(label, performance.now());
    },
    timeLog: (label = "default", ...a) => {
      const t = elapsed(label);
      emit(t ? "stdout" : "stderr", t ? [t, ...a] : [`Warning: No such label '${label}' for console.timeLog()`]);
    },
    timeEnd: (label = "default") => {
      const t = elapsed(label);
      emit(t ? "stdout" : "stderr", [t ?? `Warning: No such label '${label}' for console.timeEnd()`]);
      timers.delete(label);
    },
  };
}
