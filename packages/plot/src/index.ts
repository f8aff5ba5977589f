// @kiln/plot — plot specs built in the worker, drawn with plotly.js on the page (DESIGN §1, §6).
// The worker half turns numbers into a Plotly figure inside a MIME bundle; the DOM half (later,
// the only place that imports plotly.js, lazily) renders bundles of that MIME type.

/** The MIME type of a Plotly figure in a cell output bundle. */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** A Plotly line trace (the subset this package emits so far). */
export interface LineTrace {
  type: "scatter";
  mode: "lines";
  x: number[];
  y: number[];
  name?: string;
}

/** A cell output bundle carrying one Plotly figure. */
export interface PlotBundle {
  [PLOTLY_MIME]: { data: LineTrace[]; layout: { title?: { text: string } } };
}

/**
 * A line plot of `y` against `x` (default: 0, 1, 2, …) as a MIME bundle the notebook can display.
 * Values are copied into plain arrays so the bundle survives structured cloning out of the worker.
 */
export function line(
  y: ArrayLike<number>,
  options: { x?: ArrayLike<number>; name?: string; title?: string } = {},
): PlotBundle {
  const ys = Array.from(y);
  const xs = options.x === undefined ? ys.map((_, i) => i) : Array.from(options.x);
  if (xs.length !== ys.length) {
    throw new RangeError(`line: x has ${xs.length} points but y has ${ys.length}`);
  }
  const trace: LineTrace = { type: "scatter", mode: "lines", x: xs, y: ys };
  if (options.name !== undefined) trace.name = options.name;
  const layout = options.title === undefined ? {} : { title: { text: options.title } };
  return { [PLOTLY_MIME]: { data: [trace], layout } };
}
