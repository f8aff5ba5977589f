/**
 * CPU reference implementations of the structural primitives (movement, slicing, padding,
 * gather/scatter, dot_general, conv_general_dilated, reduce_window_*) on dense row-major
 * typed arrays, with XLA's semantics. Almost every op is a strided box copy (`copyBox`);
 * dot_general packs its operands into [batch, M, K] x [batch, K, N] and runs a register-blocked
 * float64 kernel. Outputs are always fresh arrays.
 *
 * float16: movement ops only copy already-rounded values. Values computed here (dot_general,
 * conv, reduce_window_sum, scatter-add/mul, a gather fill_value) would need float16 rounding at
 * the two marked places: `finish()` and `combiner()`.
 */
import { type ShapedArray, sizeOf, stridesOf } from "../../core/aval.js";
import { allocTyped, castScalar, isFloat, type DType, type TypedArray } from "../../core/dtype.js";
import type { GatherScatterMode } from "../../core/primitives.js";
import type { ReduceWindowName, ScatterName, StructuralName } from "../../core/rules/structural_rules.js";
import type { CpuImpl, CpuImplTable, HostArray } from "./host_array.js";

type Dims = readonly number[];
type Combine = (a: number, b: number) => number;

const result = (aval: ShapedArray, data: TypedArray): HostArray[] => [{ shape: aval.shape, dtype: aval.dtype, data }];
const sum = (xs: Dims, ws: Dims) => xs.reduce((s, x, i) => s + x * ws[i], 0);
const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

/** Visit every multi-index of `shape` in row-major order (`idx` is reused between calls). */
function forEachIndex(shape: Dims, fn: (idx: number[], flat: number) => void): void {
  const n = sizeOf(shape);
  const idx = new Array<number>(shape.length).fill(0);
  for (let flat = 0; flat < n; flat++) {
    fn(idx, flat);
    for (let k = shape.length - 1; k >= 0 && ++idx[k] === shape[k]; k--) idx[k] = 0;
  }
}

/**
 * For every multi-index i of the box `shape`: dst[dOff + i·dS] = src[sOff + i·sS], or
 * combine(dst, src) when a combiner is given. Strides may be 0 (broadcast) or negative (rev).
 */
function copyBox(shape: Dims, src: TypedArray, sOff: number, sS: Dims, dst: TypedArray, dOff: number, dS: Dims, combine?: Combine): void {
  const n = shape.length;
  if (sizeOf(shape) === 0) return;
  if (n === 0) {
    dst[dOff] = combine ? combine(dst[dOff], src[sOff]) : src[sOff];
    return;
  }
  const len = shape[n - 1];
  const ss = sS[n - 1];
  const ds = dS[n - 1];
  const idx = new Array<number>(n - 1).fill(0);
  let s = sOff;
  let d = dOff;
  for (;;) {
    if (combine) for (let j = 0, sp = s, dp = d; j < len; j++, sp += ss, dp += ds) dst[dp] = combine(dst[dp], src[sp]);
    else for (let j = 0, sp = s, dp = d; j < len; j++, sp += ss, dp += ds) dst[dp] = src[sp];
    let k = n - 2;
    for (; k >= 0; k--) {
      s += sS[k];
      d += dS[k];
      if (++idx[k] < shape[k]) break;
      s -= sS[k] * shape[k];
      d -= dS[k] * shape[k];
      idx[k] = 0;
    }
    if (k < 0) return;
  }
}

/** A fresh output for `aval` read from `src` at offset `off` with per-output-dim strides `strides`. */
function strided(aval: ShapedArray, src: TypedArray, off: number, strides: Dims): HostArray[] {
  const out = allocTyped(aval.dtype, aval.size);
  copyBox(aval.shape, src, off, strides, out, 0, stridesOf(aval.shape));
  return result(aval, out);
}

