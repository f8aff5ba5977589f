/**
 * Method forms on Array (`x.add(y)`, `x.sum()`, `x.reshape([2, -1])`, `x.T`,
 * `x.at(i).set(v)`, …), installed on the prototype so concrete arrays and
 * tracers share them. Each delegates to the jnp function of the same name, so
 * there is one implementation per operation. Concrete-only methods (data,
 * tolist, repr, blockUntilReady, dispose) are defined by ArrayImpl; on a tracer
 * they raise a clear error.
 */
import { Array, Tracer } from "../core/tracer.js";
import type { DType } from "../core/dtype.js";
import type { TypedArray } from "../core/dtype.js";
import * as u from "./ufuncs.js";
import * as r from "./reductions.js";
import * as s from "./shape_ops.js";
import * as la from "./linalg.js";
import * as ix from "./indexing.js";
import * as so from "./sorting.js";
import type { ArrayLike } from "./util.js";
import * as lax from "../lax/lax.js";

type RO = r.ReductionOptions;

declare module "../core/tracer.js" {
  interface Array {
    add(y: ArrayLike): Array;
    sub(y: ArrayLike): Array;
    mul(y: ArrayLike): Array;
    div(y: ArrayLike): Array;
    floordiv(y: ArrayLike): Array;
    mod(y: ArrayLike): Array;
    pow(y: ArrayLike): Array;
    matmul(y: ArrayLike): Array;
    dot(y: ArrayLike): Array;
    neg(): Array;
    abs(): Array;
    eq(y: ArrayLike): Array;
    ne(y: ArrayLike): Array;
    lt(y: ArrayLike): Array;
    le(y: ArrayLike): Array;
    gt(y: ArrayLike): Array;
    ge(y: ArrayLike): Array;
    and(y: ArrayLike): Array;
    or(y: ArrayLike): Array;
    xor(y: ArrayLike): Array;
    not(): Array;
    astype(dtype: DType): Array;
    reshape(shape: number | readonly number[]): Array;
    transpose(axes?: readonly number[]): Array;
    readonly T: Array;
    readonly mT: Array;
    ravel(): Array;
    flatten(): Array;
    squeeze(axis?: number | readonly number[]): Array;
    swapaxes(a: number, b: number): Array;
    repeat(repeats: number | readonly number[], opts?: s.RepeatOpts): Array;
    diagonal(opts?: s.DiagonalOpts): Array;
    sum(opts?: RO): Array;
    prod(opts?: RO): Array;
    mean(opts?: r.MeanOptions): Array;
    var(opts?: r.VarOptions): Array;
    std(opts?: r.VarOptions): Array;
    max(opts?: r.MaxOptions): Array;
    min(opts?: r.MaxOptions): Array;
    all(opts?: r.BoolReductionOptions): Array;
    any(opts?: r.BoolReductionOptions): Array;
    argmax(opts?: r.ArgOptions): Array;
    argmin(opts?: r.ArgOptions): Array;
    cumsum(opts?: r.CumulativeOptions): Array;
    cumprod(opts?: r.CumulativeOptions): Array;
    sort(opts?: so.SortOptions): Array;
    argsort(opts?: so.SortOptions): Array;
    clip(min?: ArrayLike | null, max?: ArrayLike | null): Array;
    round(decimals?: number): Array;
    take(indices: ArrayLike | ix.NestedIndex, opts?: ix.TakeOptions): Array;
    /** `x.index(1, np.slice(0, 2))` is JAX's `x[1, 0:2]`. */
    index(...items: ix.IndexItem[]): Array;
    /** `x.at(idx).set(v)` is JAX's `x.at[idx].set(v)`. */
    at(...items: ix.IndexItem[]): ix.IndexUpdateRef;
    /** Concrete arrays only. */
    data(): Promise<TypedArray>;
    dataSync(): TypedArray;
    tolist(): Promise<unknown>;
    repr(): string;
    blockUntilReady(): Promise<Array>;
    dispose(): void;
    /** Iterates over the first axis, as iterating a JAX array does (`const [k1, k2] = random.split(key)`). */
    [Symbol.iterator](): Iterator<Array>;
  }
}

function notConcrete(name: string) {
  return function (this: Array): never {
    throw new TypeError(
      `${name}() needs a concrete array, but this is a traced value (${(this as Tracer).toString()}) inside a transformation (jit, grad, vmap, ...). Return it from the function and call ${name}() on the result.`,
    );
  };
}

