// The kernel worker: owns the engine (and its GPU device), the @kiln/plot worker half, and one
// @kiln/kernel Kernel whose cells import those very instances. Serves the page over Comlink
// (kernel/worker_api.ts). The interrupt flag arrives as shared memory, so the page can stop a busy
// cell without waiting for this thread's event loop; a cell that never reaches a check is the
// page's to terminate.
import { expose, releaseProxy, type Remote } from "comlink";
import * as engine from "@kiln/engine";
import * as plot from "@kiln/plot";
import { InterruptFlag, Kernel } from "@kiln/kernel";
import type { EngineInfo, ExecuteReply, ExecuteRequest, MemoryInfo, Output } from "@kiln/ui";
import type { KernelWorkerApi, StartOptions } from "./kernel/worker_api.js";

let kernel: Kernel | null = null;

/** Start the engine: WebGPU when an adapter exists and the engine offers it, else the CPU (saying why). */
async function startEngine(backend: StartOptions["backend"]): Promise<EngineInfo> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  let adapterName: string | null = null;
  if (gpu !== undefined) {
    try {
      const adapter = await gpu.requestAdapter();
      if (adapter !== null) {
        const { vendor, architecture, description } = adapter.info;
        adapterName = [description, vendor, architecture].filter((s) => s !== "").join(" · ") || "WebGPU adapter";
      }
    } catch {
      adapterName = null;
    }
  }
  let note: string | undefined;
  const want = backend ?? (adapterName !== null ? "webgpu" : "cpu");
  try {
    await engine.init({ backend: want });
    // Cells read values synchronously (`x.item()`, `if (x > 0)` under grad, DESIGN §5): unless
    // WebGPU was asked for by name, use it only if this engine build can do that here.
    if (want === "webgpu" && backend === undefined) engine.numpy.arange(4).mul(2).sum().item();
  } catch (e) {
    if (want === "cpu" || backend === "webgpu") throw e;
    note = `WebGPU was not used: ${e instanceof Error ? e.message : String(e)}`;
    await engine.init({ backend: "cpu" });
  }
  if (want === "cpu" && backend === undefined) note = "No WebGPU adapter in this browser: running on the CPU.";
  const devices = engine.devices();
  const platform = devices[0]?.platform ?? "cpu";
  if (note) console.info(`[kiln] ${note}`);
  return {
    backend: platform,
    devices: devices.map((d) => String(d)),
    adapter: platform === "webgpu" ? adapterName : null,
    sharedInterrupt: false,
    ...(note ? { note } : {}),
  };
}

/** Device memory, if this engine build reports it (JAX's `device.memory_stats()` names). */
function memoryInfo(): MemoryInfo | null {
  const e = engine as unknown as Record<string, unknown>;
  const device = engine.devices()[0] as unknown as { memoryStats?: () => Record<string, number> | null } | undefined;
  const stats = (typeof e.memoryStats === "function" ? (e.memoryStats as () => Record<string, number> | null)() : null) ?? device?.memoryStats?.() ?? null;
  const live = typeof e.liveArrays === "function" ? (e.liveArrays as () => unknown[])().length : null;
  if (stats === null && live === null) return null;
  const num = (...keys: string[]) => {
    for (const k of keys) if (typeof stats?.[k] === "number") return stats[k]!;
    return null;
  };
  return {
    liveBuffers: num("liveBuffers", "numBuffers", "num_allocs", "numAllocs") ?? live,
    bytesInUse: num("bytesInUse", "bytes_in_use"),
    peakBytesInUse: num("peakBytesInUse", "peak_bytes_in_use"),
  };
}

const api: KernelWorkerApi = {
  async start({ interruptBuffer, backend }) {
    const started = performance.now();
    const info = await startEngine(backend);
    kernel = new Kernel({
      modules: { "@kiln/engine": engine, "@kiln/plot": plot },
      ...(interruptBuffer ? { interrupt: InterruptFlag.fromBuffer(interruptBuffer) } : {}),
    });
    return { ...info, sharedInterrupt: kernel.interruptFlag.shared, startupMs: performance.now() - started };
  },

  async execute(request: ExecuteRequest, onOutput: (output: Output) => void): Promise<ExecuteReply> {
    const remote = onOutput as unknown as Remote<(output: Output) => void>;
    try {
      if (kernel === null) throw new Error("the kernel has not started");
      const result = await kernel.execute(request.code, {
        onOutput: (o) => void Promise.resolve(remote(o)).catch(() => undefined),
      });
      return { status: result.status, executionCount: result.executionCount, outputs: result.outputs, durationMs: result.durationMs };
    } finally {
      remote[releaseProxy]?.();
    }
  },

  interrupt() {
    kernel?.interrupt();
  },

  memory() {
    return memoryInfo();
  },
};

expose(api);
