// Tests for the worker half's figure builders: scatter, hist, heatmap, imshow, overlay, and
// reading Kiln arrays (anything with `shape` and `dataSync()`) as well as JS and typed arrays.
import { describe, expect, it } from "vitest";
import { heatmap, hist, imshow, line, overlay, PLOTLY_MIME, scatter, type KilnArrayLike } from "../src/index.js";

/** Stands in for a Kiln array: the builders only read `shape` and `dataSync()`. */
function kilnArray(values: number[], shape: number[]): KilnArrayLike {
  return { shape, dataSync: () => Float32Array.from(values) };
}

describe("figure builders", () => {
  it("line reads Kiln arrays and takes axis labels", () => {
    const fig = line(kilnArray([3, 1, 2], [3]), { x: kilnArray([10, 20, 30], [3]), xlabel: "step", ylabel: "loss" })[PLOTLY_MIME];
    expect(fig).toEqual({
      data: [{ type: "scatter", mode: "lines", x: [10, 20, 30], y: [3, 1, 2] }],
      layout: { xaxis: { title: { text: "step" } }, yaxis: { title: { text: "loss" } } },
    });
  });

  it("line refuses 2-D data", () => {
    expect(() => line(kilnArray([1, 2, 3, 4], [2, 2]))).toThrow("line: y must be one-dimensional, got shape (2, 2)");
  });

  it("scatter draws markers", () => {
    const fig = scatter([1, 2], new Float64Array([3, 4]), { name: "pts", size: 4 })[PLOTLY_MIME];
    expect(fig.data).toEqual([{ type: "scatter", mode: "markers", x: [1, 2], y: [3, 4], name: "pts", marker: { size: 4 } }]);
    expect(() => scatter([1], [1, 2])).toThrow(/x has 1 points but y has 2/);
  });

  it("hist flattens any shape and passes bins and density", () => {
    const fig = hist(kilnArray([1, 2, 3, 4], [2, 2]), { bins: 10, density: true, title: "h" })[PLOTLY_MIME];
    expect(fig).toEqual({ data: [{ type: "histogram", x: [1, 2, 3, 4], nbinsx: 10, histnorm: "probability density" }], layout: { title: { text: "h" } } });
  });

  it("heatmap and imshow take 2-D arrays, nested JS arrays included", () => {
    const z = [[1, 2, 3], [4, 5, 6]];
    expect(heatmap(kilnArray([1, 2, 3, 4, 5, 6], [2, 3]))[PLOTLY_MIME].data).toEqual([{ type: "heatmap", z, colorscale: "Viridis" }]);
    const img = imshow(z, { colorscale: "Greys" })[PLOTLY_MIME];
    expect(img.data).toEqual([{ type: "heatmap", z, colorscale: "Greys" }]);
    expect(img.layout).toEqual({ xaxis: { constrain: "domain" }, yaxis: { autorange: "reversed", scaleanchor: "x", constrain: "domain" } });
    expect(() => heatmap([1, 2, 3])).toThrow("heatmap: expected a 2-D array, got shape (3)");
    expect(() => heatmap([[1, 2], [3]])).toThrow("heatmap: row 1 has 1 values but row 0 has 2");
  });

  it("overlay puts several plots on one set of axes", () => {
    const fig = overlay(line([1, 2], { name: "train", title: "loss" }), line([2, 3], { name: "test" }))[PLOTLY_MIME];
    expect(fig.data.map((t) => t.name)).toEqual(["train", "test"]);
    expect(fig.layout).toEqual({ title: { text: "loss" } });
  });

  it("bundles survive structured cloning and JSON", () => {
    const b = imshow([[1, 2], [3, 4]]);
    expect(structuredClone(b)).toEqual(b);
    expect(JSON.parse(JSON.stringify(b))).toEqual(b);
  });
});
