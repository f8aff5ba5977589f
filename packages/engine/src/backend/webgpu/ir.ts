/**
 * The kernel IR's scalar expressions: a hash-consed DAG of typed nodes (f32, i32, u32, bool)
 * over loop variables, buffer loads and constants. Movement ops (broadcast, reshape, transpose,
 * slice, pad, …) never move data: they become integer index arithmetic on the loop variables,
 * which the constructors here simplify (constant folding, ranges, and re-assembling
 * `(x / c) * c + x % c` back into `x`) so that a fused chain of views over a contiguous buffer
 * usually loads at the flat loop index again. Structural identity is node identity: equal
 * expressions are the same object with the same `id`, which gives CSE for free and a cheap
 * structural key for whole kernels (kernel.ts).
 */

export type IRType = "f32" | "i32" | "u32" | "bool";

export type UnaryOp =
  | "neg" | "not" | "abs" | "floor" | "ceil" | "round" | "trunc" | "sign" | "exp" | "exp2" | "log" | "log2"
  | "sin" | "cos" | "tan" | "asin" | "acos" | "atan" | "sinh" | "cosh" | "tanh" | "asinh" | "acosh" | "atanh"
  | "sqrt" | "rsqrt";
export type BinaryOp =
  | "add" | "sub" | "mul" | "div" | "rem" | "max" | "min" | "pow" | "atan2" | "and" | "or" | "xor" | "shl" | "shr"
  | "eq" | "ne" | "lt" | "le" | "gt" | "ge";
export type Op = "const" | "var" | "load" | "acc" | "select" | "cast" | "bitcast" | UnaryOp | BinaryOp;

const I32_MIN = -2147483648;
const I32_MAX = 2147483647;

export class Node {
  constructor(
    readonly id: number,
    readonly op: Op,
    readonly dtype: IRType,
    readonly args: readonly Node[],
    /** Immediate: a constant's value, a variable's name, a load's buffer, an acc's pending op id. */
    readonly arg: number | string,
    /** Value range for i32 nodes (index arithmetic); the full range otherwise. */
    readonly lo: number,
    readonly hi: number,
  ) {}
  get isConst(): boolean {
    return this.op === "const";
  }
  get value(): number {
    return this.arg as number;
  }
  toString(): string {
    return this.args.length ? `${this.op}<${this.dtype}>(${this.args.join(", ")})` : `${this.op}<${this.dtype}>[${this.arg}]`;
  }
}

// ---- hash-consing ----------------------------------------------------------------------

let table = new Map<string, Node>();
/** Bound on remembered nodes in long sessions (dropping them only costs CSE with older ones). */
const MAX_TABLE = 1_000_000;
let nextId = 0;

/** Drop the hash-cons table (nodes stay valid; later equal expressions get new ids). */
export function resetNodeTable(): void {
  table = new Map();
}

/** Canonical text of a constant: f32 by bit pattern so -0 and NaN payloads stay distinct. */
const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);
export function f32Bits(v: number): number {
  F32[0] = v;
  return U32[0];
}

function intern(op: Op, dtype: IRType, args: readonly Node[], arg: number | string, lo = -Infinity, hi = Infinity): Node {
  const key = `${op}|${dtype}|${dtype === "f32" && op === "const" ? f32Bits(arg as number) : arg}|${args.map((a) => a.id).join(",")}`;
  let n = table.get(key);
  if (!n) {
    if (table.size >= MAX_TABLE) resetNodeTable();
    if (dtype === "i32") {
      lo = Math.max(lo, I32_MIN);
      hi = Math.min(hi, I32_MAX);
    }
    n = new Node(nextId++, op, dtype, args, arg, lo, hi);
    table.set(key, n);
  }
  return n;
}

// ---- leaves ----------------------------------------------------------------------------

export function wrap(v: number, t: IRType): number {
  switch (t) {
    case "i32":
      return v | 0;
    case "u32":
      return v >>> 0;
    case "bool":
      return v ? 1 : 0;
    case "f32":
      return Math.fround(v);
  }
}

export function constant(v: number | boolean, t: IRType): Node {
  const x = wrap(Number(v), t);
  return intern("const", t, [], x, x, x);
}
export const i32 = (v: number) => constant(v, "i32");

/** A loop variable with values 0..extent-1 (i32); the constant 0 when the extent is 1. */
export function loopVar(name: string, extent: number): Node {
  if (extent === 1) return i32(0);
  return intern("var", "i32", [], `${name}:${extent}`, 0, Math.max(0, extent - 1));
}
/** A scalar variable of any type bound by the kernel template (e.g. the reduction accumulator). */
export function scalarVar(name: string, t: IRType): Node {
  return intern("var", t, [], name);
}
export function varName(n: Node): string {
  return String(n.arg).split(":")[0];
}

