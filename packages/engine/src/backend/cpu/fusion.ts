/**
 * Elementwise fusion for the CPU backend. Runs of elementwise equations over
 * one output shape (with scalar, size-1 and broadcast_in_dim operands folded
 * in as zero strides) are compiled into a single generated JS loop nest: one
 * pass over memory and no intermediate arrays. Values are rounded after each
 * operation exactly as storing them would (Math.fround for float32, |0 for
 * int32), so fused and unfused results agree.
 */
import { type Atom, type Jaxpr, type JaxprEqn, Literal, Var } from "../../core/jaxpr.js";
import { type DType, allocTyped } from "../../core/dtype.js";
import type { PrimitiveParams } from "../../core/primitives.js";
import type { HostArray } from "./host_array.js";
import { shapesEqual, stridesOf } from "../../core/aval.js";

export interface FusedGroup {
  readonly inputs: readonly Atom[];
  readonly outputs: readonly Var[];
  readonly run: (ins: HostArray[]) => HostArray[];
}

export type PlanItem = { eqn: JaxprEqn } | { group: FusedGroup };

const FUSIBLE_DTYPES = new Set<DType>(["float32", "float64", "int32", "uint32", "bool"]);

/** Round a JS number expression to dtype `d` as a typed-array store would. */
function cast(expr: string, d: DType): string {
  switch (d) {
    case "float32":
      return `Math.fround(${expr})`;
    case "int32":
      return `((${expr})|0)`;
    case "uint32":
      return `((${expr})>>>0)`;
    case "bool":
      return `((${expr})?1:0)`;
    default:
      return `(${expr})`;
  }
}

const isF = (d: DType) => d === "float32" || d === "float64";

/** JS expression for one equation, or null if this equation can't be fused. */
function exprFor(eqn: JaxprEqn, args: string[], inDtypes: DType[]): string | null {
  const out = eqn.outBinders[0].aval.dtype;
  const d = inDtypes[0];
  const [a, b] = args;
  const float = (e: string) => (isF(out) ? cast(e, out) : null);
  switch (eqn.primitive) {
    case "add":
      return out === "bool" ? null : cast(`${a}+${b}`, out);
    case "sub":
      return out === "bool" ? null : cast(`${a}-${b}`, out);
    case "mul":
      if (out === "int32") return `Math.imul(${a},${b})`;
      if (out === "uint32") return `(Math.imul(${a},${b})>>>0)`;
      return out === "bool" ? null : cast(`${a}*${b}`, out);
    case "div":
      return float(`${a}/${b}`);
    case "neg":
      return out === "bool" ? null : cast(`-${a}`, out);
    case "max":
      return isF(out) ? cast(`Math.max(${a},${b})`, out) : cast(`(${a}>${b}?${a}:${b})`, out);
    case "min":
      return isF(out) ? cast(`Math.min(${a},${b})`, out) : cast(`(${a}<${b}?${a}:${b})`, out);
    case "abs":
      return isF(out) ? cast(`Math.abs(${a})`, out) : out === "int32" ? `((${a}<0?-${a}:${a})|0)` : null;
    case "sign":
      return isF(out) ? cast(`(${a}>0?1:${a}<0?-1:${a})`, out) : out === "int32" ? `(${a}>0?1:${a}<0?-1:0)` : null;
    case "exp":
      return float(`Math.exp(${a})`);
    case "exp2":
      return float(`Math.pow(2,${a})`);
    case "log":
      return float(`Math.log(${a})`);
    case "log1p":
      return float(`Math.log1p(${a})`);
    case "expm1":
      return float(`Math.expm1(${a})`);
    case "sin":
      return float(`Math.sin(${a})`);
    case "cos":
      return float(`Math.cos(${a})`);
    case "tan":
      return float(`Math.tan(${a})`);
    case "tanh":
      return float(`Math.tanh(${a})`);
    case "sqrt":
      return float(`Math.sqrt(${a})`);
    case "rsqrt":
      return float(`1/Math.sqrt(${a})`);
    case "logistic":
      return float(`1/(1+Math.exp(-${a}))`);
    case "floor":
      return float(`Math.floor(${a})`);
    case "ceil":
      return float(`Math.ceil(${a})`);
    case "pow":
      return isF(out) && inDtypes.every(isF) ? cast(`Math.pow(${a},${b})`, out) : null;
    case "integer_pow": {
      // Binary exponentiation rounded after every multiply, exactly as the unfused kernel does.
      const y = (eqn.params as PrimitiveParams["integer_pow"]).y;
      if (!isF(out)) return null;
      return `ipow${out === "float32" ? "32" : "64"}(${a},${y})`;
    }
    case "eq":
      return `(${a}===${b}?1:0)`;
    case "ne":
      return `(${a}!==${b}?1:0)`;
    case "lt":
      return `(${a}<${b}?1:0)`;
    case "le":
      return `(${a}<=${b}?1:0)`;
    case "gt":
      return `(${a}>${b}?1:0)`;
    case "ge":
      return `(${a}>=${b}?1:0)`;
    case "and":
      return isF(out) ? null : cast(`${a}&${b}`, out);
    case "or":
      return isF(out) ? null : cast(`${a}|${b}`, out);
    case "xor":
      return isF(out) ? null : cast(`${a}^${b}`, out);
    case "not":
      return out === "bool" ? `(${a}^1)` : isF(out) ? null : cast(`~${a}`, out);
    case "select_n": {
      const cases = args.slice(1);
      if (cases.length === 1) return cases[0];
      let e = cases[cases.length - 1];
      for (let k = cases.length - 2; k >= 0; k--) e = `(${a}===${k}?${cases[k]}:${e})`;
      return e;
    }
    case "convert_element_type": {
      if (out === "float16" || d === "float16") return null;
      if (isF(out)) return cast(a, out);
      if (out === "bool") return `(${a}!==0?1:0)`;
      if (!isF(d)) return cast(a, out);
      if (out === "int32") return `(${a}!==${a}?0:${a}>=2147483647?2147483647:${a}<=-2147483648?-2147483648:Math.trunc(${a}))`;
      return null;
    }
    default:
      return null;
  }
}

