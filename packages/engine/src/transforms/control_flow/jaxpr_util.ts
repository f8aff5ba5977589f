/**
 * Jaxpr-to-jaxpr transformations that the control-flow rules apply to their
 * inner jaxprs, after JAX's ad.jvp_jaxpr, batching.batch_jaxpr,
 * pe.partial_eval_jaxpr_nounits and ad.backward_pass: each one runs the
 * engine's own interpreter (JVPTrace, BatchTrace, PartialEvalTrace) on fresh
 * staging tracers and records the result as a new ClosedJaxpr. Plus small
 * structural edits: permuting binders, pruning outputs, padding inputs.
 */
import type { ShapedArray } from "../../core/aval.js";
import { ClosedJaxpr, Jaxpr, type JaxprEqn, Var, type Atom } from "../../core/jaxpr.js";
import { type Array, Tracer, withMainTrace, type MainTrace } from "../../core/tracer.js";
import { treeFlatten } from "../../core/tree.js";
import { traceFlat } from "../trace_fn.js";
import { evalClosedJaxpr } from "../eval_jaxpr.js";
import { jvpFlat } from "../jvp.js";
import { type MaybeZero, Zero, instantiate } from "../ad_util.js";
import { PartialEvalTrace, type PartialEvalTracer, tracersToJaxpr } from "../partial_eval.js";
import { type AxisData, BatchTrace, BatchTracer, moveBatchAxis } from "../vmap.js";
import { backwardPass } from "../transpose.js";

const range = (n: number, start = 0) => globalThis.Array.from({ length: n }, (_, i) => i + start);
const flag = (f: boolean | readonly boolean[], i: number) => (typeof f === "boolean" ? f : f[i]);

/** Stage `fn` on fresh tracers of `inAvals` into a ClosedJaxpr (concrete constants stay bound consts). */
export function makeClosedJaxpr(fn: (...xs: Array[]) => readonly Array[], inAvals: readonly ShapedArray[], what = "control flow"): ClosedJaxpr {
  const [, inTree] = treeFlatten(inAvals.map(() => 0));
  const traced = traceFlat((args) => [...fn(...(args as Array[]))], inTree, inAvals, { transform: what, fnName: what, argNames: [] });
  if (traced.hoisted.length) throw new Error(`internal: ${what} jaxpr captured a tracer of an enclosing transformation`);
  return traced.closed;
}

// ---- structural edits ----------------------------------------------------------

/** The same jaxpr with its invars/outvars reordered (`inOrder[k]` = old index of new binder k). */
export function permuteJaxpr(closed: ClosedJaxpr, inOrder: readonly number[], outOrder?: readonly number[]): ClosedJaxpr {
  const j = closed.jaxpr;
  const outvars = outOrder ? outOrder.map((i) => j.outvars[i]) : j.outvars;
  return new ClosedJaxpr(new Jaxpr(j.constvars, inOrder.map((i) => j.invars[i]), j.eqns, outvars), closed.consts);
}

/** Keep only the outputs flagged in `keep`, dropping equations no longer needed (control flow is pure). */
export function pruneOutputs(closed: ClosedJaxpr, keep: readonly boolean[]): ClosedJaxpr {
  const j = closed.jaxpr;
  const outvars = j.outvars.filter((_, i) => keep[i]);
  const live = new Set<Var>(outvars.filter((a): a is Var => a instanceof Var));
  const eqns: JaxprEqn[] = [];
  for (let k = j.eqns.length - 1; k >= 0; k--) {
    const e = j.eqns[k];
    if (!e.outBinders.some((v) => live.has(v))) continue;
    eqns.push(e);
    for (const a of e.inputs) if (a instanceof Var) live.add(a);
  }
  eqns.reverse();
  return new ClosedJaxpr(new Jaxpr(j.constvars, j.invars, eqns, outvars), closed.consts);
}

/** Append unused inputs of the given avals. */
export function appendUnusedInputs(closed: ClosedJaxpr, avals: readonly ShapedArray[]): ClosedJaxpr {
  const j = closed.jaxpr;
  return new ClosedJaxpr(new Jaxpr(j.constvars, [...j.invars, ...avals.map((a) => new Var(a))], j.eqns, j.outvars), closed.consts);
}

