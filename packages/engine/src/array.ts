/**
 * Concrete arrays: an aval plus a buffer on a backend. Creating them from host
 * data, reading them back (sync for scalars as DESIGN.md §5 requires, async
 * otherwise), printing them as JAX does, and the runtime hook that makes the
 * EvalTrace run primitives on the array's backend.
 */
import { ShapedArray, shapeStr, sizeOf } from "./core/aval.js";
import { type DType, type TypedArray, allocTyped, castScalar } from "./core/dtype.js";
import { abstractEval } from "./core/abstract_eval.js";
import { Array, type ScalarConversion, setEvalPrimitive } from "./core/tracer.js";
import type { Backend, DeviceBuffer } from "./backend/backend.js";
import { CpuBackend } from "./backend/cpu/cpu_backend.js";
import { formatRepr, formatStr } from "./print/format.js";


let defaultBackend: Backend = new CpuBackend();

export function getBackend(): Backend {
  return defaultBackend;
}
export function setBackend(b: Backend): void {
  defaultBackend = b;
}

const registry = new FinalizationRegistry<{ backend: Backend; buffer: DeviceBuffer }>(({ backend, buffer }) => backend.free(buffer));

export class ArrayImpl extends Array {
  #disposed = false;
  constructor(
    readonly aval: ShapedArray,
    readonly buffer: DeviceBuffer,
    readonly backend: Backend,
  ) {
    super();
    if (backend.platform !== "cpu") registry.register(this, { backend, buffer }, this);
  }

  private check(): void {
    if (this.#disposed) throw new Error(`Array of shape ${shapeStr(this.shape)} has been disposed; it can no longer be used.`);
  }

  /** Host copy of the data, synchronously (fine for small arrays; large reads should await `data()`). */
  override dataSync(): TypedArray {
    this.check();
    return this.backend.readSync(this.buffer, this.aval);
  }

  override async data(): Promise<TypedArray> {
    this.check();
    return this.backend.read(this.buffer, this.aval);
  }

  override async tolist(): Promise<unknown> {
    return toNested(await this.data(), this.shape, this.dtype);
  }

  override async blockUntilReady(): Promise<this> {
    await this.backend.synchronize();
    return this;
  }

  override dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    registry.unregister(this);
    this.backend.free(this.buffer);
  }

  concreteScalar(what: ScalarConversion): number {
    if (this.size !== 1) {
      const hint =
        what === "bool"
          ? "The truth value of an array with more than one element is ambiguous. Use np.any(x) or np.all(x)."
          : "Only size-1 arrays can be converted to a JS number; read the whole array with `await x.data()` or `await x.tolist()`.";
      throw new TypeError(`Cannot convert an array of shape ${shapeStr(this.shape)} (dtype ${this.dtype}) to a JS ${what === "bool" ? "boolean" : "number"}. ${hint}`);
    }
    return this.dataSync()[0];
  }

  /** JAX's repr: `Array([1., 2.], dtype=float32)`. */
  override repr(): string {
    return formatRepr({ shape: this.shape, dtype: this.dtype, data: this.dataSync(), weakType: this.weakType });
  }

  /** numpy's str: `[1. 2.]`. */
  override toString(): string {
    return formatStr({ shape: this.shape, dtype: this.dtype, data: this.dataSync(), weakType: this.weakType });
  }

  /** Node's util.inspect and the notebook show the repr. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.repr();
  }
}

function toNested(data: TypedArray, shape: readonly number[], dtype: DType): unknown {
  const conv = (v: number) => (dtype === "bool" ? v !== 0 : v);
  if (shape.length === 0) return conv(data[0]);
  const rec = (off: number, d: number): unknown[] => {
    const n = shape[d];
    const stride = sizeOf(shape.slice(d + 1));
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) out.push(d === shape.length - 1 ? conv(data[off + i]) : rec(off + i * stride, d + 1));
    return out;
  };
  return rec(0, 0);
}

/** Make a concrete array from host values (numbers are cast to `dtype`). */
export function fromHostData(values: ArrayLike<number> | TypedArray, shape: readonly number[], dtype: DType, weakType = false, backend = defaultBackend): ArrayImpl {
  const n = sizeOf(shape);
  if (values.length !== n) throw new Error(`internal: ${values.length} values for shape ${shapeStr(shape)}`);
  let data = allocTyped(dtype, n);
  if (dtype === "float16") for (let i = 0; i < n; i++) data[i] = castScalar(values[i], "float32");
  else if (ArrayBuffer.isView(values) && values.constructor === data.constructor) data = (values as TypedArray).slice();
  else for (let i = 0; i < n; i++) data[i] = castScalar(values[i], dtype);
  const aval = new ShapedArray(shape, dtype, weakType);
  return new ArrayImpl(aval, backend.upload({ shape: aval.shape, dtype, data }), backend);
}

export function scalar(v: number | boolean, dtype: DType, weakType = false): ArrayImpl {
  return fromHostData([Number(v)], [], dtype, weakType);
}

setEvalPrimitive((prim, args, params) => {
  const impls = args as ArrayImpl[];
  const backend = impls[0]?.backend ?? defaultBackend;
  for (const a of impls) if (a.backend !== backend) throw new Error(`${prim}: operands live on different backends (${backend.platform}, ${a.backend.platform}); move them with devicePut.`);
  const outAvals = abstractEval(prim, impls.map((a) => a.aval), params);
  const outs = backend.executePrimitive(prim, impls.map((a) => a.buffer), params, outAvals);
  return outs.map((b, i) => new ArrayImpl(outAvals[i], b, backend));
});
