// The kernel session against a fake kernel: queue order, streamed outputs, stop-at-first-error,
// the cooperative interrupt, the hard stop of a cell that never checks (worker terminated and
// respawned, pending calls rejected, waiting cells not run, code untouched), and restart.
import { describe, expect, it } from "vitest";
import { KernelSession, createNotebookStore, notebookActions, type NotebookSnapshot } from "../src/index.js";
import { fakeKernels } from "./fake_kernel.js";

function notebook(sources: string[]): NotebookSnapshot {
  return { metadata: {}, cells: sources.map((source, i) => ({ id: `c${i}`, type: "code" as const, source })) };
}

function setup(sources: string[], graceMs = 30) {
  const store = createNotebookStore(notebook(sources));
  const kernels = fakeKernels();
  const session = new KernelSession(store, kernels.connect, { interruptGraceMs: graceMs, memoryPollMs: 0 });
  session.start();
  return { store, kernels, session, actions: notebookActions(store) };
}

const waitFor = async (cond: () => boolean, ms = 2000) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 2));
  }
};

describe("KernelSession", () => {
  it("runs cells in order and records counts, outputs and wall time", async () => {
    const { store, kernels, session } = setup(["a", "print:hello", "b"]);
    session.run(["c0", "c1", "c2"]);
    expect(store.getState().runs.c2!.status).toBe("queued");
    await session.idle();
    const runs = store.getState().runs;
    expect(kernels.connections[0]!.executed).toEqual(["a", "print:hello", "b"]);
    expect([runs.c0!.executionCount, runs.c1!.executionCount, runs.c2!.executionCount]).toEqual([1, 2, 3]);
    expect(runs.c1!.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "hello\n" }]);
    expect(runs.c0!.status).toBe("done");
    expect(runs.c0!.wallMs).toBe(5);
    expect(session.status.getState()).toMatchObject({ state: "idle", queued: 0, info: { backend: "cpu" } });
  });

  it("takes the source when run is pressed, skips markdown, and stops a run-all at the first error", async () => {
    const { store, kernels, session, actions } = setup(["error", "a"]);
    actions.insertCell({ index: 0 }, "markdown", "# md");
    session.run(store.getState().order);
    actions.setSource("c1", "changed");
    await session.idle();
    expect(kernels.connections[0]!.executed).toEqual(["error"]);
    expect(store.getState().runs.c0!.status).toBe("error");
    expect(store.getState().runs.c1!.status).toBe("idle");
  });

  it("interrupts cooperatively: the cell stops, waiting cells are not run, the worker stays", async () => {
    const { store, kernels, session } = setup(["interruptible", "a"]);
    session.run(["c0", "c1"]);
    await waitFor(() => store.getState().runs.c0!.status === "running");
    await session.interrupt();
    await session.idle();
    expect(store.getState().runs.c0!.status).toBe("interrupted");
    expect(store.getState().runs.c1!.status).toBe("idle");
    expect(kernels.connections).toHaveLength(1);
    expect(kernels.connections[0]!.interrupts).toBe(1);
    expect(kernels.connections[0]!.terminated).toBeNull();
  });

  it("hard-stops a cell that never checks: terminate, respawn, mark not run, keep the code", async () => {
    const { store, kernels, session } = setup(["hang", "a", "b"]);
    session.run(["c0", "c1", "c2"]);
    await waitFor(() => store.getState().runs.c0!.status === "running");
    await session.interrupt();
    await session.idle();
    expect(kernels.connections).toHaveLength(2);
    expect(kernels.connections[0]!.terminated).toMatch(/did not stop/);
    const runs = store.getState().runs;
    expect(runs.c0!.status).toBe("interrupted");
    expect(runs.c0!.outputs.at(-1)).toMatchObject({ output_type: "error", ename: "KeyboardInterrupt" });
    expect([runs.c1!.status, runs.c2!.status]).toEqual(["idle", "idle"]);
    expect(store.getState().order.map((id) => store.getState().cells[id]!.source)).toEqual(["hang", "a", "b"]);
    // The new worker runs cells, counting from 1 again.
    session.run(["c1"]);
    await session.idle();
    expect(store.getState().runs.c1).toMatchObject({ status: "done", executionCount: 1 });
    expect(kernels.connections[1]!.executed).toEqual(["a"]);
  });

  it("restarts: a new worker, outputs and code kept, nothing marked as run in it", async () => {
    const { store, kernels, session } = setup(["a", "sleep:1000"]);
    session.run(["c0"]);
    await session.idle();
    session.run(["c1"]);
    await waitFor(() => store.getState().runs.c1!.status === "running");
    await session.restart();
    await session.idle();
    expect(kernels.connections).toHaveLength(2);
    expect(kernels.connections[0]!.terminated).toBe("Kernel restarted.");
    expect(store.getState().runs.c0).toMatchObject({ status: "idle", executionCount: 1 });
    expect(store.getState().runs.c0!.outputs).toHaveLength(1);
    expect(store.getState().runs.c1!.status).toBe("idle");
    expect(session.status.getState().generation).toBe(2);
  });

  it("reads the engine's memory when idle", async () => {
    const { session } = setup(["a"]);
    await new Promise((r) => setTimeout(r, 5));
    expect(session.status.getState().memory).toEqual({ liveBuffers: 2, bytesInUse: 1024, peakBytesInUse: 2048 });
  });
});
