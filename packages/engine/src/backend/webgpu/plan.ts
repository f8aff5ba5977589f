/**
 * The planner: from a jaxpr to a straight-line list of kernels over buffer slots. Equations are
 * lowered to lazy values (lower.ts) and materialized only where needed — jaxpr outputs, values
 * used by several equations that hide a reduction, operands a GEMM must read as vec4 rows,
 * expressions grown too large — so elementwise/broadcast chains become one map kernel, and a
 * reduction or contraction absorbs its elementwise prologue (`body`, GEMM operand packing) and
 * its consumers at the same coordinates (the epilogue). Slots are then assigned to physical
 * buffers by liveness, so a jitted call allocates each intermediate buffer size once.
 */
import { ShapedArray, sizeOf } from "../../core/aval.js";
import { type Atom, type ClosedJaxpr, type Jaxpr, Literal, Var } from "../../core/jaxpr.js";
import type { PrimitiveParams } from "../../core/primitives.js";
import { type IRType, type Node, acc, binary, cast, constant, coords, flatten, load, loopVar, rewrite, scalarVar, select, topoOrder, unflatten } from "./ir.js";
import type { Kernel, Monoid } from "./kernel.js";
import {
  type GemmPending, type Lazy, type LowerContext, type Pending, type PendingInit, type ReducePending, type ScanPending, type ScatterUpdate,
  at, bufferLazy, directSlot, irType, storageType, substitute,
} from "./lazy.js";
import { loweringFor } from "./lower.js";
import { selectN } from "./math.js";
import { gemmUnroll } from "./wgsl_gemm.js";

export interface SlotInfo {
  readonly bytes: number;
  /** Type of the values held (bool slots store u32 0/1). */
  readonly value: IRType;
  /** "input" k: the k-th argument; "const" k: the k-th constant buffer; "temp": produced by a step. */
  readonly kind: "input" | "const" | "temp";
  readonly index: number;
}

export interface PlanStep {
  readonly kernel: Kernel;
  /** Bindings in order: the kernel's inputs, then its outputs. */
  readonly slots: readonly number[];
}

export interface Plan {
  readonly slots: readonly SlotInfo[];
  readonly steps: readonly PlanStep[];
  /** The slot of each output. */
  readonly outputs: readonly number[];
  /** Constant arrays the plan reads (const slot k reads consts[k]). */
  readonly consts: readonly unknown[];
  /** Physical buffer sizes and each temp slot's physical buffer (liveness-based reuse). */
  readonly physical: readonly number[];
  readonly physicalOf: ReadonlyMap<number, number>;
}

export interface PlannerOptions {
  /** The device's storage buffers per shader stage. */
  readonly maxStorageBuffers: number;
}

/** Expressions past this many nodes are materialized (WGSL compile time grows with them). */
const MAX_NODES = 3000;

let nextPendingId = 0;

/** Experiment hook (benchmarks): force GEMM tile sizes / the packed A layout. */
export const GEMM_TUNING: { tm?: number; tn?: number; packA?: boolean; unroll?: number } = {};

export class Planner implements LowerContext {
  readonly slots: SlotInfo[] = [];
  readonly steps: PlanStep[] = [];
  readonly consts: unknown[] = [];
  private readonly constSlots = new Map<unknown, number>();
  private readonly pendings = new Map<number, Pending>();
  readonly maxInputs: number;

  constructor(private readonly opts: PlannerOptions) {
    this.maxInputs = opts.maxStorageBuffers - 2;
  }

  // ---- slots --------------------------------------------------------------------------------

  private newSlot(value: IRType, n: number, kind: SlotInfo["kind"] = "temp", index = -1): number {
    this.slots.push({ bytes: n * 4, value, kind, index });
    return this.slots.length - 1;
  }

  /** The slot `l` is a contiguous view of (holding values of l's type), if any. */
  private direct(l: Lazy): number | undefined {
    const slot = directSlot(l);
    if (slot === undefined) return undefined;
    const info = this.slots[slot];
    // A prefix of a buffer loads the same way as the whole buffer: require the sizes to agree.
    return info.value === irType(l.aval.dtype) && info.bytes === l.aval.size * 4 ? slot : undefined;
  }

  inputLazy(aval: ShapedArray, index: number): Lazy {
    return bufferLazy(this.newSlot(irType(aval.dtype), aval.size, "input", index), aval);
  }

