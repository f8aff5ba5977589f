// The kernel session: the one place where the page talks to the kernel worker. It queues cells
// (Jupyter's semantics: the source is taken when you press run, cells run one at a time in the
// order asked), streams their outputs into the notebook store, and owns the worker's life:
// interrupt is cooperative first (the shared flag) and hard after a grace period (terminate,
// respawn, every pending call rejected, waiting cells marked not run); restart is the hard stop
// without the wait. The code in the editors is never touched by any of this.
import { createStore, type StoreApi } from "zustand/vanilla";
import { notebookActions, type NotebookStore } from "../model/notebook_store.js";
import type { CellId, ErrorOutput } from "../model/types.js";
import { KernelDiedError, type ConnectKernel, type EngineInfo, type ExecuteReply, type KernelConnection, type MemoryInfo } from "./connection.js";

export type KernelState = "starting" | "idle" | "busy" | "interrupting" | "restarting" | "dead";

export interface KernelStatus {
  readonly state: KernelState;
  readonly info: EngineInfo | null;
  readonly memory: MemoryInfo | null;
  /** Why the kernel is dead or failed to start. */
  readonly error: string | null;
  /** The last thing worth telling the user about the kernel (a restart, a hard stop). */
  readonly notice: string | null;
  /** Cells waiting behind the running one. */
  readonly queued: number;
  /** Times the worker has been (re)started in this page. */
  readonly generation: number;
}

export type KernelStatusStore = StoreApi<KernelStatus>;

export interface SessionOptions {
  /** How long a cooperative interrupt may take before the worker is terminated (ms). */
  interruptGraceMs?: number;
  /** How often to ask the engine for its memory while idle (ms; 0: never). */
  memoryPollMs?: number;
  /** Clock for wall times (tests). */
  now?: () => number;
}

interface Job {
  id: CellId;
  code: string;
}

const HARD_STOP_NOTE =
  "The cell did not stop at an interrupt check, so the kernel worker was terminated and restarted. " +
  "Every variable is gone: run the cells you need again.";

/** The error output a cell gets when the worker had to be terminated under it. */
export function hardStopOutput(reason: string): ErrorOutput {
  return { output_type: "error", ename: "KeyboardInterrupt", evalue: reason, traceback: [`KeyboardInterrupt: ${reason}`] };
}

export class KernelSession {
  readonly status: KernelStatusStore;
  private connection: KernelConnection | null = null;
  private readonly queue: Job[] = [];
  private running: { job: Job; settled: Promise<void> } | null = null;
  private pumping = false;
  private disposed = false;
  private memoryTimer: ReturnType<typeof setInterval> | null = null;
  private readonly actions;
  private readonly graceMs: number;
  private readonly now: () => number;

  constructor(
    private readonly notebook: NotebookStore,
    private readonly connect: ConnectKernel,
    private readonly options: SessionOptions = {},
  ) {
    this.actions = notebookActions(notebook);
    this.graceMs = options.interruptGraceMs ?? 1500;
    this.now = options.now ?? (() => Date.now());
    this.status = createStore<KernelStatus>(() => ({
      state: "starting",
      info: null,
      memory: null,
      error: null,
      notice: null,
      queued: 0,
      generation: 0,
    }));
  }

  /** Start the first worker (idempotent). */
  start(): void {
    if (this.connection === null && !this.disposed) this.spawn();
    const poll = this.options.memoryPollMs ?? 3000;
    if (poll > 0 && this.memoryTimer === null) this.memoryTimer = setInterval(() => void this.refreshMemory(), poll);
  }

  /** Queue code cells to run, in the given order; other cell types are skipped. */
  run(ids: readonly CellId[]): void {
    if (this.disposed) return;
    const state = this.notebook.getState();
    const jobs: Job[] = [];
    for (const id of ids) {
      const cell = state.cells[id];
      if (cell === undefined || cell.type !== "code") continue;
      // A cell already waiting runs once, with the newest source.
      const waiting = this.queue.findIndex((j) => j.id === id);
      if (waiting >= 0) this.queue.splice(waiting, 1);
      jobs.push({ id, code: cell.source });
    }
    if (jobs.length === 0) return;
    this.queue.push(...jobs);
    this.actions.markQueued(jobs.map((j) => j.id));
    this.setStatus({ queued: this.queue.length });
    if (this.connection === null) this.spawn();
    void this.pump();
  }

  /** Stop: waiting cells are dropped at once, the running one is asked to stop, then forced. */
  async interrupt(): Promise<void> {
    this.dropQueue();
    const running = this.running;
    if (running === null || this.connection === null) return;
    this.setStatus({ state: "interrupting" });
    this.connection.interrupt();
    const stopped = await Promise.race([running.settled.then(() => true), delay(this.graceMs).then(() => false)]);
    if (stopped || this.running !== running) return;
    this.hardStop(HARD_STOP_NOTE, { interruptedCell: running.job.id });
  }

  /** A fresh kernel: the worker is replaced, variables and the execution counter start over. */
  async restart(): Promise<void> {
    this.dropQueue();
    this.hardStop("Kernel restarted.", { interruptedCell: null });
    await this.connection?.ready.catch(() => undefined);
  }

  /** Wait until nothing is running or waiting (tests, run-all-then-save flows). */
  async idle(): Promise<void> {
    while (this.running !== null || this.queue.length > 0 || this.pumping) {
      if (this.running) await this.running.settled;
      else await delay(0);
    }
  }

