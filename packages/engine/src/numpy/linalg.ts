/**
 * Tensor contractions (jnp.dot, matmul, vdot, inner, outer, tensordot, einsum, kron, cross) and
 * the `linalg` namespace (norm, vector_norm, matrix_norm, …), built on lax.dot_general as JAX
 * builds them: operands keep their dtypes, dot_general gets the promoted dtype as
 * `preferred_element_type`, and the result is converted to the promoted (possibly weak) type.
 * einsum contracts its operands pairwise, left to right (JAX asks opt_einsum for the order).
 */
import { type Array } from "../core/tracer.js";
import { type DType, type DTypeLike, isBool } from "../core/dtype.js";
import { ValueError } from "../core/errors.js";
import { broadcastShapes, normalizeAxis, shapeStr } from "../core/shape_util.js";
import * as lax from "../lax/lax.js";
import { isArray } from "../lax/lax.js";
import { absolute, multiply, notEqual, power, sqrt, subtract } from "./ufuncs.js";
import { type ArrayLike, checkArrayLike, promoteDtypes, promoteDtypesInexact, resultType } from "./util.js";
import { broadcastTo, diagonal, expandDims, moveaxis, ravel, reshape, stack, trace } from "./shape_ops.js";

const JsArray = globalThis.Array;
const range = (n: number, start = 0): number[] => JsArray.from({ length: Math.max(0, n) }, (_, i) => i + start);
const fmt = shapeStr;
/** numpy's compact shape text in `not aligned` errors: `(2,4)`. */
const fmtTight = (s: readonly number[]) => (s.length === 1 ? `(${s[0]},)` : `(${s.join(",")})`);

export interface ContractionOpts {
  /** Accumulation / result dtype (JAX's preferred_element_type); default: the promoted dtype. */
  preferredElementType?: DType;
}

function targetType(fn: string, xs: ArrayLike[], pref?: DType): DTypeLike {
  xs.forEach((x, i) => checkArrayLike(fn, x, i));
  return pref ? { dtype: pref, weakType: false } : resultType(...xs);
}

const finish = (x: Array, t: DTypeLike): Array => lax.convertElementType(x, t.dtype, t.weakType);

// ---- dot products ------------------------------------------------------------------------

/** jnp.dot(a, b): a's last axis against b's second-to-last (or only) axis; scalars multiply. */
export function dot(a: ArrayLike, b: ArrayLike, opts: ContractionOpts = {}): Array {
  const t = targetType("dot", [a, b], opts.preferredElementType);
  const x = lax.asArray(a);
  const y = lax.asArray(b);
  let contract: [number[], number[]] = [[], []];
  if (x.ndim > 0 && y.ndim > 0) {
    const yc = y.ndim === 1 ? 0 : y.ndim - 2;
    const k = x.shape[x.ndim - 1];
    if (k !== y.shape[yc])
      throw new ValueError(`dot: shapes ${fmtTight(x.shape)} and ${fmtTight(y.shape)} not aligned: ${k} (dim ${x.ndim - 1}) != ${y.shape[yc]} (dim ${yc})`);
    contract = [[x.ndim - 1], [yc]];
  }
  return finish(lax.dotGeneral(x, y, [contract, [[], []]], t.dtype), t);
}

/**
 * jnp.matmul(a, b) (`a @ b`): batched over leading axes with numpy broadcasting (size-1 batch
 * axes are squeezed rather than broadcast); 1-D operands are promoted to matrices and the added
 * axis removed. One dot_general (plus a transpose when batch axes need reordering).
 */
