// The notebook a first visit starts from: the tour (examples/tour.ipynb, bundled at build time)
// when it exists and reads, else a short built-in notebook. Its outputs are dropped: a starter is
// for running, and nothing runs until the user asks.
import tour from "virtual:kiln/tour";
import type { NotebookSnapshot } from "@kiln/ui";
import { readIpynb } from "./notebook_files.js";

const BUILT_IN: NotebookSnapshot = {
  metadata: {},
  cells: [
    {
      id: "start-01",
      type: "markdown",
      source: "# Welcome to Kiln\n\nJAX's programming model in the browser: arrays, `grad`, `jit` and `vmap`. Press **Shift+Enter** to run a cell and move to the next.",
    },
    { id: "start-02", type: "code", source: 'import { numpy as np, grad, jit, vmap, makeJaxpr } from "@kiln/engine";\nimport * as plot from "@kiln/plot";\n\nnp.arange(6).reshape([2, 3])' },
    { id: "start-03", type: "code", source: "const f = (x: np.Array) => np.sin(x).mul(x);\ngrad(f)(1.0)" },
    { id: "start-04", type: "code", source: "makeJaxpr(f)(1.0)" },
    { id: "start-05", type: "code", source: "const xs = np.linspace(0, 6, 50);\nplot.line(vmap(f)(xs), { x: xs, title: \"x·sin(x)\" })" },
  ],
};

export function starterNotebook(): NotebookSnapshot {
  if (tour !== null) {
    try {
      const nb = readIpynb(tour);
      return { ...nb, cells: nb.cells.map((c) => ({ ...c, outputs: [], executionCount: null })) };
    } catch (e) {
      console.warn("[kiln] examples/tour.ipynb could not be read; using the built-in starter.", e);
    }
  }
  return structuredClone(BUILT_IN);
}
