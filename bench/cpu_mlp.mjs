// Benchmark: the talk's MLP (layers [1, 128, 128, 1], 128 examples) on Kiln's CPU backend,
// eager vs jit, for the loss and for a full SGD step (jit of grad + update).
// Prints a table of median times and the jit/eager ratio. Run: node bench/cpu_mlp.mjs
import { numpy as np, nn, jit, grad, treeMap, random } from "@kiln/engine";

function timeIt(fn, { minTime = 1.0, warmup = 3 } = {}) {
  for (let i = 0; i < warmup; i++) fn();
  const times = [];
  const start = performance.now();
  while (performance.now() - start < minTime * 1000 || times.length < 5) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function initMlpParams(widths, key) {
  const params = [];
  for (let i = 0; i < widths.length - 1; i++) {
    const [nIn, nOut] = [widths[i], widths[i + 1]];
    const [k1, k2] = random.split(key);
    key = k2;
    params.push({ weights: np.multiply(random.normal(k1, [nIn, nOut]), Math.sqrt(2 / nIn)), biases: np.ones([nOut]) });
  }
  return params;
}

function forward(params, x) {
  const hidden = params.slice(0, -1);
  const last = params[params.length - 1];
  for (const layer of hidden) x = nn.relu(np.add(np.matmul(x, layer.weights), layer.biases));
  return np.add(np.matmul(x, last.weights), last.biases);
}

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
