// Benchmark: the talk's MLP (layers [1, 128, 128, 1], 128 examples) on Kiln's CPU backend,
// eager vs jit, for the loss and for a full SGD step (jit of grad + update).
// Prints a table of median times and the jit/eager ratio. Run: node bench/cpu_mlp.mjs
import { numpy as np, nn, jit, grad, treeMap, random } from "@kiln/engine";
import { timeIt, initMlpParams, forward } from "./lib/common.mjs";

const lossFn = (params, x, y) => np.mean(np.square(np.subtract(forward(params, x), y)));
const LR = 0.0001;
const update = (params, x, y) => {
  const grads = grad(lossFn)(params, x, y);
  return treeMap((p, g) => np.subtract(p, np.multiply(LR, g)), params, grads);
};

const key = random.PRNGKey(0);
const params = initMlpParams([1, 128, 128, 1], key);
const xs = random.normal(random.PRNGKey(1), [128, 1]);
const ys = np.square(xs);

const read = (x) => x.dataSync();
const rows = [];
const lossJit = jit(lossFn);
const eagerLoss = timeIt(() => read(lossFn(params, xs, ys)));
const jitLoss = timeIt(() => read(lossJit(params, xs, ys)));
rows.push(["MLP loss", eagerLoss, jitLoss]);
const updateJit = jit(update);
const eagerStep = timeIt(() => read(update(params, xs, ys)[0].weights));
const jitStep = timeIt(() => read(updateJit(params, xs, ys)[0].weights));
rows.push(["SGD step (grad + update)", eagerStep, jitStep]);

console.log(`Kiln CPU backend, Node ${process.version}, ${process.platform}/${process.arch}`);
console.log("| workload | eager (ms) | jit (ms) | jit speed-up |");
console.log("|---|---|---|---|");
for (const [name, e, j] of rows) console.log(`| ${name} | ${e.toFixed(3)} | ${j.toFixed(3)} | ${(e / j).toFixed(2)}x |`);
