/**
 * Custom derivatives and stop_gradient (JAX's jax/_src/custom_derivatives.py and
 * the "Custom derivative rules" tutorial): `customJvp(f).defjvp(rule)`,
 * `.defjvps(...)`, `customVjp(f).defvjp(fwd, bwd)` and `stopGradient(tree)`.
 *
 * A custom function is applied to its flat operands by `applyJvpCall` /
 * `applyVjpCall`, which follow JAX's per-trace handling:
 *  - operands not traced by anything: the function runs as written (JAX's impl),
 *    so JS control flow on concrete values works, also inside rules under grad;
 *  - innermost trace of the operands a JVP trace: the primitive is bound and the
 *    JVP rule runs the user's rule on the primal values, without tracing the
 *    function (its `call_jaxpr` param is traced only if something reads it);
 *  - any other trace (jit/makeJaxpr staging, vmap, partial evaluation): the
 *    function is traced to `call_jaxpr` now, the arrays and outer-trace values
 *    it closes over becoming leading operands (`num_consts`), and the primitive
 *    is bound.
 * The interpreters' rules for the primitives live in custom_derivative_rules.ts.
 */
import type { ShapedArray } from "../core/aval.js";
import { isFloat } from "../core/dtype.js";
import { UnexpectedTracerError, ValueError } from "../core/errors.js";
import { ClosedJaxpr, Jaxpr } from "../core/jaxpr.js";
import type {
  CustomJvpCallParams, CustomJvpRule, CustomVjpBwd, CustomVjpCallParams, CustomVjpFwd, OutTrees,
} from "../core/rules/custom_rules.js";
import { type Array, EvalTrace, Tracer, bind, bind1, findTopTrace, fullLower } from "../core/tracer.js";
import { PyTreeDef, treeFlatten, treeMap, treeUnflatten } from "../core/tree.js";
import * as lax from "../lax/lax.js";
import { asArray, describe, isArray } from "../lax/lax.js";
import { scalar } from "../array.js";
import { zerosLikeAval } from "./ad_util.js";
import { evalClosedJaxpr } from "./eval_jaxpr.js";
import { JVPTrace } from "./jvp.js";
import { functionName, leafArray, traceFlat } from "./trace_fn.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...args: any[]) => any;
type Flat = (xs: readonly Array[]) => Array[];

// ---- stop_gradient --------------------------------------------------------------

/**
 * `lax.stop_gradient`: the identity, with zero derivative. Maps over a pytree;
 * like JAX it binds `stop_gradient` only on floating leaves (JS numbers become
 * weak float32 arrays) and returns integer and boolean leaves unchanged.
 */
export function stopGradient<T>(x: T): T {
  return treeMap((leaf: unknown) => {
    if (typeof leaf === "number") leaf = asArray(leaf, "float32");
    if (!isArray(leaf) || !isFloat(leaf.dtype)) return leaf;
    return bind1("stop_gradient", [leaf], {});
  }, x) as T;
}

/** JAX's `_stop_gradient` for custom_jvp's nondiff arguments: only tracer leaves are stopped. */
function stopTracers(x: unknown): unknown {
  return treeMap((leaf: unknown) => (leaf instanceof Tracer ? bind1("stop_gradient", [leaf], {}) : leaf), x);
}

// ---- applying a custom function to flat operands -----------------------------------

/** A custom_jvp function on flat operands: `fun` takes every operand (consts first), `rule` the non-const ones. */
export interface JvpCall {
  readonly fun: Flat;
  readonly rule: CustomJvpRule;
  readonly numConsts: number;
}

/** A custom_vjp function on flat operands: `fun` takes every operand (consts first), fwd/bwd the non-const ones. */
export interface VjpCall {
  readonly fun: Flat;
  readonly fwd: CustomVjpFwd;
  readonly bwd: CustomVjpBwd;
  readonly outTrees: OutTrees;
  readonly numConsts: number;
}

/** The calls behind params bound under a JVP trace (their call_jaxpr is traced only on demand). */
const lazyJvpCalls = new WeakMap<object, JvpCall>();
const lazyVjpCalls = new WeakMap<object, VjpCall>();

function traceCall(fun: Flat, avals: readonly ShapedArray[], fnName: string, transform: string) {
  const [, inTree] = treeFlatten(avals.map((_, i) => i));
  return traceFlat((args) => fun(args as Array[]), inTree, avals, { transform, fnName, argNames: avals.map((_, i) => `args[${i}]`) });
}

