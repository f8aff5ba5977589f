/**
 * Transformation rules of the control-flow primitives `cond`, `while` and
 * `scan`, after JAX's lax/control_flow: jvp (transform the inner jaxprs, bind
 * the primitive again), transposition (cond transposes each branch; scan runs
 * the transposed body in the opposite direction; while refuses, as JAX does),
 * batching (a batched cond predicate becomes a select of all branches, a
 * batched while predicate runs until every element is done), and partial
 * evaluation (a known primitive computes residuals, an unknown one consumes
 * them), which is what lets `grad` see through cond and scan.
 *
 * Every rule is a function declaration so the rule tables (jvp.ts, vmap's
 * batching_rules.ts, transpose_rules.ts) can import them whatever the module
 * load order.
 */
import type { ShapedArray } from "../core/aval.js";
import { ValueError } from "../core/errors.js";
import { ClosedJaxpr, Jaxpr, Var } from "../core/jaxpr.js";
import type { PrimitiveName, PrimitiveParams } from "../core/primitives.js";
import { abstractEval } from "../core/abstract_eval.js";
import { type Array, bind } from "../core/tracer.js";
import * as lax from "../lax/lax.js";
import { type MaybeZero, Zero, instantiate, zerosLikeAval } from "./ad_util.js";
import { evalClosedJaxpr } from "./eval_jaxpr.js";
import { type TransposeArg, UndefPrimal } from "./transpose.js";
import type { AxisData, BDim } from "./vmap.js";
import { moveBatchAxis } from "./vmap.js";
import { type PartialEvalTrace, PartialEvalTracer } from "./partial_eval.js";
import {
  type PartialEvalJaxpr, appendUnusedInputs, backwardPassPartial, batchJaxpr, jvpJaxpr, makeClosedJaxpr,
  partialEvalJaxpr, permuteJaxpr, pruneOutputs,
} from "./control_flow/jaxpr_util.js";

type CondParams = PrimitiveParams["cond"];
type WhileParams = PrimitiveParams["while"];
type ScanParams = PrimitiveParams["scan"];

const range = (n: number, start = 0) => globalThis.Array.from({ length: n }, (_, i) => i + start);
const fill = <T>(n: number, v: T): T[] => globalThis.Array.from({ length: n }, () => v);
const count = (bs: readonly boolean[]) => bs.filter((b) => b).length;
const orAll = (lists: readonly (readonly boolean[])[]) => lists[0].map((_, i) => lists.some((l) => l[i]));
const sameFlags = (a: readonly boolean[], b: readonly boolean[]) => a.every((x, i) => x === b[i]);
const isNz = (t: MaybeZero) => !(t instanceof Zero);
const isUndef = (x: TransposeArg): x is UndefPrimal => x instanceof UndefPrimal;
const zerosFor = (aval: ShapedArray) => zerosLikeAval(aval.strongType());
const instantiateAs = (t: MaybeZero, aval: ShapedArray) => (t instanceof Zero ? zerosFor(aval) : t);

/** Broadcast a batch-shaped predicate `[B]` against a value `[B, ...]`. */
function bcastPred(pred: Array, like: Array): Array {
  return pred.ndim === like.ndim ? pred : lax.broadcastInDim(pred, like.shape, [0]);
}

/** `stop_gradient` when the primitive is available (JAX cuts gradients into the unselected branch). */
function stopGradient(x: Array): Array {
  const sg = (lax as unknown as { stopGradient?: (x: Array) => Array }).stopGradient;
  return sg ? sg(x) : x;
}

// =====================================================================================
// cond
// =====================================================================================

export function condJvpRule(primals: Array[], tangents: MaybeZero[], params: CondParams): [Array[], MaybeZero[]] {
  const [index, ...ops] = primals;
  const opsNz = tangents.slice(1).map(isNz);
  const outNz = orAll(params.branches.map((b) => jvpJaxpr(b, opsNz, false).outNz));
  const branches = params.branches.map((b) => jvpJaxpr(b, opsNz, outNz).jaxpr);
  const opsDot = tangents.slice(1).filter(isNz) as Array[];
  const outs = bind("cond", [index, ...ops, ...opsDot], { branches });
  const n = outNz.length;
  const primalsOut = outs.slice(0, n);
  let k = n;
  return [primalsOut, primalsOut.map((p, i) => (outNz[i] ? outs[k++] : new Zero(p.aval)))];
}