  constLazy(array: { aval: ShapedArray }): Lazy {
    let slot = this.constSlots.get(array);
    if (slot === undefined) {
      slot = this.newSlot(irType(array.aval.dtype), array.aval.size, "const", this.consts.length);
      this.consts.push(array);
      this.constSlots.set(array, slot);
    }
    return bufferLazy(slot, array.aval);
  }

  // ---- LowerContext ---------------------------------------------------------------------------

  pend(init: PendingInit): Pending {
    const p = { ...init, id: nextPendingId++ } as Pending;
    this.pendings.set(p.id, p);
    return p;
  }

  materialize(l: Lazy): Lazy {
    if (this.direct(l) !== undefined) return l;
    return bufferLazy(this.emit([l.expr], l.aval.shape)[0], l.aval);
  }

  operand(l: Lazy): Lazy {
    return this.unresolved(topoOrder([l.expr])).length ? this.materialize(l) : l;
  }

  scatter(base: Lazy, updatesShape: readonly number[], u: ScatterUpdate): Lazy {
    const shape = base.aval.shape;
    const slot = this.emit([base.expr], shape)[0]; // always a fresh buffer: the scatter writes in place
    const size = sizeOf(updatesShape);
    if (size === 0 || base.aval.size === 0) return bufferLazy(slot, base.aval);
    const parts = [u.target, u.valid, u.value].map((n) => this.settledBody(n));
    const flat = loopVar("flat", size);
    const vars = new Map<Node, Node>();
    const uc = unflatten(flat, updatesShape);
    coords(updatesShape).forEach((c, i) => c.op === "var" && vars.set(c, uc[i]));
    const { exprs, slots, types } = bindLoads(substitute(parts, vars));
    const t = irType(base.aval.dtype);
    this.push(
      { kind: "scatter", name: "scatter", inputs: types, outputs: [t === "i32" ? "i32" : "u32"], size, target: exprs[0], valid: exprs[1], value: exprs[2], combine: u.combine, atomic: u.atomic },
      slots, [slot],
    );
    return bufferLazy(slot, base.aval);
  }

  // ---- jaxprs ---------------------------------------------------------------------------------

  /** Lower a jaxpr whose constvars and invars take `ins` (in that order); returns the outputs' lazies. */
  lowerJaxpr(jaxpr: Jaxpr, ins: readonly Lazy[]): Lazy[] {
    const env = new Map<Var, Lazy>();
    [...jaxpr.constvars, ...jaxpr.invars].forEach((v, i) => env.set(v, ins[i]));
    const uses = new Map<Var, number>();
    const use = (a: Atom) => a instanceof Var && uses.set(a, (uses.get(a) ?? 0) + 1);
    for (const e of jaxpr.eqns) e.inputs.forEach(use);
    jaxpr.outvars.forEach(use);
    const read = (a: Atom): Lazy => {
      if (a instanceof Literal) return { aval: a.aval, expr: constant(a.val, irType(a.aval.dtype)) };
      const l = env.get(a);
      if (!l) throw new Error("internal: unbound var in WebGPU plan");
      return l;
    };
    for (const eqn of jaxpr.eqns) {
      const args = eqn.inputs.map(read);
      let outs: Lazy[];
      const inner = callJaxpr(eqn.primitive, eqn.params);
      if (inner) {
        outs = this.lowerJaxpr(inner.jaxpr, [...inner.consts.map((c) => this.constLazy(c)), ...args]);
      } else if (eqn.primitive === "cond") {
        // Straight-line branches (control.ts runs the others): evaluate all, select by the clamped index.
        const { branches } = eqn.params as PrimitiveParams["cond"];
        const results = branches.map((b) => this.lowerJaxpr(b.jaxpr, [...b.consts.map((c) => this.constLazy(c)), ...args.slice(1)]));
        const index = args[0].expr.dtype === "bool" ? args[0].expr : cast(args[0].expr, "i32");
        outs = eqn.outBinders.map((v, k) => ({ aval: v.aval, expr: selectN(index, results.map((r) => r[k].expr)) }));
      } else {
        const rule = loweringFor(eqn.primitive) as (cx: LowerContext, i: readonly Lazy[], p: unknown, o: readonly ShapedArray[]) => Lazy[];
        outs = rule(this, args, eqn.params, eqn.outBinders.map((v) => v.aval));
      }
      eqn.outBinders.forEach((v, k) => env.set(v, this.settle(outs[k], uses.get(v) ?? 0)));
    }
    return jaxpr.outvars.map(read);
  }

