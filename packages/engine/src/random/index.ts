/**
 * `random` (jax.random): counter-based pseudo-random numbers from the Threefry-2x32 hash,
 * bit-exact with JAX under both settings of `config.jax_threefry_partitionable` (true, JAX's
 * default since 0.5.0; false, the legacy stream). The algorithms follow jax/_src/prng.py
 * (seeding, split, fold_in, random_bits) and jax/_src/random.py (the samplers), and every
 * sampler is written with lax operations, so it traces under jit like any other function.
 *
 * Keys: `key(seed)` returns a typed key (a `PRNGKeyArray` of shape [] and dtype `key<fry>`,
 * see keys.ts), `PRNGKey(seed)` JAX's legacy raw key data (a uint32 array of shape [2]), and
 * every function takes either kind; `split` and `foldIn` return keys of the kind they were
 * given. `keyData` and `wrapKeyData` convert between the two. As in JAX, functions accept a
 * single key only: map over a batch of keys (`split(key, n)`) with vmap.
 */
import { type Array } from "../core/tracer.js";
import { type DType, isDType, isFloat, isInteger, isUnsigned } from "../core/dtype.js";
import { shapeStr, sizeOf } from "../core/aval.js";
import { ValueError } from "../core/errors.js";
import { GatherDimensionNumbers } from "../core/primitives.js";
import { config } from "../config.js";
import { fromHostData } from "../array.js";
import * as lax from "../lax/lax.js";
import { type ArrayLike, describe, isArray } from "../lax/lax.js";
import { threefry2x32 } from "../lax/prng.js";
import { canonicalizeDtype } from "../numpy/util.js";
import { PRNGKeyArray, type PRNGImplLike, isPRNGKeyArray, resolvePrngImpl, threefry2x32Impl } from "./keys.js";

export { PRNGKeyArray, PRNGImpl, type PRNGImplLike, type KeyDType, isPRNGKeyArray, issubdtype, prngKey, extended, isKeyDtype } from "./keys.js";

/** A key argument: a typed key array (from `key`) or raw uint32 key data (from `PRNGKey`). */
export type KeyArrayLike = Array | PRNGKeyArray;

type FloatDType = "float16" | "float32" | "float64";
export type DTypeArg = DType | { dtype?: DType };

const TWO32 = 4294967296;
/** numpy's finfo for Kiln's float dtypes: mantissa bits, smallest normal, eps, epsneg. */
const FINFO: Record<FloatDType, { nmant: number; tiny: number; eps: number; epsneg: number }> = {
  float16: { nmant: 10, tiny: 2 ** -14, eps: 2 ** -10, epsneg: 2 ** -11 },
  float32: { nmant: 23, tiny: 2 ** -126, eps: 2 ** -23, epsneg: 2 ** -24 },
  float64: { nmant: 52, tiny: 2 ** -1022, eps: 2 ** -52, epsneg: 2 ** -53 },
};
const range = (a: number, b: number) => globalThis.Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);

// ---- argument checking ------------------------------------------------------------------------

/** JAX's `_check_prng_key_data`: uint32 data whose trailing dimension is the key shape (2,). */
function checkKeyData(fn: string, data: unknown): Array {
  if (!isArray(data)) throw new TypeError(`${fn}: unexpected PRNG key type ${describe(data)}; create keys with random.key(seed) or random.PRNGKey(seed).`);
  if (data.ndim < 1) throw new TypeError(`JAX encountered invalid PRNG key data: expected key_data.ndim >= 1; got ndim=0 (in ${fn}).`);
  if (data.shape[data.ndim - 1] !== 2)
    throw new TypeError(`JAX encountered invalid PRNG key data: expected key_data.shape to end with (2,); got shape=${shapeStr(data.shape)} for impl=threefry2x32 (in ${fn}).`);
  if (data.dtype !== "uint32") throw new TypeError(`JAX encountered invalid PRNG key data: expected key_data.dtype = uint32; got dtype=${data.dtype} (in ${fn}).`);
  return data;
}

/**
 * JAX's `_check_prng_key`: the raw uint32 data of a typed key or of raw key data; batched keys
 * are refused (unless `allowBatched`) as JAX does, naming the key array's shape.
 */
function checkKey(fn: string, key: unknown, allowBatched = false): Array {
  const typed = isPRNGKeyArray(key);
  if (typed && key.impl !== threefry2x32Impl) throw new ValueError(`${fn}: unsupported PRNG implementation ${key.impl.name}.`);
  const data = checkKeyData(fn, typed ? key.keyData : key);
  const keyShape = typed ? key.shape : data.shape;
  if (!allowBatched && data.ndim > 1)
    throw new ValueError(`${fn} accepts a single key, but was given a key array of shape ${shapeStr(keyShape)} != (). Use jax.vmap for batching.`);
  return data;
}

/** New key data in the kind of `like`: wrapped when it was a typed key, raw otherwise (JAX's `_return_prng_keys`). */
function sameKind<K extends KeyArrayLike>(like: K, data: Array): K {
  return (isPRNGKeyArray(like) ? new PRNGKeyArray(like.impl, data) : data) as K;
}

