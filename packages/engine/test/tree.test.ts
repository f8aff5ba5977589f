/**
 * Pytrees: flattening order, JAX's PyTreeDef printing, treeMap over several trees, `isLeaf`, the
 * prefix broadcasting that vmap's inAxes uses, and custom node types (registerPytreeNode).
 */
import { describe, expect, it } from "vitest";
import {
  PyTreeDef,
  treeFlatten,
  treeLeaves,
  treeMap,
  treeMapWith,
  treePrefixBroadcast,
  treeStructure,
  treeUnflatten,
  treedefIsLeaf,
  treedefIsStrictLeaf,
  registerPytreeNode,
} from "../src/core/tree.js";

/** Stands in for a Kiln array: a class instance, hence a leaf. */
class FakeArray {
  constructor(readonly value: number) {}
}

describe("treeFlatten", () => {
  it("flattens lists in order and dicts in sorted key order", () => {
    const [leaves, treedef] = treeFlatten([1, { b: null, a: 2 }]);
    expect(leaves).toEqual([1, 2]);
    expect(treedef.toString()).toBe("PyTreeDef([*, {'a': *, 'b': None}])");
    expect(treedef.numLeaves).toBe(2);
    expect(treedef.numNodes).toBe(5);
  });

  it("sorts keys as strings, like Python's sorted() on str keys", () => {
    const tree = { b: "b", a: "a", 10: "ten", 2: "two", B: "B" };
    expect(treeLeaves(tree)).toEqual(["ten", "two", "B", "a", "b"]);
    expect(String(treeStructure(tree))).toBe("PyTreeDef({'10': *, '2': *, 'B': *, 'a': *, 'b': *})");
  });

  it("treats null and undefined as None: a node without leaves", () => {
    const [leaves, treedef] = treeFlatten(null);
    expect(leaves).toEqual([]);
    expect(treedef.equals(treeStructure(undefined))).toBe(true);
    expect(String(treeStructure(null))).toBe("PyTreeDef(None)");
    expect(String(treeStructure([undefined, null]))).toBe("PyTreeDef([None, None])");
    expect(treeStructure({ a: undefined }).numLeaves).toBe(0);
    expect(treeStructure({ a: undefined }).numNodes).toBe(2);
  });

  it("makes leaves of class instances, typed arrays, numbers, booleans and strings", () => {
    const x = new FakeArray(1);
    const buf = new Float32Array([1, 2]);
    const [leaves, treedef] = treeFlatten([x, buf, 3, true, "s", new Map()]);
    expect(leaves[0]).toBe(x);
    expect(leaves[1]).toBe(buf);
    expect(leaves.slice(2, 5)).toEqual([3, true, "s"]);
    expect(String(treedef)).toBe("PyTreeDef([*, *, *, *, *, *])");
    expect(String(treeStructure(x))).toBe("PyTreeDef(*)");
  });

  it("prints empty containers and nesting as JAX does", () => {
    expect(String(treeStructure([]))).toBe("PyTreeDef([])");
    expect(String(treeStructure({}))).toBe("PyTreeDef({})");
    expect(String(treeStructure([[1, [2]], { w: [3, 4], b: { c: 5 } }]))).toBe(
      "PyTreeDef([[*, [*]], {'b': {'c': *}, 'w': [*, *]}])",
    );
    expect(String(treeStructure({ "it's": 1 }))).toBe(`PyTreeDef({"it's": *})`);
  });

  it("treats Object.create(null) objects as dicts", () => {
    const d = Object.create(null) as Record<string, number>;
    d.y = 1;
    d.x = 2;
    expect(treeLeaves(d)).toEqual([2, 1]);
  });

  it("isLeaf stops the descent, and can make None a leaf", () => {
    const tree = [null, [1, 2], { a: [3] }];
    const [leaves, treedef] = treeFlatten(tree, { isLeaf: (x) => x === null });
    expect(leaves).toEqual([null, 1, 2, 3]);
    expect(String(treedef)).toBe("PyTreeDef([*, [*, *], {'a': [*]}])");

    const pairs = treeFlatten(tree, { isLeaf: (x) => Array.isArray(x) && x.length === 2 });
    expect(pairs[0]).toEqual([[1, 2], 3]);
    expect(String(pairs[1])).toBe("PyTreeDef([None, *, {'a': [*]}])");

    expect(treeLeaves(tree, { isLeaf: () => true })).toEqual([tree]);
  });
});

