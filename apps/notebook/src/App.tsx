// The notebook page (for now: a demo of the engine running in its Web Worker).
// Starts the engine worker, lists its demo snippets, runs them one by one over Comlink and shows
// each result in <pre data-testid="demo-N"> (N from 1), with data-status running | ok | error.
import { releaseProxy, wrap, type Remote } from "comlink";
import { useEffect, useState } from "react";
import { executionPrompt, type CellRunState } from "@kiln/ui";
import type { DemoResult, EngineWorkerApi } from "./worker-api.js";

interface DemoCell {
  code: string;
  result: DemoResult | null;
  run: CellRunState;
}

type WorkerState = { kind: "starting" } | { kind: "ready" } | { kind: "failed"; message: string };

export function App() {
  const [cells, setCells] = useState<DemoCell[]>([]);
  const [worker, setWorker] = useState<WorkerState>({ kind: "starting" });

  useEffect(() => {
    let cancelled = false;
    const w = new Worker(new URL("./engine.worker.ts", import.meta.url), { type: "module" });
    const engine: Remote<EngineWorkerApi> = wrap<EngineWorkerApi>(w);
    const fail = (message: string): void => {
      if (cancelled) return;
      setWorker({ kind: "failed", message });
      setCells((cs) =>
        cs.map((c) =>
          c.result === null
            ? {
                ...c,
                run: { kind: "idle" },
                result: { status: "error", text: `engine worker failed: ${message}`, ms: 0 },
              }
            : c,
        ),
      );
    };
    // A worker that fails to load or throws at top level never answers RPCs: surface it.
    w.addEventListener("error", (e) => fail(e.message || "the worker script could not be loaded"));

    void (async () => {
      try {
        const codes = await engine.listDemos();
        if (cancelled) return;
        setWorker({ kind: "ready" });
        setCells(codes.map((code) => ({ code, result: null, run: { kind: "running" } })));
        for (let i = 0; i < codes.length; i++) {
          const result = await engine.runDemo(i);
          if (cancelled) return;
          setCells((cs) =>
            cs.map((c, j) => (j === i ? { ...c, result, run: { kind: "done", count: i + 1 } } : c)),
          );
        }
      } catch (e) {
        fail(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
      }
    })();

    return () => {
      cancelled = true;
      engine[releaseProxy]();
      w.terminate();
    };
  }, []);

  return (
    <main>
      <h1>Kiln</h1>
      <p className="status" data-testid="status" data-worker={worker.kind}>
        engine worker: {worker.kind === "failed" ? `failed (${worker.message})` : worker.kind}
        {" · "}cross-origin isolated: {String(globalThis.crossOriginIsolated === true)}
      </p>
      {cells.map((cell, i) => (
        <section className="cell" key={i}>
          <span className="prompt">{executionPrompt(cell.run)}</span>
          <pre className="code">{cell.code}</pre>
          <pre
            className="output"
            data-testid={`demo-${i + 1}`}
            data-status={cell.result === null ? "running" : cell.result.status}
          >
            {cell.result === null ? "…" : cell.result.text}
          </pre>
          {cell.result !== null && cell.result.status === "ok" && (
            <span className="timing">{cell.result.ms.toFixed(1)} ms in the worker</span>
          )}
        </section>
      ))}
    </main>
  );
}