  dispose(): void {
    this.disposed = true;
    this.dropQueue();
    if (this.memoryTimer !== null) clearInterval(this.memoryTimer);
    this.connection?.terminate("The notebook was closed.");
    this.connection = null;
  }

  // ---- internals --------------------------------------------------------------------------------

  private setStatus(patch: Partial<KernelStatus>): void {
    this.status.setState(patch);
  }

  private spawn(): KernelConnection {
    const connection = this.connect();
    this.connection = connection;
    this.setStatus({ state: "starting", info: null, memory: null, error: null, generation: this.status.getState().generation + 1 });
    connection.onDeath((reason) => {
      if (this.connection !== connection) return;
      this.hardStop(`The kernel worker died: ${reason}`, { interruptedCell: this.running?.job.id ?? null, dead: true });
    });
    connection.ready.then(
      (info) => {
        if (this.connection !== connection) return;
        this.setStatus({ info, state: this.running ? "busy" : "idle" });
        void this.refreshMemory();
      },
      (e: unknown) => {
        if (this.connection !== connection) return;
        this.setStatus({ state: "dead", error: errorText(e) });
      },
    );
    return connection;
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0 && !this.disposed) {
        const connection = this.connection ?? this.spawn();
        const job = this.queue.shift()!;
        this.setStatus({ queued: this.queue.length });
        let settle!: () => void;
        const settled = new Promise<void>((r) => (settle = r));
        this.running = { job, settled };
        try {
          await this.execute(connection, job);
        } finally {
          if (this.running?.job === job) this.running = null;
          settle();
        }
      }
    } finally {
      this.pumping = false;
      if (this.connection !== null && this.status.getState().state !== "dead" && this.status.getState().state !== "starting") {
        this.setStatus({ state: "idle", queued: 0 });
      }
      void this.refreshMemory();
    }
  }

  private async execute(connection: KernelConnection, job: Job): Promise<void> {
    try {
      await connection.ready;
    } catch (e) {
      // The engine failed to start: the cell cannot run; say why in its output.
      this.actions.finishRun(job.id, {
        status: "error",
        executionCount: null,
        wallMs: null,
        outputs: [{ output_type: "error", ename: "KernelError", evalue: errorText(e), traceback: [`The kernel failed to start: ${errorText(e)}`] }],
      });
      this.dropQueue();
      return;
    }
    if (this.connection !== connection || this.running?.job !== job) return;
    this.setStatus({ state: this.status.getState().state === "interrupting" ? "interrupting" : "busy" });
    const started = this.now();
    this.actions.markRunning(job.id, job.code, started);
    let reply: ExecuteReply;
    try {
      reply = await connection.execute({ cellId: job.id, code: job.code }, (output) => {
        if (this.running?.job === job) this.actions.addOutput(job.id, output);
      });
    } catch (e) {
      // KernelDiedError: hardStop already recorded what happened to this cell.
      if (!(e instanceof KernelDiedError)) {
        this.actions.finishRun(job.id, {
          status: "error",
          executionCount: null,
          wallMs: this.now() - started,
          outputs: [{ output_type: "error", ename: "KernelError", evalue: errorText(e), traceback: [`The kernel could not run the cell: ${errorText(e)}`] }],
        });
      }
      return;
    }
    const interrupted = reply.outputs.some((o) => o.output_type === "error" && o.ename === "KeyboardInterrupt");
    this.actions.finishRun(job.id, {
      status: interrupted ? "interrupted" : reply.status === "ok" ? "done" : "error",
      executionCount: reply.executionCount,
      wallMs: reply.durationMs,
      outputs: reply.outputs,
    });
    if (reply.status === "error") this.dropQueue(); // Jupyter stops a run-all at the first error
  }

  private dropQueue(): void {
    if (this.queue.length === 0) return;
    const ids = this.queue.map((j) => j.id);
    this.queue.length = 0;
    this.actions.markNotRun(ids);
    this.setStatus({ queued: 0 });
  }

  /** Terminate the worker and start a new one; the running cell (if any) is marked as stopped. */
  private hardStop(reason: string, how: { interruptedCell: CellId | null; dead?: boolean }): void {
    const old = this.connection;
    const running = this.running;
    this.connection = null;
    this.dropQueue();
    if (running !== null) {
      const id = running.job.id;
      if (how.interruptedCell === id) {
        const started = this.notebook.getState().runs[id]?.startedAt ?? null;
        this.actions.addOutput(id, hardStopOutput(reason));
        this.actions.finishRun(id, { status: "interrupted", executionCount: null, wallMs: started === null ? null : this.now() - started });
      } else {
        this.actions.markNotRun([id]);
      }
    }
    this.actions.kernelRestarted();
    old?.terminate(reason);
    this.setStatus({ state: "restarting", notice: reason, queued: 0 });
    if (!this.disposed) this.spawn();
  }

  private async refreshMemory(): Promise<void> {
    const connection = this.connection;
    if (connection === null || this.running !== null || this.status.getState().state !== "idle") return;
    try {
      const memory = await connection.memory();
      if (this.connection === connection) this.setStatus({ memory });
    } catch {
      // A dying worker: the death handler reports it.
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name === "Error" ? "" : `${e.name}: `}${e.message}` : String(e);
}
