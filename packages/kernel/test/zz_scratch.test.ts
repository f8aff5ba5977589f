import { it } from "vitest";
import * as engine from "@kiln/engine";
import * as plot from "@kiln/plot";
import { Kernel, outputText } from "../src/index.js";

it("scratch", async () => {
  const k = new Kernel({ modules: { "@kiln/engine": engine, "@kiln/plot": plot } });
  const cells = [
    `import { numpy as np, grad, jit, makeJaxpr, devices } from "@kiln/engine";\nimport * as plot from "@kiln/plot";\nconst x: number = 3;\nlet {a, b: [c]} = {a: 1, b: [2]};\nfunction f(y: number) { return y * 2 }\nclass C { m() { return 1 } }\nx + a + c`,
    `f(x) + new C().m()`,
    `const x = 10; x;`,
    `x`,
    `await new Promise(r => setTimeout(r, 10)); console.log("hi", [1,2,3], {a: 1}); np.arange(6).reshape([2, 3])`,
    `makeJaxpr((x) => np.sin(x))(1.0)`,
    `devices()`,
    `plot.line([1,2,3])`,
    `const g = (x: number) => {\n  if (x > 0) return x;\n  return undefinedThing + 1;\n};\ng(-1)`,
    `import _ from "lodash"`,
    `const y = ;`,
    `for (let i = 0; i < 3; i++) console.log(i)\nlet s = 0; while (s < 5) s++;\ns`,
    `await timeit(() => np.arange(100).sum(), { number: 10, repeat: 3 })`,
    `display(HTML("<b onclick='x()'>hi</b><script>alert(1)</script>")); [1, "a", {b: [1, {c: {d: 1}}]}]`,
  ];
  for (const c of cells) {
    const r = await k.execute(c);
    console.log("-----\n" + c + "\n=> " + r.status + "\n" + r.outputs.map((o) => outputText(o)).join("\n"));
  }
});
