/// <reference types="@webgpu/types" />
/**
 * The device runtime: the only code that holds GPU objects. It acquires an adapter and device,
 * then executes the command stream of protocol.ts in order — buffers by id, pipelines compiled
 * with createComputePipelineAsync, dispatches recorded into one compute pass per submission,
 * reads through staging buffers and mapAsync — and reports device errors (error scopes and
 * `uncapturederror`) and device loss back to the engine thread.
 *
 * `startDeviceRuntime` must stay self-contained (no reference to anything at module scope, no
 * `import()`): the Node worker is started from its source text (worker_host.ts), so the same
 * function runs in the engine's thread (browser, Node direct mode) and in the GPU worker.
 */
import type { AdapterSummary, Command, Reply, RuntimeOptions } from "./protocol.js";

export interface DeviceRuntime {
  exec(commands: readonly Command[]): void;
}

export function startDeviceRuntime(gpu: GPU, options: RuntimeOptions, reply: (r: Reply) => void): DeviceRuntime {
  // Mirrors of protocol.ts constants (module scope is not visible from the worker copy).
  const SYNC_HEADER_BYTES = 8;
  const SYNC_OK = 1;
  const SYNC_ERROR = 2;
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
  const poolLimit = options.poolBytes ?? 256 * 1024 * 1024;

  let device: GPUDevice | null = null;
  let dead: string | null = null;
  const queue: Command[] = [];
  let head = 0;
  let pumping = false;
  const buffers = new Map<number, GPUBuffer>();
  const pipelines = new Map<number, GPUComputePipeline | Promise<GPUComputePipeline | null> | null>();
  const layouts = new WeakMap<GPUComputePipeline, GPUBindGroupLayout>();
  const pool = new Map<number, GPUBuffer[]>();
  let pooledBytes = 0;
  let encoder: GPUCommandEncoder | null = null;
  let pass: GPUComputePassEncoder | null = null;
  let released: GPUBuffer[] = [];
  let scopeOpen = false;
  const pendingScopes = new Set<Promise<unknown>>();

  const reportError = (message: string) => reply({ type: "error", message });
  /** GPU promises in flight: Dawn aborts the process if a device is destroyed under one. */
  const inFlight = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>): void => {
    const settled: Promise<unknown> = p.then(
      () => inFlight.delete(settled),
      () => inFlight.delete(settled),
    );
    inFlight.add(settled);
  };

  /** Buffer sizes are rounded to classes so freed buffers can be reused for similar sizes. */
  function sizeClass(bytes: number): number {
    const b = Math.max(16, bytes);
    if (b <= 65536) return Math.ceil(b / 256) * 256;
    const step = 2 ** (Math.floor(Math.log2(b)) - 2);
    return Math.ceil(b / step) * step;
  }

  const ready = (async () => {
    const adapter = await gpu.requestAdapter(options.powerPreference ? { powerPreference: options.powerPreference } : undefined);
    if (!adapter) throw new Error("navigator.gpu.requestAdapter() returned null: no WebGPU adapter is available");
    const names = [
      "maxStorageBuffersPerShaderStage", "maxStorageBufferBindingSize", "maxBufferSize", "maxComputeWorkgroupStorageSize",
      "maxComputeInvocationsPerWorkgroup", "maxComputeWorkgroupSizeX", "maxComputeWorkgroupSizeY", "maxComputeWorkgroupSizeZ",
      "maxComputeWorkgroupsPerDimension", "maxBindingsPerBindGroup",
    ];
    const requiredLimits: Record<string, number> = {};
    const limits: Record<string, number> = {};
    for (const n of names) {
      const v = (adapter.limits as unknown as Record<string, number>)[n];
      if (typeof v === "number") requiredLimits[n] = limits[n] = v;
    }
    const dev = await adapter.requestDevice({ requiredLimits });
    dev.addEventListener("uncapturederror", (e) => reportError((e as GPUUncapturedErrorEvent).error.message));
    void dev.lost.then((info) => {
      dead = `the WebGPU device was lost (${info.reason}): ${info.message}`;
      reply({ type: "lost", message: dead });
    });
    device = dev;
    const info = adapter.info;
    const summary: AdapterSummary = {
      vendor: info.vendor ?? "",
      architecture: info.architecture ?? "",
      device: info.device ?? "",
      description: info.description ?? "",
      subgroupMinSize: (info as unknown as { subgroupMinSize?: number }).subgroupMinSize ?? 0,
      subgroupMaxSize: (info as unknown as { subgroupMaxSize?: number }).subgroupMaxSize ?? 0,
      features: [...adapter.features],
      limits,
    };
    reply({ type: "ready", adapter: summary });
  })().catch((e: unknown) => {
    dead = e instanceof Error ? e.message : String(e);
    reply({ type: "init-failed", message: dead });
  });

  function openScope(dev: GPUDevice): void {
    if (scopeOpen) return;
    dev.pushErrorScope("validation");
    dev.pushErrorScope("out-of-memory");
    scopeOpen = true;
  }
  function closeScope(dev: GPUDevice): void {
    if (!scopeOpen) return;
    scopeOpen = false;
    for (let i = 0; i < 2; i++) {
      const p: Promise<unknown> = dev.popErrorScope().then((err) => {
        if (err) reportError(err.message);
      }, () => undefined);
      pendingScopes.add(p);
      void p.then(() => pendingScopes.delete(p));
    }
  }

  function release(b: GPUBuffer): void {
    if (pooledBytes + b.size > poolLimit) {
      b.destroy();
      return;
    }
    const list = pool.get(b.size) ?? [];
    list.push(b);
    pool.set(b.size, list);
    pooledBytes += b.size;
  }

  function submit(dev: GPUDevice): void {
    if (encoder) {
      pass?.end();
      pass = null;
      dev.queue.submit([encoder.finish()]);
      encoder = null;
    }
    for (const b of released) release(b);
    released = [];
    closeScope(dev);
  }

  function ensureEncoder(dev: GPUDevice): GPUCommandEncoder {
    openScope(dev);
    if (!encoder) encoder = dev.createCommandEncoder();
    return encoder;
  }

  function answerShared(shared: SharedArrayBuffer, data: ArrayBuffer | null, error: string | null): void {
    const header = new Int32Array(shared, 0, 2);
    if (error !== null) {
      const bytes = new TextEncoder().encode(error).subarray(0, shared.byteLength - SYNC_HEADER_BYTES);
      new Uint8Array(shared, SYNC_HEADER_BYTES).set(bytes);
      header[1] = bytes.length;
      Atomics.store(header, 0, SYNC_ERROR);
    } else {
      const n = data ? data.byteLength : 0;
      if (data) new Uint8Array(shared, SYNC_HEADER_BYTES, n).set(new Uint8Array(data));
      header[1] = n;
      Atomics.store(header, 0, SYNC_OK);
    }
    Atomics.notify(header, 0);
  }

  function answerRead(c: Extract<Command, { op: "read" }>, data: ArrayBuffer | null, error: string | null): void {
    if (c.shared) answerShared(c.shared, data, error);
    else if (error !== null) reply({ type: "read", token: c.token, error });
    else reply({ type: "read", token: c.token, data: data! });
  }
  function answerSync(c: Extract<Command, { op: "sync" }>, error: string | null): void {
    if (c.shared) answerShared(c.shared, null, error);
    else reply(error === null ? { type: "synced", token: c.token } : { type: "synced", token: c.token, error });
  }

  async function run(dev: GPUDevice, c: Command): Promise<void> {
    switch (c.op) {
      case "upload": {
        openScope(dev);
        const b = dev.createBuffer({ size: Math.max(16, c.data.byteLength), usage, mappedAtCreation: true });
        new Uint8Array(b.getMappedRange()).set(new Uint8Array(c.data));
        b.unmap();
        buffers.set(c.id, b);
        return;
      }
      case "alloc": {
        const size = sizeClass(c.bytes);
        const reuse = pool.get(size)?.pop();
        if (reuse) {
          pooledBytes -= reuse.size;
          buffers.set(c.id, reuse);
        } else {
          openScope(dev);
          buffers.set(c.id, dev.createBuffer({ size, usage }));
        }
        return;
      }
      case "free": {
        const b = buffers.get(c.id);
        buffers.delete(c.id);
        if (b) (encoder ? released.push(b) : release(b));
        return;
      }
      case "pipeline": {
        const module = dev.createShaderModule({ code: c.code, label: c.label });
        const p = dev.createComputePipelineAsync({ layout: "auto", label: c.label, compute: { module, entryPoint: "main" } }).then(
          (pipe) => (pipelines.set(c.pid, pipe), pipe),
          (e: unknown) => {
            // The shader's own diagnostics arrive through the error scope; this names the kernel.
            reportError(`pipeline ${c.label} failed: ${e instanceof Error ? e.message : String(e)}`);
            pipelines.set(c.pid, null);
            return null;
          },
        );
        pipelines.set(c.pid, p);
        track(p);
        return;
      }
      case "dispatch": {
        let p = pipelines.get(c.pid);
        if (p && "then" in p) p = await p;
        if (!p) {
          reportError(`dispatch of a pipeline that failed to compile (id ${c.pid})`);
          return;
        }
        const enc = ensureEncoder(dev);
        if (!pass) pass = enc.beginComputePass();
        let layout = layouts.get(p);
        if (!layout) layouts.set(p, (layout = p.getBindGroupLayout(0)));
        const entries: GPUBindGroupEntry[] = c.buffers.map((id, i) => ({ binding: i, resource: { buffer: buffers.get(id)! } }));
        pass.setPipeline(p);
        pass.setBindGroup(0, dev.createBindGroup({ layout, entries }));
        pass.dispatchWorkgroups(c.groups[0], c.groups[1], c.groups[2]);
        return;
      }
      case "copy": {
        const src = buffers.get(c.src);
        const dst = buffers.get(c.dst);
        if (!src || !dst) {
          reportError(`copy between unknown buffers (ids ${c.src}, ${c.dst})`);
          return;
        }
        const enc = ensureEncoder(dev);
        pass?.end();
        pass = null;
        enc.copyBufferToBuffer(src, c.srcOffset, dst, c.dstOffset, c.bytes);
        return;
      }
      case "submit":
        submit(dev);
        return;
      case "read": {
        const src = buffers.get(c.id);
        if (!src) return answerRead(c, null, `read of an unknown buffer (id ${c.id})`);
        const size = Math.max(4, Math.ceil(c.bytes / 4) * 4);
        const enc = ensureEncoder(dev);
        pass?.end();
        pass = null;
        const staging = dev.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
        enc.copyBufferToBuffer(src, 0, staging, 0, size);
        submit(dev);
        const mapped = staging.mapAsync(GPUMapMode.READ);
        track(mapped);
        mapped.then(
          () => {
            const data = staging.getMappedRange().slice(0, c.bytes);
            staging.unmap();
            staging.destroy();
            answerRead(c, data, null);
          },
          (e: unknown) => {
            staging.destroy();
            answerRead(c, null, dead ?? `mapAsync failed: ${e instanceof Error ? e.message : String(e)}`);
          },
        );
        return;
      }
      case "sync": {
        submit(dev);
        const done = dev.queue.onSubmittedWorkDone();
        track(done);
        Promise.all([done, ...pendingScopes, ...inFlight]).then(
          () => answerSync(c, dead),
          (e: unknown) => answerSync(c, dead ?? (e instanceof Error ? e.message : String(e))),
        );
        return;
      }
      case "destroy":
        submit(dev);
        dead = "the WebGPU backend was destroyed";
        await Promise.all([...inFlight, ...pendingScopes]);
        dev.destroy();
        return;
    }
  }

  async function pump(): Promise<void> {
    pumping = true;
    try {
      await ready;
      while (head < queue.length) {
        const c = queue[head++];
        if (head > 1024) {
          queue.splice(0, head);
          head = 0;
        }
        const dev = device;
        if (!dev || dead) {
          const why = dead ?? "the WebGPU device is not available";
          if (c.op === "read") answerRead(c, null, why);
          else if (c.op === "sync") answerSync(c, why);
          continue;
        }
        try {
          await run(dev, c);
        } catch (e) {
          const message = e instanceof Error ? e.message : String(e);
          reportError(`${c.op}: ${message}`);
          if (c.op === "read") answerRead(c, null, message);
          else if (c.op === "sync") answerSync(c, message);
        }
      }
    } finally {
      pumping = false;
    }
  }

  return {
    exec(commands) {
      for (const c of commands) queue.push(c);
      if (!pumping) void pump();
    },
  };
}
