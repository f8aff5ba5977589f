/**
 * CPU implementations of the custom-derivative primitives: `stop_gradient` is a
 * copy; `custom_jvp_call` / `custom_vjp_call` run their `call_jaxpr` (compiled
 * once per ClosedJaxpr); evaluating `custom_lin` means a forward-mode jvp of a
 * custom_vjp function reached execution, which raises JAX's error.
 */
import type { ClosedJaxpr } from "../../core/jaxpr.js";
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

/** Run a call's jaxpr; outputs that forward an input (or repeat) are copied, as impls never alias. */
function runCall(closed: ClosedJaxpr, ins: readonly HostArray[]): HostArray[] {
  const inBufs = new Set(ins.map((h) => h.data.buffer));
  const seen = new Set<ArrayBufferLike>();
  return compile(closed)(ins).map((o) => {
    const shared = inBufs.has(o.data.buffer) || seen.has(o.data.buffer);
    seen.add(o.data.buffer);
    return shared ? copy(o) : o;
  });
}

export const stopGradientCpu: CpuImpl<"stop_gradient"> = ([x]) => [copy(x)];
export const customJvpCallCpu: CpuImpl<"custom_jvp_call"> = (ins, { call_jaxpr }) => runCall(call_jaxpr, ins);
export const customVjpCallCpu: CpuImpl<"custom_vjp_call"> = (ins, { call_jaxpr }) => runCall(call_jaxpr, ins);
export const customLinCpu: CpuImpl<"custom_lin"> = () => {
  throw new TypeError("can't apply forward-mode autodiff (jvp) to a custom_vjp function.");
};