/**
 * Trace the function for a staged equation. As in JAX, everything it closes over (constant
 * arrays and tracers of outer traces) becomes a leading operand: `call_jaxpr` has no consts and
 * the equation's `num_consts` counts them.
 */
function stageCall(fun: Flat, xs: readonly Array[], fnName: string, transform: string): { callJaxpr: ClosedJaxpr; consts: Array[] } {
  const { closed, hoisted } = traceCall(fun, xs.map((x) => x.aval), fnName, transform);
  const j = closed.jaxpr;
  const callJaxpr = new ClosedJaxpr(new Jaxpr([], [...j.constvars, ...j.invars], j.eqns, j.outvars), []);
  return { callJaxpr, consts: [...closed.consts, ...hoisted] };
}

/** `call_jaxpr` traced on first read (only paths outside the JVP rule read it). */
function defineLazyCallJaxpr(params: object, fun: Flat, avals: readonly ShapedArray[], fnName: string, transform: string): void {
  let cached: ClosedJaxpr | undefined;
  Object.defineProperty(params, "call_jaxpr", {
    enumerable: true,
    get: () => {
      if (!cached) {
        const traced = traceCall(fun, avals, fnName, transform);
        if (traced.hoisted.length)
          throw new Error(`internal: the ${transform} function ${fnName} closes over traced values, so its call_jaxpr cannot be formed here.`);
        cached = traced.closed;
      }
      return cached;
    },
  });
}

type Where = "eval" | "jvp" | "stage";

/**
 * Where a call is processed: by the innermost trace of its operands. `closed` are tracers the
 * function and rule are known to close over (custom_jvp's nondiff arguments): if one belongs to
 * a trace above the operands', the function is traced so that they become operands (consts).
 */
function whereToApply(xs: readonly Array[], closed: readonly Array[] = []): Where {
  const top = findTopTrace(xs);
  if (closed.length && findTopTrace([...xs, ...closed]).main.level > top.main.level) return "stage";
  return top instanceof EvalTrace ? "eval" : top instanceof JVPTrace ? "jvp" : "stage";
}

export function applyJvpCall(call: JvpCall, operands: readonly Array[], closedOver: readonly Array[] = []): Array[] {
  const xs = operands.map(fullLower);
  const where = whereToApply(xs, closedOver.map(fullLower));
  const fnName = call.rule.primalName;
  if (where === "eval") return call.fun(xs);
  if (where === "jvp") {
    const params = { jvp_jaxpr_fun: call.rule, num_consts: call.numConsts, symbolic_zeros: false } as CustomJvpCallParams;
    defineLazyCallJaxpr(params, call.fun, xs.map((x) => x.aval), fnName, "custom_jvp");
    lazyJvpCalls.set(params, call);
    return bind("custom_jvp_call", xs, params);
  }
  const { callJaxpr, consts } = stageCall(call.fun, xs, fnName, "custom_jvp");
  const params: CustomJvpCallParams = { call_jaxpr: callJaxpr, jvp_jaxpr_fun: call.rule, num_consts: call.numConsts + consts.length, symbolic_zeros: false };
  return bind("custom_jvp_call", [...consts, ...xs], params);
}

export function applyVjpCall(call: VjpCall, operands: readonly Array[]): Array[] {
  const xs = operands.map(fullLower);
  const where = whereToApply(xs);
  const fnName = call.fwd.primalName;
  if (where === "eval") return call.fun(xs);
  const base = { fwd_jaxpr_thunk: call.fwd, bwd: call.bwd, out_trees: call.outTrees, symbolic_zeros: false };
  if (where === "jvp") {
    const params = { ...base, num_consts: call.numConsts } as CustomVjpCallParams;
    defineLazyCallJaxpr(params, call.fun, xs.map((x) => x.aval), fnName, "custom_vjp");
    lazyVjpCalls.set(params, call);
    return bind("custom_vjp_call", xs, params);
  }
  const { callJaxpr, consts } = stageCall(call.fun, xs, fnName, "custom_vjp");
  const params: CustomVjpCallParams = { ...base, call_jaxpr: callJaxpr, num_consts: call.numConsts + consts.length };
  return bind("custom_vjp_call", [...consts, ...xs], params);
}

