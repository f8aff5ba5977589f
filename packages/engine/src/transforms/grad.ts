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

/** Stack per-basis results along a new trailing axes block: result[..out, ..in]. */
function stackJacobian(cols: Array[], outShape: readonly number[], inShape: readonly number[], inAxisLast: boolean): Array {
  // cols[k] has shape outShape (jacfwd: one column per input element) or inShape (jacrev: one row per output element).
  const parts = cols.map((c) => lax.broadcastInDim(c, [...c.shape, 1], c.shape.map((_, i) => i)));
  const n = inAxisLast ? inShape.reduce((a, b) => a * b, 1) : outShape.reduce((a, b) => a * b, 1);
  if (n === 0) return lax.broadcastInDim(lax.convertElementType(0, "float32"), [...outShape, ...inShape], []);
  const stacked = lax.concatenate(parts, cols[0].ndim);
  if (inAxisLast) return lax.reshape(stacked, [...outShape, ...inShape]);
  // jacrev: stacked is [...inShape, nOut] -> move to [...outShape, ...inShape]
  const nd = inShape.length;
  const t = lax.transpose(stacked, [nd, ...inShape.map((_, i) => i)]);
  return lax.reshape(t, [...outShape, ...inShape]);
}

function basis(aval: ShapedArray, k: number): Array {
  const n = aval.size;
  const eye = lax.convertElementType(lax.eq(lax.iota("int32", n), k), aval.dtype);
  return lax.reshape(eye, aval.shape);
}

/** jacfwd(f, { argnums }): Jacobian by forward mode, shape out.shape + in.shape. */
export function jacfwd(f: AnyFn, opts: { argnums?: number | readonly number[] } = {}): AnyFn {
  return (...args: unknown[]) => {
    const argnums = checkArgnums(opts.argnums ?? 0, args.length, "jacfwd");
    const results = argnums.map((ai) => {
      const x = leafArray(args[ai] as Array);
      const g = (xi: Array) => {
        const full = [...args];
        full[ai] = xi;
        return f(...full);
      };
      const [outs0] = flattenArrays(g(x), "jacfwd");
      const outTreeFull = treeFlatten(g(x))[1];
      const cols: Array[][] = outs0.map(() => []);
      for (let k = 0; k < x.size; k++) {
        const [, t] = jvp(g, [x], [basis(x.aval, k)]);
        const [ts] = flattenArrays(t, "jacfwd");
        ts.forEach((tt, j) => cols[j].push(tt));
      }
      return treeUnflatten(outTreeFull, outs0.map((o, j) => stackJacobian(cols[j], o.shape, x.shape, true)));
    });
    return typeof opts.argnums === "number" || opts.argnums === undefined ? results[0] : results;
  };
}

/** jacrev(f, { argnums }): Jacobian by reverse mode, shape out.shape + in.shape. */
export function jacrev(f: AnyFn, opts: { argnums?: number | readonly number[] } = {}): AnyFn {
  return (...args: unknown[]) => {
    const argnums = checkArgnums(opts.argnums ?? 0, args.length, "jacrev");
    const diff = argnums.map((i) => args[i]);
    const g = (...d: unknown[]) => {
      const full = [...args];
      argnums.forEach((i, k) => (full[i] = d[k]));
      return f(...full);
    };
    const [out, vjpFn] = vjpWith(g, {}, diff);
    const [outs, outTree] = flattenArrays(out, "jacrev");
    const perOut = outs.map((o, j) => {
      const rows: Array[][] = diff.map(() => []);
      for (let k = 0; k < o.size; k++) {
        const cts = outs.map((oo, jj) => (jj === j ? basis(o.aval, k) : instantiate(new Zero(oo.aval))));
        const ctIn = vjpFn(treeUnflatten(outTree, cts));
        ctIn.forEach((c, a) => rows[a].push(leafArray(c as Array)));
      }
      return diff.map((d, a) => stackJacobian(rows[a], o.shape, leafArray(d as Array).shape, false));
    });
    const pick = (a: number) => treeUnflatten(outTree, perOut.map((r) => r[a]));
    return typeof opts.argnums === "number" || opts.argnums === undefined ? pick(0) : argnums.map((_, a) => pick(a));
  };
}

export function hessian(f: AnyFn, opts: { argnums?: number } = {}): AnyFn {
  return jacfwd(jacrev(f, opts), opts);
}

export type { MaybeZero };
