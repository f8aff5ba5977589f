// Cooperative interrupt: a flag checked at awaits, between top-level statements and at loop
// back-edges; shared memory lets another thread stop a cell that never yields.
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { InterruptFlag } from "../src/index.js";
import { newKernel, run } from "./helpers.js";

/** Set the flag from another thread after `ms`, as the page does with the shared buffer. */
function interruptFromAnotherThread(flag: InterruptFlag, ms: number): Worker {
  return new Worker(`const { workerData } = require("node:worker_threads"); setTimeout(() => Atomics.store(new Int32Array(workerData), 0, 1), ${ms});`, {
    eval: true,
    workerData: flag.buffer,
  });
}

describe("interrupt", () => {
  it("stops a cell at its next await", async () => {
    const k = newKernel({ interrupt: InterruptFlag.create() });
    const pending = run(k, "let ticks = 0;\nwhile (true) {\n  await new Promise((r) => setTimeout(r, 5));\n  ticks++;\n}");
    setTimeout(() => k.interrupt(), 60);
    const r = await pending;
    expect(r.error).toMatchObject({ ename: "KeyboardInterrupt", evalue: "the cell was interrupted" });
    expect(r.error!.traceback.at(-1)).toBe("KeyboardInterrupt: the cell was interrupted");
    expect(r.error!.traceback[0]).toMatch(/^Cell \[1\], line [23], column \d+$/);
    expect(k.scope.ticks).toBeGreaterThan(2);
  });

  it("stops a cell waiting on a promise that never settles", async () => {
    const k = newKernel();
    const pending = run(k, "await new Promise(() => {});");
    setTimeout(() => k.interrupt(), 30);
    expect((await pending).error?.ename).toBe("KeyboardInterrupt");
  });

  it("with shared memory, stops a synchronous loop that never yields", async () => {
    const flag = InterruptFlag.create();
    expect(flag.shared).toBe(true);
    const k = newKernel({ interrupt: flag });
    const worker = interruptFromAnotherThread(flag, 100);
    try {
      const r = await run(k, "let spins = 0;\nfor (;;) {\n  spins++;\n}");
      expect(r.error?.ename).toBe("KeyboardInterrupt");
      expect(r.error!.traceback.slice(0, 3)).toEqual(["Cell [1], line 2, column 1", "----> 2 for (;;) {", "        ^"]);
      expect(k.scope.spins).toBeGreaterThan(1000);
    } finally {
      await worker.terminate();
    }
  });

  it("reaches loops inside functions defined in earlier cells", async () => {
    const flag = InterruptFlag.create();
    const k = newKernel({ interrupt: flag });
    await run(k, "function spin(): number {\n  let n = 0;\n  while (n >= 0) { n = (n + 1) % 1000; }\n  return n;\n}");
    const worker = interruptFromAnotherThread(flag, 100);
    try {
      const r = await run(k, "spin()");
      expect(r.error?.ename).toBe("KeyboardInterrupt");
      expect(r.error!.traceback.filter((l) => l.startsWith("Cell"))).toEqual(["Cell [2], line 1, column 1", "Cell [1], line 3, column 3, in spin"]);
    } finally {
      await worker.terminate();
    }
  });

  it("the next cell runs normally, and the interrupted one stays stopped", async () => {
    const k = newKernel();
    const pending = run(k, "globalThis.__stillRunning = 0;\nawait new Promise((r) => setTimeout(r, 80));\nglobalThis.__stillRunning = 1;");
    setTimeout(() => k.interrupt(), 20);
    expect((await pending).error?.ename).toBe("KeyboardInterrupt");
    expect(k.interruptFlag.isSet).toBe(false);
    expect((await run(k, "1 + 1")).value).toBe("2");
    await new Promise((r) => setTimeout(r, 100));
    expect((globalThis as { __stillRunning?: number }).__stillRunning).toBe(0);
  });

  it("timeit can be interrupted between its runs", async () => {
    const k = newKernel();
    const pending = run(k, "await timeit(async () => { await new Promise((r) => setTimeout(r, 10)); })");
    setTimeout(() => k.interrupt(), 50);
    expect((await pending).error?.ename).toBe("KeyboardInterrupt");
  });

  it("without shared memory the flag is a plain field", () => {
    const g = globalThis as { crossOriginIsolated?: boolean };
    const saved = g.crossOriginIsolated;
    g.crossOriginIsolated = false;
    try {
      const flag = InterruptFlag.create();
      expect(flag.shared).toBe(false);
      flag.set();
      expect(flag.isSet).toBe(true);
      flag.clear();
      expect(flag.isSet).toBe(false);
    } finally {
      if (saved === undefined) delete g.crossOriginIsolated;
      else g.crossOriginIsolated = saved;
    }
  });
});