/** A branch's transpose: (residuals, output cotangents) -> cotangents of its linear inputs. */
function transposeBranch(branch: ClosedJaxpr, linear: readonly boolean[]): ClosedJaxpr {
  const resAvals = branch.inAvals.filter((_, i) => !linear[i]);
  const linAvals = branch.inAvals.filter((_, i) => linear[i]);
  const nRes = resAvals.length;
  return makeClosedJaxpr(
    (...args) => backwardPassPartial(branch, linear, args.slice(0, nRes), args.slice(nRes)).map((c, i) => instantiateAs(c, linAvals[i])),
    [...resAvals, ...branch.outAvals],
    "transpose",
  );
}

export function condTransposeRule(cts: MaybeZero[], args: TransposeArg[], params: CondParams): (MaybeZero | null)[] {
  const [index, ...ops] = args;
  if (isUndef(index)) throw new Error("cond transpose: the branch index cannot be a linear input.");
  const linear = ops.map(isUndef);
  const res = ops.filter((o): o is Array => !isUndef(o));
  const outAvals = params.branches[0].outAvals;
  const ctVals = cts.map((c, i) => instantiateAs(c, outAvals[i]));
  const branches = params.branches.map((b) => transposeBranch(b, linear));
  const outs = bind("cond", [index, ...res, ...ctVals], { branches });
  let k = 0;
  return [null, ...ops.map((o) => (isUndef(o) ? outs[k++] : null))];
}

export function condBatchRule(vals: Array[], dims: BDim[], params: CondParams, axis: AxisData): [Array[], BDim[]] {
  const [index, ...ops] = vals;
  const [indexDim, ...opDims] = dims;
  if (indexDim !== null) {
    // A batched predicate: evaluate every branch on the whole batch and select (as JAX does).
    const idx = moveBatchAxis(index, indexDim, 0, axis.size);
    const opsF = ops.map((x, i) => moveBatchAxis(x, opDims[i], 0, axis.size));
    const branches = params.branches.map((b) => batchJaxpr(b, axis, ops.map(() => true), true).jaxpr);
    const branchOuts = branches.map((b, i) => {
      const pred = lax.eq(idx, lax.convertElementType(i, "int32"));
      return evalClosedJaxpr(b, opsF.map((x) => lax.select(bcastPred(pred, x), x, stopGradient(x))));
    });
    const outs = branchOuts[0].map((_, j) => {
      const cases = branchOuts.map((o) => o[j]);
      return lax.selectN(bcastPred(idx, cases[0]), ...cases);
    });
    return [outs, outs.map((): BDim => 0)];
  }
  const opsBat = opDims.map((d) => d !== null);
  const opsM = ops.map((x, i) => (opsBat[i] ? moveBatchAxis(x, opDims[i], 0, axis.size) : x));
  const outBat = orAll(params.branches.map((b) => batchJaxpr(b, axis, opsBat, false).outBatched));
  const branches = params.branches.map((b) => batchJaxpr(b, axis, opsBat, outBat).jaxpr);
  const outs = bind("cond", [index, ...opsM], { branches });
  return [outs, outBat.map((b): BDim => (b ? 0 : null))];
}

/** JAX's _merge_branch_residuals: share residual slots of equal type across branches. */
function mergeResiduals(perBranch: readonly (readonly ShapedArray[])[]): { all: ShapedArray[]; slots: number[][] } {
  const all: ShapedArray[] = [];
  const keys: string[] = [];
  const slots = perBranch.map((avals) => {
    const seen = new Map<string, number>();
    return avals.map((a) => {
      const n = seen.get(a.key()) ?? 0;
      seen.set(a.key(), n + 1);
      const tag = `${a.key()}#${n}`;
      let slot = keys.indexOf(tag);
      if (slot < 0) {
        slot = keys.length;
        keys.push(tag);
        all.push(a);
      }
      return slot;
    });
  });
  return { all, slots };
}

