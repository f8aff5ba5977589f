/**
 * Array and scalar printing that matches numpy 2.x / JAX byte for byte.
 *
 * - `formatRepr`: JAX's `repr(Array)`, i.e. `np.array2string(value, prefix="Array(",
 *   separator=", ", suffix=",")` followed by `dtype=...` (and `weak_type=True`), with
 *   JAX's own rule for where the dtype goes.
 * - `formatStr`: numpy's `str(ndarray)`; 0-d arrays print like the numpy scalar.
 * - `formatScalar`: `str()` of a numpy scalar of the dtype (used for jaxpr literals).
 *
 * Floats are converted with a Dragon4 digit generator that follows numpy's rules:
 * shortest digits that round-trip at the dtype's own precision (half/single/double),
 * an optional cutoff (`precision`) and an optional minimum digit count, with numpy's
 * rounding of the last digit. The layout (`FloatingFormat`, `_formatArray`, line
 * wrapping, summarization) follows numpy's `arrayprint` with default options
 * (floatmode "maxprec", sign "-", suppress off).
 */

import type { DType } from "../core/dtype.js";

export interface FormatInput {
  shape: readonly number[];
  dtype: DType;
  /** Row-major element values; bool data is 0/1. */
  data: ArrayLike<number>;
  weakType?: boolean;
}

export interface PrintOptions {
  /** Arrays with more elements than this are summarized with `...`. */
  threshold: number;
  /** Items kept at each end of an axis when summarizing. */
  edgeitems: number;
  /** Maximum fractional digits for floats. */
  precision: number;
  /** Characters per line before wrapping. */
  linewidth: number;
}

export const DEFAULT_PRINT_OPTIONS: Readonly<PrintOptions> = Object.freeze({
  threshold: 1000,
  edgeitems: 3,
  precision: 8,
  linewidth: 75,
});

type FloatDType = "float16" | "float32" | "float64";

function isFloatDType(d: DType): d is FloatDType {
  return d === "float16" || d === "float32" || d === "float64";
}

// ---- casting ---------------------------------------------------------------------

/** Round a number to the nearest float16 value (ties to even), returned as a JS number. */
export function roundToFloat16(v: number): number {
  if (!Number.isFinite(v) || v === 0) return v;
  const a = Math.abs(v);
  let r: number;
  if (a >= 65520) {
    r = Infinity;
  } else {
    let e = Math.floor(Math.log2(a));
    if (2 ** e > a) e -= 1;
    else if (2 ** (e + 1) <= a) e += 1;
    const q = e < -14 ? -24 : e - 10; // exponent of the last mantissa bit
    const s = a / 2 ** q; // exact: scaling by a power of two
    let n = Math.floor(s);
    const frac = s - n;
    if (frac > 0.5 || (frac === 0.5 && n % 2 === 1)) n += 1;
    r = n * 2 ** q;
  }
  return v < 0 ? -r : r;
}

/** The value `v` takes when stored in dtype `d`. */
function castTo(v: number, d: DType): number {
  switch (d) {
    case "bool":
      return v !== 0 ? 1 : 0;
    case "int32":
      return v | 0;
    case "uint32":
      return v >>> 0;
    case "float16":
      return roundToFloat16(v);
    case "float32":
      return Math.fround(v);
    case "float64":
      return +v;
  }
}

// ---- Dragon4 -------------------------------------------------------------------------

interface FloatLayout {
  mantBits: number; // explicit mantissa bits
  emin: number; // exponent of the smallest normal number
  finfoPrecision: number; // np.finfo(dtype).precision
  maxPositional: number; // scalar str switches to scientific at or above this
}

const LAYOUT: Record<FloatDType, FloatLayout> = {
  float16: { mantBits: 10, emin: -14, finfoPrecision: 3, maxPositional: 1e3 },
  float32: { mantBits: 23, emin: -126, finfoPrecision: 6, maxPositional: 1e6 },
  float64: { mantBits: 52, emin: -1022, finfoPrecision: 15, maxPositional: 1e16 },
};

interface Parts {
  mantissa: bigint;
  exponent: number; // value = mantissa * 2^exponent
  mantissaBit: number; // index of the highest set bit of mantissa
  unequalMargins: boolean; // the gap below is half the gap above (power of two)
}

