/**
 * Array creation (jnp.array, asarray, zeros, ones, full, *Like, arange,
 * linspace, eye, identity, tri/tril/triu). JS numbers that become arrays on
 * their own are float32 unless a dtype is given (DESIGN.md §3); typed arrays
 * keep their element type; `arange` of integers is int32 as in JAX.
 */
import { type Array } from "../core/tracer.js";
import { type DType, type TypedArray, isDType } from "../core/dtype.js";
import { shapeStr, sizeOf } from "../core/aval.js";
import { fromHostData } from "../array.js";
import * as lax from "../lax/lax.js";
import { isArray, describe } from "../lax/lax.js";
import { canonicalizeDtype, convertTo, promoteDtypes, resultType } from "./util.js";
import { ValueError } from "../core/errors.js";

export interface DTypeOpt {
  dtype?: DType;
}

type Nested = number | boolean | Array | TypedArray | readonly Nested[];

function typedDtype(t: TypedArray): DType {
  if (t instanceof Float32Array) return "float32";
  if (t instanceof Float64Array) return "float64";
  if (t instanceof Int32Array) return "int32";
  if (t instanceof Uint32Array) return "uint32";
  return "bool";
}

function checkDtype(fn: string, dtype: unknown): DType | undefined {
  if (dtype === undefined || dtype === null) return undefined;
  if (!isDType(dtype)) throw new TypeError(`${fn}: unknown dtype ${JSON.stringify(dtype)}; use one of bool, int32, uint32, float16, float32, float64.`);
  return canonicalizeDtype(dtype, fn);
}

/** jnp.array: from nested JS arrays, typed arrays, scalars or Arrays (always a copy). */
export function array(object: Nested, opts: DTypeOpt = {}): Array {
  const dtype = checkDtype("array", opts.dtype);
  if (isArray(object)) return dtype ? lax.convertElementType(object, dtype) : lax.convertElementType(object, object.dtype, object.weakType);
  if (ArrayBuffer.isView(object)) {
    const t = object as TypedArray;
    return fromHostData(t, [t.length], dtype ?? typedDtype(t));
  }
  if (typeof object === "number" || typeof object === "boolean") return fromHostData([Number(object)], [], dtype ?? (typeof object === "boolean" ? "bool" : "float32"));
  if (!globalThis.Array.isArray(object)) throw new TypeError(`array: cannot make an array from ${describe(object)}.`);
  // Nested JS arrays: find the shape, check it is rectangular, collect leaves.
  const shape: number[] = [];
  for (let cur: unknown = object; globalThis.Array.isArray(cur) || ArrayBuffer.isView(cur); cur = (cur as ArrayLike<unknown>)[0]) {
    shape.push((cur as ArrayLike<unknown>).length);
    if ((cur as ArrayLike<unknown>).length === 0) break;
  }
  const leaves: unknown[] = [];
  const walk = (x: unknown, d: number, path: string): void => {
    if (d === shape.length) {
      if (globalThis.Array.isArray(x) || ArrayBuffer.isView(x))
        throw new ValueError(`array: setting an array element with a sequence. The nested list has an inhomogeneous shape after ${d} dimensions (at ${path}).`);
      leaves.push(x);
      return;
    }
    const len = (x as ArrayLike<unknown>)?.length;
    if (!(globalThis.Array.isArray(x) || ArrayBuffer.isView(x)) || len !== shape[d])
      throw new ValueError(`array: the nested list has an inhomogeneous shape: expected length ${shape[d]} at ${path}, got ${globalThis.Array.isArray(x) ? len : describe(x)}.`);
    for (let i = 0; i < len; i++) walk((x as ArrayLike<unknown>)[i], d + 1, `${path}[${i}]`);
  };
  walk(object, 0, "object");
  if (leaves.some(isArray)) {
    // Arrays inside JS lists: each element converted to the result dtype, then stacked (as JAX traces it).
    const t = resultType(...(leaves as (Array | number | boolean)[]));
    const target = { dtype: dtype ?? (t.weakType && t.dtype !== "bool" && !leaves.every(isArray) ? "float32" : t.dtype), weakType: false };
    const converted = (leaves as (Array | number | boolean)[]).map((x) => convertTo(x, target));
    const parts = converted.map((a) => lax.broadcastInDim(a, [1, ...a.shape], a.shape.map((_, i) => i + 1)));
    const inner = (leaves.find(isArray) as Array).shape;
    return lax.reshape(lax.concatenate(parts, 0), [...shape, ...inner]);
  }
  for (const v of leaves)
    if (typeof v !== "number" && typeof v !== "boolean") throw new TypeError(`array: elements must be numbers, booleans or Arrays, got ${describe(v)}.`);
  const allBool = leaves.length > 0 && leaves.every((v) => typeof v === "boolean");
  return fromHostData(leaves.map(Number), shape, dtype ?? (allBool ? "bool" : "float32"));
}

