/**
 * Typed PRNG keys, after jax/_src/prng.py: a `PRNGKeyArray` is an array whose elements are keys
 * (dtype `key<fry>` for threefry2x32), overlaying raw uint32 key data of shape `[...shape, 2]`.
 * It is a registered pytree node whose single child is that raw data, so jit, vmap, grad and
 * the pytree functions see the uint32 array and rebuild the key around whatever stands in for it
 * (a tracer, a batched value). Keys support no arithmetic: numpy functions reject them with JAX's
 * `add does not accept dtypes key<fry>, int32.` (numpy/util.ts `checkArrayLike`).
 */
import { type Array, Tracer } from "../core/tracer.js";
import { shapeStr } from "../core/aval.js";
import { ValueError } from "../core/errors.js";
import { registerPytreeNode } from "../core/tree.js";
import { type ArrayLike, isArray } from "../lax/lax.js";
import * as ix from "../numpy/indexing.js";
import * as u from "../numpy/ufuncs.js";

// ---- implementations -------------------------------------------------------------------------

/** A PRNG implementation (JAX's PRNGImpl): its name, the tag in the key dtype, and the key data shape. */
export class PRNGImpl {
  constructor(
    readonly name: string,
    readonly tag: string,
    readonly keyShape: readonly number[],
  ) {}
  /** As JAX's `str(impl)`: the tag (this is the aux data printed in a key's PyTreeDef). */
  toString(): string {
    return this.tag;
  }
}

/** The threefry2x32 implementation, Kiln's only one (JAX's default). */
export const threefry2x32Impl = new PRNGImpl("threefry2x32", "fry", [2]);
const IMPLS: ReadonlyMap<string, PRNGImpl> = new Map([[threefry2x32Impl.name, threefry2x32Impl]]);

/** An implementation as a name ("threefry2x32") or a PRNGImpl; the default is threefry2x32. */
export type PRNGImplLike = string | PRNGImpl;

/** JAX's `resolve_prng_impl`. */
export function resolvePrngImpl(spec: PRNGImplLike | null | undefined): PRNGImpl {
  if (spec === null || spec === undefined) return threefry2x32Impl;
  if (spec instanceof PRNGImpl) return spec;
  if (typeof spec === "string") {
    const impl = IMPLS.get(spec);
    if (impl !== undefined) return impl;
    throw new ValueError(`unrecognized PRNG implementation "${spec}". Did you mean one of: ${[...IMPLS.keys()].map((k) => `"${k}"`).join(", ")}?`);
  }
  throw new TypeError(`unrecognized type ${describeValue(spec)} for specifying PRNG implementation.`);
}

// ---- dtypes ------------------------------------------------------------------------------------

/** The dtype of a key array: `key<tag>`, e.g. `key<fry>`. */
export type KeyDType = `key<${string}>`;

/** `jax.dtypes.prng_key`: the abstract dtype every key dtype is a sub-dtype of. */
export const prngKey = "prng_key" as const;
/** `jax.dtypes.extended`: the abstract dtype of non-numeric (extended) dtypes such as keys. */
export const extended = "extended" as const;

/** Whether `d` is a key dtype such as `key<fry>`. */
export function isKeyDtype(d: unknown): d is KeyDType {
  return typeof d === "string" && /^key<[^<>]+>$/.test(d);
}

const CATEGORIES: Record<string, (d: string) => boolean> = {
  generic: (d) => !isKeyDtype(d),
  number: (d) => d !== "bool" && !isKeyDtype(d),
  integer: (d) => /^u?int\d+$/.test(d),
  signedinteger: (d) => /^int\d+$/.test(d),
  unsignedinteger: (d) => /^uint\d+$/.test(d),
  inexact: (d) => /^float\d+$/.test(d),
  floating: (d) => /^float\d+$/.test(d),
  [prngKey]: isKeyDtype,
  [extended]: isKeyDtype,
};

/**
 * `jax.dtypes.issubdtype(a, b)` for Kiln's dtype names: `b` is a dtype (then a === b) or one of
 * numpy's abstract categories ("generic", "number", "integer", "signedinteger",
 * "unsignedinteger", "inexact", "floating") or JAX's `prngKey` / `extended`.
 */
export function issubdtype(a: string, b: string): boolean {
  if (a === b) return true;
  const cat = Object.prototype.hasOwnProperty.call(CATEGORIES, b) ? CATEGORIES[b] : undefined;
  return cat !== undefined && cat(a);
}

// ---- key arrays ----------------------------------------------------------------------------------

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/**
 * An array of PRNG keys (JAX's PRNGKeyArray): `shape` counts keys, `dtype` is `key<fry>`, and the
 * raw uint32 words live in `keyData` (read them with `random.keyData`). Keys can be indexed
 * (`keys.index(0)`), iterated over their first axis (`const [k1, k2] = random.split(key)`) and
 * passed through jit/vmap/grad and pytrees; they take part in no arithmetic.
 */
export class PRNGKeyArray {
  /** The implementation (aux data of the pytree node). */
  readonly impl: PRNGImpl;
  /**
   * The raw key data (JAX's `_base_array`): uint32 of shape `[...shape, ...impl.keyShape]`. Not
   * validated here, since unflattening may stand other values in for it; `wrapKeyData` validates.
   */
  readonly keyData: Array;

  constructor(impl: PRNGImpl, keyData: Array) {
    this.impl = impl;
    this.keyData = keyData;
  }

