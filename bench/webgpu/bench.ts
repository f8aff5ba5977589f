/// <reference types="@webgpu/types" />
// The side-by-side WebGPU benchmark page (issue 4): Kiln, @jax-js/jax (webgpu), tfjs-backend-webgpu
// and hand-written WGSL kernels, in one page on one adapter. bench/webgpu_peers.mjs builds it,
// serves it, drives headless Chromium and prints the tables; opened by hand it logs the same
// results below the title. Every implementation of a workload runs in its own try/catch: one that
// cannot run it posts "n/a (reason)" and the run goes on. Timing: each implementation is set up and
// warmed up (the first pipeline compile on SwiftShader takes seconds), then the timed runs go
// round-robin across implementations (so load from other processes hits them alike) and each
// reports its median. Every run waits for the device as its library requires (Kiln and jax-js:
// blockUntilReady; tfjs: submitQueue + queue.onSubmittedWorkDone; raw WebGPU: onSubmittedWorkDone;
// these two inside a popped error scope). Outputs are checked against CPU results, untimed.
// Type-check: npx tsc -p bench/webgpu
import * as kiln from "@kiln/engine";
import * as jax from "@jax-js/jax";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-webgpu";
import { type GemmConfig, type RawGpu, chainCpu, describeGemm, prepareChain, prepareGemm, prepareTinyAdd, rawGpu } from "./hand_gemm";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Impl = "kiln" | "kilnEager" | "kilnCpu" | "jax" | "jaxEager" | "tfjs" | "hand";

// ---- options ------------------------------------------------------------------------------------

const params = new URLSearchParams(location.search);
const list = (name: string, dflt: string): string[] => (params.get(name) ?? dflt).split(",").map((s) => s.trim()).filter(Boolean);
const SECTIONS = new Set(list("sections", "matmul,mlp,chain,dispatch"));
const SIZES = list("sizes", "256,512,1024,2048").map(Number);
const IMPLS = new Set(list("impls", "kiln,jax,tfjs,hand"));
const QUICK = params.get("quick") === "1";
const TUNE = params.get("tune") === "1";
/** A cell that does not finish in this time is reported as timed out and its library skipped afterwards. */
const CELL_TIMEOUT_MS = Number(params.get("cellTimeout") ?? 150_000);

/** The hand-written GEMM used in the tables (chosen with ?tune=1 on SwiftShader; see RESULTS.md). */
const HAND_GEMM: GemmConfig = { tm: 16, tn: 8, unroll: 2, wx: 16, wy: 4, subgroups: false };
const HAND_GEMM_SUBGROUPS: GemmConfig = { ...HAND_GEMM, subgroups: true };

// ---- reporting ----------------------------------------------------------------------------------

const logEl = document.getElementById("log")!;
function post(msg: Record<string, unknown>): void {
  const poster = (globalThis as { __benchPost?: (m: unknown) => void }).__benchPost;
  if (poster) void poster(msg);
  logEl.textContent += JSON.stringify(msg) + "\n";
}
const log = (text: string) => post({ type: "log", text });

function errText(e: unknown): string {
  const s = e instanceof Error ? e.message : String(e);
  return s.split("\n")[0].slice(0, 300);
}

// ---- timing -------------------------------------------------------------------------------------

interface MeasureOpts {
  /** Untimed runs first (the first pipeline compile on SwiftShader takes seconds). */
  warmup?: number;
  minRuns?: number;
  maxRuns?: number;
  /** Each implementation keeps running (up to maxRuns) until its timed runs add up to this. */
  budgetMs?: number;
}

interface Timing {
  /** Median time of one run (ms). */
  ms: number;
  runs: number;
  warmupMs: number;
  minMs: number;
  maxMs: number;
}