/** Make a known branch output every merged residual slot (zeros for the slots it doesn't fill). */
function joinKnownOutputs(known: ClosedJaxpr, allRes: readonly ShapedArray[], slots: readonly number[], numOuts: number): ClosedJaxpr {
  return makeClosedJaxpr(
    (...args) => {
      const outs = evalClosedJaxpr(known, args);
      const res = allRes.map(zerosLikeAval);
      slots.forEach((slot, j) => (res[slot] = outs[numOuts + j]));
      return [...outs.slice(0, numOuts), ...res];
    },
    known.inAvals,
    "partial_eval",
  );
}

/** Make an unknown branch accept every merged residual slot (ignoring the ones it doesn't use). */
function joinUnknownInputs(unknown: ClosedJaxpr, allRes: readonly ShapedArray[], slots: readonly number[]): ClosedJaxpr {
  const j = unknown.jaxpr;
  const resVars: Var[] = allRes.map((a) => new Var(a));
  slots.forEach((slot, k) => (resVars[slot] = j.invars[k]));
  return new ClosedJaxpr(new Jaxpr(j.constvars, [...resVars, ...j.invars.slice(slots.length)], j.eqns, j.outvars), unknown.consts);
}

/** Stage a primitive application on unknown tracers (the PartialEvalTrace's default processing). */
function stage(trace: PartialEvalTrace, prim: PrimitiveName, inputs: readonly PartialEvalTracer[], params: unknown): PartialEvalTracer[] {
  const ins = inputs.map((t) => trace.instantiateConst(t));
  const avals = abstractEval(prim, ins.map((t) => t.aval), params as never);
  const outs = avals.map((a) => new PartialEvalTracer(trace, a, null));
  const eqn = { prim, inputs: ins, params, outs };
  for (const o of outs) o.recipe = { kind: "eqn", eqn };
  return outs;
}

const residualTracer = (trace: PartialEvalTrace, v: Array) => trace.instantiateConst(trace.pure(v));

function condPartialEval(trace: PartialEvalTrace, tracers: PartialEvalTracer[], params: CondParams): Array[] | null {
  const [index, ...ops] = tracers;
  if (!index.known) return null; // an unknown index: stage out the whole cond
  const opsUk = ops.map((t) => !t.known);
  const outUk = orAll(params.branches.map((b) => partialEvalJaxpr(b, opsUk, false).outUnknowns));
  const pes: PartialEvalJaxpr[] = params.branches.map((b) => partialEvalJaxpr(b, opsUk, outUk));
  const { all, slots } = mergeResiduals(pes.map((p) => p.resAvals));
  const numKnownOuts = outUk.length - count(outUk);
  const knownBranches = pes.map((p, i) => joinKnownOutputs(p.known, all, slots[i], numKnownOuts));
  const unknownBranches = pes.map((p, i) => joinUnknownInputs(p.unknown, all, slots[i]));
  const knownIns = ops.filter((t) => t.known).map((t) => t.known!);
  const knownOuts = knownBranches[0].outAvals.length ? bind("cond", [index.known, ...knownIns], { branches: knownBranches }) : [];
  const res = knownOuts.slice(numKnownOuts);
  const staged = stage(trace, "cond", [index, ...res.map((r) => residualTracer(trace, r)), ...ops.filter((t) => !t.known)], { branches: unknownBranches });
  let k = 0;
  let u = 0;
  return outUk.map((uk) => (uk ? staged[u++] : knownOuts[k++]));
}

// =====================================================================================
// while
// =====================================================================================

