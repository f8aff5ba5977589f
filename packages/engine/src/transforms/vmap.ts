/**
 * vmap: the batching interpreter. A BatchTracer carries a value with one extra
 * (batch) dimension at `bdim` (or null when the value is the same for every
 * batch element). Each primitive has a batching rule (batching_rules*.ts) that
 * rewrites it to act on the whole batch at once, so `makeJaxpr(vmap(f))` shows
 * the batched program.
 */
import { ShapedArray } from "../core/aval.js";
import type { PrimitiveName, PrimitiveParams } from "../core/primitives.js";
import { type Array, type MainTrace, type ScalarConversion, Trace, Tracer, bind, withMainTrace } from "../core/tracer.js";
import { ConcretizationTypeError, ValueError } from "../core/errors.js";
import { treeFlatten, treeUnflatten } from "../core/tree.js";
import * as lax from "../lax/lax.js";
import { isArray } from "../lax/lax.js";
import { functionName, leafArray, leafPaths, paramNames } from "./trace_fn.js";
import { batchRules } from "./batching_rules.js";

export type BDim = number | null;

export interface AxisData {
  readonly size: number;
  readonly name: string | null;
}

export class BatchTracer extends Tracer {
  constructor(
    readonly trace: BatchTrace,
    readonly val: Array,
    readonly bdim: BDim,
  ) {
    super();
  }
  get aval(): ShapedArray {
    const a = this.val.aval;
    if (this.bdim === null) return a;
    return new ShapedArray(a.shape.filter((_, i) => i !== this.bdim), a.dtype, a.weakType);
  }
  override fullLower(): Array {
    return this.bdim === null ? this.val : this;
  }
  concreteScalar(what: ScalarConversion): number {
    if (this.bdim === null) return this.val.concreteScalar(what);
    throw new ConcretizationTypeError(
      `Abstract tracer value encountered where concrete value is expected: a value batched by vmap (shape ${this.aval.dtype}[${this.aval.shape.join(",")}]) was converted to a JS ${what === "bool" ? "boolean" : "number"}.\n` +
        `Under vmap each batch element may take a different branch; use lax.cond, lax.select or np.where instead of JS control flow on batched values.`,
    );
  }
}

export class BatchTrace extends Trace {
  get axis(): AxisData {
    return this.main.globalData as AxisData;
  }
  pure(x: Array): BatchTracer {
    return new BatchTracer(this, x, null);
  }
  lift(x: Tracer): BatchTracer {
    return new BatchTracer(this, x, null);
  }
  processPrimitive<P extends PrimitiveName>(prim: P, tracers: Array[], params: PrimitiveParams[P]): Array[] {
    const ts = tracers as BatchTracer[];
    const vals = ts.map((t) => t.val);
    const dims = ts.map((t) => t.bdim);
    if (dims.every((d) => d === null)) return bind(prim, vals, params);
    const rule = batchRules[prim] as BatchRule<P>;
    const [outs, outDims] = rule(vals, dims, params, this.axis);
    return outs.map((o, i) => new BatchTracer(this, o, outDims[i]));
  }
}

export type BatchRule<P extends PrimitiveName> = (vals: Array[], dims: BDim[], params: PrimitiveParams[P], axis: AxisData) => [Array[], BDim[]];
export type BatchRuleTable = { [P in PrimitiveName]: BatchRule<P> };

/** Move the batch dim of `x` (or broadcast an unbatched x) to position `to` with size `size`. */
export function moveBatchAxis(x: Array, from: BDim, to: number, size: number): Array {
  if (from === null) {
    const shape = [...x.shape];
    shape.splice(to, 0, size);
    return lax.broadcastInDim(x, shape, x.shape.map((_, i) => (i < to ? i : i + 1)));
  }
  if (from === to) return x;
  const perm = x.shape.map((_, i) => i).filter((i) => i !== from);
  perm.splice(to, 0, from);
  return lax.transpose(x, perm);
}

// ---- the vmap API -------------------------------------------------------------

export interface VmapOptions {
  inAxes?: unknown;
  outAxes?: unknown;
  axisName?: string;
  axisSize?: number;
}

