/**
 * Kernels: the unit the WGSL renderer turns into one compute pipeline. Five shapes of loop
 * nest cover the milestone — `map` (one invocation per output element, any number of outputs),
 * `reduce` (one reduction with an elementwise prologue in `body` and an epilogue over `acc`),
 * `scan` (serial per row), `gemm` (a register-blocked contraction with an epilogue) and
 * `scatter` (atomic updates of a buffer in place).
 * Expressions are ir.ts nodes over the kernel's loop variables; a load's immediate is a binding
 * index (inputs first, then outputs). `kernelKey` is the structural hash the pipeline cache uses.
 */
import type { IRType, Node } from "./ir.js";

/** Reductions' monoids; `argmax`/`argmin` carry (value, index) and yield the index. */
export type Monoid = "sum" | "prod" | "max" | "min" | "and" | "or" | "argmax" | "argmin";

interface KernelBase {
  /** Storage type of each input binding (bool is stored as u32). */
  readonly inputs: readonly IRType[];
  /** Storage type of each output binding. */
  readonly outputs: readonly IRType[];
  /** Human-readable name for pipeline labels and kernel logs. */
  readonly name: string;
}

/** outputs[j][flat] = values[j], for flat in 0..size-1 (loop variable `flat`). */
export interface MapKernel extends KernelBase {
  readonly kind: "map";
  readonly size: number;
  readonly values: readonly Node[];
}

/**
 * For `out` in 0..outSize-1: acc = monoid over r in 0..redSize-1 of `body` (variables `out`, `r`);
 * outputs[j][out] = epilogue[j] (variables `out`, `acc`). `tree` reduces each output with a
 * workgroup (shared-memory tree), otherwise one invocation loops over r.
 */
export interface ReduceKernel extends KernelBase {
  readonly kind: "reduce";
  readonly outSize: number;
  readonly redSize: number;
  readonly monoid: Monoid;
  /** Type the monoid works in (f32, i32 or u32). */
  readonly accType: IRType;
  readonly body: Node;
  readonly epilogue: readonly Node[];
  readonly tree: boolean;
}

/** For each row: acc runs over pos (reversed when `reverse`), outputs[0][outIndex] = acc (variables `row`, `pos`). */
export interface ScanKernel extends KernelBase {
  readonly kind: "scan";
  readonly rows: number;
  readonly length: number;
  readonly reverse: boolean;
  readonly monoid: Monoid;
  readonly accType: IRType;
  readonly body: Node;
  readonly outIndex: Node;
}

/**
 * C[b, m, n] = Σ_k A[b, m, k] · B[b, k, n] on vec4 operands (bindings 0 and 1), each invocation
 * owning a tm × tn block of C in registers. A is "mk" (rows of K/4 vec4s: K % 4 == 0) or "km"
 * (A transposed, rows of `aRow` vec4s along m); B is k-major rows of `bRow` vec4s along n.
 * Each output element goes through the epilogue (variables `b`, `m`, `n`, `acc`).
 */
export interface GemmKernel extends KernelBase {
  readonly kind: "gemm";
  readonly batch: number;
  readonly M: number;
  readonly N: number;
  readonly K: number;
  readonly accType: IRType;
  readonly aLayout: "mk" | "km";
  /** Row length of A in vec4s (K/4 for "mk", ceil(M/4) for "km") and its batch stride in vec4s. */
  readonly aRow: number;
  readonly aBatch: number;
  readonly bRow: number;
  readonly bBatch: number;
  readonly tm: number;
  readonly tn: number;
  /** K steps per unrolled loop body. */
  readonly unroll: number;
  readonly epilogue: readonly Node[];
}

/** WGSL atomics that implement a scatter combiner directly. */
export type NativeAtomic = "atomicAdd" | "atomicOr" | "atomicAnd" | "atomicMin" | "atomicMax";

/**
 * For each update element (loop variable `flat`): if `valid`, combine `value` into
 * outputs[0][target] atomically (the output was filled beforehand by another kernel): a native
 * atomic, or a compare-exchange loop computing `combine` from variables `cur` and `upd`;
 * with neither, the update is stored.
 */
export interface ScatterKernel extends KernelBase {
  readonly kind: "scatter";
  readonly size: number;
  readonly target: Node;
  readonly valid: Node;
  readonly value: Node;
  readonly combine: Node | null;
  readonly atomic: NativeAtomic | null;
}

export type Kernel = MapKernel | ReduceKernel | ScanKernel | GemmKernel | ScatterKernel;

/** Structural key: the kernel's scalars plus the ids of its hash-consed expressions. */
export function kernelKey(k: Kernel): string {
  const base = `${k.kind}|${k.inputs.join(",")}|${k.outputs.join(",")}`;
  const ids = (ns: readonly Node[]) => ns.map((n) => n.id).join(",");
  switch (k.kind) {
    case "map":
      return `${base}|${k.size}|${ids(k.values)}`;
    case "reduce":
      return `${base}|${k.outSize}|${k.redSize}|${k.monoid}|${k.accType}|${k.tree}|${k.body.id}|${ids(k.epilogue)}`;
    case "scan":
      return `${base}|${k.rows}|${k.length}|${k.reverse}|${k.monoid}|${k.accType}|${k.body.id}|${k.outIndex.id}`;
    case "scatter":
      return `${base}|${k.size}|${k.target.id}|${k.valid.id}|${k.value.id}|${k.combine?.id}|${k.atomic}`;
    case "gemm":
      return `${base}|${k.batch}|${k.M}|${k.N}|${k.K}|${k.accType}|${k.aLayout}|${k.aRow}|${k.aBatch}|${k.bRow}|${k.bBatch}|${k.tm}|${k.tn}|${k.unroll}|${ids(k.epilogue)}`;
  }
}

/** A short stable hash of a key, for labels. */
export function shortHash(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return (h1 >>> 0).toString(16).padStart(8, "0") + (h2 >>> 0).toString(16).padStart(8, "0");
}
