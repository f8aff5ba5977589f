// What the output views get from the app rather than import: the plot renderer (the DOM half of
// @kiln/plot, which loads plotly.js lazily) — so @kiln/ui stays free of plotly and tests can pass
// a fake.
import { createContext } from "react";

export interface PlotHandle {
  dispose(): void;
}

/** Draw a Plotly figure (the JSON of `application/vnd.plotly.v1+json`) into `el`. */
export type PlotRenderer = (el: HTMLElement, figure: unknown) => Promise<PlotHandle>;

export interface OutputRenderers {
  renderPlot: PlotRenderer | null;
}

export const OutputRenderersContext = createContext<OutputRenderers>({ renderPlot: null });
