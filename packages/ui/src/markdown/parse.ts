// A small Markdown parser for markdown cells: headings (ATX and setext), paragraphs, fenced and
// indented code, lists (nested, ordered with a start), block quotes, rules, GFM tables, and inline
// code, emphasis, strong, strikethrough, links, autolinks and hard breaks. It produces a tree, not
// HTML: the renderer turns the tree into React elements, so raw HTML in a cell is shown as text and
// nothing in a cell can run script. Link targets are limited to http(s), mailto and relative URLs.

export type Inline =
  | { kind: "text"; text: string }
  | { kind: "code"; text: string }
  | { kind: "em" | "strong" | "del"; children: Inline[] }
  | { kind: "link"; href: string; children: Inline[] }
  | { kind: "break" };

export type Block =
  | { kind: "heading"; level: 1 | 2 | 3 | 4 | 5 | 6; children: Inline[] }
  | { kind: "paragraph"; children: Inline[] }
  | { kind: "code"; lang: string; text: string }
  | { kind: "list"; ordered: boolean; start: number; items: Block[][] }
  | { kind: "quote"; children: Block[] }
  | { kind: "rule" }
  | { kind: "table"; align: ("left" | "center" | "right" | null)[]; head: Inline[][]; rows: Inline[][][] };

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ {0,3}> ?/;
const LIST_ITEM = /^( {0,3})([-*+]|\d{1,9}[.)])(?:[ \t]+|$)/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const TABLE_SEPARATOR = /^ *\|? *:?-+:? *(\| *:?-+:? *)*\|? *$/;

/** Parse a markdown cell's source. */
export function parseMarkdown(source: string): Block[] {
  return parseBlocks(source.replace(/\r\n?/g, "\n").replace(/\t/g, "    ").split("\n"));
}