/** The call a `custom_jvp_call` equation stands for (its function is `call_jaxpr` unless bound lazily). */
export function jvpCallOf(params: CustomJvpCallParams): JvpCall {
  return lazyJvpCalls.get(params) ?? { fun: (xs) => evalClosedJaxpr(params.call_jaxpr, xs), rule: params.jvp_jaxpr_fun, numConsts: params.num_consts };
}

export function vjpCallOf(params: CustomVjpCallParams): VjpCall {
  return (
    lazyVjpCalls.get(params) ?? {
      fun: (xs) => evalClosedJaxpr(params.call_jaxpr, xs),
      fwd: params.fwd_jaxpr_thunk,
      bwd: params.bwd,
      outTrees: params.out_trees,
      numConsts: params.num_consts,
    }
  );
}

// ---- shared helpers for the user-facing wrappers -------------------------------------

function argnumList(x: number | readonly number[] | undefined): number[] {
  const l = x === undefined ? [] : typeof x === "number" ? [x] : [...x];
  return [...new Set(l)].sort((a, b) => a - b);
}

function resolveArgnums(nondiff: readonly number[], nargs: number, kind: string, name: string): number[] {
  return nondiff.map((i) => {
    const j = i < 0 ? i + nargs : i;
    if (!Number.isInteger(i) || j < 0 || j >= nargs)
      throw new TypeError(`${kind} function ${name}: nondiffArgnums ${i} is out of range for a call with ${nargs} positional argument${nargs === 1 ? "" : "s"}.`);
    return j;
  });
}

/**
 * Flat operands of the differentiable arguments. JS numbers and booleans become strongly typed
 * float32 / bool arrays, as JAX's bind canonicalizes Python scalars to NumPy values.
 */
function operandsOf(args: readonly unknown[], kind: string, name: string): [Array[], PyTreeDef] {
  const [leaves, tree] = treeFlatten([...args]);
  return [
    leaves.map((l, i) => {
      if (typeof l === "number" || typeof l === "boolean") return scalar(l, typeof l === "number" ? "float32" : "bool");
      if (isArray(l)) return l;
      throw new TypeError(`${kind} function ${name}: differentiable argument leaf ${i} is ${describe(l)}, not an Array or number (mark non-array arguments with nondiffArgnums).`);
    }),
    tree,
  ];
}

function flattenValues(x: unknown, what: string): [Array[], PyTreeDef] {
  const [leaves, tree] = treeFlatten(x);
  return [
    leaves.map((l, i) => {
      if (isArray(l) || typeof l === "number" || typeof l === "boolean") return leafArray(l);
      throw new TypeError(`${what} leaf ${i} is ${describe(l)}, not an Array or number.`);
    }),
    tree,
  ];
}

const structure = (tree: PyTreeDef, avals: readonly ShapedArray[]) => treeUnflatten(tree, avals.map((a) => a.strShort())) as unknown;
const pyStr = (x: unknown): string =>
  x === null || x === undefined
    ? "None"
    : globalThis.Array.isArray(x)
      ? `(${x.map(pyStr).join(", ")}${x.length === 1 ? "," : ""})`
      : typeof x === "object"
        ? `{${Object.keys(x as object).sort().map((k) => `${k}: ${pyStr((x as Record<string, unknown>)[k])}`).join(", ")}}`
        : String(x);

/** Records the output tree of a custom function, from whichever of the function or its rule runs first. */
class OutStore {
  out: PyTreeDef | null = null;
  outAvals: ShapedArray[] = [];
  res: PyTreeDef | null = null;

  /** Record or check the output structure; `err` builds the mismatch message from (got, expected). */
  check(tree: PyTreeDef, avals: ShapedArray[], err: (kind: "tree" | "avals", got: string, want: string) => string): void {
    if (!this.out) {
      this.out = tree;
      this.outAvals = avals;
      return;
    }
    if (!tree.equals(this.out)) throw new TypeError(err("tree", pyStr(structure(tree, avals)), pyStr(structure(this.out, this.outAvals))));
    if (avals.some((a, i) => a.dtype !== this.outAvals[i].dtype || a.shape.join() !== this.outAvals[i].shape.join()))
      throw new TypeError(err("avals", pyStr(structure(tree, avals)), pyStr(structure(this.out, this.outAvals))));
  }
}

