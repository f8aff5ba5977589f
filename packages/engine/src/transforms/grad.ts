/**
 * The user-facing autodiff API, JAX's names in camelCase: jvp, linearize, vjp,
 * grad, valueAndGrad, jacfwd, jacrev, hessian. Reverse mode is linearize then
 * transpose, so every combination nests (grad of grad, jacfwd of jacrev, ...).
 */
import { ShapedArray, shapeStr } from "../core/aval.js";
import { isFloat } from "../core/dtype.js";
import { type Array } from "../core/tracer.js";
import { type PyTreeDef, treeFlatten, treeUnflatten } from "../core/tree.js";
import * as lax from "../lax/lax.js";
import { isArray } from "../lax/lax.js";
import { type MaybeZero, Zero, instantiate } from "./ad_util.js";
import { jvpFlat } from "./jvp.js";
import { linearizeFlat } from "./partial_eval.js";
import { backwardPass } from "./transpose.js";
import { evalJaxpr } from "./eval_jaxpr.js";
import { functionName, leafArray } from "./trace_fn.js";
import { vmap } from "./vmap.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...args: any[]) => any;

function flattenArrays(tree: unknown, what: string): [Array[], PyTreeDef] {
  const [leaves, def] = treeFlatten(tree);
  return [
    leaves.map((l, i) => {
      if (isArray(l) || typeof l === "number" || typeof l === "boolean") return leafArray(l);
      throw new TypeError(`${what}: leaf ${i} is ${l === undefined ? "undefined" : typeof l}, not an Array or number.`);
    }),
    def,
  ];
}

/** Run `f` on flat arrays given a tree structure for its inputs; returns flat outputs and their tree. */
function flatFun(f: AnyFn, inTree: PyTreeDef, what: string): { fn: (...xs: Array[]) => Array[]; outTree: () => PyTreeDef } {
  let outTree: PyTreeDef | null = null;
  return {
    fn: (...xs) => {
      const args = treeUnflatten(inTree, xs) as unknown[];
      const out = f(...args);
      const [flat, def] = flattenArrays(out, what);
      outTree = def;
      return flat;
    },
    outTree: () => outTree!,
  };
}

/** jvp(f, primals, tangents) -> [primalsOut, tangentsOut] (pytrees as in JAX). */
export function jvp(f: AnyFn, primals: readonly unknown[], tangents: readonly unknown[]): [unknown, unknown] {
  if (!globalThis.Array.isArray(primals) || !globalThis.Array.isArray(tangents))
    throw new TypeError("jvp: primal and tangent arguments must be JS arrays (tuples) of arguments.");
  if (primals.length !== tangents.length) throw new TypeError(`jvp: ${primals.length} primal arguments but ${tangents.length} tangent arguments.`);
  const [ps, inTree] = flattenArrays([...primals], "jvp primals");
  const [ts, tTree] = flattenArrays([...tangents], "jvp tangents");
  if (!inTree.equals(tTree)) throw new TypeError(`jvp: primal and tangent arguments must have the same tree structure; got ${inTree} and ${tTree}.`);
  ps.forEach((p, i) => {
    if (p.dtype !== ts[i].dtype || p.shape.join() !== ts[i].shape.join())
      throw new TypeError(`jvp: primal and tangent arguments must have equal shapes and dtypes; got primal ${p.aval.strShort()} and tangent ${ts[i].aval.strShort()} at leaf ${i}.`);
  });
  const { fn, outTree } = flatFun(f, inTree, "jvp");
  const [outs, touts] = jvpFlat(fn, ps, ts);
  return [treeUnflatten(outTree(), outs), treeUnflatten(outTree(), touts.map(instantiate))];
}