const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** Split a finite, non-negative value (already representable in `d`) into integer parts. */
function decompose(a: number, d: FloatDType): Parts {
  if (a === 0) return { mantissa: 0n, exponent: 0, mantissaBit: 0, unequalMargins: false };
  F64[0] = a;
  const bits = U64[0];
  const bexp = Number(bits >> 52n) & 0x7ff;
  let m = bits & ((1n << 52n) - 1n);
  let e: number;
  if (bexp === 0) e = -1074;
  else {
    m |= 1n << 52n;
    e = bexp - 1075;
  }
  const { mantBits, emin } = LAYOUT[d];
  const log2 = bitLength(m) - 1 + e;
  const te = log2 >= emin ? log2 - mantBits : emin - mantBits;
  const mantissa = te >= e ? m >> BigInt(te - e) : m << BigInt(e - te);
  return {
    mantissa,
    exponent: te,
    mantissaBit: bitLength(mantissa) - 1,
    unequalMargins: log2 > emin && mantissa === 1n << BigInt(mantBits),
  };
}

const POW10: bigint[] = [1n];
function pow10(n: number): bigint {
  while (POW10.length <= n) POW10.push(POW10[POW10.length - 1] * 10n);
  return POW10[n];
}

const LOG10_2 = 0.30102999566398119521373889472449;
/** numpy's scratch buffer bounds the digit count when nothing else does. */
const MAX_DIGITS = 16384;

interface Digits {
  digits: string;
  /** Base-10 exponent of the first digit. */
  exp10: number;
}

/**
 * Shortest-unique digit generation (Steele & White / Burger & Dybvig), with numpy's
 * cutoffs: `cutoffMax` limits the digits (total count, or digits past the point when
 * `fraction`), `cutoffMin` forces at least that many (-1 = no limit).
 */
function dragon4(p: Parts, fraction: boolean, cutoffMax: number, cutoffMin: number): Digits {
  const { mantissa, exponent, mantissaBit, unequalMargins } = p;
  if (mantissa === 0n) return { digits: "0", exp10: 0 };
  const isEven = (mantissa & 1n) === 0n;

  // value = scaledValue / scale; the margins are half the gaps to the neighbouring floats.
  let scale: bigint;
  let value: bigint;
  let marginLow: bigint;
  if (unequalMargins) {
    if (exponent > 0) {
      value = mantissa << BigInt(exponent + 2);
      scale = 4n;
      marginLow = 1n << BigInt(exponent);
    } else {
      value = mantissa << 2n;
      scale = 1n << BigInt(-exponent + 2);
      marginLow = 1n;
    }
  } else if (exponent > 0) {
    value = mantissa << BigInt(exponent + 1);
    scale = 2n;
    marginLow = 1n << BigInt(exponent);
  } else {
    value = mantissa << 1n;
    scale = 1n << BigInt(-exponent + 1);
    marginLow = 1n;
  }

  // Estimate of floor(log10(v)) + 1, correct or one too small.
  let digitExponent = Math.ceil((mantissaBit + exponent) * LOG10_2 - 0.69);
  if (cutoffMax >= 0 && fraction && digitExponent <= -cutoffMax) digitExponent = -cutoffMax + 1;

  if (digitExponent > 0) scale *= pow10(digitExponent);
  else if (digitExponent < 0) {
    const p10 = pow10(-digitExponent);
    value *= p10;
    marginLow *= p10;
  }
  if (value >= scale) digitExponent += 1;
  else {
    value *= 10n;
    marginLow *= 10n;
  }

  let cutoffMaxExp = digitExponent - MAX_DIGITS;
  if (cutoffMax >= 0) {
    const want = fraction ? -cutoffMax : digitExponent - cutoffMax;
    if (want > cutoffMaxExp) cutoffMaxExp = want;
  }
  let cutoffMinExp = digitExponent;
  if (cutoffMin >= 0) {
    const want = fraction ? -cutoffMin : digitExponent - cutoffMin;
    if (want < cutoffMinExp) cutoffMinExp = want;
  }

  let exp10 = digitExponent - 1;
  const out: number[] = [];
  let low: boolean;
  let high: boolean;
  let digit: number;
  for (;;) {
    digitExponent -= 1;
    digit = Number(value / scale);
    value %= scale;
    const marginHigh = unequalMargins ? marginLow * 2n : marginLow;
    const hiValue = value + marginHigh;
    low = isEven ? value <= marginLow : value < marginLow;
    high = isEven ? hiValue >= scale : hiValue > scale;
    if (((low || high) && digitExponent <= cutoffMinExp) || digitExponent === cutoffMaxExp) break;
    out.push(digit);
    value *= 10n;
    marginLow *= 10n;
  }

  // Round the final digit: toward the side that stays unique, else to nearest (ties even).
  let roundDown = low;
  if (low === high) {
    const twice = value * 2n;
    roundDown = twice < scale || (twice === scale && (digit & 1) === 0);
  }
  if (roundDown) out.push(digit);
  else if (digit < 9) out.push(digit + 1);
  else {
    for (;;) {
      if (out.length === 0) {
        out.push(1);
        exp10 += 1;
        break;
      }
      const last = out.pop()!;
      if (last !== 9) {
        out.push(last + 1);
        break;
      }
    }
  }
  return { digits: out.join(""), exp10 };
}

