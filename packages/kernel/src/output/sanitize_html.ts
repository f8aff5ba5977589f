// An allowlist HTML sanitizer for `text/html` outputs, written without the DOM so it runs in the
// worker: known formatting tags and attributes pass, everything else is dropped — scripts and
// their content, event handlers, `javascript:` URLs, iframes, forms, styles that load things.
// The page renders the result as inert markup.

const ALLOWED_TAGS = new Set([
  "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details", "div", "dl", "dt",
  "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
  "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
  "thead", "tr", "u", "ul", "var",
]);
/** Tags dropped together with everything inside them. */
const DROP_WITH_CONTENT = new Set(["script", "style", "iframe", "object", "embed", "noscript", "template", "textarea", "title", "svg", "math", "select", "frameset"]);
const VOID_TAGS = new Set(["br", "col", "hr", "img"]);
const ALLOWED_ATTRS = new Set([
  "align", "alt", "class", "colspan", "dir", "height", "href", "id", "lang", "open", "rowspan", "scope", "src", "start", "style",
  "title", "valign", "width",
]);
const URL_ATTRS = new Set(["href", "src"]);

function escapeText(s: string): string {
  return s.replace(/&(?!(?:[a-zA-Z][a-zA-Z0-9]*|#[0-9]+|#x[0-9a-fA-F]+);)/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);?/g, (m, body: string) => {
    if (body[0] === "#") {
      const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : "";
    }
    const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", colon: ":", tab: "\t", newline: "\n" };
    return named[body.toLowerCase()] ?? m;
  });
}

function safeUrl(value: string, tag: string): boolean {
  // Browsers ignore control characters and whitespace inside a scheme: strip them before looking.
  const v = decodeEntities(value).replace(/[\u0000-\u0020\u007f-\u009f]/g, "").toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(v);
  if (scheme === null) return true;
  if (scheme[1] === "http" || scheme[1] === "https" || scheme[1] === "mailto") return true;
  return tag === "img" && /^data:image\/(png|jpeg|gif|webp);/.test(v);
}

function safeStyle(value: string): boolean {
  const v = decodeEntities(value).replace(/\\/g, "").toLowerCase();
  return !/url\s*\(|expression\s*\(|@import|javascript:|behavior\s*:|-moz-binding/.test(v);
}

const ATTR = /([^\s"'>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

function sanitizeAttributes(tag: string, raw: string): string {
  let out = "";
  for (const m of raw.matchAll(ATTR)) {
    const name = m[1].toLowerCase();
    const value = m[2] ?? m[3] ?? m[4] ?? "";
    if (!ALLOWED_ATTRS.has(name)) continue;
    if (URL_ATTRS.has(name) && !safeUrl(value, tag)) continue;
    if (name === "style" && !safeStyle(value)) continue;
    out += ` ${name}="${escapeAttr(decodeEntities(value))}"`;
  }
  if (tag === "a" && /\shref=/.test(out)) out += ' rel="noopener noreferrer" target="_blank"';
  return out;
}

/** Keep only allowlisted tags and attributes; everything else becomes text or disappears. */
export function sanitizeHtml(html: string): string {
  let out = "";
  let i = 0;
  const open: string[] = [];
  while (i < html.length) {
    const lt = html.indexOf("<", i);
    if (lt < 0) {
      out += escapeText(html.slice(i));
      break;
    }
    out += escapeText(html.slice(i, lt));
    if (html.startsWith("<!--", lt)) {
      const end = html.indexOf("-->", lt + 4);
      i = end < 0 ? html.length : end + 3;
      continue;
    }
    const m = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/.exec(html.slice(lt));
    if (m === null) {
      // `<!doctype>`, `<?xml>`, a lone `<`: never markup in the output.
      const bang = /^<[!?][^>]*>/.exec(html.slice(lt));
      if (bang) {
        i = lt + bang[0].length;
        continue;
      }
      out += "&lt;";
      i = lt + 1;
      continue;
    }
    const [whole, slash, rawTag, attrs] = m;
    const tag = rawTag.toLowerCase();
    i = lt + whole.length;
    if (DROP_WITH_CONTENT.has(tag)) {
      if (!slash && !attrs.trimEnd().endsWith("/")) {
        const close = new RegExp(`</${tag}\\s*>`, "i").exec(html.slice(i));
        i = close ? i + close.index + close[0].length : html.length;
      }
      continue;
    }
    if (!ALLOWED_TAGS.has(tag)) continue;
    if (slash) {
      const at = open.lastIndexOf(tag);
      if (at < 0) continue;
      while (open.length > at) out += `</${open.pop()}>`;
      continue;
    }
    out += `<${tag}${sanitizeAttributes(tag, attrs)}>`;
    if (!VOID_TAGS.has(tag)) open.push(tag);
  }
  while (open.length > 0) out += `</${open.pop()}>`;
  return out;
}
