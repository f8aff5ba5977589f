/**
 * The WebGPU backend (backend.ts's interface): arrays are 32-bit storage buffers named by id
 * (bool stored as one u32 0/1 per element); eager primitives and compiled jaxprs both run as
 * plans (plan.ts) of generated kernels, cached per signature; pipelines are cached by the
 * structural key of their kernel. A compiled call records all its dispatches and submits once.
 * Small uploads keep a host copy, so reading back constants never waits for the GPU. Jaxprs
 * with loops run as segments around host-driven `while`/`scan` (control.ts).
 */
import { ShapedArray, sizeOf } from "../../core/aval.js";
import { type DType, type TypedArray, allocTyped } from "../../core/dtype.js";
import { type ClosedJaxpr, Jaxpr, Var, paramToString } from "../../core/jaxpr.js";
import type { PrimitiveName, PrimitiveParams } from "../../core/primitives.js";
import type { Backend, Device, DeviceBuffer, Executable } from "../backend.js";
import type { HostArray } from "../cpu/host_array.js";
import type { GpuClient } from "./client.js";
import { compileSegmented, executeControl, needsHost } from "./control.js";
import type { AdapterSummary } from "./protocol.js";
import { kernelKey, shortHash, type Kernel } from "./kernel.js";
import { irType } from "./lazy.js";
import { type Plan, callJaxpr, planJaxpr } from "./plan.js";
import { renderKernel } from "./wgsl.js";

/** One device allocation, shared by the handles of arrays that alias it (reshape, identity jit). */
class Allocation {
  refs = 1;
  constructor(
    readonly id: number,
    readonly bytes: number,
    /** Host copy of small uploads. */
    readonly host?: TypedArray,
  ) {}
}

/** The DeviceBuffer of this backend: a handle on an allocation, with the array's shape and dtype. */
export class WebGpuBuffer {
  released = false;
  constructor(
    readonly alloc: Allocation,
    readonly shape: readonly number[],
    readonly dtype: DType,
  ) {}
  get aval(): ShapedArray {
    return new ShapedArray(this.shape, this.dtype);
  }
}

export class WebGpuDevice implements Device {
  readonly platform = "webgpu" as const;
  constructor(
    readonly id: number,
    readonly adapter: string,
  ) {}
  toString(): string {
    return `WebGpuDevice(id=${this.id}, adapter="${this.adapter}")`;
  }
}

/** Uploads up to this many elements keep a host copy. */
const HOST_COPY_MAX = 4096;

interface CompiledPipeline {
  readonly pid: number;
  readonly groups: readonly [number, number, number];
  readonly name: string;
}

export interface WebGpuStats {
  dispatches: number;
  submissions: number;
  pipelines: number;
  /** Names of dispatched kernels, in order (reset with resetStats). */
  kernels: string[];
}

export class WebGpuBackend implements Backend {
  readonly platform = "webgpu" as const;
  readonly devices: readonly Device[];
  readonly stats: WebGpuStats = { dispatches: 0, submissions: 0, pipelines: 0, kernels: [] };
  private readonly eager = new Map<string, Plan>();
  private readonly compiled = new WeakMap<ClosedJaxpr, Executable>();
  private readonly pipelines = new Map<string, CompiledPipeline>();
  private readonly byCode = new Map<string, number>();
  private readonly maxStorageBuffers: number;
  /** WGSL of every pipeline by name (debugging aid). */
  readonly shaders = new Map<string, string>();

  constructor(readonly client: GpuClient) {
    const a = client.adapter;
    const name = [a.vendor, a.architecture, a.description].filter(Boolean).join(" ") || "WebGPU adapter";
    this.devices = [new WebGpuDevice(0, name)];
    this.maxStorageBuffers = Math.min(a.limits.maxStorageBuffersPerShaderStage ?? 8, 16);
  }

  /** The adapter: vendor, architecture, description, subgroup sizes, features and the limits in use. */
  get adapter(): AdapterSummary {
    return this.client.adapter;
  }

  /** Device errors reported so far (validation, out-of-memory, shader compilation). */
  get uncapturedErrors(): readonly string[] {
    return this.client.errors;
  }

  resetStats(): void {
    this.stats.dispatches = 0;
    this.stats.submissions = 0;
    this.stats.kernels = [];
  }

  // ---- buffers ----------------------------------------------------------------------------

