/**
 * Jaxprs: Kiln's IR, the same as JAX's (typed, first-order, ANF), their
 * pretty printer (JAX's modern format, byte for byte), and the staging trace
 * (`JaxprTrace`) that records primitives into a jaxpr — used by makeJaxpr and jit.
 */
import { ShapedArray } from "./aval.js";
import type { DType } from "./dtype.js";
import { ConcretizationTypeError, TracerBoolConversionError, TracerIntegerConversionError } from "./errors.js";
import type { PrimitiveName, PrimitiveParams } from "./primitives.js";
import { abstractEval } from "./abstract_eval.js";
import { customPpParams } from "./rules/custom_rules.js";
import { type Array, type MainTrace, type ScalarConversion, Trace, Tracer } from "./tracer.js";
import * as pp from "../print/pretty.js";
import { formatScalar } from "../print/format.js";

// ---- data structures ---------------------------------------------------------

export class Var {
  constructor(readonly aval: ShapedArray) {}
}

export class Literal {
  constructor(
    readonly val: number,
    readonly aval: ShapedArray,
  ) {}
  toString(): string {
    return `${formatScalar(this.val, this.aval.dtype)}:${this.aval.strShort()}`;
  }
}

export type Atom = Var | Literal;

export interface JaxprEqn<P extends PrimitiveName = PrimitiveName> {
  readonly primitive: P;
  readonly inputs: readonly Atom[];
  readonly params: PrimitiveParams[P];
  readonly outBinders: readonly Var[];
}

export class Jaxpr {
  constructor(
    readonly constvars: readonly Var[],
    readonly invars: readonly Var[],
    readonly eqns: readonly JaxprEqn[],
    readonly outvars: readonly Atom[],
  ) {}

  get inAvals(): ShapedArray[] {
    return this.invars.map((v) => v.aval);
  }
  get outAvals(): ShapedArray[] {
    return this.outvars.map((v) => v.aval);
  }
  toString(): string {
    return prettyPrintJaxpr(this);
  }
}

/** A jaxpr with its constants (concrete arrays) bound. */
export class ClosedJaxpr {
  constructor(
    readonly jaxpr: Jaxpr,
    readonly consts: readonly Array[],
  ) {}
  get inAvals(): ShapedArray[] {
    return this.jaxpr.inAvals;
  }
  get outAvals(): ShapedArray[] {
    return this.jaxpr.outAvals;
  }
  toString(): string {
    return prettyPrintJaxpr(this.jaxpr);
  }
}

// ---- pretty printing (JAX's jaxpr printer layout, width 80) -------------------

function encodeName(n: number): string {
  let s = "";
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0);
  return s;
}

class PpContext {
  private names = new Map<Var, string>();
  private counter = 0;
  readonly usedNames = new Set<string>();
  readonly shared = new Map<Jaxpr, string>();
  /** Vars bound by an equation but never read: printed as `_`. */
  readonly dropped = new Set<Var>();

  name(v: Atom): string {
    if (v instanceof Literal) return v.toString();
    if (this.dropped.has(v)) return "_";
    let n = this.names.get(v);
    if (n === undefined) {
      do n = encodeName(this.counter++);
      while (this.usedNames.has(n));
      this.names.set(v, n);
    }
    return n;
  }

  /** JAX's suggest_same_var_names: inner binders of a jit reuse the outer names where unambiguous. */
  suggest(forVars: readonly Atom[], original: readonly Atom[]): void {
    const given = new Set<string>();
    forVars.forEach((fv, i) => {
      const ov = original[i];
      if (fv instanceof Literal || ov instanceof Literal || this.names.has(fv) || this.dropped.has(fv)) return;
      const n = this.name(ov);
      if (n === "_" || given.has(n)) return;
      given.add(n);
      this.names.set(fv, n);
    });
  }
}

function markDropped(jaxpr: Jaxpr, ctx: PpContext): void {
  const used = new Set<Var>();
  for (const e of jaxpr.eqns) for (const a of e.inputs) if (a instanceof Var) used.add(a);
  for (const a of jaxpr.outvars) if (a instanceof Var) used.add(a);
  for (const e of jaxpr.eqns) for (const v of e.outBinders) if (!used.has(v)) ctx.dropped.add(v);
}

