/**
 * Interpreter rules of the custom-derivative primitives (jvp, batching,
 * transpose), plugged into the shared rule tables. They are function
 * declarations so the tables can reference them across the module cycle
 * jvp.ts -> here -> custom_derivatives.ts -> jvp.ts.
 *
 * - stop_gradient: zero tangent; batching passes the batch dim through.
 * - custom_jvp_call: the JVP rule runs the user's rule on the primal values (at
 *   the traces below, so outer AD differentiates the rule); with all-zero
 *   tangents the call is re-applied below. vmap batches the function and the
 *   rule and re-applies the call (JAX's batch_subtrace of fun and jvp).
 * - custom_vjp_call: the JVP rule runs fwd on the primals and emits
 *   `custom_lin(residuals, tangents)`, whose transpose runs bwd; evaluating
 *   custom_lin (a forward-mode jvp) raises JAX's error. vmap batches fun, fwd
 *   and bwd (bwd's cotangents are summed for unbatched inputs).
 */
import { ShapedArray } from "../core/aval.js";
import type { CustomJvpCallParams, CustomJvpRule, CustomLinParams, CustomVjpBwd, CustomVjpCallParams, CustomVjpFwd } from "../core/rules/custom_rules.js";
import type { Empty } from "../core/primitives.js";
import { type Array, Tracer, bind, bind1, currentTraceStack } from "../core/tracer.js";
import * as lax from "../lax/lax.js";
import { type MaybeZero, Zero, instantiate, zerosLikeAval } from "./ad_util.js";
import { type JvpCall, type VjpCall, applyJvpCall, applyVjpCall, jvpCallOf, vjpCallOf } from "./custom_derivatives.js";
import type { TransposeArg } from "./transpose.js";
import { UndefPrimal } from "./transpose.js";
import { type AxisData, type BDim, BatchTrace, BatchTracer, moveBatchAxis, vmap } from "./vmap.js";

type Flat = (xs: readonly Array[]) => Array[];

/** Not a type predicate, so `every(isZero)` does not narrow the tangent list. */
const isZero = (t: MaybeZero): boolean => t instanceof Zero;

const JVP_OF_CUSTOM_VJP = "can't apply forward-mode autodiff (jvp) to a custom_vjp function.";

// ---- jvp ----------------------------------------------------------------------------

export function stopGradientJvp(primals: Array[], _tangents: MaybeZero[], params: Empty): [Array[], MaybeZero[]] {
  const out = bind1("stop_gradient", primals, params);
  return [[out], [new Zero(out.aval)]];
}

export function customJvpCallJvp(primals: Array[], tangents: MaybeZero[], params: CustomJvpCallParams): [Array[], MaybeZero[]] {
  const nc = params.num_consts;
  // As in JAX's lift_jvp, the tangents of closed-over values (consts) are not seen by the rule.
  if (tangents.slice(nc).every(isZero)) {
    const outs = applyJvpCall(jvpCallOf(params), primals);
    return [outs, outs.map((o) => new Zero(o.aval))];
  }
  const [outs, touts] = params.jvp_jaxpr_fun.run(primals.slice(nc), tangents.slice(nc).map(instantiate));
  return [outs, touts];
}

export function customVjpCallJvp(primals: Array[], tangents: MaybeZero[], params: CustomVjpCallParams): [Array[], MaybeZero[]] {
  const nc = params.num_consts;
  if (tangents.every(isZero)) {
    const outs = applyVjpCall(vjpCallOf(params), primals);
    return [outs, outs.map((o) => new Zero(o.aval))];
  }
  if (!tangents.slice(0, nc).every(isZero))
    throw new Error(
      "Detected differentiation of a custom_vjp function with respect to a closed-over value. That isn't supported because the custom VJP " +
        "rule only specifies how to differentiate the custom_vjp function with respect to explicit input parameters. Try passing the " +
        "closed-over value into the custom_vjp function as an argument, and adapting the custom_vjp fwd and bwd rules.",
    );
  const { res, outs } = params.fwd_jaxpr_thunk.run(primals.slice(nc));
  const ts = tangents.slice(nc);
  const inZeros = ts.map(isZero);
  const nzTangents = ts.filter((t): t is Array => !(t instanceof Zero));
  const linParams: CustomLinParams = { num_res: res.length, bwd: params.bwd, out_avals: outs.map((o) => o.aval), symbolic_zeros: false, in_zeros: inZeros };
  return [outs, bind("custom_lin", [...res, ...nzTangents], linParams)];
}

export function customLinJvp(): [Array[], MaybeZero[]] {
  throw new TypeError(JVP_OF_CUSTOM_VJP);
}

// ---- transpose ----------------------------------------------------------------------

/** custom_lin is linear in its tangent operands: the cotangents are bwd(residuals, cts). */
export function customLinTranspose(cts: MaybeZero[], args: TransposeArg[], params: CustomLinParams): (MaybeZero | null)[] {
  const res = args.slice(0, params.num_res);
  if (res.some((r) => r instanceof UndefPrimal)) throw new Error("internal: custom_lin residual is a linear input");
  const ctsIn = cts.map(instantiate);
  const all = params.bwd.run(res as Array[], ctsIn);
  const lin = args.slice(params.num_res);
  const nz = all.filter((_, i) => !params.in_zeros[i]);
  return [...res.map(() => null), ...nz.map((c, k) => c ?? new Zero(lin[k].aval))];
}