  upload(host: HostArray): DeviceBuffer {
    const t = irType(host.dtype);
    const n = sizeOf(host.shape);
    const words = t === "f32" ? new Float32Array(n) : t === "i32" ? new Int32Array(n) : new Uint32Array(n);
    words.set(host.data as ArrayLike<number>);
    const id = this.client.newBuffer();
    this.client.send({ op: "upload", id, data: words.buffer });
    const copy = n <= HOST_COPY_MAX ? host.data.slice() : undefined;
    return new WebGpuBuffer(new Allocation(id, n * 4, copy), host.shape, host.dtype);
  }

  free(buf: DeviceBuffer): void {
    const b = buf as WebGpuBuffer;
    if (b.released) return;
    b.released = true;
    if (--b.alloc.refs === 0 && !this.client.lostReason) this.client.send({ op: "free", id: b.alloc.id });
  }

  /** Another handle on `b`'s allocation (freed independently). */
  share(b: WebGpuBuffer, shape = b.shape, dtype = b.dtype): WebGpuBuffer {
    b.alloc.refs++;
    return new WebGpuBuffer(b.alloc, shape, dtype);
  }

  /** A fresh buffer with undefined contents. */
  alloc(shape: readonly number[], dtype: DType): WebGpuBuffer {
    const bytes = sizeOf(shape) * 4;
    const id = this.client.newBuffer();
    this.client.send({ op: "alloc", id, bytes: Math.max(16, bytes) });
    return new WebGpuBuffer(new Allocation(id, bytes), shape, dtype);
  }

  /** A rank-0 array of value `v`. */
  scalar(v: number, aval: ShapedArray): WebGpuBuffer {
    const data = allocTyped(aval.dtype, 1);
    data[0] = v;
    return this.upload({ shape: aval.shape, dtype: aval.dtype, data }) as WebGpuBuffer;
  }

  /** Copy bytes between device buffers, in order with recorded dispatches. */
  copy(src: WebGpuBuffer, srcOffset: number, dst: WebGpuBuffer, dstOffset: number, bytes: number): void {
    this.client.send({ op: "copy", src: src.alloc.id, srcOffset, dst: dst.alloc.id, dstOffset, bytes });
  }

  readSync(buf: DeviceBuffer, aval: ShapedArray): TypedArray {
    const b = buf as WebGpuBuffer;
    if (b.alloc.host) return b.alloc.host.slice();
    if (aval.size === 0) return fromWords(new ArrayBuffer(0), aval.dtype, 0);
    return fromWords(this.client.readSync(b.alloc.id, aval.size * 4), aval.dtype, aval.size);
  }

  async read(buf: DeviceBuffer, aval: ShapedArray): Promise<TypedArray> {
    const b = buf as WebGpuBuffer;
    if (b.alloc.host) return b.alloc.host.slice();
    if (aval.size === 0) return fromWords(new ArrayBuffer(0), aval.dtype, 0);
    return fromWords(await this.client.read(b.alloc.id, aval.size * 4), aval.dtype, aval.size);
  }

  async synchronize(): Promise<void> {
    await this.client.sync();
  }

  destroy(): void {
    this.client.destroy();
  }

  // ---- execution ----------------------------------------------------------------------------

  executePrimitive<P extends PrimitiveName>(prim: P, inputs: readonly DeviceBuffer[], params: PrimitiveParams[P], outAvals: readonly ShapedArray[]): DeviceBuffer[] {
    // Call-like primitives compile their jaxpr (cached per ClosedJaxpr object, never by its text).
    const call = callJaxpr(prim, params);
    if (call) return this.compile(call)(inputs);
    const ins = inputs as readonly WebGpuBuffer[];
    if (prim === "cond" || prim === "while" || prim === "scan") return executeControl(this, prim, ins, params, outAvals);
    // Reshapes of contiguous buffers are free: share the allocation.
    if ((prim === "reshape" || prim === "squeeze") && outAvals[0].dtype === ins[0].dtype) return [this.share(ins[0], outAvals[0].shape)];
    const record = params as Record<string, unknown>;
    const key = `${prim}|${Object.keys(record).sort().map((k) => `${k}=${paramToString(record[k])}`).join(";")}|${ins.map((b) => `${b.dtype}[${b.shape}]`).join(";")}`;
    let plan = this.eager.get(key);
    if (!plan) {
      const inVars = ins.map((b) => new Var(new ShapedArray(b.shape, b.dtype)));
      const outVars = outAvals.map((a) => new Var(a));
      const jaxpr = new Jaxpr([], inVars, [{ primitive: prim, inputs: inVars, params, outBinders: outVars }], outVars);
      plan = planJaxpr({ jaxpr, consts: [] } as unknown as ClosedJaxpr, { maxStorageBuffers: this.maxStorageBuffers });
      this.eager.set(key, plan);
    }
    return this.run(plan, ins, [], outAvals);
  }