function checkShape(fn: string, shape: unknown): number[] {
  const ok = globalThis.Array.isArray(shape) && shape.every((d) => Number.isInteger(d) && d >= 0);
  if (!ok) throw new TypeError(`${fn}: shape must be an array of non-negative integers, got ${describe(shape)}${globalThis.Array.isArray(shape) ? ` ${JSON.stringify(shape)}` : ""}.`);
  return [...(shape as number[])];
}

function dtypeOf(arg: DTypeArg | undefined): DType | undefined {
  return typeof arg === "object" && arg !== null ? arg.dtype : arg;
}

function knownDtype(fn: string, d: unknown): DType {
  if (!isDType(d)) throw new TypeError(`${fn}: unknown dtype ${JSON.stringify(d)}; Kiln's dtypes are bool, int32, uint32, float16, float32, float64.`);
  return d;
}

/** JAX's default float: float64 with jax_enable_x64, else float32. */
const defaultFloat = (): FloatDType => (config.jax_enable_x64 ? "float64" : "float32");

/** A float dtype request, canonicalized (float64 becomes float32 without x64, with JAX's warning). */
function floatDtype(fn: string, d: DType | undefined, kind = "a float dtype"): FloatDType {
  const dt = knownDtype(fn, d ?? defaultFloat());
  if (!isFloat(dt)) throw new ValueError(`dtype argument to \`${fn}\` must be ${kind}, got ${dt}`);
  return canonicalizeDtype(dt, fn) as FloatDType;
}

/** numpy broadcasting of shapes (lax.broadcast_shapes), or a ValueError in JAX's words. */
function broadcastShapes(...shapes: (readonly number[])[]): number[] {
  const nd = Math.max(0, ...shapes.map((s) => s.length));
  const out = new globalThis.Array<number>(nd).fill(1);
  for (const s of shapes)
    s.forEach((d, i) => {
      const j = i + nd - s.length;
      if (d === out[j] || d === 1) return;
      if (out[j] !== 1) throw new ValueError(`Incompatible shapes for broadcasting: shapes=[${shapes.map(shapeStr).join(", ")}]`);
      out[j] = d;
    });
  return out;
}

/** JAX's `_check_shape`: parameter shapes must broadcast to exactly the requested shape. */
function checkParamShapes(fn: string, shape: readonly number[], ...paramShapes: (readonly number[])[]): void {
  if (paramShapes.length === 0) return;
  const b = broadcastShapes(shape, ...paramShapes);
  if (b.join() !== shape.join())
    throw new ValueError(
      `${fn} parameter shapes must be broadcast-compatible with shape argument, and the result of broadcasting the shapes ` +
        `must equal the shape argument, but got result ${shapeStr(b)} for shape argument ${shapeStr(shape)}.`,
    );
}

const shapeOfArg = (x: ArrayLike): readonly number[] => (isArray(x) ? x.shape : []);

// ---- small lax helpers ------------------------------------------------------------------------------

/** A strong constant of `dtype` (float16 constants are rounded through a convert). */
function constant(v: number, dtype: DType): Array {
  return dtype === "float16" ? lax.convertElementType(lax.convertElementType(v, "float32"), "float16") : lax.convertElementType(v, dtype);
}
const u32 = (v: number) => lax.convertElementType(v >>> 0, "uint32");
const full = (v: number, dtype: DType, shape: readonly number[]) => lax.broadcastInDim(constant(v, dtype), shape, []);

/** lax.broadcast_to_rank: prepend size-1 dims up to `rank`. */
function toRank(x: Array, rank: number): Array {
  return x.ndim >= rank ? x : lax.broadcast(x, new globalThis.Array<number>(rank - x.ndim).fill(1));
}

function stack(xs: Array[], axis: number): Array {
  return lax.concatenate(xs.map((x) => lax.expandDims(x, [axis])), axis);
}

/** jnp.take(x, ind, axis) as one gather (the indices' dims replace `axis`). */
function take(x: Array, ind: Array, axis: number, uniqueIndices = false): Array {
  const s = ind.ndim;
  const outRank = x.ndim - 1 + s;
  const dn = new GatherDimensionNumbers([...range(0, axis), ...range(axis + s, outRank)], [axis], [axis]);
  return lax.gather(x, lax.reshape(ind, [...ind.shape, 1]), {
    dimensionNumbers: dn,
    sliceSizes: x.shape.map((d, i) => (i === axis ? 1 : d)),
    mode: "fill",
    uniqueIndices,
  });
}

// ---- the threefry PRNG (jax/_src/prng.py) -----------------------------------------------------------

/** The two key words as uint32 scalars. */
function keyWords(key: Array): [Array, Array] {
  return [lax.reshape(lax.slice(key, [0], [1]), []), lax.reshape(lax.slice(key, [1], [2]), [])];
}