// ---- positional / scientific strings (numpy's dragon4_positional / _scientific) -----

/** numpy trim modes: 'k' keep zeros, '.' trim zeros keep point, '0' keep one zero, '-' trim point too. */
type Trim = "k" | "." | "0" | "-";

interface DragonOpts {
  precision: number; // -1: none
  minDigits: number; // -1: none
  trim: Trim;
  padLeft: number; // -1: none
  padRight: number; // -1: none (positional only)
  expDigits: number; // -1: default (scientific only)
}

function signAndParts(v: number, d: FloatDType): { neg: boolean; parts: Parts } {
  const neg = v < 0 || Object.is(v, -0);
  return { neg, parts: decompose(Math.abs(v), d) };
}

function formatPositional(v: number, d: FloatDType, o: DragonOpts): string {
  const { neg, parts } = signAndParts(v, d);
  const { digits, exp10 } = dragon4(parts, true, o.precision, o.minDigits);
  let s: string;
  let numWhole: number;
  let numFrac: number;
  if (exp10 >= 0) {
    numWhole = exp10 + 1;
    if (digits.length <= numWhole) {
      s = digits + "0".repeat(numWhole - digits.length);
      numFrac = 0;
    } else {
      s = digits.slice(0, numWhole) + "." + digits.slice(numWhole);
      numFrac = digits.length - numWhole;
    }
  } else {
    const zeros = -(exp10 + 1);
    s = "0." + "0".repeat(zeros) + digits;
    numFrac = zeros + digits.length;
    numWhole = 1;
  }
  if (o.trim !== "-" && numFrac === 0) s += ".";
  const wantFrac = Math.max(o.minDigits, 0);
  if (o.trim === "0") {
    if (numFrac === 0) {
      s += "0";
      numFrac += 1;
    }
  } else if (o.trim === "k" && wantFrac > numFrac) {
    s += "0".repeat(wantFrac - numFrac);
    numFrac = wantFrac;
  }
  if (o.trim !== "k" && numFrac > 0) {
    while (s.endsWith("0")) {
      s = s.slice(0, -1);
      numFrac -= 1;
    }
    if (s.endsWith(".")) {
      if (o.trim === "0") {
        s += "0";
        numFrac += 1;
      } else if (o.trim === "-") s = s.slice(0, -1);
    }
  }
  if (neg) s = "-" + s;
  if (o.padRight >= numFrac) {
    if (o.trim === "-" && numFrac === 0) s += " ";
    s += " ".repeat(o.padRight - numFrac);
  }
  const leftUsed = numWhole + (neg ? 1 : 0);
  if (o.padLeft > leftUsed) s = " ".repeat(o.padLeft - leftUsed) + s;
  return s;
}

