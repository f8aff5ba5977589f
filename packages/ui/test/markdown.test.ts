// Markdown cells: the common syntax renders to the expected elements, and nothing in a cell can
// become live markup — raw HTML stays text, unsafe link targets lose their link.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Markdown, parseInline, parseMarkdown, safeHref } from "../src/index.js";

const html = (source: string) => renderToStaticMarkup(createElement(Markdown, { source }));

describe("markdown", () => {
  it("renders headings, paragraphs, emphasis, code and links", () => {
    expect(html("# A *tour*\n\nSome **bold** and `np.sin` with [JAX](https://jax.dev).")).toBe(
      '<div class="markdown"><h1>A <em>tour</em></h1><p>Some <strong>bold</strong> and <code>np.sin</code> with <a href="https://jax.dev" target="_blank" rel="noopener noreferrer">JAX</a>.</p></div>',
    );
  });

  it("renders setext headings, rules, quotes and fenced code", () => {
    expect(html("Title\n===\n\n---\n\n> quoted *text*\n\n```ts\nconst x = 1 < 2;\n```")).toBe(
      '<div class="markdown"><h1>Title</h1><hr/><blockquote><p>quoted <em>text</em></p></blockquote><pre class="md-code" data-lang="ts"><code>const x = 1 &lt; 2;</code></pre></div>',
    );
  });

  it("renders nested and ordered lists", () => {
    expect(html("- one\n- two\n  - two.a\n\n3. three\n4. four")).toBe(
      '<div class="markdown"><ul><li>one</li><li><p>two</p><ul><li>two.a</li></ul></li></ul><ol start="3"><li>three</li><li>four</li></ol></div>',
    );
  });

  it("renders tables with alignment", () => {
    expect(html("| a | b |\n|:--|--:|\n| 1 | `x` |")).toBe(
      '<div class="markdown"><table><thead><tr><th style="text-align:left">a</th><th style="text-align:right">b</th></tr></thead><tbody><tr><td style="text-align:left">1</td><td style="text-align:right"><code>x</code></td></tr></tbody></table></div>',
    );
  });

  it("keeps snake_case words and escaped characters literal", () => {
    expect(parseInline("use block_until_ready \\*now\\*")).toEqual([{ kind: "text", text: "use block_until_ready *now*" }]);
  });

  it("shows raw HTML as text and drops unsafe links", () => {
    const out = html('<script>alert(1)</script> <img src=x onerror=alert(1)> [click](javascript:alert(1)) [ok](#section)');
    expect(out).not.toContain("<script");
    expect(out).not.toContain("<img");
    expect(out).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(out).not.toContain("javascript:");
    expect(out).toContain('<a href="#section">ok</a>');
    expect(safeHref("JaVaScRiPt:alert(1)")).toBeNull();
    expect(safeHref("data:text/html,x")).toBeNull();
    expect(safeHref("mailto:a@b.c")).toBe("mailto:a@b.c");
  });

  it("links bare URLs and autolinks", () => {
    expect(parseMarkdown("see https://jax.dev/x. and <https://a.b>")[0]).toEqual({
      kind: "paragraph",
      children: [
        { kind: "text", text: "see " },
        { kind: "link", href: "https://jax.dev/x", children: [{ kind: "text", text: "https://jax.dev/x" }] },
        { kind: "text", text: ". and " },
        { kind: "link", href: "https://a.b", children: [{ kind: "text", text: "https://a.b" }] },
      ],
    });
  });
});
