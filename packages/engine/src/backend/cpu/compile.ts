/**
 * Compiling a closed jaxpr for the CPU: a straight-line plan over the equations
 * in which runs of elementwise equations become one generated loop each
 * (see fusion.ts), and every intermediate is dropped after its last use so
 * memory stays flat.
 */
import type { ShapedArray } from "../../core/aval.js";
import { type ClosedJaxpr, Literal, Var, type JaxprEqn } from "../../core/jaxpr.js";
import type { PrimitiveName, PrimitiveParams } from "../../core/primitives.js";
import type { HostArray } from "./host_array.js";
import { cpuImpls } from "./impls.js";
import { allocTyped } from "../../core/dtype.js";
import { planFusion, type FusedGroup } from "./fusion.js";
import { broadcastInputs } from "./broadcast.js";
import { simplifyJaxpr } from "./simplify.js";

type Step =
  | { kind: "eqn"; eqn: JaxprEqn; run: (ins: HostArray[]) => HostArray[] }
  | { kind: "fused"; group: FusedGroup };

export function compileJaxprCpu(closed: ClosedJaxpr, compileInner: (c: ClosedJaxpr) => (ins: readonly object[]) => object[]): (ins: readonly HostArray[]) => HostArray[] {
  const jaxpr = simplifyJaxpr(closed.jaxpr);
  const consts = closed.consts.map((c) => (c as unknown as { buffer: HostArray }).buffer);
  const plan: Step[] = planFusion(jaxpr).map((item) => {
    if ("group" in item) return { kind: "fused", group: item.group };
    const eqn = item.eqn;
    if (eqn.primitive === "jit") {
      const inner = compileInner((eqn.params as PrimitiveParams["jit"]).jaxpr);
      return { kind: "eqn", eqn, run: (ins) => inner(ins) as HostArray[] };
    }
    const impl = cpuImpls[eqn.primitive as Exclude<PrimitiveName, "jit">] as unknown as (i: HostArray[], p: unknown, o: readonly ShapedArray[]) => HostArray[];
    const outAvals = eqn.outBinders.map((v) => v.aval);
    const outShape = outAvals[0]?.shape ?? [];
    return { kind: "eqn", eqn, run: (ins) => impl(broadcastInputs(eqn.primitive, ins, outShape) as HostArray[], eqn.params, outAvals) };
  });

  // Last use of each var, as an index into the plan (outputs live to the end).
  const lastUse = new Map<Var, number>();
  plan.forEach((s, i) => {
    const inputs = s.kind === "eqn" ? s.eqn.inputs : s.group.inputs;
    for (const a of inputs) if (a instanceof Var) lastUse.set(a, i);
  });
  for (const o of jaxpr.outvars) if (o instanceof Var) lastUse.set(o, Infinity);
  const literalCache = new Map<Literal, HostArray>();
  const literal = (l: Literal): HostArray => {
    let h = literalCache.get(l);
    if (!h) {
      const data = allocTyped(l.aval.dtype, 1);
      data[0] = l.val;
      h = { shape: [], dtype: l.aval.dtype, data };
      literalCache.set(l, h);
    }
    return h;
  };

  return (args) => {
    const env = new Map<Var, HostArray>();
    jaxpr.constvars.forEach((v, i) => env.set(v, consts[i]));
    jaxpr.invars.forEach((v, i) => env.set(v, args[i]));
    const read = (a: Var | Literal): HostArray => {
      if (a instanceof Literal) return literal(a);
      const h = env.get(a);
      if (!h) throw new Error("internal: unbound var in CPU plan");
      return h;
    };
    for (let i = 0; i < plan.length; i++) {
      const s = plan[i];
      if (s.kind === "eqn") {
        const outs = s.run(s.eqn.inputs.map(read));
        s.eqn.outBinders.forEach((v, k) => env.set(v, outs[k]));
        for (const a of s.eqn.inputs) if (a instanceof Var && lastUse.get(a) === i) env.delete(a);
      } else {
        const outs = s.group.run(s.group.inputs.map(read));
        s.group.outputs.forEach((v, k) => env.set(v, outs[k]));
        for (const a of s.group.inputs) if (a instanceof Var && lastUse.get(a) === i) env.delete(a);
      }
    }
    // Outputs never alias inputs, constants or cached literals (callers may free or donate those).
    const passthrough = new Set<Var | Literal>([...jaxpr.invars, ...jaxpr.constvars]);
    return jaxpr.outvars.map((o) => {
      const h = read(o);
      return o instanceof Literal || passthrough.has(o) ? { shape: h.shape, dtype: h.dtype, data: h.data.slice() } : h;
    });
  };
}