/** Copy a float64/int32 accumulator into the output dtype. float16 rounding belongs here. */
function finish(aval: ShapedArray, acc: Float64Array | Int32Array): HostArray[] {
  const out = allocTyped(aval.dtype, aval.size);
  if (aval.dtype === "bool") for (let i = 0; i < acc.length; i++) out[i] = acc[i] !== 0 ? 1 : 0;
  else out.set(acc); // typed-array stores round to f32 and wrap to 32-bit ints; float16 needs rounding on top
  return result(aval, out);
}

/** Read a scalar index operand. */
const scalar = (x: HostArray) => x.data[0];

// ---- gather / scatter ---------------------------------------------------------

/** gather's fill for fill_value=None, as in JAX: NaN, INT_MIN, UINT_MAX, true. */
function defaultFill(d: DType): number {
  return isFloat(d) ? NaN : d === "int32" ? -2147483648 : d === "uint32" ? 4294967295 : 1;
}

/**
 * Shared start-index computation: for each batch position G of `indices` (all dims but the
 * last), calls fn(G, start, inBounds) with the operand start vector clamped so `window` fits.
 * A start is out of bounds when any mapped index lies outside [0, dim - window]; "drop" skips
 * such positions, "fill" reports them with inBounds=false, "clamp" reports them as in bounds.
 */
function forEachStart(
  operand: HostArray, indices: HostArray, indexMap: Dims, opBatch: Dims, idxBatch: Dims, window: Dims,
  mode: "clamp" | "fill" | "drop", fn: (G: number[], start: number[], inBounds: boolean) => void,
): void {
  const batchShape = indices.shape.slice(0, -1);
  const K = indices.shape[indices.shape.length - 1];
  const start = new Array<number>(operand.shape.length).fill(0);
  forEachIndex(batchShape, (G, b) => {
    let ok = true;
    for (let k = 0; k < K; k++) {
      const d = indexMap[k];
      const hi = operand.shape[d] - window[d];
      const v = indices.data[b * K + k];
      if (v < 0 || v > hi) ok = false;
      start[d] = clamp(v, 0, hi);
    }
    opBatch.forEach((d, i) => (start[d] = G[idxBatch[i]]));
    if (ok || mode !== "drop") fn(G, start, ok || mode === "clamp");
  });
}

const gather: CpuImpl<"gather"> = ([x, indices], p, [aval]) => {
  const dn = p.dimension_numbers;
  const xs = stridesOf(x.shape);
  const os = stridesOf(aval.shape);
  const od = dn.offsetDims;
  const batchStrides = aval.shape.map((_, i) => i).filter((i) => !od.includes(i)).map((d) => os[d]);
  // Output strides of each operand window dim (collapsed/batching dims have size <= 1).
  let w = 0;
  const winDst = x.shape.map((_, d) => (dn.collapsedSliceDims.includes(d) || dn.operandBatchingDims.includes(d) ? 0 : os[od[w++]]));
  const out = allocTyped(aval.dtype, aval.size);
  const fillMode = p.mode.mode === "fill";
  const fill = allocTyped(aval.dtype, 1);
  fill[0] = castScalar(p.fill_value ?? defaultFill(aval.dtype), aval.dtype);
  const zeros = x.shape.map(() => 0);
  forEachStart(x, indices, dn.startIndexMap, dn.operandBatchingDims, dn.startIndicesBatchingDims, p.slice_sizes,
    fillMode ? "fill" : "clamp", (G, start, inBounds) => {
      const dOff = sum(G, batchStrides);
      if (inBounds) copyBox(p.slice_sizes, x.data, sum(start, xs), xs, out, dOff, winDst);
      else copyBox(p.slice_sizes, fill, 0, zeros, out, dOff, winDst);
    });
  return result(aval, out);
};

/** The combiner for a scatter variant on a dtype; float16 results would be rounded here. */
function combiner(name: ScatterName, d: DType): Combine | undefined {
  const bool = d === "bool";
  switch (name) {
    case "scatter":
      return undefined;
    case "scatter-add":
      return bool ? (a, b) => a | b : (a, b) => a + b; // int stores wrap
    case "scatter-mul":
      return bool ? (a, b) => a & b : isFloat(d) ? (a, b) => a * b : Math.imul;
    case "scatter-min":
      return (a, b) => (b < a || b !== b ? b : a); // NaN-propagating like XLA's min
    case "scatter-max":
      return (a, b) => (b > a || b !== b ? b : a);
  }
}

