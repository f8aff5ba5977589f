// The engine worker: owns @kiln/engine (and later the GPU) and serves the page over Comlink.
import { expose } from "comlink";
import { demos } from "./demos.js";
import type { DemoResult, EngineWorkerApi } from "./worker-api.js";

const api: EngineWorkerApi = {
  listDemos(): string[] {
    return demos.map((d) => d.code);
  },
  async runDemo(index: number): Promise<DemoResult> {
    const demo = demos[index];
    if (demo === undefined) throw new RangeError(`no demo #${index}; there are ${demos.length}`);
    const start = performance.now();
    try {
      const text = await demo.run();
      return { status: "ok", text, ms: performance.now() - start };
    } catch (e) {
      const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      return { status: "error", text, ms: performance.now() - start };
    }
  },
};

expose(api);
