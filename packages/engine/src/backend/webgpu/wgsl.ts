/**
 * The WGSL renderer: kernels (kernel.ts) to compute-shader source plus their dispatch size, one
 * loop-nest template per kernel kind — map, reduce (serial or workgroup tree), scan, scatter
 * (atomics, compare-exchange loops for floats) and GEMM (wgsl_gemm.ts). Expressions are spelled
 * by wgsl_expr.ts; all semantics live in the IR and its lowering, the templates only add the
 * loops, the monoids of reductions/scans and the stores.
 */
import type { IRType } from "./ir.js";
import type { Kernel, MapKernel, Monoid, ReduceKernel, ScanKernel, ScatterKernel } from "./kernel.js";
import { Emitter, dependentOn, literal } from "./wgsl_expr.js";
import { renderGemm } from "./wgsl_gemm.js";

export interface RenderedKernel {
  readonly code: string;
  readonly groups: readonly [number, number, number];
}

export const MAX_GROUPS = 65535;

// ---- shared pieces -------------------------------------------------------------------------

/** A float from its bits at run time (a user function call is not a const-expression). */
const PRELUDE = "fn f32_bits(b: u32) -> f32 {\n  return bitcast<f32>(b);\n}";

function bindingDecls(k: Kernel, vec4Inputs = 0, atomicOutputs = false): string {
  const lines = [PRELUDE, ""];
  lines.push(...k.inputs.map((t, i) => `@group(0) @binding(${i}) var<storage, read> in${i}: array<${i < vec4Inputs ? `vec4<${t}>` : t}>;`));
  k.outputs.forEach((t, j) => lines.push(`@group(0) @binding(${k.inputs.length + j}) var<storage, read_write> out${j}: array<${atomicOutputs ? `atomic<${t}>` : t}>;`));
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

function renderScatter(k: ScatterKernel): RenderedKernel {
  const groups = grid(Math.ceil(k.size / MAP_WG));
  const t = k.value.dtype;
  const word = k.outputs[0];
  const encode = (v: string) => (t === "f32" ? `bitcast<u32>(${v})` : t === "bool" ? `select(0u, 1u, ${v})` : v);
  const decode = t === "f32" ? "bitcast<f32>(old)" : t === "bool" ? "(old != 0u)" : "old";
  const e = new Emitter((name) => (name === "flat" || name === "cur" ? name : name === "upd" ? "upd" : fail(name)));
  const lines = e.define([k.target, k.valid, k.value], "  ");
  let update: string;
  if (k.atomic) update = `    ${k.atomic}(&out0[i], ${encode("upd")});`;
  else if (!k.combine) update = `    atomicStore(&out0[i], ${encode("upd")});`;
  else {
    const inner = e.define([k.combine], "      ");
    update = `    var old: ${word} = atomicLoad(&out0[i]);
    loop {
      let cur = ${decode};
${inner.join("\n")}
      let r = atomicCompareExchangeWeak(&out0[i], old, ${encode(e.ref(k.combine))});
      if (r.exchanged) { break; }
      old = r.old_value;
    }`;
  }
  const code = `${bindingDecls(k, 0, true)}

@compute @workgroup_size(${MAP_WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let flat = i32(gid.x) + i32(gid.y) * ${groups[0] * MAP_WG};
  if (flat >= ${k.size}) { return; }
${lines.join("\n")}
  if (${e.ref(k.valid)}) {
    let i = ${e.ref(k.target)};
    let upd = ${e.ref(k.value)};
${update}
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
    case "scatter":
      return renderScatter(k);
    case "gemm":
      return renderGemm(k, bindingDecls(k, 2));
  }
}

