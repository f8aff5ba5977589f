/** The CPU implementation table for every first-order primitive. */
import type { CpuImplTable } from "./host_array.js";
import type { PrimitiveName } from "../../core/primitives.js";
import { elementwiseCpu } from "./elementwise.js";
import { structuralCpu } from "./structural.js";
import { prngCpu } from "./prng.js";
import { condCpu, scanCpu, whileCpu } from "./control_flow.js";
import { customJvpCallCpu, customLinCpu, customVjpCallCpu, stopGradientCpu } from "./custom_derivatives.js";

export const cpuImpls: CpuImplTable<Exclude<PrimitiveName, "jit">> = {
  ...elementwiseCpu, ...structuralCpu, ...prngCpu, cond: condCpu, while: whileCpu, scan: scanCpu,
  stop_gradient: stopGradientCpu, custom_jvp_call: customJvpCallCpu, custom_vjp_call: customVjpCallCpu, custom_lin: customLinCpu,
};
