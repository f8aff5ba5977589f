// @kiln/plot — plot specs built in the worker, drawn with plotly.js on the page (DESIGN §1, §6).
// The worker half (this file) turns numbers — Kiln arrays, typed arrays or JS arrays — into a
// Plotly figure inside a MIME bundle; the DOM half (the only place that imports plotly.js,
// lazily) renders bundles of that MIME type. Kiln arrays are read with `dataSync()`, so this
// package never imports the engine.

/** The MIME type of a Plotly figure in a cell output bundle. */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** A Plotly line trace. */
export interface LineTrace {
  type: "scatter";
  mode: "lines";
  x: number[];
  y: number[];
  name?: string;
}

/** A Plotly scatter trace drawn with markers. */
export interface ScatterTrace {
  type: "scatter";
  mode: "markers";
  x: number[];
  y: number[];
  name?: string;
  marker?: { size?: number };
}

export interface HistogramTrace {
  type: "histogram";
  x: number[];
  name?: string;
  nbinsx?: number;
  histnorm?: "probability density";
}

export interface HeatmapTrace {
  type: "heatmap";
  z: number[][];
  x?: number[];
  y?: number[];
  colorscale: string;
  name?: string;
}

export type Trace = LineTrace | ScatterTrace | HistogramTrace | HeatmapTrace;

export interface Axis {
  title?: { text: string };
  autorange?: "reversed";
  scaleanchor?: "x";
  constrain?: "domain";
}

export interface Layout {
  title?: { text: string };
  xaxis?: Axis;
  yaxis?: Axis;
  barmode?: "overlay";
}

export interface Figure {
  data: Trace[];
  layout: Layout;
}

/** A cell output bundle carrying one Plotly figure. */
export interface PlotBundle {
  [PLOTLY_MIME]: Figure;
}

/** What the builders accept as numbers: a Kiln array, a typed array or a (nested) JS array. */
export type Values = ArrayLike<number> | ArrayLike<ArrayLike<number>> | KilnArrayLike;

/** The part of a Kiln array this package reads (structural: no import of @kiln/engine). */
export interface KilnArrayLike {
  readonly shape: readonly number[];
  dataSync(): ArrayLike<number>;
}

/** Options every builder takes. */
export interface CommonOptions {
  title?: string;
  xlabel?: string;
  ylabel?: string;
  name?: string;
}

function isKilnArray(v: unknown): v is KilnArrayLike {
  return typeof v === "object" && v !== null && typeof (v as KilnArrayLike).dataSync === "function" && Array.isArray((v as KilnArrayLike).shape);
}

/** Values and shape of any accepted input, flattened row-major. */
function read(v: Values, fn: string): { values: number[]; shape: number[] } {
  if (isKilnArray(v)) return { values: Array.from(v.dataSync(), Number), shape: [...v.shape] };
  if (typeof v !== "object" || v === null || typeof (v as ArrayLike<unknown>).length !== "number") {
    throw new TypeError(`${fn}: expected a Kiln array, a typed array or a JS array of numbers, got ${v === null ? "null" : typeof v}`);
  }
  const rows = v as ArrayLike<unknown>;
  if (rows.length > 0 && typeof rows[0] === "object" && rows[0] !== null) {
    const out: number[] = [];
    const width = (rows[0] as ArrayLike<number>).length;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as ArrayLike<number>;
      if (row.length !== width) throw new RangeError(`${fn}: row ${i} has ${row.length} values but row 0 has ${width}`);
      for (let j = 0; j < width; j++) out.push(Number(row[j]));
    }
    return { values: out, shape: [rows.length, width] };
  }
  return { values: Array.from(rows as ArrayLike<number>, Number), shape: [rows.length] };
}

function read1d(v: Values, fn: string, what: string): number[] {
  const { values, shape } = read(v, fn);
  if (shape.filter((d) => d !== 1).length > 1) throw new RangeError(`${fn}: ${what} must be one-dimensional, got shape (${shape.join(", ")})`);
  return values;
}

function read2d(v: Values, fn: string): number[][] {
  const { values, shape } = read(v, fn);
  if (shape.length !== 2) throw new RangeError(`${fn}: expected a 2-D array, got shape (${shape.join(", ")})`);
  const [rows, cols] = shape;
  return Array.from({ length: rows }, (_, i) => values.slice(i * cols, (i + 1) * cols));
}

