/**
 * Method forms on Array (`x.add(y)`, `x.sum()`, `x.reshape([2, -1])`, `x.T`, …),
 * installed on the prototype so concrete arrays and tracers share them.
 * Each delegates to the jnp function of the same name.
 */
import { Array } from "../core/tracer.js";
import * as c from "./creation.js";
import * as u from "./ufuncs.js";
import type { ArrayLike } from "./util.js";
import type { DType } from "../core/dtype.js";
import * as lax from "../lax/lax.js";

declare module "../core/tracer.js" {
  interface Array {
    add(y: ArrayLike): Array;
    sub(y: ArrayLike): Array;
    mul(y: ArrayLike): Array;
    div(y: ArrayLike): Array;
    pow(y: ArrayLike): Array;
    mod(y: ArrayLike): Array;
    neg(): Array;
    abs(): Array;
    eq(y: ArrayLike): Array;
    ne(y: ArrayLike): Array;
    lt(y: ArrayLike): Array;
    le(y: ArrayLike): Array;
    gt(y: ArrayLike): Array;
    ge(y: ArrayLike): Array;
    astype(dtype: DType): Array;
  }
}

const proto = Array.prototype as unknown as Record<string, unknown>;
Object.assign(proto, {
  add(this: Array, y: ArrayLike) { return u.add(this, y); },
  sub(this: Array, y: ArrayLike) { return u.subtract(this, y); },
  mul(this: Array, y: ArrayLike) { return u.multiply(this, y); },
  div(this: Array, y: ArrayLike) { return u.divide(this, y); },
  pow(this: Array, y: ArrayLike) { return u.power(this, y); },
  mod(this: Array, y: ArrayLike) { return u.remainder(this, y); },
  neg(this: Array) { return u.negative(this); },
  abs(this: Array) { return u.absolute(this); },
  eq(this: Array, y: ArrayLike) { return u.equal(this, y); },
  ne(this: Array, y: ArrayLike) { return u.notEqual(this, y); },
  lt(this: Array, y: ArrayLike) { return u.less(this, y); },
  le(this: Array, y: ArrayLike) { return u.lessEqual(this, y); },
  gt(this: Array, y: ArrayLike) { return u.greater(this, y); },
  ge(this: Array, y: ArrayLike) { return u.greaterEqual(this, y); },
  astype(this: Array, dtype: DType) { return lax.convertElementType(this, dtype); },
});

void c;
