/**
 * Structured control flow, JAX's jax.lax API in camelCase: `cond`, `switch`,
 * `whileLoop`, `foriLoop` (alias `forLoop`), `scan` and `map`. Branches and
 * bodies are traced once to jaxprs; values they close over (tracers of
 * enclosing transformations and constant arrays) become explicit leading
 * operands, shared between branches; the primitives `cond`, `while` and
 * `scan` are then bound with JAX's params, so jaxprs print as JAX prints them.
 */
import { ShapedArray, shapeStr } from "../core/aval.js";
import { promoteTypes } from "../core/dtype.js";
import { ValueError } from "../core/errors.js";
import { ClosedJaxpr, Jaxpr, Var } from "../core/jaxpr.js";
import { typematch } from "../core/rules/control_flow_rules.js";
import { type Array, bind } from "../core/tracer.js";
import { type PyTreeDef, treeFlatten, treeUnflatten } from "../core/tree.js";
import { argLeafNames, functionName, traceFlat } from "../transforms/trace_fn.js";
import { pruneOutputs } from "../transforms/control_flow/jaxpr_util.js";
import { type ArrayLike, asArray, clamp, convertElementType, describe, isArray, lt, ne, add } from "./lax.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn = (...args: any[]) => any;

// ---- tracing helpers -------------------------------------------------------------

/** A traced branch/body: consts (captured tracers and constant arrays) are its leading invars. */
interface Traced {
  readonly jaxpr: ClosedJaxpr;
  readonly consts: readonly Array[];
  readonly outTree: PyTreeDef;
}

function leafToArray(x: unknown): Array {
  if (isArray(x)) return x;
  if (typeof x === "number") return asArray(x, "float32");
  if (typeof x === "boolean") return asArray(x);
  throw new TypeError(`Value ${describe(x)} is not a valid JAX type: control-flow operands must be Arrays, numbers or booleans (in arrays/objects).`);
}

/** Trace `fn` (called through `call`) at `avals`; closed-over values become leading invars (JAX's convert_constvars_jaxpr). */
function traceFn(fn: Fn, call: (args: unknown[]) => unknown, inTree: PyTreeDef, avals: readonly ShapedArray[], transform: string, nameArgs: readonly unknown[]): Traced {
  const traced = traceFlat(call, inTree, avals, { transform, fnName: functionName(fn), argNames: argLeafNames(fn, nameArgs) });
  const j = traced.closed.jaxpr;
  const jaxpr = new Jaxpr([], [...j.constvars, ...j.invars], j.eqns, j.outvars);
  return { jaxpr: new ClosedJaxpr(jaxpr, []), consts: [...traced.closed.consts, ...traced.hoisted], outTree: traced.outTree };
}

/** Give every traced function the union of all their consts (first appearance order, each once). */
function joinConsts(traced: readonly Traced[]): { jaxprs: ClosedJaxpr[]; consts: Array[] } {
  const consts: Array[] = [];
  for (const t of traced) for (const c of t.consts) if (!consts.includes(c)) consts.push(c);
  const jaxprs = traced.map((t) => {
    const j = t.jaxpr.jaxpr;
    const constVars = consts.map((c) => {
      const k = t.consts.indexOf(c);
      return k >= 0 ? j.invars[k] : new Var(c.aval);
    });
    return new ClosedJaxpr(new Jaxpr([], [...constVars, ...j.invars.slice(t.consts.length)], j.eqns, j.outvars), []);
  });
  return { jaxprs, consts };
}

/** Python's repr of a pytree of strings (lists as lists, dicts, None). */
function pyRepr(x: unknown): string {
  if (x === null || x === undefined) return "None";
  if (typeof x === "string") return `'${x}'`;
  if (globalThis.Array.isArray(x)) return `[${x.map(pyRepr).join(", ")}]`;
  if (typeof x === "object") return `{${Object.keys(x).sort().map((k) => `'${k}': ${pyRepr((x as Record<string, unknown>)[k])}`).join(", ")}}`;
  return String(x);
}

