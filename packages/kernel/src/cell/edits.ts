// A string editor that remembers where every piece of its output came from, so that a position in
// rewritten cell code (a runtime error's line and column) maps back to the code before the rewrite.
// Edits are insertions and replacements at offsets of the original text; they never overlap.

interface Edit {
  start: number;
  end: number;
  text: string;
  /** The original offset that inserted text stands for (errors inside it point there). */
  anchor: number;
  /** At one offset: closing insertions, then opening ones, then the replacement of what starts there. */
  kind: "close" | "open" | "replace";
  seq: number;
}

/** One stretch of the output: `length` characters copied from `source` (or inserted, source -1). */
interface Piece {
  out: number;
  source: number;
  length: number;
  /** For inserted text: the original offset it stands for. */
  anchor: number;
}

const KIND_ORDER = { close: 0, open: 1, replace: 2 } as const;

export class SourceEditor {
  private edits: Edit[] = [];
  private seq = 0;

  constructor(readonly original: string) {}

  /** Insert text before whatever starts at `pos` (outer constructs: call first). */
  open(pos: number, text: string, anchor = pos): void {
    this.edits.push({ start: pos, end: pos, text, anchor, kind: "open", seq: this.seq++ });
  }

  /** Insert text after whatever ends at `pos` (inner constructs close first: call inner first). */
  close(pos: number, text: string, anchor = pos): void {
    this.edits.push({ start: pos, end: pos, text, anchor, kind: "close", seq: this.seq++ });
  }

  /** Replace original[start, end) by `text`. */
  replace(start: number, end: number, text: string): void {
    this.edits.push({ start, end, text, anchor: start, kind: "replace", seq: this.seq++ });
  }

  /** Apply the edits: the output text and a map from output offsets to original offsets. */
  apply(): { text: string; toOriginal: (offset: number) => number } {
    const edits = [...this.edits].sort(
      (a, b) => a.start - b.start || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.kind === "close" ? b.seq - a.seq : a.seq - b.seq),
    );
    const pieces: Piece[] = [];
    let out = "";
    let cursor = 0;
    const copy = (to: number): void => {
      if (to <= cursor) return;
      pieces.push({ out: out.length, source: cursor, length: to - cursor, anchor: cursor });
      out += this.original.slice(cursor, to);
      cursor = to;
    };
    for (const e of edits) {
      if (e.start < cursor) throw new Error(`internal: overlapping edits at offset ${e.start}`);
      copy(e.start);
      if (e.text.length > 0) {
        pieces.push({ out: out.length, source: -1, length: e.text.length, anchor: e.anchor });
        out += e.text;
      }
      cursor = e.end;
    }
    copy(this.original.length);
    const toOriginal = (offset: number): number => {
      let lo = 0;
      let hi = pieces.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (pieces[mid].out <= offset) lo = mid;
        else hi = mid - 1;
      }
      const p = pieces[lo];
      if (p === undefined) return 0;
      if (p.source < 0) return p.anchor;
      return p.source + Math.min(offset - p.out, p.length);
    };
    return { text: out, toOriginal };
  }
}

/** Offsets of the starts of lines, for converting between offsets and (line, column). */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  /** 1-based line, 0-based column. */
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo] };
  }
  offset(line: number, column: number): number {
    const start = this.starts[Math.max(0, Math.min(line - 1, this.starts.length - 1))];
    return Math.min(start + column, this.text.length);
  }
  lineText(line: number): string {
    const start = this.starts[line - 1];
    if (start === undefined) return "";
    const end = line < this.starts.length ? this.starts[line] - 1 : this.text.length;
    return this.text.slice(start, end).replace(/\r$/, "");
  }
  get lineCount(): number {
    return this.starts.length;
  }
}
