// Benchmark: per-example gradients of the talk's MLP loss (layers [1, 128, 128, 1], batch of 128)
// on Kiln's CPU backend: one jit(vmap(grad(loss), { inAxes: [null, 0, 0] })) call vs a JS loop
// calling jit(grad(loss)) once per example (examples pre-sliced, outside the timing). Also shown:
// the same vmap without jit, and one jit(grad) of the batch loss for scale. Prints a table of
// median times and each row's ratio to jit∘vmap∘grad. Run: node bench/cpu_per_example_grads.mjs
import { numpy as np, nn, jit, vmap, grad, random, treeLeaves } from "@kiln/engine";
import { timeIt, initMlpParams, forward } from "./lib/common.mjs";

// Works on a batch (x: [B, 1]) and on one example (x: [1]).
const loss = (params, x, y) => np.mean(np.square(np.subtract(forward(params, x), y)));

const BATCH = 128;
const params = initMlpParams([1, 128, 128, 1], random.PRNGKey(0));
const xs = random.normal(random.PRNGKey(1), [BATCH, 1]);
const ys = np.square(xs);
const examples = Array.from({ length: BATCH }, (_, b) => [np.take(xs, b, { axis: 0 }), np.take(ys, b, { axis: 0 })]);

const readAll = (tree) => treeLeaves(tree).forEach((l) => l.dataSync());

const perExampleJit = jit(vmap(grad(loss), { inAxes: [null, 0, 0] }));
const perExampleEager = vmap(grad(loss), { inAxes: [null, 0, 0] });
const gradJit = jit(grad(loss));

// Sanity: both ways give the same per-example gradients.
{
  const batched = treeLeaves(perExampleJit(params, xs, ys));
  const one = treeLeaves(gradJit(params, ...examples[5]));
  let maxErr = 0;
  batched.forEach((b, i) => {
    const row = np.take(b, 5, { axis: 0 }).dataSync();
    const ref = one[i].dataSync();
    for (let k = 0; k < ref.length; k++) maxErr = Math.max(maxErr, Math.abs(row[k] - ref[k]));
  });
  if (!(maxErr < 1e-4)) throw new Error(`per-example gradients disagree: max abs error ${maxErr}`);
}

const rows = [];
rows.push(["jit(vmap(grad(loss))), one call for 128 examples", timeIt(() => readAll(perExampleJit(params, xs, ys)))]);
rows.push(["JS loop: 128 calls of jit(grad(loss))", timeIt(() => {
  for (const [x, y] of examples) readAll(gradJit(params, x, y));
})]);
rows.push(["vmap(grad(loss)) without jit", timeIt(() => readAll(perExampleEager(params, xs, ys)))]);
rows.push(["(for scale) jit(grad(loss)) of the batch-mean loss", timeIt(() => readAll(gradJit(params, xs, ys)))]);

const base = rows[0][1];
console.log(`Kiln CPU backend, Node ${process.version}, ${process.platform}/${process.arch}`);
console.log("| workload | time (ms) | vs jit(vmap(grad)) |");
console.log("|---|---|---|");
for (const [name, t] of rows) console.log(`| ${name} | ${t.toFixed(3)} | ${(t / base).toFixed(2)}x |`);