function scatterImpl(name: ScatterName): CpuImpl<ScatterName> {
  return ([x, indices, updates], p, [aval]) => {
    const dn = p.dimension_numbers;
    const uwd = dn.updateWindowDims;
    const us = stridesOf(updates.shape);
    const scatterStrides = updates.shape.map((_, i) => i).filter((i) => !uwd.includes(i)).map((d) => us[d]);
    let w = 0;
    const inserted = (d: number) => dn.insertedWindowDims.includes(d) || dn.operandBatchingDims.includes(d);
    const winSrc = x.shape.map((_, d) => (inserted(d) ? 0 : us[uwd[w++]]));
    w = 0;
    const window = x.shape.map((_, d) => (inserted(d) ? 1 : updates.shape[uwd[w++]]));
    const xs = stridesOf(x.shape);
    const out = x.data.slice();
    const combine = combiner(name, aval.dtype);
    const mode: GatherScatterMode = p.mode.mode;
    forEachStart(x, indices, dn.scatterDimsToOperandDims, dn.operandBatchingDims, dn.scatterIndicesBatchingDims, window,
      mode === "clip" ? "clamp" : "drop", (G, start) => {
        copyBox(window, updates.data, sum(G, scatterStrides), winSrc, out, sum(start, xs), xs, combine);
      });
    return result(aval, out);
  };
}

// ---- dot_general ----------------------------------------------------------------

/** Copy `x` into the contiguous array `out` (float64 or int32) with its dims in `order`. */
function pack(x: HostArray, order: Dims, out: Acc): Acc {
  const xs = stridesOf(x.shape);
  const shape = order.map((d) => x.shape[d]);
  copyBox(shape, x.data, 0, order.map((d) => xs[d]), out, 0, stridesOf(shape));
  return out;
}

const MR = 4; // register block: 4x4 accumulators
let panelA = new Float64Array(0); // grow-only scratch for the packed panels
let panelB = new Float64Array(0);
/**
 * C[M,N] = A[M,K] · B[K,N] in float64, all contiguous at the given offsets. A and B are first
 * re-packed into 4-row / 4-column panels so the inner loop keeps 16 accumulators in registers.
 */
function matmulF64(A: Float64Array, aOff: number, B: Float64Array, bOff: number, C: Float64Array, cOff: number, M: number, K: number, N: number): void {
  const Mb = Math.ceil(M / MR);
  const Nb = Math.ceil(N / MR);
  const Ap = panelA.length >= Mb * MR * K ? panelA : (panelA = new Float64Array(Mb * MR * K));
  const Bp = panelB.length >= Nb * MR * K ? panelB : (panelB = new Float64Array(Nb * MR * K));
  Ap.fill(0, 0, Mb * MR * K);
  Bp.fill(0, 0, Nb * MR * K);
  for (let i = 0; i < M; i++) {
    const base = (i >> 2) * K * MR + (i & 3);
    for (let k = 0, a = aOff + i * K; k < K; k++) Ap[base + k * MR] = A[a + k];
  }
  for (let k = 0; k < K; k++) {
    for (let j = 0, b = bOff + k * N; j < N; j++) Bp[(j >> 2) * K * MR + k * MR + (j & 3)] = B[b + j];
  }
  for (let ib = 0; ib < Mb; ib++) {
    for (let jb = 0; jb < Nb; jb++) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let k = 0, pa = ib * K * MR, pb = jb * K * MR; k < K; k++, pa += MR, pb += MR) {
        const a0 = Ap[pa], a1 = Ap[pa + 1], a2 = Ap[pa + 2], a3 = Ap[pa + 3];
        const b0 = Bp[pb], b1 = Bp[pb + 1], b2 = Bp[pb + 2], b3 = Bp[pb + 3];
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
      }
      const i0 = ib * MR;
      const j0 = jb * MR;
      if (i0 + MR <= M && j0 + MR <= N) {
        let o = cOff + i0 * N + j0;
        C[o] = c00; C[o + 1] = c01; C[o + 2] = c02; C[o + 3] = c03; o += N;
        C[o] = c10; C[o + 1] = c11; C[o + 2] = c12; C[o + 3] = c13; o += N;
        C[o] = c20; C[o + 1] = c21; C[o + 2] = c22; C[o + 3] = c23; o += N;
        C[o] = c30; C[o + 1] = c31; C[o + 2] = c32; C[o + 3] = c33;
      } else {
        const tile = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
        for (let r = 0; r < MR && i0 + r < M; r++) {
          for (let c = 0; c < MR && j0 + c < N; c++) C[cOff + (i0 + r) * N + j0 + c] = tile[r * MR + c];
        }
      }
    }
  }
}