/** Row `i` of a [n, 2] array of keys. */
function keyAt(keys: Array, i: number): Array {
  return lax.reshape(lax.slice(keys, [i, 0], [i + 1, 2]), [2]);
}

/**
 * JAX's `threefry_2x32(key, count)`: the flattened counts (zero-padded to even length) are cut
 * in halves that form the two words of each hashed block; the two output words are concatenated.
 */
function hashCounts(key: Array, count: Array): Array {
  const [k0, k1] = keyWords(key);
  const n = count.size;
  const odd = n % 2;
  let flat = lax.reshape(count, [n]);
  if (odd) flat = lax.concatenate([flat, full(0, "uint32", [1])], 0);
  const half = (n + odd) / 2;
  const [y0, y1] = threefry2x32(k0, k1, lax.slice(flat, [0], [half]), lax.slice(flat, [half], [2 * half]));
  let out = lax.concatenate([y0, y1], 0);
  if (odd) out = lax.slice(out, [0], [n]);
  return lax.reshape(out, count.shape);
}

/** JAX's `iota_2x32_shape`: the high and low words of a row-major uint64 iota of `shape`. */
function iota2x32(shape: readonly number[]): [Array, Array] {
  const n = sizeOf(shape);
  if (n > TWO32) throw new Error(`random bits array of size ${n} exceeding 2 ** 32 elements is not supported.`);
  const zeros = full(0, "uint32", shape);
  if (shape.length === 0) return [zeros, zeros];
  return [zeros, lax.reshape(lax.iota("uint32", n), shape)];
}

/** One block of `shape` hashed words per key word pair (the partitionable stream). */
function hashIota(key: Array, shape: readonly number[]): [Array, Array] {
  const [k0, k1] = keyWords(key);
  const [hi, lo] = iota2x32(shape);
  return threefry2x32(k0, k1, hi, lo);
}

/** JAX's `threefry_split`: foldlike (partitionable) or the original iota-of-2n hash. */
function splitKey(key: Array, shape: readonly number[]): Array {
  if (config.jax_threefry_partitionable) return stack(hashIota(key, shape), shape.length);
  return lax.reshape(hashCounts(key, lax.iota("uint32", sizeOf(shape) * 2)), [...shape, 2]);
}

/** Two fresh keys from one (JAX's `k1, k2 = _split(key)`). */
function split2(key: Array): [Array, Array] {
  const keys = splitKey(key, [2]);
  return [keyAt(keys, 0), keyAt(keys, 1)];
}

/** JAX's `threefry_random_bits` for 32-bit words: a uint32 array of `shape`. */
function bits32(key: Array, shape: readonly number[]): Array {
  if (config.jax_threefry_partitionable) {
    const [b0, b1] = hashIota(key, shape);
    return lax.bitwiseXor(b0, b1);
  }
  return lax.reshape(hashCounts(key, lax.iota("uint32", sizeOf(shape))), shape);
}

/** 16-bit random values (held in uint32): the low half of the partitionable word, or legacy half-words in order. */
function bits16(key: Array, shape: readonly number[]): Array {
  if (config.jax_threefry_partitionable) return lax.bitwiseAnd(bits32(key, shape), u32(0xffff));
  const size = sizeOf(shape);
  const words = Math.ceil(size / 2);
  const w = hashCounts(key, lax.iota("uint32", words));
  const halves = stack([lax.bitwiseAnd(w, u32(0xffff)), lax.shiftRightLogical(w, u32(16))], 1);
  return lax.reshape(lax.slice(lax.reshape(halves, [2 * words]), [0], [size]), shape);
}

/** 64-bit random values as their [high, low] uint32 words. */
function bits64(key: Array, shape: readonly number[]): [Array, Array] {
  if (config.jax_threefry_partitionable) return hashIota(key, shape);
  const size = sizeOf(shape);
  const w = hashCounts(key, lax.iota("uint32", 2 * size));
  return [lax.reshape(lax.slice(w, [0], [size]), shape), lax.reshape(lax.slice(w, [size], [2 * size]), shape)];
}

// ---- keys ----------------------------------------------------------------------------------------------

export interface KeyOptions {
  /** The PRNG implementation (JAX's `impl`): "threefry2x32", the default and Kiln's only one. */
  impl?: PRNGImplLike | null;
}

/**
 * JAX's `_key` and `threefry_seed`: the raw key data [high, low] of a scalar integer seed. As in
 * JAX, a JS number is taken as a 64-bit integer, of which only the low 32 bits survive without
 * jax_enable_x64.
 */
