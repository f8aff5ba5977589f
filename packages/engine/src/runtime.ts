/**
 * Runtime entry points of DESIGN.md §3/§7: choosing a backend (`init`), listing
 * devices, moving arrays (`devicePut`) and waiting for queued work
 * (`blockUntilReady` on any pytree of arrays).
 */
import { type Array } from "./core/tracer.js";
import { treeLeaves } from "./core/tree.js";
import type { Device } from "./backend/backend.js";
import { ArrayImpl, fromHostData, getBackend, setBackend } from "./array.js";
import { CpuBackend } from "./backend/cpu/cpu_backend.js";
import { createWebGpuBackend } from "./backend/webgpu/device.js";
import type { WebGpuBackend } from "./backend/webgpu/webgpu_backend.js";
import { isArray } from "./lax/lax.js";

export interface InitOptions {
  /**
   * "cpu", "webgpu" (navigator.gpu in browsers; Dawn from the npm package `webgpu` in Node), or
   * "auto" (the default): WebGPU when an adapter exists, else the CPU with the reason logged.
   */
  backend?: "cpu" | "webgpu" | "auto";
}

let webgpu: WebGpuBackend | null = null;

/** Select the default backend for new arrays. Returns the devices of that backend. */
export async function init(opts: InitOptions = {}): Promise<readonly Device[]> {
  // In Node the KILN_BACKEND environment variable picks the default (DESIGN.md §7); browsers have no process.
  const envBackend = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.KILN_BACKEND;
  const want = opts.backend ?? (envBackend as InitOptions["backend"]) ?? "auto";
  if (want === "auto") {
    try {
      return await init({ backend: "webgpu" });
    } catch (e) {
      console.info(`Kiln: no WebGPU adapter (${(e as Error).message}); using the CPU backend.`);
      return init({ backend: "cpu" });
    }
  }
  if (want === "webgpu") {
    // One device per process: later calls reuse it unless it was lost.
    if (!webgpu || webgpu.client.lostReason) webgpu = await createWebGpuBackend();
    setBackend(webgpu);
    return devices();
  }
  if (want !== "cpu") throw new Error(`init: unknown backend ${JSON.stringify(want)}; expected "cpu", "webgpu" or "auto".`);
  if (getBackend().platform !== "cpu") setBackend(new CpuBackend());
  return devices();
}

/** The devices of the current default backend, e.g. `[CpuDevice(id=0)]`. */
export function devices(): readonly Device[] {
  return getBackend().devices;
}

/** Copy a value (Array, JS number/array, or typed array) to the default device. */
export function devicePut(x: unknown): Array {
  if (x instanceof ArrayImpl) {
    if (x.backend === getBackend()) return x;
    const data = x.dataSync();
    return fromHostData(data, x.shape, x.dtype, x.weakType);
  }
  if (isArray(x)) return x;
  throw new TypeError("devicePut: expected an Array; create arrays with np.array(...) first.");
}

/** Wait until every array in the pytree has been computed (JAX's jax.block_until_ready). */
export async function blockUntilReady<T>(tree: T): Promise<T> {
  await Promise.all(treeLeaves(tree).filter((l): l is ArrayImpl => l instanceof ArrayImpl).map((a) => a.blockUntilReady()));
  return tree;
}