/** Wrapping int32 matmul (also used for uint32 and bool, whose bit patterns agree mod 2^32). */
function matmulI32(A: Int32Array, aOff: number, B: Int32Array, bOff: number, C: Int32Array, cOff: number, M: number, K: number, N: number): void {
  for (let i = 0; i < M; i++) {
    const c = cOff + i * N;
    for (let k = 0; k < K; k++) {
      const a = A[aOff + i * K + k];
      const b = bOff + k * N;
      for (let j = 0; j < N; j++) C[c + j] = (C[c + j] + Math.imul(a, B[b + j])) | 0;
    }
  }
}

type Acc = Float64Array | Int32Array;
const alloc = (float: boolean, n: number): Acc => (float ? new Float64Array(n) : new Int32Array(n));
/** C = A·B for contiguous [M,K]·[K,N] blocks; float64 or wrapping int32 by the arrays' type (int C must start at 0). */
function matmul(A: Acc, aOff: number, B: Acc, bOff: number, C: Acc, cOff: number, M: number, K: number, N: number): void {
  if (A instanceof Float64Array) matmulF64(A, aOff, B as Float64Array, bOff, C as Float64Array, cOff, M, K, N);
  else matmulI32(A, aOff, B as Int32Array, bOff, C as Int32Array, cOff, M, K, N);
}

const dotGeneral: CpuImpl<"dot_general"> = ([lhs, rhs], p, [aval]) => {
  const { lhsContracting: lc, rhsContracting: rc, lhsBatch: lb, rhsBatch: rb } = p.dimension_numbers;
  const free = (x: HostArray, c: Dims, b: Dims) => x.shape.map((_, i) => i).filter((i) => !c.includes(i) && !b.includes(i));
  const lf = free(lhs, lc, lb);
  const rf = free(rhs, rc, rb);
  const size = (x: HostArray, ds: Dims) => ds.reduce((s, d) => s * x.shape[d], 1);
  const [nb, M, K, N] = [size(lhs, lb), size(lhs, lf), size(lhs, lc), size(rhs, rf)];
  const lOrder = [...lb, ...lf, ...lc];
  const rOrder = [...rb, ...rc, ...rf];
  const float = isFloat(aval.dtype);
  const A = pack(lhs, lOrder, alloc(float, lhs.data.length));
  const B = pack(rhs, rOrder, alloc(float, rhs.data.length));
  const C = alloc(float, nb * M * N);
  for (let b = 0; b < nb; b++) matmul(A, b * M * K, B, b * K * N, C, b * M * N, M, K, N);
  return finish(aval, C);
};

// ---- windows: conv and reduce_window ---------------------------------------------

/** One spatial dim of a window: for output o and window tap k, the input coordinate or -1. */
interface WinDim {
  taps: Int32Array; // [out * K + k] -> input index or -1 (padding / dilation hole)
  K: number;
  inStride: number; // stride of the input coordinate
  kStride: number; // stride of the window tap (kernel layout), 0 when unused
}

