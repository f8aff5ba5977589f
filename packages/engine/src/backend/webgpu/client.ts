/**
 * The engine thread's side of the command stream: allocates buffer and pipeline ids, batches
 * commands (posted once per microtask, or at once before a read), and turns replies into
 * promises. Synchronous reads (`readSync`, `syncSync`) need a transport whose runtime lives in
 * another thread: the engine thread then blocks in `Atomics.wait` on a SharedArrayBuffer that
 * the GPU thread fills (DESIGN.md §5); with an in-thread runtime they raise a clear error.
 */
import { type AdapterSummary, type Command, type Reply, SYNC_ERROR, SYNC_HEADER_BYTES, SYNC_OK, SYNC_PENDING } from "./protocol.js";

/** How commands reach the device runtime. */
export interface Transport {
  post(commands: Command[]): void;
  /** True when the runtime runs in another thread, so this thread may block waiting for it. */
  readonly canBlock: boolean;
  /** Keep the process alive while replies are awaited (Node workers are unref'd otherwise). */
  hold(active: boolean): void;
  terminate(): void;
}

/** Seconds a synchronous read waits before giving up. */
const SYNC_TIMEOUT_MS = 120_000;

export class GpuClient {
  private pending: Command[] = [];
  private flushQueued = false;
  private nextBuffer = 1;
  private nextPipeline = 1;
  private nextToken = 1;
  private readonly waiters = new Map<number, { resolve: (v: ArrayBuffer | undefined) => void; reject: (e: Error) => void }>();
  private dirty = false;
  /** Every device error reported so far (validation, out-of-memory, pipeline compilation). */
  readonly errors: string[] = [];
  private unreported = 0;
  lostReason: string | null = null;
  private destroyed = false;

  constructor(
    private readonly transport: Transport,
    readonly adapter: AdapterSummary,
  ) {}

  /** Handle a reply from the runtime (wired up by whoever created the transport). */
  onReply(r: Reply): void {
    switch (r.type) {
      case "error":
        this.errors.push(r.message);
        this.unreported++;
        return;
      case "lost":
        if (this.destroyed) this.transport.terminate();
        this.lostReason ??= r.message;
        for (const w of this.waiters.values()) w.reject(new Error(r.message));
        this.waiters.clear();
        this.transport.hold(false);
        return;
      case "read":
      case "synced": {
        const w = this.waiters.get(r.token);
        if (!w) return;
        this.waiters.delete(r.token);
        if (this.waiters.size === 0) this.transport.hold(false);
        if (r.error !== undefined) w.reject(new Error(r.error));
        else w.resolve(r.type === "read" ? r.data : undefined);
        return;
      }
      default:
        return;
    }
  }

  private check(): void {
    if (this.lostReason) throw new Error(`WebGPU backend: ${this.lostReason}. Arrays on this device are gone; call init({ backend: "webgpu" }) again.`);
  }

  /** Raise device errors not surfaced yet (they mean a result may be garbage). */
  private raiseErrors(): void {
    if (this.unreported === 0) return;
    const fresh = this.errors.slice(this.errors.length - this.unreported);
    this.unreported = 0;
    throw new Error(`WebGPU device error${fresh.length > 1 ? "s" : ""}: ${fresh.join("\n")}`);
  }

  send(c: Command): void {
    this.check();
    this.pending.push(c);
    if (c.op === "dispatch") this.dirty = true;
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => this.flush());
    }
  }

  /** Post everything batched so far; eager dispatches are submitted together. */
  flush(): void {
    this.flushQueued = false;
    if (this.dirty) this.pending.push({ op: "submit" });
    this.dirty = false;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    // Work in flight keeps the process alive until the runtime has finished it (pipelines
    // included): a Node process must not exit while Dawn still holds pending promises.
    if (!this.destroyed && batch.some((c) => c.op === "pipeline" || c.op === "submit" || c.op === "copy")) {
      const token = this.nextToken++;
      this.waiters.set(token, { resolve: () => undefined, reject: () => undefined });
      this.transport.hold(true);
      batch.push({ op: "sync", token });
    }
    this.transport.post(batch);
  }

  submit(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.send({ op: "submit" });
  }

  newBuffer(): number {
    return this.nextBuffer++;
  }
  newPipeline(): number {
    return this.nextPipeline++;
  }

  read(id: number, bytes: number): Promise<ArrayBuffer> {
    this.check();
    const token = this.nextToken++;
    const p = new Promise<ArrayBuffer | undefined>((resolve, reject) => this.waiters.set(token, { resolve, reject }));
    this.transport.hold(true);
    this.send({ op: "read", id, bytes, token });
    this.flush();
    return p.then((d) => {
      this.raiseErrors();
      return d!;
    });
  }

  readSync(id: number, bytes: number): ArrayBuffer {
    const shared = this.blockingRequest(bytes, (sab, token) => ({ op: "read", id, bytes, token, shared: sab }));
    return shared.slice(0, bytes);
  }

  sync(): Promise<void> {
    this.check();
    const token = this.nextToken++;
    const p = new Promise<ArrayBuffer | undefined>((resolve, reject) => this.waiters.set(token, { resolve, reject }));
    this.transport.hold(true);
    this.send({ op: "sync", token });
    this.flush();
    return p.then(() => undefined);
  }

  /** Block until all queued work is done (worker transports only). */
  syncSync(): void {
    this.blockingRequest(0, (sab, token) => ({ op: "sync", token, shared: sab }));
  }

  private blockingRequest(bytes: number, make: (sab: SharedArrayBuffer, token: number) => Command): ArrayBuffer {
    this.check();
    if (!this.transport.canBlock)
      throw new Error(
        "Synchronous reads from the WebGPU backend need the GPU in a worker (the default in Node); here the device lives in this thread. " +
          "Read the array with `await x.data()` (or `await x.tolist()`) instead.",
      );
    if (typeof SharedArrayBuffer === "undefined")
      throw new Error("Synchronous reads from the WebGPU backend need SharedArrayBuffer (cross-origin isolation); use `await x.data()` instead.");
    const sab = new SharedArrayBuffer(SYNC_HEADER_BYTES + Math.max(bytes, 1024));
    const header = new Int32Array(sab, 0, 2);
    this.send(make(sab, this.nextToken++));
    this.flush();
    const waited = Atomics.wait(header, 0, SYNC_PENDING, SYNC_TIMEOUT_MS);
    if (waited === "timed-out") throw new Error(`WebGPU backend: a synchronous read did not complete within ${SYNC_TIMEOUT_MS / 1000} s.`);
    const state = Atomics.load(header, 0);
    const n = header[1];
    if (state === SYNC_ERROR) {
      const message = new TextDecoder().decode(new Uint8Array(sab, SYNC_HEADER_BYTES, n).slice());
      throw new Error(`WebGPU backend: ${message}`);
    }
    if (state !== SYNC_OK) throw new Error("internal: bad synchronous reply state");
    this.raiseErrors();
    const out = new ArrayBuffer(n);
    new Uint8Array(out).set(new Uint8Array(sab, SYNC_HEADER_BYTES, n));
    return out;
  }

  /** Destroy the device (after the work in flight); the worker, if any, ends once it has. */
  destroy(): void {
    if (this.lostReason) return;
    this.send({ op: "destroy" });
    this.flush();
    this.destroyed = true;
    this.lostReason = "the WebGPU backend was destroyed";
  }
}