function formatScientific(v: number, d: FloatDType, o: DragonOpts): string {
  const { neg, parts } = signAndParts(v, d);
  const { digits, exp10 } = dragon4(
    parts,
    false,
    o.precision < 0 ? -1 : o.precision + 1,
    o.minDigits < 0 ? -1 : o.minDigits + 1,
  );
  let s = "";
  const leftChars = neg ? 2 : 1;
  if (o.padLeft > leftChars) s += " ".repeat(o.padLeft - leftChars);
  if (neg) s += "-";
  let mant = digits[0];
  let numFrac = digits.length - 1;
  if (numFrac > 0) mant += "." + digits.slice(1);
  if (o.trim !== "-" && numFrac === 0) mant += ".";
  const wantFrac = Math.max(o.minDigits, 0);
  if (o.trim === "0") {
    if (numFrac === 0) {
      mant += "0";
      numFrac += 1;
    }
  } else if (o.trim === "k" && wantFrac > numFrac) {
    mant += "0".repeat(wantFrac - numFrac);
    numFrac = wantFrac;
  }
  if (o.trim !== "k" && numFrac > 0) {
    while (mant.endsWith("0")) {
      mant = mant.slice(0, -1);
      numFrac -= 1;
    }
    if (o.trim === "0" && mant.endsWith(".")) {
      mant += "0";
      numFrac += 1;
    }
  }
  const expDigits = o.expDigits < 0 ? 2 : Math.min(o.expDigits, 5);
  const e = Math.abs(exp10).toString().padStart(expDigits, "0");
  return s + mant + "e" + (exp10 >= 0 ? "+" : "-") + e;
}

// ---- element formatters (numpy's FloatingFormat, IntegerFormat, BoolFormat) ------------

type ElementFormatter = (v: number) => string;

function floatingFormatter(values: number[], d: FloatDType, precision: number): ElementFormatter {
  const finite = values.filter((v) => Number.isFinite(v));

  // Scientific notation is chosen from the non-zero finite magnitudes, compared in the dtype.
  let expFormat = false;
  let maxVal = -Infinity;
  let minVal = Infinity;
  for (const v of finite) {
    if (v === 0) continue;
    const a = Math.abs(v);
    if (a > maxVal) maxVal = a;
    if (a < minVal) minVal = a;
  }
  if (maxVal !== -Infinity) {
    const expCutoffMax = 10 ** Math.min(8, LAYOUT[d].finfoPrecision);
    const ratio = d === "float16" ? roundToFloat16(Math.fround(maxVal / minVal)) : castTo(maxVal / minVal, d);
    expFormat = maxVal >= expCutoffMax || minVal < castTo(1e-4, d) || ratio > 1000;
  }

  let padLeft: number;
  let padRight: number;
  let prec = precision;
  let minDigits = -1;
  let trim: Trim = ".";
  let expSize = -1;
  if (finite.length === 0) {
    padLeft = 0;
    padRight = 0;
  } else if (expFormat) {
    let maxInt = 0;
    let maxFrac = 0;
    let maxExp = 0;
    for (const v of finite) {
      const s = formatScientific(v, d, { precision, minDigits: -1, trim: ".", padLeft: -1, padRight: -1, expDigits: -1 });
      const ePos = s.indexOf("e");
      const mant = s.slice(0, ePos);
      const dot = mant.indexOf(".");
      maxInt = Math.max(maxInt, dot);
      maxFrac = Math.max(maxFrac, mant.length - dot - 1);
      maxExp = Math.max(maxExp, s.length - ePos - 1);
    }
    expSize = maxExp - 1;
    trim = "k";
    prec = maxFrac;
    minDigits = maxFrac;
    padLeft = maxInt;
    padRight = expSize + 2 + prec;
  } else {
    let maxInt = 0;
    let maxFrac = 0;
    for (const v of finite) {
      const s = formatPositional(v, d, { precision, minDigits: -1, trim: ".", padLeft: -1, padRight: -1, expDigits: -1 });
      const dot = s.indexOf(".");
      maxInt = Math.max(maxInt, dot);
      maxFrac = Math.max(maxFrac, s.length - dot - 1);
    }
    padLeft = maxInt;
    padRight = maxFrac;
    minDigits = 0;
  }

  if (finite.length !== values.length) {
    const negInf = values.some((v) => v === -Infinity) ? 1 : 0;
    const offset = padRight + 1;
    padLeft = Math.max(padLeft, 3 - offset, 3 + negInf - offset);
  }

  const opts: DragonOpts = { precision: prec, minDigits, trim, padLeft, padRight, expDigits: expSize };
  return (v) => {
    if (!Number.isFinite(v)) {
      const ret = Number.isNaN(v) ? "nan" : v < 0 ? "-inf" : "inf";
      return " ".repeat(Math.max(0, padLeft + padRight + 1 - ret.length)) + ret;
    }
    return expFormat ? formatScientific(v, d, opts) : formatPositional(v, d, opts);
  };
}

