/**
 * Evaluating a jaxpr by binding its equations on whatever trace the inputs
 * belong to — the interpreter every transformation reuses to look inside a
 * jaxpr (jit's jvp, partial evaluation, vmap).
 */
import { type ClosedJaxpr, type Jaxpr, Literal, type Var } from "../core/jaxpr.js";
import { type Array, bind } from "../core/tracer.js";
import { scalar } from "../array.js";

export function evalJaxpr(jaxpr: Jaxpr, consts: readonly Array[], args: readonly Array[]): Array[] {
  const env = new Map<Var, Array>();
  jaxpr.constvars.forEach((v, i) => env.set(v, consts[i]));
  jaxpr.invars.forEach((v, i) => env.set(v, args[i]));
  const read = (a: Var | Literal): Array => (a instanceof Literal ? scalar(a.val, a.aval.dtype, a.aval.weakType) : env.get(a)!);
  for (const e of jaxpr.eqns) {
    const outs = bind(e.primitive, e.inputs.map(read), e.params as never);
    e.outBinders.forEach((v, i) => env.set(v, outs[i]));
  }
  return jaxpr.outvars.map(read);
}

export function evalClosedJaxpr(closed: ClosedJaxpr, args: readonly Array[]): Array[] {
  return evalJaxpr(closed.jaxpr, closed.consts, args);
}