export function whileJvpRule(primals: Array[], tangents: MaybeZero[], params: WhileParams): [Array[], MaybeZero[]] {
  const { cond_jaxpr, cond_nconsts: cN, body_jaxpr, body_nconsts: bN } = params;
  const nz = tangents.map(isNz);
  const bconstNz = nz.slice(cN, cN + bN);
  let carryNz = nz.slice(cN + bN);
  const nK = carryNz.length;
  let jv = jvpJaxpr(body_jaxpr, [...bconstNz, ...carryNz], carryNz);
  for (let it = 0; it < nK && !sameFlags(jv.outNz, carryNz); it++) {
    carryNz = carryNz.map((b, i) => b || jv.outNz[i]);
    jv = jvpJaxpr(body_jaxpr, [...bconstNz, ...carryNz], carryNz);
  }
  const nBD = count(bconstNz);
  const nCD = count(carryNz);
  // jvp layout [bconsts, carry, bconsts_dot, carry_dot] -> while layout [bconsts, bconsts_dot, carry, carry_dot].
  const body = permuteJaxpr(jv.jaxpr, [...range(bN), ...range(nBD, bN + nK), ...range(nK, bN), ...range(nCD, bN + nK + nBD)]);
  const carryAvals = body_jaxpr.outAvals;
  const cond = appendUnusedInputs(cond_jaxpr, carryAvals.filter((_, i) => carryNz[i]));
  const cconsts = primals.slice(0, cN);
  const bconsts = primals.slice(cN, cN + bN);
  const init = primals.slice(cN + bN);
  const bconstDot = tangents.slice(cN, cN + bN).filter(isNz) as Array[];
  const initDot = tangents.slice(cN + bN).flatMap((t, i) => (carryNz[i] ? [instantiate(t)] : []));
  const outs = bind("while", [...cconsts, ...bconsts, ...bconstDot, ...init, ...initDot], {
    body_jaxpr: body,
    body_nconsts: bN + nBD,
    cond_jaxpr: cond,
    cond_nconsts: cN,
  });
  const carry = outs.slice(0, nK);
  let k = nK;
  return [carry, carry.map((c, i) => (carryNz[i] ? outs[k++] : new Zero(c.aval)))];
}

export function whileTransposeRule(): never {
  throw new ValueError(
    "Reverse-mode differentiation does not work for lax.while_loop or lax.fori_loop with dynamic start/stop values. " +
      "Try using lax.scan, or using fori_loop with static start/stop.",
  );
}

export function whileBatchRule(vals: Array[], dims: BDim[], params: WhileParams, axis: AxisData): [Array[], BDim[]] {
  const { cond_jaxpr, cond_nconsts: cN, body_jaxpr, body_nconsts: bN } = params;
  const bat = dims.map((d) => d !== null);
  const cBat = bat.slice(0, cN);
  const bBat = bat.slice(cN, cN + bN);
  let carryBat = bat.slice(cN + bN);
  const nK = carryBat.length;
  for (let it = 0; it <= nK; it++) {
    const out = batchJaxpr(body_jaxpr, axis, [...bBat, ...carryBat], carryBat).outBatched;
    if (sameFlags(out, carryBat)) break;
    carryBat = carryBat.map((b, i) => b || out[i]);
  }
  const predBat = batchJaxpr(cond_jaxpr, axis, [...cBat, ...carryBat], false).outBatched[0];
  if (predBat) carryBat = fill(nK, true);
  const size = axis.size;
  const front = (x: Array, d: BDim, b: boolean) => (b ? moveBatchAxis(x, d, 0, size) : x);
  const cconsts = vals.slice(0, cN).map((x, i) => front(x, dims[i], cBat[i]));
  const bconsts = vals.slice(cN, cN + bN).map((x, i) => front(x, dims[cN + i], bBat[i]));
  const init = vals.slice(cN + bN).map((x, i) => front(x, dims[cN + bN + i], carryBat[i]));
  const body = batchJaxpr(body_jaxpr, axis, [...bBat, ...carryBat], carryBat).jaxpr;
  const cond = batchJaxpr(cond_jaxpr, axis, [...cBat, ...carryBat], predBat).jaxpr;
  let outs: Array[];
  if (!predBat) {
    outs = bind("while", [...cconsts, ...bconsts, ...init], { body_jaxpr: body, body_nconsts: bN, cond_jaxpr: cond, cond_nconsts: cN });
  } else {
    // Run while any element's predicate holds; finished elements keep their carry.
    const anyCond = makeClosedJaxpr((...a) => [lax.reduceOr(evalClosedJaxpr(cond, a)[0], [0])], cond.inAvals, "vmap");
    const selectBody = makeClosedJaxpr(
      (...a) => {
        const cc = a.slice(0, cN);
        const bc = a.slice(cN, cN + bN);
        const carry = a.slice(cN + bN);
        const pred = evalClosedJaxpr(cond, [...cc, ...carry])[0];
        const next = evalClosedJaxpr(body, [...bc, ...carry]);
        return next.map((n, i) => lax.select(bcastPred(pred, n), n, carry[i]));
      },
      [...cond.inAvals.slice(0, cN), ...body.inAvals],
      "vmap",
    );
    outs = bind("while", [...cconsts, ...cconsts, ...bconsts, ...init], { body_jaxpr: selectBody, body_nconsts: cN + bN, cond_jaxpr: anyCond, cond_nconsts: cN });
  }
  return [outs, carryBat.map((b): BDim => (b ? 0 : null))];
}