  /** Decide whether a freshly lowered value stays lazy. */
  private settle(l: Lazy, nUses: number): Lazy {
    const nodes = topoOrder([l.expr]);
    const loads = new Set(nodes.filter((n) => n.op === "load").map((n) => n.arg));
    if (nodes.length > MAX_NODES || loads.size > this.maxInputs - 1) return this.materialize(l);
    if (nUses >= 2) {
      // Several consumers must not each redo a reduction: give it a buffer.
      const pend = this.unresolved(nodes);
      if (pend.length) {
        for (const p of pend) this.materializePending(p);
        return { aval: l.aval, expr: this.resolve([l.expr])[0] };
      }
    }
    return l;
  }

  /** Materialize the outputs of a lowered jaxpr: one kernel per group of same-shape outputs. */
  materializeOutputs(outs: readonly Lazy[]): number[] {
    const result: (number | undefined)[] = outs.map((l) => this.direct(l));
    const groups = new Map<string, number[]>();
    outs.forEach((l, i) => {
      if (result[i] !== undefined) return;
      const key = `${l.aval.shape.join(",")}|${this.unresolved(topoOrder([l.expr])).map((p) => p.id).join(",")}`;
      groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    for (const members of groups.values()) {
      const slots = this.emit(members.map((i) => outs[i].expr), outs[members[0]].aval.shape);
      members.forEach((i, k) => (result[i] = slots[k]));
    }
    return result as number[];
  }

  // ---- pending ops --------------------------------------------------------------------------

  private pending(id: number): Pending {
    const p = this.pendings.get(id);
    if (!p) throw new Error("internal: unknown pending op");
    return p;
  }

  private unresolved(nodes: readonly Node[]): Pending[] {
    const ids = new Set<number>();
    for (const n of nodes) if (n.op === "acc" && this.pending(n.arg as number).slot === undefined) ids.add(n.arg as number);
    return [...ids].map((id) => this.pending(id));
  }

  /** Replace acc nodes of materialized pending ops by loads of their buffers. */
  private resolve(roots: readonly Node[], target?: Pending): Node[] {
    return rewrite(roots, (n, args) => {
      if (n.op !== "acc") return undefined;
      const p = this.pending(n.arg as number);
      if (p === target) return scalarVar("acc", p.resultType);
      if (p.slot === undefined) throw new Error("internal: unresolved pending op");
      return load(p.slot, p.resultType, flatten(args, p.outShape));
    });
  }

  private materializePending(p: Pending): void {
    if (p.slot !== undefined) return;
    if (p.kind === "scan") p.slot = this.emitScan(p);
    else p.slot = this.emit([acc(p.id, p.resultType, coords(p.outShape))], p.outShape)[0];
  }

  // ---- kernels ----------------------------------------------------------------------------

  /**
   * Emit the kernel(s) computing `roots` (expressions over coords(shape)) into new slots.
   * If the roots read exactly one pending reduction/contraction, at their own coordinates, it
   * becomes this kernel's loop nest and the roots its epilogue; other pending ops get kernels first.
   */
  emit(roots: readonly Node[], shape: readonly number[]): number[] {
    const size = sizeOf(shape);
    const loop = coords(shape);
    const flatLoop = flatten(loop, shape);
    const all = topoOrder(roots);
    const pend = this.unresolved(all);
    let target: ReducePending | GemmPending | undefined;
    if (pend.length === 1) {
      const p = pend[0];
      const accs = all.filter((n) => n.op === "acc" && n.arg === p.id);
      if (p.kind !== "scan" && sizeOf(p.outShape) === size && accs.every((n) => flatten(n.args, p.outShape) === flatLoop)) target = p;
    }
    for (const p of pend) if (p !== target) this.materializePending(p);
    // A kernel binds at most maxStorageBuffers buffers: split outputs, or unfuse the epilogue.
    const bound = (ns: readonly Node[]) => new Set(topoOrder(ns).filter((n) => n.op === "load").map((n) => n.arg)).size;
    const extra = target?.kind === "reduce" ? [this.settledBody(target.body)] : [];
    const needed = bound([...this.resolve(roots, target), ...extra]) + (target?.kind === "gemm" ? 2 : 0) + roots.length;
    if (needed > this.opts.maxStorageBuffers) {
      if (roots.length > 1) return roots.flatMap((r) => this.emit([r], shape));
      if (target) {
        this.materializePending(target);
        return this.emit(roots, shape);
      }
    }
    const resolved = this.resolve(roots, target);
    const outTypes = roots.map((r) => storageType(r.dtype));
    const outSlots = roots.map((r) => this.newSlot(r.dtype, size));
    if (size === 0) return outSlots;
    const toLoop = (vars: readonly Node[], flat: Node) => new Map(vars.map((v, i) => [v, unflatten(flat, shape)[i]] as const).filter(([v]) => v.op === "var"));

    if (!target) {
      const flat = loopVar("flat", size);
      const values = substitute(resolved, toLoop(loop, flat));
      const { exprs, slots, types } = bindLoads(values);
      this.push({ kind: "map", name: "map", inputs: types, outputs: outTypes, size, values: exprs }, slots, outSlots);
    } else if (target.kind === "reduce") {
      this.emitReduce(target, resolved, outTypes, outSlots, toLoop(loop, loopVar("out", size)));
    } else {
      this.emitGemm(target, resolved, shape, outTypes, outSlots);
    }
    return outSlots;
  }

  private push(kernel: Kernel, inputSlots: readonly number[], outSlots: readonly number[]): void {
    this.steps.push({ kernel, slots: [...inputSlots, ...outSlots] });
  }

  /** Materialize every pending op `body` reads and return it with loads in their place. */
  private settledBody(body: Node): Node {
    for (const p of this.unresolved(topoOrder([body]))) this.materializePending(p);
    return this.resolve([body])[0];
  }

  private emitReduce(p: ReducePending, epilogue: readonly Node[], outTypes: IRType[], outSlots: number[], epiVars: Map<Node, Node>): void {
    const outSize = sizeOf(p.outShape);
    const redSize = sizeOf(p.redShape);
    const out = loopVar("out", outSize);
    const r = loopVar("r", redSize);
    const body = this.settledBody(p.body);
    const vars = new Map<Node, Node>();
    coords(p.outShape).forEach((c, i) => c.op === "var" && vars.set(c, unflatten(out, p.outShape)[i]));
    coords(p.redShape, "r").forEach((c, i) => c.op === "var" && vars.set(c, unflatten(r, p.redShape)[i]));
    const [bodyK] = substitute([body], vars);
    const epi = substitute(epilogue, epiVars);
    const { exprs, slots, types } = bindLoads([bodyK, ...epi]);
    const tree = redSize >= 256 || (redSize >= 32 && outSize <= 256);
    this.push(
      { kind: "reduce", name: `reduce_${p.monoid}`, inputs: types, outputs: outTypes, outSize, redSize, monoid: p.monoid, accType: p.accType, body: exprs[0], epilogue: exprs.slice(1), tree },
      slots, outSlots,
    );
  }

  private emitScan(p: ScanPending): number {
    const shape = p.outShape;
    const size = sizeOf(shape);
    const slot = this.newSlot(p.resultType, size);
    const len = shape[p.axis];
    const rowShape = shape.filter((_, d) => d !== p.axis);
    const rows = sizeOf(rowShape);
    const body = this.settledBody(p.body);
    if (size === 0) return slot;
    const row = loopVar("row", rows);
    const pos = loopVar("pos", len);
    const rc = unflatten(row, rowShape);
    const full = shape.map((_, d) => (d === p.axis ? pos : rc[d < p.axis ? d : d - 1]));
    const vars = new Map<Node, Node>();
    coords(shape).forEach((c, i) => c.op === "var" && vars.set(c, full[i]));
    const [bodyK] = substitute([body], vars);
    const { exprs, slots, types } = bindLoads([bodyK, flatten(full, shape)]);
    this.push(
      { kind: "scan", name: `scan_${p.monoid}`, inputs: types, outputs: [storageType(p.resultType)], rows, length: len, reverse: p.reverse, monoid: p.monoid as Monoid, accType: p.accType, body: exprs[0], outIndex: exprs[1] },
      slots, [slot],
    );
    return slot;
  }

  private emitGemm(p: GemmPending, epilogue: readonly Node[], shape: readonly number[], outTypes: IRType[], outSlots: number[]): void {
    const [nb, M, N] = p.outShape;
    const K = p.a.aval.shape[2];
    const t = p.accType;
    const A = this.gemmOperand(p.a, "a");
    const B = this.gemmOperand(p.b, "b");
    const b = loopVar("b", nb);
    const m = loopVar("m", M);
    const n = loopVar("n", N);
    const o = flatten([b, m, n], [nb, M, N]);
    const vars = new Map<Node, Node>();
    const oc = unflatten(o, shape);
    coords(shape).forEach((c, i) => c.op === "var" && vars.set(c, oc[i]));
    const epi = substitute(epilogue, vars);
    const { exprs, slots, types } = bindLoads(epi, [A.slot, B.slot], [t, t]);
    const layout = A.layout;
    // Register blocks measured on SwiftShader (Node, 512²–1024²): k-major A 16×16 (16×8 for narrow
    // C), row-major A 8×8 — its body already holds 64 vec4 multiply-adds per k4 step.
    const tm = GEMM_TUNING.tm ?? (layout === "km" ? (M >= 16 ? 16 : 8) : M >= 8 ? 8 : 4);
    const tn = GEMM_TUNING.tn ?? (N >= 16 && layout === "km" ? 16 : N >= 8 ? 8 : 4);
    const trivial = epi.length === 1 && epi[0].op === "var";
    this.push(
      {
        kind: "gemm", name: `gemm_${layout}_${tm}x${tn}${trivial ? "" : "+epilogue"}`, inputs: types, outputs: outTypes, batch: nb, M, N, K, accType: t,
        aLayout: layout, aRow: A.row, aBatch: A.batch, bRow: B.row, bBatch: B.batch, tm, tn, unroll: GEMM_TUNING.unroll ?? gemmUnroll(layout, tm, tn), epilogue: exprs,
      },
      slots, outSlots,
    );
  }

  /**
   * A GEMM operand as a buffer of vec4 rows: used in place when it already is one (A row-major
   * with K % 4 == 0 or transposed with M % 4 == 0; B row-major with N % 4 == 0), else packed
   * (A transposed to [nb, K, M↑4], B to [nb, K, N↑4]) by a map kernel that fuses its producers.
   */
  private gemmOperand(x: Lazy, which: "a" | "b"): { slot: number; layout: "mk" | "km"; row: number; batch: number } {
    const [nb, R, C] = x.aval.shape;
    const t = irType(x.aval.dtype);
    let src = x;
    // A producer that is itself pending (another GEMM or a reduction) is materialized in its
    // natural layout first, so it keeps its own epilogue fusion.
    if (this.unresolved(topoOrder([x.expr])).length) {
      for (const p of this.unresolved(topoOrder([x.expr]))) this.materializePending(p);
      src = { aval: x.aval, expr: this.resolve([x.expr])[0] };
    }
    const ld = src.expr.op === "load" ? src.expr : undefined;
    if (ld && ld.dtype === t && this.slots[ld.arg as number].value === t) {
      const slot = ld.arg as number;
      const [cb, ci, cj] = coords([nb, R, C]);
      if (which === "a" && GEMM_TUNING.packA) {
        // fall through to packing
      } else if (which === "a") {
        if (C % 4 === 0 && src.expr === load(slot, t, flatten([cb, ci, cj], [nb, R, C]))) return { slot, layout: "mk", row: C / 4, batch: (R * C) / 4 };
        if (R % 4 === 0 && src.expr === load(slot, t, flatten([cb, cj, ci], [nb, C, R]))) return { slot, layout: "km", row: R / 4, batch: (R * C) / 4 };
      } else if (C % 4 === 0 && src.expr === load(slot, t, flatten([cb, ci, cj], [nb, R, C]))) {
        return { slot, layout: "km", row: C / 4, batch: (R * C) / 4 };
      }
    }
    // Pack: A as [nb, K, M↑4] (k-major), B as [nb, K, N↑4].
    const padded = Math.ceil((which === "a" ? R : C) / 4) * 4;
    const shape = which === "a" ? [nb, C, padded] : [nb, R, padded];
    const [pb, pk, pi] = coords(shape);
    const inRange = (i: Node, n: number) => (padded === n ? constant(true, "bool") : binaryLt(i, n));
    const value = which === "a" ? select3(inRange(pi, R), at(src, [pb, pi, pk]), t) : select3(inRange(pi, C), at(src, [pb, pk, pi]), t);
    const slot = this.emit([value], shape)[0];
    return { slot, layout: "km", row: padded / 4, batch: (shape[1] * padded) / 4 };
  }

  // ---- the finished plan ----------------------------------------------------------------------

  finish(outputs: readonly number[]): Plan {
    // A slot lives from the step that first writes it to the last step that reads or updates it.
    const lastUse = new Map<number, number>();
    this.steps.forEach((s, i) => s.slots.forEach((slot) => lastUse.set(slot, i)));
    for (const o of outputs) lastUse.set(o, Infinity);
    const physical: number[] = [];
    const physicalOf = new Map<number, number>();
    const free: number[] = [];
    const releaseAt = new Map<number, number[]>();
    this.steps.forEach((s, i) => {
      for (const slot of releaseAt.get(i) ?? []) free.push(physicalOf.get(slot)!);
      const nIn = s.kernel.inputs.length;
      for (const slot of s.slots.slice(nIn)) {
        if (physicalOf.has(slot)) continue; // updated in place (scatter)
        const need = Math.max(16, this.slots[slot].bytes);
        let best = -1;
        for (let f = 0; f < free.length; f++) {
          const size = physical[free[f]];
          if (size >= need && size <= 2 * need && (best < 0 || size < physical[free[best]])) best = f;
        }
        let phys: number;
        if (best >= 0) phys = free.splice(best, 1)[0];
        else {
          phys = physical.length;
          physical.push(need);
        }
        physicalOf.set(slot, phys);
        const last = lastUse.get(slot) ?? i;
        if (last !== Infinity) releaseAt.set(last + 1, [...(releaseAt.get(last + 1) ?? []), slot]);
      }
    });
    // Temps that never reach a step (size-0 results, unused outputs) still need a buffer.
    this.slots.forEach((s, slot) => {
      if (s.kind === "temp" && !physicalOf.has(slot)) {
        physicalOf.set(slot, physical.length);
        physical.push(Math.max(16, s.bytes));
      }
    });
    return { slots: this.slots, steps: this.steps, outputs, consts: this.consts, physical, physicalOf };
  }
}

function binaryLt(i: Node, n: number): Node {
  return binary("lt", i, constant(n, "i32"));
}
function select3(cond: Node, v: Node, t: IRType): Node {
  return select(cond, v, constant(0, t));
}

/** The jaxpr a call-like primitive evaluates (inlined into the plan), if `prim` is one. */
export function callJaxpr(prim: string, params: unknown): ClosedJaxpr | undefined {
  if (prim === "jit") return (params as PrimitiveParams["jit"]).jaxpr;
  if (prim === "custom_jvp_call" || prim === "custom_vjp_call") return (params as PrimitiveParams["custom_jvp_call"]).call_jaxpr;
  return undefined;
}

/**
 * Give each distinct buffer a load reads a binding index (after `reserved` ones), in order of
 * first use, and rewrite the loads to those indices: the kernel no longer names plan slots, so
 * equal kernels in different plans share one pipeline.
 */
function bindLoads(exprs: readonly Node[], reserved: readonly number[] = [], reservedTypes: readonly IRType[] = []): { exprs: Node[]; slots: number[]; types: IRType[] } {
  const slots: number[] = [...reserved];
  const types: IRType[] = [...reservedTypes];
  const index = new Map<number, number>();
  for (const n of topoOrder(exprs)) {
    if (n.op !== "load" || index.has(n.arg as number)) continue;
    index.set(n.arg as number, slots.length);
    slots.push(n.arg as number);
    types.push(n.dtype);
  }
  const rebound = rewrite(exprs, (n, args) => (n.op === "load" ? load(index.get(n.arg as number)!, n.dtype, args[0]) : undefined));
  return { exprs: rebound, slots, types };
}

/** Plan a closed jaxpr: constants and arguments in, outputs out. */
export function planJaxpr(closed: ClosedJaxpr, opts: PlannerOptions): Plan {
  const planner = new Planner(opts);
  const { jaxpr } = closed;
  const ins = [...closed.consts.map((c) => planner.constLazy(c)), ...jaxpr.invars.map((v, i) => planner.inputLazy(v.aval, i))];
  const outs = planner.lowerJaxpr(jaxpr, ins);
  return planner.finish(planner.materializeOutputs(outs));
}

