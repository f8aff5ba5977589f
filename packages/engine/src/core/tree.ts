/**
 * Pytrees, as in `jax.tree_util`: nested containers whose leaves are arrays (or any other value),
 * flattened to a list of leaves plus a `PyTreeDef` that records the container structure.
 * JS arrays play the role of Python lists, plain objects the role of dicts (flattened in sorted
 * key order, as JAX sorts dict keys), and `null`/`undefined` the role of `None`: a node with no
 * children that contributes no leaves. Every other value (class instances such as Kiln arrays,
 * numbers, booleans, strings, typed arrays) is a leaf, unless its class was registered with
 * `registerPytreeNode` (JAX's `register_pytree_node`): instances of a registered class are
 * custom nodes, flattened into their children by the class's `flatten` and rebuilt by its
 * `unflatten`. `PyTreeDef.toString()` prints JAX's syntax, e.g.
 * `PyTreeDef([*, {'a': *, 'b': None}])` or `PyTreeDef(CustomNode(Point[None], [*, *]))`.
 */
import { ValueError } from "./errors.js";

type NodeKind = "leaf" | "none" | "list" | "dict" | "custom";

/** A class registered as a pytree node type, with its flatten/unflatten functions. */
export interface PytreeNodeType<T = unknown> {
  readonly cls: abstract new (...args: any[]) => T;
  /** The class name, as PyTreeDef prints it (`CustomNode(Name[aux], [...])`). */
  readonly name: string;
  readonly flatten: (x: T) => readonly [children: readonly unknown[], aux: unknown];
  readonly unflatten: (aux: any, children: unknown[]) => T;
}

/** Registered node types, keyed by the class's prototype: as in JAX, an exact type match (subclasses are not included). */
const nodeTypes = new Map<object, PytreeNodeType<any>>();

/**
 * `jax.tree_util.register_pytree_node`: make instances of `cls` pytree nodes. `flatten(x)` returns
 * `[children, aux]`: the children are flattened further (they are subtrees), and `aux` is static
 * data kept in the PyTreeDef, where it takes part in equality (compared with `Object.is`,
 * element-wise for JS arrays and plain objects, or with an `equals` method when it has one) and
 * printing. `unflatten(aux, children)` rebuilds an instance; like JAX, it may be handed children
 * that are not the original leaf types (tracers, or whatever `treeMap`'s function returned).
 */
export function registerPytreeNode<T extends object>(
  cls: abstract new (...args: any[]) => T,
  flatten: (x: T) => readonly [children: readonly unknown[], aux: unknown],
  unflatten: (aux: any, children: unknown[]) => T,
): void {
  if (typeof cls !== "function" || typeof cls.prototype !== "object" || cls.prototype === null)
    throw new TypeError(`registerPytreeNode: expected a class, got ${describe(cls)}.`);
  if (cls === (Object as unknown) || cls === (globalThis.Array as unknown))
    throw new ValueError(`registerPytreeNode: ${cls.name} is a built-in pytree node type (plain objects are dicts, JS arrays are lists).`);
  if (nodeTypes.has(cls.prototype)) throw new ValueError(`Duplicate custom PyTreeDef type registration for ${cls.name}.`);
  nodeTypes.set(cls.prototype, Object.freeze({ cls, name: cls.name, flatten, unflatten }));
}

/** The registered node type of `x`'s exact class, if any. */
function nodeTypeOf(x: unknown): PytreeNodeType<any> | undefined {
  if (typeof x !== "object" || x === null || nodeTypes.size === 0) return undefined;
  return nodeTypes.get(Object.getPrototypeOf(x) as object);
}

/** Run a node type's flatten, checking that it returned `[children, aux]`. */
function flattenCustom(t: PytreeNodeType<any>, x: unknown): [children: readonly unknown[], aux: unknown] {
  const r = t.flatten(x) as unknown;
  if (!globalThis.Array.isArray(r) || r.length !== 2 || !globalThis.Array.isArray(r[0]))
    throw new TypeError(`The flatten function registered for ${t.name} must return [children, aux] with children a JS array; got ${pyRepr(r)}.`);
  return [r[0] as readonly unknown[], r[1]];
}