function parseBlocks(lines: string[]): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  const isBlank = (l: string | undefined) => l === undefined || l.trim() === "";
  const startsBlock = (l: string) => FENCE.test(l) || HEADING.test(l) || RULE.test(l) || QUOTE.test(l) || LIST_ITEM.test(l);

  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line)) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1]!;
      const indent = line.length - line.trimStart().length;
      const body: string[] = [];
      i++;
      while (i < lines.length && !new RegExp(`^ {0,3}${marker[0] === "`" ? "`" : "~"}{${marker.length},}\\s*$`).test(lines[i]!)) {
        body.push(lines[i]!.replace(new RegExp(`^ {0,${indent}}`), ""));
        i++;
      }
      i++; // closing fence (or end of cell)
      blocks.push({ kind: "code", lang: fence[2] ?? "", text: body.join("\n") });
      continue;
    }
    if (/^ {4}/.test(line)) {
      const body: string[] = [];
      while (i < lines.length && (/^ {4}/.test(lines[i]!) || (isBlank(lines[i]) && /^ {4}/.test(lines[i + 1] ?? "")))) {
        body.push(lines[i]!.slice(4));
        i++;
      }
      blocks.push({ kind: "code", lang: "", text: body.join("\n") });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ kind: "heading", level: heading[1]!.length as 1 | 2 | 3 | 4 | 5 | 6, children: parseInline(heading[2] ?? "") });
      i++;
      continue;
    }
    if (RULE.test(line)) {
      blocks.push({ kind: "rule" });
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const body: string[] = [];
      while (i < lines.length && !isBlank(lines[i]) && (QUOTE.test(lines[i]!) || body.length > 0)) {
        if (!QUOTE.test(lines[i]!) && startsBlock(lines[i]!)) break;
        body.push(lines[i]!.replace(QUOTE, ""));
        i++;
      }
      blocks.push({ kind: "quote", children: parseBlocks(body) });
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      const ordered = /\d/.test(item[2]!);
      const start = ordered ? Number.parseInt(item[2]!, 10) : 1;
      const items: Block[][] = [];
      while (i < lines.length) {
        const m = LIST_ITEM.exec(lines[i]!);
        if (!m || /\d/.test(m[2]!) !== ordered) break;
        const contentIndent = m[0].length;
        const body = [lines[i]!.slice(contentIndent)];
        i++;
        while (i < lines.length) {
          const l = lines[i]!;
          if (isBlank(l)) {
            // A blank line continues the item only if indented content follows.
            const next = lines[i + 1];
            if (next !== undefined && /^\s+/.test(next) && next.length - next.trimStart().length >= Math.min(contentIndent, 2)) {
              body.push("");
              i++;
              continue;
            }
            break;
          }
          const indent = l.length - l.trimStart().length;
          if (indent >= Math.min(contentIndent, 2)) body.push(l.slice(Math.min(indent, contentIndent)));
          else if (!startsBlock(l)) body.push(l.trimStart()); // lazy continuation of a paragraph
          else break;
          i++;
        }
        items.push(parseBlocks(body));
        while (i < lines.length && isBlank(lines[i]) && LIST_ITEM.test(lines[i + 1] ?? "")) i++;
      }
      blocks.push({ kind: "list", ordered, start, items });
      continue;
    }
    if (line.includes("|") && TABLE_SEPARATOR.test(lines[i + 1] ?? "") && (lines[i + 1] ?? "").includes("-")) {
      const head = splitRow(line);
      const align = splitRow(lines[i + 1]!).map((c) => {
        const t = c.trim();
        return t.startsWith(":") && t.endsWith(":") ? "center" : t.endsWith(":") ? "right" : t.startsWith(":") ? "left" : null;
      });
      i += 2;
      const rows: Inline[][][] = [];
      while (i < lines.length && !isBlank(lines[i]) && lines[i]!.includes("|")) {
        const cells = splitRow(lines[i]!);
        rows.push(head.map((_, c) => parseInline(cells[c] ?? "")));
        i++;
      }
      blocks.push({ kind: "table", align, head: head.map(parseInline), rows });
      continue;
    }
    // A paragraph: until a blank line or the start of another block; a setext underline makes it a heading.
    const para: string[] = [line];
    i++;
    let setext: 1 | 2 | null = null;
    while (i < lines.length && !isBlank(lines[i])) {
      const l = lines[i]!;
      const underline = SETEXT.exec(l);
      if (underline) {
        setext = underline[1]![0] === "=" ? 1 : 2;
        i++;
        break;
      }
      if (startsBlock(l)) break;
      para.push(l);
      i++;
    }
    const children = parseInline(para.map((l) => l.replace(/^ +/, "")).join("\n"));
    blocks.push(setext === null ? { kind: "paragraph", children } : { kind: "heading", level: setext, children });
  }
  return blocks;
}

function splitRow(line: string): string[] {
  let s = line.trim();
  if (s.startsWith("|")) s = s.slice(1);
  if (s.endsWith("|") && !s.endsWith("\\|")) s = s.slice(0, -1);
  return s.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, "|"));
}

/** Allow http(s), mailto and relative links; anything else (javascript:, data:, …) is refused. */
export function safeHref(href: string): string | null {
  const h = href.trim();
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(h);
  if (scheme === null) return /^[\s\u0000-\u001f]/.test(href) ? null : h;
  return ["http", "https", "mailto"].includes(scheme[1]!.toLowerCase()) ? h : null;
}

