// @kiln/plot's DOM half: draws the Plotly figures that the worker half puts in MIME bundles
// (`application/vnd.plotly.v1+json`). It is the only module of Kiln that imports plotly.js, and it
// does so lazily — the first plot on a page downloads it, pages without plots never do. Figures
// get Kiln's look (transparent background, the page's font and colours, light or dark) unless
// their own layout says otherwise.
import type { PlotlyModule } from "./plotly.js";

/** A Plotly figure as the worker half emits it (data traces and a layout). */
export interface PlotFigure {
  data: readonly Record<string, unknown>[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
  frames?: readonly unknown[];
}

export interface RenderedPlot {
  /** Redraw with a new figure in the same element. */
  update(figure: unknown): Promise<void>;
  /** Remove the plot and its listeners. */
  dispose(): void;
}

export interface RenderOptions {
  /** Colours for a dark page (default: the page's prefers-color-scheme). */
  dark?: boolean;
}

let plotly: Promise<PlotlyModule> | null = null;

/** plotly.js, downloaded on first use (a separate chunk of the app). */
export function loadPlotly(): Promise<PlotlyModule> {
  plotly ??= import("plotly.js-cartesian-dist-min").then((m) => ((m as { default?: PlotlyModule }).default ?? (m as unknown as PlotlyModule)));
  plotly.catch(() => (plotly = null));
  return plotly;
}

/** Whether a value is a figure this module can draw; the message says what is wrong otherwise. */
export function checkFigure(figure: unknown): PlotFigure {
  if (typeof figure !== "object" || figure === null) throw new TypeError("a plot figure must be an object with a `data` list");
  const f = figure as Partial<PlotFigure>;
  if (!Array.isArray(f.data)) throw new TypeError("a plot figure needs a `data` list of traces");
  if (f.layout !== undefined && (typeof f.layout !== "object" || f.layout === null)) throw new TypeError("a plot figure's `layout` must be an object");
  return f as PlotFigure;
}

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/** Kiln's defaults under the figure's own layout (the figure wins where both say something). */
export function themedLayout(layout: Record<string, unknown> = {}, dark = false): Record<string, unknown> {
  const ink = dark ? "#d4d4d8" : "#27272a";
  const grid = dark ? "rgba(255,255,255,0.10)" : "rgba(0,0,0,0.08)";
  const axis = { gridcolor: grid, zerolinecolor: grid, linecolor: grid, automargin: true };
  const merged: Record<string, unknown> = {
    autosize: true,
    height: 320,
    margin: { l: 48, r: 16, t: layout.title ? 40 : 16, b: 40 },
    paper_bgcolor: "rgba(0,0,0,0)",
    plot_bgcolor: "rgba(0,0,0,0)",
    font: { family: FONT, size: 12, color: ink },
    colorway: ["#4f7cff", "#f28c28", "#2bb673", "#e5484d", "#8e6cef", "#12a5b8", "#d4a72c", "#7c7c86"],
    legend: { bgcolor: "rgba(0,0,0,0)" },
    ...layout,
  };
  for (const key of ["xaxis", "yaxis"]) merged[key] = { ...axis, ...((layout[key] as object | undefined) ?? {}) };
  return merged;
}

function prefersDark(): boolean {
  return globalThis.matchMedia?.("(prefers-color-scheme: dark)").matches ?? false;
}

/** Which render owns an element: a later render takes it over, an earlier one's dispose leaves it. */
const owners = new WeakMap<HTMLElement, symbol>();

/**
 * Draw a figure into `el` (loading plotly.js first if needed). Renders into the same element may
 * overlap (a component re-rendering while plotly loads): the latest one owns the element, and
 * the others neither draw into it nor clear it.
 */
export async function renderPlot(el: HTMLElement, figure: unknown, options: RenderOptions = {}): Promise<RenderedPlot> {
  const f = checkFigure(figure);
  const token = Symbol("plot");
  owners.set(el, token);
  const Plotly = await loadPlotly();
  const dark = options.dark ?? prefersDark();
  const draw = async (fig: PlotFigure): Promise<void> => {
    if (owners.get(el) !== token) return;
    const config = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["lasso2d", "select2d"], ...(fig.config ?? {}) };
    await Plotly.react(el, [...fig.data], themedLayout(fig.layout, dark), config);
  };
  await draw(f);
  return {
    update: (next) => draw(checkFigure(next)),
    dispose() {
      if (owners.get(el) !== token) return;
      owners.delete(el);
      Plotly.purge(el);
    },
  };
}
