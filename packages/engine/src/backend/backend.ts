/**
 * The backend interface: the small surface every device implementation offers
 * (DESIGN.md §2): upload, read (sync for small arrays, async otherwise),
 * run one primitive eagerly, compile a closed jaxpr, free.
 */
import type { ShapedArray } from "../core/aval.js";
import type { TypedArray } from "../core/dtype.js";
import type { ClosedJaxpr } from "../core/jaxpr.js";
import type { PrimitiveName, PrimitiveParams } from "../core/primitives.js";
import type { HostArray } from "./cpu/host_array.js";

/** Opaque device storage owned by one backend. */
export type DeviceBuffer = object;

/** A compiled jaxpr: buffers in (consts first, then args), buffers out. */
export type Executable = (inputs: readonly DeviceBuffer[]) => DeviceBuffer[];

export interface Device {
  readonly id: number;
  readonly platform: "cpu" | "webgpu";
  toString(): string;
}

export interface Backend {
  readonly platform: "cpu" | "webgpu";
  readonly devices: readonly Device[];
  upload(host: HostArray): DeviceBuffer;
  readSync(buf: DeviceBuffer, aval: ShapedArray): TypedArray;
  read(buf: DeviceBuffer, aval: ShapedArray): Promise<TypedArray>;
  executePrimitive<P extends PrimitiveName>(prim: P, inputs: readonly DeviceBuffer[], params: PrimitiveParams[P], outAvals: readonly ShapedArray[]): DeviceBuffer[];
  compile(closed: ClosedJaxpr): Executable;
  free(buf: DeviceBuffer): void;
  /** Resolves when all queued work is done. */
  synchronize(): Promise<void>;
}