function seedData(ctor: string, seed: unknown): Array {
  if (isPRNGKeyArray(seed)) throw new TypeError(`${ctor} accepts a scalar seed, but was given a PRNG key.`);
  if (isArray(seed)) {
    if (seed.ndim) throw new TypeError(`${ctor} accepts a scalar seed, but was given an array of shape ${shapeStr(seed.shape)} != (). Use jax.vmap for batching`);
    if (!isInteger(seed.dtype)) throw new TypeError(`PRNG key seed must be an integer; got an array of dtype ${seed.dtype}.`);
    return lax.concatenate([full(0, "uint32", [1]), lax.reshape(lax.convertElementType(seed, "uint32"), [1])], 0);
  }
  if (typeof seed !== "number" || !Number.isSafeInteger(seed)) throw new TypeError(`PRNG key seed must be an integer; got ${describe(seed)}.`);
  const hi = Math.floor(seed / TWO32);
  const lo = seed - hi * TWO32;
  return fromHostData([config.jax_enable_x64 ? hi >>> 0 : 0, lo], [2], "uint32");
}

/** jax.random.PRNGKey: a legacy raw key, uint32 key data of shape [2], from an integer seed. */
export function PRNGKey(seed: number | Array, opts: KeyOptions = {}): Array {
  resolvePrngImpl(opts.impl);
  return seedData("PRNGKey", seed);
}

/** jax.random.key: a typed key (shape [], dtype key<fry>) from an integer seed. */
export function key(seed: number | Array, opts: KeyOptions = {}): PRNGKeyArray {
  const impl = resolvePrngImpl(opts.impl);
  return new PRNGKeyArray(impl, seedData("key", seed));
}

/** jax.random.key_data: the raw uint32 key data of keys, shape [...keys.shape, 2] (raw key data is returned as it is). */
export function keyData(keys: KeyArrayLike): Array {
  return checkKey("key_data", keys, true);
}

/** jax.random.wrap_key_data: a typed key array over raw uint32 key data (shape [...s, 2] gives keys of shape s). */
export function wrapKeyData(keyBitsArray: Array, opts: KeyOptions = {}): PRNGKeyArray {
  const impl = resolvePrngImpl(opts.impl);
  const given: unknown = keyBitsArray;
  if (isPRNGKeyArray(given))
    throw new TypeError(`JAX encountered invalid PRNG key data: expected key_data.dtype = uint32; got dtype=${given.dtype} (in wrap_key_data).`);
  return new PRNGKeyArray(impl, checkKeyData("wrap_key_data", keyBitsArray));
}

/** jax.random.key_impl: the name of the keys' PRNG implementation ("threefry2x32" for raw keys too). */
export function keyImpl(keys: KeyArrayLike): string {
  checkKey("key_impl", keys, true);
  return isPRNGKeyArray(keys) ? keys.impl.name : threefry2x32Impl.name;
}

/** Splits a key into `num` new keys (or a `num`-shaped array of keys): typed keys of shape num, or raw data of shape [...num, 2]. */
export function split(key: PRNGKeyArray, num?: number | readonly number[]): PRNGKeyArray;
export function split(key: Array, num?: number | readonly number[]): Array;
export function split(key: KeyArrayLike, num?: number | readonly number[]): KeyArrayLike;
export function split(key: KeyArrayLike, num: number | readonly number[] = 2): KeyArrayLike {
  const k = checkKey("split", key);
  const shape = checkShape("split", typeof num === "number" ? [num] : num);
  return sameKind(key, splitKey(k, shape));
}

/** A new key from a key and 32-bit integer data: threefry_2x32(key, [0, data]) in both modes. */
export function foldIn(key: PRNGKeyArray, data: number | Array): PRNGKeyArray;
export function foldIn(key: Array, data: number | Array): Array;
export function foldIn(key: KeyArrayLike, data: number | Array): KeyArrayLike;
export function foldIn(key: KeyArrayLike, data: number | Array): KeyArrayLike {
  const k = checkKey("fold_in", key);
  let d: Array;
  if (isArray(data)) {
    if (data.ndim) throw new TypeError(`fold_in accepts a scalar, but was given an array of shape ${shapeStr(data.shape)} != (). Use jax.vmap for batching.`);
    d = lax.convertElementType(data, "uint32");
  } else {
    if (typeof data !== "number" || !Number.isFinite(data)) throw new TypeError(`fold_in: data must be a 32-bit integer, got ${describe(data)}.`);
    d = u32(Math.trunc(data));
  }
  return sameKind(key, hashCounts(k, lax.concatenate([full(0, "uint32", [1]), lax.reshape(d, [1])], 0)));
}

// ---- samplers ------------------------------------------------------------------------------------

/** Uniform random bits as unsigned integers (uint32, Kiln's only unsigned dtype). */
export function bits(key: KeyArrayLike, shape: readonly number[] = [], dtype: DType = "uint32"): Array {
  const k = checkKey("bits", key);
  const s = checkShape("bits", shape);
  const d = knownDtype("bits", dtype);
  if (!isUnsigned(d)) throw new ValueError(`dtype argument to \`bits\` must be an unsigned int dtype, got ${d}`);
  return bits32(k, s);
}