/** JAX's _check_tree_and_avals. */
function checkTreeAndAvals(what: string, tree1: PyTreeDef, avals1: readonly ShapedArray[], tree2: PyTreeDef, avals2: readonly ShapedArray[]): void {
  if (!tree1.equals(tree2)) throw new TypeError(`${what} must have same type structure, got ${tree1} and ${tree2}.`);
  if (avals1.every((a, i) => typematch(a, avals2[i]))) return;
  const leaves = avals1.map((a, i) => (typematch(a, avals2[i]) ? `${a}` : `DIFFERENT ${a} vs. ${avals2[i]}`));
  const diff = tree1.kind === "leaf" ? leaves[0] : pyRepr(treeUnflatten(tree1, leaves));
  throw new TypeError(`${what} must have identical types, got\n${diff}.`);
}

/** JAX's _promote_weak_typed_inputs: weak initial carries whose type the body changes are converted. */
function promoteWeakInputs(vals: readonly Array[], outAvals: readonly ShapedArray[]): [Array[], boolean] {
  let changed = false;
  const out = vals.map((v, i) => {
    const o = outAvals[i];
    if (!o || !v.weakType || typematch(v.aval, o)) return v;
    changed = true;
    return convertElementType(v, promoteTypes({ dtype: v.dtype, weakType: true }, { dtype: o.dtype, weakType: o.weakType }).dtype);
  });
  return [out, changed];
}

/** For each output: the index of the invar it returns unchanged, or null. */
function forwarding(jaxpr: Jaxpr): (number | null)[] {
  return jaxpr.outvars.map((o) => {
    const k = o instanceof Var ? jaxpr.invars.indexOf(o) : -1;
    return k >= 0 ? k : null;
  });
}

// ---- cond / switch ---------------------------------------------------------------------

/**
 * `lax.cond(pred, trueFun, falseFun, ...operands)`: `trueFun(...operands)` if
 * `pred` else `falseFun(...operands)`, as one `cond` primitive whose branches
 * are ordered (false, true). A non-boolean `pred` is compared with 0.
 */
export function cond(pred: ArrayLike, trueFun: Fn, falseFun: Fn, ...operands: unknown[]): any {
  // The former calling convention cond(pred, trueOperand, trueFun, falseOperand, falseFun), as JAX still accepts.
  if (operands.length === 2 && typeof trueFun !== "function" && typeof falseFun === "function" && typeof operands[1] === "function") {
    const [tf, ff] = [falseFun, operands[1] as Fn];
    return cond(pred, (op: unknown[]) => tf(op[0]), (op: unknown[]) => ff(op[1]), [trueFun, operands[0]]);
  }
  if (typeof trueFun !== "function" || typeof falseFun !== "function")
    throw new TypeError("lax.cond: true_fun and false_fun arguments should be callable.");
  if (pred === null || pred === undefined) throw new TypeError("cond predicate is None");
  if (globalThis.Array.isArray(pred)) throw new TypeError(`Pred must be a scalar, got ${pyRepr(pred)} of type <class 'list'>`);
  let p = leafToArray(pred);
  if (p.ndim !== 0) throw new TypeError(`Pred must be a scalar, got ${p} of shape ${shapeStr(p.shape)}.`);
  if (p.dtype !== "bool") p = ne(p, 0);

  const [ops, opsTree] = treeFlatten(operands);
  const opArrays = ops.map(leafToArray);
  const avals = opArrays.map((a) => a.aval);
  const branch = (f: Fn) => traceFn(f, (args) => f(...args), opsTree, avals, "cond", operands);
  const tTrue = branch(trueFun);
  const tFalse = branch(falseFun);
  checkTreeAndAvals("true_fun and false_fun output", tTrue.outTree, tTrue.jaxpr.outAvals, tFalse.outTree, tFalse.jaxpr.outAvals);
  const joined = joinConsts([tTrue, tFalse]);
  const consts = joined.consts;
  let [trueJaxpr, falseJaxpr] = joined.jaxprs;

  // Outputs both branches forward from the same operand are not outputs of the cond (current JAX).
  const nConsts = consts.length;
  const fT = forwarding(trueJaxpr.jaxpr);
  const fF = forwarding(falseJaxpr.jaxpr);
  const inFwd = fT.map((i, k) => (i !== null && i === fF[k] && i >= nConsts ? i : null));
  if (inFwd.some((f) => f !== null)) {
    const keep = inFwd.map((f) => f === null);
    trueJaxpr = pruneOutputs(trueJaxpr, keep);
    falseJaxpr = pruneOutputs(falseJaxpr, keep);
  }
  const index = convertElementType(p, "int32");
  const outs = bind("cond", [index, ...consts, ...opArrays], { branches: [falseJaxpr, trueJaxpr] });
  let k = 0;
  return treeUnflatten(
    tTrue.outTree,
    inFwd.map((f) => (f === null ? outs[k++] : opArrays[f - nConsts])),
  );
}