const ESCAPABLE = /[\\`*_{}[\]()#+\-.!|~<>"']/;

/** Parse inline markdown. */
export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let buf = "";
  const flush = () => {
    if (buf) out.push({ kind: "text", text: buf });
    buf = "";
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\\" && i + 1 < text.length) {
      if (text[i + 1] === "\n") {
        flush();
        out.push({ kind: "break" });
        i += 2;
        continue;
      }
      if (ESCAPABLE.test(text[i + 1]!)) {
        buf += text[i + 1];
        i += 2;
        continue;
      }
    }
    if (c === "`") {
      const run = /^`+/.exec(text.slice(i))![0];
      const close = text.indexOf(run, i + run.length);
      if (close >= 0) {
        flush();
        let code = text.slice(i + run.length, close).replace(/\n/g, " ");
        if (/^ .* $/.test(code) && code.trim() !== "") code = code.slice(1, -1);
        out.push({ kind: "code", text: code });
        i = close + run.length;
        continue;
      }
      buf += run;
      i += run.length;
      continue;
    }
    if (c === "\n") {
      if (/ {2,}$/.test(buf)) {
        buf = buf.replace(/ +$/, "");
        flush();
        out.push({ kind: "break" });
      } else buf += "\n";
      i++;
      continue;
    }
    if (c === "<") {
      const auto = /^<((?:https?|mailto):[^\s<>]+)>/.exec(text.slice(i));
      if (auto) {
        flush();
        out.push({ kind: "link", href: auto[1]!, children: [{ kind: "text", text: auto[1]!.replace(/^mailto:/, "") }] });
        i += auto[0].length;
        continue;
      }
    }
    if (c === "[" || (c === "!" && text[i + 1] === "[")) {
      const image = c === "!";
      const link = matchLink(text, image ? i + 1 : i);
      if (link) {
        flush();
        const href = safeHref(link.href);
        const children = image ? [{ kind: "text" as const, text: link.label || link.href }] : parseInline(link.label);
        if (href === null) out.push(...children);
        else out.push({ kind: "link", href, children });
        i = link.end;
        continue;
      }
    }
    if (c === "*" || c === "_" || c === "~") {
      const em = matchEmphasis(text, i);
      if (em) {
        flush();
        out.push({ kind: em.kind, children: parseInline(em.inner) });
        i = em.end;
        continue;
      }
    }
    const bare = c === "h" && (i === 0 || /[\s(]/.test(text[i - 1]!)) ? /^https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"]/.exec(text.slice(i)) : null;
    if (bare) {
      flush();
      out.push({ kind: "link", href: bare[0], children: [{ kind: "text", text: bare[0] }] });
      i += bare[0].length;
      continue;
    }
    buf += c;
    i++;
  }
  flush();
  return out;
}

function matchLink(text: string, open: number): { label: string; href: string; end: number } | null {
  let depth = 0;
  let j = open;
  for (; j < text.length; j++) {
    const ch = text[j];
    if (ch === "\\") j++;
    else if (ch === "[") depth++;
    else if (ch === "]" && --depth === 0) break;
  }
  if (j >= text.length || text[j + 1] !== "(") return null;
  const rest = /^\(\s*(<[^>]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/.exec(text.slice(j + 1));
  if (!rest) return null;
  const href = rest[1]!.replace(/^<|>$/g, "");
  return { label: text.slice(open + 1, j), href, end: j + 1 + rest[0].length };
}

function matchEmphasis(text: string, i: number): { kind: "em" | "strong" | "del"; inner: string; end: number } | null {
  const c = text[i]!;
  const prev = i > 0 ? text[i - 1]! : " ";
  // Intraword underscores are literal (snake_case), as in CommonMark.
  if (c === "_" && /[a-zA-Z0-9]/.test(prev)) return null;
  if (c === "~") {
    if (text[i + 1] !== "~") return null;
    const close = text.indexOf("~~", i + 2);
    return close > i + 2 ? { kind: "del", inner: text.slice(i + 2, close), end: close + 2 } : null;
  }
  const double = text[i + 1] === c;
  const marker = double ? c + c : c;
  const start = i + marker.length;
  if (start >= text.length || /\s/.test(text[start]!)) return null;
  let j = start;
  while (j < text.length) {
    const close = text.indexOf(marker, j);
    if (close < 0) return null;
    const after = text[close + marker.length] ?? " ";
    const okClose = !/\s/.test(text[close - 1]!) && close > start && (c !== "_" || !/[a-zA-Z0-9]/.test(after));
    // A single marker must not stop at the first half of a double one.
    if (okClose && (double || text[close + 1] !== c || text[close - 1] === c)) {
      return { kind: double ? "strong" : "em", inner: text.slice(start, close), end: close + marker.length };
    }
    j = close + (double ? 2 : text[close + 1] === c ? 2 : 1);
  }
  return null;
}