/** Floats in [0, 1) from the mantissa bits: bitcast((bits >> (nbits - nmant)) | bits(1.0)) - 1, as JAX does. */
function unitFloats(key: Array, shape: readonly number[], dtype: FloatDType): Array {
  if (dtype === "float32") {
    const mant = lax.shiftRightLogical(bits32(key, shape), u32(32 - 23));
    const one = lax.bitcastConvertType(lax.bitwiseOr(mant, u32(0x3f800000)), "float32");
    return lax.sub(one, constant(1, "float32"));
  }
  // float16/float64: Kiln has no uint16/uint64 view, but (1 + m·2^-nmant) - 1 = m·2^-nmant exactly.
  if (dtype === "float16") {
    const mant = lax.shiftRightLogical(bits16(key, shape), u32(16 - 10));
    return lax.convertElementType(lax.mul(lax.convertElementType(mant, "float32"), 2 ** -10), "float16");
  }
  const [hi, lo] = bits64(key, shape); // mantissa = hi·2^20 + (lo >> 12)
  const h = lax.mul(lax.convertElementType(hi, "float64"), 2 ** -32);
  const l = lax.mul(lax.convertElementType(lax.shiftRightLogical(lo, u32(12)), "float64"), 2 ** -52);
  return lax.add(h, l);
}

function uniformImpl(key: Array, shape: readonly number[], dtype: FloatDType, minval: ArrayLike, maxval: ArrayLike): Array {
  const lo = toRank(lax.convertElementType(minval, dtype), shape.length);
  const hi = toRank(lax.convertElementType(maxval, dtype), shape.length);
  const floats = unitFloats(key, shape, dtype);
  return lax.max(lo, lax.add(lax.mul(floats, lax.sub(hi, lo)), lo));
}

export interface UniformOptions {
  dtype?: DType;
  minval?: ArrayLike;
  maxval?: ArrayLike;
}

/** Uniform floats in [minval, maxval). */
export function uniform(key: KeyArrayLike, shape: readonly number[] = [], opts: UniformOptions | DType = {}): Array {
  const o = typeof opts === "string" ? { dtype: opts } : opts;
  const k = checkKey("uniform", key);
  const s = checkShape("uniform", shape);
  return uniformImpl(k, s, floatDtype("uniform", o.dtype), o.minval ?? 0, o.maxval ?? 1);
}

function normalImpl(key: Array, shape: readonly number[], dtype: FloatDType): Array {
  const lo = -1 + FINFO[dtype].epsneg; // nextafter(-1, 0)
  const u = uniformImpl(key, shape, dtype, constant(lo, dtype), constant(1, dtype));
  return lax.mul(constant(Math.SQRT2, dtype), lax.erfInv(u));
}

/** Standard normal floats: sqrt(2) · erfinv(u), u uniform in (-1, 1). */
export function normal(key: KeyArrayLike, shape: readonly number[] = [], dtype?: DTypeArg): Array {
  const k = checkKey("normal", key);
  const s = checkShape("normal", shape);
  return normalImpl(k, s, floatDtype("normal", dtypeOf(dtype), "a float or complex dtype"));
}

/** Standard normal floats truncated to the open interval (lower, upper). */
export function truncatedNormal(key: KeyArrayLike, lower: ArrayLike, upper: ArrayLike, shape?: readonly number[] | null, dtype?: DTypeArg): Array {
  const k = checkKey("truncated_normal", key);
  const d = floatDtype("truncated_normal", dtypeOf(dtype));
  let s: number[];
  if (shape === undefined || shape === null) s = broadcastShapes(shapeOfArg(lower), shapeOfArg(upper));
  else {
    s = checkShape("truncated_normal", shape);
    checkParamShapes("truncated_normal", s, shapeOfArg(lower), shapeOfArg(upper));
  }
  const sqrt2 = constant(Math.SQRT2, d);
  const lo = lax.convertElementType(lower, d);
  const hi = lax.convertElementType(upper, d);
  const a = lax.erf(lax.div(lo, sqrt2));
  const b = lax.erf(lax.div(hi, sqrt2));
  const out = lax.mul(sqrt2, lax.erfInv(uniformImpl(k, s, d, a, b)));
  // Clamp into the open interval: rounding (or drawing u = a) must not reach the bounds.
  const floor = toRank(lax.nextafter(lo, constant(Infinity, d)), s.length);
  const ceil = toRank(lax.nextafter(hi, constant(-Infinity, d)), s.length);
  return lax.min(ceil, lax.max(floor, out));
}

/** Booleans that are true with probability p. */
export function bernoulli(key: KeyArrayLike, p?: ArrayLike | null, shape?: readonly number[] | null): Array {
  const k = checkKey("bernoulli", key);
  let pa: Array;
  if (p === undefined || p === null) pa = constant(0.5, "float32"); // JAX's default p is np.float32(0.5)
  else if (isArray(p)) {
    if (!isFloat(p.dtype)) throw new TypeError(`bernoulli probability \`p\` must have a floating dtype, got ${p.dtype}.`);
    pa = lax.convertElementType(p, canonicalizeDtype(p.dtype, "bernoulli"));
  } else {
    if (typeof p !== "number") throw new TypeError(`bernoulli probability \`p\` must be a float or a float Array, got ${describe(p)}.`);
    pa = lax.convertElementType(p, defaultFloat());
  }
  let s: number[];
  if (shape === undefined || shape === null) s = [...pa.shape];
  else {
    s = checkShape("bernoulli", shape);
    checkParamShapes("bernoulli", s, pa.shape);
  }
  return lax.lt(uniformImpl(k, s, pa.dtype as FloatDType, 0, 1), toRank(pa, s.length));
}

