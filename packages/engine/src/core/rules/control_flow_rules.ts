/**
 * Abstract evaluation of the structured control-flow primitives `cond`,
 * `while` and `scan`: check that operands match the inner jaxprs' input types
 * (shape and dtype; weak types are ignored, as JAX's typematch does) and give
 * the outputs' types (the jaxprs' output avals, with scan's `ys` stacked).
 */
import { ShapedArray, shapesEqual } from "../aval.js";
import type { ClosedJaxpr } from "../jaxpr.js";
import type { AbstractEvalTable } from "../shape_rule_types.js";

/** JAX's core.typematch on ShapedArrays: equal shape and dtype, weak type ignored. */
export function typematch(a: ShapedArray, b: ShapedArray): boolean {
  return a.dtype === b.dtype && shapesEqual(a.shape, b.shape);
}

const short = (avals: readonly ShapedArray[]) => avals.map((a) => a.strShort()).join(" ");

function checkInputs(prim: string, what: string, jaxpr: ClosedJaxpr, avals: readonly ShapedArray[]): void {
  const want = jaxpr.inAvals;
  if (want.length !== avals.length || !want.every((w, i) => typematch(w, avals[i])))
    throw new TypeError(`${prim} ${what} takes input types (${short(want)}) but was called with (${short(avals)}).`);
}

export const controlFlowAbstractEval: AbstractEvalTable<"cond" | "while" | "scan"> = {
  cond: (avals, { branches }) => {
    if (branches.length === 0) throw new TypeError("cond requires at least one branch function");
    const [index, ...ops] = avals;
    if (index.ndim !== 0 || index.dtype !== "int32")
      throw new TypeError(`cond index must be an int32 scalar, got ${index.strShort()}.`);
    const out0 = branches[0].outAvals;
    branches.forEach((b, i) => {
      checkInputs("cond", `branch ${i}`, b, ops);
      const outs = b.outAvals;
      if (outs.length !== out0.length || !outs.every((o, k) => typematch(o, out0[k])))
        throw new TypeError(`cond branches 0 and ${i} have different output types: (${short(out0)}) and (${short(outs)}).`);
    });
    return [...out0];
  },

  while: (avals, { cond_jaxpr, cond_nconsts, body_jaxpr, body_nconsts }) => {
    const cconsts = avals.slice(0, cond_nconsts);
    const bconsts = avals.slice(cond_nconsts, cond_nconsts + body_nconsts);
    const init = avals.slice(cond_nconsts + body_nconsts);
    checkInputs("while", "cond_jaxpr", cond_jaxpr, [...cconsts, ...init]);
    checkInputs("while", "body_jaxpr", body_jaxpr, [...bconsts, ...init]);
    const pred = cond_jaxpr.outAvals;
    if (pred.length !== 1 || pred[0].dtype !== "bool" || pred[0].ndim !== 0)
      throw new TypeError(`while cond_jaxpr must return a boolean scalar, got (${short(pred)}).`);
    const outs = body_jaxpr.outAvals;
    if (outs.length !== init.length || !outs.every((o, i) => typematch(o, init[i])))
      throw new TypeError(`while body_jaxpr output types (${short(outs)}) do not match the carry types (${short(init)}).`);
    return [...outs];
  },

  scan: (avals, { jaxpr, length, num_consts, num_carry, linear }) => {
    if (linear.length !== avals.length) throw new TypeError(`scan given ${linear.length} linear flags for ${avals.length} operands.`);
    const consts = avals.slice(0, num_consts);
    const init = avals.slice(num_consts, num_consts + num_carry);
    const xs = avals.slice(num_consts + num_carry);
    for (const x of xs)
      if (x.ndim === 0 || x.shape[0] !== length)
        throw new TypeError(`scan got an xs operand of type ${x.strShort()} for a scan of length ${length}.`);
    const xAvals = xs.map((x) => new ShapedArray(x.shape.slice(1), x.dtype, x.weakType));
    checkInputs("scan", "jaxpr", jaxpr, [...consts, ...init, ...xAvals]);
    const outs = jaxpr.outAvals;
    const carryOut = outs.slice(0, num_carry);
    if (!carryOut.every((o, i) => typematch(o, init[i])))
      throw new TypeError(`scan carry output types (${short(carryOut)}) do not match the carry input types (${short(init)}).`);
    const ys = outs.slice(num_carry).map((y) => new ShapedArray([length, ...y.shape], y.dtype, y.weakType));
    return [...carryOut, ...ys];
  },
};