/** linearize(f, ...primals) -> [primalOut, fLin] where fLin maps input tangents to output tangents. */
export function linearize(f: AnyFn, ...primals: unknown[]): [unknown, (...tangents: unknown[]) => unknown] {
  const [ps, inTree] = flattenArrays(primals, "linearize");
  const { fn, outTree } = flatFun(f, inTree, "linearize");
  const lin = linearizeFlat(fn, ps);
  const fLin = (...tangents: unknown[]) => {
    const [ts] = flattenArrays(tangents, "linearize tangents");
    return treeUnflatten(outTree(), evalJaxpr(lin.jaxpr, lin.consts, ts));
  };
  return [treeUnflatten(outTree(), lin.primalsOut), fLin];
}

export interface VjpOptions {
  hasAux?: boolean;
}

/** vjp(f, ...primals) -> [primalOut, vjpFn] (+ aux with hasAux); vjpFn(ct) returns one cotangent per primal. */
export function vjp(f: AnyFn, ...primals: unknown[]): [unknown, (ct: unknown) => unknown[]] {
  return vjpWith(f, {}, primals) as [unknown, (ct: unknown) => unknown[]];
}

export function vjpWith(f: AnyFn, opts: VjpOptions, primals: readonly unknown[]): [unknown, (ct: unknown) => unknown[], unknown?] {
  const [ps, inTree] = flattenArrays([...primals], "vjp");
  // With hasAux the function returns [output, aux]; aux leaves ride along as extra outputs
  // (so they come back as plain values) and get zero cotangents.
  let outTree: PyTreeDef | null = null;
  let auxTree: PyTreeDef | null = null;
  let nOut = 0;
  const fn = (...xs: Array[]): Array[] => {
    const r = f(...(treeUnflatten(inTree, xs) as unknown[]));
    let out = r;
    let aux: unknown = null;
    if (opts.hasAux) {
      if (!globalThis.Array.isArray(r) || r.length !== 2) throw new TypeError("hasAux=true requires the function to return a pair [output, aux].");
      [out, aux] = r;
    }
    const [o, od] = flattenArrays(out, "vjp");
    const [a, ad] = flattenArrays(aux, "vjp aux");
    outTree = od;
    auxTree = ad;
    nOut = o.length;
    return [...o, ...a];
  };
  const lin = linearizeFlat(fn, ps);
  const outs = lin.primalsOut.slice(0, nOut);
  const vjpFn = (ct: unknown): unknown[] => {
    const [cts, ctTree] = flattenArrays(ct, "vjp cotangent");
    if (!ctTree.equals(outTree!)) throw new TypeError(`vjp: the cotangent's structure ${ctTree} does not match the output's ${outTree}.`);
    cts.forEach((c, i) => {
      const o = outs[i];
      if (c.shape.join() !== o.shape.join())
        throw new TypeError(`vjp: cotangent of shape ${shapeStr(c.shape)} does not match the primal output of shape ${shapeStr(o.shape)} (leaf ${i}).`);
    });
    const auxCts = lin.primalsOut.slice(nOut).map((a) => new Zero(a.aval));
    const ctIn = backwardPass(lin.jaxpr, lin.consts, [...cts, ...auxCts]);
    return treeUnflatten(inTree, ctIn.map(instantiate)) as unknown[];
  };
  const primalOut = treeUnflatten(outTree!, outs);
  return opts.hasAux ? [primalOut, vjpFn, treeUnflatten(auxTree!, lin.primalsOut.slice(nOut))] : [primalOut, vjpFn];
}

export interface GradOptions {
  argnums?: number | readonly number[];
  hasAux?: boolean;
}

function checkArgnums(argnums: number | readonly number[], n: number, what: string): number[] {
  const list = typeof argnums === "number" ? [argnums] : [...argnums];
  return list.map((a) => {
    const i = a < 0 ? a + n : a;
    if (!Number.isInteger(a) || i < 0 || i >= n)
      throw new TypeError(`${what}: argnums ${a} is out of range for a function called with ${n} positional argument${n === 1 ? "" : "s"}.`);
    return i;
  });
}