export interface TreeFlattenOptions {
  /** Like JAX's `is_leaf`: called on every subtree (`null` included); `true` stops the descent there. */
  isLeaf?: (x: unknown) => boolean;
}

// Shared childless nodes, assigned by PyTreeDef's static block (declared first to avoid the TDZ).
let LEAF: PyTreeDef;
let NONE_NULL: PyTreeDef;
let NONE_UNDEFINED: PyTreeDef;

/** The structure of a pytree: a tree of container nodes with `*` where the leaves go. */
export class PyTreeDef {
  readonly kind: NodeKind;
  readonly children: readonly PyTreeDef[];
  /** Sorted keys of a dict node (empty for the other kinds). */
  readonly keys: readonly string[];
  /** The registered node type of a custom node (null for the other kinds). */
  readonly nodeType: PytreeNodeType<any> | null;
  /** The aux data (JAX's node_data) of a custom node, as its flatten function returned it (undefined for the other kinds). */
  readonly aux: unknown;
  readonly numLeaves: number;
  readonly numNodes: number;
  /** Which of `null`/`undefined` a None node came from, so unflattening gives it back. */
  private readonly noneValue: null | undefined;

  private constructor(
    kind: NodeKind,
    children: readonly PyTreeDef[],
    keys: readonly string[],
    fromUndefined = false,
    custom: { type: PytreeNodeType<any>; aux: unknown } | null = null,
  ) {
    this.kind = kind;
    this.children = Object.freeze([...children]);
    this.keys = Object.freeze([...keys]);
    this.nodeType = custom?.type ?? null;
    this.aux = custom?.aux;
    this.noneValue = fromUndefined ? undefined : null;
    let leaves = kind === "leaf" ? 1 : 0;
    let nodes = 1;
    for (const c of children) {
      leaves += c.numLeaves;
      nodes += c.numNodes;
    }
    this.numLeaves = leaves;
    this.numNodes = nodes;
  }

  static leaf(): PyTreeDef {
    return LEAF;
  }
  /** The `None` node; `fromUndefined` makes unflattening give `undefined` rather than `null`. */
  static none(fromUndefined = false): PyTreeDef {
    return fromUndefined ? NONE_UNDEFINED : NONE_NULL;
  }
  static list(children: readonly PyTreeDef[]): PyTreeDef {
    return new PyTreeDef("list", children, []);
  }
  /** A dict node; `keys` must be sorted and parallel to `children`. */
  static dict(keys: readonly string[], children: readonly PyTreeDef[]): PyTreeDef {
    if (keys.length !== children.length) throw new Error("PyTreeDef.dict: keys and children differ in length");
    return new PyTreeDef("dict", children, keys);
  }
  /** A custom node of a class registered with `registerPytreeNode` (`type` may be the class itself). */
  static custom(type: PytreeNodeType<any> | (abstract new (...args: any[]) => unknown), aux: unknown, children: readonly PyTreeDef[]): PyTreeDef {
    const t = typeof type === "function" ? nodeTypes.get(type.prototype as object) : type;
    if (t === undefined || nodeTypes.get(t.cls.prototype as object) !== t)
      throw new ValueError(`PyTreeDef.custom: ${type.name} is not a registered pytree node type; register it with registerPytreeNode.`);
    return new PyTreeDef("custom", children, [], false, { type: t, aux });
  }

  /** Structural equality; `null` and `undefined` nodes are both `None` and compare equal. */
  equals(other: PyTreeDef): boolean {
    if (this === other) return true;
    if (this.kind !== other.kind || this.children.length !== other.children.length) return false;
    if (this.numNodes !== other.numNodes || this.numLeaves !== other.numLeaves) return false;
    if (this.keys.some((k, i) => k !== other.keys[i])) return false;
    if (this.kind === "custom" && (this.nodeType !== other.nodeType || !auxEquals(this.aux, other.aux))) return false;
    return this.children.every((c, i) => c.equals(other.children[i]));
  }

