/**
 * Tracing a user function to a jaxpr: flatten pytree arguments, give each leaf
 * an abstract value, run the function on JaxprTracers under a new dynamic
 * trace, and flatten the outputs. Shared by makeJaxpr and jit. Also derives
 * display names of the flat inputs (`x`, `params['w']`) for error messages.
 */
import { ShapedArray } from "../core/aval.js";
import { type Array, Tracer, withDynamicTrace } from "../core/tracer.js";
import { JaxprBuilder, JaxprTrace, finishJaxpr, type TracedJaxpr } from "../core/jaxpr.js";
import { type PyTreeDef, treeFlatten, treeUnflatten } from "../core/tree.js";
import { asArray, isArray, describe } from "../lax/lax.js";

/** The abstract value of a flat argument leaf: JS numbers are weak float32, booleans bool (DESIGN.md §3). */
export function leafAval(x: unknown, fnName: string, path: string, transform: string): ShapedArray {
  if (isArray(x)) return x.aval;
  if (typeof x === "number") return new ShapedArray([], "float32", true);
  if (typeof x === "boolean") return new ShapedArray([], "bool", false);
  throw new TypeError(
    `Error interpreting argument to ${fnName} as an abstract array. The problematic value is ${describe(x)} and was passed to the function at path ${path}.\n` +
      `This typically means that a ${transform}-wrapped function was called with a non-array argument, and this argument was not marked as static using the staticArgnums option of ${transform}.`,
  );
}

/** Concrete Array for a flat argument leaf. */
export function leafArray(x: unknown): Array {
  if (isArray(x)) return x;
  if (typeof x === "number") return asArray(x, "float32");
  return asArray(x as boolean);
}

/** Parameter names of a JS function, from its source; destructured or unknown ones are `args[i]`. */
export function paramNames(fn: Function): string[] {
  const src = Function.prototype.toString.call(fn);
  const arrow1 = /^\s*(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(src);
  if (arrow1) return [arrow1[1]];
  const open = src.indexOf("(");
  if (open < 0) return [];
  let depth = 0;
  let cur = "";
  const parts: string[] = [];
  for (let i = open + 1; i < src.length; i++) {
    const c = src[i];
    if ("([{".includes(c)) depth++;
    if (")]}".includes(c)) {
      if (depth === 0) break;
      depth--;
    }
    if (c === "," && depth === 0) {
      parts.push(cur);
      cur = "";
    } else cur += c;
  }
  if (cur.trim()) parts.push(cur);
  return parts.map((p, i) => {
    const m = /^\s*(\.\.\.)?\s*([A-Za-z_$][\w$]*)/.exec(p);
    return m && !m[1] ? m[2] : `args[${i}]`;
  });
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== "object" || globalThis.Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** Display paths of every leaf of `tree`, in flattening order. */
export function leafPaths(tree: unknown, prefix: string): string[] {
  if (tree === null || tree === undefined) return [];
  if (globalThis.Array.isArray(tree)) return tree.flatMap((t, i) => leafPaths(t, `${prefix}[${i}]`));
  if (isPlainObject(tree)) return Object.keys(tree).sort().flatMap((k) => leafPaths(tree[k], `${prefix}['${k}']`));
  return [prefix];
}

export function argLeafNames(fn: Function, args: readonly unknown[]): string[] {
  const names = paramNames(fn);
  return args.flatMap((a, i) => leafPaths(a, names[i] ?? `args[${i}]`));
}

export function functionName(fn: Function): string {
  return fn.name && fn.name !== "anonymous" ? fn.name : "<lambda>";
}

export interface TracedFunction extends TracedJaxpr {
  readonly inTree: PyTreeDef;
  readonly outTree: PyTreeDef;
}

/**
 * Trace `fn` at the given flat input avals. `call` receives the unflattened
 * tracer arguments and calls the user's function (letting callers splice in
 * static arguments).
 */
export function traceFlat(
  call: (args: unknown[]) => unknown,
  inTree: PyTreeDef,
  avals: readonly ShapedArray[],
  context: { transform: string; fnName: string; argNames: readonly string[] },
): TracedFunction {
  const builder = new JaxprBuilder(context);
  return withDynamicTrace(JaxprTrace, builder, (main) => {
    const trace = new JaxprTrace(main);
    const inTracers = avals.map((a) => trace.newArg(a));
    const args = treeUnflatten(inTree, inTracers) as unknown[];
    const out = call(args);
    const [flatOut, outTree] = treeFlatten(out);
    const outs = flatOut.map((o, i) => {
      if (!isArray(o) && typeof o !== "number" && typeof o !== "boolean")
        throw new TypeError(`${context.transform}: the function ${context.fnName} returned ${describe(o)} at output leaf ${i}; outputs must be Arrays (or JS numbers), in arrays/objects.`);
      return trace.fullRaise(leafArray(o));
    });
    const traced = finishJaxpr(builder, outs, (x) => x.concreteScalar("number"));
    return { ...traced, inTree, outTree };
  });
}

export function flattenArgs(args: readonly unknown[]): [unknown[], PyTreeDef] {
  return treeFlatten([...args]);
}

export { Tracer };