/**
 * JAX's _while_partial_eval: the known carries come from a while loop over the
 * known part of the body; the unknown ones from the whole loop, staged (so
 * reverse mode meets the `while` and raises, while forward mode and
 * linearize work).
 */
function whilePartialEval(trace: PartialEvalTrace, tracers: PartialEvalTracer[], params: WhileParams): Array[] | null {
  const { cond_jaxpr, cond_nconsts: cN, body_jaxpr, body_nconsts: bN } = params;
  const uk = tracers.map((t) => !t.known);
  if (uk.every((u) => u)) return null;
  const cUk = uk.slice(0, cN);
  const bUk = uk.slice(cN, cN + bN);
  let carryUk = uk.slice(cN + bN);
  const nK = carryUk.length;
  let body = partialEvalJaxpr(body_jaxpr, [...bUk, ...carryUk], carryUk);
  for (let it = 0; it < nK && !sameFlags(body.outUnknowns, carryUk); it++) {
    carryUk = carryUk.map((u, i) => u || body.outUnknowns[i]);
    body = partialEvalJaxpr(body_jaxpr, [...bUk, ...carryUk], carryUk);
  }
  const cond = partialEvalJaxpr(cond_jaxpr, [...cUk, ...carryUk], false);
  if (cond.outUnknowns[0] || carryUk.every((u) => u)) return null;
  const nKnownCarry = nK - count(carryUk);
  const condKnown = pruneOutputs(cond.known, cond.known.outAvals.map((_, i) => i === 0));
  const bodyKnown = pruneOutputs(body.known, body.known.outAvals.map((_, i) => i < nKnownCarry));
  const known = (from: number, flags: readonly boolean[]) => flags.flatMap((u, i) => (u ? [] : [tracers[from + i].known!]));
  const knownOuts = bind("while", [...known(0, cUk), ...known(cN, bUk), ...known(cN + bN, carryUk)], {
    body_jaxpr: bodyKnown,
    body_nconsts: bN - count(bUk),
    cond_jaxpr: condKnown,
    cond_nconsts: cN - count(cUk),
  });
  const staged = stage(trace, "while", tracers, params);
  let k = 0;
  return carryUk.map((u, i) => (u ? staged[i] : knownOuts[k++]));
}

// =====================================================================================
// scan
// =====================================================================================