export function matmul(a: ArrayLike, b: ArrayLike, opts: ContractionOpts = {}): Array {
  const t = targetType("matmul", [a, b], opts.preferredElementType);
  let x = lax.asArray(a);
  let y = lax.asArray(b);
  [x, y].forEach((v, i) => {
    if (v.ndim < 1) throw new ValueError(`matmul input operand ${i} must have ndim at least 1, but it has ndim ${v.ndim}`);
  });
  const aIsMat = x.ndim > 1;
  const bIsMat = y.ndim > 1;
  const ka = x.shape[x.ndim - 1];
  const kb = y.shape[bIsMat ? y.ndim - 2 : 0];
  if (ka !== kb)
    throw new ValueError(
      `matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (n?,k),(k,m?)->(n?,m?) (size ${kb} is different from ${ka}); ` +
        `operand shapes are ${fmt(x.shape)} and ${fmt(y.shape)}.`,
    );
  let aBatch: (number | null)[] = aIsMat ? x.shape.slice(0, -2) : [];
  let bBatch: (number | null)[] = bIsMat ? y.shape.slice(0, -2) : [];
  const nb = Math.max(aBatch.length, bBatch.length);
  aBatch = [...new JsArray<null>(nb - aBatch.length).fill(null), ...aBatch];
  bBatch = [...new JsArray<null>(nb - bBatch.length).fill(null), ...bBatch];
  const aSqueeze: number[] = [];
  const bSqueeze: number[] = [];
  const aBatchPos: number[] = [];
  const bBatchPos: number[] = [];
  const idxBatch: number[] = [];
  const idxAOther: number[] = [];
  const idxBOther: number[] = [];
  for (let i = 0; i < nb; i++) {
    const ba = aBatch[i];
    const bb = bBatch[i];
    if (ba === null) idxBOther.push(i);
    else if (bb === null) idxAOther.push(i);
    else if (ba === 1) {
      idxBOther.push(i);
      aSqueeze.push(idxBatch.length + idxAOther.length + aSqueeze.length);
    } else if (bb === 1) {
      idxAOther.push(i);
      bSqueeze.push(idxBatch.length + idxBOther.length + bSqueeze.length);
    } else if (ba === bb) {
      aBatchPos.push(idxBatch.length + idxAOther.length);
      bBatchPos.push(idxBatch.length + idxBOther.length);
      idxBatch.push(i);
    } else throw new ValueError(`Incompatible shapes for matmul arguments: ${fmt(x.shape)} and ${fmt(y.shape)}`);
  }
  if (aIsMat) idxAOther.push(nb);
  if (bIsMat) idxBOther.push(nb + (aIsMat ? 1 : 0));
  const order = [...idxBatch, ...idxAOther, ...idxBOther];
  const perm = range(order.length).sort((p, q) => order[p] - order[q]);
  x = lax.squeeze(x, aSqueeze);
  y = lax.squeeze(y, bSqueeze);
  const out = lax.dotGeneral(x, y, [[[x.ndim - 1], [y.ndim - 1 - (bIsMat ? 1 : 0)]], [aBatchPos, bBatchPos]], t.dtype);
  return finish(lax.transpose(out, perm), t);
}

/** jnp.vdot(a, b): dot of the flattened inputs (no conjugation: Kiln has no complex dtypes). */
export function vdot(a: ArrayLike, b: ArrayLike, opts: ContractionOpts = {}): Array {
  checkArrayLike("vdot", a, 0);
  checkArrayLike("vdot", b, 1);
  return dot(ravel(a), ravel(b), opts);
}

/** jnp.inner(a, b): contracts the last axes of both; scalars multiply. */
export function inner(a: ArrayLike, b: ArrayLike, opts: ContractionOpts = {}): Array {
  checkArrayLike("inner", a, 0);
  checkArrayLike("inner", b, 1);
  const x = lax.asArray(a);
  const y = lax.asArray(b);
  if (x.ndim === 0 || y.ndim === 0) {
    const pref = opts.preferredElementType;
    return multiply(pref ? lax.convertElementType(x, pref) : x, pref ? lax.convertElementType(y, pref) : y);
  }
  if (x.shape[x.ndim - 1] !== y.shape[y.ndim - 1])
    throw new ValueError(`inner: shapes ${fmtTight(x.shape)} and ${fmtTight(y.shape)} not aligned: ${x.shape[x.ndim - 1]} (dim ${x.ndim - 1}) != ${y.shape[y.ndim - 1]} (dim ${y.ndim - 1})`);
  return tensordot(x, y, [-1, -1], opts);
}

/** jnp.outer(a, b): ravel(a)[:, None] * ravel(b)[None, :]. */
export function outer(a: ArrayLike, b: ArrayLike): Array {
  const [x, y] = promoteDtypes("outer", a, b);
  return multiply(lax.expandDims(ravel(x), [1]), lax.expandDims(ravel(y), [0]));
}

export type TensordotAxes = number | readonly [number, number] | readonly [readonly number[], readonly number[]];

/**
 * jnp.tensordot(a, b, axes=2): `axes` is N (a's last N against b's first N), a pair of axes,
 * or a pair of axis lists. One dot_general.
 */
