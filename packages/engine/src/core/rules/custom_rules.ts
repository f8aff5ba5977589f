/**
 * The custom-derivative primitives' params, abstract-eval rules and printing:
 * `stop_gradient` (identity), `custom_jvp_call` / `custom_vjp_call` (a call of
 * `call_jaxpr` that carries the user's rules) and `custom_lin` (the linear
 * placeholder a custom_vjp leaves in a linearized program; its transpose runs
 * the user's bwd). Printing follows JAX's pp rules in custom_derivatives.py:
 * `custom_jvp_call[name=f call_jaxpr={ ... } jvp=f_jvp symbolic_zeros=False]`.
 */
import type { ShapedArray } from "../aval.js";
import type { ClosedJaxpr } from "../jaxpr.js";
import type { PrimitiveName, PrimitiveParams } from "../primitives.js";
import type { Array } from "../tracer.js";
import type { AbstractEvalTable } from "../shape_rule_types.js";

/** A user function carried as a param; it prints as its name (JAX prints `debug_info.func_name`). */
export interface NamedRule {
  /** The rule's own name (`f_jvp`, `f_fwd`, ...). */
  readonly name: string;
  /** The name of the custom function the rule belongs to (printed as `name=`). */
  readonly primalName: string;
  toString(): string;
}

/** A custom_jvp rule over flat operands (consts excluded): primal and tangent outputs. */
export interface CustomJvpRule extends NamedRule {
  run(primals: readonly Array[], tangents: readonly Array[]): [Array[], Array[]];
}

/** A custom_vjp forward rule over flat operands (consts excluded): residuals and primal outputs. */
export interface CustomVjpFwd extends NamedRule {
  run(primals: readonly Array[]): { res: Array[]; outs: Array[] };
}

/** A custom_vjp backward rule: one cotangent per flat operand (consts excluded); null is a zero cotangent. */
export interface CustomVjpBwd extends NamedRule {
  run(res: readonly Array[], cts: readonly Array[]): (Array | null)[];
}

/** JAX's `out_trees` thunk: the output and residual tree structures, known once fwd has run. */
export interface OutTrees {
  (): { out: unknown; res: unknown };
  toString(): string;
}

export type CustomJvpCallParams = {
  call_jaxpr: ClosedJaxpr;
  jvp_jaxpr_fun: CustomJvpRule;
  num_consts: number;
  symbolic_zeros: boolean;
};

export type CustomVjpCallParams = {
  call_jaxpr: ClosedJaxpr;
  fwd_jaxpr_thunk: CustomVjpFwd;
  bwd: CustomVjpBwd;
  num_consts: number;
  out_trees: OutTrees;
  symbolic_zeros: boolean;
};

export type CustomLinParams = {
  num_res: number;
  bwd: CustomVjpBwd;
  out_avals: readonly ShapedArray[];
  symbolic_zeros: boolean;
  in_zeros: readonly boolean[];
};

type CustomPrim = "stop_gradient" | "custom_jvp_call" | "custom_vjp_call" | "custom_lin";

function callAval(kind: string, avals: readonly ShapedArray[], call: ClosedJaxpr): ShapedArray[] {
  const want = call.inAvals;
  if (avals.length !== want.length || avals.some((a, i) => a.dtype !== want[i].dtype || a.shape.join() !== want[i].shape.join()))
    throw new TypeError(`${kind} called with ${avals.map((a) => a.strShort()).join(", ")} but its call_jaxpr takes ${want.map((a) => a.strShort()).join(", ")}.`);
  return call.outAvals;
}

export const customAbstractEval: AbstractEvalTable<CustomPrim> = {
  stop_gradient: (avals) => {
    if (avals.length !== 1) throw new TypeError(`stop_gradient takes one operand, got ${avals.length}.`);
    return [avals[0]];
  },
  custom_jvp_call: (avals, { call_jaxpr }) => callAval("custom_jvp_call", avals, call_jaxpr),
  custom_vjp_call: (avals, { call_jaxpr }) => callAval("custom_vjp_call", avals, call_jaxpr),
  custom_lin: (_avals, { out_avals }) => [...out_avals],
};

/** Printed params, in order, of a primitive whose printing differs from `prim[k=v ...]` with sorted keys. */
export type PpParamsRule<P extends PrimitiveName> = (params: PrimitiveParams[P]) => [string, unknown][];

const sortedEntries = (r: Record<string, unknown>): [string, unknown][] => Object.keys(r).sort().map((k) => [k, r[k]]);

export const customPpParams: { [P in CustomPrim]?: PpParamsRule<P> } = {
  // JAX: drop num_consts when 0, print the rule by name as `jvp`, `name` (the function's) first.
  custom_jvp_call: (p) => {
    const r: Record<string, unknown> = { call_jaxpr: p.call_jaxpr, jvp: p.jvp_jaxpr_fun.name, symbolic_zeros: p.symbolic_zeros };
    if (p.num_consts) r.num_consts = p.num_consts;
    return [["name", p.jvp_jaxpr_fun.primalName], ...sortedEntries(r)];
  },
  custom_vjp_call: (p) => {
    const r: Record<string, unknown> = { call_jaxpr: p.call_jaxpr, fwd: p.fwd_jaxpr_thunk.name, bwd: p.bwd.name, symbolic_zeros: p.symbolic_zeros };
    if (p.num_consts) r.num_consts = p.num_consts;
    return [["name", p.fwd_jaxpr_thunk.primalName], ...sortedEntries(r)];
  },
  custom_lin: (p) => sortedEntries({ bwd: p.bwd.name, in_zeros: p.in_zeros, num_res: p.num_res, symbolic_zeros: p.symbolic_zeros }),
};