  /** Rebuild a tree of this structure from `leaves` (in flattening order). */
  unflatten(leaves: readonly unknown[]): unknown {
    if (leaves.length !== this.numLeaves) {
      const which = leaves.length < this.numLeaves ? "Too few" : "Too many";
      throw new Error(`${which} leaves for PyTreeDef; expected ${this.numLeaves}, got ${leaves.length}.`);
    }
    let pos = 0;
    const build = (node: PyTreeDef): unknown => {
      switch (node.kind) {
        case "leaf":
          return leaves[pos++];
        case "none":
          return node.noneValue;
        case "list":
          return node.children.map(build);
        case "dict": {
          const out: Record<string, unknown> = {};
          node.children.forEach((c, i) => (out[node.keys[i]] = build(c)));
          return out;
        }
        case "custom":
          return node.nodeType!.unflatten(node.aux, node.children.map(build));
        default:
          throw new Error(`unknown PyTreeDef node kind ${node.kind satisfies never}`);
      }
    };
    return build(this);
  }

  /**
   * JAX's `flatten_up_to`: flatten `tree` only as deep as this structure goes, so that each of
   * this structure's leaf positions yields the whole subtree of `tree` found there. Throws when
   * `tree` does not have this structure as a prefix.
   */
  flattenUpTo(tree: unknown): unknown[] {
    const out: unknown[] = [];
    const walk = (node: PyTreeDef, x: unknown, path: string): void => {
      switch (node.kind) {
        case "leaf":
          out.push(x);
          return;
        case "none":
          if (x !== null && x !== undefined) throw mismatch(path, `expected None, got ${describe(x)}`);
          return;
        case "list":
          if (!Array.isArray(x)) throw mismatch(path, `expected a list, got ${describe(x)}`);
          if (x.length !== node.children.length) {
            throw mismatch(path, `list length mismatch: ${x.length} != ${node.children.length}`);
          }
          node.children.forEach((c, i) => walk(c, x[i], `${path}[${i}]`));
          return;
        case "dict": {
          if (!isPlainObject(x)) throw mismatch(path, `expected a dict, got ${describe(x)}`);
          const keys = sortedKeys(x);
          if (keys.length !== node.keys.length || keys.some((k, i) => k !== node.keys[i])) {
            throw mismatch(path, `dict key mismatch: ${keysRepr(keys)} != ${keysRepr(node.keys)}`);
          }
          node.children.forEach((c, i) => walk(c, x[node.keys[i]], `${path}[${pyRepr(node.keys[i])}]`));
          return;
        }
        case "custom": {
          const kids = node.customChildren(x, path);
          node.children.forEach((c, i) => walk(c, kids[i], `${path}[<flat index ${i}>]`));
          return;
        }
        default:
          throw new Error(`unknown PyTreeDef node kind ${node.kind satisfies never}`);
      }
    };
    walk(this, tree, "");
    return out;
  }

  /**
   * The children of `x` at this (root) node, when `x` is a node of the same kind: a list of the
   * same length, a dict with the same keys (values in sorted key order), or an instance of the
   * same registered class with equal aux data. Null when `x` does not match (and for leaves and
   * None, which have no children).
   */
  childrenOf(x: unknown): unknown[] | null {
    switch (this.kind) {
      case "leaf":
      case "none":
        return null;
      case "list":
        return globalThis.Array.isArray(x) && x.length === this.children.length ? [...x] : null;
      case "dict": {
        if (!isPlainObject(x)) return null;
        const keys = sortedKeys(x);
        if (keys.length !== this.keys.length || keys.some((k, i) => k !== this.keys[i])) return null;
        return this.keys.map((k) => x[k]);
      }
      case "custom":
        try {
          return [...this.customChildren(x, "")];
        } catch (e) {
          if (e instanceof TreeMismatch) return null;
          throw e;
        }
      default:
        throw new Error(`unknown PyTreeDef node kind ${this.kind satisfies never}`);
    }
  }

