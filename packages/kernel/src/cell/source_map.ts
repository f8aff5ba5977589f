// Reading the source map that sucrase emits when it strips a cell's types: sucrase keeps lines but
// not columns (`x: number` loses its annotation), so columns go through its token-level mappings.

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

/** One mapping segment: generated column → original line (0-based) and column. */
interface Segment {
  genColumn: number;
  line: number;
  column: number;
}

function decodeVlq(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of segment) {
    const digit = B64_INDEX.get(ch);
    if (digit === undefined) throw new Error(`invalid source map character ${JSON.stringify(ch)}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

/** A decoded single-source map answering "where did generated (line, column) come from?". */
export class LineColumnMap {
  private readonly lines: Segment[][] = [];

  constructor(mappings: string) {
    let line = 0;
    let column = 0;
    for (const genLine of mappings.split(";")) {
      const segs: Segment[] = [];
      let genColumn = 0;
      for (const raw of genLine.split(",")) {
        if (raw === "") continue;
        const v = decodeVlq(raw);
        genColumn += v[0];
        if (v.length >= 4) {
          line += v[2];
          column += v[3];
          segs.push({ genColumn, line, column });
        }
      }
      this.lines.push(segs);
    }
  }

  /** 1-based line and 0-based column in, 1-based line and 0-based column out. */
  original(line: number, column: number): { line: number; column: number } {
    const segs = this.lines[line - 1];
    if (segs === undefined || segs.length === 0) return { line, column };
    let best = segs[0];
    for (const s of segs) if (s.genColumn <= column) best = s;
    if (best.genColumn > column) return { line: best.line + 1, column: best.column };
    return { line: best.line + 1, column: best.column + (column - best.genColumn) };
  }
}
