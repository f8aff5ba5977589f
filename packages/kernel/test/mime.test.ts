// Outputs as MIME bundles (DESIGN.md §6): arrays, jaxprs, plots, HTML, errors and plain values.
import * as engine from "@kiln/engine";
import { describe, expect, it } from "vitest";
import { MIME, MimeFormatter, sanitizeHtml } from "../src/index.js";
import { newKernel, run } from "./helpers.js";

const { numpy: np, makeJaxpr } = engine;
const formatter = new MimeFormatter(engine);

describe("Kiln arrays", () => {
  it("text/plain is JAX's repr; the JSON summary has shape, dtype, weak type and values", () => {
    const b = formatter.bundle(np.array([[1, 2], [3, 4]]))!;
    expect(b[MIME.text]).toBe("Array([[1., 2.],\n       [3., 4.]], dtype=float32)");
    expect(b[MIME.array]).toEqual({ shape: [2, 2], dtype: "float32", weakType: false, preview: [[1, 2], [3, 4]] });
  });

  it("weak scalars, booleans and non-finite values", () => {
    const weak = formatter.bundle(engine.grad((x: engine.Array) => x.mul(x))(3.0))!;
    expect(weak[MIME.text]).toBe("Array(6., dtype=float32, weak_type=True)");
    expect(weak[MIME.array]).toEqual({ shape: [], dtype: "float32", weakType: true, preview: 6 });
    expect(formatter.bundle(np.array([1, 0]).gt(0.5))![MIME.array]).toMatchObject({ dtype: "bool", preview: [true, false] });
    const special = formatter.bundle(np.divide(np.array([1, -1, 0]), 0))![MIME.array] as { preview: unknown };
    expect(special.preview).toEqual(["inf", "-inf", "nan"]);
  });

  it("arrays above 1000 elements are summarized as numpy prints them", () => {
    const b = formatter.bundle(np.arange(2000).reshape([2, 1000]))!;
    expect(b[MIME.array]).toEqual({ shape: [2, 1000], dtype: "int32", weakType: false, preview: [[0, 1, 2, "...", 997, 998, 999], [1000, 1001, 1002, "...", 1997, 1998, 1999]] });
    expect(b[MIME.text]).toBe("Array([[   0,    1,    2, ...,  997,  998,  999],\n       [1000, 1001, 1002, ..., 1997, 1998, 1999]], dtype=int32)");
    expect(JSON.parse(JSON.stringify(b))).toEqual(b);
  });
});

describe("other values", () => {
  it("a ClosedJaxpr has its own MIME type with the printed jaxpr", () => {
    const jaxpr = makeJaxpr((x: engine.Array | number) => np.sin(x).mul(2))(1.0);
    const text = "{ lambda ; a:f32[]. let b:f32[] = sin a; c:f32[] = mul b 2.0:f32[] in (c,) }";
    expect(formatter.bundle(jaxpr)).toEqual({ [MIME.text]: text, [MIME.jaxpr]: text });
  });

  it("plot specs pass through as Plotly figures with a text fallback", async () => {
    const plot = await import("@kiln/plot");
    const b = formatter.bundle(plot.line(np.array([1, 4, 9]), { title: "squares" }))!;
    expect(b[MIME.plotly]).toEqual({ data: [{ type: "scatter", mode: "lines", x: [0, 1, 2], y: [1, 4, 9] }], layout: { title: { text: "squares" } } });
    expect(b[MIME.text]).toBe("<Figure: 1 trace (scatter)>");
  });

  it("plain values use the inspect formatter; devices print as JAX's", () => {
    expect(formatter.bundle({ a: [1, "x"] })).toEqual({ [MIME.text]: "{ a: [ 1, 'x' ] }" });
    expect(formatter.bundle(engine.devices())).toEqual({ [MIME.text]: "[ CpuDevice(id=0) ]" });
    expect(formatter.bundle(undefined)).toBeNull();
  });

  it("objects can provide their own bundle", () => {
    const custom = { [Symbol.for("kiln.mimeBundle")]: () => ({ "text/markdown": "**hi**" }) };
    expect(formatter.bundle(custom)).toEqual({ "text/markdown": "**hi**", [MIME.text]: "<text/markdown>" });
  });

  it("outputs above 8 MB are replaced by a note", () => {
    const b = formatter.bundle("x".repeat(9_000_000))!;
    expect(b[MIME.text]).toBe("[output not shown: it is 9.0 MB; the limit is 8 MB per output]");
  });
});

describe("HTML", () => {
  it("display(HTML(...)) emits sanitized text/html and a text fallback", async () => {
    const r = await run(newKernel(), `display(HTML("<b onclick='steal()'>bold</b><script>alert(1)</script> & <a href='javascript:x()'>link</a>"));`);
    expect(r.outputs).toEqual([{ output_type: "display_data", data: { "text/html": "<b>bold</b> &amp; <a>link</a>", "text/plain": "bold & link" }, metadata: {} }]);
    const viaNew = await run(newKernel(), "new HTML('<i>x</i>')");
    expect(viaNew.outputs[0]).toMatchObject({ output_type: "execute_result", data: { "text/html": "<i>x</i>", "text/plain": "x" } });
  });

  it.each([
    ["<img src=x onerror=alert(1)>", '<img src="x">'],
    ["<IMG SRC=JaVaScRiPt:alert(1)>", "<img>"],
    ['<a href="&#106;avascript:alert(1)">x</a>', "<a>x</a>"],
    ['<a href=" java\tscript:alert(1)">x</a>', "<a>x</a>"],
    ['<a href="https://jax.dev">jax</a>', '<a href="https://jax.dev" rel="noopener noreferrer" target="_blank">jax</a>'],
    ["<iframe src=//evil></iframe>after", "after"],
    ["<style>body{display:none}</style><p style='color: red'>p</p>", '<p style="color: red">p</p>'],
    ["<p style=\"background: url('//evil')\">p</p>", "<p>p</p>"],
    ["<svg><script>alert(1)</script></svg>ok", "ok"],
    ["<table><tr><td colspan=2>1</td></tr></table>", '<table><tr><td colspan="2">1</td></tr></table>'],
    ["<div><b>unclosed", "<div><b>unclosed</b></div>"],
    ["1 < 2 && 3 > 2", "1 &lt; 2 &amp;&amp; 3 &gt; 2"],
    ["<!-- comment --><form action=x><input value=1></form>text", "text"],
    ['<img src="data:image/png;base64,AAAA">', '<img src="data:image/png;base64,AAAA">'],
    ['<a href="data:text/html,<script>">x</a>', "<a>x</a>"],
  ])("sanitizes %s", (input, expected) => {
    expect(sanitizeHtml(input)).toBe(expected);
  });
});

describe("errors", () => {
  it("are nbformat error outputs with ename, evalue and a traceback", async () => {
    const r = await run(newKernel(), "null.x");
    expect(r.outputs).toHaveLength(1);
    expect(r.outputs[0]).toMatchObject({ output_type: "error", ename: "TypeError", evalue: "Cannot read properties of null (reading 'x')" });
    expect(r.status).toBe("error");
  });
});
