/**
 * Control flow on the WebGPU backend. `cond` whose branches are straight-line is lowered by the
 * planner (plan.ts) as "evaluate every branch, select by the clamped index", so it fuses and
 * needs no readback. `while` and `scan` (and a `cond` around them) run from the host: the loop
 * bodies are compiled to device plans like any jaxpr; `while` reads its predicate back each
 * iteration (a synchronous read), `scan` runs its body `length` times with the xs rows and ys
 * rows moved by buffer-to-buffer copies at static offsets — no readback. A jitted jaxpr that
 * contains such loops is cut into segments: runs of ordinary equations become one plan each,
 * the loops run between them (`compileSegmented`).
 */
import { type ShapedArray, sizeOf } from "../../core/aval.js";
import { ClosedJaxpr, Jaxpr, type JaxprEqn, Literal, Var } from "../../core/jaxpr.js";
import type { PrimitiveName, PrimitiveParams } from "../../core/primitives.js";
import type { Executable } from "../backend.js";
import { callJaxpr } from "./plan.js";
import type { WebGpuBackend, WebGpuBuffer } from "./webgpu_backend.js";

const hostCache = new WeakMap<Jaxpr, boolean>();

/** Whether an equation must run from the host (a loop, or a cond / call around one). */
export function eqnNeedsHost(e: JaxprEqn): boolean {
  if (e.primitive === "while" || e.primitive === "scan") return true;
  if (e.primitive === "cond") return (e.params as PrimitiveParams["cond"]).branches.some((b) => needsHost(b.jaxpr));
  const inner = callJaxpr(e.primitive, e.params);
  return inner ? needsHost(inner.jaxpr) : false;
}

/** Whether a jaxpr contains host-driven control flow anywhere (so it cannot be one plan). */
export function needsHost(j: Jaxpr): boolean {
  let r = hostCache.get(j);
  if (r === undefined) {
    r = j.eqns.some(eqnNeedsHost);
    hostCache.set(j, r);
  }
  return r;
}

type Bufs = readonly WebGpuBuffer[];

/** Eager `cond`/`while`/`scan` (also the host steps of segmented jaxprs). */
export function executeControl(gpu: WebGpuBackend, prim: "cond" | "while" | "scan", ins: Bufs, params: unknown, outAvals: readonly ShapedArray[]): WebGpuBuffer[] {
  if (prim === "cond") return runCond(gpu, ins, params as PrimitiveParams["cond"], outAvals);
  if (prim === "while") return runWhile(gpu, ins, params as PrimitiveParams["while"]);
  return runScan(gpu, ins, params as PrimitiveParams["scan"]);
}

const condWrappers = new WeakMap<object, ClosedJaxpr>();

function runCond(gpu: WebGpuBackend, ins: Bufs, params: PrimitiveParams["cond"], outAvals: readonly ShapedArray[]): WebGpuBuffer[] {
  const { branches } = params;
  if (branches.some((b) => needsHost(b.jaxpr))) {
    // A branch holds a loop: read the index, run that branch only.
    const idx = Number(gpu.readSync(ins[0], ins[0].aval)[0]);
    const i = Math.min(Math.max(idx, 0), branches.length - 1);
    return gpu.compile(branches[i])(ins.slice(1)) as WebGpuBuffer[];
  }
  // A one-equation jaxpr (cached per params), planned as a select over all branches.
  let closed = condWrappers.get(params);
  if (!closed) {
    const inVars = ins.map((b) => new Var(b.aval));
    const outVars = outAvals.map((a) => new Var(a));
    closed = new ClosedJaxpr(new Jaxpr([], inVars, [{ primitive: "cond", inputs: inVars, params, outBinders: outVars }], outVars), []);
    condWrappers.set(params, closed);
  }
  return gpu.compile(closed)(ins) as WebGpuBuffer[];
}

function runWhile(gpu: WebGpuBackend, ins: Bufs, p: PrimitiveParams["while"]): WebGpuBuffer[] {
  const cc = ins.slice(0, p.cond_nconsts);
  const bc = ins.slice(p.cond_nconsts, p.cond_nconsts + p.body_nconsts);
  let carry = ins.slice(p.cond_nconsts + p.body_nconsts).map((b) => gpu.share(b));
  const condExe = gpu.compile(p.cond_jaxpr);
  const bodyExe = gpu.compile(p.body_jaxpr);
  for (;;) {
    const [pred] = condExe([...cc, ...carry]) as WebGpuBuffer[];
    const go = gpu.readSync(pred, pred.aval)[0];
    gpu.free(pred);
    if (!go) break;
    const next = bodyExe([...bc, ...carry]) as WebGpuBuffer[];
    for (const b of carry) gpu.free(b);
    carry = next;
  }
  return carry;
}