function timingOf(times: number[], warmupMs: number): Timing {
  const t = [...times].sort((a, b) => a - b);
  const mid = t.length >> 1;
  const ms = t.length % 2 ? t[mid] : (t[mid - 1] + t[mid]) / 2;
  return { ms, runs: t.length, warmupMs, minMs: t[0], maxMs: t[t.length - 1] };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s (${what})`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** A library whose run timed out is skipped afterwards (its device may still be busy). */
const broken = new Map<string, string>();
const family = (impl: Impl): string => (impl.startsWith("kiln") ? "kiln" : impl.startsWith("jax") ? "jax" : impl);

/** One implementation of a workload, prepared: `run` is what gets timed. */
interface Runner {
  run(): Promise<void>;
  /** After timing: check the output, return extra fields for the report. */
  finish?(): Promise<Record<string, unknown>>;
  dispose?(): void;
}

interface Contender {
  impl: Impl;
  setup(): Promise<Runner>;
}

interface State {
  c: Contender;
  runner: Runner | null;
  times: number[];
  warmupMs: number;
  minRuns: number;
  error: string | null;
  t0: number;
}

/**
 * Measures several implementations of one workload side by side: each is set up and warmed up,
 * then the timed runs go round-robin (one run of each per round), so that load from other
 * processes on this small machine hits them alike. Each posts its median, or "n/a (reason)".
 */
async function compare(section: string, row: string, contenders: Contender[], o: MeasureOpts, report: (t: Timing) => Record<string, unknown>): Promise<void> {
  const warmup = o.warmup ?? 1;
  const budget = (o.budgetMs ?? 3000) / (QUICK ? 4 : 1);
  const maxRuns = o.maxRuns ?? 50;
  const fail = (s: State, e: unknown) => {
    s.error = errText(e);
    if (s.error.startsWith("timed out")) broken.set(family(s.c.impl), s.error);
  };
  const timed = <T>(s: State, p: Promise<T>) => withTimeout(p, CELL_TIMEOUT_MS, `${section} ${row} ${s.c.impl}`);
  const states: State[] = [];
  for (const c of contenders) {
    if (!IMPLS.has(family(c.impl))) continue;
    const s: State = { c, runner: null, times: [], warmupMs: 0, minRuns: QUICK ? 2 : (o.minRuns ?? 3), error: null, t0: performance.now() };
    states.push(s);
    const prior = broken.get(family(c.impl));
    if (prior) {
      s.error = `skipped: ${prior}`;
      continue;
    }
    try {
      s.runner = await timed(s, c.setup());
      const w0 = performance.now();
      for (let i = 0; i < warmup; i++) await timed(s, s.runner.run());
      s.warmupMs = performance.now() - w0;
      // Runs of tens of seconds (2048² in the slowest library): two timed runs.
      if (warmup > 0 && s.warmupMs / warmup > 8000) s.minRuns = Math.min(s.minRuns, 2);
    } catch (e) {
      fail(s, e);
    }
  }
  const sum = (t: number[]) => t.reduce((a, b) => a + b, 0);
  for (;;) {
    const want = states.filter((s) => !s.error && (s.times.length < s.minRuns || (s.times.length < maxRuns && sum(s.times) < budget)));
    if (!want.length) break;
    for (const s of want) {
      try {
        const t0 = performance.now();
        await timed(s, s.runner!.run());
        s.times.push(performance.now() - t0);
      } catch (e) {
        fail(s, e);
      }
    }
  }
  for (const s of states) {
    const base = { type: "result", section, row, impl: s.c.impl, cellSeconds: (performance.now() - s.t0) / 1000 };
    try {
      if (s.error) throw new Error(s.error);
      const t = timingOf(s.times, s.warmupMs);
      const extra = s.runner!.finish ? await timed(s, s.runner!.finish()) : {};
      post({ ...base, ok: true, ...report(t), runs: t.runs, warmupMs: t.warmupMs, minMs: t.minMs, maxMs: t.maxMs, ...extra });
    } catch (e) {
      post({ ...base, ok: false, error: errText(e) });
    } finally {
      try {
        s.runner?.dispose?.();
      } catch {
        // already released
      }
    }
  }
}

/** A single implementation measured alone (the hand-written GEMM variants, Kiln's CPU backend). */
async function single(section: string, row: string, c: Contender, o: MeasureOpts, report: (t: Timing) => Record<string, unknown>): Promise<void> {
  await compare(section, row, [c], o, report);
}

// ---- data and checks ----------------------------------------------------------------------------

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function uniform(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * r();
  return out;
}
function normal(n: number, r: () => number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  return out;
}

/**
 * C = A·B against a float64 CPU product: every entry for n ≤ 512; else 4 full rows, 4 full
 * columns and 512 random entries. Tolerance per entry 1e-4·Σ|a·b| + 1e-6. Returns the worst
 * error relative to its tolerance; throws when an entry is off.
 */
function checkMatmul(A: Float32Array, B: Float32Array, n: number, C: ArrayLike<number>): number {
  if (C.length !== n * n) throw new Error(`result has ${C.length} elements, expected ${n * n}`);
  const entries: [number, number][] = [];
  if (n <= 512) {
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) entries.push([i, j]);
  } else {
    const r = rng(n);
    const picks = [0, n - 1, Math.floor(r() * n), Math.floor(r() * n)];
    for (const i of picks) for (let j = 0; j < n; j++) entries.push([i, j]);
    for (const j of picks) for (let i = 0; i < n; i++) entries.push([i, j]);
    for (let s = 0; s < 512; s++) entries.push([Math.floor(r() * n), Math.floor(r() * n)]);
  }
  let worst = 0;
  const row = new Float64Array(n);
  let lastRow = -1;
  for (const [i, j] of entries) {
    if (i !== lastRow) {
      for (let k = 0; k < n; k++) row[k] = A[i * n + k];
      lastRow = i;
    }
    let s = 0;
    let sa = 0;
    for (let k = 0; k < n; k++) {
      const p = row[k] * B[k * n + j];
      s += p;
      sa += Math.abs(p);
    }
    const tol = 1e-4 * sa + 1e-6;
    const rel = Math.abs(C[i * n + j] - s) / tol;
    if (!(rel <= 1)) throw new Error(`wrong result: C[${i},${j}] = ${C[i * n + j]}, CPU ${s.toPrecision(7)}`);
    worst = Math.max(worst, rel);
  }
  return worst;
}

function checkChain(x: Float32Array, y: ArrayLike<number>): void {
  if (y.length !== x.length) throw new Error(`result has ${y.length} elements, expected ${x.length}`);
  const r = rng(7);
  for (let s = 0; s < 4096; s++) {
    const i = s < 8 ? s : Math.floor(r() * x.length);
    const want = chainCpu(x[i]);
    if (!(Math.abs(y[i] - want) <= 1e-5 * Math.abs(want) + 1e-6)) throw new Error(`wrong result: y[${i}] = ${y[i]}, CPU ${want}`);
  }
}

// ---- libraries ----------------------------------------------------------------------------------

function once<T>(f: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | null = null;
  return () => (p ??= f());
}

const kilnReady = once(async () => {
  const devs = await kiln.init({ backend: "webgpu" });
  return String(devs[0]);
});
const jaxReady = once(async () => {
  const devs = await jax.init("webgpu");
  if (!devs.includes("webgpu")) throw new Error(`jax-js init("webgpu") gave ${JSON.stringify(devs)}`);
  jax.defaultDevice("webgpu");
  const info = (jax.getWebGPUDevice() as any).adapterInfo as GPUAdapterInfo | undefined;
  return info ? `${info.vendor} ${info.architecture} ${info.description}` : "(adapterInfo unavailable)";
});
let tfBackend: any = null;
const tfReady = once(async () => {
  // Small ops would otherwise run on the CPU (tfjs forwards small CPU-resident tensors).
  tf.env().set("WEBGPU_CPU_FORWARD", false);
  if (!(await tf.setBackend("webgpu"))) throw new Error("tf.setBackend('webgpu') failed");
  await tf.ready();
  tfBackend = tf.backend();
  const info = tfBackend.device?.adapterInfo as GPUAdapterInfo | undefined;
  return info ? `${info.vendor} ${info.architecture} ${info.description}` : "(adapterInfo unavailable)";
});
/**
 * tfjs defers submission: end its compute pass, submit its command encoder and wait for the queue
 * (inside an error scope, which makes Chromium flush at once, as for the raw kernels: submitAndWait).
 */
async function tfSync(): Promise<void> {
  const device = tfBackend.device as GPUDevice;
  device.pushErrorScope("validation");
  if (tfBackend.commandEncoder) {
    tfBackend.endComputePassEncoder();
    tfBackend.submitQueue();
  }
  const scope = device.popErrorScope();
  await device.queue.onSubmittedWorkDone();
  const err = await scope;
  if (err) throw new Error(err.message);
}
let raw: RawGpu | null = null;
const rawReady = once(async () => (raw = await rawGpu()));

const jnp = jax.numpy as any;
const knp = kiln.numpy as any;

// ---- workloads ----------------------------------------------------------------------------------

async function matmulSection(): Promise<void> {
  for (const n of SIZES) {
    const A = uniform(n * n, 1000 + n);
    const B = uniform(n * n, 2000 + n);
    const flops = 2 * n ** 3;
    log(`matmul ${n}x${n}`);
    const check = (c: ArrayLike<number>) => ({ checkWorst: checkMatmul(A, B, n, c) });

    const kilnC: Contender = {
      impl: "kiln",
      async setup() {
        await kilnReady();
        const a = knp.reshape(knp.array(A), [n, n]);
        const b = knp.reshape(knp.array(B), [n, n]);
        let last: any = null;
        return {
          async run() {
            const y = knp.matmul(a, b);
            await y.blockUntilReady();
            last?.dispose();
            last = y;
          },
          finish: async () => check(await last.data()),
          dispose: () => [a, b, last].forEach((x) => x?.dispose()),
        };
      },
    };
    const jaxC: Contender = {
      impl: "jax",
      async setup() {
        await jaxReady();
        const a = jnp.array(A).reshape([n, n]);
        const b = jnp.array(B).reshape([n, n]);
        let last: any = null;
        return {
          async run() {
            const y = jnp.matmul(a.ref, b.ref);
            await y.blockUntilReady();
            last?.dispose();
            last = y;
          },
          async finish() {
            const data = await last.data(); // data() consumes the array
            last = null;
            return check(data);
          },
          dispose: () => [a, b, last].forEach((x) => x?.dispose()),
        };
      },
    };
    const tfC: Contender = {
      impl: "tfjs",
      async setup() {
        await tfReady();
        const a = tf.tensor2d(A, [n, n]);
        const b = tf.tensor2d(B, [n, n]);
        let last: tf.Tensor | null = null;
        return {
          async run() {
            const y = tf.matMul(a, b);
            await tfSync();
            last?.dispose();
            last = y;
          },
          finish: async () => check(await last!.data()),
          dispose: () => [a, b, last].forEach((x) => x?.dispose()),
        };
      },
    };
    const handC: Contender = {
      impl: "hand",
      async setup() {
        const g = await rawReady();
        const cfg = subgroupsUsable(g) ? HAND_GEMM_SUBGROUPS : HAND_GEMM;
        const k = await prepareGemm(g, A, B, n, n, n, cfg);
        return { run: () => k.run(), finish: async () => ({ ...check(await k.read()), kernel: describeGemm(cfg) }), dispose: () => k.destroy() };
      },
    };
    await compare("matmul", String(n), [kilnC, jaxC, tfC, handC], { warmup: 1, minRuns: 3, maxRuns: 20, budgetMs: n >= 2048 ? 4000 : 2500 }, (t) => ({ ms: t.ms, gflops: flops / t.ms / 1e6 }));
  }
}

const subgroupsUsable = (g: RawGpu) => g.features.includes("subgroups") && g.adapterInfo.subgroupMinSize === 4 && g.adapterInfo.subgroupMaxSize === 4;

/** Variants of the hand-written GEMM (?tune=1), each verified; posted as section "tune". */
async function tuneSection(): Promise<void> {
  const g = await rawReady();
  const sub = subgroupsUsable(g);
  const configs: GemmConfig[] = [];
  for (const [tm, tn, unroll] of [
    [16, 8, 2],
    [16, 8, 1],
    [16, 16, 1],
    [8, 8, 4],
    [8, 16, 2],
    [16, 4, 4],
    [32, 8, 1],
  ] as const)
    for (const [wx, wy] of [
      [8, 8],
      [16, 4],
    ] as const) {
      configs.push({ tm, tn, unroll, wx, wy, subgroups: false });
      if (sub && tm === 16) configs.push({ tm, tn, unroll, wx, wy, subgroups: true });
    }
  for (const n of SIZES) {
    const A = uniform(n * n, 1000 + n);
    const B = uniform(n * n, 2000 + n);
    for (const cfg of configs) {
      await single(
        "tune",
        `${n} ${describeGemm(cfg)}`,
        {
          impl: "hand",
          async setup() {
            const k = await prepareGemm(g, A, B, n, n, n, cfg);
            return { run: () => k.run(), finish: async () => ({ checkWorst: checkMatmul(A, B, n, await k.read()) }), dispose: () => k.destroy() };
          },
        },
        { warmup: 1, minRuns: 3, budgetMs: 1500 },
        (t) => ({ ms: t.ms, gflops: (2 * n ** 3) / t.ms / 1e6 }),
      );
    }
  }
}

// The talk's MLP: layers [1, 128, 128, 1], batch 128, MSE loss, SGD step = grad + update.
const WIDTHS = [1, 128, 128, 1];
const BATCH = 128;
const LR = 0.001;
const STEPS_PER_RUN = 10;
const CHECK_STEPS = 3;

function mlpHostData() {
  const r = rng(42);
  const layers = [];
  for (let i = 0; i < WIDTHS.length - 1; i++) {
    const [nIn, nOut] = [WIDTHS[i], WIDTHS[i + 1]];
    const w = normal(nIn * nOut, r).map((v) => v * Math.sqrt(2 / nIn));
    layers.push({ nIn, nOut, w, b: new Float32Array(nOut).fill(1) });
  }
  const xs = normal(BATCH, r);
  const ys = xs.map((v) => v * v);
  return { layers, xs, ys };
}

async function mlpSection(): Promise<void> {
  const host = mlpHostData();
  const row = `SGD step, layers [${WIDTHS.join(", ")}], batch ${BATCH}`;
  const opts: MeasureOpts = { warmup: 1, minRuns: 3, maxRuns: 30, budgetMs: 3000 };
  const report = (t: Timing) => ({ ms: t.ms / STEPS_PER_RUN, stepsPerSec: (1000 * STEPS_PER_RUN) / t.ms, stepsPerRun: STEPS_PER_RUN });

  // Kiln: the same program as bench/cpu_mlp.mjs.
  const kForward = (p: any[], x: any) => {
    for (const layer of p.slice(0, -1)) x = kiln.nn.relu(knp.add(knp.matmul(x, layer.weights), layer.biases));
    const last = p[p.length - 1];
    return knp.add(knp.matmul(x, last.weights), last.biases);
  };
  const kLoss = (p: any[], x: any, y: any) => knp.mean(knp.square(knp.subtract(kForward(p, x), y)));
  const kUpdate = (p: any[], x: any, y: any) => {
    const g = kiln.grad(kLoss)(p, x, y);
    return kiln.treeMap((w: any, gw: any) => knp.subtract(w, knp.multiply(LR, gw)), p, g) as any[];
  };
  /** Losses before and after CHECK_STEPS steps are read first (untimed) and compared across libraries. */
  const kilnRunner = async (jitted: boolean): Promise<Runner> => {
    let p = host.layers.map((l) => ({ weights: knp.reshape(knp.array(l.w), [l.nIn, l.nOut]), biases: knp.array(l.b) }));
    const x = knp.reshape(knp.array(host.xs), [BATCH, 1]);
    const y = knp.reshape(knp.array(host.ys), [BATCH, 1]);
    const step = jitted ? kiln.jit(kUpdate) : kUpdate;
    const lossBefore = (await kLoss(p, x, y).data())[0];
    for (let i = 0; i < CHECK_STEPS; i++) p = step(p, x, y);
    const lossAfter = (await kLoss(p, x, y).data())[0];
    return {
      async run() {
        for (let i = 0; i < STEPS_PER_RUN; i++) p = step(p, x, y);
        await kiln.blockUntilReady(p);
      },
      finish: async () => ({ lossBefore, lossAfter }),
    };
  };

  // Kiln's CPU backend in this page (alone, before the rest: the default backend is global): the
  // reference for the losses, and for scale.
  await single(
    "mlp",
    row,
    {
      impl: "kilnCpu",
      async setup() {
        await kiln.init({ backend: "cpu" });
        return kilnRunner(true);
      },
    },
    opts,
    report,
  );
  if (IMPLS.has("kiln")) await kiln.init({ backend: "webgpu" }).catch(() => undefined);

  // jax-js: the same model under its ownership rules (every array argument is consumed once; .ref
  // keeps one alive).
  const jLoss = (p: any[], x: any, y: any) => {
    let h = x;
    p.forEach((layer, i) => {
      h = jnp.matmul(h, layer.w).add(layer.b);
      if (i < p.length - 1) h = jax.nn.relu(h);
    });
    return jnp.mean(jnp.square(h.sub(y)));
  };
  const jUpdate = (p: any[], x: any, y: any) => {
    const g = (jax.grad as any)(jLoss)(jax.tree.ref(p), x, y);
    return jax.tree.map((w: any, gw: any) => w.sub(gw.mul(LR)), p, g) as any[];
  };
  const jaxRunner = async (jitted: boolean): Promise<Runner> => {
    await jaxReady();
    let p: any[] = host.layers.map((l) => ({ w: jnp.array(l.w).reshape([l.nIn, l.nOut]), b: jnp.array(l.b) }));
    const x = jnp.array(host.xs).reshape([BATCH, 1]);
    const y = jnp.array(host.ys).reshape([BATCH, 1]);
    const step: any = jitted ? jax.jit(jUpdate) : jUpdate;
    const lossBefore = (await jLoss(jax.tree.ref(p), x.ref, y.ref).data())[0];
    for (let i = 0; i < CHECK_STEPS; i++) p = step(p, x.ref, y.ref);
    const lossAfter = (await jLoss(jax.tree.ref(p), x.ref, y.ref).data())[0];
    return {
      async run() {
        for (let i = 0; i < STEPS_PER_RUN; i++) p = step(p, x.ref, y.ref);
        await jax.blockUntilReady(p);
      },
      finish: async () => ({ lossBefore, lossAfter }),
      dispose() {
        jax.tree.dispose(p);
        x.dispose();
        y.dispose();
        step.dispose?.();
      },
    };
  };

  // tfjs (no jit): variables + tf.train.sgd, for reference.
  const tfRunner = async (): Promise<Runner> => {
    await tfReady();
    const vars = host.layers.map((l) => ({ w: tf.variable(tf.tensor2d(l.w, [l.nIn, l.nOut])), b: tf.variable(tf.tensor1d(l.b)) }));
    const x = tf.tensor2d(host.xs, [BATCH, 1]);
    const y = tf.tensor2d(host.ys, [BATCH, 1]);
    const opt = tf.train.sgd(LR);
    const lossFn = () =>
      tf.tidy(() => {
        let h: tf.Tensor = x;
        vars.forEach((v, i) => {
          h = tf.add(tf.matMul(h as tf.Tensor2D, v.w), v.b);
          if (i < vars.length - 1) h = tf.relu(h);
        });
        return tf.mean(tf.square(tf.sub(h, y))) as tf.Scalar;
      });
    const stepOnce = () => tf.tidy(() => void opt.minimize(lossFn, false, vars.flatMap((v) => [v.w, v.b])));
    const readLoss = async () => {
      const l = lossFn();
      const v = (await l.data())[0];
      l.dispose();
      return v;
    };
    const lossBefore = await readLoss();
    for (let i = 0; i < CHECK_STEPS; i++) stepOnce();
    const lossAfter = await readLoss();
    return {
      async run() {
        for (let i = 0; i < STEPS_PER_RUN; i++) stepOnce();
        await tfSync();
      },
      finish: async () => ({ lossBefore, lossAfter }),
      dispose() {
        for (const v of vars) [v.w, v.b].forEach((t) => t.dispose());
        [x, y].forEach((t) => t.dispose());
        opt.dispose();
      },
    };
  };

  await compare(
    "mlp",
    row,
    [
      { impl: "kiln", setup: async () => (await kilnReady(), kilnRunner(true)) },
      { impl: "kilnEager", setup: async () => (await kilnReady(), kilnRunner(false)) },
      { impl: "jax", setup: () => jaxRunner(true) },
      { impl: "jaxEager", setup: () => jaxRunner(false) },
      { impl: "tfjs", setup: tfRunner },
    ],
    opts,
    report,
  );
}

// The 8-op elementwise chain ((|(x·1.5 + 0.5)·x − 3|)^½ + x)·0.25 over 4M floats.
const CHAIN_N = 4 * 1024 * 1024;

async function chainSection(): Promise<void> {
  const x = uniform(CHAIN_N, 99, -2, 2);
  const bytesMoved = 2 * CHAIN_N * 4;
  const opts: MeasureOpts = { warmup: 2, minRuns: 5, maxRuns: 40, budgetMs: 2500 };
  const report = (t: Timing) => ({ ms: t.ms, gbps: bytesMoved / t.ms / 1e6 });

  const kChain = (v: any) => {
    let y = knp.multiply(v, 1.5);
    y = knp.add(y, 0.5);
    y = knp.multiply(y, v);
    y = knp.subtract(y, 3);
    y = knp.abs(y);
    y = knp.sqrt(y);
    y = knp.add(y, v);
    return knp.multiply(y, 0.25);
  };
  const kilnRunner = async (jitted: boolean): Promise<Runner> => {
    await kilnReady();
    const xv = knp.array(x);
    const f = jitted ? kiln.jit(kChain) : kChain;
    let last: any = null;
    return {
      async run() {
        const y = f(xv);
        await y.blockUntilReady();
        last?.dispose();
        last = y;
      },
      finish: async () => (checkChain(x, await last.data()), {}),
      dispose: () => [xv, last].forEach((a) => a?.dispose()),
    };
  };

  const jChain = (v: any) => jnp.sqrt(jnp.abs(v.ref.mul(1.5).add(0.5).mul(v.ref).sub(3))).add(v).mul(0.25);
  const jaxRunner = async (jitted: boolean): Promise<Runner> => {
    await jaxReady();
    const xv = jnp.array(x);
    await xv.blockUntilReady();
    const f: any = jitted ? jax.jit(jChain) : jChain;
    let last: any = null;
    return {
      async run() {
        const y = f(xv.ref);
        await y.blockUntilReady();
        last?.dispose();
        last = y;
      },
      async finish() {
        const data = await last.data();
        last = null;
        checkChain(x, data);
        return {};
      },
      dispose() {
        [xv, last].forEach((a) => a?.dispose());
        f.dispose?.();
      },
    };
  };

  const tfRunner = async (): Promise<Runner> => {
    await tfReady();
    const xv = tf.tensor1d(x);
    let last: tf.Tensor | null = null;
    return {
      async run() {
        const y = tf.tidy(() => tf.mul(tf.add(tf.sqrt(tf.abs(tf.sub(tf.mul(tf.add(tf.mul(xv, 1.5), 0.5), xv), 3))), xv), 0.25));
        await tfSync();
        last?.dispose();
        last = y;
      },
      finish: async () => (checkChain(x, await last!.data()), {}),
      dispose: () => [xv, last].forEach((a) => a?.dispose()),
    };
  };

  const handRunner = async (what: "chain" | "copy"): Promise<Runner> => {
    const k = await prepareChain(await rawReady(), x);
    return {
      run: what === "chain" ? () => k.chain() : () => k.copy(),
      finish: async () => (what === "chain" && checkChain(x, await k.read()), {}),
      dispose: () => k.destroy(),
    };
  };

  await compare("chain", "one buffer copy (copyBufferToBuffer), 16 MiB", [{ impl: "hand", setup: () => handRunner("copy") }], opts, report);
  await compare(
    "chain",
    "8-op chain, 4M f32",
    [
      { impl: "kiln", setup: () => kilnRunner(true) },
      { impl: "kilnEager", setup: () => kilnRunner(false) },
      { impl: "jax", setup: () => jaxRunner(true) },
      { impl: "jaxEager", setup: () => jaxRunner(false) },
      { impl: "tfjs", setup: tfRunner },
      { impl: "hand", setup: () => handRunner("chain") },
    ],
    opts,
    report,
  );
}

async function dispatchSection(): Promise<void> {
  const N_OPS = 100;
  const small: MeasureOpts = { warmup: 5, minRuns: 20, maxRuns: 3000, budgetMs: 1500 };
  const batch: MeasureOpts = { warmup: 2, minRuns: 5, maxRuns: 200, budgetMs: 1500 };
  const A = uniform(16, 5);
  const B = uniform(16, 6);
  const us = (per: number) => (t: Timing) => ({ ms: t.ms / per, us: (1000 * t.ms) / per });

  const kilnPair = async () => (await kilnReady(), { a: knp.array(A), b: knp.array(B) });
  const jaxPair = async () => {
    await jaxReady();
    const a = jnp.array(A);
    const b = jnp.array(B);
    await a.blockUntilReady();
    await b.blockUntilReady();
    return { a, b, dispose: () => [a, b].forEach((v) => v.dispose()) };
  };
  const tfPair = async () => {
    await tfReady();
    const a = tf.tensor1d(A);
    const b = tf.tensor1d(B);
    return { a, b, dispose: () => [a, b].forEach((v) => v.dispose()) };
  };

  await compare(
    "dispatch",
    "eager add f32[16], wait (latency)",
    [
      {
        impl: "kiln",
        async setup() {
          const { a, b } = await kilnPair();
          return {
            async run() {
              const y = knp.add(a, b);
              await y.blockUntilReady();
              y.dispose();
            },
          };
        },
      },
      {
        impl: "jax",
        async setup() {
          const { a, b, dispose } = await jaxPair();
          return {
            async run() {
              const y = a.ref.add(b.ref);
              await y.blockUntilReady();
              y.dispose();
            },
            dispose,
          };
        },
      },
      {
        impl: "tfjs",
        async setup() {
          const { a, b, dispose } = await tfPair();
          return {
            async run() {
              const y = tf.add(a, b);
              await tfSync();
              y.dispose();
            },
            dispose,
          };
        },
      },
      { impl: "hand", setup: async () => ({ run: (await prepareTinyAdd(await rawReady())).once }) },
    ],
    small,
    us(1),
  );

  await compare(
    "dispatch",
    `${N_OPS} dependent eager adds f32[16], one wait (per op)`,
    [
      {
        impl: "kiln",
        async setup() {
          const { a, b } = await kilnPair();
          return {
            async run() {
              let y = a;
              for (let i = 0; i < N_OPS; i++) {
                const next = knp.add(y, b);
                if (y !== a) y.dispose();
                y = next;
              }
              await y.blockUntilReady();
              y.dispose();
            },
          };
        },
      },
      {
        impl: "jax",
        async setup() {
          const { a, b, dispose } = await jaxPair();
          return {
            async run() {
              let y = a.ref;
              for (let i = 0; i < N_OPS; i++) y = y.add(b.ref);
              await y.blockUntilReady();
              y.dispose();
            },
            dispose,
          };
        },
      },
      {
        impl: "tfjs",
        async setup() {
          const { a, b, dispose } = await tfPair();
          return {
            async run() {
              tf.tidy(() => {
                let y: tf.Tensor = a;
                for (let i = 0; i < N_OPS; i++) y = tf.add(y, b);
                return y;
              }).dispose();
              await tfSync();
            },
            dispose,
          };
        },
      },
      {
        impl: "hand",
        async setup() {
          const k = await prepareTinyAdd(await rawReady());
          return { run: () => k.many(N_OPS) };
        },
      },
    ],
    batch,
    us(N_OPS),
  );

  await compare(
    "dispatch",
    "jit of a 5-op graph on f32[16], wait (latency)",
    [
      {
        impl: "kiln",
        async setup() {
          const { a, b } = await kilnPair();
          const g = kiln.jit((u: any, v: any) => knp.subtract(knp.tanh(knp.add(knp.multiply(u, v), u)), knp.multiply(v, 0.5)));
          return {
            async run() {
              const y = g(a, b);
              await y.blockUntilReady();
              y.dispose();
            },
          };
        },
      },
      {
        impl: "jax",
        async setup() {
          const { a, b, dispose } = await jaxPair();
          const g: any = jax.jit((u: any, v: any) => jnp.tanh(u.ref.mul(v.ref).add(u)).sub(v.mul(0.5)));
          return {
            async run() {
              const y = g(a.ref, b.ref);
              await y.blockUntilReady();
              y.dispose();
            },
            dispose() {
              dispose();
              g.dispose?.();
            },
          };
        },
      },
    ],
    small,
    us(1),
  );
}

// ---- main ---------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const t0 = performance.now();
  const meta: Record<string, unknown> = {
    type: "meta",
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
    crossOriginIsolated: globalThis.crossOriginIsolated,
    options: { sections: [...SECTIONS], sizes: SIZES, impls: [...IMPLS], quick: QUICK, tune: TUNE },
  };
  try {
    const g = await rawReady();
    const i = g.adapterInfo;
    meta.adapter = { vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description, subgroupMinSize: i.subgroupMinSize, subgroupMaxSize: i.subgroupMaxSize };
    meta.features = g.features;
  } catch (e) {
    meta.adapterError = errText(e);
  }
  const adapters: Record<string, string> = {};
  for (const [name, ready] of [
    ["kiln", kilnReady],
    ["jax", jaxReady],
    ["tfjs", tfReady],
  ] as const) {
    if (!IMPLS.has(name)) continue;
    try {
      adapters[name] = await ready();
    } catch (e) {
      adapters[name] = `init failed: ${errText(e)}`;
    }
  }
  meta.libraryAdapters = adapters;
  post(meta);

  if (TUNE) await tuneSection();
  else {
    if (SECTIONS.has("matmul")) await matmulSection();
    if (SECTIONS.has("mlp")) await mlpSection();
    if (SECTIONS.has("chain")) await chainSection();
    if (SECTIONS.has("dispatch")) await dispatchSection();
  }
  post({ type: "done", seconds: (performance.now() - t0) / 1000 });
}

main().catch((e) => post({ type: "fatal", error: e instanceof Error ? `${e.message}\n${e.stack}` : String(e) }));
