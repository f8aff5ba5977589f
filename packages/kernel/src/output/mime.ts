// Values as MIME bundles (DESIGN.md §6): Kiln arrays as JAX's repr plus a JSON summary for rich
// views, jaxprs in their own type, plot specs as Plotly figures, sanitized HTML, and everything
// else as text from the inspect formatter. Objects can supply their own bundle through
// `[Symbol.for("kiln.mimeBundle")]()`, as IPython's `_repr_mimebundle_`.
import { inspect, type InspectOptions } from "./inspect.js";
import { sanitizeHtml } from "./sanitize_html.js";
import { MIME, type MimeBundle } from "./types.js";

/** Objects may return their own bundle from this method. */
export const MIME_BUNDLE = Symbol.for("kiln.mimeBundle");

/** The parts of @kiln/engine the formatter recognizes (passed in: the kernel never imports it). */
export interface EngineClasses {
  Array?: abstract new (...args: never[]) => object;
  ClosedJaxpr?: abstract new (...args: never[]) => object;
  Jaxpr?: abstract new (...args: never[]) => object;
}

/** `HTML("<b>hi</b>")`: markup to display (sanitized before it leaves the worker). */
export class HTML {
  constructor(readonly html: string) {}
  [MIME_BUNDLE](): MimeBundle {
    return { [MIME.html]: sanitizeHtml(this.html), [MIME.text]: htmlToText(this.html) };
  }
}

/** Summary of a Kiln array for `application/vnd.kiln.array+json`. */
export interface ArraySummary {
  shape: number[];
  dtype: string;
  weakType: boolean;
  /** Nested values as numpy prints them: arrays above 1000 elements keep 3 items at each edge, "..." between. */
  preview: unknown;
}

interface KilnArrayLike {
  shape: readonly number[];
  dtype: string;
  weakType?: boolean;
  size: number;
  repr(): string;
  dataSync(): ArrayLike<number>;
}

const SUMMARY_THRESHOLD = 1000;
const EDGE_ITEMS = 3;
const MAX_OUTPUT_CHARS = 8_000_000;

export class MimeFormatter {
  constructor(private readonly engine: EngineClasses = {}) {}

  /** Options that make `inspect` print Kiln values as the notebook does (nested arrays, devices). */
  readonly inspectOptions: InspectOptions = { special: (v) => this.specialText(v) };

  inspect(value: unknown): string {
    return inspect(value, this.inspectOptions);
  }

  /** The bundle for a value; null for `undefined` (a cell without a value shows nothing). */
  bundle(value: unknown): MimeBundle | null {
    if (value === undefined) return null;
    const custom = typeof value === "object" && value !== null ? (value as Record<symbol, unknown>)[MIME_BUNDLE] : undefined;
    let bundle: MimeBundle;
    if (typeof custom === "function") bundle = this.rawBundle(custom.call(value) as MimeBundle);
    else if (this.isArray(value)) bundle = this.arrayBundle(value);
    else if (this.isJaxpr(value)) bundle = { [MIME.text]: String(value), [MIME.jaxpr]: String(value) };
    else if (isMimeBundle(value)) bundle = this.rawBundle(value);
    else bundle = { [MIME.text]: this.inspect(value) };
    return capSize(bundle);
  }

  private specialText(v: unknown): string | undefined {
    if (this.isArray(v)) return safeRepr(v);
    if (this.isJaxpr(v)) return String(v);
    if (isDevice(v)) return String(v);
    return undefined;
  }

  private isArray(v: unknown): v is KilnArrayLike {
    if (typeof v !== "object" || v === null) return false;
    if (this.engine.Array) return v instanceof this.engine.Array;
    const a = v as Partial<KilnArrayLike>;
    return Array.isArray(a.shape) && typeof a.dtype === "string" && typeof a.repr === "function" && typeof a.dataSync === "function";
  }

  private isJaxpr(v: unknown): boolean {
    const { ClosedJaxpr, Jaxpr } = this.engine;
    return (ClosedJaxpr !== undefined && v instanceof ClosedJaxpr) || (Jaxpr !== undefined && v instanceof Jaxpr);
  }

