// The page's end of one kernel worker: a module Worker behind Comlink, plus the two ways to stop a
// cell — the shared interrupt flag (set from this thread, read by the running cell at its next
// check) and termination. Terminating rejects every call still pending with KernelDiedError, since
// a terminated worker never answers; the session then connects a fresh worker.
import { proxy, releaseProxy, wrap } from "comlink";
import { KernelDiedError, type ConnectKernel, type KernelConnection } from "@kiln/ui";
import type { KernelWorkerApi, StartOptions } from "./worker_api.js";

export interface WorkerKernelOptions {
  backend?: StartOptions["backend"];
  /** Makes the worker; tests and benchmarks may substitute their own. */
  createWorker?: () => Worker;
}

function defaultWorker(): Worker {
  return new Worker(new URL("../kernel.worker.ts", import.meta.url), { type: "module", name: "kiln-kernel" });
}

export function workerKernel(options: WorkerKernelOptions = {}): ConnectKernel {
  return () => connect(options);
}

function connect(options: WorkerKernelOptions): KernelConnection {
  const worker = (options.createWorker ?? defaultWorker)();
  const remote = wrap<KernelWorkerApi>(worker);
  const shared = globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === "function";
  const buffer = shared ? new SharedArrayBuffer(4) : null;
  const flag = buffer ? new Int32Array(buffer) : null;
  const pending = new Set<(e: Error) => void>();
  const deathListeners: ((reason: string) => void)[] = [];
  let dead: KernelDiedError | null = null;
  let started = false;

  const die = (reason: string, notify: boolean): void => {
    if (dead !== null) return;
    dead = new KernelDiedError(reason);
    for (const reject of pending) reject(dead);
    pending.clear();
    worker.terminate();
    try {
      remote[releaseProxy]();
    } catch {
      // Already released.
    }
    if (notify) for (const l of deathListeners) l(reason);
  };

  /** A call that also rejects when the worker dies (a dead worker's promises would hang forever). */
  const guard = <T>(call: () => Promise<T>): Promise<T> => {
    if (dead !== null) return Promise.reject(dead);
    return new Promise<T>((resolve, reject) => {
      pending.add(reject);
      call().then(
        (v) => {
          pending.delete(reject);
          resolve(v);
        },
        (e: unknown) => {
          pending.delete(reject);
          reject(e);
        },
      );
    });
  };

  worker.addEventListener("error", (e) => {
    // Before the kernel starts, an error means the worker could not load: it is dead. Later, an
    // error is a cell's stray exception (a throwing timer callback): report it, keep the kernel.
    if (!started) {
      e.preventDefault();
      die(e.message || "the kernel worker could not be loaded", true);
    } else console.error("[kiln] uncaught error in the kernel worker:", e.message);
  });
  worker.addEventListener("messageerror", () => console.error("[kiln] a message from the kernel worker could not be read"));

  const ready = guard(() => remote.start({ interruptBuffer: buffer, ...(options.backend ? { backend: options.backend } : {}) })).then((info) => {
    started = true;
    return info;
  });

  return {
    ready,
    execute(request, onOutput) {
      // A flag left set by an interrupt that arrived after its cell ended must not stop this one.
      if (flag) Atomics.store(flag, 0, 0);
      return guard(() => remote.execute(request, proxy(onOutput)));
    },
    interrupt() {
      if (flag) Atomics.store(flag, 0, 1);
      else void guard(() => remote.interrupt()).catch(() => undefined);
    },
    memory: () => guard(() => remote.memory()),
    terminate: (reason) => die(reason, false),
    onDeath: (listener) => void deathListeners.push(listener),
  };
}
