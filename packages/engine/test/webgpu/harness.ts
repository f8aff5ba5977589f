// Shared setup of the WebGPU tests (Node, Dawn on SwiftShader): one backend per test file,
// skipped with a printed reason only when no adapter can be created; differential runs of a
// primitive on the CPU reference backend and on WebGPU; seeded random data; tolerant compares.
import { afterEach, expect } from "vitest";
import { ShapedArray } from "../../src/core/aval.js";
import { abstractEval } from "../../src/core/abstract_eval.js";
import { type DType, type TypedArray, allocTyped, castScalar } from "../../src/core/dtype.js";
import type { PrimitiveName, PrimitiveParams } from "../../src/core/primitives.js";
import { CpuBackend } from "../../src/backend/cpu/cpu_backend.js";
import type { HostArray } from "../../src/backend/cpu/host_array.js";
import { createWebGpuBackend } from "../../src/backend/webgpu/device.js";
import type { WebGpuBackend } from "../../src/backend/webgpu/webgpu_backend.js";

/** The backend for this test file, or null (and a printed reason) when no WebGPU adapter exists. */
export async function acquireGpu(): Promise<WebGpuBackend | null> {
  try {
    const gpu = await createWebGpuBackend();
    let seen = 0;
    afterEach(async () => {
      await gpu.synchronize();
      const fresh = gpu.uncapturedErrors.slice(seen);
      seen = gpu.uncapturedErrors.length;
      expect(fresh.join("\n"), "uncaptured WebGPU errors").toBe("");
    });
    return gpu;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // Only a missing adapter (no Vulkan/SwiftShader, no Dawn package) skips; anything else is a bug.
    if (!/no WebGPU adapter|needs the npm package `webgpu`|WebGPU is not available/.test(message)) throw e;
    console.warn(`Skipping WebGPU tests: no WebGPU adapter could be created (${message}).`);
    return null;
  }
}

export const cpu = new CpuBackend();

// ---- data --------------------------------------------------------------------------------

/** mulberry32: a small seeded generator so failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DataSpec {
  lo?: number;
  hi?: number;
  /** Extra values mixed in (NaN, ±Infinity, 0, -0, …). */
  specials?: readonly number[];
}

export function randomHost(r: () => number, shape: readonly number[], dtype: DType, spec: DataSpec = {}): HostArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = allocTyped(dtype, n);
  const lo = spec.lo ?? (dtype === "uint32" ? 0 : -10);
  const hi = spec.hi ?? 10;
  for (let i = 0; i < n; i++) {
    let v: number;
    if (spec.specials && spec.specials.length && r() < 0.15) v = spec.specials[Math.floor(r() * spec.specials.length)];
    else if (dtype === "bool") v = r() < 0.5 ? 1 : 0;
    else if (dtype === "float32") v = lo + (hi - lo) * r();
    else v = Math.floor(lo + (hi - lo + 1) * r());
    data[i] = castScalar(v, dtype);
  }
  return { shape, dtype, data };
}

/** A random shape of rank `rank` with dims in [lo, hi] (odd sizes, 1s and occasionally 0). */
export function randomShape(r: () => number, rank: number, hi = 9, allowZero = true): number[] {
  return Array.from({ length: rank }, () => {
    const u = r();
    if (allowZero && u < 0.05) return 0;
    if (u < 0.2) return 1;
    return 1 + Math.floor(r() * hi);
  });
}

// ---- running and comparing ------------------------------------------------------------------

export interface Tolerance {
  rtol?: number;
  atol?: number;
}

/** Run `prim` on both backends and compare every output (floats within tolerance, others exactly). */
export async function checkPrimitive<P extends PrimitiveName>(
  gpu: WebGpuBackend,
  prim: P,
  inputs: readonly HostArray[],
  params: PrimitiveParams[P],
  tol: Tolerance = {},
  label = "",
): Promise<void> {
  const avals = inputs.map((h) => new ShapedArray(h.shape, h.dtype));
  const outAvals = abstractEval(prim, avals, params);
  const want = cpu.executePrimitive(prim, inputs.map((h) => cpu.upload(h)), params, outAvals) as HostArray[];
  const bufs = inputs.map((h) => gpu.upload(h));
  const got = gpu.executePrimitive(prim, bufs, params, outAvals);
  for (let i = 0; i < outAvals.length; i++) {
    const data = await gpu.read(got[i], outAvals[i]);
    expectClose(data, want[i].data, outAvals[i].dtype, tol, `${prim}${label} output ${i} (${outAvals[i].strShort()}) inputs ${avals.map((a) => a.strShort()).join(", ")}`);
  }
  for (const b of [...bufs, ...got]) gpu.free(b);
}

export function expectClose(got: TypedArray, want: TypedArray, dtype: DType, tol: Tolerance, what: string): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  const rtol = tol.rtol ?? 1e-5;
  const atol = tol.atol ?? 1e-6;
  for (let i = 0; i < want.length; i++) {
    const g = got[i];
    const w = want[i];
    if (dtype !== "float32") {
      if (g !== w) expect(g, `${what}: element ${i}`).toBe(w);
      continue;
    }
    if (Number.isNaN(w) || Number.isNaN(g)) {
      if (!(Number.isNaN(w) && Number.isNaN(g))) expect(g, `${what}: element ${i}`).toBe(w);
      continue;
    }
    if (!Number.isFinite(w) || !Number.isFinite(g)) {
      if (g !== w) expect(g, `${what}: element ${i}`).toBe(w);
      continue;
    }
    if (Math.abs(g - w) > atol + rtol * Math.abs(w)) expect(g, `${what}: element ${i} (want ${w}, |diff| ${Math.abs(g - w)})`).toBe(w);
  }
}
