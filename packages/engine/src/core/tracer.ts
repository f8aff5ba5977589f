/**
 * The tracing core, after Autodidax: every value a user touches is an `Array`;
 * concrete arrays live on a backend, tracers belong to a `Trace`. `bind` finds
 * the innermost trace among its operands (or the current dynamic trace, for
 * staging as in JAX's omnistaging) and asks it to process the primitive.
 * Transformations (jvp, vmap, jaxpr building) are Trace subclasses pushed on a
 * stack of MainTraces; the EvalTrace at level 0 runs primitives on a backend.
 */
import type { ShapedArray } from "./aval.js";
import type { DType } from "./dtype.js";
import type { PrimitiveName, PrimitiveParams } from "./primitives.js";

/** The public array type: concrete arrays and tracers alike (like `jax.Array`). */
export abstract class Array {
  abstract get aval(): ShapedArray;

  get shape(): readonly number[] {
    return this.aval.shape;
  }
  get dtype(): DType {
    return this.aval.dtype;
  }
  get ndim(): number {
    return this.aval.ndim;
  }
  get size(): number {
    return this.aval.size;
  }
  get weakType(): boolean {
    return this.aval.weakType;
  }

  /**
   * Synchronously read a size-1 array as a JS number or boolean (JAX's `float(x)`,
   * `bool(x)`). Tracers under jit raise a ConcretizationTypeError instead.
   * `what` names the conversion for error messages.
   */
  abstract concreteScalar(what: ScalarConversion): number;

  /** `x.item()`: the single element as a JS number (booleans as true/false). */
  item(): number | boolean {
    const v = this.concreteScalar("item");
    return this.dtype === "bool" ? v !== 0 : v;
  }

  [Symbol.toPrimitive](hint: string): number | string {
    if (hint === "string") return this.toString();
    return this.concreteScalar("number");
  }
}

export type ScalarConversion = "number" | "item" | "bool" | "index";

export interface MainTrace {
  readonly level: number;
  readonly traceType: new (main: MainTrace) => Trace;
  readonly globalData: unknown;
}

export abstract class Tracer extends Array {
  abstract readonly trace: Trace;

  /** The value with this tracer's boxing removed, when the trace allows (JVP of a concrete primal, etc.). */
  fullLower(): Array {
    return this;
  }

  override toString(): string {
    return `Traced<${this.aval.toString()}>with<${this.trace.constructor.name}(level=${this.trace.main.level})>`;
  }
}

export abstract class Trace {
  constructor(readonly main: MainTrace) {}

  /** Box a value from below every trace (a concrete array). */
  abstract pure(x: Array): Tracer | Array;
  /** Box a tracer of a lower-level trace. */
  abstract lift(x: Tracer): Tracer | Array;
  abstract processPrimitive<P extends PrimitiveName>(prim: P, tracers: Array[], params: PrimitiveParams[P]): Array[];

  fullRaise(x: Array): Array {
    if (!(x instanceof Tracer)) return this.pure(x);
    const level = x.trace.main.level;
    if (x.trace.main === this.main) return x;
    if (level < this.main.level) return this.lift(x);
    if (level > this.main.level)
      throw new Error(
        `Can't lift level ${level} to ${this.main.level}: a tracer escaped its transformation ` +
          `(UnexpectedTracerError). Did a value from inside grad/jit/vmap leak into a global or closure?`,
      );
    throw new Error(`Different traces at the same level ${level}.`);
  }
}

/** Level 0: operands are concrete arrays and primitives run on their backend. */
export class EvalTrace extends Trace {
  pure(x: Array): Array {
    return x;
  }
  lift(x: Tracer): Array {
    return x;
  }
  processPrimitive<P extends PrimitiveName>(prim: P, args: Array[], params: PrimitiveParams[P]): Array[] {
    return evalPrimitive(prim, args, params);
  }
}

// ---- evaluation hook (installed by the runtime to avoid an import cycle) ----

type EvalFn = <P extends PrimitiveName>(prim: P, args: Array[], params: PrimitiveParams[P]) => Array[];
let evalPrimitive: EvalFn = () => {
  throw new Error("Kiln runtime not initialized: import from '@kiln/engine'.");
};
export function setEvalPrimitive(fn: EvalFn): void {
  evalPrimitive = fn;
}

// ---- the trace stack ----------------------------------------------------------

const traceStack: MainTrace[] = [{ level: 0, traceType: EvalTrace, globalData: null }];
let dynamicTrace: MainTrace = traceStack[0];

export function currentTraceStack(): readonly MainTrace[] {
  return traceStack;
}

/** Run `fn` with a new MainTrace pushed on the stack. */
export function withMainTrace<T>(traceType: new (main: MainTrace) => Trace, globalData: unknown, fn: (main: MainTrace) => T): T {
  const main: MainTrace = { level: traceStack.length, traceType, globalData };
  traceStack.push(main);
  try {
    return fn(main);
  } finally {
    traceStack.pop();
  }
}

/** Run `fn` with a new MainTrace that also becomes the dynamic (staging) trace. */
export function withDynamicTrace<T>(traceType: new (main: MainTrace) => Trace, globalData: unknown, fn: (main: MainTrace) => T): T {
  return withMainTrace(traceType, globalData, (main) => {
    const prev = dynamicTrace;
    dynamicTrace = main;
    try {
      return fn(main);
    } finally {
      dynamicTrace = prev;
    }
  });
}

/** True while a function is being staged into a jaxpr (makeJaxpr, jit tracing). */
export function isStaging(): boolean {
  return dynamicTrace.level > 0;
}

export function findTopTrace(xs: readonly Array[]): Trace {
  let top = traceStack[0];
  for (const x of xs) if (x instanceof Tracer && x.trace.main.level > top.level) top = x.trace.main;
  if (dynamicTrace.level > top.level) top = dynamicTrace;
  return new top.traceType(top);
}

export function fullLower(x: Array): Array {
  return x instanceof Tracer ? x.fullLower() : x;
}

/** Apply a primitive to operands (all of which must already be Arrays). */
export function bind<P extends PrimitiveName>(prim: P, args: readonly Array[], params: PrimitiveParams[P]): Array[] {
  const top = findTopTrace(args);
  const tracers = args.map((a) => top.fullRaise(a));
  const outs = top.processPrimitive(prim, tracers, params);
  return outs.map(fullLower);
}

export function bind1<P extends PrimitiveName>(prim: P, args: readonly Array[], params: PrimitiveParams[P]): Array {
  return bind(prim, args, params)[0];
}
