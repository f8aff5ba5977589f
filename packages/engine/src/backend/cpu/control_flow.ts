/**
 * CPU implementations of `cond`, `while` and `scan`: the inner jaxprs are
 * compiled with the CPU compiler (cached per ClosedJaxpr) and run on host
 * buffers. The branch index and the loop predicate are read from the host
 * data; scan slices its `xs` along the leading axis and writes each step's
 * `ys` into preallocated stacked outputs.
 */
import type { ClosedJaxpr } from "../../core/jaxpr.js";
import { sizeOf } from "../../core/aval.js";
import { allocTyped } from "../../core/dtype.js";
import type { CpuImpl, HostArray } from "./host_array.js";
import { compileJaxprCpu } from "./compile.js";

type Exe = (ins: readonly HostArray[]) => HostArray[];

const cache = new WeakMap<ClosedJaxpr, Exe>();

function compile(closed: ClosedJaxpr): Exe {
  let exe = cache.get(closed);
  if (!exe) {
    exe = compileJaxprCpu(closed, (c) => compile(c) as (ins: readonly object[]) => object[]) as Exe;
    cache.set(closed, exe);
  }
  return exe;
}

const copy = (h: HostArray): HostArray => ({ shape: h.shape, dtype: h.dtype, data: h.data.slice() });

/** Outputs must not share storage with the inputs (a compiled jaxpr may forward an input). */
function fresh(outs: HostArray[], ins: readonly HostArray[]): HostArray[] {
  const inBufs = new Set(ins.map((h) => h.data.buffer));
  const seen = new Set<ArrayBufferLike>();
  return outs.map((o) => {
    const shared = inBufs.has(o.data.buffer) || seen.has(o.data.buffer);
    seen.add(o.data.buffer);
    return shared ? copy(o) : o;
  });
}

/** Row `i` of `x` along its leading axis, as a view. */
function row(x: HostArray, i: number): HostArray {
  const shape = x.shape.slice(1);
  const n = sizeOf(shape);
  return { shape, dtype: x.dtype, data: x.data.subarray(i * n, (i + 1) * n) };
}

// Function declarations (hoisted), so the impl table can be built whichever
// module of the impls <-> compile cycle loads first.

export function condCpu(...[inputs, { branches }]: Parameters<CpuImpl<"cond">>): HostArray[] {
  const raw = Number(inputs[0].data[0]);
  const index = Math.min(Math.max(raw, 0), branches.length - 1);
  const ops = inputs.slice(1);
  return fresh(compile(branches[index])(ops), inputs);
}

export function whileCpu(...[inputs, { cond_jaxpr, cond_nconsts, body_jaxpr, body_nconsts }]: Parameters<CpuImpl<"while">>): HostArray[] {
  const cconsts = inputs.slice(0, cond_nconsts);
  const bconsts = inputs.slice(cond_nconsts, cond_nconsts + body_nconsts);
  let carry = inputs.slice(cond_nconsts + body_nconsts);
  const condExe = compile(cond_jaxpr);
  const bodyExe = compile(body_jaxpr);
  while (condExe([...cconsts, ...carry])[0].data[0]) carry = bodyExe([...bconsts, ...carry]);
  return fresh(carry, inputs);
}

export function scanCpu(...[inputs, { jaxpr, length, num_consts, num_carry, reverse }, outAvals]: Parameters<CpuImpl<"scan">>): HostArray[] {
  const consts = inputs.slice(0, num_consts);
  let carry = inputs.slice(num_consts, num_consts + num_carry);
  const xs = inputs.slice(num_consts + num_carry);
  const ys: HostArray[] = outAvals.slice(num_carry).map((a) => ({ shape: a.shape, dtype: a.dtype, data: allocTyped(a.dtype, sizeOf(a.shape)) }));
  const exe = compile(jaxpr);
  for (let t = 0; t < length; t++) {
    const i = reverse ? length - 1 - t : t;
    const outs = exe([...consts, ...carry, ...xs.map((x) => row(x, i))]);
    carry = outs.slice(0, num_carry);
    outs.slice(num_carry).forEach((y, k) => ys[k].data.set(y.data as never, i * y.data.length));
  }
  return [...fresh(carry, inputs), ...ys];
}