function integerFormatter(values: number[]): ElementFormatter {
  let width = 0;
  for (const v of values) width = Math.max(width, String(v).length);
  return (v) => String(v).padStart(width, " ");
}

function boolFormatter(zeroDim: boolean): ElementFormatter {
  const trueStr = zeroDim ? "True" : " True";
  return (v) => (v ? trueStr : "False");
}

function makeFormatter(d: DType, values: number[], zeroDim: boolean, precision: number): ElementFormatter {
  if (d === "bool") return boolFormatter(zeroDim);
  if (isFloatDType(d)) return floatingFormatter(values, d, precision);
  return integerFormatter(values);
}

// ---- layout (numpy's _formatArray) ------------------------------------------------

function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = acc;
    acc *= shape[i];
  }
  return strides;
}

/** Indices kept along an axis of length n when summarizing. */
function edgeIndices(n: number, edge: number): number[] {
  const idx: number[] = [];
  if (n > 2 * edge) {
    for (let i = 0; i < edge; i++) idx.push(i);
    for (let i = n - edge; i < n; i++) idx.push(i);
  } else for (let i = 0; i < n; i++) idx.push(i);
  return idx;
}

/** Flat offsets of the elements shown when summarizing (numpy's _leading_trailing). */
export function summaryOffsets(shape: readonly number[], edgeitems: number): number[] {
  const strides = rowMajorStrides(shape);
  const out: number[] = [];
  const rec = (axis: number, offset: number): void => {
    if (axis === shape.length) {
      out.push(offset);
      return;
    }
    for (const i of edgeIndices(shape[axis], edgeitems)) rec(axis + 1, offset + i * strides[axis]);
  };
  rec(0, 0);
  return out;
}

function layoutArray(
  shape: readonly number[],
  elem: (offset: number) => string,
  lineWidth: number,
  nextLinePrefix: string,
  separator: string,
  edgeItems: number,
  summaryInsert: string,
): string {
  const strides = rowMajorStrides(shape);
  const sepStripped = separator.trimEnd();

  const recurse = (axis: number, offset: number, hangingIndent: string, currWidth: number): string => {
    const axesLeft = shape.length - axis;
    if (axesLeft === 0) return elem(offset);
    const nextHanging = hangingIndent + " ";
    const nextWidth = currWidth - 1;
    const len = shape[axis];
    const showSummary = summaryInsert !== "" && 2 * edgeItems < len;
    const leading = showSummary ? edgeItems : 0;
    const trailing = showSummary ? edgeItems : len;
    const child = (i: number): string => recurse(axis + 1, offset + i * strides[axis], nextHanging, nextWidth);

    let s = "";
    if (axesLeft === 1) {
      const elemWidth = currWidth - Math.max(sepStripped.length, 1);
      let line = hangingIndent;
      const extend = (word: string): void => {
        const needsWrap = line.length + word.length > elemWidth && line.length > hangingIndent.length;
        if (needsWrap) {
          s += line.trimEnd() + "\n";
          line = hangingIndent;
        }
        line += word;
      };
      for (let i = 0; i < leading; i++) {
        extend(child(i));
        line += separator;
      }
      if (showSummary) {
        extend(summaryInsert);
        line += separator;
      }
      for (let i = trailing; i > 1; i--) {
        extend(child(len - i));
        line += separator;
      }
      extend(child(len - 1));
      s += line;
    } else {
      const lineSep = sepStripped + "\n".repeat(axesLeft - 1);
      for (let i = 0; i < leading; i++) s += hangingIndent + child(i) + lineSep;
      if (showSummary) s += hangingIndent + summaryInsert + lineSep;
      for (let i = trailing; i > 1; i--) s += hangingIndent + child(len - i) + lineSep;
      s += hangingIndent + child(len - 1);
    }
    return "[" + s.slice(hangingIndent.length) + "]";
  };
  return recurse(0, 0, nextLinePrefix, lineWidth);
}