  /** Flatten `x` one level as this custom node, or throw a TreeMismatch saying how it differs. */
  private customChildren(x: unknown, path: string): readonly unknown[] {
    const t = this.nodeType!;
    if (nodeTypeOf(x) !== t) throw mismatch(path, `expected a ${t.name}, got ${describe(x)}`);
    const [kids, aux] = flattenCustom(t, x);
    if (!auxEquals(aux, this.aux)) throw mismatch(path, `${t.name} node data mismatch: ${pyStr(aux)} != ${pyStr(this.aux)}`);
    if (kids.length !== this.children.length) throw mismatch(path, `${t.name} has ${kids.length} children where ${this.children.length} were expected`);
    return kids;
  }

  /** JAX's repr: `PyTreeDef([*, {'a': *, 'b': None}])`. */
  toString(): string {
    return `PyTreeDef(${this.body()})`;
  }

  private body(): string {
    switch (this.kind) {
      case "leaf":
        return "*";
      case "none":
        return "None";
      case "list":
        return `[${this.children.map((c) => c.body()).join(", ")}]`;
      case "dict":
        return `{${this.children.map((c, i) => `${pyRepr(this.keys[i])}: ${c.body()}`).join(", ")}}`;
      case "custom":
        // JAX: CustomNode(<type name>[<str(node_data)>], [<children>]).
        return `CustomNode(${this.nodeType!.name}[${pyStr(this.aux)}], [${this.children.map((c) => c.body()).join(", ")}])`;
      default:
        throw new Error(`unknown PyTreeDef node kind ${this.kind satisfies never}`);
    }
  }

  static {
    LEAF = new PyTreeDef("leaf", [], []);
    NONE_NULL = new PyTreeDef("none", [], [], false);
    NONE_UNDEFINED = new PyTreeDef("none", [], [], true);
  }
}

// ---- flattening ----------------------------------------------------------------

/** `jax.tree_util.tree_flatten`. */
export function treeFlatten(tree: unknown, opts: TreeFlattenOptions = {}): [leaves: unknown[], treedef: PyTreeDef] {
  const leaves: unknown[] = [];
  const isLeaf = opts.isLeaf;
  const walk = (x: unknown): PyTreeDef => {
    if (isLeaf !== undefined && isLeaf(x)) {
      leaves.push(x);
      return PyTreeDef.leaf();
    }
    if (x === null || x === undefined) return PyTreeDef.none(x === undefined);
    if (Array.isArray(x)) return PyTreeDef.list(Array.from(x, walk));
    if (isPlainObject(x)) {
      const keys = sortedKeys(x);
      return PyTreeDef.dict(
        keys,
        keys.map((k) => walk(x[k])),
      );
    }
    const t = nodeTypeOf(x);
    if (t !== undefined) {
      const [kids, aux] = flattenCustom(t, x);
      return PyTreeDef.custom(t, aux, kids.map(walk));
    }
    leaves.push(x);
    return PyTreeDef.leaf();
  };
  const treedef = walk(tree);
  return [leaves, treedef];
}

/** `jax.tree_util.tree_unflatten`. */
export function treeUnflatten(treedef: PyTreeDef, leaves: readonly unknown[]): unknown {
  return treedef.unflatten(leaves);
}

/** `jax.tree_util.tree_leaves`. */
export function treeLeaves(tree: unknown, opts: TreeFlattenOptions = {}): unknown[] {
  return treeFlatten(tree, opts)[0];
}

/** `jax.tree_util.tree_structure`. */
export function treeStructure(tree: unknown, opts: TreeFlattenOptions = {}): PyTreeDef {
  return treeFlatten(tree, opts)[1];
}

/**
 * `jax.tree_util.treedef_is_leaf`: true when the structure is a single node. As in JAX this holds
 * for `None` and for empty containers too; see `treedefIsStrictLeaf` for "exactly one leaf".
 */
