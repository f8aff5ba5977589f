// A kernel connection for tests: cells are scripts for the fake ("print:x", "error", "hang",
// "sleep:ms", "interruptible") so the session's queueing, interrupt and restart can be checked
// without a worker.
import { KernelDiedError, type ExecuteReply, type KernelConnection, type Output } from "../src/index.js";

export interface FakeKernels {
  connect: () => KernelConnection;
  /** Every connection made, oldest first. */
  connections: { terminated: string | null; interrupts: number; executed: string[] }[];
}

export function fakeKernels(): FakeKernels {
  const connections: FakeKernels["connections"] = [];
  const connect = (): KernelConnection => {
    const record = { terminated: null as string | null, interrupts: 0, executed: [] as string[] };
    connections.push(record);
    let count = 0;
    const pending = new Set<(e: Error) => void>();
    let interrupt: (() => void) | null = null;
    return {
      ready: Promise.resolve({ backend: "cpu", devices: ["CpuDevice(id=0)"], adapter: null, sharedInterrupt: true }),
      execute({ code }, onOutput) {
        if (record.terminated !== null) return Promise.reject(new KernelDiedError(record.terminated));
        record.executed.push(code);
        const executionCount = ++count;
        return new Promise<ExecuteReply>((resolve, reject) => {
          pending.add(reject);
          const done = (outputs: Output[], status: "ok" | "error" = "ok") => {
            pending.delete(reject);
            resolve({ status, executionCount, outputs, durationMs: 5 });
          };
          if (code.startsWith("print:")) {
            const text = code.slice(6) + "\n";
            onOutput({ output_type: "stream", name: "stdout", text });
            setTimeout(() => done([{ output_type: "stream", name: "stdout", text }]), 1);
          } else if (code === "error") {
            setTimeout(() => done([{ output_type: "error", ename: "Error", evalue: "boom", traceback: ["Cell [1], line 1, column 1", "Error: boom"] }], "error"), 1);
          } else if (code.startsWith("sleep:")) {
            setTimeout(() => done([]), Number(code.slice(6)));
          } else if (code === "interruptible") {
            interrupt = () => done([{ output_type: "error", ename: "KeyboardInterrupt", evalue: "the cell was interrupted", traceback: ["KeyboardInterrupt"] }], "error");
          } else if (code === "hang") {
            // Never settles: like `while (true) {}` in a function (no interrupt check).
          } else setTimeout(() => done([{ output_type: "execute_result", execution_count: executionCount, data: { "text/plain": code }, metadata: {} }]), 1);
        });
      },
      interrupt() {
        record.interrupts++;
        interrupt?.();
        interrupt = null;
      },
      memory: async () => ({ liveBuffers: 2, bytesInUse: 1024, peakBytesInUse: 2048 }),
      terminate(reason) {
        record.terminated = reason;
        for (const r of pending) r(new KernelDiedError(reason));
        pending.clear();
      },
      onDeath() {},
    };
  };
  return { connect, connections };
}