describe("treeUnflatten", () => {
  it("round-trips, giving dicts their keys in sorted order", () => {
    const x = new FakeArray(7);
    const tree = [x, { b: [1, null], a: 2, c: undefined }];
    const [leaves, treedef] = treeFlatten(tree);
    const back = treeUnflatten(treedef, leaves) as [FakeArray, Record<string, unknown>];
    expect(back).toEqual(tree);
    expect(back[0]).toBe(x);
    expect(Object.keys(back[1])).toEqual(["a", "b", "c"]);
    expect(back[1].c).toBeUndefined();
    expect("c" in back[1]).toBe(true);
    expect(back[1].b).toEqual([1, null]);
  });

  it("puts new leaves in place", () => {
    const treedef = treeStructure({ w: 0, b: [0, 0] });
    expect(treeUnflatten(treedef, ["B0", "B1", "W"])).toEqual({ b: ["B0", "B1"], w: "W" });
    expect(treeUnflatten(treeStructure(5), [6])).toBe(6);
    expect(treeUnflatten(treeStructure(null), [])).toBeNull();
  });

  it("checks the number of leaves", () => {
    const treedef = treeStructure([1, 2]);
    expect(() => treeUnflatten(treedef, [1])).toThrow("Too few leaves for PyTreeDef; expected 2, got 1.");
    expect(() => treeUnflatten(treedef, [1, 2, 3])).toThrow("Too many leaves for PyTreeDef; expected 2, got 3.");
  });
});

describe("PyTreeDef", () => {
  it("compares structurally", () => {
    expect(treeStructure([1, { a: 2 }]).equals(treeStructure(["x", { a: new FakeArray(0) }]))).toBe(true);
    expect(treeStructure([1, 2]).equals(treeStructure([1, 2, 3]))).toBe(false);
    expect(treeStructure({ a: 1 }).equals(treeStructure({ b: 1 }))).toBe(false);
    expect(treeStructure([1]).equals(treeStructure({ 0: 1 }))).toBe(false);
    expect(treeStructure([null]).equals(treeStructure([1]))).toBe(false);
    expect(treeStructure([null]).equals(treeStructure([undefined]))).toBe(true);
  });

  it("treedefIsLeaf is true for single-node structures, as in JAX", () => {
    expect(treedefIsLeaf(treeStructure(1))).toBe(true);
    expect(treedefIsLeaf(treeStructure(null))).toBe(true);
    expect(treedefIsLeaf(treeStructure([]))).toBe(true);
    expect(treedefIsLeaf(treeStructure([1]))).toBe(false);
    expect(treedefIsStrictLeaf(treeStructure(1))).toBe(true);
    expect(treedefIsStrictLeaf(treeStructure(null))).toBe(false);
    expect(treedefIsStrictLeaf(treeStructure([]))).toBe(false);
  });

  it("flattenUpTo stops at this structure's leaves", () => {
    const treedef = treeStructure([0, { a: 0 }]);
    expect(treedef.flattenUpTo([[1, 2], { a: { z: 3 } }])).toEqual([[1, 2], { z: 3 }]);
  });

  it("can be built directly", () => {
    const t = PyTreeDef.list([PyTreeDef.leaf(), PyTreeDef.dict(["a", "b"], [PyTreeDef.leaf(), PyTreeDef.none()])]);
    expect(String(t)).toBe("PyTreeDef([*, {'a': *, 'b': None}])");
    expect(t.equals(treeStructure([0, { a: 0, b: null }]))).toBe(true);
  });
});