const proto = Array.prototype as unknown as Record<string, unknown>;
const methods: Record<string, (this: Array, ...a: never[]) => unknown> = {
  add(y: ArrayLike) { return u.add(this, y); },
  sub(y: ArrayLike) { return u.subtract(this, y); },
  mul(y: ArrayLike) { return u.multiply(this, y); },
  div(y: ArrayLike) { return u.divide(this, y); },
  floordiv(y: ArrayLike) { return u.floorDivide(this, y); },
  mod(y: ArrayLike) { return u.remainder(this, y); },
  pow(y: ArrayLike) { return u.power(this, y); },
  matmul(y: ArrayLike) { return la.matmul(this, y); },
  dot(y: ArrayLike) { return la.dot(this, y); },
  neg() { return u.negative(this); },
  abs() { return u.absolute(this); },
  eq(y: ArrayLike) { return u.equal(this, y); },
  ne(y: ArrayLike) { return u.notEqual(this, y); },
  lt(y: ArrayLike) { return u.less(this, y); },
  le(y: ArrayLike) { return u.lessEqual(this, y); },
  gt(y: ArrayLike) { return u.greater(this, y); },
  ge(y: ArrayLike) { return u.greaterEqual(this, y); },
  and(y: ArrayLike) { return u.bitwiseAnd(this, y); },
  or(y: ArrayLike) { return u.bitwiseOr(this, y); },
  xor(y: ArrayLike) { return u.bitwiseXor(this, y); },
  not() { return u.bitwiseNot(this); },
  astype(dtype: DType) { return lax.convertElementType(this, dtype); },
  reshape(shape: number | readonly number[]) { return s.reshape(this, shape); },
  transpose(axes?: readonly number[]) { return s.transpose(this, axes); },
  ravel() { return s.ravel(this); },
  flatten() { return s.ravel(this); },
  squeeze(axis?: number | readonly number[]) { return s.squeeze(this, axis); },
  swapaxes(a: number, b: number) { return s.swapaxes(this, a, b); },
  repeat(repeats: number | readonly number[], opts?: s.RepeatOpts) { return s.repeat(this, repeats, opts); },
  diagonal(opts?: s.DiagonalOpts) { return s.diagonal(this, opts); },
  sum(opts?: RO) { return r.sum(this, opts); },
  prod(opts?: RO) { return r.prod(this, opts); },
  mean(opts?: r.MeanOptions) { return r.mean(this, opts); },
  var(opts?: r.VarOptions) { return r.var(this, opts); },
  std(opts?: r.VarOptions) { return r.std(this, opts); },
  max(opts?: r.MaxOptions) { return r.max(this, opts); },
  min(opts?: r.MaxOptions) { return r.min(this, opts); },
  all(opts?: r.BoolReductionOptions) { return r.all(this, opts); },
  any(opts?: r.BoolReductionOptions) { return r.any(this, opts); },
  argmax(opts?: r.ArgOptions) { return r.argmax(this, opts); },
  argmin(opts?: r.ArgOptions) { return r.argmin(this, opts); },
  cumsum(opts?: r.CumulativeOptions) { return r.cumsum(this, opts); },
  cumprod(opts?: r.CumulativeOptions) { return r.cumprod(this, opts); },
  sort(opts?: so.SortOptions) { return so.sort(this, opts); },
  argsort(opts?: so.SortOptions) { return so.argsort(this, opts); },
  clip(min?: ArrayLike | null, max?: ArrayLike | null) { return u.clip(this, min, max); },
  round(decimals?: number) { return u.round(this, decimals); },
  take(indices: ArrayLike | ix.NestedIndex, opts?: ix.TakeOptions) { return ix.take(this, indices, opts); },
  index(...items: ix.IndexItem[]) { return ix.index(this, ...items); },
  at(...items: ix.IndexItem[]) { return ix.at(this, ...items); },
  data: notConcrete("data"),
  dataSync: notConcrete("dataSync"),
  tolist: notConcrete("tolist"),
  repr() { return this.toString(); },
  blockUntilReady: notConcrete("blockUntilReady"),
  dispose: notConcrete("dispose"),
};
for (const [k, f] of Object.entries(methods)) Object.defineProperty(proto, k, { value: f, writable: true, configurable: true });
Object.defineProperty(proto, Symbol.iterator, {
  value: function* (this: Array): Generator<Array> {
    if (this.ndim === 0) throw new TypeError("iteration over a 0-d array");
    for (let i = 0; i < this.shape[0]; i++) yield ix.index(this, i);
  },
  writable: true,
  configurable: true,
});
Object.defineProperty(proto, "T", { get(this: Array) { return s.transpose(this); }, configurable: true });
Object.defineProperty(proto, "mT", { get(this: Array) { return s.swapaxes(this, -1, -2); }, configurable: true });