/** Python's repr of an axes spec: the top-level JS array as the tuple of per-argument entries, nested ones as lists. */
function describeAxes(spec: unknown): string {
  const py = (v: unknown, top: boolean): string =>
    v === null || v === undefined
      ? "None"
      : globalThis.Array.isArray(v)
        ? top
          ? `(${v.map((x) => py(x, false)).join(", ")}${v.length === 1 ? "," : ""})`
          : `[${v.map((x) => py(x, false)).join(", ")}]`
        : typeof v === "object" && !isArray(v)
          ? `{${Object.entries(v as object).map(([k, x]) => `'${k}': ${py(x, false)}`).join(", ")}}`
          : String(v);
  return py(spec, true);
}

/** Kind of a pytree node, for the "Mismatch details" of a tree-prefix error. */
function nodeType(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (globalThis.Array.isArray(v)) return "list";
  if (isArray(v)) return "Array";
  if (typeof v === "object") return Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null ? "dict" : (v as object).constructor?.name ?? "object";
  return typeof v;
}

/** Per-leaf axes for `tree` from a prefix spec (a number/null applies to the whole subtree). */
function broadcastPrefix(spec: unknown, tree: unknown, what: string): BDim[] {
  const out: BDim[] = [];
  const name = what.replace(/^vmap /, "");
  // JAX's flatten_axes / prefix_errors wording: the whole spec and value tree, then the first mismatch.
  const prefixError = (path: string, detail: string) =>
    new ValueError(
      `${what} specification must be a tree prefix of the corresponding value; got specification ${describeAxes(spec)} for value tree ${treeFlatten(tree)[1]}.\n\n` +
        `Mismatch details: pytree structure error: ${detail.replace("{path}", `\n    ${name}${path}\n`)}`,
    );
  const differentTypes = (s: unknown, t: unknown, path: string) =>
    prefixError(
      path,
      `different types at key path{path}At that key path, the prefix pytree ${name} has a subtree of type\n    ${nodeType(s)}\n` +
        `but at the same key path the full pytree has a subtree of different type\n    ${nodeType(t)}.`,
    );
  const leafTypeError = () =>
    new TypeError(`${what} must be an int, None, or (nested) container with those types as leaves, but got ${describeAxes(spec)}.`);
  const rec = (s: unknown, t: unknown, path: string): void => {
    if (typeof s === "number" && !Number.isInteger(s)) throw leafTypeError();
    if (s === null || s === undefined || typeof s === "number") {
      const n = treeFlatten(t)[0].length;
      for (let i = 0; i < n; i++) out.push((s ?? null) as BDim);
      return;
    }
    if (globalThis.Array.isArray(s)) {
      if (!globalThis.Array.isArray(t)) throw differentTypes(s, t, path);
      if (t.length !== s.length)
        throw prefixError(
          path,
          `different lengths of list at key path{path}At that key path, the prefix pytree ${name} has a subtree of type list of length ${s.length}, ` +
            `but the full pytree has a subtree of the same type but of length ${t.length}.`,
        );
      s.forEach((si, i) => rec(si, t[i], `${path}[${i}]`));
      return;
    }
    if (typeof s === "object" && !isArray(s)) {
      if (t === null || typeof t !== "object" || globalThis.Array.isArray(t) || isArray(t)) throw differentTypes(s, t, path);
      const sk = Object.keys(s as object).sort();
      const tk = Object.keys(t as object).sort();
      if (sk.join() !== tk.join())
        throw prefixError(
          path,
          `different pytree keys at key path{path}At that key path, the prefix pytree ${name} has a subtree of type dict with keys\n    [${sk.map((k) => `'${k}'`).join(", ")}]\n` +
            `but at the same key path the full pytree has a subtree of the same type but with keys\n    [${tk.map((k) => `'${k}'`).join(", ")}]`,
        );
      for (const k of sk) rec((s as Record<string, unknown>)[k], (t as Record<string, unknown>)[k], `${path}['${k}']`);
      return;
    }
    throw leafTypeError();
  };
  rec(spec, tree, "");
  return out;
}

