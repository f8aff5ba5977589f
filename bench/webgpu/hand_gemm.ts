/// <reference types="@webgpu/types" />
// The hand-written WGSL reference kernels of the WebGPU peer benchmark, following DESIGN.md §8:
// - GEMM C = A·B (f32, M×K times K×N): every invocation keeps a tm×tn block of C in vec4
//   registers; no workgroup memory, no barriers; B read as array<vec4<f32>> rows along n; A
//   packed k-major (Aᵀ, K×M) so each k step loads whole vec4s of A; the K loop unrolled so one body
//   holds at most 64 vec4 multiply-adds; optionally (adapter subgroup size 4, `subgroups`
//   feature) each lane of a subgroup loads one vec4 of A and shares it with subgroupBroadcast.
// - The fused 8-op elementwise chain of the chain workload, as one vec4 pass (the roofline a
//   fusing jit can reach), and a plain buffer copy.
// Sizes must be multiples of the tile (the benchmark uses powers of two ≥ 256).

export interface GemmConfig {
  /** Rows of C per invocation (multiple of 4). */
  tm: number;
  /** Columns of C per invocation (multiple of 4). */
  tn: number;
  /** k steps per loop body. */
  unroll: number;
  /** Workgroup size (x along n tiles, y along m tiles). */
  wx: number;
  wy: number;
  /** Share A loads across a subgroup of 4 lanes (needs tm = 16 and subgroup size 4). */
  subgroups: boolean;
}

export function describeGemm(c: GemmConfig): string {
  return `${c.tm}x${c.tn} per invocation, unroll ${c.unroll}, workgroup ${c.wx}x${c.wy}${c.subgroups ? ", subgroupBroadcast of A" : ""}`;
}

const LANES = ["x", "y", "z", "w"];

/** WGSL of C[M×N] = Aᵀ[K×M]ᵀ · B[K×N], bindings: 0 = Aᵀ (vec4 along m), 1 = B (vec4 along n), 2 = C. */
export function gemmWgsl(M: number, N: number, K: number, c: GemmConfig): string {
  const { tm, tn, unroll } = c;
  if (M % tm || N % tn || K % unroll || tm % 4 || tn % 4) throw new Error(`gemm ${M}x${N}x${K}: sizes must be multiples of the ${tm}x${tn} tile and of unroll ${unroll}`);
  if (c.subgroups && tm !== 16) throw new Error("the subgroup variant needs tm = 16");
  const M4 = M / 4;
  const N4 = N / 4;
  const am = tm / 4;
  const bn = tn / 4;
  const L: string[] = [];
  if (c.subgroups) L.push("enable subgroups;");
  L.push(
    "@group(0) @binding(0) var<storage, read> at: array<vec4<f32>>;",
    "@group(0) @binding(1) var<storage, read> b: array<vec4<f32>>;",
    "@group(0) @binding(2) var<storage, read_write> c: array<vec4<f32>>;",
    `@compute @workgroup_size(${c.wx}, ${c.wy})`,
    c.subgroups
      ? "fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(subgroup_invocation_id) lane: u32) {"
      : "fn main(@builtin(global_invocation_id) gid: vec3<u32>) {",
  );
  // With subgroups every lane must reach the broadcasts: the dispatch covers the tiles exactly.
  if (!c.subgroups) L.push(`  if (gid.x >= ${N / tn}u || gid.y >= ${M / tm}u) { return; }`);
  L.push(`  var ao = gid.y * ${am}u${c.subgroups ? " + lane" : ""};`, `  var bo = gid.x * ${bn}u;`);
  for (let r = 0; r < tm; r++) for (let j = 0; j < bn; j++) L.push(`  var c${r}_${j} = vec4<f32>();`);
  L.push(`  for (var k = 0u; k < ${K}u; k += ${unroll}u) {`);
  for (let s = 0; s < unroll; s++) {
    const off = (base: string, step: number) => (s === 0 ? base : `${base} + ${s * step}u`);
    if (c.subgroups) {
      L.push(`    let mine${s} = at[${off("ao", M4)}];`);
      for (let i = 0; i < am; i++) L.push(`    let a${s}_${i} = subgroupBroadcast(mine${s}, ${i}u);`);
    } else {
      for (let i = 0; i < am; i++) L.push(`    let a${s}_${i} = at[${off("ao", M4)}${i ? ` + ${i}u` : ""}];`);
    }
    for (let j = 0; j < bn; j++) L.push(`    let b${s}_${j} = b[${off("bo", N4)}${j ? ` + ${j}u` : ""}];`);
    for (let r = 0; r < tm; r++) {
      for (let j = 0; j < bn; j++) L.push(`    c${r}_${j} += a${s}_${r >> 2}.${LANES[r & 3]} * b${s}_${j};`);
    }
  }
  L.push(`    ao += ${unroll * M4}u;`, `    bo += ${unroll * N4}u;`, "  }");
  L.push(`  let row = gid.y * ${tm}u;`, `  let col = gid.x * ${bn}u;`);
  for (let r = 0; r < tm; r++) for (let j = 0; j < bn; j++) L.push(`  c[(row + ${r}u) * ${N4}u + col${j ? ` + ${j}u` : ""}] = c${r}_${j};`);
  L.push("}");
  return L.join("\n");
}

