/// <reference types="@webgpu/types" />
/**
 * Device acquisition: `createWebGpuBackend` finds a WebGPU implementation — `navigator.gpu` in a
 * page or Worker, Dawn (npm `webgpu`, imported dynamically) in Node — starts the device runtime
 * (in a worker_threads worker in Node by default, so synchronous reads work) and returns the
 * backend once the adapter and device are up. In Node, process exit waits for the device to go
 * idle, so Dawn is never torn down with work or pipeline compilations in flight.
 */
import { GpuClient } from "./client.js";
import { nodeProcess, prepareNodeGpu, importDynamic } from "./node_gpu.js";
import type { RuntimeOptions } from "./protocol.js";
import { type StartedRuntime, startDirect, startNodeWorker } from "./transports.js";
import { WebGpuBackend } from "./webgpu_backend.js";

export interface WebGpuOptions {
  /**
   * Where the device lives: "worker" (Node default: a worker_threads worker owns Dawn, so
   * synchronous reads work) or "direct" (this thread; the only mode in browsers for now, where
   * synchronous reads of computed arrays raise an error pointing to `await x.data()`).
   */
  readonly mode?: "worker" | "direct";
  /** A GPU object to use instead of `navigator.gpu` / Dawn (direct mode). */
  readonly gpu?: GPU;
  readonly powerPreference?: "low-power" | "high-performance";
  /** Dawn flags for `create(flags)` in Node, e.g. ["backend=opengles"]. */
  readonly dawnFlags?: readonly string[];
}

export async function createWebGpuBackend(opts: WebGpuOptions = {}): Promise<WebGpuBackend> {
  const runtimeOptions: RuntimeOptions = opts.powerPreference ? { powerPreference: opts.powerPreference } : {};
  let started: StartedRuntime;
  const node = nodeProcess();
  if (opts.gpu) {
    started = await startDirect(opts.gpu, runtimeOptions);
  } else if (!node) {
    const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
    if (!gpu) throw new Error("WebGPU is not available here (navigator.gpu is undefined): use a browser with WebGPU enabled, or the CPU backend.");
    started = await startDirect(gpu, runtimeOptions);
  } else {
    const dawn = await prepareNodeGpu();
    const flags = opts.dawnFlags ?? [];
    const start = async (): Promise<StartedRuntime> => {
      if ((opts.mode ?? "worker") === "worker") return startNodeWorker(dawn.url, flags, runtimeOptions);
      const mod = (await importDynamic(dawn.url)) as unknown as { create(flags: string[]): GPU; globals: object };
      Object.assign(globalThis, mod.globals);
      return startDirect(mod.create([...flags]), runtimeOptions);
    };
    try {
      started = await start();
    } catch (e) {
      // The system's Vulkan drivers gave no adapter (Dawn rejects e.g. Mesa's lavapipe): try SwiftShader.
      if (!(e instanceof Error && /no WebGPU adapter/.test(e.message)) || !dawn.useSwiftShader()) throw e;
      started = await start();
    }
  }
  const client = new GpuClient(started.transport, started.adapter);
  started.attach((r) => client.onReply(r));
  // A process that exits (or calls process.exit) while Dawn still compiles pipelines or runs
  // work aborts inside Dawn: wait for the worker's device to go idle first (a blocking sync).
  if (node && started.transport.canBlock)
    node.once("exit", () => {
      try {
        if (!client.lostReason) client.syncSync();
      } catch {
        // the device is gone or the wait timed out: nothing more to do at exit
      }
    });
  return new WebGpuBackend(client);
}