function substitute(j: Jaxpr, sub: Map<Var, Var>, constvars: readonly Var[], invars: readonly Var[]): Jaxpr {
  if (sub.size === 0) return new Jaxpr(constvars, invars, j.eqns, j.outvars);
  const s = (a: Atom): Atom => (a instanceof Var ? (sub.get(a) ?? a) : a);
  const eqns = j.eqns.map((e) => ({ ...e, inputs: e.inputs.map(s) }));
  return new Jaxpr(constvars, invars, eqns, j.outvars.map(s));
}

// ---- jvp ----------------------------------------------------------------------------

export interface JvpJaxpr {
  /** invars: primals ++ nonzero tangents; outvars: primal outs ++ tangents of the `outNz` outputs. */
  readonly jaxpr: ClosedJaxpr;
  readonly outNz: boolean[];
}

/** JAX's ad.jvp_jaxpr: `nonzeros` says which inputs get a tangent; `instantiate` forces output tangents. */
export function jvpJaxpr(closed: ClosedJaxpr, nonzeros: readonly boolean[], instantiateOut: boolean | readonly boolean[]): JvpJaxpr {
  const inAvals = closed.inAvals;
  const n = inAvals.length;
  const tanAvals = inAvals.filter((_, i) => nonzeros[i]);
  let outNz: boolean[] = [];
  const jaxpr = makeClosedJaxpr(
    (...args) => {
      let k = n;
      const tangents: MaybeZero[] = inAvals.map((a, i) => (nonzeros[i] ? args[k++] : new Zero(a)));
      const [outs, touts] = jvpFlat((...xs) => evalClosedJaxpr(closed, xs), args.slice(0, n), tangents);
      outNz = touts.map((t, i) => !(t instanceof Zero) || flag(instantiateOut, i));
      return [...outs, ...touts.filter((_, i) => outNz[i]).map(instantiate)];
    },
    [...inAvals, ...tanAvals],
    "jvp",
  );
  return { jaxpr, outNz };
}

// ---- batching -----------------------------------------------------------------------

export interface BatchedJaxpr {
  /** Batched inputs/outputs carry the batch dimension first. */
  readonly jaxpr: ClosedJaxpr;
  readonly outBatched: boolean[];
}

/** JAX's batching.batch_jaxpr with every batch dimension at 0; `forceOut` batches outputs that aren't. */
export function batchJaxpr(closed: ClosedJaxpr, axis: AxisData, inBatched: readonly boolean[], forceOut: boolean | readonly boolean[]): BatchedJaxpr {
  const inAvals = closed.inAvals.map((a, i) => (inBatched[i] ? a.update({ shape: [axis.size, ...a.shape] }) : a));
  let outBatched: boolean[] = [];
  const jaxpr = makeClosedJaxpr(
    (...args) =>
      withMainTrace(BatchTrace, axis, (main: MainTrace) => {
        const trace = new BatchTrace(main);
        const ins = args.map((a, i) => (inBatched[i] ? new BatchTracer(trace, a, 0) : a));
        const outs = evalClosedJaxpr(closed, ins).map((o) => trace.fullRaise(o) as BatchTracer);
        outBatched = outs.map((t, i) => t.bdim !== null || flag(forceOut, i));
        return outs.map((t, i) => (outBatched[i] ? moveBatchAxis(t.val, t.bdim, 0, axis.size) : t.val));
      }),
    inAvals,
    "vmap",
  );
  return { jaxpr, outBatched };
}

// ---- partial evaluation ---------------------------------------------------------------

/** Where a residual of a partially evaluated jaxpr comes from. */
export type Residual =
  /** A known input passed straight through (its index among all the jaxpr's inputs). */
  | { readonly kind: "invar"; readonly index: number }
  /** A constant known at transformation time. */
  | { readonly kind: "concrete"; readonly value: Array }
  /** Computed by the known jaxpr: one of its trailing outputs, in order. */
  | { readonly kind: "computed" };

export interface PartialEvalJaxpr {
  /** Known inputs -> known outputs ++ the `computed` residuals. */
  readonly known: ClosedJaxpr;
  /** Residuals (all kinds, in `residuals` order) ++ unknown inputs -> unknown outputs. */
  readonly unknown: ClosedJaxpr;
  readonly outUnknowns: boolean[];
  readonly residuals: Residual[];
  readonly resAvals: ShapedArray[];
}