/** Element `index` of buffer `buf` (a slot id while planning, a binding index inside a kernel). */
export function load(buf: number, storage: IRType, index: Node): Node {
  return intern("load", storage, [index], buf);
}

/** The value of a pending reduction / contraction / scan `pending` at output coordinates `idx`. */
export function acc(pending: number, t: IRType, idx: readonly Node[]): Node {
  return intern("acc", t, idx, pending);
}

// ---- integer index arithmetic ----------------------------------------------------------

type Terms = { terms: Map<Node, number>; c: number };

function collect(n: Node, k: number, out: Terms): void {
  if (n.isConst) out.c += k * n.value;
  else if (n.op === "add") for (const a of n.args) collect(a, k, out);
  else if (n.op === "mul" && n.args[1].isConst) collect(n.args[0], k * n.args[1].value, out);
  else out.terms.set(n, (out.terms.get(n) ?? 0) + k);
}

/** Re-assemble decompositions: (x/c)·ck + (x%c)·k → x·k and ((x/c)%m)·ck + (x%c)·k → (x%(cm))·k. */
function mergeTerms(t: Map<Node, number>): boolean {
  for (const [n, k] of t) {
    if (n.op !== "rem" || !n.args[1].isConst || n.args[0].lo < 0) continue;
    const [x, cn] = n.args;
    const c = cn.value;
    for (const [m, k1] of t) {
      if (m === n || k1 !== c * k) continue;
      let repl: Node | null = null;
      if (m.op === "div" && m.args[0] === x && m.args[1] === cn) repl = x;
      else if (m.op === "rem" && m.args[1].isConst && m.args[0].op === "div" && m.args[0].args[0] === x && m.args[0].args[1] === cn)
        repl = binary("rem", x, i32(c * m.args[1].value));
      if (!repl) continue;
      t.delete(n);
      t.delete(m);
      t.set(repl, (t.get(repl) ?? 0) + k);
      return true;
    }
  }
  return false;
}

/**
 * Split a sum of non-negative terms into the part whose coefficients are multiples of `c`
 * (returned already divided by `c`) and the rest: s / c = quotient + rest / c, s % c = rest % c.
 */
function splitSum(a: Node, c: number): { quotient: Node; rest: Node } | null {
  if (a.op !== "add") return null;
  const t: Terms = { terms: new Map(), c: 0 };
  collect(a, 1, t);
  const q: Terms = { terms: new Map(), c: 0 };
  const rest: Terms = { terms: new Map(), c: 0 };
  if (t.c < 0) return null;
  q.c = Math.floor(t.c / c);
  rest.c = t.c % c;
  for (const [n, k] of t.terms) {
    if (n.lo < 0 || k < 0) return null;
    if (k % c === 0) q.terms.set(n, k / c);
    else rest.terms.set(n, k);
  }
  if (q.terms.size === 0 && q.c === 0) return null;
  return { quotient: rebuildSum(q), rest: rebuildSum(rest) };
}

function rawMul(a: Node, c: number): Node {
  if (c === 1) return a;
  const lo = Math.min(a.lo * c, a.hi * c);
  const hi = Math.max(a.lo * c, a.hi * c);
  return intern("mul", "i32", [a, i32(c)], "", lo, hi);
}

function normalizeSum(a: Node, b: Node): Node {
  const t: Terms = { terms: new Map(), c: 0 };
  collect(a, 1, t);
  collect(b, 1, t);
  return rebuildSum(t);
}

/** `a · k` with the product distributed over a sum's terms. */
function sumOf(a: Node, k: number): Node {
  const t: Terms = { terms: new Map(), c: 0 };
  collect(a, k, t);
  return rebuildSum(t);
}

function rebuildSum(t: Terms): Node {
  while (mergeTerms(t.terms));
  const parts = [...t.terms].filter(([, k]) => k !== 0).sort((p, q) => p[0].id - q[0].id).map(([n, k]) => rawMul(n, k));
  if (t.c !== 0 || parts.length === 0) parts.push(i32(t.c));
  return parts.reduce((s, p) => intern("add", "i32", [s, p], "", s.lo + p.lo, s.hi + p.hi));
}

// ---- constructors with simplification --------------------------------------------------

const COMPARE: Partial<Record<BinaryOp, (a: number, b: number) => boolean>> = {
  eq: (a, b) => a === b, ne: (a, b) => a !== b, lt: (a, b) => a < b, le: (a, b) => a <= b, gt: (a, b) => a > b, ge: (a, b) => a >= b,
};