/** integer_pow helpers available to generated loops (binary exponentiation, rounded per multiply). */
const POW_HELPERS =
  "const ipowImpl=(x,y,r)=>{if(y===0)return 1;let acc,base=x;for(let n=Math.abs(y);n>0;){if(n&1)acc=acc===undefined?base:r(acc*base);n=Math.floor(n/2);if(n>0)base=r(base*base);}return y>0?acc:r(1/acc);};" +
  "const ipow32=(x,y)=>ipowImpl(x,y,Math.fround);const ipow64=(x,y)=>ipowImpl(x,y,(v)=>v);";

/** Strides of an operand of shape `s` broadcast (numpy-style, same rank or scalar) to `out`. */
function broadcastStrides(s: readonly number[], out: readonly number[]): number[] | null {
  if (s.length === 0) return out.map(() => 0);
  if (s.length !== out.length) return null;
  const st = stridesOf(s);
  const r: number[] = [];
  for (let i = 0; i < out.length; i++) {
    if (s[i] === out[i]) r.push(s[i] === 1 ? 0 : st[i]);
    else if (s[i] === 1) r.push(0);
    else return null;
  }
  return r;
}

interface Source {
  atom: Atom;
  strides: number[];
}

function tryCompile(eqns: JaxprEqn[], outShape: readonly number[], sources: Source[], produced: Map<Var, string>, outputs: Var[]): FusedGroup | null {
  if (outputs.length === 0) return null;
  const nd = outShape.length;
  const lines: string[] = [];
  const names = new Map<Var, string>(produced);
  const inputNames = sources.map((_, k) => `in${k}`);
  const body: string[] = [];
  sources.forEach((s, k) => {
    if (s.atom instanceof Var) names.set(s.atom, `v_in${k}`);
  });
  const atomExpr = (a: Atom): string => {
    if (a instanceof Literal) return Number.isNaN(a.val) ? "NaN" : a.val === Infinity ? "Infinity" : a.val === -Infinity ? "-Infinity" : `(${a.val})`;
    const n = names.get(a);
    if (!n) throw new Error("internal: unbound var in fusion");
    return n;
  };
  let tmp = 0;
  for (const e of eqns) {
    const expr = exprFor(e, e.inputs.map(atomExpr), e.inputs.map((x) => x.aval.dtype));
    if (expr === null) return null;
    const v = `t${tmp++}`;
    body.push(`const ${v}=${expr};`);
    names.set(e.outBinders[0], v);
  }
  sources.forEach((s, k) => {
    if (s.atom instanceof Var) body.unshift(`const v_in${k}=${inputNames[k]}[o${k}];`);
  });
  outputs.forEach((v, k) => body.push(`out${k}[i]=${names.get(v)};`));
  // Loop nest over output dims with one running offset per source.
  const size = outShape.reduce((p, q) => p * q, 1);
  lines.push(`let i=0;`);
  sources.forEach((_, k) => lines.push(`let o${k}=0;`));
  const open: string[] = [];
  const close: string[] = [];
  for (let d = 0; d < nd; d++) {
    open.push(`for(let j${d}=0;j${d}<${outShape[d]};j${d}++){`);
    const adv = sources.map((s, k) => (s.strides[d] ? `o${k}+=${s.strides[d]};` : "")).join("");
    const rewind = sources.map((s, k) => (s.strides[d] ? `o${k}-=${s.strides[d] * outShape[d]};` : "")).join("");
    close.unshift(`${adv}}${rewind}`);
  }
  const src =
    POW_HELPERS +
    lines.join("") +
    open.join("") +
    body.join("") +
    "i++;" +
    close.join("") +
    "";
  const params = [...inputNames, ...outputs.map((_, k) => `out${k}`)];
  let fn: (...a: unknown[]) => void;
  try {
    fn = new Function(...params, src) as (...a: unknown[]) => void;
  } catch {
    return null; // e.g. a Content-Security-Policy without 'unsafe-eval': run unfused.
  }
  const outAvals = outputs.map((v) => v.aval);
  return {
    inputs: sources.map((s) => s.atom),
    outputs,
    run: (ins) => {
      const outs = outAvals.map((a) => ({ shape: a.shape, dtype: a.dtype, data: allocTyped(a.dtype, size) }));
      if (size > 0) fn(...ins.map((h) => h.data), ...outs.map((o) => o.data));
      return outs;
    },
  };
}

