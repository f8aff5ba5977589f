/**
 * Partial evaluation (Autodidax's PartialEvalTrace): values are either known
 * (computed now, on the traces below) or unknown (staged into a jaxpr through
 * recipes). Linearize = jvp under partial evaluation with known primals and
 * unknown tangents: the known part runs, the tangent part becomes a linear
 * jaxpr that `transpose.ts` runs backwards for reverse mode.
 */
import type { ShapedArray } from "../core/aval.js";
import { Jaxpr, type JaxprEqn, Var } from "../core/jaxpr.js";
import type { PrimitiveName, PrimitiveParams } from "../core/primitives.js";
import { abstractEval } from "../core/abstract_eval.js";
import { type Array, type MainTrace, type ScalarConversion, Trace, Tracer, bind, withMainTrace } from "../core/tracer.js";
import { evalClosedJaxpr } from "./eval_jaxpr.js";
import { type MaybeZero, instantiate } from "./ad_util.js";
import { jvpFlat } from "./jvp.js";
import { controlFlowPartialEval } from "./control_flow_rules.js";

type Recipe =
  | { kind: "lambda" }
  | { kind: "const"; val: Array }
  | { kind: "eqn"; eqn: EqnRecipe };

interface EqnRecipe {
  prim: PrimitiveName;
  inputs: PartialEvalTracer[];
  params: unknown;
  outs: PartialEvalTracer[];
}

export class PartialEvalTracer extends Tracer {
  recipe: Recipe | null = null;
  constructor(
    readonly trace: PartialEvalTrace,
    readonly aval: ShapedArray,
    /** The value when known; null when it is staged. */
    readonly known: Array | null,
  ) {
    super();
  }
  override fullLower(): Array {
    return this.known ?? this;
  }
  concreteScalar(what: ScalarConversion): number {
    if (this.known) return this.known.concreteScalar(what);
    throw new Error("Cannot read the value of a linearized (tangent) quantity: it is only known symbolically during differentiation.");
  }
}

export class PartialEvalTrace extends Trace {
  newArg(aval: ShapedArray): PartialEvalTracer {
    const t = new PartialEvalTracer(this, aval, null);
    t.recipe = { kind: "lambda" };
    return t;
  }
  pure(x: Array): PartialEvalTracer {
    return new PartialEvalTracer(this, x.aval, x);
  }
  lift(x: Tracer): PartialEvalTracer {
    return new PartialEvalTracer(this, x.aval, x);
  }
  instantiateConst(t: PartialEvalTracer): PartialEvalTracer {
    if (!t.known) return t;
    const u = new PartialEvalTracer(this, t.aval, null);
    u.recipe = { kind: "const", val: t.known };
    return u;
  }
  processPrimitive<P extends PrimitiveName>(prim: P, tracers: Array[], params: PrimitiveParams[P]): Array[] {
    const ts = tracers as PartialEvalTracer[];
    if (ts.every((t) => t.known)) return bind(prim, ts.map((t) => t.known!), params);
    // jit is inlined: its equations are partially evaluated one by one.
    if (prim === "jit") return evalClosedJaxpr((params as PrimitiveParams["jit"]).jaxpr, ts);
    // cond/while/scan: known and unknown parts split inside the inner jaxprs (control_flow_rules.ts).
    if (prim === "cond" || prim === "while" || prim === "scan") {
      const outs = controlFlowPartialEval(this, prim, ts, params);
      if (outs) return outs;
    }
    // As in JAX, partial evaluation with unknown operands (building a linear program) drops custom rules.
    if (prim === "custom_jvp_call" || prim === "custom_vjp_call") return evalClosedJaxpr((params as PrimitiveParams["custom_jvp_call"]).call_jaxpr, ts);
    const inputs = ts.map((t) => this.instantiateConst(t));
    const avals = abstractEval(prim, inputs.map((t) => t.aval), params);
    const outs = avals.map((a) => new PartialEvalTracer(this, a, null));
    const eqn: EqnRecipe = { prim, inputs, params, outs };
    for (const o of outs) o.recipe = { kind: "eqn", eqn };
    return outs;
  }
}

/** Build the jaxpr computing `outs` from the lambda-bound `ins`; known constants become constvars. */
export function tracersToJaxpr(ins: readonly PartialEvalTracer[], outs: readonly PartialEvalTracer[]): { jaxpr: Jaxpr; consts: Array[] } {
  const varOf = new Map<PartialEvalTracer, Var>();
  const constvars: Var[] = [];
  const consts: Array[] = [];
  const eqns: JaxprEqn[] = [];
  const done = new Set<EqnRecipe>();
  for (const t of ins) varOf.set(t, new Var(t.aval));
  // Iterative post-order over recipes so deep programs don't overflow the stack.
  const visit = (root: PartialEvalTracer) => {
    const stack: [PartialEvalTracer, boolean][] = [[root, false]];
    while (stack.length) {
      const [t, expanded] = stack.pop()!;
      if (varOf.has(t)) continue;
      const r = t.recipe!;
      if (r.kind === "const") {
        const v = new Var(t.aval);
        varOf.set(t, v);
        constvars.push(v);
        consts.push(r.val);
      } else if (r.kind === "lambda") {
        throw new Error("internal: a tangent input that is not an argument of this linearization");
      } else if (done.has(r.eqn)) {
        continue;
      } else if (!expanded) {
        stack.push([t, true]);
        for (const i of r.eqn.inputs) if (!varOf.has(i)) stack.push([i, false]);
      } else {
        done.add(r.eqn);
        for (const o of r.eqn.outs) varOf.set(o, new Var(o.aval));
        eqns.push({ primitive: r.eqn.prim, inputs: r.eqn.inputs.map((i) => varOf.get(i)!), params: r.eqn.params as never, outBinders: r.eqn.outs.map((o) => varOf.get(o)!) });
      }
    }
  };
  for (const o of outs) visit(o);
  return { jaxpr: new Jaxpr(constvars, ins.map((t) => varOf.get(t)!), eqns, outs.map((o) => varOf.get(o)!)), consts };
}

export interface Linearized {
  primalsOut: Array[];
  /** The linear map from input tangents to output tangents, as a jaxpr with residual consts. */
  jaxpr: Jaxpr;
  consts: Array[];
}

/** jvp + partial evaluation: the primal outputs and the linear tangent program. */
export function linearizeFlat(f: (...xs: Array[]) => Array[], primals: readonly Array[]): Linearized {
  return withMainTrace(PartialEvalTrace, null, (main: MainTrace) => {
    const trace = new PartialEvalTrace(main);
    const primalTracers = primals.map((p) => trace.pure(p));
    const tangentTracers = primals.map((p) => trace.newArg(p.aval));
    const [outsP, outsT] = jvpFlat(f, primalTracers, tangentTracers);
    const primalsOut = outsP.map((o) => {
      const t = trace.fullRaise(o) as PartialEvalTracer;
      if (!t.known) throw new Error("internal: primal output depends on tangents");
      return t.known;
    });
    const tangentOut = outsT.map((t: MaybeZero) => trace.instantiateConst(trace.fullRaise(instantiate(t)) as PartialEvalTracer));
    const { jaxpr, consts } = tracersToJaxpr(tangentTracers, tangentOut);
    return { primalsOut, jaxpr, consts };
  });
}