function foldInt(op: BinaryOp, a: number, b: number, t: IRType): number | null {
  switch (op) {
    case "add": return a + b;
    case "sub": return a - b;
    case "mul": return t === "f32" ? a * b : Math.imul(a, b);
    case "div": return b === 0 ? null : Math.trunc(a / b);
    case "rem": return b === 0 ? null : a % b;
    case "max": return Math.max(a, b);
    case "min": return Math.min(a, b);
    case "and": return a & b;
    case "or": return a | b;
    case "xor": return a ^ b;
    case "shl": return a << (b & 31);
    case "shr": return t === "u32" ? a >>> (b & 31) : a >> (b & 31);
    default: return null;
  }
}

export function binary(op: BinaryOp, a: Node, b: Node): Node {
  const cmp = COMPARE[op];
  const t = cmp ? "bool" : a.dtype;
  if (a.dtype !== b.dtype && op !== "shl" && op !== "shr") throw new Error(`internal: ${op} of ${a.dtype} and ${b.dtype}`);
  if (a.isConst && b.isConst && a.dtype !== "f32") {
    if (cmp) return constant(cmp(a.value, b.value), "bool");
    const v = foldInt(op, a.value, b.value, t);
    if (v !== null) return constant(v, t);
  }
  if (t === "i32") {
    // Index arithmetic: keep sums canonical and use ranges to drop no-op div/rem.
    switch (op) {
      case "add":
        return normalizeSum(a, b);
      case "sub":
        return normalizeSum(a, rawMul(b, -1));
      case "mul":
        if (b.isConst) return b.value === 0 ? i32(0) : a.op === "add" || a.op === "mul" ? sumOf(a, b.value) : rawMul(a, b.value);
        if (a.isConst) return binary("mul", b, a);
        break;
      case "div":
        if (b.isConst && b.value > 0 && a.lo >= 0) {
          const c = b.value;
          if (c === 1) return a;
          if (a.hi < c) return i32(0);
          const split = splitSum(a, c);
          if (split) return binary("add", split.quotient, binary("div", split.rest, b));
          if (a.op === "div" && a.args[1].isConst) return binary("div", a.args[0], i32(c * a.args[1].value));
          return intern("div", "i32", [a, b], "", Math.floor(a.lo / c), Math.floor(a.hi / c));
        }
        break;
      case "rem":
        if (b.isConst && b.value > 0 && a.lo >= 0) {
          const c = b.value;
          if (c === 1) return i32(0);
          if (a.hi < c) return a;
          const split = splitSum(a, c);
          if (split) return binary("rem", split.rest, b);
          return intern("rem", "i32", [a, b], "", 0, Math.min(a.hi, c - 1));
        }
        break;
      case "max":
        if (a.lo >= b.hi) return a;
        if (b.lo >= a.hi) return b;
        return intern("max", "i32", [a, b], "", Math.max(a.lo, b.lo), Math.max(a.hi, b.hi));
      case "min":
        if (a.hi <= b.lo) return a;
        if (b.hi <= a.lo) return b;
        return intern("min", "i32", [a, b], "", Math.min(a.lo, b.lo), Math.min(a.hi, b.hi));
    }
  }
  if (cmp && a.dtype === "i32" && b.dtype === "i32") {
    // Decide comparisons that ranges settle (bounds checks of views).
    if (op === "lt" && a.hi < b.lo) return constant(true, "bool");
    if (op === "lt" && a.lo >= b.hi) return constant(false, "bool");
    if (op === "ge" && a.lo >= b.hi) return constant(true, "bool");
    if (op === "ge" && a.hi < b.lo) return constant(false, "bool");
    if (op === "le" && a.hi <= b.lo) return constant(true, "bool");
    if (op === "gt" && a.lo > b.hi) return constant(true, "bool");
  }
  if (t === "bool" && !cmp) {
    if (op === "and") {
      if (a.isConst) return a.value ? b : a;
      if (b.isConst) return b.value ? a : b;
    }
    if (op === "or") {
      if (a.isConst) return a.value ? a : b;
      if (b.isConst) return b.value ? b : a;
    }
  }
  return intern(op, t, [a, b], "");
}

export function unary(op: UnaryOp, x: Node): Node {
  const t = x.dtype;
  if (x.isConst && x.dtype !== "f32") {
    if (op === "neg") return constant(-x.value, t);
    if (op === "not") return constant(t === "bool" ? !x.value : ~x.value, t);
    if (op === "abs") return constant(Math.abs(x.value), t);
  }
  if (op === "not" && x.op === "not") return x.args[0];
  return intern(op, t, [x], "");
}

