// The demo snippets that the notebook page runs in the engine worker (and that
// apps/notebook/test/demos.test.ts runs in Node): each shows the source and the value it prints.
import { jit, makeJaxpr, numpy as np } from "@kiln/engine";

export interface Demo {
  /** The snippet as shown on the page. */
  code: string;
  /** Runs the snippet with the engine and returns its printed value. */
  run: () => string | Promise<string>;
}

export const demos: readonly Demo[] = [
  {
    code: "np.arange(6).reshape([2, 3]).mul(2).repr()",
    run: () => np.arange(6).reshape([2, 3]).mul(2).repr(),
  },
  {
    code: "makeJaxpr((x) => np.sin(x))(1).toString()",
    run: () => makeJaxpr((x) => np.sin(x))(1).toString(),
  },
  {
    code: "jit((x) => x.mul(2).add(1))(np.array([1, 2, 3])).repr()",
    run: () => jit((x) => x.mul(2).add(1))(np.array([1, 2, 3])).repr(),
  },
];