/**
 * `lax.switch(index, branches, ...operands)`: `branches[clamp(0, index, n - 1)](...operands)`.
 * (Exported as `switch`; `switch_` for direct imports.)
 */
export function switch_(index: ArrayLike, branches: readonly Fn[], ...operands: unknown[]): any {
  if (!globalThis.Array.isArray(branches) || !branches.every((b) => typeof b === "function"))
    throw new TypeError("lax.switch: branches argument should be a sequence of callables.");
  const idx = isArray(index) ? index : asArray(index);
  if (idx.ndim !== 0) throw new TypeError(`Branch index must be scalar, got ${idx} of shape ${shapeStr(idx.shape)}.`);
  if (idx.dtype !== "int32" && idx.dtype !== "uint32") throw new TypeError(`Index type must be an integer, got ${idx} as ${idx.dtype}`);
  if (branches.length === 0) throw new ValueError("Empty branch sequence");
  if (branches.length === 1) return branches[0](...operands);
  const i = clamp(convertElementType(0, "int32"), convertElementType(idx, "int32"), convertElementType(branches.length - 1, "int32"));

  const [ops, opsTree] = treeFlatten(operands);
  const opArrays = ops.map(leafToArray);
  const avals = opArrays.map((a) => a.aval);
  const traced = branches.map((f) => traceFn(f, (args) => f(...args), opsTree, avals, "switch", operands));
  traced.slice(1).forEach((t, k) =>
    checkTreeAndAvals(`branch 0 and ${k + 1} outputs`, traced[0].outTree, traced[0].jaxpr.outAvals, t.outTree, t.jaxpr.outAvals),
  );
  const { jaxprs, consts } = joinConsts(traced);
  const outs = bind("cond", [i, ...consts, ...opArrays], { branches: jaxprs });
  return treeUnflatten(traced[0].outTree, outs);
}
export { switch_ as switch };

// ---- while / fori ------------------------------------------------------------------------

/** `lax.whileLoop(condFun, bodyFun, initVal)`: `while (condFun(val)) val = bodyFun(val)` as one `while` primitive. */
export function whileLoop(condFun: Fn, bodyFun: Fn, initVal: unknown): any {
  if (typeof bodyFun !== "function" || typeof condFun !== "function")
    throw new TypeError("lax.while_loop: body_fun and cond_fun arguments should be callable.");
  const create = (init: unknown) => {
    const [leaves, inTree] = treeFlatten([init]);
    const vals = leaves.map(leafToArray);
    const avals = vals.map((v) => v.aval);
    const c = traceFn(condFun, (args) => condFun(args[0]), inTree, avals, "while_loop", [init]);
    const b = traceFn(bodyFun, (args) => bodyFun(args[0]), inTree, avals, "while_loop", [init]);
    if (c.outTree.kind !== "leaf" || c.jaxpr.outAvals.length !== 1) throw new TypeError(`cond_fun must return a boolean scalar, but got pytree ${c.outTree}.`);
    const pa = c.jaxpr.outAvals[0];
    if (pa.dtype !== "bool" || pa.ndim !== 0) throw new TypeError(`cond_fun must return a boolean scalar, but got output type(s) [${c.jaxpr.outAvals.join(", ")}].`);
    return { vals, avals, c, b, initTree: treeFlatten(init)[1] };
  };
  let r = create(initVal);
  const [promoted, changed] = promoteWeakInputs(r.vals, r.b.jaxpr.outAvals);
  if (changed) r = create(treeUnflatten(r.initTree, promoted));
  checkTreeAndAvals("body_fun output and input", r.b.outTree, r.b.jaxpr.outAvals, r.initTree, r.avals);
  const outs = bind("while", [...r.c.consts, ...r.b.consts, ...r.vals], {
    body_jaxpr: r.b.jaxpr,
    body_nconsts: r.b.consts.length,
    cond_jaxpr: r.c.jaxpr,
    cond_nconsts: r.c.consts.length,
  });
  return treeUnflatten(r.b.outTree, outs);
}

