/** The CPU implementation table for every first-order primitive. */
import type { CpuImplTable } from "./host_array.js";
import type { PrimitiveName } from "../../core/primitives.js";
import { elementwiseCpu } from "./elementwise.js";
import { structuralCpu } from "./structural.js";
import { prngCpu } from "./prng.js";

export const cpuImpls: CpuImplTable<Exclude<PrimitiveName, "jit">> = { ...elementwiseCpu, ...structuralCpu, ...prngCpu };
