/**
 * A backend-agnostic eager implementation of `cond`, `while` and `scan` on
 * concrete Arrays: the inner jaxprs are evaluated with evalClosedJaxpr (each
 * equation runs on the operands' backend) and the branch index / loop
 * predicate is read with concreteScalar. The CPU backend has its own faster
 * host-buffer implementation (backend/cpu/control_flow.ts); a backend without
 * one can call this from its executePrimitive path.
 */
import type { PrimitiveName, PrimitiveParams } from "../../core/primitives.js";
import type { Array } from "../../core/tracer.js";
import * as lax from "../../lax/lax.js";
import { evalClosedJaxpr } from "../eval_jaxpr.js";

export type ControlFlowPrimitive = "cond" | "while" | "scan";

export function isControlFlowPrimitive(prim: PrimitiveName): prim is ControlFlowPrimitive {
  return prim === "cond" || prim === "while" || prim === "scan";
}

const row = (x: Array, i: number) => lax.reshape(lax.sliceInDim(x, i, i + 1, 1, 0), x.shape.slice(1));
const stack = (rows: readonly Array[], shape: readonly number[], dtype: Array["dtype"]) =>
  rows.length
    ? lax.concatenate(rows.map((r) => lax.broadcastInDim(r, [1, ...r.shape], r.shape.map((_, k) => k + 1))), 0)
    : lax.broadcastInDim(lax.convertElementType(0, dtype), shape, []);

export function evalControlFlow<P extends ControlFlowPrimitive>(prim: P, args: readonly Array[], params: PrimitiveParams[P]): Array[] {
  if (prim === "cond") {
    const { branches } = params as PrimitiveParams["cond"];
    const i = Math.min(Math.max(args[0].concreteScalar("index"), 0), branches.length - 1);
    return evalClosedJaxpr(branches[i], args.slice(1));
  }
  if (prim === "while") {
    const { cond_jaxpr, cond_nconsts, body_jaxpr, body_nconsts } = params as PrimitiveParams["while"];
    const cc = args.slice(0, cond_nconsts);
    const bc = args.slice(cond_nconsts, cond_nconsts + body_nconsts);
    let carry = args.slice(cond_nconsts + body_nconsts);
    while (evalClosedJaxpr(cond_jaxpr, [...cc, ...carry])[0].concreteScalar("bool")) carry = evalClosedJaxpr(body_jaxpr, [...bc, ...carry]);
    return carry;
  }
  const { jaxpr, length, num_consts, num_carry, reverse } = params as PrimitiveParams["scan"];
  const consts = args.slice(0, num_consts);
  let carry = args.slice(num_consts, num_consts + num_carry);
  const xs = args.slice(num_consts + num_carry);
  const yAvals = jaxpr.outAvals.slice(num_carry);
  const ys: Array[][] = yAvals.map(() => []);
  for (let t = 0; t < length; t++) {
    const i = reverse ? length - 1 - t : t;
    const outs = evalClosedJaxpr(jaxpr, [...consts, ...carry, ...xs.map((x) => row(x, i))]);
    carry = outs.slice(0, num_carry);
    outs.slice(num_carry).forEach((y, k) => (ys[k][i] = y));
  }
  return [...carry, ...ys.map((rows, k) => stack(rows, [length, ...yAvals[k].shape], yAvals[k].dtype))];
}
