// The DOM half's pure parts: figures are checked before plotly sees them, and Kiln's look goes
// under the figure's own layout without overriding it. (Drawing is covered by the e2e specs.)
import { describe, expect, it } from "vitest";
import { checkFigure, themedLayout } from "../src/dom.js";
import { line, PLOTLY_MIME } from "../src/index.js";

describe("checkFigure", () => {
  it("accepts what the worker half emits", () => {
    const fig = line([1, 2, 3], { title: "t" })[PLOTLY_MIME];
    expect(checkFigure(fig)).toBe(fig);
  });

  it("says what is wrong with anything else", () => {
    expect(() => checkFigure(null)).toThrow("a plot figure must be an object with a `data` list");
    expect(() => checkFigure({ layout: {} })).toThrow("a plot figure needs a `data` list of traces");
    expect(() => checkFigure({ data: [], layout: 3 })).toThrow("a plot figure's `layout` must be an object");
  });
});

describe("themedLayout", () => {
  it("puts Kiln's defaults under the figure's layout", () => {
    const layout = themedLayout({ title: { text: "loss" }, height: 500, xaxis: { title: { text: "step" } } }, false);
    expect(layout.height).toBe(500);
    expect(layout.title).toEqual({ text: "loss" });
    expect(layout.paper_bgcolor).toBe("rgba(0,0,0,0)");
    expect(layout.xaxis).toMatchObject({ title: { text: "step" }, automargin: true });
    expect((layout.margin as { t: number }).t).toBe(40);
  });

  it("uses light ink on dark pages", () => {
    expect((themedLayout({}, true).font as { color: string }).color).toBe("#d4d4d8");
    expect((themedLayout({}, false).font as { color: string }).color).toBe("#27272a");
  });
});