export interface ForiLoopOptions {
  /** Only with static bounds (then the loop is a scan): iterations per rolled step, or true for all. */
  unroll?: number | boolean;
}

function concreteInt(x: Array): number | null {
  try {
    return x.concreteScalar("index");
  } catch {
    return null;
  }
}

/**
 * `lax.foriLoop(lower, upper, bodyFun, initVal)`: `for (i = lower; i < upper; i++) val = bodyFun(i, val)`.
 * With bounds known at trace time it is a `scan` (reverse-mode differentiable), otherwise a `while`.
 */
export function foriLoop(lower: ArrayLike, upper: ArrayLike, bodyFun: Fn, initVal: unknown, opts: ForiLoopOptions = {}): any {
  if (typeof bodyFun !== "function") throw new TypeError("lax.fori_loop: body_fun argument should be callable.");
  const lo = isArray(lower) ? lower : asArray(lower);
  const hi = isArray(upper) ? upper : asArray(upper);
  let dtype = lo.dtype;
  if (lo.dtype !== hi.dtype) {
    // Weak integers (JS numbers) adopt the other bound's integer type.
    const ints = lo.dtype === "int32" && hi.dtype === "int32";
    if (ints && lo.weakType && !hi.weakType) dtype = hi.dtype;
    else if (ints && !lo.weakType && hi.weakType) dtype = lo.dtype;
    else throw new TypeError(`lower and upper arguments to fori_loop must have equal types, got ${lo.dtype} and ${hi.dtype}`);
  }
  const loN = concreteInt(lo);
  const hiN = concreteInt(hi);
  if (loN !== null && hiN !== null) {
    const length = Math.max(hiN - loN, 0);
    const i0 = convertElementType(loN, "int32", true);
    const [[, result]] = scan(
      (carry: [Array, unknown]) => {
        const [i, x] = carry;
        return [[add(i, 1), bodyFun(i, x)], null];
      },
      [i0, initVal],
      null,
      { length, unroll: opts.unroll ?? false },
    ) as [[Array, unknown], null];
    return result;
  }
  if (opts.unroll !== undefined) throw new ValueError("Can only use `unroll` in `fori_loop` if the loop bounds are statically known.");
  const l = lo.dtype === dtype ? lo : convertElementType(lo, dtype);
  const u = hi.dtype === dtype ? hi : convertElementType(hi, dtype);
  const [, , result] = whileLoop(
    ([i, up]: [Array, Array]) => lt(i, up),
    ([i, up, x]: [Array, Array, unknown]) => [add(i, 1), up, bodyFun(i, x)],
    [l, u, initVal],
  ) as [Array, Array, unknown];
  return result;
}
export { foriLoop as forLoop, foriLoop as fori_loop };

// ---- scan / map ----------------------------------------------------------------------------

export interface ScanOptions {
  /** Number of iterations; required when `xs` has no leaves. */
  length?: number;
  /** Scan from the end (ys stay in input order). */
  reverse?: boolean;
  /** Iterations per rolled step (a positive int), or true to unroll fully. */
  unroll?: number | boolean;
}