export function scanJvpRule(primals: Array[], tangents: MaybeZero[], params: ScanParams): [Array[], MaybeZero[]] {
  const { jaxpr, num_consts: nC, num_carry: nK, linear } = params;
  const nX = primals.length - nC - nK;
  const numYs = jaxpr.outAvals.length - nK;
  const nz = tangents.map(isNz);
  const constNz = nz.slice(0, nC);
  const xsNz = nz.slice(nC + nK);
  let carryNz = nz.slice(nC, nC + nK);
  const inst = () => [...carryNz, ...fill(numYs, false)];
  let jv = jvpJaxpr(jaxpr, [...constNz, ...carryNz, ...xsNz], inst());
  for (let it = 0; it < nK && !sameFlags(jv.outNz.slice(0, nK), carryNz); it++) {
    carryNz = carryNz.map((b, i) => b || jv.outNz[i]);
    jv = jvpJaxpr(jaxpr, [...constNz, ...carryNz, ...xsNz], inst());
  }
  const nCD = count(constNz);
  const nKD = count(carryNz);
  const nXD = count(xsNz);
  const n = nC + nK + nX;
  // jvp layout [consts, carry, xs, consts_dot, carry_dot, xs_dot] -> scan layout
  // [consts, consts_dot, carry, carry_dot, xs, xs_dot]; outputs [carry, ys, carry_dot, ys_dot] -> [carry, carry_dot, ys, ys_dot].
  const inOrder = [...range(nC), ...range(nCD, n), ...range(nK, nC), ...range(nKD, n + nCD), ...range(nX, nC + nK), ...range(nXD, n + nCD + nKD)];
  const ysNz = jv.outNz.slice(nK);
  const nYD = count(ysNz);
  const outOrder = [...range(nK), ...range(nKD, nK + numYs), ...range(numYs, nK), ...range(nYD, nK + numYs + nKD)];
  const body = permuteJaxpr(jv.jaxpr, inOrder, outOrder);
  const dots = (from: number, to: number, flags: readonly boolean[]) =>
    tangents.slice(from, to).flatMap((t, i) => (flags[i] ? [instantiate(t)] : []));
  const constsDot = dots(0, nC, constNz);
  const initDot = dots(nC, nC + nK, carryNz);
  const xsDot = dots(nC + nK, n, xsNz);
  const lin = (from: number, to: number, d: number) => [...linear.slice(from, to), ...fill(d, true)];
  const outs = bind("scan", [...primals.slice(0, nC), ...constsDot, ...primals.slice(nC, nC + nK), ...initDot, ...primals.slice(nC + nK), ...xsDot], {
    ...params,
    jaxpr: body,
    num_consts: nC + nCD,
    num_carry: nK + nKD,
    linear: [...lin(0, nC, nCD), ...lin(nC, nC + nK, nKD), ...lin(nC + nK, n, nXD)],
  });
  const carry = outs.slice(0, nK);
  const carryDot = outs.slice(nK, nK + nKD);
  const ys = outs.slice(nK + nKD, nK + nKD + numYs);
  const ysDot = outs.slice(nK + nKD + numYs);
  let a = 0;
  let b = 0;
  return [
    [...carry, ...ys],
    [...carry.map((c, i) => (carryNz[i] ? carryDot[a++] : new Zero(c.aval))), ...ys.map((y, i) => (ysNz[i] ? ysDot[b++] : new Zero(y.aval)))],
  ];
}

/**
 * Transpose of a scan that is linear in its carries, in the consts and xs that
 * arrive undefined, and not in the rest (residuals): a scan in the opposite
 * direction whose carry holds the carry cotangent and the accumulated
 * cotangents of the linear consts, and whose xs are the ys cotangents.
 */
