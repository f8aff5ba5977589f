/**
 * A small Wadler/Lindig "strictly pretty" document printer, used to lay out
 * jaxprs exactly as JAX's pretty printer does: a group is printed flat when its
 * own flat text fits in the remaining width, otherwise its breaks become newlines
 * indented by the enclosing nests.
 */

export type Doc =
  | { kind: "text"; text: string }
  | { kind: "brk"; text: string }
  | { kind: "concat"; docs: Doc[] }
  | { kind: "nest"; n: number; doc: Doc }
  | { kind: "group"; doc: Doc };

export const text = (t: string): Doc => ({ kind: "text", text: t });
export const brk = (t = " "): Doc => ({ kind: "brk", text: t });
export const nest = (n: number, doc: Doc): Doc => ({ kind: "nest", n, doc });
export const group = (doc: Doc): Doc => ({ kind: "group", doc });
export const concat = (...docs: Doc[]): Doc => ({ kind: "concat", docs });
export const nil: Doc = { kind: "concat", docs: [] };

export function join(sep: Doc, docs: Doc[]): Doc {
  const out: Doc[] = [];
  docs.forEach((d, i) => {
    if (i > 0) out.push(sep);
    out.push(d);
  });
  return { kind: "concat", docs: out };
}

type Mode = "flat" | "break";
type Cmd = [indent: number, mode: Mode, doc: Doc];

/** Whether `doc` printed flat fits in `width` columns (only the group itself counts, as in Lindig's algorithm). */
function fits(doc: Doc, width: number): boolean {
  const stack: Doc[] = [doc];
  while (stack.length && width >= 0) {
    const d = stack.pop()!;
    switch (d.kind) {
      case "text":
      case "brk":
        width -= d.text.length;
        break;
      case "concat":
        for (let i = d.docs.length - 1; i >= 0; i--) stack.push(d.docs[i]);
        break;
      case "nest":
      case "group":
        stack.push(d.doc);
        break;
    }
  }
  return width >= 0;
}

export function format(doc: Doc, width = 80): string {
  const out: string[] = [];
  let col = 0;
  const stack: Cmd[] = [[0, "break", doc]];
  while (stack.length) {
    const [i, m, d] = stack.pop()!;
    switch (d.kind) {
      case "text":
        out.push(d.text);
        col += d.text.length;
        break;
      case "brk":
        if (m === "flat") {
          out.push(d.text);
          col += d.text.length;
        } else {
          out.push("\n" + " ".repeat(i));
          col = i;
        }
        break;
      case "concat":
        for (let k = d.docs.length - 1; k >= 0; k--) stack.push([i, m, d.docs[k]]);
        break;
      case "nest":
        stack.push([i + d.n, m, d.doc]);
        break;
      case "group":
        stack.push([i, m === "flat" || fits(d.doc, width - col) ? "flat" : "break", d.doc]);
        break;
    }
  }
  return out.join("");
}
