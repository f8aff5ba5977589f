/**
 * The GEMM template (DESIGN.md §8): every invocation keeps a tm × tn block of C in vec4
 * registers, with no workgroup memory and no barriers (the fastest shape measured on
 * SwiftShader/llvmpipe). B is read as vec4 rows along n; A either k-major (vec4 along m, one
 * scalar broadcast per row) or row-major with vec4 along k. The K loop is unrolled so that one
 * body holds about 64 vec4 multiply-adds. Edge tiles clamp their loads and the epilogue
 * function bounds-checks each store.
 */
import type { IRType } from "./ir.js";
import type { GemmKernel } from "./kernel.js";
import { type RenderedKernel, storeText } from "./wgsl.js";
import { Emitter } from "./wgsl_expr.js";

const LANES = ["x", "y", "z", "w"];

/** K steps per loop body so that one body holds about 64 vec4 multiply-adds (DESIGN.md §8). */
export function gemmUnroll(layout: "mk" | "km", tm: number, tn: number): number {
  const macsPerStep = layout === "km" ? (tm * tn) / 4 : tm * tn;
  return Math.max(1, Math.floor(64 / macsPerStep));
}

const pow2ceil = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(1, n)));

export function renderGemm(k: GemmKernel, decls: string): RenderedKernel {
  const { tm, tn, M, N, K } = k;
  const t: IRType = k.accType;
  const V = `vec4<${t}>`;
  const nj = tn / 4;
  const tilesN = Math.ceil(N / tn);
  const tilesM = Math.ceil(M / tm);
  const wx = Math.min(8, pow2ceil(tilesN));
  const wy = Math.min(64 / wx, pow2ceil(tilesM));
  const groups: [number, number, number] = [Math.ceil(tilesN / wx), Math.ceil(tilesM / wy), k.batch];

  const e = new Emitter((name) => (["b", "m", "n", "acc"].includes(name) ? name : `/*unbound ${name}*/`));
  const epi = e.define(k.epilogue, "  ");
  const stores = k.epilogue.map((x, j) => "  " + storeText(j, "o", e.ref(x), x.dtype));

  const lines: string[] = [];
  const L = (s: string) => lines.push(s);
  L(`  let tn = i32(gid.x);`);
  L(`  let tm = i32(gid.y);`);
  L(`  let b = i32(gid.z);`);
  L(`  if (tn >= ${tilesN} || tm >= ${tilesM}) { return; }`);
  L(`  let m0 = tm * ${tm};`);
  L(`  let n0 = tn * ${tn};`);
  for (let j = 0; j < nj; j++) L(`  let bc${j} = b * ${k.bBatch} + min(tn * ${nj} + ${j}, ${k.bRow - 1});`);
  for (let r = 0; r < tm; r++) for (let j = 0; j < nj; j++) L(`  var c${r}_${j} = ${V}();`);
  const unroll = k.unroll;
  const body: string[] = [];
  // Running offsets (ao, bo) instead of k-multiplies: SwiftShader's Subzero JIT does not strength-reduce.
  const aStep = k.aLayout === "km" ? k.aRow : 1;
  const bStep = k.aLayout === "km" ? k.bRow : 4 * k.bRow;
  if (k.aLayout === "km") {
    for (let i = 0; i < tm / 4; i++) L(`  let ac${i} = b * ${k.aBatch} + min(tm * ${tm / 4} + ${i}, ${k.aRow - 1});`);
    for (let i = 0; i < tm / 4; i++) body.push(`let a${i} = in0[ac${i} + ao];`);
    for (let j = 0; j < nj; j++) body.push(`let b${j} = in1[bc${j} + bo];`);
    for (let r = 0; r < tm; r++) for (let j = 0; j < nj; j++) body.push(`c${r}_${j} += a${r >> 2}.${LANES[r & 3]} * b${j};`);
  } else {
    for (let r = 0; r < tm; r++) L(`  let ar${r} = b * ${k.aBatch} + min(m0 + ${r}, ${M - 1}) * ${k.aRow};`);
    for (let r = 0; r < tm; r++) body.push(`let a${r} = in0[ar${r} + ao];`);
    for (let q = 0; q < 4; q++) for (let j = 0; j < nj; j++) body.push(`let b${q}_${j} = in1[bc${j} + bo + ${q * k.bRow}];`);
    for (let r = 0; r < tm; r++)
      for (let j = 0; j < nj; j++) body.push(`c${r}_${j} += ${LANES.map((l, q) => `a${r}.${l} * b${q}_${j}`).join(" + ")};`);
  }
  body.push(`ao = ao + ${aStep};`, `bo = bo + ${bStep};`);
  const steps = k.aLayout === "km" ? K : K / 4;
  const block = () => `    {\n${body.map((s) => "      " + s).join("\n")}\n    }`;
  L(`  var k: i32 = 0;`);
  L(`  var ao: i32 = 0;`);
  L(`  var bo: i32 = 0;`);
  if (unroll > 1 && steps >= unroll) {
    const unrolled: string[] = [];
    for (let u = 0; u < unroll; u++) unrolled.push(block());
    L(`  for (; k + ${unroll} <= ${steps}; k = k + ${unroll}) {\n${unrolled.join("\n")}\n  }`);
  }
  L(`  for (; k < ${steps}; k = k + 1) {\n${block()}\n  }`);
  for (let r = 0; r < tm; r++)
    for (let j = 0; j < nj; j++) for (let q = 0; q < 4; q++) L(`  epi(c${r}_${j}.${LANES[q]}, b, m0 + ${r}, n0 + ${4 * j + q});`);

  const code = `${decls}

fn epi(acc: ${t}, b: i32, m: i32, n: i32) {
  if (m >= ${M} || n >= ${N}) { return; }
  let o = (b * ${M} + m) * ${N} + n;
${epi.join("\n")}
${stores.join("\n")}
}

@compute @workgroup_size(${wx}, ${wy})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
${lines.join("\n")}
}
`;
  return { code, groups };
}