/** Per-dim tap table for base (lhs) dilation `bd`, window (rhs) dilation `wd`, stride and low padding. */
function winDim(inSize: number, outSize: number, K: number, stride: number, lo: number, bd: number, wd: number, inStride: number, kStride: number): WinDim {
  const taps = new Int32Array(outSize * K);
  for (let o = 0; o < outSize; o++) {
    for (let k = 0; k < K; k++) {
      const pos = o * stride + k * wd - lo; // position in the padded, dilated input
      const q = pos / bd;
      taps[o * K + k] = pos >= 0 && pos % bd === 0 && q < inSize ? q : -1;
    }
  }
  return { taps, K, inStride, kStride };
}

/**
 * The valid taps of the window at output position `o` as (input offset, kernel offset) pairs in
 * `inOff`/`kOff`; returns their count. Built as a cartesian product dim by dim, in place.
 */
function windowTaps(o: Dims, dims: readonly WinDim[], inOff: Int32Array, kOff: Int32Array): number {
  let n = 1;
  inOff[0] = 0;
  kOff[0] = 0;
  const valid: number[] = [];
  for (let d = 0; d < dims.length; d++) {
    const { taps, K, inStride, kStride } = dims[d];
    valid.length = 0;
    for (let k = 0; k < K; k++) if (taps[o[d] * K + k] >= 0) valid.push(k);
    const v = valid.length;
    for (let p = n - 1; p >= 0; p--) {
      const a = inOff[p];
      const b = kOff[p];
      for (let t = v - 1; t >= 0; t--) {
        const k = valid[t];
        inOff[p * v + t] = a + taps[o[d] * K + k] * inStride;
        kOff[p * v + t] = b + k * kStride;
      }
    }
    n *= v;
  }
  return n;
}

/**
 * Convolution as blocked im2col + matmul. Operands are packed to canonical [N, C, spatial...] and
 * [O, I, window...]; channels are split into Q = max(feature_group_count, batch_group_count)
 * contiguous groups (XLA: group q uses input features q*I.. for feature groups, lhs batch
 * q*Nout + n for batch groups, and produces output features q*O/Q..). For each batch row and
 * group, a block of output positions gets a patch matrix [positions, I*window] that multiplies
 * the group's weights [I*window, O/Q].
 */