/**
 * `lax.scan(f, init, xs, { length, reverse, unroll })`: `f(carry, x) -> [carry, y]`
 * over the leading axis of `xs` (a pytree, or null with `length`); returns
 * `[finalCarry, stackedYs]`.
 */
export function scan(f: Fn, init: unknown, xs: unknown = null, opts: ScanOptions = {}): [any, any] {
  if (typeof f !== "function") throw new TypeError("lax.scan: f argument should be a callable.");
  const [xsLeaves, xsTree] = treeFlatten(xs);
  const bad = xsLeaves.filter((x) => !isArray(x) || x.ndim === 0);
  if (bad.length) throw new ValueError(`scan got value with no leading axis to scan over: ${bad.map(String).join(", ")}.`);
  const xsArr = xsLeaves as Array[];
  const lengths = xsArr.map((x) => x.shape[0]);
  let length: number;
  if (opts.length !== undefined) {
    if (!Number.isInteger(opts.length) || opts.length < 0) throw new TypeError(`The \`length\` argument to \`scan\` expects a concrete \`int\` value, got ${opts.length}.`);
    length = opts.length;
    if (!lengths.every((l) => l === length)) throw new ValueError(`scan got \`length\` argument of ${length} which disagrees with leading axis sizes [${lengths.join(", ")}].`);
  } else {
    const unique = [...new Set(lengths)];
    if (unique.length > 1) throw new ValueError(`scan got values with different leading axis sizes: ${lengths.join(", ")}.`);
    if (unique.length === 0) throw new ValueError("scan got no values to scan over and `length` not provided.");
    length = unique[0];
  }
  const xAvals = xsArr.map((x) => new ShapedArray(x.shape.slice(1), x.dtype, x.weakType));
  const create = (initV: unknown) => {
    const [initLeaves, initTree] = treeFlatten(initV);
    const initVals = initLeaves.map(leafToArray);
    const carryAvals = initVals.map((v) => v.aval);
    const inTree = treeFlatten([initV, treeUnflatten(xsTree, xAvals)])[1];
    const t = traceFn(f, (args) => f(args[0], args[1]), inTree, [...carryAvals, ...xAvals], "scan", [initV, xs]);
    if (t.outTree.kind !== "list" || t.outTree.children.length !== 2)
      throw new TypeError(`scan body output must be a pair, got ${pyRepr(treeUnflatten(t.outTree, t.jaxpr.outAvals.map(String)))}.`);
    const carryTreeOut = t.outTree.children[0];
    return { initVals, initTree, carryAvals, t, carryTreeOut, carryAvalsOut: t.jaxpr.outAvals.slice(0, carryTreeOut.numLeaves) };
  };
  let r = create(init);
  const [promoted, changed] = promoteWeakInputs(r.initVals, r.carryAvalsOut);
  if (changed) r = create(treeUnflatten(r.initTree, promoted));
  checkTreeAndAvals("scan carry output and input", r.carryTreeOut, r.carryAvalsOut, r.initTree, r.carryAvals);
  let unroll: number;
  if (opts.unroll === undefined || opts.unroll === false) unroll = 1;
  else if (opts.unroll === true) unroll = Math.max(length, 1);
  else unroll = opts.unroll;
  if (!Number.isInteger(unroll) || unroll < 1) throw new ValueError("`unroll` must be a `bool` or a positive `int`.");
  const operands = [...r.t.consts, ...r.initVals, ...xsArr];
  const outs = bind("scan", operands, {
    jaxpr: r.t.jaxpr,
    length,
    linear: operands.map(() => false),
    num_carry: r.initVals.length,
    num_consts: r.t.consts.length,
    reverse: opts.reverse ?? false,
    unroll,
  });
  return treeUnflatten(r.t.outTree, outs) as [unknown, unknown];
}

/** `lax.map(f, xs)`: `f` applied to each slice along the leading axis of `xs`, results stacked (a scan). */
export function map(f: Fn, xs: unknown): any {
  if (typeof f !== "function") throw new TypeError("lax.map: f argument should be a callable.");
  const [, ys] = scan((_carry: null, x: unknown) => [null, f(x)], null, xs);
  return ys;
}
