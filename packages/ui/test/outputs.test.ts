// @vitest-environment happy-dom
// Output views in a DOM: each MIME type gets its view, HTML is sanitized on the page too, big
// arrays expand into a grid, and plots go to the renderer the app provides (plotly stays out).
import { afterEach, describe, expect, it, vi } from "vitest";
import { OutputArea, OutputRenderersContext, sanitizeToFragment, type Output } from "../src/index.js";
import { click, h, mount, settle, type Mounted } from "./render.js";

let mounted: Mounted | null = null;
afterEach(() => {
  mounted?.unmount();
  mounted = null;
});

const show = async (outputs: Output[], renderPlot: ((el: HTMLElement, fig: unknown) => Promise<{ dispose(): void }>) | null = null) => {
  mounted = await mount(h(OutputRenderersContext.Provider, { value: { renderPlot } }, h(OutputArea, { outputs })));
  return mounted.container;
};
const result = (data: Record<string, unknown>): Output => ({ output_type: "execute_result", execution_count: 1, data, metadata: {} });

describe("OutputArea", () => {
  it("shows stream text and plain results", async () => {
    const c = await show([
      { output_type: "stream", name: "stdout", text: "step 0\n" },
      { output_type: "stream", name: "stderr", text: "warn\n" },
      result({ "text/plain": "Array(1., dtype=float32)" }),
    ]);
    expect(c.querySelector(".output-stdout")!.textContent).toBe("step 0\n");
    expect(c.querySelector(".output-stderr")!.textContent).toBe("warn\n");
    expect(c.querySelector('[data-mime="text/plain"]')!.textContent).toBe("Array(1., dtype=float32)");
  });

  it("highlights jaxprs without changing their text", async () => {
    const text = "{ lambda ; a:f32[]. let b:f32[] = sin a in (b,) }";
    const c = await show([result({ "text/plain": text, "application/vnd.kiln.jaxpr": text })]);
    const pre = c.querySelector(".output-jaxpr")!;
    expect(pre.textContent).toBe(text);
    expect(pre.querySelector(".jx-primitive")!.textContent).toBe("sin");
  });

  it("sanitizes HTML on the page as well", async () => {
    const c = await show([result({ "text/html": '<b onclick="x()">bold</b><script>alert(1)</script><a href="javascript:x">l</a><table><tr><td>1</td></tr></table>' })]);
    const html = c.querySelector(".output-html")!;
    expect(html.querySelector("script")).toBeNull();
    expect(html.querySelector("b")!.getAttribute("onclick")).toBeNull();
    expect(html.querySelector("a")!.getAttribute("href")).toBeNull();
    expect(html.querySelector("td")!.textContent).toBe("1");
  });

  it("expands a big array into a grid with numpy's edge items", async () => {
    const preview = [[0, 1, 2, "...", 997, 998, 999], [1, 2, 3, "...", 4, 5, 6], "...", [7, 8, 9, "...", 10, 11, 12]];
    const c = await show([result({ "text/plain": "Array([[...]], dtype=float32)", "application/vnd.kiln.array+json": { shape: [1000, 1000], dtype: "float32", weakType: false, preview } })]);
    expect(c.querySelector(".array-size")!.textContent).toBe("1,000,000 elements · 3.8 MiB");
    expect(c.querySelector(".array-grid")).toBeNull();
    await click(c.querySelector(".array-meta button"));
    const headers = [...c.querySelectorAll(".array-grid thead th")].map((t) => t.textContent);
    expect(headers).toEqual(["", "0", "1", "2", "…", "997", "998", "999"]);
    const rowIndex = [...c.querySelectorAll(".array-grid tbody th")].map((t) => t.textContent);
    expect(rowIndex).toEqual(["0", "1", "⋮", "999"]);
  });

  it("shows errors with the cell's line marked", async () => {
    const c = await show([{ output_type: "error", ename: "ConcretizationTypeError", evalue: "x", traceback: ["Cell [3], line 2, column 7, in f", "----> 2   if (x > 0) return x;", "          ^", "", "ConcretizationTypeError: x"] }]);
    expect(c.querySelector(".tb-heading")!.textContent).toContain("line 2");
    expect(c.querySelector(".tb-current")!.textContent).toContain("if (x > 0)");
    expect(c.querySelector(".tb-message")!.textContent).toBe("ConcretizationTypeError: x\n");
  });

  it("hands plots to the app's renderer and disposes them", async () => {
    const dispose = vi.fn();
    const renderPlot = vi.fn(async (el: HTMLElement) => {
      el.innerHTML = "<svg class='main-svg'></svg>";
      return { dispose };
    });
    const figure = { data: [{ type: "scatter", y: [1, 2] }], layout: {} };
    const c = await show([result({ "text/plain": "<Figure: 1 trace (scatter)>", "application/vnd.plotly.v1+json": figure })], renderPlot);
    await settle(1);
    expect(renderPlot).toHaveBeenCalledWith(expect.any(HTMLElement), figure);
    expect(c.querySelector(".output-plot")!.getAttribute("data-state")).toBe("ready");
    expect(c.querySelector("svg.main-svg")).not.toBeNull();
    mounted!.unmount();
    mounted = null;
    expect(dispose).toHaveBeenCalled();
  });

  it("falls back to text when no plot renderer is given, and names unknown types", async () => {
    const c = await show([result({ "text/plain": "<Figure>", "application/vnd.plotly.v1+json": { data: [] } }), result({ "application/x-unknown": 1 })]);
    expect(c.textContent).toContain("<Figure>");
    expect(c.querySelector(".output-unsupported")!.textContent).toBe("<output of type application/x-unknown>");
  });

  it("shows PNG images", async () => {
    const c = await show([result({ "text/plain": "img", "image/png": "iVBORw0KGgo=" })]);
    expect(c.querySelector("img")!.getAttribute("src")).toBe("data:image/png;base64,iVBORw0KGgo=");
  });
});

describe("sanitizeToFragment", () => {
  it("keeps formatting and drops active content", () => {
    const div = document.createElement("div");
    div.append(sanitizeToFragment('<p style="color:red">a<iframe src="x"></iframe><img src="data:image/png;base64,AA" onerror="x()"><img src="data:image/svg+xml,<svg>"></p><custom>text</custom>'));
    expect(div.innerHTML).toBe('<p style="color:red">a<img src="data:image/png;base64,AA"><img></p>text');
  });
});