export function tensordot(a: ArrayLike, b: ArrayLike, axes: TensordotAxes = 2, opts: ContractionOpts = {}): Array {
  const t = targetType("tensordot", [a, b], opts.preferredElementType);
  const x = lax.asArray(a);
  const y = lax.asArray(b);
  let lc: number[];
  let rc: number[];
  if (typeof axes === "number") {
    if (!Number.isInteger(axes) || axes < 0) throw new TypeError(`tensordot: axes must be a non-negative integer, got ${axes}.`);
    if (axes > Math.min(x.ndim, y.ndim)) throw new TypeError(`Number of tensordot axes (axes ${axes}) exceeds input ranks (${fmt(x.shape)} and ${fmt(y.shape)})`);
    lc = range(axes, x.ndim - axes);
    rc = range(axes);
  } else if (JsArray.isArray(axes) && axes.length === 2) {
    const [a1, a2] = axes;
    if (typeof a1 === "number" && typeof a2 === "number") {
      lc = [normalizeAxis(a1, x.ndim, "tensordot")];
      rc = [normalizeAxis(a2, y.ndim, "tensordot")];
    } else if (JsArray.isArray(a1) && JsArray.isArray(a2)) {
      if (a1.length !== a2.length) throw new TypeError(`tensordot requires axes lists to have equal length, got ${fmt(a1)} and ${fmt(a2)}.`);
      lc = (a1 as readonly number[]).map((i) => normalizeAxis(i, x.ndim, "tensordot"));
      rc = (a2 as readonly number[]).map((i) => normalizeAxis(i, y.ndim, "tensordot"));
    } else throw new TypeError(`tensordot requires both axes lists to be either ints, tuples or lists, got ${JSON.stringify(a1)} and ${JSON.stringify(a2)}`);
  } else throw new TypeError("tensordot axes argument must be an int, a pair of ints, or a pair of lists/tuples of ints.");
  const ls = lc.map((d) => x.shape[d]);
  const rs = rc.map((d) => y.shape[d]);
  if (ls.some((d, i) => d !== rs[i]))
    throw new TypeError(`tensordot: shape-mismatch for sum: contracting dimensions ${fmt(ls)} of ${fmt(x.shape)} and ${fmt(rs)} of ${fmt(y.shape)} differ.`);
  return finish(lax.dotGeneral(x, y, [[lc, rc], [[], []]], t.dtype), t);
}

/** jnp.kron(a, b): the Kronecker product, as an outer product of interleaved axes reshaped. */
export function kron(a: ArrayLike, b: ArrayLike): Array {
  let [x, y] = promoteDtypes("kron", a, b);
  if (x.ndim < y.ndim) x = expandDims(x, range(y.ndim - x.ndim));
  else if (y.ndim < x.ndim) y = expandDims(y, range(x.ndim - y.ndim));
  const xr = expandDims(x, range(x.ndim, 1).map((_, i) => 2 * i + 1));
  const yr = expandDims(y, range(y.ndim).map((i) => 2 * i));
  return reshape(multiply(xr, yr), x.shape.map((d, i) => d * y.shape[i]));
}

export interface CrossOpts {
  axisa?: number;
  axisb?: number;
  axisc?: number;
  /** Overrides axisa, axisb and axisc. */
  axis?: number | null;
}

/** Component i of the vectors along the last axis (x[..., i]). */
function component(x: Array, i: number): Array {
  const starts = x.shape.map((_, d) => (d === x.ndim - 1 ? i : 0));
  const limits = x.shape.map((s, d) => (d === x.ndim - 1 ? i + 1 : s));
  return lax.squeeze(lax.slice(x, starts, limits), [x.ndim - 1]);
}

/** jnp.cross(a, b): cross product of 2- or 3-vectors along the given axes (batch axes broadcast). */
export function cross(a: ArrayLike, b: ArrayLike, opts: CrossOpts = {}): Array {
  let [x, y] = promoteDtypes("cross", a, b);
  let axisa = opts.axisa ?? -1;
  let axisb = opts.axisb ?? -1;
  let axisc = opts.axisc ?? -1;
  if (opts.axis !== undefined && opts.axis !== null) axisa = axisb = axisc = opts.axis;
  if (x.ndim === 0 || y.ndim === 0) throw new ValueError("cross: inputs must be at least 1-dimensional.");
  x = moveaxis(x, axisa, -1);
  y = moveaxis(y, axisb, -1);
  const na = x.shape[x.ndim - 1];
  const nbv = y.shape[y.ndim - 1];
  if (![2, 3].includes(na) || ![2, 3].includes(nbv)) throw new ValueError("Dimension must be either 2 or 3 for cross product");
  const [a0, a1] = [component(x, 0), component(x, 1)];
  const [b0, b1] = [component(y, 0), component(y, 1)];
  if (na === 2 && nbv === 2) return subtract(multiply(a0, b1), multiply(a1, b0));
  const zero = (v: Array) => lax.broadcastInDim(lax.convertElementType(0, v.dtype, v.weakType), v.shape, []);
  const a2 = na === 3 ? component(x, 2) : zero(a0);
  const b2 = nbv === 3 ? component(y, 2) : zero(b0);
  const c = stack([subtract(multiply(a1, b2), multiply(a2, b1)), subtract(multiply(a2, b0), multiply(a0, b2)), subtract(multiply(a0, b1), multiply(a1, b0))]);
  return moveaxis(c, 0, axisc);
}