/** An integer bound as an Array of an integer dtype (floats truncate, as `astype(int)` does). */
function intBound(fn: string, v: ArrayLike): Array {
  if (isArray(v)) return isInteger(v.dtype) ? v : lax.convertElementType(v, "int32");
  if (typeof v !== "number") throw new TypeError(`${fn} requires ndarray or scalar arguments, got ${describe(v)}.`);
  const t = Math.trunc(v);
  // A JS number is an int32 unless only uint32 (or neither) holds it; out-of-range values saturate.
  if (t > 2147483647) return lax.convertElementType(Math.min(t, TWO32 - 1), "uint32");
  return lax.convertElementType(Math.max(t, -2147483648), "int32");
}

const IINFO: Record<"int32" | "uint32", [number, number]> = { int32: [-2147483648, 2147483647], uint32: [0, TWO32 - 1] };

/** JAX's `_convert_and_clip_integer`: clamp to the range both dtypes share, then convert. */
function convertAndClip(v: Array, dtype: "int32" | "uint32"): Array {
  if (v.dtype === dtype) return v;
  const [lo1, hi1] = IINFO[dtype];
  const [lo2, hi2] = IINFO[v.dtype as "int32" | "uint32"];
  const clamped = lax.clamp(constant(Math.max(lo1, lo2), v.dtype), v, constant(Math.min(hi1, hi2), v.dtype));
  return lax.convertElementType(clamped, dtype);
}

/**
 * Uniform integers in [minval, maxval). As JAX does, two words of random bits are drawn per
 * value from the two halves of split(key) and combined modulo the span, which keeps the bias low.
 */
export function randint(key: KeyArrayLike, shape: readonly number[], minval: ArrayLike, maxval: ArrayLike, dtype: DType = "int32"): Array {
  const k = checkKey("randint", key);
  const s = checkShape("randint", shape);
  const d = knownDtype("randint", dtype);
  if (!isInteger(d)) throw new TypeError(`randint only accepts integer dtypes, got ${d}`);
  const dt = d as "int32" | "uint32";
  checkParamShapes("randint", s, shapeOfArg(minval), shapeOfArg(maxval));
  let lo = intBound("randint", minval);
  let hi = intBound("randint", maxval);
  // maxval past the dtype's max (e.g. 2**32 for uint32) means "up to and including max".
  const hiOutOfRange =
    typeof maxval === "number"
      ? constant(Math.trunc(maxval) > IINFO[dt][1] ? 1 : 0, "bool")
      : lax.gt(hi, convertAndClip(constant(IINFO[dt][1], dt), hi.dtype as "int32" | "uint32"));
  lo = toRank(convertAndClip(lo, dt), s.length);
  hi = toRank(convertAndClip(hi, dt), s.length);
  const outOfRange = toRank(hiOutOfRange, s.length);

  const [k1, k2] = split2(k);
  const higher = bits32(k1, s);
  const lower = bits32(k2, s);
  let span = lax.convertElementType(lax.sub(hi, lo), "uint32");
  // maxval <= minval returns minval (span 1); an out-of-range maxval widens the span by one.
  span = lax.select(lax.le(hi, lo), lax.broadcastInDim(u32(1), span.shape, []), span);
  span = lax.select(lax.bitwiseAnd(outOfRange, lax.gt(hi, lo)), lax.add(span, u32(1)), span);
  // (higher·2^32 + lower) mod span, with multiplier = 2^32 mod span computed without overflow.
  let multiplier = lax.rem(u32(2 ** 16), span);
  multiplier = lax.rem(lax.mul(multiplier, multiplier), span);
  let offset = lax.add(lax.mul(lax.rem(higher, span), multiplier), lax.rem(lower, span));
  offset = lax.rem(offset, span);
  return lax.add(lo, lax.convertElementType(offset, dt));
}

function gumbelImpl(key: Array, shape: readonly number[], dtype: FloatDType, mode: "low" | "high"): Array {
  const { tiny, nmant } = FINFO[dtype];
  if (mode === "high") {
    // Two uniforms per value: the second fills in the low-order bits of the first below 1/2.
    const u = uniformImpl(key, [2, ...shape], dtype, 0, 1);
    const high = lax.reshape(lax.sliceInDim(u, 0, 1, 1, 0), shape);
    const low = lax.reshape(lax.sliceInDim(u, 1, 2, 1, 0), shape);
    const x = lax.select(lax.ge(high, constant(0.5, dtype)), high, lax.add(lax.add(high, lax.mul(constant(2 ** -nmant, dtype), low)), constant(tiny, dtype)));
    return lax.neg(lax.log(lax.neg(lax.log1p(lax.neg(x)))));
  }
  const u = uniformImpl(key, shape, dtype, constant(tiny, dtype), constant(1, dtype));
  return lax.neg(lax.log(lax.neg(lax.log(u))));
}

