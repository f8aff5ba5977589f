// The page's view of one kernel worker: what the session needs from it, whatever carries the calls
// (Comlink to a module Worker in the app, a fake in tests). A connection is one worker's life: a
// hard stop terminates it and rejects every pending call; the session then makes a new one.
import type { Output } from "../model/types.js";

/** What the worker reports about the engine once it has started. */
export interface EngineInfo {
  /** "cpu" or "webgpu". */
  backend: string;
  /** The engine's devices as it prints them, e.g. `CpuDevice(id=0)`. */
  devices: string[];
  /** The WebGPU adapter's name (vendor, architecture, description), null without WebGPU. */
  adapter: string | null;
  /** Whether interrupts go through shared memory (cross-origin isolated) or a message. */
  sharedInterrupt: boolean;
  /** Why the engine chose this backend (e.g. "no WebGPU adapter"), when it is worth saying. */
  note?: string;
  /** How long the worker took to start the engine and the kernel (ms). */
  startupMs?: number;
}

/** Device memory as the engine accounts for it (DESIGN §5); null fields when it does not say. */
export interface MemoryInfo {
  liveBuffers: number | null;
  bytesInUse: number | null;
  peakBytesInUse: number | null;
}

/** A cell's result from the kernel: nbformat outputs, as the kernel's `execute` returns them. */
export interface ExecuteReply {
  status: "ok" | "error";
  executionCount: number;
  outputs: Output[];
  durationMs: number;
}

export interface ExecuteRequest {
  cellId: string;
  code: string;
}

export interface KernelConnection {
  /** Resolves when the engine is up in the worker; rejects if it fails to start. */
  readonly ready: Promise<EngineInfo>;
  /** Run one cell; `onOutput` sees outputs as they are produced (stream text in pieces). */
  execute(request: ExecuteRequest, onOutput: (output: Output) => void): Promise<ExecuteReply>;
  /** Ask the running cell to stop at its next check (cooperative; returns at once). */
  interrupt(): void;
  memory(): Promise<MemoryInfo | null>;
  /** Hard stop: end the worker now; every pending call rejects with KernelDiedError. */
  terminate(reason: string): void;
  /** Called once when the worker dies by itself (a crash, a failed load). */
  onDeath(listener: (reason: string) => void): void;
}

export type ConnectKernel = () => KernelConnection;

/** The rejection of every call pending on a connection whose worker has ended. */
export class KernelDiedError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "KernelDiedError";
  }
}