function ppVars(vs: readonly Atom[], ctx: PpContext, opts: { sep?: string; shapes?: boolean } = {}): pp.Doc {
  const items = vs.map((v) => pp.text(ctx.name(v) + (opts.shapes ? ":" + v.aval.strShort() : "")));
  return pp.nest(2, pp.group(pp.join(pp.concat(pp.text(opts.sep ?? ""), pp.group(pp.brk())), items)));
}

function isJaxprLike(v: unknown): v is Jaxpr | ClosedJaxpr {
  return v instanceof Jaxpr || v instanceof ClosedJaxpr;
}
function unclose(v: Jaxpr | ClosedJaxpr): Jaxpr {
  return v instanceof ClosedJaxpr ? v.jaxpr : v;
}

/** Python's str() of a param value: tuples, None, True/False, dtype names, objects' own toString. */
export function paramToString(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : formatScalar(v, "float32");
  if (typeof v === "string") return v;
  if (globalThis.Array.isArray(v)) {
    const parts = v.map(paramToString);
    return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(", ")})`;
  }
  return String(v);
}

function ppParam(k: string, v: unknown, ctx: PpContext): pp.Doc {
  let doc: pp.Doc;
  if (globalThis.Array.isArray(v) && v.length > 0 && v.every(isJaxprLike)) {
    doc = pp.concat(
      pp.group(pp.concat(pp.nest(2, pp.concat(pp.text("("), pp.brk(""), pp.join(pp.brk(), v.map((j) => ppJaxpr(unclose(j), ctx))))), pp.brk(""), pp.text(")"))),
    );
  } else if (isJaxprLike(v)) doc = ppJaxpr(unclose(v), ctx);
  else doc = pp.text(paramToString(v));
  return pp.concat(pp.text(`${k}=`), doc);
}

function ppEqn(eqn: JaxprEqn, ctx: PpContext): pp.Doc {
  let keys = Object.keys(eqn.params).sort();
  if (eqn.primitive === "jit") {
    const params = eqn.params as PrimitiveParams["jit"];
    const inner = params.jaxpr.jaxpr;
    if (!ctx.shared.has(inner)) {
      ctx.suggest(inner.invars, eqn.inputs);
      ctx.suggest(inner.outvars, eqn.outBinders);
    }
    keys = ["name", ...keys.filter((k) => k !== "name")];
  }
  const lhs = ppVars(eqn.outBinders, ctx, { shapes: true });
  const record = eqn.params as Record<string, unknown>;
  // Primitives with a JAX pp rule (custom_jvp_call, ...) choose their printed params and order.
  const ppRule = customPpParams[eqn.primitive as keyof typeof customPpParams] as ((p: unknown) => [string, unknown][]) | undefined;
  const entries = ppRule ? ppRule(eqn.params) : keys.map((k): [string, unknown] => [k, record[k]]);
  const kvs = entries.map(([k, v]) => ppParam(k, v, ctx));
  const params = kvs.length
    ? pp.group(pp.concat(pp.nest(2, pp.concat(pp.text("["), pp.brk(""), pp.join(pp.brk(), kvs))), pp.brk(""), pp.text("]")))
    : pp.nil;
  const rhs = [pp.text(eqn.primitive), params, pp.concat(pp.text(" "), ppVars(eqn.inputs, ctx))];
  return eqn.outBinders.length ? pp.concat(lhs, pp.text(" = "), ...rhs) : pp.concat(...rhs);
}

function ppJaxpr(jaxpr: Jaxpr, ctx: PpContext): pp.Doc {
  const sharedName = ctx.shared.get(jaxpr);
  if (sharedName !== undefined) return pp.text(sharedName);
  markDropped(jaxpr, ctx);
  const constvars = ppVars(jaxpr.constvars, ctx, { shapes: true });
  const invars = ppVars(jaxpr.invars, ctx, { shapes: true });
  const eqns = pp.join(pp.brk("; "), jaxpr.eqns.map((e) => ppEqn(e, ctx)));
  const outvars = pp.concat(pp.text("("), ppVars(jaxpr.outvars, ctx, { sep: "," }), pp.text(jaxpr.outvars.length === 1 ? ",)" : ")"));
  return pp.concat(
    pp.group(
      pp.nest(
        2,
        pp.concat(pp.text("{ lambda "), constvars, pp.text("; "), invars, pp.text(". let"), pp.nest(2, pp.concat(pp.brk(), eqns)), pp.brk(), pp.text("in "), outvars),
      ),
    ),
    pp.text(" }"),
  );
}

function subJaxprs(params: Record<string, unknown>): Jaxpr[] {
  const out: Jaxpr[] = [];
  for (const v of Object.values(params)) {
    if (isJaxprLike(v)) out.push(unclose(v));
    else if (globalThis.Array.isArray(v)) for (const x of v) if (isJaxprLike(x)) out.push(unclose(x));
  }
  return out;
}

export function prettyPrintJaxpr(top: Jaxpr, width = 80): string {
  const ctx = new PpContext();
  // Sub-jaxprs used more than once (or large ones) are hoisted as `let name = {...} in`.
  const counts = new Map<Jaxpr, number>();
  const names = new Map<Jaxpr, string>();
  const queue = [top];
  while (queue.length) {
    const j = queue.shift()!;
    counts.set(j, (counts.get(j) ?? 0) + (j !== top && j.eqns.length > 10 ? 2 : 1));
    for (const e of j.eqns) {
      const params = e.params as Record<string, unknown>;
      const subs = subJaxprs(params);
      queue.push(...subs);
      if (typeof params.name === "string") {
        const name = params.name.replace(/^<+|>+$/g, "");
        for (const s of subs) if (!names.has(s)) names.set(s, name);
      }
    }
  }
  const nameCounts = new Map<string, number>();
  const docs: pp.Doc[] = [];
  const sharedList: [string, Jaxpr][] = [];
  for (const [j, c] of counts) {
    if (c === 1) continue;
    let name = names.get(j) ?? "jaxpr";
    const k = nameCounts.get(name) ?? 0;
    nameCounts.set(name, k + 1);
    if (k > 0) {
      name += String(k);
      nameCounts.set(name, (nameCounts.get(name) ?? 0) + 1);
    }
    ctx.usedNames.add(name);
    sharedList.push([name, j]);
  }
  for (const [name, j] of sharedList) {
    docs.push(pp.concat(pp.text(`let ${name} = `), ppJaxpr(j, ctx), pp.text(" in"), pp.brk()));
    ctx.shared.set(j, name);
  }
  docs.push(ppJaxpr(top, ctx));
  return pp.format(pp.concat(...docs), width);
}

// ---- staging: the jaxpr-building trace ----------------------------------------

/** What a staging trace knows about the function being traced, for error messages. */
export interface TraceContext {
  /** e.g. "jit", "makeJaxpr". */
  readonly transform: string;
  readonly fnName: string;
  /** One display name per flat input (e.g. "x", "params['w']"). */
  readonly argNames: readonly string[];
}

export class JaxprBuilder {
  readonly eqns: JaxprEqn[] = [];
  /** Constants closed over by the traced function: concrete arrays or tracers of outer traces. */
  readonly consts = new Map<Array, JaxprTracer>();
  inTracers: JaxprTracer[] = [];
  constructor(readonly context: TraceContext) {}

  /** Names of the inputs a var depends on (for ConcretizationTypeError messages). */
  dependencies(v: Var): string[] {
    const producers = new Map<Var, JaxprEqn>();
    for (const e of this.eqns) for (const o of e.outBinders) producers.set(o, e);
    const seen = new Set<Var>();
    const stack = [v];
    while (stack.length) {
      const x = stack.pop()!;
      if (seen.has(x)) continue;
      seen.add(x);
      const e = producers.get(x);
      if (e) for (const a of e.inputs) if (a instanceof Var) stack.push(a);
    }
    return this.inTracers.flatMap((t, i) => (seen.has(t.binder) ? [this.context.argNames[i] ?? `args[${i}]`] : []));
  }
}

export class JaxprTracer extends Tracer {
  readonly binder: Var;
  constructor(
    readonly trace: JaxprTrace,
    readonly aval: ShapedArray,
  ) {
    super();
    this.binder = new Var(aval);
  }

  concreteScalar(what: ScalarConversion): number {
    const builder = this.trace.builder;
    const { fnName, transform, argNames } = builder.context;
    const deps = builder.dependencies(this.binder);
    const shape = `${this.aval.dtype}[${this.aval.shape.join(",")}]`;
    const dependsOn = deps.length
      ? ` This concrete value was not available in JavaScript because it depends on the value of the argument${deps.length > 1 ? "s" : ""} ${deps.join(", ")}.`
      : "";
    const where = `The error occurred while tracing the function ${fnName} for ${transform}.${dependsOn}`;
    const static_ = argNames.length ? ` or mark the argument as static with ${transform === "jit" ? "jit(f, { staticArgnums: [...] })" : "staticArgnums"}` : "";
    const fix =
      `Value-dependent JavaScript control flow (\`if (x > 0)\`, \`while\`, \`Number(x)\`, \`x.item()\`) cannot run on a traced value: ` +
      `use lax.cond, lax.whileLoop or np.where instead${static_}.`;
    const link = (n: string) => `See https://docs.jax.dev/en/latest/errors.html#jax.errors.${n}`;
    if (what === "bool") throw new TracerBoolConversionError(`Attempted boolean conversion of traced array with shape ${shape}.\n${where}\n${fix}\n${link("TracerBoolConversionError")}`);
    if (what === "index") throw new TracerIntegerConversionError(`The index conversion was called on traced array with shape ${shape}.\n${where}\n${fix}\n${link("TracerIntegerConversionError")}`);
    const fnDesc = what === "item" ? "`item` method" : "`Number` conversion (a JS comparison such as `x > 0`, arithmetic with JS numbers, or `Number(x)`)";
    throw new ConcretizationTypeError(
      `Abstract tracer value encountered where concrete value is expected: traced array with shape ${shape}.\n` +
        `The problem arose with the ${fnDesc}.\n${where}\n${fix}\n${link("ConcretizationTypeError")}`,
    );
  }
}