// ---- einsum ---------------------------------------------------------------------------------

export interface EinsumOpts extends ContractionOpts {}

/** Labels of one operand: letters, and `...k` for the k-th (right-aligned) ellipsis axis. */
type Labels = string[];

function isLetter(c: string): boolean {
  return /^[a-zA-Z]$/.test(c);
}

/** Parse one term (e.g. `i...j`): letters and at most one ellipsis. */
function parseTerm(term: string, where: string): { letters: string[]; ell: number } {
  const letters: string[] = [];
  let ell = -1;
  for (let i = 0; i < term.length; ) {
    if (term.startsWith("...", i)) {
      if (ell >= 0) throw new ValueError(`einstein sum subscripts string contains more than one ellipsis ('...') in ${where}`);
      ell = letters.length;
      i += 3;
    } else if (term[i] === ".") {
      throw new ValueError("einstein sum subscripts string contains a '.' that is not part of an ellipsis ('...')");
    } else if (isLetter(term[i])) {
      letters.push(term[i]);
      i++;
    } else throw new ValueError(`invalid subscript '${term[i]}' in einstein sum subscripts string, subscripts must be letters`);
  }
  return { letters, ell };
}

const ellLabel = (k: number) => `...${k}`;

interface ParsedEinsum {
  inputs: Labels[];
  output: Labels;
  sizes: Map<string, number>;
}

function parseEinsum(subscripts: string, shapes: (readonly number[])[]): ParsedEinsum {
  const s = subscripts.replace(/\s+/g, "");
  const arrow = s.indexOf("->");
  if (arrow >= 0 && s.indexOf("->", arrow + 1) >= 0) throw new ValueError("einstein sum subscripts string includes '->' more than once");
  const lhs = arrow >= 0 ? s.slice(0, arrow) : s;
  const rhs = arrow >= 0 ? s.slice(arrow + 2) : null;
  if (/[->]/.test(lhs) || (rhs !== null && /[->]/.test(rhs))) throw new ValueError("einstein sum subscript string does not contain proper '->' output specified");
  const terms = lhs.split(",");
  if (terms.length > shapes.length) throw new ValueError("fewer operands provided to einstein sum function than specified in the subscripts string");
  if (terms.length < shapes.length) throw new ValueError("more operands provided to einstein sum function than specified in the subscripts string");
  const parsed = terms.map((t, i) => parseTerm(t, `operand ${i}`));
  const ellDims = parsed.map((p, i) => {
    const n = shapes[i].length - p.letters.length;
    if (p.ell < 0 && n > 0)
      throw new ValueError(`operand has more dimensions than subscripts given in einstein sum, but no '...' ellipsis provided to broadcast the extra dimensions (operand ${i} has shape ${fmt(shapes[i])} and subscripts '${terms[i]}').`);
    if (n < 0) throw new ValueError(`einstein sum subscripts string contains too many subscripts for operand ${i} (shape ${fmt(shapes[i])}, subscripts '${terms[i]}')`);
    return p.ell < 0 ? 0 : n;
  });
  const E = Math.max(0, ...ellDims);
  const inputs = parsed.map((p, i) => {
    if (p.ell < 0) return [...p.letters];
    const e = range(ellDims[i]).map((j) => ellLabel(E - ellDims[i] + j));
    return [...p.letters.slice(0, p.ell), ...e, ...p.letters.slice(p.ell)];
  });
  // Sizes: equal, or 1 (broadcast), per label; repeated labels within one operand must match exactly.
  const sizes = new Map<string, number>();
  inputs.forEach((labels, i) => {
    const own = new Map<string, number>();
    labels.forEach((l, d) => {
      const n = shapes[i][d];
      const prevOwn = own.get(l);
      const name = l.startsWith("...") ? "'...'" : `'${l}'`;
      if (prevOwn !== undefined && prevOwn !== n)
        throw new ValueError(`einsum: dimensions in operand ${i} for collapsing index ${name} don't match (${prevOwn} != ${n})`);
      own.set(l, n);
      const prev = sizes.get(l);
      if (prev === undefined || prev === 1) sizes.set(l, n);
      else if (n !== 1 && n !== prev) throw new ValueError(`Size of label ${name} for operand ${i} (${n}) does not match previous terms (${prev}).`);
    });
  });
  const counts = new Map<string, number>();
  for (const labels of inputs) for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  let output: Labels;
  const ells = range(E).map(ellLabel);
  if (rhs === null) {
    const once = [...counts.entries()].filter(([l, c]) => c === 1 && !l.startsWith("...")).map(([l]) => l);
    once.sort((p, q) => (p < q ? -1 : p > q ? 1 : 0));
    output = [...ells, ...once];
  } else {
    const p = parseTerm(rhs, "the output");
    output = p.ell < 0 ? [...p.letters] : [...p.letters.slice(0, p.ell), ...ells, ...p.letters.slice(p.ell)];
    const seen = new Set<string>();
    for (const l of p.letters) {
      if (seen.has(l)) throw new ValueError(`einstein sum subscripts string includes output subscript '${l}' multiple times`);
      seen.add(l);
      if (!counts.has(l)) throw new ValueError(`einstein sum subscripts string included output subscript '${l}' which never appeared in an input`);
    }
  }
  return { inputs, output, sizes };
}

