// Share links: `#nb=1.` + base64url(deflate-raw(JSON)), size limits, and readable errors.
import { deflateSync, strToU8 } from "fflate";
import { describe, expect, it } from "vitest";
import { decodeShareLink, encodeShareLink, SHARE_MAX_CHARS, ShareLinkError, type SharedCell } from "../src/index.js";
import { base64urlDecode, base64urlEncode } from "../src/files/share.js";

const cells: SharedCell[] = [
  { cell_type: "markdown", source: "# Tour ✨\nUnicode, `backticks` and \"quotes\"." },
  { cell_type: "code", source: 'import { numpy as np } from "@kiln/engine";\nnp.arange(3)' },
  { cell_type: "code", source: "" },
];

function errorOf(f: () => unknown): ShareLinkError {
  try {
    f();
  } catch (e) {
    if (e instanceof ShareLinkError) return e;
    throw e;
  }
  throw new Error("expected a ShareLinkError");
}

describe("share links", () => {
  it("round-trip the cells' sources through a URL-safe fragment", () => {
    const { fragment, warning } = encodeShareLink(cells);
    expect(fragment).toMatch(/^#nb=1\.[A-Za-z0-9_-]+$/);
    expect(warning).toBeUndefined();
    expect(decodeShareLink(fragment)).toEqual(cells);
    expect(decodeShareLink(`https://kiln.example/notebook/?x=1${fragment}`)).toEqual(cells);
    expect(decodeShareLink(fragment.slice(1))).toEqual(cells);
  });

  it("carry sources only, never outputs", () => {
    const withOutputs = cells.map((c) => ({ ...c, outputs: [{ output_type: "stream", text: "secret" }] }));
    const { fragment } = encodeShareLink(withOutputs);
    expect(decodeShareLink(fragment)).toEqual(cells);
  });

  it("base64url matches the standard encoding with - and _ and no padding", () => {
    for (let n = 0; n < 20; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 31) & 255);
      const b64 = Buffer.from(bytes).toString("base64url");
      expect(base64urlEncode(bytes)).toBe(b64);
      expect([...base64urlDecode(b64)]).toEqual([...bytes]);
    }
  });

  it("warn above 8 KB and refuse above 1 MB", () => {
    // Random-looking text compresses poorly, so the link grows with it.
    let seed = 1;
    const noise = (n: number) => Array.from({ length: n }, () => ((seed = (seed * 16807) % 2147483647), String.fromCharCode(33 + (seed % 90)))).join("");
    const medium = encodeShareLink([{ cell_type: "code", source: noise(12_000) }]);
    expect(medium.fragment.length).toBeGreaterThan(8 * 1024);
    expect(medium.warning).toMatch(/^This link is \d+ KB long; some apps cut links above 8 KB/);
    const tooBig = errorOf(() => encodeShareLink([{ cell_type: "code", source: noise(1_200_000) }]));
    expect(tooBig.kind).toBe("too-large");
    expect(tooBig.message).toMatch(/too large for a link .* Download it as an \.ipynb file/);
    expect(SHARE_MAX_CHARS).toBe(1024 * 1024);
  });

  it("a cut-off link says it is incomplete", () => {
    const { fragment } = encodeShareLink(cells);
    for (const keep of [fragment.length - 1, fragment.length - 7, Math.floor(fragment.length / 2), "#nb=1.".length]) {
      const e = errorOf(() => decodeShareLink(fragment.slice(0, keep)));
      expect(e.kind).toBe("truncated");
      expect(e.message).toMatch(/incomplete/);
    }
  });

  it("a corrupt link says so, and never yields somebody else's cells", () => {
    const { fragment } = encodeShareLink(cells);
    expect(errorOf(() => decodeShareLink(fragment.slice(0, 20) + "*" + fragment.slice(21))).message).toMatch(/corrupt: it contains "\*" at position 15/);
    const notCells = "#nb=1." + base64urlEncode(deflateSync(strToU8('{"hello":"world"}')));
    expect(errorOf(() => decodeShareLink(notCells)).message).toBe("This share link is corrupt: it does not hold a list of notebook cells.");
    const notJson = "#nb=1." + base64urlEncode(deflateSync(strToU8("plain text")));
    expect(errorOf(() => decodeShareLink(notJson)).kind).toBe("corrupt");
    const garbage = "#nb=1." + base64urlEncode(Uint8Array.from({ length: 40 }, (_, i) => (i * 53 + 7) & 255));
    expect(["corrupt", "truncated"]).toContain(errorOf(() => decodeShareLink(garbage)).kind);
  });

  it("a link from a newer Kiln asks for a newer Kiln", () => {
    const e = errorOf(() => decodeShareLink("#nb=2.AAAA"));
    expect(e.kind).toBe("version");
    expect(e.message).toBe("This link was made by a newer version of Kiln (link format 2); this version reads format 1. Open it with the latest Kiln.");
    expect(errorOf(() => decodeShareLink("#nb=x.AAAA")).kind).toBe("corrupt");
    expect(errorOf(() => decodeShareLink("https://kiln.example/#section")).kind).toBe("not-a-link");
  });

  it("refuses links that would inflate past 32 MB", () => {
    const bomb = "#nb=1." + base64urlEncode(deflateSync(new Uint8Array(40 * 1024 * 1024), { level: 9 }));
    expect(bomb.length).toBeLessThan(SHARE_MAX_CHARS);
    expect(errorOf(() => decodeShareLink(bomb)).kind).toBe("too-large");
  });
});
