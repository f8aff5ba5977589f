/**
 * `checkGrads` (JAX's jax.test_util.check_grads): compares forward- and
 * reverse-mode derivatives of `f` at `args` with central finite differences,
 * to any order, in float64 on the CPU backend. Forward mode is checked against
 * numerical directional derivatives; reverse mode by the transpose identity
 * <ct, J t> = <J^T ct, t>; higher orders recurse on the derivative functions.
 */
import { type Array } from "./core/tracer.js";
import { treeFlatten, treeUnflatten } from "./core/tree.js";
import { config } from "./config.js";
import { ArrayImpl, fromHostData } from "./array.js";
import { isArray } from "./lax/lax.js";
import { jvp, vjp } from "./transforms/grad.js";
import { isFloat } from "./core/dtype.js";

export interface CheckGradsOptions {
  order?: number;
  modes?: readonly ("fwd" | "rev")[];
  /** Finite-difference step (float64). */
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Seed of the random directions. */
  seed?: number;
}

type Fn = (...args: Array[]) => unknown;

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    // xorshift32 -> approximately normal via sum of uniforms
    let acc = 0;
    for (let k = 0; k < 4; k++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      acc += (s >>> 0) / 4294967296;
    }
    return (acc - 2) * Math.sqrt(3);
  };
}

function toF64(x: unknown): Array {
  if (x instanceof ArrayImpl) return fromHostData(globalThis.Array.from(x.dataSync(), Number), x.shape, isFloat(x.dtype) ? "float64" : x.dtype);
  if (typeof x === "number") return fromHostData([x], [], "float64");
  throw new TypeError("checkGrads: arguments must be concrete Arrays or numbers.");
}

function values(x: unknown): number[] {
  if (x instanceof ArrayImpl) return globalThis.Array.from(x.dataSync(), Number);
  if (isArray(x)) throw new TypeError("checkGrads: expected concrete outputs");
  return [Number(x)];
}

function flatVals(tree: unknown): number[] {
  return treeFlatten(tree)[0].flatMap(values);
}

function randomLike(xs: Array[], r: () => number): Array[] {
  return xs.map((x) => fromHostData(globalThis.Array.from({ length: x.size }, r), x.shape, x.dtype));
}

function axpy(a: number, xs: Array[], ys: Array[]): Array[] {
  return ys.map((y, i) => {
    const xv = values(xs[i]);
    return fromHostData(values(y).map((v, k) => v + a * xv[k]), y.shape, y.dtype);
  });
}

function dotTrees(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function assertClose(what: string, got: number[], want: number[], atol: number, rtol: number): void {
  if (got.length !== want.length) throw new Error(`checkGrads ${what}: got ${got.length} values, expected ${want.length}.`);
  for (let i = 0; i < got.length; i++) {
    const tol = atol + rtol * Math.abs(want[i]);
    if (!(Math.abs(got[i] - want[i]) <= tol) && !(Number.isNaN(got[i]) && Number.isNaN(want[i])))
      throw new Error(`checkGrads ${what}: element ${i}: got ${got[i]}, expected ${want[i]} (atol ${atol}, rtol ${rtol}).`);
  }
}

/**
 * Check the derivatives of `f` at `args` (Arrays or numbers; converted to float64).
 * Throws an Error describing the first mismatch.
 */
export function checkGrads(f: Fn, args: readonly unknown[], opts: CheckGradsOptions = {}): void {
  const prev = config.jax_enable_x64;
  config.update("jax_enable_x64", true);
  try {
    const xs = args.map(toF64);
    const order = opts.order ?? 1;
    const modes = opts.modes ?? ["fwd", "rev"];
    const eps = opts.eps ?? 1e-6;
    const atol = opts.atol ?? 1e-5;
    const rtol = opts.rtol ?? 1e-5;
    const r = rng(opts.seed ?? 1234);
    check(f, xs, order, modes, eps, atol, rtol, r);
  } finally {
    config.update("jax_enable_x64", prev);
  }
}

function check(f: Fn, xs: Array[], order: number, modes: readonly ("fwd" | "rev")[], eps: number, atol: number, rtol: number, r: () => number): void {
  if (order <= 0) return;
  const ts = randomLike(xs, r);
  if (modes.includes("fwd")) {
    const [, tOut] = jvp(f, xs, ts);
    const plus = flatVals(f(...axpy(eps, ts, xs)));
    const minus = flatVals(f(...axpy(-eps, ts, xs)));
    const numeric = plus.map((p, i) => (p - minus[i]) / (2 * eps));
    assertClose(`jvp (order ${order})`, flatVals(tOut), numeric, atol, rtol);
    // Recurse: the jvp as a function of the primals (tangent direction fixed).
    check((...ys: Array[]) => jvp(f, ys, ts)[1], xs, order - 1, modes, eps, atol, rtol, r);
  }
  if (modes.includes("rev")) {
    const [out, pullback] = vjp(f, ...xs);
    const [outLeaves, outTree] = treeFlatten(out);
    const cts = randomLike(outLeaves.map((o) => toF64(o)), r);
    const ctIn = pullback(treeUnflatten(outTree, cts));
    const [, tOut] = jvp(f, xs, ts);
    const lhs = dotTrees(cts.flatMap(values), flatVals(tOut));
    const rhs = dotTrees(ctIn.flatMap((c) => flatVals(c)), ts.flatMap(values));
    assertClose(`vjp (order ${order})`, [rhs], [lhs], atol, rtol);
    check((...ys: Array[]) => vjp(f, ...ys)[1](treeUnflatten(outTree, cts)), xs, order - 1, modes, eps, atol, rtol, r);
  }
}