/** Sum over `axes` (an `or` for booleans, keeping the dtype). */
function sumAxes(x: Array, axes: number[]): Array {
  if (axes.length === 0) return x;
  return isBool(x.dtype) ? lax.reduceOr(x, axes) : lax.reduceSum(x, axes);
}

/** JAX's _delta: a boolean mask that is true where the indices along `axes` all agree. */
function delta(shape: readonly number[], axes: readonly number[]): Array {
  const base = axes.map((a) => shape[a]);
  const iotas = base.map((_, i) => lax.broadcastedIota("int32", base, i));
  let m = lax.eq(iotas[0], iotas[1]);
  for (let i = 2; i < iotas.length; i++) m = lax.bitwiseAnd(m, lax.eq(iotas[i - 1], iotas[i]));
  return lax.broadcastInDim(m, shape, axes);
}

interface Term {
  x: Array;
  names: Labels;
}

/** Take the diagonal of repeated labels; sum them away unless `keep` needs them. */
function sumRepeats(t: Term, keep: ReadonlySet<string>): Term {
  let { x, names } = t;
  const seen = new Set<string>();
  for (const name of [...names]) {
    if (seen.has(name)) continue;
    seen.add(name);
    const axes = names.flatMap((n, i) => (n === name ? [i] : []));
    if (axes.length < 2) continue;
    const zeros = lax.broadcastInDim(lax.convertElementType(0, x.dtype, x.weakType), x.shape, []);
    x = lax.select(delta(x.shape, axes), x, zeros);
    const drop = keep.has(name) ? axes.slice(0, -1) : axes;
    x = sumAxes(x, drop);
    names = names.filter((_, i) => !drop.includes(i));
  }
  return { x, names };
}

/** Sum out the labels in `uniques`. */
function sumUniques(t: Term, uniques: readonly string[]): Term {
  const axes = t.names.flatMap((n, i) => (uniques.includes(n) ? [i] : []));
  if (axes.length === 0) return t;
  return { x: sumAxes(t.x, axes), names: t.names.filter((n) => !uniques.includes(n)) };
}

/** Squeeze size-1 axes whose label has a non-1 size in the other operand (broadcasting). */
function filterSingletons(t: Term, other: Term): Term {
  const drop = t.names.flatMap((n, i) => {
    const j = other.names.indexOf(n);
    return t.x.shape[i] === 1 && j >= 0 && other.x.shape[j] !== 1 ? [i] : [];
  });
  if (drop.length === 0) return t;
  return { x: lax.squeeze(t.x, drop), names: t.names.filter((_, i) => !drop.includes(i)) };
}

function transposeTo(t: Term, result: Labels): Array {
  if (t.names.length === result.length && t.names.every((n, i) => n === result[i])) return t.x;
  return lax.transpose(t.x, result.map((n) => t.names.indexOf(n)));
}