function layoutOf(o: CommonOptions): Layout {
  const layout: Layout = {};
  if (o.title !== undefined) layout.title = { text: o.title };
  if (o.xlabel !== undefined) layout.xaxis = { title: { text: o.xlabel } };
  if (o.ylabel !== undefined) layout.yaxis = { title: { text: o.ylabel } };
  return layout;
}

function bundle(data: Trace[], layout: Layout): PlotBundle {
  return { [PLOTLY_MIME]: { data, layout } };
}

/**
 * A line plot of `y` against `x` (default: 0, 1, 2, …) as a MIME bundle the notebook can display.
 * Values are copied into plain arrays so the bundle survives structured cloning out of the worker.
 */
export function line(y: Values, options: CommonOptions & { x?: Values } = {}): PlotBundle {
  const ys = read1d(y, "line", "y");
  const xs = options.x === undefined ? ys.map((_, i) => i) : read1d(options.x, "line", "x");
  if (xs.length !== ys.length) {
    throw new RangeError(`line: x has ${xs.length} points but y has ${ys.length}`);
  }
  const trace: LineTrace = { type: "scatter", mode: "lines", x: xs, y: ys };
  if (options.name !== undefined) trace.name = options.name;
  return bundle([trace], layoutOf(options));
}

/** Points (x[i], y[i]) drawn as markers. */
export function scatter(x: Values, y: Values, options: CommonOptions & { size?: number } = {}): PlotBundle {
  const xs = read1d(x, "scatter", "x");
  const ys = read1d(y, "scatter", "y");
  if (xs.length !== ys.length) throw new RangeError(`scatter: x has ${xs.length} points but y has ${ys.length}`);
  const trace: ScatterTrace = { type: "scatter", mode: "markers", x: xs, y: ys };
  if (options.name !== undefined) trace.name = options.name;
  if (options.size !== undefined) trace.marker = { size: options.size };
  return bundle([trace], layoutOf(options));
}

/** A histogram of all the values (any shape, flattened); `bins` is the number of bins Plotly aims for. */
export function hist(values: Values, options: CommonOptions & { bins?: number; density?: boolean } = {}): PlotBundle {
  const trace: HistogramTrace = { type: "histogram", x: read(values, "hist").values };
  if (options.name !== undefined) trace.name = options.name;
  if (options.bins !== undefined) trace.nbinsx = options.bins;
  if (options.density) trace.histnorm = "probability density";
  return bundle([trace], layoutOf(options));
}

/** A 2-D array as coloured cells, row 0 at the bottom (Plotly's heatmap). */
export function heatmap(z: Values, options: CommonOptions & { x?: Values; y?: Values; colorscale?: string } = {}): PlotBundle {
  const trace: HeatmapTrace = { type: "heatmap", z: read2d(z, "heatmap"), colorscale: options.colorscale ?? "Viridis" };
  if (options.x !== undefined) trace.x = read1d(options.x, "heatmap", "x");
  if (options.y !== undefined) trace.y = read1d(options.y, "heatmap", "y");
  if (options.name !== undefined) trace.name = options.name;
  return bundle([trace], layoutOf(options));
}

/** A 2-D array as an image: row 0 at the top and square pixels, as matplotlib's imshow. */
export function imshow(z: Values, options: CommonOptions & { colorscale?: string } = {}): PlotBundle {
  const fig = heatmap(z, options)[PLOTLY_MIME];
  fig.layout.yaxis = { ...fig.layout.yaxis, autorange: "reversed", scaleanchor: "x", constrain: "domain" };
  fig.layout.xaxis = { ...fig.layout.xaxis, constrain: "domain" };
  return bundle(fig.data, fig.layout);
}

/** Several plots drawn on one set of axes; the first plot's layout wins where they differ. */
export function overlay(...plots: PlotBundle[]): PlotBundle {
  const data = plots.flatMap((p) => p[PLOTLY_MIME].data);
  const layout = Object.assign({}, ...plots.map((p) => p[PLOTLY_MIME].layout).reverse()) as Layout;
  if (data.some((t) => t.type === "histogram")) layout.barmode = "overlay";
  return bundle(data, layout);
}
