/**
 * Dtypes and JAX's type-promotion lattice with weak types.
 *
 * The lattice is the one on JAX's "Type promotion semantics" page (see
 * shared/docs/TYPE_PROMOTION.md). Kiln only materializes bool, uint32, int32,
 * float16, float32 and float64, but joins are computed on the full lattice and
 * 64-bit integer results are canonicalized to 32 bits as JAX does with
 * `jax_enable_x64=False`. float64 is kept (the CPU backend supports it for tests).
 */

export type DType = "bool" | "int32" | "uint32" | "float16" | "float32" | "float64";

export const DTYPES: readonly DType[] = ["bool", "int32", "uint32", "float16", "float32", "float64"];

export type TypedArray = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array;

/** Short names used in jaxpr printing (f32, i32, ...). */
export const SHORT_NAME: Record<DType, string> = {
  bool: "bool",
  int32: "i32",
  uint32: "u32",
  float16: "f16",
  float32: "f32",
  float64: "f64",
};

export function isDType(x: unknown): x is DType {
  return typeof x === "string" && (DTYPES as readonly string[]).includes(x);
}

export function isFloat(d: DType): boolean {
  return d === "float16" || d === "float32" || d === "float64";
}
export function isInteger(d: DType): boolean {
  return d === "int32" || d === "uint32";
}
export function isSignedInteger(d: DType): boolean {
  return d === "int32";
}
export function isUnsigned(d: DType): boolean {
  return d === "uint32";
}
export function isBool(d: DType): boolean {
  return d === "bool";
}

export function itemsize(d: DType): number {
  switch (d) {
    case "bool":
      return 1;
    case "float16":
      return 2;
    case "float64":
      return 8;
    default:
      return 4;
  }
}

/** Allocate host storage for `n` elements of dtype `d` (float16 is stored widened to f32 on the host). */
export function allocTyped(d: DType, n: number): TypedArray {
  switch (d) {
    case "bool":
      return new Uint8Array(n);
    case "int32":
      return new Int32Array(n);
    case "uint32":
      return new Uint32Array(n);
    case "float16":
    case "float32":
      return new Float32Array(n);
    case "float64":
      return new Float64Array(n);
  }
}

/** Round a JS number to the value representable in `d` (what storing it would give). */
export function castScalar(v: number, d: DType): number {
  switch (d) {
    case "bool":
      return v !== 0 ? 1 : 0;
    case "int32":
      return Number.isFinite(v) ? Math.trunc(v) | 0 : Number.isNaN(v) ? 0 : v > 0 ? 2147483647 : -2147483648;
    case "uint32":
      return Number.isFinite(v) ? Math.trunc(v) >>> 0 : 0;
    case "float16":
    case "float32":
      return Math.fround(v);
    case "float64":
      return v;
  }
}

// ---- promotion lattice -------------------------------------------------------

/** Lattice node names as on JAX's page; `i*`, `f*` are weak int / weak float. */
type Node = "b1" | "u1" | "u2" | "u4" | "u8" | "i1" | "i2" | "i4" | "i8" | "bf" | "f2" | "f4" | "f8" | "c8" | "c16" | "i*" | "f*" | "c*";

const EDGES: Record<Node, Node[]> = {
  b1: ["i*"],
  u1: ["u2", "i2"],
  u2: ["i4", "u4"],
  u4: ["u8", "i8"],
  u8: ["f*"],
  "i*": ["u1", "i1"],
  i1: ["i2"],
  i2: ["i4"],
  i4: ["i8"],
  i8: ["f*"],
  "f*": ["c*", "f2", "bf"],
  bf: ["f4"],
  f2: ["f4"],
  f4: ["c8", "f8"],
  f8: ["c16"],
  "c*": ["c8"],
  c8: ["c16"],
  c16: [],
};

const UPPER: Map<Node, Set<Node>> = new Map();
for (const n of Object.keys(EDGES) as Node[]) {
  const seen = new Set<Node>([n]);
  const stack = [n];
  while (stack.length) for (const m of EDGES[stack.pop()!]) if (!seen.has(m)) (seen.add(m), stack.push(m));
  UPPER.set(n, seen);
}

function join(a: Node, b: Node): Node {
  const ua = UPPER.get(a)!;
  const ub = UPPER.get(b)!;
  const common = [...ua].filter((n) => ub.has(n));
  // The least upper bound is the common bound that all other common bounds lie above.
  for (const c of common) if (common.every((o) => UPPER.get(c)!.has(o))) return c;
  throw new Error(`no join for ${a}, ${b}`);
}

function toNode(d: DType, weak: boolean): Node {
  if (weak) {
    if (d === "bool") return "b1";
    return isFloat(d) ? "f*" : "i*";
  }
  return ({ bool: "b1", int32: "i4", uint32: "u4", float16: "f2", float32: "f4", float64: "f8" } as const)[d];
}

function fromNode(n: Node): { dtype: DType; weak: boolean } {
  switch (n) {
    case "b1":
      return { dtype: "bool", weak: false };
    case "i*":
      return { dtype: "int32", weak: true };
    case "f*":
      return { dtype: "float32", weak: true };
    case "u1":
    case "u2":
    case "u4":
    case "u8":
      return { dtype: "uint32", weak: false };
    case "i1":
    case "i2":
    case "i4":
    case "i8":
      return { dtype: "int32", weak: false };
    case "bf":
    case "f2":
      return { dtype: "float16", weak: false };
    case "f4":
      return { dtype: "float32", weak: false };
    case "f8":
      return { dtype: "float64", weak: false };
    default:
      throw new TypeError(`complex dtypes are not supported by Kiln (got ${n})`);
  }
}

export interface DTypeLike {
  dtype: DType;
  weakType: boolean;
}

/** JAX's `promote_types` with weak-type tracking (x64 disabled for integers). */
export function promoteTypes(...xs: DTypeLike[]): DTypeLike {
  if (xs.length === 0) throw new Error("promoteTypes needs at least one dtype");
  let node = toNode(xs[0].dtype, xs[0].weakType);
  for (let i = 1; i < xs.length; i++) node = join(node, toNode(xs[i].dtype, xs[i].weakType));
  const r = fromNode(node);
  return { dtype: r.dtype, weakType: r.weak };
}

/** `jnp.promote_types(a, b)` on strong dtypes. */
export function promoteDtypes(a: DType, b: DType): DType {
  return promoteTypes({ dtype: a, weakType: false }, { dtype: b, weakType: false }).dtype;
}

/** The float dtype an operation like `sin` or true division gives for inputs of dtype `d`. */
export function toInexact(d: DType): DType {
  return isFloat(d) ? d : "float32";
}
