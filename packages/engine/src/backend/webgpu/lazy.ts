/**
 * Lazy arrays, the values of the WebGPU lowering: an aval plus an IR expression of one element
 * over the array's coordinates c0…c(n-1). Elementwise and movement primitives only build
 * expressions (fusion is the default); reductions, contractions and scans become *pending* ops
 * that appear in expressions as `acc` nodes, so that their consumers can become the kernel's
 * epilogue. The planner (plan.ts) decides what is materialized into buffers.
 */
import type { ShapedArray } from "../../core/aval.js";
import type { DType } from "../../core/dtype.js";
import { type IRType, type Node, binary, constant, coords, flatten, load, rewrite } from "./ir.js";
import type { Monoid, NativeAtomic } from "./kernel.js";

export interface Lazy {
  readonly aval: ShapedArray;
  /** One element, over the variables of `coords(aval.shape)`; bool values have IR type bool. */
  readonly expr: Node;
}

interface PendingBase {
  readonly id: number;
  /** Shape of the pending op's own result (a gemm's is [batch, M, N]). */
  readonly outShape: readonly number[];
  /** Type of the `acc` value consumers see (the index type for argmax/argmin). */
  readonly resultType: IRType;
  /** Type the monoid / contraction works in. */
  readonly accType: IRType;
  /** Set once materialized: the slot holding the result (stored as resultType). */
  slot?: number;
}

/** monoid over the reduced coordinates r0… of `body` (which also uses the output coordinates c0…). */
export interface ReducePending extends PendingBase {
  readonly kind: "reduce";
  readonly monoid: Monoid;
  readonly redShape: readonly number[];
  readonly body: Node;
}

/** A[b, m, k] · B[b, k, n] summed over k; operands are lazies of shapes [nb, M, K] and [nb, K, N]. */
export interface GemmPending extends PendingBase {
  readonly kind: "gemm";
  readonly a: Lazy;
  readonly b: Lazy;
}

/** Inclusive scan of `body` along `axis` of outShape. */
export interface ScanPending extends PendingBase {
  readonly kind: "scan";
  readonly monoid: Monoid;
  readonly axis: number;
  readonly reverse: boolean;
  readonly body: Node;
}

export type Pending = ReducePending | GemmPending | ScanPending;
export type PendingInit = Omit<ReducePending, "id" | "slot"> | Omit<GemmPending, "id" | "slot"> | Omit<ScanPending, "id" | "slot">;

/** What lowering rules may ask of the planner. */
export interface LowerContext {
  /** Most buffers one kernel may read (the device's storage-buffer limit, less the outputs). */
  readonly maxInputs: number;
  /** Register a pending op; consumers refer to it through `acc` nodes. */
  pend(p: PendingInit): Pending;
  /** Force a lazy value into a buffer (returns the buffer's lazy). */
  materialize(l: Lazy): Lazy;
  /** A contraction operand: materialized if it reads a pending op, so that op keeps its epilogue. */
  operand(l: Lazy): Lazy;
  /** A fresh copy of `base` updated in place by a scatter over `updatesShape` (scatter.target etc. over its coordinates). */
  scatter(base: Lazy, updatesShape: readonly number[], scatter: ScatterUpdate): Lazy;
}

/** One scatter's per-update-element expressions (over the updates' coordinates). */
export interface ScatterUpdate {
  /** Flat index into the result. */
  readonly target: Node;
  /** Whether this update applies (out-of-bounds windows are dropped). */
  readonly valid: Node;
  readonly value: Node;
  /** New element from variables `cur` and `upd`; null stores the update. */
  readonly combine: Node | null;
  readonly atomic: NativeAtomic | null;
}

export class UnsupportedError extends Error {}

/** The IR type of values of a dtype; float16/float64 are not supported on WebGPU yet. */
export function irType(d: DType): IRType {
  switch (d) {
    case "float32":
      return "f32";
    case "int32":
      return "i32";
    case "uint32":
      return "u32";
    case "bool":
      return "bool";
    default:
      throw new UnsupportedError(`The WebGPU backend does not support dtype ${d} yet (supported: float32, int32, uint32, bool).`);
  }
}

/** Storage type of a value type: bool is stored as a u32 0/1 per element. */
export function storageType(t: IRType): IRType {
  return t === "bool" ? "u32" : t;
}

/** The value loaded from storage of element `index` of a buffer holding values of type `t`. */
export function loadValue(slot: number, t: IRType, index: Node): Node {
  const raw = load(slot, storageType(t), index);
  return t === "bool" ? binary("ne", raw, constant(0, "u32")) : raw;
}

/** The lazy view of a contiguous buffer. */
export function bufferLazy(slot: number, aval: ShapedArray): Lazy {
  return { aval, expr: loadValue(slot, irType(aval.dtype), flatten(coords(aval.shape), aval.shape)) };
}

/** The element of `l` at coordinates `idx` (expressions over some other loop). */
export function at(l: Lazy, idx: readonly Node[]): Node {
  const cs = coords(l.aval.shape);
  const map = new Map<Node, Node>();
  cs.forEach((c, i) => {
    if (c.op === "var") map.set(c, idx[i]);
  });
  if (map.size === 0) return l.expr;
  return rewrite([l.expr], (n) => map.get(n))[0];
}

/** Substitute variables (by node) in expressions. */
export function substitute(roots: readonly Node[], map: ReadonlyMap<Node, Node>): Node[] {
  if (map.size === 0) return [...roots];
  return rewrite(roots, (n) => (n.op === "var" ? map.get(n) : undefined));
}

/** The slot `l` is a plain view of, when its expression is exactly that buffer's contiguous load. */
export function directSlot(l: Lazy): number | undefined {
  const e = l.expr;
  const ld = e.op === "load" ? e : e.op === "ne" && e.args[0].op === "load" ? e.args[0] : undefined;
  if (!ld) return undefined;
  const slot = ld.arg as number;
  return bufferLazy(slot, l.aval).expr === e ? slot : undefined;
}
