// Benchmark: a small RNN (hidden 64, input 16, sequence of 32) on Kiln's CPU backend, the
// recurrence written with lax.scan: h_t = tanh(h_{t-1} W + x_t U + b), loss = mean of the
// squared hidden states. Times jit(loss) (forward) and jit(valueAndGrad(loss)) (forward +
// backward through the scan) per call, and per time step; for comparison the same recurrence
// unrolled by a JS loop inside jit. Prints a table of medians. Run: node bench/cpu_rnn_scan.mjs
import { numpy as np, lax, jit, valueAndGrad, random, treeLeaves } from "@kiln/engine";
import { timeIt } from "./lib/common.mjs";

const HIDDEN = 64;
const INPUT = 16;
const SEQ = 32;

const [kW, kU, kX] = random.split(random.PRNGKey(0), 3);
const params = {
  W: np.multiply(random.normal(kW, [HIDDEN, HIDDEN]), 1 / Math.sqrt(HIDDEN)),
  U: np.multiply(random.normal(kU, [INPUT, HIDDEN]), 1 / Math.sqrt(INPUT)),
  b: np.zeros([HIDDEN]),
};
const xs = random.normal(kX, [SEQ, INPUT]);
const h0 = np.zeros([HIDDEN]);

const cell = (p, h, x) => np.tanh(np.add(np.add(np.matmul(h, p.W), np.matmul(x, p.U)), p.b));

const lossScan = (p, h0, xs) => {
  const [, hs] = lax.scan((h, x) => {
    const hn = cell(p, h, x);
    return [hn, hn];
  }, h0, xs);
  return np.mean(np.square(hs));
};

const lossUnrolled = (p, h0, xs) => {
  let h = h0;
  const hs = [];
  for (let t = 0; t < SEQ; t++) {
    h = cell(p, h, xs.index(t));
    hs.push(h);
  }
  return np.mean(np.square(np.stack(hs)));
};

const readAll = (tree) => treeLeaves(tree).forEach((l) => l.dataSync());

const fwdScan = jit(lossScan);
const stepScan = jit(valueAndGrad(lossScan));
const fwdUnrolled = jit(lossUnrolled);
const stepUnrolled = jit(valueAndGrad(lossUnrolled));

// Sanity: scan and the unrolled loop agree.
{
  const [l1, g1] = stepScan(params, h0, xs);
  const [l2, g2] = stepUnrolled(params, h0, xs);
  const d = Math.abs(l1.item() - l2.item());
  const gd = treeLeaves(g1).map((a, i) => np.max(np.abs(np.subtract(a, treeLeaves(g2)[i]))).item());
  if (!(d < 1e-5 && gd.every((v) => v < 1e-5))) throw new Error(`scan and unrolled disagree: loss ${d}, grads ${gd}`);
}

const rows = [
  ["forward, jit(loss) with lax.scan", timeIt(() => readAll(fwdScan(params, h0, xs)))],
  ["forward + grad, jit(valueAndGrad(loss)) with lax.scan", timeIt(() => readAll(stepScan(params, h0, xs)))],
  ["forward, jit(loss) unrolled by a JS loop", timeIt(() => readAll(fwdUnrolled(params, h0, xs)))],
  ["forward + grad, jit(valueAndGrad(loss)) unrolled", timeIt(() => readAll(stepUnrolled(params, h0, xs)))],
];

console.log(`Kiln CPU backend, Node ${process.version}, ${process.platform}/${process.arch}; hidden ${HIDDEN}, input ${INPUT}, sequence ${SEQ}`);
console.log("| workload | per call (ms) | per time step (µs) |");
console.log("|---|---|---|");
for (const [name, t] of rows) console.log(`| ${name} | ${t.toFixed(3)} | ${((t * 1000) / SEQ).toFixed(1)} |`);