const conv: CpuImpl<"conv_general_dilated"> = ([lhs, rhs], p, [aval]) => {
  const { lhsSpec: ls, rhsSpec: rs, outSpec: os } = p.dimension_numbers;
  const [G, BG] = [p.feature_group_count, p.batch_group_count];
  const float = isFloat(aval.dtype);
  const L = pack(lhs, ls, alloc(float, lhs.data.length));
  const W = pack(rhs, rs, alloc(float, rhs.data.length));
  const lShape = ls.map((d) => lhs.shape[d]);
  const kShape = rs.slice(2).map((d) => rhs.shape[d]);
  const cShape = os.map((d) => aval.shape[d]); // canonical output [Nout, O, spatial...]
  const [Nout, O] = cShape;
  const I = rhs.shape[rs[1]];
  const outSp = cShape.slice(2);
  const [Y, Kk] = [sizeOf(outSp), sizeOf(kShape)];
  const IK = I * Kk;
  const lSt = stridesOf(lShape);
  const kSt = stridesOf(kShape);
  const dims = outSp.map((size, i) =>
    winDim(lShape[2 + i], size, kShape[i], p.window_strides[i], p.padding[i][0], p.lhs_dilation[i], p.rhs_dilation[i], lSt[2 + i], kSt[i]));
  // Valid taps of every output position, CSR: input spatial offset and flat window index.
  const tapStart = new Int32Array(Y + 1);
  const tapIn = new Int32Array(Y * Kk);
  const tapK = new Int32Array(Y * Kk);
  const bufIn = new Int32Array(Math.max(Kk, 1));
  const bufK = new Int32Array(Math.max(Kk, 1));
  forEachIndex(outSp, (y, flat) => {
    const cnt = windowTaps(y, dims, bufIn, bufK);
    tapIn.set(bufIn.subarray(0, cnt), tapStart[flat]);
    tapK.set(bufK.subarray(0, cnt), tapStart[flat]);
    tapStart[flat + 1] = tapStart[flat] + cnt;
  });
  const Q = Math.max(G, BG);
  const Oq = O / Q;
  const Wt = alloc(float, O * IK); // [Q, I*window, O/Q]
  copyBox([Q, IK, Oq], W, 0, [Oq * IK, 1, IK], Wt, 0, [IK * Oq, Oq, 1]);
  const outC = alloc(float, aval.size);
  const yBlock = Math.max(1, Math.min(Y, Math.floor(2 ** 21 / Math.max(IK, 1))));
  const P = alloc(float, yBlock * IK);
  const R = alloc(float, yBlock * Oq);
  for (let n = 0; n < Nout; n++) {
    for (let q = 0; q < Q; q++) {
      const lBase = (BG > 1 ? q * Nout + n : n) * lSt[0] + (G > 1 ? q * I : 0) * lSt[1];
      for (let y0 = 0; y0 < Y; y0 += yBlock) {
        const yn = Math.min(yBlock, Y - y0);
        P.fill(0);
        R.fill(0);
        for (let y = y0; y < y0 + yn; y++) {
          const row = (y - y0) * IK;
          for (let t = tapStart[y]; t < tapStart[y + 1]; t++) {
            for (let i = 0, src = lBase + tapIn[t], dst = row + tapK[t]; i < I; i++, src += lSt[1], dst += Kk) P[dst] = L[src];
          }
        }
        matmul(P, 0, Wt, q * IK * Oq, R, 0, yn, IK, Oq);
        copyBox([yn, Oq], R, 0, [Oq, 1], outC, n * O * Y + q * Oq * Y + y0, [1, Y]);
      }
    }
  }
  const oS = stridesOf(aval.shape);
  const res = alloc(float, aval.size);
  copyBox(cShape, outC, 0, stridesOf(cShape), res, 0, os.map((d) => oS[d]));
  return finish(aval, res);
};

/** Reduction identity of a windowed reduction on dtype `d`. */
function identity(name: ReduceWindowName, d: DType): number {
  if (name === "reduce_window_sum") return 0;
  const max = name === "reduce_window_max";
  if (isFloat(d)) return max ? -Infinity : Infinity;
  if (d === "int32") return max ? -2147483648 : 2147483647;
  return max ? 0 : d === "uint32" ? 4294967295 : 1;
}

function reduceWindow(name: ReduceWindowName): CpuImpl<ReduceWindowName> {
  return ([x], p, [aval]) => {
    const xs = stridesOf(x.shape);
    const dims = aval.shape.map((size, i) =>
      winDim(x.shape[i], size, p.window_dimensions[i], p.window_strides[i], p.padding[i][0], p.base_dilation[i], p.window_dilation[i], xs[i], 0));
    const wSize = Math.max(1, sizeOf(p.window_dimensions));
    const inOff = new Int32Array(wSize);
    const kOff = new Int32Array(wSize);
    const init = identity(name, x.dtype);
    const acc = new Float64Array(aval.size);
    const src = x.data;
    forEachIndex(aval.shape, (o, flat) => {
      const cnt = windowTaps(o, dims, inOff, kOff);
      let s = init;
      if (name === "reduce_window_sum") for (let t = 0; t < cnt; t++) s += src[inOff[t]];
      else if (name === "reduce_window_max") for (let t = 0; t < cnt; t++) { const v = src[inOff[t]]; if (v > s || v !== v) s = v; }
      else for (let t = 0; t < cnt; t++) { const v = src[inOff[t]]; if (v < s || v !== v) s = v; }
      acc[flat] = s;
    });
    return finish(aval, acc);
  };
}

// ---- the table -----------------------------------------------------------------------