export interface GumbelOptions {
  dtype?: DType;
  /** "low" (default): -log(-log(u)); "high": extra low-order bits for accuracy in the tail. */
  mode?: "low" | "high";
}

/** Standard Gumbel samples: -log(-log(u)). */
export function gumbel(key: KeyArrayLike, shape: readonly number[] = [], opts: GumbelOptions | DType = {}): Array {
  const o = typeof opts === "string" ? { dtype: opts } : opts;
  const k = checkKey("gumbel", key);
  const s = checkShape("gumbel", shape);
  const mode = o.mode ?? "low";
  if (mode !== "low" && mode !== "high") throw new ValueError(`gumbel: mode must be "low" or "high", got ${JSON.stringify(mode)}.`);
  return gumbelImpl(k, s, floatDtype("gumbel", o.dtype), mode);
}

/** Standard exponential samples: -log1p(-u). */
export function exponential(key: KeyArrayLike, shape: readonly number[] = [], dtype?: DTypeArg): Array {
  const k = checkKey("exponential", key);
  const s = checkShape("exponential", shape);
  const u = uniformImpl(k, s, floatDtype("exponential", dtypeOf(dtype)), 0, 1);
  return lax.neg(lax.log1p(lax.neg(u)));
}

/** Standard Laplace samples: sign(u) · log1p(-|u|) for u uniform in (-1, 1). */
export function laplace(key: KeyArrayLike, shape: readonly number[] = [], dtype?: DTypeArg): Array {
  const k = checkKey("laplace", key);
  const s = checkShape("laplace", shape);
  const d = floatDtype("laplace", dtypeOf(dtype));
  const u = uniformImpl(k, s, d, constant(-1 + FINFO[d].epsneg, d), constant(1, d));
  return lax.mul(lax.sign(u), lax.log1p(lax.neg(lax.abs(u))));
}

/** Standard logistic samples: log(u) - log1p(-u) (JAX's current formula). */
export function logistic(key: KeyArrayLike, shape: readonly number[] = [], dtype?: DTypeArg): Array {
  const k = checkKey("logistic", key);
  const s = checkShape("logistic", shape);
  const d = floatDtype("logistic", dtypeOf(dtype));
  const u = uniformImpl(k, s, d, constant(FINFO[d].tiny, d), constant(1, d));
  return lax.sub(lax.log(u), lax.log1p(lax.neg(u)));
}

export interface CategoricalOptions {
  axis?: number;
  /** Result shape; must broadcast with the logits' shape without `axis` (extra leading dims draw more samples). */
  shape?: readonly number[] | null;
}

/** Samples from categorical distributions given by unnormalized log-probabilities: argmax(logits + gumbel). */
export function categorical(key: KeyArrayLike, logits: Array, opts: CategoricalOptions = {}): Array {
  const k = checkKey("categorical", key);
  if (!isArray(logits)) throw new TypeError(`categorical requires ndarray arguments for logits, got ${describe(logits)}.`);
  const nd = logits.ndim;
  let axis = opts.axis ?? -1;
  if (!Number.isInteger(axis) || axis < -nd || axis >= nd) throw new ValueError(`categorical: axis ${axis} is out of bounds for logits of rank ${nd}.`);
  if (axis >= 0) axis -= nd;
  const ax = axis + nd;
  const batchShape = logits.shape.filter((_, i) => i !== ax);
  let shape: number[];
  if (opts.shape === undefined || opts.shape === null) shape = batchShape;
  else {
    shape = checkShape("categorical", opts.shape);
    checkParamShapes("categorical", shape, batchShape);
  }
  const prefix = shape.slice(0, shape.length - batchShape.length);
  const logitsShape = shape.slice(shape.length - batchShape.length);
  logitsShape.splice(ax, 0, logits.shape[ax]);
  const g = gumbel(k, [...prefix, ...logitsShape], { dtype: logits.dtype });
  const expanded = lax.expandDims(logits, range(0, prefix.length));
  return lax.argmax(lax.add(g, expanded), axis + prefix.length + logitsShape.length, "int32");
}

/** JAX's `_shuffle`: a few rounds of sorting by fresh 32-bit random keys along `axis`. */
function shuffle(key: Array, x: Array, axis: number): Array {
  const rounds = Math.ceil((3 * Math.log(Math.max(1, x.size))) / Math.log(TWO32 - 1));
  for (let r = 0; r < rounds; r++) {
    const [next, sub] = split2(key);
    key = next;
    x = (lax.sort([bits32(sub, x.shape), x], axis, true, 1) as Array[])[1];
  }
  return x;
}

function normAxis(fn: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) throw new ValueError(`${fn}: axis ${axis} is out of bounds for array of dimension ${ndim}`);
  return axis < 0 ? axis + ndim : axis;
}