export function treedefIsLeaf(treedef: PyTreeDef): boolean {
  return treedef.numNodes === 1;
}

/** `jax.tree_util.treedef_is_strict_leaf`: the structure of a bare leaf, `*`. */
export function treedefIsStrictLeaf(treedef: PyTreeDef): boolean {
  return treedef.numNodes === 1 && treedef.numLeaves === 1;
}

/**
 * `jax.tree_util.tree_map`. Each of `rest` must have `tree`'s structure (or, as in JAX, have it as
 * a prefix: at each of `tree`'s leaves, `f` receives whatever subtree the other trees hold there).
 */
export function treeMap(f: (...xs: any[]) => unknown, tree: unknown, ...rest: unknown[]): unknown {
  return treeMapWith(f, {}, tree, ...rest);
}

/** `treeMap` with flattening options (`isLeaf`), which JAX passes as a keyword argument. */
export function treeMapWith(f: (...xs: any[]) => unknown, opts: TreeFlattenOptions, tree: unknown, ...rest: unknown[]): unknown {
  const [leaves, treedef] = treeFlatten(tree, opts);
  const others = rest.map((r, i) => {
    try {
      return treedef.flattenUpTo(r);
    } catch (e) {
      if (!(e instanceof TreeMismatch)) throw e;
      throw new Error(
        `treeMap: tree ${i + 1} of the extra arguments has structure ${treeStructure(r)}, which does not match ` +
          `the first tree's structure ${treedef} (${e.message}).`,
      );
    }
  });
  return treedef.unflatten(leaves.map((x, j) => f(x, ...others.map((o) => o[j]))));
}

// ---- prefix broadcasting (vmap's in_axes, out_axes) -------------------------------------------

/**
 * Broadcast a prefix tree (such as vmap's `inAxes`) against a full tree: returns one prefix leaf
 * per leaf of `full`, in flattening order. A leaf of `prefix` (a number, or `null`, which like
 * JAX's `None` in `in_axes` is a value here, not an empty node) applies to the whole subtree of
 * `full` at that position. `full` may be given as a value or as its `PyTreeDef`. `what` names the
 * specification in the error, e.g. "vmap in_axes".
 */
export function treePrefixBroadcast<T = unknown>(prefix: unknown, full: unknown, what: string): T[] {
  const treedef = full instanceof PyTreeDef ? full : treeStructure(full);
  const out: T[] = [];
  const walk = (p: unknown, node: PyTreeDef, path: string): void => {
    const pt = nodeTypeOf(p);
    if (pt !== undefined) {
      if (node.kind !== "custom" || node.nodeType !== pt) throw mismatch(path, `the specification has a ${pt.name} where the value has ${kindName(node)}`);
      const [kids, aux] = flattenCustom(pt, p);
      if (!auxEquals(aux, node.aux)) throw mismatch(path, `the specification's ${pt.name} has node data ${pyStr(aux)} where the value's has ${pyStr(node.aux)}`);
      if (kids.length !== node.children.length) throw mismatch(path, `the specification's ${pt.name} has ${kids.length} children where the value's has ${node.children.length}`);
      node.children.forEach((c, i) => walk(kids[i], c, `${path}[<flat index ${i}>]`));
      return;
    }
    if (!Array.isArray(p) && !isPlainObject(p)) {
      for (let i = 0; i < node.numLeaves; i++) out.push(p as T);
      return;
    }
    if (Array.isArray(p)) {
      if (node.kind !== "list") throw mismatch(path, `the specification has a list where the value has ${kindName(node)}`);
      if (p.length !== node.children.length) {
        throw mismatch(path, `the specification has a list of length ${p.length} where the value has length ${node.children.length}`);
      }
      node.children.forEach((c, i) => walk(p[i], c, `${path}[${i}]`));
      return;
    }
    const record = p as Record<string, unknown>;
    if (node.kind !== "dict") throw mismatch(path, `the specification has a dict where the value has ${kindName(node)}`);
    const keys = sortedKeys(record);
    if (keys.length !== node.keys.length || keys.some((k, i) => k !== node.keys[i])) {
      throw mismatch(path, `the specification has keys ${keysRepr(keys)} where the value has keys ${keysRepr(node.keys)}`);
    }
    node.children.forEach((c, i) => walk(record[node.keys[i]], c, `${path}[${pyRepr(node.keys[i])}]`));
  };
  try {
    walk(prefix, treedef, "");
  } catch (e) {
    if (!(e instanceof TreeMismatch)) throw e;
    throw new Error(
      `${what} specification must be a tree prefix of the corresponding value, got specification ` +
        `${pyRepr(prefix)} for value tree ${treedef} (${e.message}).`,
    );
  }
  return out;
}