  compile(closed: ClosedJaxpr): Executable {
    let exe = this.compiled.get(closed);
    if (exe) return exe;
    if (needsHost(closed.jaxpr)) {
      exe = compileSegmented(this, closed);
      this.compiled.set(closed, exe);
      return exe;
    }
    const plan = planJaxpr(closed, { maxStorageBuffers: this.maxStorageBuffers });
    const consts = plan.consts.map((c) => this.adopt(c));
    const outAvals = closed.jaxpr.outvars.map((v) => v.aval);
    exe = (inputs) => {
      void closed; // the closed jaxpr owns the constant arrays this plan reads
      return this.run(plan, inputs as readonly WebGpuBuffer[], consts, outAvals);
    };
    this.compiled.set(closed, exe);
    return exe;
  }

  /** A constant array of a jaxpr as a buffer of this backend (copied from another backend if needed). */
  adopt(c: unknown): WebGpuBuffer {
    const arr = c as { backend: Backend; buffer: DeviceBuffer; aval: ShapedArray; dataSync(): TypedArray };
    if (arr.backend === this) return arr.buffer as WebGpuBuffer;
    return this.upload({ shape: arr.aval.shape, dtype: arr.aval.dtype, data: arr.dataSync() }) as WebGpuBuffer;
  }

  /** The pipeline of a kernel: cached by structural key, then by WGSL text (keys change if the node table is reset). */
  private pipeline(k: Kernel): CompiledPipeline {
    const key = kernelKey(k);
    let p = this.pipelines.get(key);
    if (!p) {
      const { code, groups } = renderKernel(k);
      let pid = this.byCode.get(code);
      if (pid === undefined) {
        pid = this.client.newPipeline();
        const label = `${k.name}_${shortHash(code)}`;
        this.client.send({ op: "pipeline", pid, code, label });
        this.byCode.set(code, pid);
        this.shaders.set(label, code);
        this.stats.pipelines++;
      }
      p = { pid, groups, name: k.name };
      this.pipelines.set(key, p);
    }
    return p;
  }

  private run(plan: Plan, args: readonly WebGpuBuffer[], consts: readonly WebGpuBuffer[], outAvals: readonly ShapedArray[]): WebGpuBuffer[] {
    const phys = plan.physical.map((bytes) => {
      const id = this.client.newBuffer();
      this.client.send({ op: "alloc", id, bytes });
      return { id, bytes, alloc: null as Allocation | null };
    });
    const idOf = (slot: number): number => {
      const s = plan.slots[slot];
      if (s.kind === "input") return args[s.index].alloc.id;
      if (s.kind === "const") return consts[s.index].alloc.id;
      return phys[plan.physicalOf.get(slot)!].id;
    };
    let dispatched = false;
    for (const step of plan.steps) {
      const p = this.pipeline(step.kernel);
      if (p.groups[0] === 0) continue;
      this.client.send({ op: "dispatch", pid: p.pid, buffers: step.slots.map(idOf), groups: p.groups });
      this.stats.dispatches++;
      this.stats.kernels.push(p.name);
      dispatched = true;
    }
    if (dispatched) {
      this.client.submit();
      this.stats.submissions++;
    }
    const outs = plan.outputs.map((slot, i) => {
      const s = plan.slots[slot];
      const aval = outAvals[i];
      if (s.kind === "input") return this.share(args[s.index], aval.shape, aval.dtype);
      if (s.kind === "const") return this.share(consts[s.index], aval.shape, aval.dtype);
      const ph = phys[plan.physicalOf.get(slot)!];
      if (ph.alloc) ph.alloc.refs++;
      else ph.alloc = new Allocation(ph.id, ph.bytes);
      return new WebGpuBuffer(ph.alloc, aval.shape, aval.dtype);
    });
    for (const ph of phys) if (!ph.alloc) this.client.send({ op: "free", id: ph.id });
    return outs;
  }
}

/** Host typed array of `n` elements of `dtype` from 32-bit words (bool words are 0/1). */
function fromWords(buf: ArrayBuffer, dtype: DType, n: number): TypedArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(buf, 0, n);
    case "int32":
      return new Int32Array(buf, 0, n);
    case "uint32":
      return new Uint32Array(buf, 0, n);
    case "bool":
      return Uint8Array.from(new Uint32Array(buf, 0, n), (v) => (v ? 1 : 0));
    default:
      throw new Error(`internal: dtype ${dtype} on the WebGPU backend`);
  }
}