/**
 * One contraction of two terms: JAX's einsum step (squeeze broadcast singletons, take repeated
 * diagonals, sum labels unique to one side, move batch labels first, one dot_general).
 * `result` is the wanted label order (the final output), or null for an intermediate whose
 * labels `keep` lists in any order.
 */
function contractPair(lhs0: Term, rhs0: Term, keep: ReadonlySet<string>, result: Labels | null, pref: DType): Term {
  let lhs = filterSingletons(lhs0, rhs0);
  let rhs = filterSingletons(rhs0, lhs);
  lhs = sumRepeats(lhs, new Set([...keep, ...rhs.names]));
  rhs = sumRepeats(rhs, new Set([...keep, ...lhs.names]));
  const contracted = [...new Set([...lhs.names, ...rhs.names])].filter((n) => !keep.has(n));
  lhs = sumUniques(lhs, contracted.filter((n) => !rhs.names.includes(n)));
  rhs = sumUniques(rhs, contracted.filter((n) => !lhs.names.includes(n)));
  const both = lhs.names.filter((n) => rhs.names.includes(n));
  const order = result ?? [...lhs.names, ...rhs.names.filter((n) => !lhs.names.includes(n))];
  let batchNames = order.filter((n) => both.includes(n) && keep.has(n));
  const cont = both.filter((n) => !keep.has(n));
  const lb = batchNames.map((n) => lhs.names.indexOf(n));
  const rb = batchNames.map((n) => rhs.names.indexOf(n));
  const front = range(batchNames.length);
  const same = (p: number[], q: number[]) => p.length === q.length && p.every((v, i) => v === q[i]);
  let batchDims: number[];
  if (!same(lb, rb) || !same([...lb].sort((p, q) => p - q), front)) {
    const move = (t: Term, pos: number[]): Term => {
      const x = moveaxis(t.x, pos, front);
      const rest = t.names.filter((_, i) => !pos.includes(i));
      return { x, names: [...batchNames, ...rest] };
    };
    lhs = move(lhs, lb);
    rhs = move(rhs, rb);
    batchDims = front;
  } else {
    batchDims = lb;
    batchNames = lhs.names.filter((_, i) => lb.includes(i));
  }
  const lc = cont.map((n) => lhs.names.indexOf(n));
  const rc = cont.map((n) => rhs.names.indexOf(n));
  const deleted = new Set([...batchNames, ...cont]);
  const remL = lhs.names.filter((n) => !deleted.has(n));
  const remR = rhs.names.filter((n) => !deleted.has(n));
  const rl = [...batchNames, ...remR, ...remL];
  if (result && rl.length === result.length && rl.every((n, i) => n === result[i]))
    return { x: lax.dotGeneral(rhs.x, lhs.x, [[rc, lc], [batchDims, batchDims]], pref), names: rl };
  return { x: lax.dotGeneral(lhs.x, rhs.x, [[lc, rc], [batchDims, batchDims]], pref), names: [...batchNames, ...remL, ...remR] };
}

function isEinsumOpts(x: unknown): x is EinsumOpts {
  return typeof x === "object" && x !== null && !isArray(x) && !JsArray.isArray(x);
}

/**
 * jnp.einsum(subscripts, ...operands, {preferredElementType}): implicit (`ij,jk`) and explicit
 * (`ij,jk->ik`) output, repeated labels (traces, diagonals), `...` broadcasting, size-1
 * broadcasting. Operands are contracted pairwise from left to right with dot_general; labels
 * used by one operand only are summed with reduce_sum first.
 */
export function einsum(subscripts: string, ...args: (ArrayLike | EinsumOpts)[]): Array {
  if (typeof subscripts !== "string") throw new TypeError("einsum: the first argument must be the subscripts string (Kiln does not support the interleaved operand/sublist form).");
  const opts: EinsumOpts = args.length && isEinsumOpts(args[args.length - 1]) ? (args.pop() as EinsumOpts) : {};
  const operands = args as ArrayLike[];
  if (operands.length === 0) throw new ValueError("einsum: at least one operand is required.");
  const t = targetType("einsum", operands, opts.preferredElementType);
  const arrs = operands.map((o) => lax.asArray(o));
  const { inputs, output } = parseEinsum(subscripts, arrs.map((a) => a.shape));
  const terms: Term[] = arrs.map((x, i) => ({ x, names: inputs[i] }));
  let acc: Term;
  if (terms.length === 1) {
    const keep = new Set(output);
    acc = sumRepeats(terms[0], keep);
    acc = sumUniques(acc, acc.names.filter((n) => !keep.has(n)));
  } else {
    acc = terms[0];
    for (let i = 1; i < terms.length; i++) {
      const last = i === terms.length - 1;
      const keep = new Set<string>(output);
      for (let j = i + 1; j < terms.length; j++) for (const n of terms[j].names) keep.add(n);
      acc = contractPair(acc, terms[i], keep, last ? output : null, t.dtype);
    }
  }
  return finish(transposeTo(acc, output), t);
}