describe("treeMap", () => {
  it("maps one tree, keeping its structure", () => {
    expect(treeMap((x: number) => x * 10, [1, { b: 2, a: 3, n: null }])).toEqual([10, { a: 30, b: 20, n: null }]);
    expect(treeMap((x: number) => x + 1, 4)).toBe(5);
  });

  it("maps several trees of the same structure together", () => {
    const params = { w: [1, 2], b: 3 };
    const grads = { b: 0.5, w: [10, 20] };
    expect(treeMap((p: number, g: number) => p - 0.1 * g, params, grads)).toEqual({ b: 2.95, w: [0, 0] });
    expect(treeMap((a: number, b: number, c: number) => a + b + c, [1, 2], [10, 20], [100, 200])).toEqual([111, 222]);
  });

  it("passes whole subtrees of the other trees where the first tree has a leaf (tree prefix, as in JAX)", () => {
    expect(treeMap((n: number, sub: unknown) => [n, sub], [1, 2], [{ a: 1 }, [3, 4]])).toEqual([
      [1, { a: 1 }],
      [2, [3, 4]],
    ]);
  });

  it("names both structures when the trees do not match", () => {
    expect(() => treeMap((a: number, b: number) => a + b, [1, 2], [1, 2, 3])).toThrow(
      "treeMap: tree 1 of the extra arguments has structure PyTreeDef([*, *, *]), which does not match " +
        "the first tree's structure PyTreeDef([*, *]) (at the root: list length mismatch: 3 != 2).",
    );
    expect(() => treeMap((a: number, b: number) => a + b, { a: 1, b: 2 }, { a: 1 }, { a: 1, c: 2 })).toThrow(
      "treeMap: tree 1 of the extra arguments has structure PyTreeDef({'a': *}), which does not match " +
        "the first tree's structure PyTreeDef({'a': *, 'b': *}) (at the root: dict key mismatch: ['a'] != ['a', 'b']).",
    );
    expect(() => treeMap((a: number) => a, [1, { a: 2 }], [1, [2]])).toThrow(
      "(at [1]: expected a dict, got a list of length 1).",
    );
    expect(() => treeMap((a: number) => a, [null], [5])).toThrow(
      "treeMap: tree 1 of the extra arguments has structure PyTreeDef([*]), which does not match " +
        "the first tree's structure PyTreeDef([None]) (at [0]: expected None, got a leaf (5)).",
    );
  });

  it("treeMapWith takes isLeaf", () => {
    const out = treeMapWith((x: unknown) => (x === null ? "none" : x), { isLeaf: (x) => x === null }, [null, 1, { a: null }]);
    expect(out).toEqual(["none", 1, { a: "none" }]);
    const sums = treeMapWith((p: number[], q: number[]) => p[0] + q[1], { isLeaf: Array.isArray }, { p: [1, 2] }, { p: [3, 4] });
    expect(sums).toEqual({ p: 5 });
  });
});

describe("treePrefixBroadcast", () => {
  const x = new FakeArray(0);

  it("repeats a leaf of the prefix over the subtree it covers", () => {
    expect(treePrefixBroadcast(0, [x, { a: x, b: [x, x] }], "vmap in_axes")).toEqual([0, 0, 0, 0]);
    expect(treePrefixBroadcast([0, 1], [x, { a: x, b: [x, x] }], "vmap in_axes")).toEqual([0, 1, 1, 1]);
    expect(treePrefixBroadcast([0, { a: 1, b: [null, 2] }], [x, { a: x, b: [x, x] }], "vmap in_axes")).toEqual([
      0,
      1,
      null,
      2,
    ]);
  });

  it("treats null in the prefix as a value (None means unmapped)", () => {
    expect(treePrefixBroadcast([0, null], [x, [x, x]], "vmap in_axes")).toEqual([0, null, null]);
    expect(treePrefixBroadcast(null, [x, x], "vmap in_axes")).toEqual([null, null]);
  });

  it("skips None nodes of the full tree, which have no leaves", () => {
    expect(treePrefixBroadcast([0, 1, 2], [x, null, x], "vmap in_axes")).toEqual([0, 2]);
  });

  it("accepts the full tree's PyTreeDef", () => {
    expect(treePrefixBroadcast([1, 0], treeStructure([[x, x], x]), "vmap in_axes")).toEqual([1, 1, 0]);
  });

  it("throws a clear error naming the specification when it is not a prefix", () => {
    expect(() => treePrefixBroadcast([0, null, 1], [x, x], "vmap in_axes")).toThrow(
      "vmap in_axes specification must be a tree prefix of the corresponding value, got specification " +
        "[0, None, 1] for value tree PyTreeDef([*, *]) (at the root: the specification has a list of length 3 " +
        "where the value has length 2).",
    );
    expect(() => treePrefixBroadcast({ a: 0 }, [x], "vmap in_axes")).toThrow(
      "got specification {'a': 0} for value tree PyTreeDef([*]) (at the root: the specification has a dict where the value has a list).",
    );
    expect(() => treePrefixBroadcast([0, [1]], [x, x], "vmap out_axes")).toThrow(
      "vmap out_axes specification must be a tree prefix of the corresponding value, got specification " +
        "[0, [1]] for value tree PyTreeDef([*, *]) (at [1]: the specification has a list where the value has a leaf).",
    );
    expect(() => treePrefixBroadcast({ a: 0, c: 1 }, { a: x, b: x }, "vmap in_axes")).toThrow(
      "(at the root: the specification has keys ['a', 'c'] where the value has keys ['a', 'b']).",
    );
  });
});

