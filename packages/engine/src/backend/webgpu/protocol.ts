/**
 * The command stream between the engine thread and the device runtime (device_runtime.ts).
 * Everything that touches a GPU object crosses this boundary as plain data, so the runtime can
 * live in the engine's thread (browser, or Node "direct" mode) or in a worker that owns the GPU
 * (Node: a worker_threads worker, which is what makes synchronous reads possible, DESIGN.md §5).
 * Buffers and pipelines are named by integer ids the engine thread allocates.
 */

/** What the runtime reports about its adapter once the device is up. */
export interface AdapterSummary {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  readonly subgroupMinSize: number;
  readonly subgroupMaxSize: number;
  readonly features: readonly string[];
  readonly limits: Readonly<Record<string, number>>;
}

/** A request that blocks the engine thread is answered through a SharedArrayBuffer: Int32 words [state, byteLength] then data. */
export const SYNC_HEADER_BYTES = 8;
export const SYNC_PENDING = 0;
export const SYNC_OK = 1;
export const SYNC_ERROR = 2;

export type Command =
  /** Create a storage buffer holding `data` (byteLength a multiple of 4). */
  | { readonly op: "upload"; readonly id: number; readonly data: ArrayBuffer }
  /** Create (or take from the pool) a storage buffer of at least `bytes` bytes; contents undefined. */
  | { readonly op: "alloc"; readonly id: number; readonly bytes: number }
  /** Release a buffer once the work already recorded has been submitted. */
  | { readonly op: "free"; readonly id: number }
  | { readonly op: "pipeline"; readonly pid: number; readonly code: string; readonly label: string }
  | { readonly op: "dispatch"; readonly pid: number; readonly buffers: readonly number[]; readonly groups: readonly [number, number, number] }
  /** Copy `bytes` bytes (multiples of 4) between buffers, in stream order with the dispatches. */
  | { readonly op: "copy"; readonly src: number; readonly srcOffset: number; readonly dst: number; readonly dstOffset: number; readonly bytes: number }
  /** End the current command encoder and submit it: one submission per flush of work. */
  | { readonly op: "submit" }
  /** Copy `bytes` bytes of a buffer to the host; answered by a "read" reply, or through `shared` when given. */
  | { readonly op: "read"; readonly id: number; readonly bytes: number; readonly token: number; readonly shared?: SharedArrayBuffer }
  /** Wait for all submitted work and pending error scopes; answered by a "synced" reply or through `shared`. */
  | { readonly op: "sync"; readonly token: number; readonly shared?: SharedArrayBuffer }
  | { readonly op: "destroy" };

export type Reply =
  | { readonly type: "ready"; readonly adapter: AdapterSummary }
  | { readonly type: "init-failed"; readonly message: string }
  | { readonly type: "read"; readonly token: number; readonly data?: ArrayBuffer; readonly error?: string }
  | { readonly type: "synced"; readonly token: number; readonly error?: string }
  /** A validation / out-of-memory / internal error the device reported (uncapturederror or an error scope). */
  | { readonly type: "error"; readonly message: string }
  | { readonly type: "lost"; readonly message: string };

export interface RuntimeOptions {
  readonly powerPreference?: "low-power" | "high-performance";
  /** Bytes of freed buffers kept for reuse. */
  readonly poolBytes?: number;
}