function runScan(gpu: WebGpuBackend, ins: Bufs, p: PrimitiveParams["scan"]): WebGpuBuffer[] {
  const { length, num_consts: nc, num_carry: ncar, reverse } = p;
  const consts = ins.slice(0, nc);
  let carry = ins.slice(nc, nc + ncar).map((b) => gpu.share(b));
  const xs = ins.slice(nc + ncar);
  const xAvals = p.jaxpr.jaxpr.invars.slice(nc + ncar).map((v) => v.aval);
  const yAvals = p.jaxpr.jaxpr.outvars.slice(ncar).map((v) => v.aval);
  const ys = yAvals.map((a) => gpu.alloc([length, ...a.shape], a.dtype));
  if (length > 0) {
    const body = gpu.compile(p.jaxpr);
    for (let t = 0; t < length; t++) {
      const i = reverse ? length - 1 - t : t;
      const rows = xs.map((x, k) => {
        const bytes = sizeOf(xAvals[k].shape) * 4;
        const row = gpu.alloc(xAvals[k].shape, xAvals[k].dtype);
        if (bytes > 0) gpu.copy(x, i * bytes, row, 0, bytes);
        return row;
      });
      const outs = body([...consts, ...carry, ...rows]) as WebGpuBuffer[];
      for (const b of [...rows, ...carry]) gpu.free(b);
      carry = outs.slice(0, ncar);
      outs.slice(ncar).forEach((y, k) => {
        const bytes = sizeOf(yAvals[k].shape) * 4;
        if (bytes > 0) gpu.copy(y, 0, ys[k], i * bytes, bytes);
        gpu.free(y);
      });
    }
    gpu.client.submit();
  }
  return [...carry, ...ys];
}

/** One step of a segmented jaxpr: a plan over some vars, or one host-driven equation. */
type Step = { kind: "plan"; exe: Executable; ins: Var[]; outs: Var[] } | { kind: "host"; eqn: JaxprEqn };

/**
 * An executable for a jaxpr with host-driven control flow: maximal runs of ordinary equations
 * become sub-jaxprs compiled to one plan each; host equations run through executePrimitive.
 * Buffers are freed after their last use.
 */
export function compileSegmented(gpu: WebGpuBackend, closed: ClosedJaxpr): Executable {
  const { jaxpr } = closed;
  const steps: Step[] = [];
  const laterUses: Set<Var>[] = [];
  // Vars needed at or after each equation (jaxpr outputs included).
  const need = new Set<Var>(jaxpr.outvars.filter((a): a is Var => a instanceof Var));
  for (let i = jaxpr.eqns.length - 1; i >= 0; i--) {
    laterUses[i] = new Set(need);
    for (const a of jaxpr.eqns[i].inputs) if (a instanceof Var) need.add(a);
  }
  let run: JaxprEqn[] = [];
  let runEnd = 0;
  const flush = () => {
    if (!run.length) return;
    const defined = new Set(run.flatMap((e) => e.outBinders));
    const ins: Var[] = [];
    for (const e of run) for (const a of e.inputs) if (a instanceof Var && !defined.has(a) && !ins.includes(a)) ins.push(a);
    const after = laterUses[runEnd];
    const outs = [...defined].filter((v) => after.has(v));
    const exe = gpu.compile(new ClosedJaxpr(new Jaxpr([], ins, run, outs), []));
    steps.push({ kind: "plan", exe, ins, outs });
    run = [];
  };
  jaxpr.eqns.forEach((e, i) => {
    if (eqnNeedsHost(e)) {
      flush();
      steps.push({ kind: "host", eqn: e });
    } else {
      run.push(e);
      runEnd = i;
    }
  });
  flush();
  // Last step reading each var.
  const lastUse = new Map<Var, number>();
  steps.forEach((s, k) => {
    const reads = s.kind === "plan" ? s.ins : s.eqn.inputs.filter((a): a is Var => a instanceof Var);
    for (const v of reads) lastUse.set(v, k);
  });
  const outputs = new Set(jaxpr.outvars.filter((a): a is Var => a instanceof Var));
  const consts = closed.consts.map((c) => gpu.adopt(c));

  return (inputs) => {
    const env = new Map<Var, WebGpuBuffer>();
    jaxpr.constvars.forEach((v, i) => env.set(v, gpu.share(consts[i])));
    jaxpr.invars.forEach((v, i) => env.set(v, gpu.share(inputs[i] as WebGpuBuffer)));
    const literals: WebGpuBuffer[] = [];
    const read = (a: Var | Literal): WebGpuBuffer => {
      if (a instanceof Literal) {
        const b = gpu.scalar(a.val, a.aval);
        literals.push(b);
        return b;
      }
      const b = env.get(a);
      if (!b) throw new Error("internal: unbound var in a segmented WebGPU jaxpr");
      return b;
    };
    steps.forEach((s, k) => {
      let outs: WebGpuBuffer[];
      let binders: readonly Var[];
      if (s.kind === "plan") {
        outs = s.exe(s.ins.map(read)) as WebGpuBuffer[];
        binders = s.outs;
      } else {
        const e = s.eqn;
        outs = gpu.executePrimitive(e.primitive as PrimitiveName, e.inputs.map(read), e.params as never, e.outBinders.map((v) => v.aval)) as WebGpuBuffer[];
        binders = e.outBinders;
      }
      binders.forEach((v, j) => env.set(v, outs[j]));
      for (const [v, b] of env) if (!outputs.has(v) && (lastUse.get(v) ?? -1) <= k) {
        gpu.free(b);
        env.delete(v);
      }
    });
    const result = jaxpr.outvars.map((a) => (a instanceof Literal ? gpu.scalar(a.val, a.aval) : gpu.share(read(a))));
    for (const b of [...env.values(), ...literals]) gpu.free(b);
    return result;
  };
}