export function select(cond: Node, onTrue: Node, onFalse: Node): Node {
  if (cond.isConst) return cond.value ? onTrue : onFalse;
  if (onTrue === onFalse) return onTrue;
  const lo = Math.min(onTrue.lo, onFalse.lo);
  const hi = Math.max(onTrue.hi, onFalse.hi);
  return intern("select", onTrue.dtype, [cond, onTrue, onFalse], "", lo, hi);
}

/** Value conversion with WGSL's semantics (`T(x)`; bool ↔ number as 0/1, number → bool as x != 0). */
export function cast(x: Node, t: IRType): Node {
  if (x.dtype === t) return x;
  if (x.isConst && x.dtype !== "f32" && t !== "f32") return constant(x.value, t);
  if (x.isConst && t === "f32") return constant(x.value, "f32");
  if (t === "i32" && x.dtype === "bool") return select(x, i32(1), i32(0));
  return intern("cast", t, [x], "", t === "i32" && x.dtype === "u32" ? Math.max(x.lo, 0) : -Infinity, t === "i32" && x.dtype === "u32" ? x.hi : Infinity);
}

export function bitcast(x: Node, t: IRType): Node {
  if (x.dtype === t) return x;
  if (x.isConst) {
    const bits = x.dtype === "f32" ? f32Bits(x.value) : x.value >>> 0;
    if (t === "f32") {
      U32[0] = bits;
      return constant(F32[0], "f32");
    }
    return constant(bits, t);
  }
  if (x.op === "bitcast" && x.args[0].dtype === t) return x.args[0];
  return intern("bitcast", t, [x], "");
}

/** Rebuild a node of the same kind from new arguments (used by rewrites). */
export function rebuild(n: Node, args: readonly Node[]): Node {
  if (args.every((a, i) => a === n.args[i])) return n;
  switch (n.op) {
    case "const":
    case "var":
      return n;
    case "load":
      return load(n.arg as number, n.dtype, args[0]);
    case "acc":
      return acc(n.arg as number, n.dtype, args);
    case "select":
      return select(args[0], args[1], args[2]);
    case "cast":
      return cast(args[0], n.dtype);
    case "bitcast":
      return bitcast(args[0], n.dtype);
    default:
      return args.length === 1 ? unary(n.op as UnaryOp, args[0]) : binary(n.op as BinaryOp, args[0], args[1]);
  }
}

/**
 * Bottom-up rewrite of the DAGs under `roots`: `fn` may replace a node (given its rewritten
 * arguments); otherwise it is rebuilt with them. Memoized per call, so shared nodes stay shared.
 */
export function rewrite(roots: readonly Node[], fn: (n: Node, args: readonly Node[]) => Node | undefined): Node[] {
  const memo = new Map<Node, Node>();
  const visit = (n: Node): Node => {
    let r = memo.get(n);
    if (r) return r;
    const args = n.args.map(visit);
    r = fn(n, args) ?? rebuild(n, args);
    memo.set(n, r);
    return r;
  };
  return roots.map(visit);
}

/** Every node reachable from `roots`, each once, arguments before users. */
export function topoOrder(roots: readonly Node[]): Node[] {
  const seen = new Set<Node>();
  const out: Node[] = [];
  const stack: [Node, number][] = roots.map((r) => [r, 0]);
  stack.reverse();
  while (stack.length) {
    const top = stack[stack.length - 1];
    const [n, i] = top;
    if (i === 0 && seen.has(n)) {
      stack.pop();
      continue;
    }
    if (i < n.args.length) {
      top[1]++;
      if (!seen.has(n.args[i])) stack.push([n.args[i], 0]);
      continue;
    }
    stack.pop();
    if (!seen.has(n)) {
      seen.add(n);
      out.push(n);
    }
  }
  return out;
}

// ---- shapes as index maps ------------------------------------------------------------------

export function stridesFor(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** Row-major flat index of coordinates `idx` in `shape`. */
export function flatten(idx: readonly Node[], shape: readonly number[]): Node {
  const st = stridesFor(shape);
  let f = i32(0);
  idx.forEach((x, i) => {
    if (shape[i] !== 1) f = binary("add", f, binary("mul", x, i32(st[i])));
  });
  return f;
}

/** Coordinates in `shape` of the row-major flat index `flat`. */
export function unflatten(flat: Node, shape: readonly number[]): Node[] {
  if (shape.includes(0)) return shape.map(() => i32(0)); // no elements: never evaluated
  const st = stridesFor(shape);
  return shape.map((d, i) => (d === 1 ? i32(0) : binary("rem", binary("div", flat, i32(st[i])), i32(d))));
}

/** The loop coordinates c0..c(n-1) of an array of `shape`, the free variables of lazy expressions. */
export function coords(shape: readonly number[], prefix = "c"): Node[] {
  return shape.map((d, i) => loopVar(`${prefix}${i}`, d));
}
