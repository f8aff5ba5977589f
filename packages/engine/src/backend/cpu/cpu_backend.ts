/**
 * The CPU reference backend: buffers are dense typed arrays on the JS heap;
 * eager primitives run the implementation table; `compile` turns a closed jaxpr
 * into a plan that fuses elementwise chains into generated loops (fusion.ts)
 * and drops intermediates at their last use.
 */
import type { ShapedArray } from "../../core/aval.js";
import type { TypedArray } from "../../core/dtype.js";
import type { ClosedJaxpr } from "../../core/jaxpr.js";
import type { PrimitiveName, PrimitiveParams } from "../../core/primitives.js";
import type { Backend, Device, DeviceBuffer, Executable } from "../backend.js";
import type { HostArray } from "./host_array.js";
import { cpuImpls } from "./impls.js";
import { compileJaxprCpu } from "./compile.js";
import { broadcastInputs } from "./broadcast.js";

class CpuDevice implements Device {
  readonly platform = "cpu" as const;
  constructor(readonly id: number) {}
  toString(): string {
    return `CpuDevice(id=${this.id})`;
  }
}

export class CpuBackend implements Backend {
  readonly platform = "cpu" as const;
  readonly devices: readonly Device[] = [new CpuDevice(0)];
  private compiled = new WeakMap<ClosedJaxpr, Executable>();

  upload(host: HostArray): DeviceBuffer {
    return host;
  }
  readSync(buf: DeviceBuffer): TypedArray {
    return (buf as HostArray).data;
  }
  async read(buf: DeviceBuffer): Promise<TypedArray> {
    return (buf as HostArray).data;
  }
  executePrimitive<P extends PrimitiveName>(prim: P, inputs: readonly DeviceBuffer[], params: PrimitiveParams[P], outAvals: readonly ShapedArray[]): DeviceBuffer[] {
    if (prim === "jit") return this.compile((params as PrimitiveParams["jit"]).jaxpr)(inputs);
    const impl = cpuImpls[prim as Exclude<PrimitiveName, "jit">] as unknown as (i: readonly HostArray[], p: unknown, o: readonly ShapedArray[]) => HostArray[];
    return impl(broadcastInputs(prim, inputs as HostArray[], outAvals[0]?.shape ?? []), params, outAvals);
  }
  compile(closed: ClosedJaxpr): Executable {
    let exe = this.compiled.get(closed);
    if (!exe) {
      exe = compileJaxprCpu(closed, (c) => this.compile(c)) as Executable;
      this.compiled.set(closed, exe);
    }
    return exe;
  }
  free(): void {}
  async synchronize(): Promise<void> {}
}