// ---- custom node types -----------------------------------------------------------------------------

/** A registered node: children x and y, aux data the unit name (JAX's register_pytree_node example). */
class Point {
  constructor(
    readonly x: unknown,
    readonly y: unknown,
    readonly unit: string,
  ) {}
}
registerPytreeNode(
  Point,
  (p) => [[p.x, p.y], p.unit],
  (unit: string, [x, y]) => new Point(x, y, unit),
);

/** A registered node with no aux data (printed as None) and a variable number of children. */
class Bag {
  constructor(readonly items: unknown[]) {}
}
registerPytreeNode(
  Bag,
  (b) => [b.items, null],
  (_aux, items) => new Bag(items),
);

/** A subclass of a registered class is a leaf: registration matches the exact type, as in JAX. */
class Point3 extends Point {}

describe("registerPytreeNode", () => {
  it("flattens instances into their children, recording the class and aux data", () => {
    const p = new Point(1, [2, { a: 3 }], "m");
    const [leaves, treedef] = treeFlatten([p, 4]);
    expect(leaves).toEqual([1, 2, 3, 4]);
    expect(String(treedef)).toBe("PyTreeDef([CustomNode(Point[m], [*, [*, {'a': *}]]), *])");
    expect(treedef.numLeaves).toBe(4);
    expect(treedef.numNodes).toBe(8);
    expect(treedef.children[0].kind).toBe("custom");
    expect(treedef.children[0].nodeType?.cls).toBe(Point);
    expect(treedef.children[0].aux).toBe("m");
  });

  it("prints None aux data and empty children as JAX does", () => {
    expect(String(treeStructure(new Bag([])))).toBe("PyTreeDef(CustomNode(Bag[None], []))");
    expect(String(treeStructure(new Bag([null, 1])))).toBe("PyTreeDef(CustomNode(Bag[None], [None, *]))");
    expect(treeStructure(new Bag([])).numLeaves).toBe(0);
  });

  it("unflattens through the registered function, with any leaves", () => {
    const treedef = treeStructure({ p: new Point(1, 2, "cm") });
    const out = treeUnflatten(treedef, ["a", "b"]) as { p: Point };
    expect(out.p).toBeInstanceOf(Point);
    expect([out.p.x, out.p.y, out.p.unit]).toEqual(["a", "b", "cm"]);
  });

  it("compares class and aux data in PyTreeDef equality", () => {
    const def = (x: unknown) => treeStructure(x);
    expect(def(new Point(1, 2, "m")).equals(def(new Point(5, 6, "m")))).toBe(true);
    expect(def(new Point(1, 2, "m")).equals(def(new Point(1, 2, "cm")))).toBe(false);
    expect(def(new Point(1, 2, "m")).equals(def(new Bag([1, 2])))).toBe(false);
    expect(def(new Point(1, 2, "m")).equals(def([1, 2]))).toBe(false);
    expect(def(new Bag([1, 2])).equals(def(new Bag([1, 2, 3])))).toBe(false);
    expect(def(new Point(1, 2, "m")).equals(PyTreeDef.custom(Point, "m", [PyTreeDef.leaf(), PyTreeDef.leaf()]))).toBe(true);
    expect(() => PyTreeDef.custom(FakeArray, null, [])).toThrow("FakeArray is not a registered pytree node type");
  });

  it("compares JS array and plain-object aux data element-wise", () => {
    class Tagged {
      constructor(
        readonly v: unknown,
        readonly tags: unknown,
      ) {}
    }
    registerPytreeNode(
      Tagged,
      (t) => [[t.v], t.tags],
      (tags, [v]) => new Tagged(v, tags),
    );
    const s = (tags: unknown) => treeStructure(new Tagged(0, tags));
    expect(s(["a", { n: 1 }]).equals(s(["a", { n: 1 }]))).toBe(true);
    expect(s(["a", { n: 1 }]).equals(s(["a", { n: 2 }]))).toBe(false);
    expect(String(s(["a", 1]))).toBe("PyTreeDef(CustomNode(Tagged[['a', 1]], [*]))");
  });

  it("registers only the exact class; subclasses and unregistered classes are leaves", () => {
    expect(String(treeStructure(new Point3(1, 2, "m")))).toBe("PyTreeDef(*)");
    expect(String(treeStructure(new FakeArray(1)))).toBe("PyTreeDef(*)");
  });

  it("refuses duplicate and built-in registrations", () => {
    expect(() => registerPytreeNode(Point, (p) => [[], p.unit], () => new Point(0, 0, ""))).toThrow("Duplicate custom PyTreeDef type registration for Point.");
    expect(() => registerPytreeNode(Object, () => [[], null], () => ({}))).toThrow("Object is a built-in pytree node type");
  });

  it("checks what the flatten function returns", () => {
    class Bad {}
    registerPytreeNode(Bad, () => 3 as never, () => new Bad());
    expect(() => treeFlatten(new Bad())).toThrow("The flatten function registered for Bad must return [children, aux]");
  });

  it("isLeaf can stop the descent at a custom node", () => {
    const p = new Point(1, 2, "m");
    expect(treeLeaves([p, 3], { isLeaf: (x) => x instanceof Point })).toEqual([p, 3]);
  });

  it("treeMap maps the children and rebuilds the node, and checks the other trees' nodes", () => {
    const out = treeMap((a: number, b: number) => a + b, [new Point(1, 2, "m"), 3], [new Point(10, 20, "m"), 30]) as [Point, number];
    expect(out[0]).toBeInstanceOf(Point);
    expect([out[0].x, out[0].y, out[0].unit, out[1]]).toEqual([11, 22, "m", 33]);
    expect(() => treeMap((a: number) => a, new Point(1, 2, "m"), new Point(1, 2, "cm"))).toThrow(
      "(at the root: Point node data mismatch: cm != m)",
    );
    expect(() => treeMap((a: number) => a, new Point(1, 2, "m"), [1, 2])).toThrow("(at the root: expected a Point, got a list of length 2)");
    expect(() => treeMap((a: number) => a, [new Point(1, 2, "m")], [new Bag([1, 2])])).toThrow("(at [0]: expected a Point, got a Bag)");
  });

  it("flattenUpTo passes whole subtrees at the node's leaves", () => {
    const def = treeStructure(new Point(0, 0, "m"));
    expect(def.flattenUpTo(new Point([1, 2], { a: 3 }, "m"))).toEqual([[1, 2], { a: 3 }]);
    expect(def.childrenOf(new Point(1, 2, "m"))).toEqual([1, 2]);
    expect(def.childrenOf(new Point(1, 2, "km"))).toBeNull();
    expect(def.childrenOf([1, 2])).toBeNull();
    expect(treeStructure([0, 0]).childrenOf([5, 6])).toEqual([5, 6]);
    expect(treeStructure({ b: 0, a: 0 }).childrenOf({ a: 1, b: 2 })).toEqual([1, 2]);
  });

  it("treePrefixBroadcast: a leaf covers a node, and a node in the prefix must match the value's", () => {
    const full = [new Point(0, [0, 0], "m"), 0];
    expect(treePrefixBroadcast([1, 0], full, "vmap in_axes")).toEqual([1, 1, 1, 0]);
    expect(treePrefixBroadcast([new Point(null, 2, "m"), 0], full, "vmap in_axes")).toEqual([null, 2, 2, 0]);
    expect(() => treePrefixBroadcast([new Point(null, 2, "cm"), 0], full, "vmap in_axes")).toThrow(
      "(at [0]: the specification's Point has node data cm where the value's has m)",
    );
    expect(() => treePrefixBroadcast([[0, 1], 0], full, "vmap in_axes")).toThrow("(at [0]: the specification has a list where the value has a Point)");
    expect(() => treePrefixBroadcast(new Point(0, 0, "m"), [0, 0], "vmap in_axes")).toThrow(
      "(at the root: the specification has a Point where the value has a list)",
    );
  });
});