// ---- linalg ---------------------------------------------------------------------------------

const isZeroSize = (x: Array, axes: readonly number[]) => axes.some((a) => x.shape[a] === 0);

function reduceKeep(x: Array, axes: number[], keepdims: boolean, op: "sum" | "max" | "min"): Array {
  if (op !== "sum" && isZeroSize(x, axes)) throw new ValueError(`zero-size array to reduction operation ${op} which has no identity`);
  let r = op === "sum" ? lax.reduceSum(x, axes) : op === "max" ? lax.reduceMax(x, axes) : lax.reduceMin(x, axes);
  if (keepdims) r = lax.expandDims(r, axes);
  return r;
}

function normAxes(axis: number | readonly number[] | null | undefined, nd: number, fn: string): number[] | null {
  if (axis === undefined || axis === null) return null;
  const axes = (typeof axis === "number" ? [axis] : [...axis]).map((a) => normalizeAxis(a, nd, fn));
  if (new Set(axes).size !== axes.length) throw new ValueError(`${fn}: Duplicate axes given: ${fmt(axis as readonly number[])}`);
  return axes;
}

export type NormOrd = number | "fro" | "f" | "nuc" | null;
export interface NormOpts {
  ord?: NormOrd;
  axis?: number | readonly number[] | null;
  keepdims?: boolean;
}

/** Vector norms over `axes` of an inexact array. */
function vectorNormImpl(x: Array, axes: number[], ord: number | string | null, keepdims: boolean): Array {
  if (ord === null || ord === 2) return sqrt(reduceKeep(multiply(x, x), axes, keepdims, "sum"));
  if (typeof ord === "string") {
    let msg = `Invalid order '${ord}' for vector norm.`;
    if (ord === "inf") msg += "Use 'Infinity' instead.";
    if (ord === "-inf") msg += "Use '-Infinity' instead.";
    throw new ValueError(msg);
  }
  if (ord === Infinity) return reduceKeep(absolute(x), axes, keepdims, "max");
  if (ord === -Infinity) return reduceKeep(absolute(x), axes, keepdims, "min");
  if (ord === 0) return reduceKeep(lax.convertElementType(notEqual(x, 0), x.dtype), axes, keepdims, "sum");
  if (ord === 1) return reduceKeep(absolute(x), axes, keepdims, "sum");
  const ax = absolute(x);
  const p = lax.convertElementType(ord, ax.dtype);
  const pinv = lax.convertElementType(1 / ord, ax.dtype);
  return power(reduceKeep(power(ax, p), axes, keepdims, "sum"), pinv);
}

/**
 * jnp.linalg.norm(x, {ord, axis, keepdims}): vector norms (2 by default; 1, Infinity,
 * -Infinity, 0, any p) over one axis, matrix norms ('fro' by default; 1, -1, Infinity,
 * -Infinity) over two. With no axis: the 2-norm of the flattened array when ord is null,
 * else a vector (1-D) or matrix (2-D) norm.
 */
function norm(x: ArrayLike, opts: NormOpts = {}): Array {
  const [a] = promoteDtypesInexact("norm", x);
  const ord = opts.ord ?? null;
  const keepdims = opts.keepdims ?? false;
  let axes = normAxes(opts.axis, a.ndim, "norm");
  if (axes === null) {
    if (ord === null) return sqrt(reduceKeep(multiply(a, a), range(a.ndim), keepdims, "sum"));
    axes = range(a.ndim);
  }
  if (axes.length === 1) return vectorNormImpl(a, axes, ord === null ? 2 : ord, keepdims);
  if (axes.length === 2) {
    let [row, col] = axes;
    if (ord === null || ord === "fro" || ord === "f") return sqrt(reduceKeep(multiply(a, a), axes, keepdims, "sum"));
    if (ord === 1 || ord === -1) {
      if (!keepdims && col > row) col -= 1;
      return reduceKeep(reduceKeep(absolute(a), [row], keepdims, "sum"), [col], keepdims, ord === 1 ? "max" : "min");
    }
    if (ord === Infinity || ord === -Infinity) {
      if (!keepdims && row > col) row -= 1;
      return reduceKeep(reduceKeep(absolute(a), [col], keepdims, "sum"), [row], keepdims, ord === Infinity ? "max" : "min");
    }
    if (ord === "nuc" || ord === 2 || ord === -2) throw new ValueError(`norm: ord=${String(ord)} for matrices needs an SVD, which Kiln does not implement yet.`);
    throw new ValueError(`Invalid order '${String(ord)}' for matrix norm.`);
  }
  throw new ValueError(`Invalid axis values (${fmt(axes)}) for jnp.linalg.norm.`);
}