function makeFlatFun(fun: AnyFn, full: (dyn: unknown[]) => unknown[], inTree: PyTreeDef, store: OutStore, kind: string, name: string): Flat {
  return (ys) => {
    const out = fun(...full(treeUnflatten(inTree, ys) as unknown[]));
    const [outs, tree] = flattenValues(out, `the output of the ${kind} function ${name}:`);
    const avals = outs.map((o) => o.aval);
    if (!store.out) {
      store.out = tree;
      store.outAvals = avals;
    }
    return outs;
  };
}

// ---- custom_jvp -------------------------------------------------------------------

export interface CustomJvpOptions {
  /** Positional arguments that are not differentiated (functions, static values); the rule receives them first. */
  nondiffArgnums?: number | readonly number[];
}

export interface DefJvpOptions {
  /** JAX's symbolic_zeros; only `false` is supported. */
  symbolicZeros?: boolean;
}

export type CustomJvpFunction<F extends AnyFn> = F & {
  /** The function being wrapped. */
  readonly fun: F;
  readonly nondiffArgnums: readonly number[];
  /** Set the JVP rule `jvp(...nondiffArgs, primals, tangents) -> [primalOut, tangentOut]`; returns it (decorator style). */
  defjvp<R extends AnyFn>(jvp: R, opts?: DefJvpOptions): R;
  /** One rule per argument, `(g, primalOut, ...primals) -> tangent contribution`, or null for none. */
  defjvps(...jvps: (AnyFn | null | undefined)[]): void;
};

/**
 * `jax.custom_jvp`: a function whose forward-mode derivative is given by a rule
 * (and whose reverse mode follows by linearizing and transposing that rule).
 */
export function customJvp<F extends AnyFn>(fun: F, opts: CustomJvpOptions = {}): CustomJvpFunction<F> {
  if (typeof fun !== "function") throw new TypeError(`customJvp: expected a function, got ${describe(fun)}.`);
  const nondiff = argnumList(opts.nondiffArgnums);
  const name = functionName(fun);
  let rule: AnyFn | null = null;
  let ruleName = "";

  const wrapped = (...args: unknown[]): unknown => {
    if (!rule) throw new TypeError(`No JVP defined for custom_jvp function ${name} using defjvp.`);
    const userRule = rule;
    const nd = resolveArgnums(nondiff, args.length, "custom_jvp", name);
    const statics = nd.map((i) => stopTracers(args[i]));
    const dynIdx = args.map((_, i) => i).filter((i) => !nd.includes(i));
    const [xs, inTree] = operandsOf(dynIdx.map((i) => args[i]), "custom_jvp", name);
    const full = (dyn: unknown[]) => {
      const a = [...args];
      nd.forEach((i, k) => (a[i] = statics[k]));
      dynIdx.forEach((i, k) => (a[i] = dyn[k]));
      return a;
    };
    const store = new OutStore();
    const flatFun = makeFlatFun(fun, full, inTree, store, "custom_jvp", name);
    const jvpRule: CustomJvpRule = {
      name: ruleName,
      primalName: name,
      toString: () => ruleName,
      run: (ps, ts) => runJvpRule(userRule, statics, inTree, ps, ts, store, name, ruleName),
    };
    const closed = treeFlatten(statics)[0].filter((l): l is Tracer => l instanceof Tracer);
    const outs = applyJvpCall({ fun: flatFun, rule: jvpRule, numConsts: 0 }, xs, closed);
    return treeUnflatten(store.out!, outs);
  };

  const defjvp = <R extends AnyFn>(jvp: R, o: DefJvpOptions = {}): R => {
    if (typeof jvp !== "function") throw new TypeError(`defjvp: expected a function, got ${describe(jvp)}.`);
    if (o.symbolicZeros) throw new Error("customJvp: symbolicZeros=true is not supported.");
    rule = jvp;
    ruleName = functionName(jvp);
    return jvp;
  };
  const defjvps = (...jvps: (AnyFn | null | undefined)[]): void => {
    if (nondiff.length) throw new TypeError("Can't use ``defjvps`` with ``nondiff_argnums``.");
    // JAX's defjvps builds a rule named `jvp` that sums the per-argument contributions.
    const jvp = (primals: unknown[], tangents: unknown[]): [unknown, unknown] => {
      const primalOut = wrapped(...primals);
      const parts = jvps.slice(0, primals.length).flatMap((g, i) => (g ? [g(tangents[i], primalOut, ...primals)] : []));
      const tangentOut = treeMap((p: unknown, ...cs: unknown[]) => {
        const out = leafArray(p as Array);
        if (cs.length === 0) return zerosLikeAval(out.aval);
        return cs.map((c) => leafArray(c as Array)).reduce((a, b) => lax.add(a, b));
      }, primalOut, ...parts);
      return [primalOut, tangentOut];
    };
    rule = jvp;
    ruleName = "jvp";
  };
  Object.defineProperties(wrapped, {
    name: { value: name },
    fun: { value: fun },
    nondiffArgnums: { value: nondiff },
    defjvp: { value: defjvp },
    defjvps: { value: defjvps },
  });
  return wrapped as unknown as CustomJvpFunction<F>;
}