/**
 * Split the jaxpr's equations into plan items: maximal runs of consecutive
 * fusible elementwise equations with one output shape become groups.
 */
export function planFusion(jaxpr: Jaxpr): PlanItem[] {
  const eqns = jaxpr.eqns;
  // Which vars are read by which equation index (to find group outputs).
  const readers = new Map<Var, number[]>();
  eqns.forEach((e, i) => {
    for (const a of e.inputs) if (a instanceof Var) readers.set(a, [...(readers.get(a) ?? []), i]);
  });
  const jaxprOuts = new Set(jaxpr.outvars.filter((a): a is Var => a instanceof Var));

  const plan: PlanItem[] = [];
  let i = 0;
  while (i < eqns.length) {
    const e = eqns[i];
    const shape = e.outBinders[0]?.aval.shape;
    const startable = e.outBinders.length === 1 && FUSIBLE_DTYPES.has(e.outBinders[0].aval.dtype) && exprFor(e, e.inputs.map(() => "x"), e.inputs.map((x) => x.aval.dtype)) !== null;
    if (!startable || !shape) {
      plan.push({ eqn: e });
      i++;
      continue;
    }
    // Grow the run.
    let j = i;
    const inGroup = new Set<Var>();
    while (j < eqns.length) {
      const f = eqns[j];
      if (f.outBinders.length !== 1 || !shapesEqual(f.outBinders[0].aval.shape, shape)) break;
      if (!FUSIBLE_DTYPES.has(f.outBinders[0].aval.dtype) || f.inputs.some((x) => !FUSIBLE_DTYPES.has(x.aval.dtype))) break;
      if (exprFor(f, f.inputs.map(() => "x"), f.inputs.map((x) => x.aval.dtype)) === null) break;
      if (f.inputs.some((x) => !(x instanceof Var && inGroup.has(x)) && broadcastStrides(x.aval.shape, shape) === null)) break;
      inGroup.add(f.outBinders[0]);
      j++;
    }
    const run = eqns.slice(i, j);
    if (run.length < 2) {
      plan.push({ eqn: e });
      i++;
      continue;
    }
    const sources: Source[] = [];
    const seen = new Map<Atom, number>();
    for (const f of run)
      for (const x of f.inputs) {
        if (x instanceof Literal || inGroup.has(x as Var) || seen.has(x)) continue;
        seen.set(x, sources.length);
        sources.push({ atom: x, strides: broadcastStrides(x.aval.shape, shape)! });
      }
    const outputs = run
      .map((f) => f.outBinders[0])
      .filter((v) => jaxprOuts.has(v) || (readers.get(v) ?? []).some((r) => r >= j));
    const group = tryCompile(run, shape, sources, new Map(), outputs);
    if (group) plan.push({ group });
    else for (const f of run) plan.push({ eqn: f });
    i = j;
  }
  return plan;
}