export interface VectorNormOpts {
  ord?: number;
  axis?: number | readonly number[] | null;
  keepdims?: boolean;
}
/** jnp.linalg.vector_norm(x, {ord=2, axis=null (all), keepdims}). */
function vectorNorm(x: ArrayLike, opts: VectorNormOpts = {}): Array {
  const [a] = promoteDtypesInexact("vector_norm", x);
  const axes = normAxes(opts.axis, a.ndim, "vector_norm") ?? range(a.ndim);
  return vectorNormImpl(a, axes, opts.ord ?? 2, opts.keepdims ?? false);
}

export interface MatrixNormOpts {
  ord?: NormOrd;
  keepdims?: boolean;
}
/** jnp.linalg.matrix_norm(x, {ord='fro', keepdims}) over the last two axes. */
function matrixNorm(x: ArrayLike, opts: MatrixNormOpts = {}): Array {
  checkArrayLike("matrix_norm", x, 0);
  if (lax.asArray(x).ndim < 2) throw new ValueError(`matrix_norm requires an array of at least 2 dimensions, got shape ${fmt(lax.asArray(x).shape)}.`);
  return norm(x, { ord: opts.ord ?? "fro", axis: [-2, -1], keepdims: opts.keepdims });
}

/** jnp.linalg.vecdot(x1, x2, {axis=-1}): dot products along one axis, other axes broadcast. */
function vecdot(x1: ArrayLike, x2: ArrayLike, opts: { axis?: number } & ContractionOpts = {}): Array {
  const t = targetType("vecdot", [x1, x2], opts.preferredElementType);
  const axis = opts.axis ?? -1;
  let a = lax.asArray(x1);
  let b = lax.asArray(x2);
  const na = a.shape[normalizeAxis(axis, a.ndim, "vecdot")];
  const nbv = b.shape[normalizeAxis(axis, b.ndim, "vecdot")];
  if (na !== nbv) throw new ValueError(`axes must match; got shapes ${fmt(a.shape)} and ${fmt(b.shape)} with axis=${axis}`);
  a = moveaxis(a, axis, -1);
  b = moveaxis(b, axis, -1);
  const batch = broadcastShapes(a.shape.slice(0, -1), b.shape.slice(0, -1));
  a = broadcastTo(a, [...batch, na]);
  b = broadcastTo(b, [...batch, na]);
  const bd = range(batch.length);
  return finish(lax.dotGeneral(a, b, [[[batch.length], [batch.length]], [bd, bd]], t.dtype), t);
}

/** The `linalg` namespace (jax.numpy.linalg): norms and the contraction helpers it re-exports. */
export const linalg = {
  norm,
  vectorNorm,
  matrixNorm,
  vecdot,
  matmul,
  tensordot,
  outer: (a: ArrayLike, b: ArrayLike): Array => {
    checkArrayLike("outer", a, 0);
    checkArrayLike("outer", b, 1);
    if (lax.asArray(a).ndim !== 1 || lax.asArray(b).ndim !== 1)
      throw new ValueError(`Input arrays must be one-dimensional, but they are a.ndim=${lax.asArray(a).ndim} and b.ndim=${lax.asArray(b).ndim}`);
    return outer(a, b);
  },
  cross,
  diagonal: (x: ArrayLike, opts: { offset?: number } = {}): Array => diagonal(x, { offset: opts.offset, axis1: -2, axis2: -1 }),
  trace: (x: ArrayLike, opts: { offset?: number; dtype?: DType } = {}): Array => trace(x, { offset: opts.offset, axis1: -2, axis2: -1, dtype: opts.dtype }),
  matrixTranspose: (x: ArrayLike): Array => {
    const a = lax.asArray(x);
    if (a.ndim < 2) throw new ValueError(`x must be at least two-dimensional for matrix_transpose; got ndim=${a.ndim}`);
    return moveaxis(a, -1, -2);
  },
};
