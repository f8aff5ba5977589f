/**
 * WGSL spelling of IR expressions: literals (inf/NaN/-0/subnormals built at run time, since WGSL
 * rejects them as constants), one template per op, and an emitter that defines each node once
 * as a `let` in dependency order — optionally only the nodes that do or do not depend on a loop
 * variable, so kernel templates can hoist loop-invariant work.
 */
import { type IRType, type Node, f32Bits, topoOrder, varName } from "./ir.js";

export function literal(v: number, t: IRType): string {
  switch (t) {
    case "bool":
      return v ? "true" : "false";
    case "u32":
      return `${v >>> 0}u`;
    case "i32":
      return v === -2147483648 ? "bitcast<i32>(0x80000000u)" : v < 0 ? `(${v}i)` : `${v}i`;
    case "f32": {
      const a = Math.abs(v);
      // Not as a const-expression: WGSL rejects constant inf/NaN, and subnormals may be flushed.
      if (!Number.isFinite(v) || Object.is(v, -0) || (a !== 0 && a < 1.1754943508222875e-38)) return `f32_bits(0x${f32Bits(v).toString(16)}u)`;
      const s = String(v);
      return (/[.e]/.test(s) ? s : `${s}.0`) + "f";
    }
  }
}

const INFIX: Partial<Record<string, string>> = {
  add: "+", sub: "-", mul: "*", div: "/", rem: "%", eq: "==", ne: "!=", lt: "<", le: "<=", gt: ">", ge: ">=", shl: "<<", shr: ">>",
};
const BUILTIN: Partial<Record<string, string>> = {
  abs: "abs", floor: "floor", ceil: "ceil", round: "round", trunc: "trunc", sign: "sign", exp: "exp", exp2: "exp2", log: "log",
  log2: "log2", sin: "sin", cos: "cos", tan: "tan", asin: "asin", acos: "acos", atan: "atan", sinh: "sinh", cosh: "cosh",
  tanh: "tanh", asinh: "asinh", acosh: "acosh", atanh: "atanh", sqrt: "sqrt", rsqrt: "inverseSqrt", max: "max", min: "min",
  pow: "pow", atan2: "atan2",
};

function renderOp(n: Node, a: readonly string[], loadText: (buf: number, index: string) => string): string {
  const t = n.dtype;
  switch (n.op) {
    case "load":
      return loadText(n.arg as number, a[0]);
    case "select":
      return `select(${a[2]}, ${a[1]}, ${a[0]})`;
    case "cast": {
      const from = n.args[0].dtype;
      if (t === "bool") return `(${a[0]} != ${literal(0, from)})`;
      if (from === "bool") return `select(${literal(0, t)}, ${literal(1, t)}, ${a[0]})`;
      return `${t}(${a[0]})`;
    }
    case "bitcast":
      return `bitcast<${t}>(${a[0]})`;
    case "neg":
      return t === "u32" ? `(0u - ${a[0]})` : `(-${a[0]})`;
    case "not":
      return t === "bool" ? `(!${a[0]})` : `(~${a[0]})`;
    case "and":
      return `(${a[0]} & ${a[1]})`;
    case "or":
      return `(${a[0]} | ${a[1]})`;
    case "xor":
      return t === "bool" ? `(${a[0]} != ${a[1]})` : `(${a[0]} ^ ${a[1]})`;
    case "abs":
      return t === "u32" ? a[0] : `abs(${a[0]})`;
  }
  const infix = INFIX[n.op];
  if (infix) return `(${a[0]} ${infix} ${a[1]})`;
  const fn = BUILTIN[n.op];
  if (fn) return `${fn}(${a.join(", ")})`;
  throw new Error(`internal: no WGSL for IR op ${n.op}`);
}

/** Renders expression DAGs as `let` statements, remembering what is already defined. */
export class Emitter {
  private readonly names = new Map<Node, string>();
  private counter = 0;
  constructor(
    private readonly varText: (name: string, n: Node) => string,
    private readonly loadText: (buf: number, index: string) => string = (b, i) => `in${b}[${i}]`,
  ) {}

  ref(n: Node): string {
    if (n.op === "const") return literal(n.value, n.dtype);
    if (n.op === "var") return this.varText(varName(n), n);
    const s = this.names.get(n);
    if (s === undefined) throw new Error(`internal: node ${n.op} used before definition`);
    return s;
  }

  /** Lines defining every not-yet-defined node under `roots` (optionally only those passing `filter`). */
  define(roots: readonly Node[], indent: string, filter: (n: Node) => boolean = () => true): string[] {
    const lines: string[] = [];
    for (const n of topoOrder(roots)) {
      if (n.op === "const" || n.op === "var" || this.names.has(n) || !filter(n)) continue;
      if (n.op === "acc") throw new Error("internal: unresolved acc node in a kernel");
      const name = `t${this.counter++}`;
      lines.push(`${indent}let ${name}: ${n.dtype} = ${renderOp(n, n.args.map((x) => this.ref(x)), this.loadText)};`);
      this.names.set(n, name);
    }
    return lines;
  }
}

/** Nodes under `roots` whose value depends on the variable named `v`. */
export function dependentOn(roots: readonly Node[], v: string): Set<Node> {
  const dep = new Set<Node>();
  for (const n of topoOrder(roots)) if ((n.op === "var" && varName(n) === v) || n.args.some((a) => dep.has(a))) dep.add(n);
  return dep;
}