// ---- helpers -----------------------------------------------------------------------------------

class TreeMismatch extends Error {}

function mismatch(path: string, detail: string): TreeMismatch {
  return new TreeMismatch(`${path === "" ? "at the root" : `at ${path}`}: ${detail}`);
}

/** Plain objects (literals, `Object.create(null)`) are dict nodes; class instances are leaves. */
function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** Keys sorted by code point, as Python sorts `str` dict keys. */
function sortedKeys(x: Record<string, unknown>): string[] {
  return Object.keys(x).sort(compareCodePoints);
}

function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const ca = ia.next();
    const cb = ib.next();
    if (ca.done || cb.done) return ca.done ? (cb.done ? 0 : -1) : 1;
    const d = ca.value.codePointAt(0)! - cb.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

function kindName(node: PyTreeDef): string {
  switch (node.kind) {
    case "leaf":
      return "a leaf";
    case "none":
      return "None";
    case "list":
      return "a list";
    case "dict":
      return "a dict";
    case "custom":
      return `a ${node.nodeType!.name}`;
    default:
      return node.kind satisfies never;
  }
}

function describe(x: unknown): string {
  if (x === null || x === undefined) return "None";
  if (Array.isArray(x)) return `a list of length ${x.length}`;
  if (isPlainObject(x)) return `a dict with keys ${keysRepr(sortedKeys(x))}`;
  const t = nodeTypeOf(x);
  if (t !== undefined) return `a ${t.name}`;
  return `a leaf (${pyRepr(x)})`;
}

/** Aux-data equality (JAX compares node_data with ==): Object.is, element-wise for JS arrays and plain objects, else an `equals` method. */
function auxEquals(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => auxEquals(v, b[i]));
  if (isPlainObject(a) || isPlainObject(b)) {
    if (!isPlainObject(a) || !isPlainObject(b)) return false;
    const ka = sortedKeys(a);
    const kb = sortedKeys(b);
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && auxEquals(a[k], b[k]));
  }
  if (typeof a === "object" && a !== null && typeof (a as { equals?: unknown }).equals === "function") return (a as { equals(o: unknown): unknown }).equals(b) === true;
  return false;
}

/** Python's `str()` for aux data in PyTreeDef printing: strings bare, containers as their repr, None/True/False. */
function pyStr(x: unknown): string {
  return typeof x === "string" ? x : pyRepr(x);
}

function keysRepr(keys: readonly string[]): string {
  return `[${keys.map(pyRepr).join(", ")}]`;
}

/** A Python-flavoured repr for messages: `'a'`, `None`, `True`, `[0, None]`, `{'a': 0}`. */
function pyRepr(x: unknown): string {
  if (x === null || x === undefined) return "None";
  if (typeof x === "string") {
    const quote = x.includes("'") && !x.includes('"') ? '"' : "'";
    const body = x.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
    return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote;
  }
  if (typeof x === "boolean") return x ? "True" : "False";
  if (Array.isArray(x)) return `[${x.map(pyRepr).join(", ")}]`;
  if (isPlainObject(x)) return `{${sortedKeys(x).map((k) => `${pyRepr(k)}: ${pyRepr(x[k])}`).join(", ")}}`;
  return String(x);
}