function checkInexactInputs(what: string, args: readonly unknown[]): void {
  const [leaves] = treeFlatten([...args]);
  for (const l of leaves) {
    const dt = isArray(l) ? l.dtype : typeof l === "number" ? "float32" : typeof l === "boolean" ? "bool" : null;
    if (dt && !isFloat(dt))
      throw new TypeError(
        `${what} requires real-valued inputs (input dtype that is a sub-dtype of np.floating), but got ${dt}. If you want to use Boolean- or integer-valued inputs, use vjp.`,
      );
  }
}

/** valueAndGrad(f, { argnums, hasAux })(...args) -> [value, grads] (or [[value, aux], grads]). */
export function valueAndGrad(f: AnyFn, opts: GradOptions = {}): AnyFn {
  const name = functionName(f);
  const argnumsOpt = opts.argnums ?? 0;
  return (...args: unknown[]) => {
    const argnums = checkArgnums(argnumsOpt, args.length, "grad");
    const diffArgs = argnums.map((i) => args[i]);
    checkInexactInputs("grad", diffArgs);
    const g = (...dargs: unknown[]) => {
      const full = [...args];
      argnums.forEach((i, k) => (full[i] = dargs[k]));
      return f(...full);
    };
    const [out, vjpFn, aux] = vjpWith(g, { hasAux: opts.hasAux }, diffArgs);
    if (!isArray(out) && typeof out !== "number")
      throw new TypeError(`Gradient only defined for scalar-output functions; ${name} returned a ${globalThis.Array.isArray(out) ? "JS array" : typeof out}.`);
    const o = leafArray(out);
    if (o.ndim !== 0 && o.size !== 1) throw new TypeError(`Gradient only defined for scalar-output functions. Output had shape: ${shapeStr(o.shape)}.`);
    if (o.ndim !== 0) throw new TypeError(`Gradient only defined for scalar-output functions. Output had shape: ${shapeStr(o.shape)}.`);
    if (!isFloat(o.dtype))
      throw new TypeError(
        `grad requires real-valued outputs (output dtype that is a sub-dtype of np.floating), but got ${o.dtype}. For differentiation of non-real outputs use vjp directly.`,
      );
    const cts = vjpFn(lax.convertElementType(1, o.dtype, o.weakType));
    const grads = typeof opts.argnums === "number" || opts.argnums === undefined ? cts[0] : cts;
    return [opts.hasAux ? [out, aux] : out, grads];
  };
}

/** grad(f, { argnums, hasAux })(...args): the gradient of a scalar function (pytree like the argument). */
export function grad(f: AnyFn, opts: GradOptions = {}): AnyFn {
  const vg = valueAndGrad(f, opts);
  const g = (...args: unknown[]) => {
    const [v, gr] = vg(...args) as [unknown, unknown];
    return opts.hasAux ? [gr, (v as unknown[])[1]] : gr;
  };
  Object.defineProperty(g, "name", { value: `grad(${functionName(f)})` });
  return g;
}

/**
 * The standard basis of a pytree of arrays with N elements in total: one array per leaf of
 * shape [N, ...leaf.shape], row k being the k-th unit vector of the flattened tree.
 */
function stdBasis(leaves: readonly Array[]): Array[] {
  const n = leaves.reduce((a, l) => a + l.size, 0);
  let offset = 0;
  return leaves.map((l) => {
    const rows = lax.broadcastedIota("int32", [n, l.size], 0);
    const cols = lax.add(lax.broadcastedIota("int32", [n, l.size], 1), offset);
    offset += l.size;
    return lax.reshape(lax.convertElementType(lax.eq(rows, cols), l.dtype), [n, ...l.shape]);
  });
}

/** Split the trailing N axis of `y` into per-leaf blocks reshaped to y's leading shape + leaf shape. */
function splitTrailing(y: Array, leaves: readonly Array[]): Array[] {
  const lead = y.shape.slice(0, -1);
  let offset = 0;
  return leaves.map((l) => {
    const block = lax.sliceInDim(y, offset, offset + l.size, 1, y.ndim - 1);
    offset += l.size;
    return lax.reshape(block, [...lead, ...l.shape]);
  });
}

