/**
 * The WGSL renderer: kernels (kernel.ts) to compute-shader source plus their dispatch size.
 * Expressions render node by node (`let tN = …;` in dependency order, loop-invariant nodes
 * hoisted out of reduction and scan loops); each kernel kind is one loop-nest template. All
 * semantics live in the IR and its lowering — this file only spells nodes in WGSL, except the
 * monoids of reductions/scans and the register-blocked GEMM body (wgsl_gemm.ts).
 */
import { type IRType, type Node, f32Bits, topoOrder, varName } from "./ir.js";
import type { Kernel, MapKernel, Monoid, ReduceKernel, ScanKernel } from "./kernel.js";
import { renderGemm } from "./wgsl_gemm.js";

export interface RenderedKernel {
  readonly code: string;
  readonly groups: readonly [number, number, number];
}

export const MAX_GROUPS = 65535;

// ---- expressions -----------------------------------------------------------------------

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
      if (!Number.isFinite(v) || Object.is(v, -0) || (a !== 0 && a < 1.1754943508222875e-38)) return `bitcast<f32>(0x${f32Bits(v).toString(16)}u)`;
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
class Emitter {
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
function dependentOn(roots: readonly Node[], v: string): Set<Node> {
  const dep = new Set<Node>();
  for (const n of topoOrder(roots)) if ((n.op === "var" && varName(n) === v) || n.args.some((a) => dep.has(a))) dep.add(n);
  return dep;
}

// ---- shared pieces -------------------------------------------------------------------------

function bindingDecls(k: Kernel, vec4Inputs = 0): string {
  const lines = k.inputs.map((t, i) => `@group(0) @binding(${i}) var<storage, read> in${i}: array<${i < vec4Inputs ? `vec4<${t}>` : t}>;`);
  k.outputs.forEach((t, j) => lines.push(`@group(0) @binding(${k.inputs.length + j}) var<storage, read_write> out${j}: array<${t}>;`));
  return lines.join("\n");
}

/** Store text for a value of type `value` into an output stored as `storage`. */
export function storeText(out: number, index: string, value: string, valueType: IRType): string {
  return `out${out}[${index}] = ${valueType === "bool" ? `select(0u, 1u, ${value})` : value};`;
}

/** A 1-D count of workgroups spread over x and y (each dimension is limited to 65535). */
export function grid(groups: number): [number, number, number] {
  if (groups <= 0) return [0, 1, 1];
  const gx = Math.min(groups, MAX_GROUPS);
  return [gx, Math.ceil(groups / gx), 1];
}

const NAN_TEST = (x: string) => `((bitcast<u32>(${x}) & 0x7fffffffu) > 0x7f800000u)`;

export function monoidInit(m: Monoid, t: IRType): string {
  switch (m) {
    case "sum":
    case "or":
      return literal(0, t);
    case "prod":
      return literal(1, t);
    case "and":
      return t === "i32" ? "(-1i)" : "0xffffffffu";
    case "max":
    case "argmax":
      return t === "f32" ? literal(-Infinity, t) : t === "i32" ? literal(-2147483648, t) : "0u";
    case "min":
    case "argmin":
      return t === "f32" ? literal(Infinity, t) : t === "i32" ? "2147483647i" : "0xffffffffu";
  }
}

/** `fn combine(a, b)` for plain monoids; `fn better(av, ai, bv, bi)` for arg-monoids. */
function monoidFns(m: Monoid, t: IRType): string {
  if (m === "argmax" || m === "argmin") {
    const cmp = m === "argmax" ? ">" : "<";
    const nan = t === "f32" ? `  let an = ${NAN_TEST("av")};\n  let bn = ${NAN_TEST("bv")};\n  if (an || bn) { return an && (!bn || ai < bi); }\n` : "";
    return `fn better(av: ${t}, ai: i32, bv: ${t}, bi: i32) -> bool {\n${nan}  return av ${cmp} bv || (av == bv && ai < bi);\n}`;
  }
  let body: string;
  switch (m) {
    case "sum": body = "a + b"; break;
    case "prod": body = "a * b"; break;
    case "and": body = "a & b"; break;
    case "or": body = "a | b"; break;
    case "max": body = t === "f32" ? `select(b, a, a >= b || ${NAN_TEST("a")})` : "max(a, b)"; break;
    case "min": body = t === "f32" ? `select(b, a, a <= b || ${NAN_TEST("a")})` : "min(a, b)"; break;
  }
  return `fn combine(a: ${t}, b: ${t}) -> ${t} {\n  return ${body};\n}`;
}

// ---- templates ---------------------------------------------------------------------------

const MAP_WG = 64;

function renderMap(k: MapKernel): RenderedKernel {
  const groups = grid(Math.ceil(k.size / MAP_WG));
  const e = new Emitter((name) => (name === "flat" ? "flat" : fail(name)));
  const lines = e.define(k.values, "  ");
  const stores = k.values.map((v, j) => "  " + storeText(j, "flat", e.ref(v), v.dtype));
  const code = `${bindingDecls(k)}

@compute @workgroup_size(${MAP_WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let flat = i32(gid.x) + i32(gid.y) * ${groups[0] * MAP_WG};
  if (flat >= ${k.size}) { return; }
${lines.join("\n")}
${stores.join("\n")}
}
`;
  return { code, groups };
}

function fail(name: string): never {
  throw new Error(`internal: unbound loop variable ${name} in kernel`);
}

function renderReduce(k: ReduceKernel): RenderedKernel {
  const arg = k.monoid === "argmax" || k.monoid === "argmin";
  const t = k.accType;
  const wg = k.tree ? (k.outSize <= 8 && k.redSize >= 16384 ? 256 : 64) : MAP_WG;
  const groups = grid(k.tree ? k.outSize : Math.ceil(k.outSize / MAP_WG));
  const e = new Emitter((name) => (name === "out" || name === "r" || name === "acc" ? name : fail(name)));
  const variant = dependentOn([k.body], "r");
  const pre = e.define([k.body], "  ", (n) => !variant.has(n));
  const inner = e.define([k.body], "    ");
  const v = e.ref(k.body);
  const step = arg ? `    if (better(${v}, r, accv, acci)) { accv = ${v}; acci = r; }` : `    acc = combine(acc, ${v});`;
  const init = arg ? `  var accv: ${t} = ${monoidInit(k.monoid, t)};\n  var acci: i32 = 2147483647i;` : `  var acc: ${t} = ${monoidInit(k.monoid, t)};`;
  const epi = e.define(k.epilogue, "    ");
  const stores = k.epilogue.map((x, j) => "    " + storeText(j, "out", e.ref(x), x.dtype));
  const finish = `${epi.join("\n")}\n${stores.join("\n")}`;
  let main: string;
  if (k.tree) {
    const shared = arg ? `var<workgroup> shv: array<${t}, ${wg}>;\nvar<workgroup> shi: array<i32, ${wg}>;` : `var<workgroup> sh: array<${t}, ${wg}>;`;
    const toShared = arg ? "  shv[lid] = accv;\n  shi[lid] = acci;" : "  sh[lid] = acc;";
    const merge = arg
      ? "if (better(shv[lid + s], shi[lid + s], shv[lid], shi[lid])) { shv[lid] = shv[lid + s]; shi[lid] = shi[lid + s]; }"
      : "sh[lid] = combine(sh[lid], sh[lid + s]);";
    main = `${shared}

@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let out = i32(wid.x) + i32(wid.y) * ${groups[0]};
${pre.join("\n")}
${init}
  for (var r: i32 = i32(lid); r < ${k.redSize}; r = r + ${wg}) {
${inner.join("\n")}
${step}
  }
${toShared}
  workgroupBarrier();
  for (var s: u32 = ${wg / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { ${merge} }
    workgroupBarrier();
  }
  if (lid == 0u && out < ${k.outSize}) {
    let acc = ${arg ? "shi[0]" : "sh[0]"};
${finish}
  }
}
`;
  } else {
    main = `@compute @workgroup_size(${MAP_WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let out = i32(gid.x) + i32(gid.y) * ${groups[0] * MAP_WG};
  if (out >= ${k.outSize}) { return; }
${pre.join("\n")}
${init}
  for (var r: i32 = 0; r < ${k.redSize}; r = r + 1) {
${inner.join("\n")}
${step}
  }
  {
    let acc = ${arg ? "acci" : "acc"};
${finish}
  }
}
`;
  }
  return { code: `${bindingDecls(k)}\n\n${monoidFns(k.monoid, t)}\n\n${main}`, groups };
}

function renderScan(k: ScanKernel): RenderedKernel {
  const t = k.accType;
  const groups = grid(Math.ceil(k.rows / MAP_WG));
  const e = new Emitter((name) => (name === "row" || name === "pos" ? name : fail(name)));
  const variant = dependentOn([k.body, k.outIndex], "pos");
  const pre = e.define([k.body, k.outIndex], "  ", (n) => !variant.has(n));
  const inner = e.define([k.body, k.outIndex], "    ");
  const code = `${bindingDecls(k)}

${monoidFns(k.monoid, t)}

@compute @workgroup_size(${MAP_WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let row = i32(gid.x) + i32(gid.y) * ${groups[0] * MAP_WG};
  if (row >= ${k.rows}) { return; }
${pre.join("\n")}
  var acc: ${t} = ${monoidInit(k.monoid, t)};
  for (var step: i32 = 0; step < ${k.length}; step = step + 1) {
    let pos = ${k.reverse ? `${k.length - 1} - step` : "step"};
${inner.join("\n")}
    acc = select(combine(acc, ${e.ref(k.body)}), ${e.ref(k.body)}, step == 0);
    out0[${e.ref(k.outIndex)}] = acc;
  }
}
`;
  return { code, groups };
}

export function renderKernel(k: Kernel): RenderedKernel {
  switch (k.kind) {
    case "map":
      return renderMap(k);
    case "reduce":
      return renderReduce(k);
    case "scan":
      return renderScan(k);
    case "gemm":
      return renderGemm(k, (varText) => new Emitter(varText), bindingDecls(k, 2));
  }
}

export type { Emitter };