/** jnp.asarray: like array, but returns Arrays of the requested dtype as they are. JS scalars are weakly typed. */
export function asarray(object: Nested, opts: DTypeOpt = {}): Array {
  const dtype = checkDtype("asarray", opts.dtype);
  if (isArray(object)) return dtype && dtype !== object.dtype ? lax.convertElementType(object, dtype) : object;
  if (typeof object === "number" || typeof object === "boolean") {
    const d = dtype ?? (typeof object === "boolean" ? "bool" : "float32");
    return fromHostData([Number(object)], [], d, dtype === undefined && typeof object === "number");
  }
  return array(object, opts);
}

function checkShape(fn: string, shape: number | readonly number[]): number[] {
  const s = typeof shape === "number" ? [shape] : [...shape];
  for (const d of s)
    if (!Number.isInteger(d) || d < 0) throw new TypeError(`${fn}: shape must be a list of non-negative integers, got ${JSON.stringify(shape)}.`);
  return s;
}

/** jnp.full(shape, fillValue): fill value broadcast with broadcast_in_dim (as JAX traces it). */
export function full(shape: number | readonly number[], fillValue: number | boolean | Array, opts: DTypeOpt = {}): Array {
  const s = checkShape("full", shape);
  const dtype = checkDtype("full", opts.dtype);
  let v: Array;
  if (isArray(fillValue)) v = dtype ? lax.convertElementType(fillValue, dtype) : fillValue;
  else v = lax.convertElementType(fillValue, dtype ?? (typeof fillValue === "boolean" ? "bool" : "float32"), false);
  if (v.ndim === 0) return lax.broadcastInDim(v, s, []);
  return broadcastToShape(v, s, "full");
}

export function broadcastToShape(v: Array, s: readonly number[], fn: string): Array {
  const nd = s.length;
  const bad = () => new ValueError(`${fn}: cannot broadcast array of shape ${shapeStr(v.shape)} to shape ${shapeStr(s)}.`);
  if (v.ndim > nd) throw bad();
  const offset = nd - v.ndim;
  v.shape.forEach((d, i) => {
    if (d !== 1 && d !== s[i + offset]) throw bad();
  });
  // One broadcast_in_dim, as JAX emits: operand dims of size 1 may map to larger target dims.
  return lax.broadcastInDim(v, s, v.shape.map((_, i) => i + offset));
}

export function zeros(shape: number | readonly number[], opts: DTypeOpt = {}): Array {
  return full(shape, 0, { dtype: opts.dtype ?? "float32" });
}
export function ones(shape: number | readonly number[], opts: DTypeOpt = {}): Array {
  return full(shape, 1, { dtype: opts.dtype ?? "float32" });
}
export function empty(shape: number | readonly number[], opts: DTypeOpt = {}): Array {
  return zeros(shape, opts);
}

export interface LikeOpts extends DTypeOpt {
  shape?: number | readonly number[];
}
export function fullLike(x: Array | number, fillValue: number | boolean | Array, opts: LikeOpts = {}): Array {
  const a = isArray(x) ? x : array(x);
  return full(opts.shape ?? a.shape, fillValue, { dtype: opts.dtype ?? a.dtype });
}
export function zerosLike(x: Array | number, opts: LikeOpts = {}): Array {
  return fullLike(x, 0, opts);
}
export function onesLike(x: Array | number, opts: LikeOpts = {}): Array {
  return fullLike(x, 1, opts);
}
export function emptyLike(x: Array | number, opts: LikeOpts = {}): Array {
  return fullLike(x, 0, opts);
}

/**
 * jnp.arange(stop) / arange(start, stop, step?, opts?). Integer arguments give
 * int32, any fractional argument float32.
 */
export function arange(start: number, stop?: number | null, step?: number | null, opts: DTypeOpt = {}): Array {
  for (const v of [start, stop, step])
    if (v !== undefined && v !== null && typeof v !== "number")
      throw new TypeError(`arange: arguments must be JS numbers (concrete values), got ${describe(v)}. Under jit, pass sizes as static arguments.`);
  if (stop === undefined || stop === null) [start, stop] = [0, start];
  const st = step ?? 1;
  if (st === 0) throw new ValueError("arange: step must not be zero.");
  const dtype = checkDtype("arange", opts.dtype) ?? ([start, stop, st].every(Number.isInteger) ? "int32" : "float32");
  const n = Math.max(0, Math.ceil((stop - start) / st));
  if (start === 0 && st === 1) return lax.iota(dtype, n);
  const vals = new globalThis.Array<number>(n);
  for (let i = 0; i < n; i++) vals[i] = start + i * st;
  return fromHostData(vals, [n], dtype);
}