  private arrayBundle(x: KilnArrayLike): MimeBundle {
    let data: ArrayLike<number>;
    try {
      data = x.dataSync();
    } catch {
      // A tracer that escaped a transformation: it has a type but no values.
      return { [MIME.text]: String(x) };
    }
    const summary: ArraySummary = { shape: [...x.shape], dtype: x.dtype, weakType: x.weakType ?? false, preview: preview(data, x.shape, x.dtype) };
    return { [MIME.text]: x.repr(), [MIME.array]: summary };
  }

  private rawBundle(b: MimeBundle): MimeBundle {
    const out: MimeBundle = { ...b };
    if (typeof out[MIME.html] === "string") out[MIME.html] = sanitizeHtml(out[MIME.html] as string);
    if (out[MIME.text] === undefined) {
      if (out[MIME.plotly] !== undefined) out[MIME.text] = plotlyText(out[MIME.plotly]);
      else if (typeof out[MIME.html] === "string") out[MIME.text] = htmlToText(out[MIME.html] as string);
      else out[MIME.text] = `<${Object.keys(b).join(", ")}>`;
    }
    return out;
  }
}

/** A plain object whose keys are all MIME types, e.g. what `plot.line` returns. */
export function isMimeBundle(v: unknown): v is MimeBundle {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  const keys = Object.keys(v);
  return keys.length > 0 && keys.every((k) => /^[a-z]+\/[a-zA-Z0-9.+_-]+$/.test(k));
}

function isDevice(v: unknown): boolean {
  if (typeof v !== "object" || v === null) return false;
  const d = v as { id?: unknown; platform?: unknown; toString: unknown };
  return typeof d.id === "number" && typeof d.platform === "string" && d.toString !== Object.prototype.toString;
}

function safeRepr(x: KilnArrayLike): string {
  try {
    return x.repr();
  } catch {
    return String(x);
  }
}

function jsonScalar(v: number, dtype: string): unknown {
  if (dtype === "bool") return v !== 0;
  if (Number.isNaN(v)) return "nan";
  if (v === Infinity) return "inf";
  if (v === -Infinity) return "-inf";
  return v;
}

/** Nested values, summarized like numpy's printing above 1000 elements. */
export function preview(data: ArrayLike<number>, shape: readonly number[], dtype: string): unknown {
  const size = shape.reduce((a, b) => a * b, 1);
  const summarize = size > SUMMARY_THRESHOLD;
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const rec = (offset: number, axis: number): unknown => {
    if (axis === shape.length) return jsonScalar(data[offset], dtype);
    const n = shape[axis];
    const idx: (number | null)[] = [];
    if (summarize && n > 2 * EDGE_ITEMS) {
      for (let i = 0; i < EDGE_ITEMS; i++) idx.push(i);
      idx.push(null);
      for (let i = n - EDGE_ITEMS; i < n; i++) idx.push(i);
    } else for (let i = 0; i < n; i++) idx.push(i);
    return idx.map((i) => (i === null ? "..." : rec(offset + i * strides[axis], axis + 1)));
  };
  return rec(0, 0);
}

function plotlyText(fig: unknown): string {
  const data = (fig as { data?: { type?: string }[] })?.data ?? [];
  const types = [...new Set(data.map((t) => t.type ?? "scatter"))].join(", ");
  return `<Figure: ${data.length} trace${data.length === 1 ? "" : "s"}${types ? ` (${types})` : ""}>`;
}

function htmlToText(html: string): string {
  return sanitizeHtml(html)
    .replace(/<(br|\/p|\/div|\/tr|\/li|\/h[1-6])\b[^>]*>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .trim();
}

/** Replace an output above the per-output limit (8 MB) by a note saying so. */
function capSize(bundle: MimeBundle): MimeBundle {
  let size = 0;
  for (const v of Object.values(bundle)) size += typeof v === "string" ? v.length : JSON.stringify(v)?.length ?? 0;
  if (size <= MAX_OUTPUT_CHARS) return bundle;
  const mb = (size / 1e6).toFixed(1);
  return { [MIME.text]: `[output not shown: it is ${mb} MB; the limit is ${MAX_OUTPUT_CHARS / 1e6} MB per output]` };
}
