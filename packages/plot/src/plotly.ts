// The small part of plotly.js's API that the DOM half uses, typed here (plotly ships no types).
export interface PlotlyModule {
  react(el: HTMLElement, data: Record<string, unknown>[], layout: Record<string, unknown>, config: Record<string, unknown>): Promise<unknown>;
  purge(el: HTMLElement): void;
}