function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

function resolveOptions(o?: Partial<PrintOptions>): PrintOptions {
  return { ...DEFAULT_PRINT_OPTIONS, ...(o ?? {}) };
}

function checkInput(x: FormatInput): number {
  const size = sizeOf(x.shape);
  if (x.data.length !== size) {
    throw new Error(`format: data has ${x.data.length} elements but shape (${x.shape.join(", ")}) needs ${size}`);
  }
  return size;
}

/** numpy's `np.array2string(a, separator=..., prefix=..., suffix=...)`. */
export function array2string(
  x: FormatInput,
  options?: Partial<PrintOptions> & { separator?: string; prefix?: string; suffix?: string },
): string {
  const o = resolveOptions(options);
  const separator = options?.separator ?? " ";
  const prefix = options?.prefix ?? "";
  const suffix = options?.suffix ?? "";
  const size = checkInput(x);
  if (size === 0) return "[]";
  const summarize = size > o.threshold;
  const shown = summarize ? summaryOffsets(x.shape, o.edgeitems) : null;
  const shownValues: number[] = [];
  if (shown) for (const i of shown) shownValues.push(castTo(x.data[i], x.dtype));
  else for (let i = 0; i < size; i++) shownValues.push(castTo(x.data[i], x.dtype));
  const fmt = makeFormatter(x.dtype, shownValues, x.shape.length === 0, o.precision);
  return layoutArray(
    x.shape,
    (i) => fmt(castTo(x.data[i], x.dtype)),
    o.linewidth - suffix.length,
    " " + " ".repeat(prefix.length),
    separator,
    o.edgeitems,
    summarize ? "..." : "",
  );
}

function pyTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/** JAX's `repr(Array)`, e.g. `Array([1., 2.], dtype=float32)`. */
export function formatRepr(x: FormatInput, options?: Partial<PrintOptions>): string {
  const o = resolveOptions(options);
  const prefix = "Array(";
  const dtypeStr = x.weakType ? `dtype=${x.dtype}, weak_type=True)` : `dtype=${x.dtype})`;
  const size = checkInput(x);
  const s =
    size === 0 ? `[], shape=${pyTuple(x.shape)}` : array2string(x, { ...o, separator: ", ", prefix, suffix: "," });
  // JAX measures the last line as len(s) - s.rfind('\n') + 1 and, when the dtype does
  // not fit, separates it with spaces only (no newline); both are reproduced as is.
  const lastLineLen = s.length - s.lastIndexOf("\n") + 1;
  const sep = lastLineLen + dtypeStr.length + 1 > o.linewidth ? " ".repeat(prefix.length) : " ";
  return `${prefix}${s},${sep}${dtypeStr}`;
}

/** numpy's `str(ndarray)`; a 0-d array prints as its scalar. */
export function formatStr(x: FormatInput, options?: Partial<PrintOptions>): string {
  const size = checkInput(x);
  if (x.shape.length === 0) return formatScalar(x.data[0], x.dtype);
  if (size === 0) return "[]";
  return array2string(x, { ...resolveOptions(options), separator: " ", prefix: "", suffix: "" });
}

/** `str()` of a numpy scalar of dtype `dtype`: '1.0', '0.1', '1e-05', 'nan', '2', 'True'. */
export function formatScalar(v: number, dtype: DType): string {
  const x = castTo(v, dtype);
  if (dtype === "bool") return x ? "True" : "False";
  if (!isFloatDType(dtype)) return String(x);
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x < 0 ? "-inf" : "inf";
  const a = Math.abs(x);
  const none = { precision: -1, minDigits: -1, padLeft: -1, padRight: -1, expDigits: -1 };
  if (a === 0 || (a < LAYOUT[dtype].maxPositional && a >= 1e-4)) {
    return formatPositional(x, dtype, { ...none, trim: "0" });
  }
  return formatScientific(x, dtype, { ...none, trim: "-" });
}
