/**
 * Shape helpers shared by the numpy and lax layers: numpy broadcasting of shapes, and
 * normalization of (possibly negative) axis arguments. Error messages keep the wording JAX and
 * numpy use (`Incompatible shapes for broadcasting`, numpy's AxisError `axis 3 is out of bounds
 * for array of dimension 2`), prefixed with the name of the user-facing function.
 */
import { shapeStr } from "./aval.js";
import { ConcretizationTypeError, ValueError } from "./errors.js";
import { Array as ArrayBase, Tracer } from "./tracer.js";

export { shapeStr, shapeStr as shapeToString };

/** `jnp.broadcast_shapes`: right-align the shapes; each dimension must agree or be 1. */
export function broadcastShapes(...shapes: (readonly number[])[]): number[] {
  const ndim = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(ndim).fill(1);
  for (const s of shapes) {
    const offset = ndim - s.length;
    for (let i = 0; i < s.length; i++) {
      const d = s[i];
      const o = out[offset + i];
      if (d === o || d === 1) continue;
      if (o === 1) out[offset + i] = d;
      else throw new ValueError(`Incompatible shapes for broadcasting: shapes=[${shapes.map(shapeStr).join(", ")}]`);
    }
  }
  return out;
}

/** Turn `axis` (negative counts from the end) into an index in `[0, ndim)`, or throw numpy's AxisError text. */
export function normalizeAxis(axis: number, ndim: number, fnName: string): number {
  if (!Number.isInteger(axis)) throw new TypeError(`${fnName}: axis must be an integer, got ${axis}`);
  if (axis < -ndim || axis >= ndim) {
    throw new RangeError(`${fnName}: axis ${axis} is out of bounds for array of dimension ${ndim}`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/**
 * An `axis` argument as reductions take it: `null`/`undefined` means every axis, a number one
 * axis, an array several. Returns sorted, non-negative, unique axes; a repeated axis is an error
 * (numpy's `repeated axis`).
 */
export function normalizeAxes(axis: number | readonly number[] | null | undefined, ndim: number, fnName: string): number[] {
  if (axis === null || axis === undefined) return Array.from({ length: ndim }, (_, i) => i);
  if (axis instanceof ArrayBase) {
    // An Array passed as an axis: concrete scalars are read; traced ones can't be (JAX's error).
    if (axis instanceof Tracer)
      throw new ConcretizationTypeError(
        `Abstract tracer value encountered where concrete value is expected: traced array with shape ${axis.dtype}[${axis.shape.join(",")}].\n` +
          `axis argument to jnp.${fnName}().\nAxes must be static: pass them as JS numbers, or mark the argument static with jit(f, { staticArgnums: [...] }).`,
      );
    return normalizeAxes(axis.concreteScalar("index"), ndim, fnName);
  }
  if (typeof axis === "number") return [normalizeAxis(axis, ndim, fnName)];
  const axes = axis.map((a) => normalizeAxis(a, ndim, fnName));
  const seen = new Set<number>();
  for (const a of axes) {
    if (seen.has(a)) throw new Error(`${fnName}: repeated axis ${a} in axis=${shapeStr(axis)}`);
    seen.add(a);
  }
  return axes.sort((a, b) => a - b);
}