export class JaxprTrace extends Trace {
  get builder(): JaxprBuilder {
    return this.main.globalData as JaxprBuilder;
  }

  newArg(aval: ShapedArray): JaxprTracer {
    const t = new JaxprTracer(this, aval);
    this.builder.inTracers.push(t);
    return t;
  }

  private constTracer(x: Array): JaxprTracer {
    const existing = this.builder.consts.get(x);
    if (existing) return existing;
    const t = new JaxprTracer(this, x.aval);
    this.builder.consts.set(x, t);
    return t;
  }

  pure(x: Array): JaxprTracer {
    return this.constTracer(x);
  }
  lift(x: Tracer): JaxprTracer {
    return this.constTracer(x);
  }

  processPrimitive<P extends PrimitiveName>(prim: P, tracers: Array[], params: PrimitiveParams[P]): Array[] {
    const ins = tracers as JaxprTracer[];
    const outAvals = abstractEval(prim, ins.map((t) => t.aval), params);
    const outs = outAvals.map((a) => new JaxprTracer(this, a));
    this.builder.eqns.push({ primitive: prim, inputs: ins.map((t) => t.binder), params, outBinders: outs.map((t) => t.binder) });
    return outs;
  }
}

/** A finished trace: the jaxpr, its concrete consts, and consts that are tracers of outer traces (to be passed as leading args). */
export interface TracedJaxpr {
  readonly closed: ClosedJaxpr;
  /** Outer-trace tracers captured by the function; the jaxpr takes them as its leading invars. */
  readonly hoisted: readonly Tracer[];
}