export function scanTransposeRule(cts: MaybeZero[], args: TransposeArg[], params: ScanParams): (MaybeZero | null)[] {
  const { jaxpr, num_consts: nC, num_carry: nK, length, reverse, unroll } = params;
  const consts = args.slice(0, nC);
  const init = args.slice(nC, nC + nK);
  const xs = args.slice(nC + nK);
  const constLin = consts.map(isUndef);
  const xsLin = xs.map(isUndef);
  const numYs = jaxpr.outAvals.length - nK;
  const bodyIn = jaxpr.inAvals;
  const resConsts = consts.filter((c): c is Array => !isUndef(c));
  const resXs = xs.filter((x): x is Array => !isUndef(x));
  const accAvals = bodyIn.slice(0, nC).filter((_, i) => constLin[i]).map((a) => a.strongType());
  const carryAvals = bodyIn.slice(nC, nC + nK);
  const linXAvals = bodyIn.slice(nC + nK).filter((_, i) => xsLin[i]);
  const yAvals = jaxpr.outAvals.slice(nK);
  const nAcc = accAvals.length;
  const bodyLinear = [...constLin, ...fill(nK, true), ...xsLin];
  const bodyT = makeClosedJaxpr(
    (...a) => {
      let p = 0;
      const rc = a.slice(p, (p += resConsts.length));
      const acc = a.slice(p, (p += nAcc));
      const ctCarry = a.slice(p, (p += nK));
      const ctY = a.slice(p, (p += numYs));
      const rx = a.slice(p);
      const ctIn = backwardPassPartial(jaxpr, bodyLinear, [...rc, ...rx], [...ctCarry, ...ctY]);
      const newAcc = acc.map((s, j) => (ctIn[j] instanceof Zero ? s : lax.add(s, ctIn[j] as Array)));
      const ctCarryIn = ctIn.slice(nAcc, nAcc + nK).map((c, j) => instantiateAs(c, carryAvals[j]));
      const ctXs = ctIn.slice(nAcc + nK).map((c, j) => instantiateAs(c, linXAvals[j]));
      return [...newAcc, ...ctCarryIn, ...ctXs];
    },
    [...resConsts.map((c) => c.aval), ...accAvals, ...carryAvals, ...yAvals, ...resXs.map((x) => x.aval.update({ shape: x.aval.shape.slice(1) }))],
    "transpose",
  );
  const ctCarry = cts.slice(0, nK).map((c, i) => instantiateAs(c, carryAvals[i]));
  const ctYs = cts.slice(nK).map((c, i) => instantiateAs(c, yAvals[i].update({ shape: [length, ...yAvals[i].shape] })));
  const outs = bind("scan", [...resConsts, ...accAvals.map(zerosLikeAval), ...ctCarry, ...ctYs, ...resXs], {
    jaxpr: bodyT,
    length,
    linear: [...fill(resConsts.length, false), ...fill(nAcc + nK + numYs, true), ...fill(resXs.length, false)],
    num_carry: nAcc + nK,
    num_consts: resConsts.length,
    reverse: !reverse,
    unroll,
  });
  let c = 0;
  let x = nAcc + nK;
  return [
    ...consts.map((a) => (isUndef(a) ? outs[c++] : null)),
    ...init.map((a, i) => (isUndef(a) ? outs[nAcc + i] : null)),
    ...xs.map((a) => (isUndef(a) ? outs[x++] : null)),
  ];
}

export function scanBatchRule(vals: Array[], dims: BDim[], params: ScanParams, axis: AxisData): [Array[], BDim[]] {
  const { jaxpr, num_consts: nC, num_carry: nK } = params;
  const numYs = jaxpr.outAvals.length - nK;
  const bat = dims.map((d) => d !== null);
  const constBat = bat.slice(0, nC);
  const xsBat = bat.slice(nC + nK);
  let carryBat = bat.slice(nC, nC + nK);
  let batched = batchJaxpr(jaxpr, axis, [...constBat, ...carryBat, ...xsBat], [...carryBat, ...fill(numYs, false)]);
  for (let it = 0; it < nK && !sameFlags(batched.outBatched.slice(0, nK), carryBat); it++) {
    carryBat = carryBat.map((b, i) => b || batched.outBatched[i]);
    batched = batchJaxpr(jaxpr, axis, [...constBat, ...carryBat, ...xsBat], [...carryBat, ...fill(numYs, false)]);
  }
  const size = axis.size;
  const ops = vals.map((v, i) => {
    if (i < nC) return constBat[i] ? moveBatchAxis(v, dims[i], 0, size) : v;
    if (i < nC + nK) return carryBat[i - nC] ? moveBatchAxis(v, dims[i], 0, size) : v;
    return bat[i] ? moveBatchAxis(v, dims[i], 1, size) : v;
  });
  const outs = bind("scan", ops, { ...params, jaxpr: batched.jaxpr });
  return [outs, [...carryBat.map((b): BDim => (b ? 0 : null)), ...batched.outBatched.slice(nK).map((b): BDim => (b ? 1 : null))]];
}

/**
 * JAX's _scan_partial_eval (without its loop-invariant hoisting): a known scan
 * runs the known part of the body and stacks the residuals it computes as
 * extra ys; the unknown scan takes them as extra xs. Known consts and xs that
 * are residuals as they are (a weight matrix, an input sequence) are passed to
 * the unknown scan directly rather than re-stacked.
 */