function runJvpRule(
  rule: AnyFn, statics: readonly unknown[], inTree: PyTreeDef, ps: readonly Array[], ts: readonly Array[], store: OutStore, name: string, ruleName: string,
): [Array[], Array[]] {
  const pair = rule(...statics, treeUnflatten(inTree, ps), treeUnflatten(inTree, ts));
  if (!globalThis.Array.isArray(pair) || pair.length !== 2)
    throw new TypeError(
      `Custom JVP rule ${ruleName} for function ${name} must produce a pair (list or tuple of length two) representing primal and tangent outputs, but got ${describe(pair)}.`,
    );
  const [primalsOut, outTree] = flattenValues(pair[0], `the primal output of the custom JVP rule ${ruleName}:`);
  const [tangentsOut, tanTree] = flattenValues(pair[1], `the tangent output of the custom JVP rule ${ruleName}:`);
  if (!outTree.equals(tanTree))
    throw new TypeError(
      `Custom JVP rule ${ruleName} for function ${name} must produce primal and tangent outputs with equal container (pytree) structures, but got ${outTree} and ${tanTree} respectively.`,
    );
  const avals = primalsOut.map((p) => p.aval);
  const lead = `Custom JVP rule ${ruleName} for function ${name} must produce a pair (list or tuple of length two) where the first element represents the primal output (equal in value to the output of the custom_jvp-decorated function ${name}, `;
  store.check(outTree, avals, (kind, got, want) =>
    kind === "tree"
      ? `${lead}and in particular of the same container/pytree structure), but instead the JVP rule output's first element had container/pytree structure:\n    ${got}\nwhile the custom_jvp-decorated function ${name} had output container/pytree structure:\n    ${want}.`
      : `${lead}and in particular with leaves of the same shape/dtype), but instead the JVP rule output's first element had shapes/dtypes of:\n    ${got}\nwhile the custom_jvp-decorated function ${name} had output shapes/dtypes of:\n    ${want}`,
  );
  const bad = primalsOut.flatMap((p, i) => {
    const t = tangentsOut[i];
    return isFloat(p.dtype) && (t.dtype !== p.dtype || t.shape.join() !== p.shape.join()) ? [[p.aval.strShort(), t.aval.strShort()]] : [];
  });
  if (bad.length === 1 && primalsOut.length === 1)
    throw new TypeError(
      `Custom JVP rule must produce primal and tangent outputs with corresponding shapes and dtypes. Expected ${bad[0][0]} (tangent type of ${bad[0][0]}) but got ${bad[0][1]}.`,
    );
  if (bad.length)
    throw new TypeError(
      `Custom JVP rule must produce primal and tangent outputs with corresponding shapes and dtypes, but got:\n${bad.map(([p, t]) => `  primal ${p} with tangent ${t}, expecting tangent ${p}`).join("\n")}`,
    );
  // Integer and boolean outputs have only zero tangents.
  return [primalsOut, tangentsOut.map((t, i) => (isFloat(primalsOut[i].dtype) ? t : zerosLikeAval(primalsOut[i].aval)))];
}

// ---- custom_vjp -------------------------------------------------------------------

export interface CustomVjpOptions {
  /** Positional arguments that are not differentiated (they may not be tracers); bwd receives them first. */
  nondiffArgnums?: number | readonly number[];
}

export type CustomVjpFunction<F extends AnyFn> = F & {
  readonly fun: F;
  readonly nondiffArgnums: readonly number[];
  /** `fwd(...args) -> [out, residuals]`, `bwd(...nondiffArgs, residuals, ct) -> [ct per differentiable argument]` (null = zero). */
  defvjp(fwd: AnyFn, bwd: AnyFn, opts?: { symbolicZeros?: boolean }): void;
};