// ---- batching -----------------------------------------------------------------------

export function stopGradientBatch(vals: Array[], dims: BDim[], params: Empty): [Array[], BDim[]] {
  return [[bind1("stop_gradient", vals, params)], [dims[0]]];
}

const levelOf = (x: Array) => (x instanceof Tracer ? x.trace.main.level : 0);

/**
 * Apply `fn` to operands batched along `inDims`, returning outputs batched along 0.
 * While the batch trace being processed is live and below every operand, `fn`
 * runs under that same trace (JAX's batch_subtrace), so values the user's rules
 * close over from it keep their batching; otherwise (a rule run later, e.g. a
 * bwd during the backward pass) it runs under a fresh vmap.
 */
function batchFlat(fn: Flat, inDims: readonly BDim[], axis: AxisData, xs: readonly Array[]): Array[] {
  const main = currentTraceStack().find((m) => m.globalData === axis);
  if (main && xs.every((x) => levelOf(x) < main.level)) {
    const trace = new BatchTrace(main);
    const outs = fn(xs.map((x, i) => new BatchTracer(trace, x, inDims[i])));
    return outs.map((o) => {
      const t = trace.fullRaise(o) as BatchTracer;
      return moveBatchAxis(t.val, t.bdim, 0, axis.size);
    });
  }
  const opts = { inAxes: [...inDims], outAxes: 0, axisSize: axis.size, ...(axis.name !== null ? { axisName: axis.name } : {}) };
  return vmap((...ys: Array[]) => fn(ys), opts)(...xs) as Array[];
}

function moveToFront(vals: readonly Array[], dims: readonly BDim[], size: number): [Array[], BDim[]] {
  return [vals.map((v, i) => (dims[i] === null ? v : moveBatchAxis(v, dims[i], 0, size))), dims.map((d) => (d === null ? null : 0))];
}

function batchedJvpRule(rule: CustomJvpRule, argDims: readonly BDim[], axis: AxisData): CustomJvpRule {
  return {
    name: rule.name,
    primalName: rule.primalName,
    toString: () => rule.name,
    run: (ps, ts) => {
      const n = ps.length;
      let nOut = 0;
      const all = batchFlat(
        (xs) => {
          const [o, t] = rule.run(xs.slice(0, n), xs.slice(n));
          nOut = o.length;
          return [...o, ...t];
        },
        [...argDims, ...argDims],
        axis,
        [...ps, ...ts],
      );
      return [all.slice(0, nOut), all.slice(nOut)];
    },
  };
}

export function customJvpCallBatch(vals: Array[], dims: BDim[], params: CustomJvpCallParams, axis: AxisData): [Array[], BDim[]] {
  const call = jvpCallOf(params);
  const [moved, d0] = moveToFront(vals, dims, axis.size);
  const batched: JvpCall = {
    numConsts: call.numConsts,
    fun: (xs) => batchFlat(call.fun, d0, axis, xs),
    rule: batchedJvpRule(call.rule, d0.slice(call.numConsts), axis),
  };
  const outs = applyJvpCall(batched, moved);
  return [outs, outs.map((): BDim => 0)];
}

const unbatchedAval = (v: Array, d: BDim): ShapedArray => (d === null ? v.aval : new ShapedArray(v.shape.slice(1), v.dtype, v.weakType));

export function customVjpCallBatch(vals: Array[], dims: BDim[], params: CustomVjpCallParams, axis: AxisData): [Array[], BDim[]] {
  const call = vjpCallOf(params);
  const nc = call.numConsts;
  const [moved, d0] = moveToFront(vals, dims, axis.size);
  const argDims = d0.slice(nc);
  const exampleAvals = moved.slice(nc).map((v, i) => unbatchedAval(v, argDims[i]));
  const fwd: CustomVjpFwd = {
    name: call.fwd.name,
    primalName: call.fwd.primalName,
    toString: () => call.fwd.name,
    run: (ps) => {
      let nRes = 0;
      const all = batchFlat(
        (xs) => {
          const { res, outs } = call.fwd.run(xs);
          nRes = res.length;
          return [...res, ...outs];
        },
        argDims,
        axis,
        ps,
      );
      return { res: all.slice(0, nRes), outs: all.slice(nRes) };
    },
  };
  // Residuals and output cotangents of the batched call are all batched along 0.
  const bwd: CustomVjpBwd = {
    name: call.bwd.name,
    primalName: call.bwd.primalName,
    toString: () => call.bwd.name,
    run: (res, cts) => {
      const nr = res.length;
      const all = batchFlat(
        (xs) => call.bwd.run(xs.slice(0, nr), xs.slice(nr)).map((c, i) => c ?? zerosLikeAval(exampleAvals[i])),
        [...res, ...cts].map((): BDim => 0),
        axis,
        [...res, ...cts],
      );
      return all.map((c, i) => (argDims[i] === null ? lax.reduceSum(c, [0]) : c));
    },
  };
  const batched: VjpCall = { numConsts: nc, outTrees: call.outTrees, fun: (xs) => batchFlat(call.fun, d0, axis, xs), fwd, bwd };
  const outs = applyVjpCall(batched, moved);
  return [outs, outs.map((): BDim => 0)];
}

export function customLinBatch(): [Array[], BDim[]] {
  throw new TypeError(JVP_OF_CUSTOM_VJP);
}

