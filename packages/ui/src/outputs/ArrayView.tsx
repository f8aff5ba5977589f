// A Kiln array output: JAX's repr as text (what `print` would show), and for arrays big enough to
// be summarized an expandable view from `application/vnd.kiln.array+json`: shape, dtype and size
// in a header, the preview values in a grid with their indices (numpy's edge items, "…" between).
import { useState } from "react";

export interface ArraySummary {
  shape: number[];
  dtype: string;
  weakType?: boolean;
  preview: unknown;
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, uint32: 4, bool: 1, float16: 2, float64: 8, bfloat16: 2, int8: 1, uint8: 1 };

export function isArraySummary(v: unknown): v is ArraySummary {
  const a = v as Partial<ArraySummary> | null;
  return typeof a === "object" && a !== null && Array.isArray(a.shape) && typeof a.dtype === "string";
}

/** Indices shown along an axis of `n` entries when the preview holds `entries` (with "..." for the gap). */
function axisIndices(entries: readonly unknown[], n: number): (number | null)[] {
  const gap = entries.indexOf("...");
  if (gap < 0) return entries.map((_, i) => i);
  const tail = entries.length - gap - 1;
  return entries.map((_, i) => (i < gap ? i : i === gap ? null : n - tail + (i - gap - 1)));
}

function formatValue(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(8)));
  return String(v);
}

function Grid({ values, shape }: { values: unknown; shape: readonly number[] }) {
  if (shape.length === 0) return <span className="array-scalar">{formatValue(values)}</span>;
  const rows: unknown[][] = shape.length === 1 ? [values as unknown[]] : (values as unknown[][]);
  const rowIdx = shape.length === 1 ? [null] : axisIndices(rows, shape[0]!);
  const firstRow = rows.find((r) => Array.isArray(r)) ?? [];
  const colIdx = axisIndices(firstRow, shape[shape.length - 1]!);
  return (
    <table className="array-grid">
      <thead>
        <tr>
          {shape.length > 1 && <th />}
          {colIdx.map((c, j) => (
            <th key={j}>{c === null ? "…" : c}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={i}>
            {shape.length > 1 && <th>{rowIdx[i] === null ? "⋮" : rowIdx[i]}</th>}
            {Array.isArray(row)
              ? row.map((v, j) => <td key={j}>{v === "..." ? "…" : formatValue(v)}</td>)
              : colIdx.map((_, j) => <td key={j}>⋮</td>)}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Leading-axis slices of an array of rank > 2, each shown as a 2-D grid. */
function Slices({ values, shape, prefix = [] }: { values: unknown; shape: readonly number[]; prefix?: (number | null)[] }) {
  if (shape.length <= 2) {
    return (
      <div className="array-slice">
        {prefix.length > 0 && <div className="array-slice-label">[{[...prefix.map((p) => (p === null ? "…" : p)), ":", ":"].join(", ")}]</div>}
        <Grid values={values} shape={shape} />
      </div>
    );
  }
  const entries = values as unknown[];
  const idx = axisIndices(entries, shape[0]!);
  return (
    <>
      {entries.map((e, i) =>
        e === "..." ? (
          <div key={i} className="array-slice-gap">
            ⋮
          </div>
        ) : (
          <Slices key={i} values={e} shape={shape.slice(1)} prefix={[...prefix, idx[i]!]} />
        ),
      )}
    </>
  );
}

export function ArrayView({ text, summary }: { text: string | null; summary: ArraySummary }) {
  const [expanded, setExpanded] = useState(false);
  const size = summary.shape.reduce((a, b) => a * b, 1);
  const bytes = size * (BYTES[summary.dtype] ?? 4);
  const big = size > 1000 || summary.shape.length >= 2;
  return (
    <div className="output-array" data-mime="application/vnd.kiln.array+json">
      {text !== null && <pre className="output-text">{text}</pre>}
      {big && (
        <div className="array-meta">
          <button type="button" className="link-button" aria-expanded={expanded} onClick={() => setExpanded((e) => !e)}>
            {expanded ? "▾" : "▸"} {summary.dtype}[{summary.shape.join(", ")}]
          </button>
          <span className="array-size">
            {size.toLocaleString("en-US")} elements · {formatBytes(bytes)}
            {summary.weakType ? " · weak type" : ""}
          </span>
        </div>
      )}
      {big && expanded && (
        <div className="array-expanded">
          <Slices values={summary.preview} shape={summary.shape} />
        </div>
      )}
    </div>
  );
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB"];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}
