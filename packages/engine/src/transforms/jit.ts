/**
 * `jit` and `makeJaxpr`. jit traces the function once per input signature
 * (avals, tree structure, static argument values), caches the closed jaxpr,
 * and binds the `jit` primitive: evaluated eagerly it compiles and runs on the
 * backend; under another trace it appears as a `jit[name=… jaxpr=…]` equation.
 */
import type { ClosedJaxpr } from "../core/jaxpr.js";
import { Tracer, bind, currentTraceStack, isStaging } from "../core/tracer.js";
import { treeFlatten } from "../core/tree.js";
import { treeUnflatten } from "../core/tree.js";
import { ArrayImpl } from "../array.js";
import { argLeafNames, flattenArgs, functionName, leafArray, leafAval, traceFlat } from "./trace_fn.js";

export interface JitOptions {
  /** Positional arguments treated as compile-time constants (part of the cache key). */
  staticArgnums?: number | readonly number[];
  /** Positional arguments whose buffers the computation may reuse; they are deleted after the call. */
  donateArgnums?: number | readonly number[];
  /**
   * Inline the function into an enclosing trace instead of adding a `jit` equation (JAX's
   * `inline=True`); called eagerly it still compiles as one unit. Library functions use this.
   */
  inline?: boolean;
}

const asList = (x: number | readonly number[] | undefined): number[] => (x === undefined ? [] : typeof x === "number" ? [x] : [...x]);

const objectIds = new WeakMap<object, number>();
let nextObjectId = 0;
function staticKey(v: unknown): string {
  if (v === null || typeof v !== "object" && typeof v !== "function") return `${typeof v}:${String(v)}`;
  // Plain data (options objects, lists of numbers) is compared by value, as hashable static args are in JAX.
  if (isPlainData(v)) return `json:${JSON.stringify(v)}`;
  let id = objectIds.get(v as object);
  if (id === undefined) objectIds.set(v as object, (id = nextObjectId++));
  return `obj:${id}`;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...args: any[]) => unknown;

function isPlainData(v: unknown): boolean {
  if (v === null || typeof v === "number" || typeof v === "string" || typeof v === "boolean" || v === undefined) return true;
  if (globalThis.Array.isArray(v)) return v.every(isPlainData);
  if (typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) return Object.values(v as object).every(isPlainData);
  return false;
}

export interface Jitted<F extends AnyFn> {
  (...args: Parameters<F>): ReturnType<F>;
  /** Number of times the function has been traced (one per distinct signature). */
  readonly traceCount: number;
  /** The function being compiled. */
  readonly fun: F;
}

type CacheEntry = { closed: ClosedJaxpr; outTree: import("../core/tree.js").PyTreeDef; hoisted: readonly Tracer[] };
const functionCaches = new WeakMap<Function, Map<string, Map<string, CacheEntry>>>();

export function jit<F extends AnyFn>(fn: F, opts: JitOptions = {}): Jitted<F> {
  if (typeof fn !== "function") throw new TypeError(`jit: expected a function, got ${typeof fn}.`);
  const staticArgnums = asList(opts.staticArgnums);
  const donate = asList(opts.donateArgnums);
  const name = functionName(fn);
  // As in JAX, the trace cache belongs to the function (and the options), not to one jit() call.
  const optsKey = JSON.stringify([staticArgnums, donate, opts.inline ?? false]);
  let perFn = functionCaches.get(fn);
  if (!perFn) functionCaches.set(fn, (perFn = new Map()));
  let cache = perFn.get(optsKey);
  if (!cache) perFn.set(optsKey, (cache = new Map()));
  let traceCount = 0;

  const wrapped = (...args: unknown[]): unknown => {
    if (opts.inline && (isStaging() || treeFlatten(args)[0].some((l) => l instanceof Tracer))) return (fn as unknown as (...a: unknown[]) => unknown)(...args);
    const nargs = args.length;
    const statics = staticArgnums.map((i) => (i < 0 ? i + nargs : i));
    for (const i of statics)
      if (i >= nargs) throw new TypeError(`jit-compiled function ${name}: staticArgnums ${i} is out of range for a call with ${nargs} positional arguments.`);
    const dynamicIdx = args.map((_, i) => i).filter((i) => !statics.includes(i));
    const dynArgs = dynamicIdx.map((i) => args[i]);
    const [flat, inTree] = flattenArgs(dynArgs);
    const names = leafNamesFor(fn, args, dynamicIdx);
    const avals = flat.map((x, i) => leafAval(x, name, names[i] ?? `args[${i}]`, "jit"));
    const key = `${inTree.toString()}|${avals.map((a) => a.key()).join(";")}|${statics.map((i) => staticKey(args[i])).join(";")}`;
    let entry = cache!.get(key);
    // An entry that captured tracers of enclosing transformations is valid only while those are live.
    if (entry && !entry.hoisted.every((t) => currentTraceStack().includes(t.trace.main))) entry = undefined;
    if (!entry) {
      traceCount++;
      const traced = traceFlat(
        (dyn) => {
          const full = [...args];
          dynamicIdx.forEach((i, k) => (full[i] = dyn[k]));
          return (fn as unknown as (...a: unknown[]) => unknown)(...full);
        },
        inTree,
        avals,
        { transform: "jit", fnName: name, argNames: names },
      );
      entry = { closed: traced.closed, outTree: traced.outTree, hoisted: traced.hoisted };
      cache!.set(key, entry);
    }
    const outs = bind("jit", [...entry.hoisted, ...flat.map(leafArray)], { name, jaxpr: entry.closed });
    for (const i of donate) {
      const a = args[i];
      if (a instanceof ArrayImpl) a.dispose();
    }
    return treeUnflatten(entry.outTree, outs);
  };
  Object.defineProperty(wrapped, "traceCount", { get: () => traceCount });
  Object.defineProperty(wrapped, "fun", { value: fn });
  Object.defineProperty(wrapped, "name", { value: name });
  return wrapped as unknown as Jitted<F>;
}

function leafNamesFor(fn: Function, args: readonly unknown[], dynamicIdx: readonly number[]): string[] {
  const all = args.map((a, i) => argLeafNames(fn, args.map((x, j) => (j === i ? x : null))));
  return dynamicIdx.flatMap((i) => all[i]);
}

export interface MakeJaxprOptions {
  staticArgnums?: number | readonly number[];
}

/** `makeJaxpr(f)(...args)` returns the ClosedJaxpr; its `toString()` is JAX's printout. */
export function makeJaxpr<F extends AnyFn>(fn: F, opts: MakeJaxprOptions = {}): (...args: Parameters<F>) => ClosedJaxpr {
  const staticArgnums = asList(opts.staticArgnums);
  const name = functionName(fn);
  return (...args: unknown[]) => {
    const statics = staticArgnums.map((i) => (i < 0 ? i + args.length : i));
    const dynamicIdx = args.map((_, i) => i).filter((i) => !statics.includes(i));
    const [flat, inTree] = flattenArgs(dynamicIdx.map((i) => args[i]));
    const names = leafNamesFor(fn, args, dynamicIdx);
    const avals = flat.map((x, i) => leafAval(x, name, names[i] ?? `args[${i}]`, "makeJaxpr"));
    const traced = traceFlat(
      (dyn) => {
        const full = [...args];
        dynamicIdx.forEach((i, k) => (full[i] = dyn[k]));
        return (fn as unknown as (...a: unknown[]) => unknown)(...full);
      },
      inTree,
      avals,
      { transform: "makeJaxpr", fnName: name, argNames: names },
    );
    return traced.closed;
  };
}
