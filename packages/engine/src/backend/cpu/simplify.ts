/**
 * The algebraic rewrites XLA applies when compiling a jitted computation whose
 * effect is visible in float results, so jitted Kiln code computes the same
 * numbers as jitted JAX code: division by a constant becomes multiplication by
 * its (rounded) reciprocal, as XLA's AlgebraicSimplifier does (`A / C => A * (1/C)`).
 */
import { Jaxpr, type JaxprEqn, Literal } from "../../core/jaxpr.js";
import { castScalar, isFloat } from "../../core/dtype.js";

function rewrite(e: JaxprEqn): JaxprEqn {
  if (e.primitive !== "div") return e;
  const [a, b] = e.inputs;
  if (!(b instanceof Literal) || !isFloat(b.aval.dtype) || b.aval.dtype === "float16") return e;
  const recip = castScalar(1 / b.val, b.aval.dtype);
  return { primitive: "mul", inputs: [a, new Literal(recip, b.aval)], params: {}, outBinders: e.outBinders };
}

export function simplifyJaxpr(jaxpr: Jaxpr): Jaxpr {
  return new Jaxpr(jaxpr.constvars, jaxpr.invars, jaxpr.eqns.map(rewrite), jaxpr.outvars);
}