/** A concrete integer count from a JS number or a scalar integer Array (a tracer raises ConcretizationTypeError). */
function concreteCount(what: string, x: number | Array): number {
  const bad = () => new TypeError(`${what} must be an integer or at least 1-dimensional, got ${isArray(x) ? `an array of dtype ${x.dtype}` : describe(x)}.`);
  if (isArray(x)) {
    if (!isInteger(x.dtype)) throw bad();
    return x.concreteScalar("index");
  }
  if (!Number.isInteger(x)) throw bad();
  return x;
}

export interface PermutationOptions {
  axis?: number;
  /** Shuffle each slice along `axis` independently instead of permuting whole slices. */
  independent?: boolean;
}

/** A random permutation of arange(n), or of an array's slices along `axis`. */
export function permutation(key: KeyArrayLike, x: number | Array, opts: PermutationOptions = {}): Array {
  const k = checkKey("permutation", key);
  if (!isArray(x) || x.ndim === 0) {
    normAxis("permutation", opts.axis ?? 0, 1);
    return shuffle(k, lax.iota("int32", concreteCount("x", x)), 0);
  }
  const axis = normAxis("permutation", opts.axis ?? 0, x.ndim);
  if (opts.independent || x.ndim === 1) return shuffle(k, x, axis);
  const ind = shuffle(k, lax.iota("int32", x.shape[axis]), 0);
  return take(x, ind, axis, true);
}

export interface ChoiceOptions {
  /** Output shape (default [], one sample). */
  shape?: readonly number[];
  /** Sample with replacement (default true). */
  replace?: boolean;
  /** Probabilities of the entries along `axis` (default uniform). */
  p?: Array | null;
  axis?: number;
}

/** Random samples from arange(a) or from an array's slices along `axis`. */
export function choice(key: KeyArrayLike, a: number | Array, opts: ChoiceOptions = {}): Array {
  const k = checkKey("choice", key);
  const shape = checkShape("choice", opts.shape ?? []);
  const replace = opts.replace ?? true;
  const arr = isArray(a) ? a : null;
  let axis = 0;
  let n: number;
  if (arr === null || arr.ndim === 0) n = concreteCount("a", a);
  else {
    axis = normAxis("choice", opts.axis ?? 0, arr.ndim);
    n = arr.shape[axis];
  }
  const dtype: DType = arr ? arr.dtype : "int32";
  const nDraws = sizeOf(shape);
  if (nDraws === 0) return full(0, dtype, shape);
  if (n <= 0) throw new ValueError("a must be greater than 0 unless no samples are taken");
  if (!replace && nDraws > n) throw new ValueError(`Cannot take a larger sample (size ${nDraws}) than population (size ${n}) when 'replace=False'`);
  const fromArray = arr !== null && arr.ndim > 0;
  const outShape = fromArray ? [...arr.shape.slice(0, axis), ...shape, ...arr.shape.slice(axis + 1)] : shape;

  let result: Array;
  const p = opts.p ?? null;
  if (p === null) {
    if (replace) {
      const ind = randint(k, shape, 0, n);
      result = fromArray ? take(arr, ind, axis) : ind;
    } else {
      const perm = permutation(k, fromArray ? arr : n, { axis });
      result = lax.sliceInDim(perm, 0, nDraws, 1, fromArray ? axis : 0);
    }
  } else {
    if (!isArray(p)) throw new TypeError(`choice requires ndarray arguments for p, got ${describe(p)}.`);
    const pf = isFloat(p.dtype) ? p : lax.convertElementType(p, "float32");
    if (pf.ndim !== 1 || pf.shape[0] !== n)
      throw new ValueError(`p must be None or a 1D vector with the same size as a.shape[axis]. p has shape ${shapeStr(pf.shape)} and a.shape[axis] is ${n}.`);
    const d = pf.dtype as FloatDType;
    let ind: Array;
    if (replace) {
      // Inverse-CDF sampling: the first index whose cumulative probability reaches r.
      const cdf = lax.cumsum(pf, 0);
      const total = lax.reshape(lax.slice(cdf, [n - 1], [n]), []);
      const r = lax.mul(total, lax.sub(constant(1, d), uniformImpl(k, shape, d, 0, 1)));
      const nd = shape.length;
      const below = lax.lt(lax.broadcastInDim(cdf, [...shape, n], [nd]), lax.broadcastInDim(r, [...shape, n], range(0, nd)));
      ind = lax.reduceSum(lax.convertElementType(below, "int32"), [nd]);
    } else {
      // Gumbel top-k: the n_draws smallest of -gumbel - log(p).
      const g = lax.sub(lax.neg(gumbelImpl(k, [n], d, "low")), lax.log(pf));
      const order = (lax.sort([g, lax.iota("int32", n)], 0, true, 1) as Array[])[1];
      ind = lax.slice(order, [0], [nDraws]);
    }
    result = fromArray ? take(arr, ind, axis) : ind;
  }
  return lax.reshape(result, outShape);
}