export function vmap<F extends (...args: any[]) => any>(f: F, opts: VmapOptions = {}): (...args: Parameters<F>) => ReturnType<F> {
  if (typeof f !== "function") throw new TypeError(`vmap: expected a function, got ${typeof f}.`);
  const inAxes = opts.inAxes === undefined ? 0 : opts.inAxes;
  const outAxes = opts.outAxes === undefined ? 0 : opts.outAxes;
  if (inAxes !== null && typeof inAxes !== "number" && !globalThis.Array.isArray(inAxes))
    throw new TypeError(
      `vmap in_axes must be an int, None, or a tuple of entries corresponding to the positional arguments passed to the function, but got ${describeAxes(inAxes)}.`,
    );
  const name = functionName(f);
  const wrapped = (...args: unknown[]) => {
    if (globalThis.Array.isArray(inAxes) && inAxes.length !== args.length)
      throw new ValueError(
        `vmap in_axes must be an int, None, or a tuple of entries corresponding to the positional arguments passed to the function, but got len(in_axes)=${inAxes.length}, len(args)=${args.length}`,
      );
    const [leaves, inTree] = treeFlatten(args);
    const axes = broadcastPrefix(inAxes, args, "vmap in_axes");
    const names = paramNames(f);
    const paths = args.flatMap((a, i) => leafPaths(a, names[i] ?? `args[${i}]`));
    const vals = leaves.map((l) => leafArray(l));
    const normAxes = axes.map((ax, i) => {
      if (ax === null) return null;
      const nd = vals[i].ndim;
      const need = ax < 0 ? -ax : ax + 1;
      if (nd < need)
        throw new ValueError(
          `vmap was requested to map its argument along axis ${ax}, which implies that its rank should be at least ${need}, but is only ${nd} (its shape is ${shapeTuple(vals[i].shape)})`,
        );
      return ax < 0 ? ax + nd : ax;
    });
    const sizes = new Map<number, { axis: number; i: number }[]>();
    normAxes.forEach((ax, i) => {
      if (ax === null) return;
      const s = vals[i].shape[ax];
      sizes.set(s, [...(sizes.get(s) ?? []), { axis: ax, i }]);
    });
    if (sizes.size === 0 && opts.axisSize === undefined)
      throw new ValueError("vmap must have at least one non-None value in in_axes (or pass axisSize).");
    if (sizes.size > 1 || (opts.axisSize !== undefined && sizes.size === 1 && !sizes.has(opts.axisSize))) {
      const lines: string[] = [];
      if (opts.axisSize !== undefined) lines.push(`the \`axis_size\` argument was ${opts.axisSize}`);
      const groups = [...sizes.entries()].sort((a, b) => b[1].length - a[1].length);
      const desc = (e: { axis: number; i: number }) => `axis ${e.axis} of argument ${paths[e.i]} of type ${vals[e.i].dtype}[${vals[e.i].shape.join(",")}]`;
      groups.forEach(([s, es], gi) => {
        if (es.length === 1) lines.push(`one axis had size ${s}: ${desc(es[0])}`);
        else lines.push(`${gi === 0 && opts.axisSize === undefined ? "most" : "some"} axes (${es.length} of them) had size ${s}, e.g. ${desc(es[0])}`);
      });
      throw new ValueError(`vmap got inconsistent sizes for array axes to be mapped:\n${lines.map((l) => `  * ${l}`).join(";\n")}`);
    }
    const size = opts.axisSize ?? [...sizes.keys()][0];
    const [outs, outTreeHolder] = withMainTrace(BatchTrace, { size, name: opts.axisName ?? null } satisfies AxisData, (main: MainTrace) => {
      const trace = new BatchTrace(main);
      const tracers = vals.map((v, i) => new BatchTracer(trace, v, normAxes[i]));
      const out = f(...(treeUnflatten(inTree, tracers) as unknown[]));
      const [outLeaves, outTree] = treeFlatten(out);
      const oAxes = broadcastPrefix(outAxes, out, "vmap out_axes");
      const res = outLeaves.map((o, i) => {
        if (!isArray(o) && typeof o !== "number" && typeof o !== "boolean") throw new TypeError(`vmap: ${name} returned a non-array leaf (${typeof o}).`);
        const t = trace.fullRaise(leafArray(o)) as BatchTracer;
        const target = oAxes[i];
        if (target === null) {
          if (t.bdim !== null)
            throw new ValueError(`vmap has mapped output but out_axes is None: output ${i} of ${name} depends on the mapped input, so it cannot be returned unmapped.`);
          return t.val;
        }
        const nd = t.aval.ndim + 1;
        const to = target < 0 ? target + nd : target;
        return moveBatchAxis(t.val, t.bdim, to, size);
      });
      return [res, outTree] as const;
    });
    return treeUnflatten(outTreeHolder, outs);
  };
  Object.defineProperty(wrapped, "name", { value: `vmap(${name})` });
  return wrapped as (...args: Parameters<F>) => ReturnType<F>;
}

function shapeTuple(s: readonly number[]): string {
  return s.length === 1 ? `(${s[0]},)` : `(${s.join(", ")})`;
}