function checkForTracers(x: unknown): void {
  for (const leaf of treeFlatten(x)[0])
    if (leaf instanceof Tracer)
      throw new UnexpectedTracerError(
        "Found a JAX Tracer object passed as an argument to a custom_vjp function in a position indicated by nondiff_argnums as non-differentiable. " +
          "Tracers cannot be passed as non-differentiable arguments to custom_vjp functions; instead, nondiff_argnums should only be used for arguments " +
          "that can't be or contain JAX tracers, e.g. function-valued arguments. In particular, array-valued arguments should typically not be indicated as nondiff_argnums.",
      );
}

/**
 * `jax.custom_vjp`: a function whose reverse-mode derivative is given by a
 * forward rule (output and residuals) and a backward rule (residuals and output
 * cotangent to input cotangents). Forward mode is not available, as in JAX.
 */
export function customVjp<F extends AnyFn>(fun: F, opts: CustomVjpOptions = {}): CustomVjpFunction<F> {
  if (typeof fun !== "function") throw new TypeError(`customVjp: expected a function, got ${describe(fun)}.`);
  const nondiff = argnumList(opts.nondiffArgnums);
  const name = functionName(fun);
  let rules: { fwd: AnyFn; bwd: AnyFn } | null = null;

  const wrapped = (...args: unknown[]): unknown => {
    if (!rules) throw new TypeError(`No VJP defined for custom_vjp function ${name} using defvjp.`);
    const { fwd, bwd } = rules;
    const fwdName = functionName(fwd), bwdName = functionName(bwd);
    const nd = resolveArgnums(nondiff, args.length, "custom_vjp", name);
    for (const i of nd) checkForTracers(args[i]);
    const statics = nd.map((i) => args[i]);
    const dynIdx = args.map((_, i) => i).filter((i) => !nd.includes(i));
    const [xs, inTree] = operandsOf(dynIdx.map((i) => args[i]), "custom_vjp", name);
    const inAvals = xs.map((x) => x.aval);
    const full = (dyn: unknown[]) => {
      const a = [...args];
      dynIdx.forEach((i, k) => (a[i] = dyn[k]));
      return a;
    };
    const store = new OutStore();
    const flatFun = makeFlatFun(fun, full, inTree, store, "custom_vjp", name);
    const fwdRule: CustomVjpFwd = {
      name: fwdName,
      primalName: name,
      toString: () => fwdName,
      run: (ps) => runFwd(fwd, full(treeUnflatten(inTree, ps) as unknown[]), store, name, fwdName),
    };
    const bwdRule: CustomVjpBwd = {
      name: bwdName,
      primalName: name,
      toString: () => bwdName,
      run: (res, cts) => runBwd(bwd, statics, treeUnflatten(store.res!, res), treeUnflatten(store.out!, cts), inTree, inAvals),
    };
    const outTrees = Object.assign(() => ({ out: store.out, res: store.res }), { toString: () => "out_trees" }) as OutTrees;
    const outs = applyVjpCall({ fun: flatFun, fwd: fwdRule, bwd: bwdRule, outTrees, numConsts: 0 }, xs);
    return treeUnflatten(store.out!, outs);
  };

  const defvjp = (fwd: AnyFn, bwd: AnyFn, o: { symbolicZeros?: boolean } = {}): void => {
    if (typeof fwd !== "function" || typeof bwd !== "function") throw new TypeError("defvjp: fwd and bwd must be functions.");
    if (o.symbolicZeros) throw new Error("customVjp: symbolicZeros=true is not supported.");
    rules = { fwd, bwd };
  };
  Object.defineProperties(wrapped, {
    name: { value: name },
    fun: { value: fun },
    nondiffArgnums: { value: nondiff },
    defvjp: { value: defvjp },
  });
  return wrapped as unknown as CustomVjpFunction<F>;
}