  /** The shape of the key array: the raw data's shape without the trailing key dimensions. */
  get shape(): readonly number[] {
    const s = (this.keyData as { shape?: readonly number[] }).shape;
    if (!globalThis.Array.isArray(s)) return [];
    return s.slice(0, Math.max(0, s.length - this.impl.keyShape.length));
  }
  get ndim(): number {
    return this.shape.length;
  }
  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }
  get dtype(): KeyDType {
    return `key<${this.impl.tag}>`;
  }
  /** Keys are never weakly typed. */
  get weakType(): boolean {
    return false;
  }

  /** JAX's repr: `Array((), dtype=key<fry>) overlaying:\n[0 0]`; a traced key prints as a tracer of the key type. */
  repr(): string {
    const base: unknown = this.keyData;
    if (base instanceof Tracer)
      return `Traced<ShapedArray(${this.dtype}[${this.shape.join(",")}])>with<${base.trace.constructor.name}(level=${base.trace.main.level})>`;
    if (!isArray(base)) return `PRNGKeyArray(${this.dtype}, overlaying ${String(base)})`;
    return `Array(${shapeStr(this.shape)}, dtype=${this.dtype}) overlaying:\n${String(base)}`;
  }
  /** As in JAX, `str(key)` is the repr. */
  toString(): string {
    return this.repr();
  }
  [INSPECT](): string {
    return this.repr();
  }

  /**
   * `keys[idx]` along the key dimensions: `keys.index(0)`, `keys.index(np.slice(1, 3))`,
   * `keys.index("...", 0)`; the items are those of `Array.index`. The key data dimensions are
   * never indexed.
   */
  index(...items: ix.IndexItem[]): PRNGKeyArray {
    const consumed = items.reduce<number>((n, it) => n + indexedDims(it), 0);
    if (consumed > this.ndim)
      throw new ix.IndexError(`Too many indices: ${this.ndim}-dimensional array indexed with ${consumed} regular ${consumed === 1 ? "index" : "indices"}.`);
    // A trailing full slice keeps an Ellipsis (or the implicit one) off the key data dimensions.
    const trailing = this.impl.keyShape.map(() => ix.slice());
    return new PRNGKeyArray(this.impl, ix.index(this.keyData, ...items, ...trailing));
  }

  /** Iterates over the first axis, as iterating a JAX key array does. */
  *[Symbol.iterator](): Generator<PRNGKeyArray> {
    if (this.ndim === 0) throw new TypeError("iteration over a 0-d key array");
    for (let i = 0; i < this.shape[0]; i++) yield this.index(i);
  }

  /** String conversion gives the repr; numeric conversion (JS operators such as `+`, `<`) raises. */
  [Symbol.toPrimitive](hint: string): string {
    if (hint === "string") return this.repr();
    throw new TypeError(
      `A PRNG key array (dtype ${this.dtype}) cannot be converted to a JS number or used with JS operators such as + or <: ` +
        "keys support no arithmetic. Use random.split or random.foldIn to derive new keys, or random.keyData(key) for the raw uint32 key data.",
    );
  }

  /** Waits for the key data to be computed. */
  async blockUntilReady(): Promise<this> {
    await this.keyData.blockUntilReady();
    return this;
  }
  /** Frees the key data's buffer. */
  dispose(): void {
    this.keyData.dispose();
  }

  // Arithmetic method forms, as on Array: each delegates to its jnp function, which rejects keys
  // as JAX does (`key.add(1)` is JAX's `key + 1`: "add does not accept dtypes key<fry>, int32.").
  add(y: ArrayLike | PRNGKeyArray): never {
    return rejected(u.add, this, y);
  }
  sub(y: ArrayLike | PRNGKeyArray): never {
    return rejected(u.subtract, this, y);
  }
  mul(y: ArrayLike | PRNGKeyArray): never {
    return rejected(u.multiply, this, y);
  }
  div(y: ArrayLike | PRNGKeyArray): never {
    return rejected(u.divide, this, y);
  }
  floordiv(y: ArrayLike | PRNGKeyArray): never {
    return rejected(u.floorDivide, this, y);
  }
  mod(y: ArrayLike | PRNGKeyArray): never {
    return rejected(u.remainder, this, y);
  }
  pow(y: ArrayLike | PRNGKeyArray): never {
    return rejected(u.power, this, y);
  }
  neg(): never {
    return rejected(u.negative, this);
  }
  abs(): never {
    return rejected(u.absolute, this);
  }
}

registerPytreeNode(
  PRNGKeyArray,
  (k) => [[k.keyData], k.impl],
  (impl: PRNGImpl, [data]) => new PRNGKeyArray(impl, data as Array),
);

/** Whether `x` is a typed key array. */
export function isPRNGKeyArray(x: unknown): x is PRNGKeyArray {
  return x instanceof PRNGKeyArray;
}

/** Call a jnp function that must reject its key operands (it raises JAX's TypeError). */
function rejected(f: (...xs: never[]) => unknown, ...xs: unknown[]): never {
  f(...(xs as never[]));
  throw new TypeError(`${f.name || "this operation"} does not accept key arrays.`);
}

/** How many array dimensions one index item consumes (as numpy counts them). */
function indexedDims(it: unknown): number {
  if (it === null || it === "..." || typeof it === "boolean") return 0;
  if (isArray(it)) return it.dtype === "bool" ? it.ndim : 1;
  if (globalThis.Array.isArray(it)) {
    let depth = 0;
    let x: unknown = it;
    while (globalThis.Array.isArray(x) && x.length > 0) {
      depth++;
      x = x[0];
    }
    return typeof x === "boolean" ? depth : 1;
  }
  return 1;
}

function describeValue(x: unknown): string {
  if (x === null) return "null";
  if (typeof x === "object") return (x as object).constructor?.name ?? "Object";
  return typeof x;
}
