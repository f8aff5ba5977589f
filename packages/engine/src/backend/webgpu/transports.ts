/**
 * The two ways to run the device runtime: in this thread (`direct`: browsers and Workers, or
 * Node when asked) and, in Node, in a worker_threads worker that owns Dawn (`worker`), which
 * lets the engine thread block on SharedArrayBuffer replies for synchronous reads. The worker is
 * started from source text — the runtime function's own text plus a few lines of glue — so it
 * needs no separate file next to the bundle or the TypeScript sources.
 */
/// <reference types="@webgpu/types" />
import type { Transport } from "./client.js";
import type { AdapterSummary, Command, Reply, RuntimeOptions } from "./protocol.js";
import { startDeviceRuntime } from "./device_runtime.js";
import { importDynamic } from "./node_gpu.js";

export interface StartedRuntime {
  readonly transport: Transport;
  readonly adapter: AdapterSummary;
  /** Route replies to the client (replies that arrived before are delivered first). */
  attach(onReply: (r: Reply) => void): void;
}

/** Collects replies until a client attaches, and resolves once the runtime reports ready. */
class ReplyRouter {
  private handler: ((r: Reply) => void) | null = null;
  private early: Reply[] = [];
  readonly ready: Promise<AdapterSummary>;
  private settle!: (r: Reply) => void;
  constructor() {
    this.ready = new Promise<AdapterSummary>((resolve, reject) => {
      this.settle = (r) => (r.type === "ready" ? resolve(r.adapter) : r.type === "init-failed" ? reject(new Error(r.message)) : undefined);
    });
  }
  deliver = (r: Reply): void => {
    if (r.type === "ready" || r.type === "init-failed") return this.settle(r);
    if (this.handler) this.handler(r);
    else this.early.push(r);
  };
  attach(h: (r: Reply) => void): void {
    this.handler = h;
    for (const r of this.early) h(r);
    this.early = [];
  }
}

/** The runtime in this thread; replies are delivered asynchronously, as from a worker. */
export async function startDirect(gpu: GPU, options: RuntimeOptions): Promise<StartedRuntime> {
  const router = new ReplyRouter();
  const runtime = startDeviceRuntime(gpu, options, (r) => queueMicrotask(() => router.deliver(r)));
  const adapter = await router.ready;
  const transport: Transport = {
    post: (commands) => runtime.exec(commands),
    canBlock: false,
    hold: () => undefined,
    terminate: () => undefined,
  };
  return { transport, adapter, attach: (h) => router.attach(h) };
}

interface NodeWorker {
  postMessage(m: unknown, transfer?: unknown[]): void;
  on(event: string, fn: (arg: never) => void): void;
  ref(): void;
  unref(): void;
  terminate(): Promise<number>;
}

/** Seconds to wait for the GPU worker to bring up its device. */
const START_TIMEOUT_MS = 60_000;

/** Dawn in a worker_threads worker (Node). `webgpuUrl` is the `webgpu` package's entry. */
export async function startNodeWorker(webgpuUrl: string, dawnFlags: readonly string[], options: RuntimeOptions): Promise<StartedRuntime> {
  const { Worker } = (await importDynamic("node:worker_threads")) as unknown as { Worker: new (src: string, o: object) => NodeWorker };
  const source = `"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const startDeviceRuntime = (${startDeviceRuntime.toString()});
(async () => {
  const { create, globals } = await import(workerData.webgpuUrl);
  Object.assign(globalThis, globals);
  const gpu = create(workerData.dawnFlags);
  const runtime = startDeviceRuntime(gpu, workerData.options, (r) => parentPort.postMessage(r));
  parentPort.on("message", (commands) => runtime.exec(commands));
})().catch((e) => parentPort.postMessage({ type: "init-failed", message: "GPU worker: " + ((e && e.stack) || String(e)) }));
`;
  const worker = new Worker(source, { eval: true, workerData: { webgpuUrl, dawnFlags: [...dawnFlags], options } });
  const router = new ReplyRouter();
  worker.on("message", (r: Reply) => router.deliver(r));
  worker.on("error", (e: Error) => router.deliver({ type: "init-failed", message: `GPU worker failed: ${e.message}` }));
  worker.on("error", (e: Error) => router.deliver({ type: "lost", message: `the GPU worker failed: ${e.message}` }));
  worker.on("exit", () => router.deliver({ type: "lost", message: "the GPU worker exited" }));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the GPU worker did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
  });
  let adapter: AdapterSummary;
  try {
    adapter = await Promise.race([router.ready, timeout]);
  } catch (e) {
    void worker.terminate();
    throw e;
  } finally {
    clearTimeout(timer);
  }
  worker.unref();
  let held = false;
  const transport: Transport = {
    post(commands: Command[]) {
      const transfer = commands.flatMap((c) => (c.op === "upload" ? [c.data] : []));
      worker.postMessage(commands, transfer);
    },
    canBlock: true,
    hold(active) {
      if (active === held) return;
      held = active;
      if (active) worker.ref();
      else worker.unref();
    },
    terminate() {
      void worker.terminate();
    },
  };
  return { transport, adapter, attach: (h) => router.attach(h) };
}