export const structuralCpu: CpuImplTable<StructuralName> = {
  broadcast_in_dim: ([x], { broadcast_dimensions: bd }, [aval]) => {
    const xs = stridesOf(x.shape);
    const ss = aval.shape.map(() => 0);
    bd.forEach((d, i) => (ss[d] = x.shape[i] === 1 ? 0 : xs[i]));
    return strided(aval, x.data, 0, ss);
  },
  reshape: ([x], _p, [aval]) => result(aval, x.data.slice()),
  squeeze: ([x], _p, [aval]) => result(aval, x.data.slice()),
  transpose: ([x], { permutation }, [aval]) => {
    const xs = stridesOf(x.shape);
    return strided(aval, x.data, 0, permutation.map((d) => xs[d]));
  },
  rev: ([x], { dimensions }, [aval]) => {
    const xs = stridesOf(x.shape);
    const off = dimensions.reduce((s, d) => s + (x.shape[d] - 1) * xs[d], 0);
    return strided(aval, x.data, aval.size ? off : 0, xs.map((s, d) => (dimensions.includes(d) ? -s : s)));
  },
  slice: ([x], { start_indices: start, strides }, [aval]) => {
    const xs = stridesOf(x.shape);
    return strided(aval, x.data, sum(start, xs), xs.map((s, d) => s * (strides ? strides[d] : 1)));
  },
  dynamic_slice: ([x, ...idx], { slice_sizes: sizes }, [aval]) => {
    const xs = stridesOf(x.shape);
    const start = idx.map((i, d) => clamp(scalar(i), 0, x.shape[d] - sizes[d]));
    return strided(aval, x.data, sum(start, xs), xs);
  },
  dynamic_update_slice: ([x, u, ...idx], _p, [aval]) => {
    const xs = stridesOf(x.shape);
    const out = x.data.slice();
    const start = idx.map((i, d) => clamp(scalar(i), 0, x.shape[d] - u.shape[d]));
    copyBox(u.shape, u.data, 0, stridesOf(u.shape), out, sum(start, xs), xs);
    return result(aval, out);
  },
  pad: ([x, v], { padding_config: cfg }, [aval]) => {
    const out = allocTyped(aval.dtype, aval.size).fill(v.data[0]);
    const xs = stridesOf(x.shape);
    const os = stridesOf(aval.shape);
    // Per dim: operand elements i0..i0+count-1 land at lo + i*(interior+1), inside [0, out).
    let sOff = 0;
    let dOff = 0;
    const box = x.shape.map((d, i) => {
      const [lo, , interior] = cfg[i];
      const step = interior + 1;
      const i0 = Math.max(0, Math.ceil(-lo / step));
      const i1 = Math.min(d - 1, Math.floor((aval.shape[i] - 1 - lo) / step));
      sOff += i0 * xs[i];
      dOff += (lo + i0 * step) * os[i];
      return Math.max(0, i1 - i0 + 1);
    });
    copyBox(box, x.data, sOff, xs, out, dOff, os.map((s, i) => s * (cfg[i][2] + 1)));
    return result(aval, out);
  },
  concatenate: (xs, { dimension }, [aval]) => {
    const out = allocTyped(aval.dtype, aval.size);
    const os = stridesOf(aval.shape);
    let at = 0;
    for (const x of xs) {
      copyBox(x.shape, x.data, 0, stridesOf(x.shape), out, at * os[dimension], os);
      at += x.shape[dimension];
    }
    return result(aval, out);
  },
  gather,
  scatter: scatterImpl("scatter"),
  "scatter-add": scatterImpl("scatter-add"),
  "scatter-mul": scatterImpl("scatter-mul"),
  "scatter-min": scatterImpl("scatter-min"),
  "scatter-max": scatterImpl("scatter-max"),
  dot_general: dotGeneral,
  conv_general_dilated: conv,
  reduce_window_sum: reduceWindow("reduce_window_sum"),
  reduce_window_max: reduceWindow("reduce_window_max"),
  reduce_window_min: reduceWindow("reduce_window_min"),
};