function scanPartialEval(trace: PartialEvalTrace, tracers: PartialEvalTracer[], params: ScanParams): Array[] | null {
  const { jaxpr, num_consts: nC, num_carry: nK, length, linear } = params;
  const n = tracers.length;
  const numYs = jaxpr.outAvals.length - nK;
  const uk = tracers.map((t) => !t.known);
  const constUk = uk.slice(0, nC);
  const xsUk = uk.slice(nC + nK);
  let carryUk = uk.slice(nC, nC + nK);
  const opts = { forwardInvar: (i: number) => i < nC || i >= nC + nK, forwardConcrete: true };
  const run = () => partialEvalJaxpr(jaxpr, [...constUk, ...carryUk, ...xsUk], [...carryUk, ...fill(numYs, false)], opts);
  let pe = run();
  for (let it = 0; it < nK && !sameFlags(pe.outUnknowns.slice(0, nK), carryUk); it++) {
    carryUk = carryUk.map((u, i) => u || pe.outUnknowns[i]);
    pe = run();
  }
  const inUk = [...constUk, ...carryUk, ...xsUk];
  if (inUk.every((u) => u)) return null;
  const ysUk = pe.outUnknowns.slice(nK);
  const nKnownCarry = nK - count(carryUk);
  const nKnownYs = numYs - count(ysUk);

  // The known scan.
  const knownOps = tracers.flatMap((t, i) => (inUk[i] ? [] : [t.known!]));
  const knownOuts = pe.known.outAvals.length
    ? bind("scan", knownOps, {
        jaxpr: pe.known,
        length,
        linear: fill(knownOps.length, false),
        num_carry: nKnownCarry,
        num_consts: count(constUk.map((u) => !u)),
        reverse: params.reverse,
        unroll: params.unroll,
      })
    : [];
  const knownCarry = knownOuts.slice(0, nKnownCarry);
  const knownYs = knownOuts.slice(nKnownCarry, nKnownCarry + nKnownYs);
  const stackedRes = knownOuts.slice(nKnownCarry + nKnownYs);

  // Residuals: loop-invariant ones become consts of the unknown scan, per-iteration ones xs.
  const nRes = pe.residuals.length;
  const intensive: number[] = [];
  const extensive: number[] = [];
  const resVal: Array[] = [];
  let s = 0;
  pe.residuals.forEach((r, i) => {
    if (r.kind === "concrete") {
      intensive.push(i);
      resVal.push(r.value);
    } else if (r.kind === "invar") {
      (r.index < nC ? intensive : extensive).push(i);
      resVal.push(tracers[r.index].known!);
    } else {
      extensive.push(i);
      resVal.push(stackedRes[s++]);
    }
  });
  const ukIdx = range(n).filter((i) => inUk[i]);
  const nUkC = count(constUk);
  const nUkK = count(carryUk);
  // pe.unknown binders: [residuals..., unknown inputs...] -> [intensive, uk consts, uk carry, uk xs, extensive].
  const inOrder = [...intensive, ...range(ukIdx.length, nRes), ...extensive];
  const unknownBody = permuteJaxpr(pe.unknown, inOrder);
  const staged = stage(
    trace,
    "scan",
    [
      ...intensive.map((i) => residualTracer(trace, resVal[i])),
      ...ukIdx.map((i) => tracers[i]),
      ...extensive.map((i) => residualTracer(trace, resVal[i])),
    ],
    {
      ...params,
      jaxpr: unknownBody,
      num_consts: intensive.length + nUkC,
      num_carry: nUkK,
      linear: [...fill(intensive.length, false), ...ukIdx.map((i) => linear[i]), ...fill(extensive.length, false)],
    },
  );
  let kc = 0;
  let ky = 0;
  let uc = 0;
  let uy = nUkK;
  return [...carryUk.map((u) => (u ? staged[uc++] : knownCarry[kc++])), ...ysUk.map((u) => (u ? staged[uy++] : knownYs[ky++]))];
}

// =====================================================================================
// partial evaluation dispatch
// =====================================================================================

/**
 * PartialEvalTrace's rule for the control-flow primitives (some input unknown).
 * Returns null when the whole equation should simply be staged.
 */
export function controlFlowPartialEval(trace: PartialEvalTrace, prim: PrimitiveName, tracers: PartialEvalTracer[], params: unknown): Array[] | null {
  if (prim === "cond") return condPartialEval(trace, tracers, params as CondParams);
  if (prim === "while") return whilePartialEval(trace, tracers, params as WhileParams);
  if (prim === "scan") return scanPartialEval(trace, tracers, params as ScanParams);
  return null;
}