export interface PartialEvalOptions {
  /** Known inputs that may be forwarded as residuals rather than output by the known jaxpr. */
  forwardInvar?: (index: number) => boolean;
  /** Whether concrete constants may be residuals as such (else the known jaxpr outputs them). */
  forwardConcrete?: boolean;
}

/**
 * JAX's pe.partial_eval_jaxpr_nounits: split `closed` into the part computable
 * from the known inputs and the part that needs the unknown ones. Runs the
 * jaxpr under a PartialEvalTrace whose known values are tracers of a staging
 * trace (which records the known jaxpr); unknown equations become recipes,
 * turned into the unknown jaxpr, whose constants are the residuals.
 */
export function partialEvalJaxpr(closed: ClosedJaxpr, inUnknowns: readonly boolean[], instantiateOut: boolean | readonly boolean[], opts: PartialEvalOptions = {}): PartialEvalJaxpr {
  const inAvals = closed.inAvals;
  const knownIdx = range(inAvals.length).filter((i) => !inUnknowns[i]);
  let result: Omit<PartialEvalJaxpr, "known"> | null = null;
  const known = makeClosedJaxpr(
    (...knownIns) =>
      withMainTrace(PartialEvalTrace, null, (main: MainTrace) => {
        const trace = new PartialEvalTrace(main);
        const lambdas: PartialEvalTracer[] = [];
        let k = 0;
        const ins = inAvals.map((a, i) => {
          if (!inUnknowns[i]) return trace.pure(knownIns[k++]);
          const t = trace.newArg(a);
          lambdas.push(t);
          return t;
        });
        const outs = evalClosedJaxpr(closed, ins).map((o) => trace.fullRaise(o) as PartialEvalTracer);
        const outUnknowns = outs.map((o, i) => !o.known || flag(instantiateOut, i));
        const ukOuts = outs.filter((_, i) => outUnknowns[i]).map((o) => trace.instantiateConst(o));
        const { jaxpr, consts } = tracersToJaxpr(lambdas, ukOuts);
        // One residual per distinct known value.
        const firstVar = new Map<Array, Var>();
        const sub = new Map<Var, Var>();
        const resVars: Var[] = [];
        const resVals: Array[] = [];
        jaxpr.constvars.forEach((v, i) => {
          const prev = firstVar.get(consts[i]);
          if (prev) sub.set(v, prev);
          else {
            firstVar.set(consts[i], v);
            resVars.push(v);
            resVals.push(consts[i]);
          }
        });
        const residuals: Residual[] = resVals.map((val) => {
          if (!(val instanceof Tracer)) return opts.forwardConcrete ? { kind: "concrete", value: val } : { kind: "computed" };
          const pos = knownIns.indexOf(val);
          if (pos >= 0 && opts.forwardInvar?.(knownIdx[pos])) return { kind: "invar", index: knownIdx[pos] };
          return { kind: "computed" };
        });
        const unknownJaxpr = substitute(jaxpr, sub, [], [...resVars, ...jaxpr.invars]);
        result = {
          unknown: new ClosedJaxpr(unknownJaxpr, []),
          outUnknowns,
          residuals,
          resAvals: resVars.map((v) => v.aval),
        };
        const knownOuts = outs.filter((_, i) => !outUnknowns[i]).map((o) => o.known!);
        return [...knownOuts, ...resVals.filter((_, i) => residuals[i].kind === "computed")];
      }),
    knownIdx.map((i) => inAvals[i]),
    "partial_eval",
  );
  return { known, ...result! };
}

// ---- transposition --------------------------------------------------------------------

/**
 * Cotangents of the linear inputs of `closed` (flagged by `linear`) given the
 * values of the others and the output cotangents: JAX's ad.backward_pass on a
 * jaxpr whose non-linear inputs are residuals.
 */
export function backwardPassPartial(closed: ClosedJaxpr, linear: readonly boolean[], residuals: readonly Array[], cts: readonly MaybeZero[]): MaybeZero[] {
  const j = closed.jaxpr;
  const linVars = j.invars.filter((_, i) => linear[i]);
  const resVars = j.invars.filter((_, i) => !linear[i]);
  const asLinear = new Jaxpr([...j.constvars, ...resVars], linVars, j.eqns, j.outvars);
  return backwardPass(asLinear, [...closed.consts, ...residuals], cts);
}