/** Split the leading N axis of `y` into per-leaf blocks reshaped to leaf shape + y's trailing shape. */
function splitLeading(y: Array, leaves: readonly Array[]): Array[] {
  const trail = y.shape.slice(1);
  let offset = 0;
  return leaves.map((l) => {
    const block = lax.sliceInDim(y, offset, offset + l.size, 1, 0);
    offset += l.size;
    return lax.reshape(block, [...l.shape, ...trail]);
  });
}

function diffArgs(f: AnyFn, args: readonly unknown[], argnums: number | readonly number[] | undefined, what: string): { g: AnyFn; x: unknown } {
  const nums = checkArgnums(argnums ?? 0, args.length, what);
  const single = typeof argnums === "number" || argnums === undefined;
  const g = (x: unknown) => {
    const full = [...args];
    if (single) full[nums[0]] = x;
    else nums.forEach((i, k) => (full[i] = (x as unknown[])[k]));
    return f(...full);
  };
  return { g, x: single ? args[nums[0]] : nums.map((i) => args[i]) };
}

/**
 * jacfwd(f, { argnums }): the Jacobian by forward mode, pushing the standard basis of the
 * inputs through jvp under vmap. Output structure: the output pytree with each leaf replaced by
 * the input pytree of Jacobian blocks of shape out.shape + in.shape (JAX's layout).
 */
export function jacfwd(f: AnyFn, opts: { argnums?: number | readonly number[] } = {}): AnyFn {
  return (...args: unknown[]) => {
    const { g, x } = diffArgs(f, args, opts.argnums, "jacfwd");
    const [xs, inTree] = flattenArrays(x, "jacfwd");
    checkInexactInputs("jacfwd", xs);
    const basis = stdBasis(xs);
    const push = (...ts: Array[]) => jvp(g, [treeUnflatten(inTree, xs)], [treeUnflatten(inTree, ts)])[1];
    const y = vmap(push, { inAxes: 0, outAxes: -1 })(...basis);
    const [ys, outTree] = flattenArrays(y, "jacfwd");
    return treeUnflatten(outTree, ys.map((yl) => treeUnflatten(inTree, splitTrailing(yl, xs))));
  };
}

/**
 * jacrev(f, { argnums }): the Jacobian by reverse mode, pulling the standard basis of the
 * outputs back through vjp under vmap. Same output structure as jacfwd.
 */
export function jacrev(f: AnyFn, opts: { argnums?: number | readonly number[] } = {}): AnyFn {
  return (...args: unknown[]) => {
    const { g, x } = diffArgs(f, args, opts.argnums, "jacrev");
    const [xs, inTree] = flattenArrays(x, "jacrev");
    checkInexactInputs("jacrev", xs);
    const [out, pullback] = vjpWith(g, {}, [treeUnflatten(inTree, xs)]);
    const [outs, outTree] = flattenArrays(out, "jacrev");
    const basis = stdBasis(outs);
    const pull = (...cts: Array[]) => pullback(treeUnflatten(outTree, cts))[0];
    const rows = vmap(pull, { inAxes: 0, outAxes: 0 })(...basis);
    const [rowLeaves] = flattenArrays(rows, "jacrev");
    // rowLeaves[j] has shape [M, ...x_j.shape]; block o of its rows belongs to output leaf o.
    const perIn = rowLeaves.map((r) => splitLeading(r, outs));
    return treeUnflatten(outTree, outs.map((_, o) => treeUnflatten(inTree, perIn.map((blocks) => blocks[o]))));
  };
}

export function hessian(f: AnyFn, opts: { argnums?: number } = {}): AnyFn {
  return jacfwd(jacrev(f, opts), opts);
}

export type { MaybeZero };