export interface LinspaceOpts extends DTypeOpt {
  endpoint?: boolean;
  axis?: number;
}
/** jnp.linspace(start, stop, num=50). With `retstep` use linspaceWithStep. */
export function linspace(start: number | Array, stop: number | Array, num = 50, opts: LinspaceOpts = {}): Array {
  return linspaceWithStep(start, stop, num, opts)[0];
}
export function linspaceWithStep(start: number | Array, stop: number | Array, num = 50, opts: LinspaceOpts = {}): [Array, Array] {
  if (!Number.isInteger(num) || num < 0) throw new ValueError(`linspace: number of samples, ${num}, must be non-negative.`);
  const endpoint = opts.endpoint ?? true;
  const dtype = checkDtype("linspace", opts.dtype) ?? "float32";
  const [s, e] = promoteDtypes("linspace", start, stop).map((a) => lax.convertElementType(a, "float32"));
  const div = endpoint ? num - 1 : num;
  const step = lax.div(lax.sub(e, s), Math.max(div, 1));
  const shape = [num, ...s.shape];
  const idx = lax.broadcastedIota("float32", shape, 0);
  const sB = lax.broadcastInDim(s, shape, s.shape.map((_, i) => i + 1));
  const stepB = lax.broadcastInDim(step, shape, s.shape.map((_, i) => i + 1));
  let out = lax.add(sB, lax.mul(idx, stepB));
  if (endpoint && num > 1) {
    // The last sample is exactly `stop`.
    const eB = lax.broadcastInDim(e, shape, s.shape.map((_, i) => i + 1));
    const isLast = lax.eq(lax.broadcastedIota("int32", shape, 0), num - 1);
    out = lax.select(isLast, eB, out);
  }
  const axis = opts.axis ?? 0;
  if (axis !== 0 && s.ndim > 0) {
    const nd = out.ndim;
    const ax = axis < 0 ? axis + nd : axis;
    const perm = [...globalThis.Array(nd).keys()].filter((i) => i !== 0);
    perm.splice(ax, 0, 0);
    out = lax.transpose(out, perm);
  }
  const stepOut = num > 1 || !endpoint ? step : lax.convertElementType(NaN, "float32");
  return [lax.convertElementType(out, dtype), stepOut];
}

export interface EyeOpts extends DTypeOpt {
  k?: number;
}
export function eye(n: number, m?: number | null, opts: EyeOpts = {}): Array {
  const M = m ?? n;
  const k = opts.k ?? 0;
  const rows = lax.broadcastedIota("int32", [n, M], 0);
  const cols = lax.broadcastedIota("int32", [n, M], 1);
  const mask = lax.eq(lax.add(rows, k), cols);
  return lax.convertElementType(mask, checkDtype("eye", opts.dtype) ?? "float32");
}
export function identity(n: number, opts: DTypeOpt = {}): Array {
  return eye(n, n, opts);
}
/** jnp.tri(N, M, k): ones at and below the k-th diagonal. */
export function tri(n: number, m?: number | null, k = 0, opts: DTypeOpt = {}): Array {
  const M = m ?? n;
  const rows = lax.broadcastedIota("int32", [n, M], 0);
  const cols = lax.broadcastedIota("int32", [n, M], 1);
  return lax.convertElementType(lax.ge(lax.add(rows, k), cols), checkDtype("tri", opts.dtype) ?? "float32");
}
function triMask(x: Array, k: number, lower: boolean, fn: string): Array {
  if (x.ndim < 2) throw new ValueError(`${fn}: input array must be at least 2-d, got shape (${x.shape.join(", ")}).`);
  const [n, m] = x.shape.slice(-2);
  const rows = lax.broadcastedIota("int32", [n, m], 0);
  const cols = lax.broadcastedIota("int32", [n, m], 1);
  const keep = lower ? lax.ge(lax.add(rows, k), cols) : lax.le(lax.add(rows, k), cols);
  const keepB = lax.broadcastInDim(keep, x.shape, [x.ndim - 2, x.ndim - 1]);
  return lax.select(keepB, x, lax.broadcastInDim(lax.convertElementType(0, x.dtype), x.shape, []));
}
export function tril(x: Array, k = 0): Array {
  return triMask(x, k, true, "tril");
}
export function triu(x: Array, k = 0): Array {
  return triMask(x, k, false, "triu");
}

export { sizeOf };