/**
 * Build a jaxpr from a builder: concrete scalar constants become literals, other
 * concrete constants become constvars, and captured outer tracers become
 * leading invars (as JAX's jit does with closed-over tracers).
 */
export function finishJaxpr(builder: JaxprBuilder, outs: readonly Array[], readScalar: (x: Array) => number): TracedJaxpr {
  const literalOf = new Map<Var, Literal>();
  const constvars: Var[] = [];
  const consts: Array[] = [];
  const hoistedVars: Var[] = [];
  const hoisted: Tracer[] = [];
  for (const [val, t] of builder.consts) {
    if (val instanceof Tracer) {
      hoisted.push(val);
      hoistedVars.push(t.binder);
    } else if (val.ndim === 0) {
      literalOf.set(t.binder, new Literal(readScalar(val), val.aval));
    } else {
      constvars.push(t.binder);
      consts.push(val);
    }
  }
  const atom = (v: Var): Atom => literalOf.get(v) ?? v;
  const trace = builder.inTracers[0]?.trace;
  const outAtoms = outs.map((o) => {
    if (o instanceof JaxprTracer && (trace === undefined || o.trace.main === trace.main)) return atom(o.binder);
    throw new Error("internal: output not produced by this trace");
  });
  const eqns = builder.eqns.map((e) => ({ ...e, inputs: e.inputs.map((a) => (a instanceof Var ? atom(a) : a)) }));
  const jaxpr = new Jaxpr(constvars, [...hoistedVars, ...builder.inTracers.map((t) => t.binder)], eqns, outAtoms);
  return { closed: new ClosedJaxpr(jaxpr, consts), hoisted };
}

export type { DType };