function runFwd(fwd: AnyFn, args: unknown[], store: OutStore, name: string, fwdName: string): { res: Array[]; outs: Array[] } {
  const pair = fwd(...args);
  const lead = `Custom VJP fwd rule ${fwdName} for function ${name} must produce a pair (list or tuple of length two) where the first element represents the primal output `;
  const tail = "second element represents residuals (i.e. values stored from the forward pass for use on the backward pass), but ";
  if (!globalThis.Array.isArray(pair) || pair.length !== 2)
    throw new TypeError(`${lead}(equal to those of the custom_vjp-decorated function ${name}) and the ${tail}instead of a pair the fwd rule ${fwdName} produced ${describe(pair)}.`);
  const [outs, outTree] = flattenValues(pair[0], `the primal output of the custom VJP fwd rule ${fwdName}:`);
  const [res, resTree] = flattenValues(pair[1], `the residuals of the custom VJP fwd rule ${fwdName}:`);
  store.check(outTree, outs.map((o) => o.aval), (kind, got, want) =>
    kind === "tree"
      ? `${lead}(equal to the output of the custom_vjp-decorated function ${name}) and the ${tail}instead the fwd rule output's first element had container/pytree structure:\n    ${got}\nwhile the custom_vjp-decorated function ${name} had output container/pytree structure:\n    ${want}.`
      : `${lead}(equal to the output of the custom_vjp-decorated function ${name}) and the ${tail}instead the fwd rule output's first element had shapes/dtypes of:\n    ${got}\nwhile the custom_vjp-decorated function ${name} had output shapes/dtypes of:\n    ${want}`,
  );
  store.res = resTree;
  return { res, outs };
}

/** Flatten one argument's cotangent against the argument's structure; null (at any subtree) is a zero. */
function flattenCotangent(ct: unknown, def: PyTreeDef, path: string, out: { ct: unknown; path: string }[]): boolean {
  if (ct === null || ct === undefined) {
    for (let i = 0; i < def.numLeaves; i++) out.push({ ct: null, path });
    return true;
  }
  switch (def.kind) {
    case "leaf":
      out.push({ ct, path });
      return true;
    case "none":
      return false;
    case "list":
      if (!globalThis.Array.isArray(ct) || ct.length !== def.children.length) return false;
      return def.children.every((c, i) => flattenCotangent(ct[i], c, `${path}[${i}]`, out));
    case "dict": {
      if (typeof ct !== "object" || globalThis.Array.isArray(ct)) return false;
      const keys = Object.keys(ct as object).sort();
      if (keys.join("\u0000") !== def.keys.join("\u0000")) return false;
      return def.children.every((c, i) => flattenCotangent((ct as Record<string, unknown>)[def.keys[i]], c, `${path}['${def.keys[i]}']`, out));
    }
    case "custom": {
      // A registered node type (e.g. a typed PRNG key): an instance of the same class and aux data.
      const kids = def.childrenOf(ct);
      return kids !== null && def.children.every((c, i) => flattenCotangent(kids[i], c, `${path}[<flat index ${i}>]`, out));
    }
  }
}

function runBwd(bwd: AnyFn, statics: readonly unknown[], res: unknown, cts: unknown, inTree: PyTreeDef, inAvals: readonly ShapedArray[]): (Array | null)[] {
  const got = bwd(...statics, res, cts);
  const flat: { ct: unknown; path: string }[] = [];
  const ok =
    globalThis.Array.isArray(got) &&
    got.length === inTree.children.length &&
    inTree.children.every((c, i) => flattenCotangent(got[i], c, `[${i}]`, flat));
  if (!ok) {
    let gotTree: string;
    try {
      gotTree = String(treeFlatten(got)[1]);
    } catch {
      gotTree = describe(got);
    }
    throw new TypeError(
      "Custom VJP bwd rule must produce an output with the same container (pytree) structure as the args tuple of the primal function, " +
        "and in particular must produce a tuple of length equal to the number of arguments to the primal function, " +
        `but got bwd output structure ${gotTree} for primal input structure ${inTree}.`,
    );
  }
  return flat.map(({ ct, path }, i) => {
    const a = inAvals[i];
    if (ct === null || !isFloat(a.dtype)) return null;
    if (!isArray(ct) && typeof ct !== "number")
      throw new TypeError(`Custom VJP bwd rule produced ${describe(ct)} at output${path}; cotangents must be Arrays, numbers or null.`);
    const c = leafArray(ct);
    if (c.shape.join() !== a.shape.join())
      throw new ValueError(
        "Custom VJP bwd rule must produce an output with the same shape/dtypes as the args tuple of the primal function, " +
          `but at output${path} the bwd rule produced an output of shape/dtype ${c.aval.strShort()} corresponding to an input of shape/dtype ${a.strShort()}`,
      );
    // JAX lets a float cotangent of another float dtype through; Kiln casts it so sums stay well typed.
    return c.dtype === a.dtype ? c : lax.convertElementType(c, a.dtype, a.weakType);
  });
}

