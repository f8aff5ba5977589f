// The page's own check of `text/html` outputs before they enter the document. The worker already
// sanitizes (the kernel's allowlist); this is the second wall, built on the browser's parser: a
// <template> parses without running anything, and only allowlisted tags and attributes survive.
const ALLOWED_TAGS = new Set(
  "a abbr b blockquote br caption code col colgroup dd del details div dl dt em figcaption figure h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s samp small span strong sub summary sup table tbody td tfoot th thead tr u ul var".split(
    " ",
  ),
);
const ALLOWED_ATTRS = new Set("align alt class colspan dir height href id lang open rowspan scope src start style title valign width".split(" "));
const DROP_WITH_CONTENT = new Set("script style iframe object embed noscript template textarea title svg math select frameset form".split(" "));

function safeUrl(value: string, attr: string): boolean {
  const v = value.trim().toLowerCase();
  if (attr === "src" && v.startsWith("data:image/") && !v.startsWith("data:image/svg")) return true;
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(v);
  return scheme === null || scheme[1] === "http" || scheme[1] === "https" || scheme[1] === "mailto";
}

function safeStyle(value: string): boolean {
  return !/url\s*\(|expression\s*\(|@import|javascript:/i.test(value);
}

function clean(node: Node, doc: Document): void {
  for (const child of [...node.childNodes]) {
    if (child.nodeType === 3) continue; // text
    if (child.nodeType !== 1) {
      child.remove();
      continue;
    }
    const el = child as Element;
    const tag = el.tagName.toLowerCase();
    if (DROP_WITH_CONTENT.has(tag)) {
      el.remove();
      continue;
    }
    if (!ALLOWED_TAGS.has(tag)) {
      clean(el, doc);
      el.replaceWith(...el.childNodes);
      continue;
    }
    for (const attr of [...el.attributes]) {
      const name = attr.name.toLowerCase();
      const keep =
        ALLOWED_ATTRS.has(name) && (name !== "href" && name !== "src" ? true : safeUrl(attr.value, name)) && (name !== "style" || safeStyle(attr.value));
      if (!keep) el.removeAttribute(attr.name);
    }
    if (tag === "a") {
      el.setAttribute("target", "_blank");
      el.setAttribute("rel", "noopener noreferrer");
    }
    clean(el, doc);
  }
}

/** A sanitized fragment for `html`, ready to append. */
export function sanitizeToFragment(html: string, doc: Document = document): DocumentFragment {
  const template = doc.createElement("template");
  template.innerHTML = html;
  const fragment = template.content;
  clean(fragment, doc);
  return fragment;
}
