/**
 * Abstract values: what a tracer knows about an array (shape, dtype, weak type),
 * and the jaxpr type syntax `f32[3,4]` used when printing.
 */
import { type DType, SHORT_NAME } from "./dtype.js";

export class ShapedArray {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly weakType: boolean;

  constructor(shape: readonly number[], dtype: DType, weakType = false) {
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.weakType = weakType;
  }

  get ndim(): number {
    return this.shape.length;
  }

  get size(): number {
    return sizeOf(this.shape);
  }

  /** Jaxpr type syntax, e.g. `f32[3,4]`. */
  strShort(): string {
    return `${SHORT_NAME[this.dtype]}[${this.shape.join(",")}]`;
  }

  toString(): string {
    return `ShapedArray(${this.dtype}[${this.shape.join(",")}]${this.weakType ? ", weak_type=True" : ""})`;
  }

  equals(o: ShapedArray): boolean {
    return this.dtype === o.dtype && this.weakType === o.weakType && shapesEqual(this.shape, o.shape);
  }

  /** A hashable key for caches. */
  key(): string {
    return `${this.dtype}${this.weakType ? "~" : ""}[${this.shape.join(",")}]`;
  }

  update(o: { shape?: readonly number[]; dtype?: DType; weakType?: boolean }): ShapedArray {
    return new ShapedArray(o.shape ?? this.shape, o.dtype ?? this.dtype, o.weakType ?? this.weakType);
  }

  strongType(): ShapedArray {
    return this.weakType ? new ShapedArray(this.shape, this.dtype, false) : this;
  }
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Row-major strides in elements. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** Python-style shape tuple: `(3,)`, `(2, 3)`, `()`. */
export function shapeStr(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}