/** The raw device the hand-written kernels run on (its own requestAdapter on the same adapter). */
export interface RawGpu {
  device: GPUDevice;
  adapterInfo: GPUAdapterInfo;
  features: string[];
  errors: string[];
}

export async function rawGpu(): Promise<RawGpu> {
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) throw new Error("navigator.gpu.requestAdapter() returned null");
  const want: GPUFeatureName[] = adapter.features.has("subgroups" as GPUFeatureName) ? ["subgroups" as GPUFeatureName] : [];
  const device = await adapter.requestDevice({
    requiredFeatures: want,
    requiredLimits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
      maxComputeInvocationsPerWorkgroup: adapter.limits.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupSizeX: adapter.limits.maxComputeWorkgroupSizeX,
      maxComputeWorkgroupSizeY: adapter.limits.maxComputeWorkgroupSizeY,
    },
  });
  const errors: string[] = [];
  device.addEventListener("uncapturederror", (e) => errors.push((e as GPUUncapturedErrorEvent).error.message));
  return { device, adapterInfo: adapter.info, features: [...adapter.features].sort(), errors };
}

function storage(device: GPUDevice, data: Float32Array | number, usage = 0): GPUBuffer {
  const bytes = typeof data === "number" ? data : data.byteLength;
  const buf = device.createBuffer({ size: bytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST | usage });
  if (typeof data !== "number") device.queue.writeBuffer(buf, 0, data);
  return buf;
}

/**
 * Submit and wait for the queue. The submission sits inside a validation error scope: it reports
 * errors, and popping the scope makes Chromium flush the submission to the GPU process at once —
 * a bare `submit(); await onSubmittedWorkDone()` was measured here to wait ~2.4 ms more at times.
 */
export async function submitAndWait(device: GPUDevice, commands: GPUCommandBuffer[]): Promise<void> {
  device.pushErrorScope("validation");
  device.queue.submit(commands);
  const scope = device.popErrorScope();
  await device.queue.onSubmittedWorkDone();
  const err = await scope;
  if (err) throw new Error(err.message);
}

export async function readBuffer(device: GPUDevice, src: GPUBuffer, bytes: number): Promise<Float32Array> {
  const staging = device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(src, 0, staging, 0, bytes);
  device.queue.submit([enc.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const out = new Float32Array(staging.getMappedRange().slice(0));
  staging.unmap();
  staging.destroy();
  return out;
}

async function compile(g: RawGpu, code: string, label: string): Promise<GPUComputePipeline> {
  g.device.pushErrorScope("validation");
  const module = g.device.createShaderModule({ code, label });
  const pipeline = await g.device.createComputePipelineAsync({ layout: "auto", compute: { module, entryPoint: "main" }, label });
  const err = await g.device.popErrorScope();
  if (err) throw new Error(`${label}: ${err.message}`);
  return pipeline;
}

/** One prepared GEMM: `run()` dispatches once and resolves at onSubmittedWorkDone. */
export interface PreparedGemm {
  run(): Promise<void>;
  read(): Promise<Float32Array>;
  destroy(): void;
}

/** Upload A (row-major M×K, packed k-major here, outside any timing) and B, compile the kernel. */
export async function prepareGemm(g: RawGpu, a: Float32Array, b: Float32Array, M: number, N: number, K: number, cfg: GemmConfig): Promise<PreparedGemm> {
  const at = new Float32Array(K * M);
  for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) at[k * M + i] = a[i * K + k];
  const { device } = g;
  const bufA = storage(device, at);
  const bufB = storage(device, b);
  const bufC = storage(device, M * N * 4);
  const pipeline = await compile(g, gemmWgsl(M, N, K, cfg), `hand_gemm_${M}x${N}x${K}`);
  const bind = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [bufA, bufB, bufC].map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const gx = Math.ceil(N / cfg.tn / cfg.wx);
  const gy = Math.ceil(M / cfg.tm / cfg.wy);
  if (cfg.subgroups && (gx * cfg.wx !== N / cfg.tn || gy * cfg.wy !== M / cfg.tm)) throw new Error("subgroup GEMM: the workgroup must tile the output exactly");
  return {
    async run() {
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bind);
      pass.dispatchWorkgroups(gx, gy);
      pass.end();
      await submitAndWait(device, [enc.finish()]);
    },
    read: () => readBuffer(device, bufC, M * N * 4),
    destroy() {
      for (const x of [bufA, bufB, bufC]) x.destroy();
    },
  };
}

