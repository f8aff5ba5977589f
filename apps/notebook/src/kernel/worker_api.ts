// The RPC surface of the kernel worker (Comlink). Types only, so the page can import them without
// pulling the engine or the kernel into its own bundle.
import type { EngineInfo, ExecuteReply, ExecuteRequest, MemoryInfo, Output } from "@kiln/ui";

export interface StartOptions {
  /** The interrupt flag's memory (4 bytes), shared with the page when cross-origin isolated. */
  interruptBuffer: SharedArrayBuffer | null;
  /** Force a backend (e2e and debugging: `?backend=cpu`); default: the engine's choice. */
  backend?: "cpu" | "webgpu";
}

export interface KernelWorkerApi {
  /** Start the engine and the kernel; resolves with what the status bar shows. */
  start(options: StartOptions): Promise<EngineInfo>;
  /** Run one cell; `onOutput` (a Comlink proxy) hears outputs as they are produced. */
  execute(request: ExecuteRequest, onOutput: (output: Output) => void): Promise<ExecuteReply>;
  /** Interrupt by message (only needed without shared memory). */
  interrupt(): void;
  /** The engine's device memory, when it reports it. */
  memory(): MemoryInfo | null;
}
