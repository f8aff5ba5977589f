// Shared pieces of the Node benchmarks: a median timer and the talk's MLP (init, forward, loss).
import { numpy as np, nn, random } from "@kiln/engine";

/** Median wall time (ms) of `fn` over at least `minTime` seconds and 5 runs, after warm-up. */
export function timeIt(fn, { minTime = 1.0, warmup = 3 } = {}) {
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

/** He-initialised weights and unit biases for layers of the given widths. */
export function initMlpParams(widths, key) {
  const params = [];
  for (let i = 0; i < widths.length - 1; i++) {
    const [nIn, nOut] = [widths[i], widths[i + 1]];
    const [k1, k2] = random.split(key);
    key = k2;
    params.push({ weights: np.multiply(random.normal(k1, [nIn, nOut]), Math.sqrt(2 / nIn)), biases: np.ones([nOut]) });
  }
  return params;
}

/** relu hidden layers, linear last layer. */
export function forward(params, x) {
  const hidden = params.slice(0, -1);
  const last = params[params.length - 1];
  for (const layer of hidden) x = nn.relu(np.add(np.matmul(x, layer.weights), layer.biases));
  return np.add(np.matmul(x, last.weights), last.biases);
}

/** Mean squared error of the MLP (works on a batch and on one example). */
export const mlpLoss = (params, x, y) => np.mean(np.square(np.subtract(forward(params, x), y)));