/** The chain workload's 8 ops, as written for every library: ((|(x·1.5 + 0.5)·x − 3|)^½ + x)·0.25. */
export function chainCpu(x: number): number {
  const f = Math.fround;
  let y = f(x * 1.5);
  y = f(y + 0.5);
  y = f(y * x);
  y = f(y - 3);
  y = Math.abs(y);
  y = f(Math.sqrt(y));
  y = f(y + x);
  return f(y * 0.25);
}

const CHAIN_WGSL = `
@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * 256u;
  if (i >= arrayLength(&x)) { return; }
  let v = x[i];
  y[i] = (sqrt(abs((v * 1.5 + 0.5) * v - 3.0)) + v) * 0.25;
}`;

/** The hand-fused chain and a plain buffer copy over n floats, each resolving at onSubmittedWorkDone. */
export async function prepareChain(g: RawGpu, x: Float32Array): Promise<{ chain(): Promise<void>; copy(): Promise<void>; read(): Promise<Float32Array>; destroy(): void }> {
  const { device } = g;
  const bytes = x.byteLength;
  const bufX = storage(device, x);
  const bufY = storage(device, bytes);
  const bufZ = storage(device, bytes);
  const pipeline = await compile(g, CHAIN_WGSL, "hand_chain");
  const bind = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [bufX, bufY].map((buffer, binding) => ({ binding, resource: { buffer } })) });
  const groups = Math.ceil(x.length / 4 / 256);
  const gx = Math.min(groups, 32768);
  const gy = Math.ceil(groups / gx);
  return {
    async chain() {
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bind);
      pass.dispatchWorkgroups(gx, gy);
      pass.end();
      await submitAndWait(device, [enc.finish()]);
    },
    async copy() {
      const enc = device.createCommandEncoder();
      enc.copyBufferToBuffer(bufX, 0, bufZ, 0, bytes);
      await submitAndWait(device, [enc.finish()]);
    },
    read: () => readBuffer(device, bufY, bytes),
    destroy() {
      for (const b of [bufX, bufY, bufZ]) b.destroy();
    },
  };
}

/** A tiny kernel (y = a + b over 16 floats) for the raw dispatch-latency floor. */
export async function prepareTinyAdd(g: RawGpu): Promise<{ once(): Promise<void>; many(n: number): Promise<void> }> {
  const { device } = g;
  const code = `
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(16)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) { y[gid.x] = a[gid.x] + b[gid.x]; }`;
  const pipeline = await compile(g, code, "tiny_add");
  const data = Float32Array.from({ length: 16 }, (_, i) => i);
  const bufs = [storage(device, data), storage(device, data), storage(device, 64)];
  const bind = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: bufs.map((buffer, binding) => ({ binding, resource: { buffer } })) });
  const encodeOne = () => {
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bind);
    pass.dispatchWorkgroups(1);
    pass.end();
    return enc.finish();
  };
  return {
    once: () => submitAndWait(device, [encodeOne()]),
    async many(n: number) {
      for (let i = 0; i < n - 1; i++) device.queue.submit([encodeOne()]);
      await submitAndWait(device, [encodeOne()]);
    },
  };
}
