// Typed PRNG keys (random.key): JAX's key<fry> arrays as a registered pytree node over raw uint32
// key data. The conformance cases of shared/conformance/jax-cases.json that need typed keys (with
// JAX's printed output), keyData/wrapKeyData, indexing and iteration, jit/vmap/grad/scan with keys,
// pytree flattening, and the errors for arithmetic and misuse.
import { afterEach, describe, expect, it, vi } from "vitest";
import { numpy as np, lax, jit, vmap, grad, makeJaxpr, config, dtypes, treeFlatten, treeUnflatten, treeMap, treeStructure, PyTreeDef } from "../src/index.js";
import type { ArrayImpl } from "../src/array.js";
import type { Array } from "../src/core/tracer.js";
import * as random from "../src/random/index.js";
import { PRNGKeyArray } from "../src/random/index.js";
import { IndexError } from "../src/numpy/indexing.js";

const data = (x: Array) => globalThis.Array.from((x as ArrayImpl).dataSync());
const repr = (x: Array | PRNGKeyArray) => (x as ArrayImpl).repr();
const legacy = () => config.update("jax_threefry_partitionable", false);

afterEach(() => config.reset());

describe("conformance cases that need typed keys", () => {
  it("prng-uniform-key0-and-split-current (partitionable=True)", () => {
    let key = random.key(0);
    expect(repr(key)).toBe("Array((), dtype=key<fry>) overlaying:\n[0 0]");
    expect(repr(random.uniform(key))).toBe("Array(0.947667, dtype=float32)");
    expect(repr(random.uniform(key))).toBe("Array(0.947667, dtype=float32)");
    let subkey: PRNGKeyArray;
    [key, subkey] = random.split(key);
    expect(repr(random.uniform(subkey))).toBe("Array(0.00729382, dtype=float32)");
    // The notes: split(key(0)) = [[1797259609 2579123966] [928981903 3453687069]].
    expect(repr(key)).toBe("Array((), dtype=key<fry>) overlaying:\n[1797259609 2579123966]");
  });

  it("prng-uniform3-key0-legacy (partitionable=False), with impl='threefry2x32'", () => {
    legacy();
    const key = random.key(0, { impl: "threefry2x32" }); // this is the default impl
    expect(repr(key)).toBe("Array((), dtype=key<fry>) overlaying:\n[0 0]");
    expect(repr(random.uniform(key, [3]))).toBe("Array([0.9653214 , 0.31468165, 0.63302994], dtype=float32)");
  });

  it("prng-stateful-rng-key0: rng.key() is fold_in(key(0), counter) (partitionable=True)", () => {
    const k = random.key(0);
    expect(repr(random.foldIn(k, 0))).toBe("Array((), dtype=key<fry>) overlaying:\n[1797259609 2579123966]");
    expect(repr(random.foldIn(k, 1))).toBe("Array((), dtype=key<fry>) overlaying:\n[ 928981903 3453687069]");
    const [a, b] = random.split(k);
    expect(data(random.keyData(a))).toEqual(data(random.keyData(random.foldIn(k, 0))));
    expect(data(random.keyData(b))).toEqual(data(random.keyData(random.foldIn(k, 1))));
  });

  it("prng-issubdtype-prng_key", () => {
    const typedKey = random.key(0);
    expect(dtypes.issubdtype(typedKey.dtype, dtypes.prngKey)).toBe(true);
    const rawKey = random.PRNGKey(0);
    expect(dtypes.issubdtype(rawKey.dtype, dtypes.prngKey)).toBe(false);
  });

  it("err-key-arithmetic: key + 1", () => {
    const key = random.key(0);
    expect(() => key.add(1)).toThrow(new TypeError("add does not accept dtypes key<fry>, int32."));
    expect(() => np.add(key as never, 1)).toThrow(new TypeError("add does not accept dtypes key<fry>, int32."));
  });

  it("prng-legacy-split4-key0 and prng-legacy-fold_in-key0-4 through typed keys (partitionable=False)", () => {
    legacy();
    expect(String(random.keyData(random.split(random.key(0), 4)))).toBe(
      "[[2285895361 1501764800]\n [1518642379 4090693311]\n [ 433833334 4221794875]\n [ 839183663 3740430601]]",
    );
    expect(String(random.keyData(random.foldIn(random.key(0), 4)))).toBe("[2285895361  433833334]");
  });

  it("err-random-bits-signed-dtype with a typed key (Kiln has no int8: int32)", () => {
    expect(() => random.bits(random.key(0), [3, 4], "int32")).toThrow("dtype argument to `bits` must be an unsigned int dtype, got int32");
  });

  it("dtype-float64-request-random-uniform with a typed key", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      expect(random.uniform(random.key(0), [1000], "float64").dtype).toBe("float32");
    } finally {
      warn.mockRestore();
    }
  });

  it("prng-rbg-uniform3-key0: Kiln has only threefry2x32", () => {
    expect(() => random.key(0, { impl: "rbg" })).toThrow('unrecognized PRNG implementation "rbg". Did you mean one of: "threefry2x32"?');
  });
});

describe("typed keys", () => {
  it("are arrays of keys: shape, ndim, size, dtype", () => {
    const k = random.key(0);
    expect(k).toBeInstanceOf(PRNGKeyArray);
    expect([k.shape, k.ndim, k.size, k.dtype, k.weakType]).toEqual([[], 0, 1, "key<fry>", false]);
    const ks = random.split(k, [2, 3]);
    expect([ks.shape, ks.ndim, ks.size, ks.dtype]).toEqual([[2, 3], 2, 6, "key<fry>"]);
    expect(random.keyData(ks).shape).toEqual([2, 3, 2]);
    expect(random.keyImpl(ks)).toBe("threefry2x32");
    expect(random.keyImpl(random.PRNGKey(0))).toBe("threefry2x32");
  });

  it("give the same bits as raw keys in both streams", () => {
    for (const partitionable of [true, false]) {
      config.update("jax_threefry_partitionable", partitionable);
      const typed = random.key(42);
      const raw = random.PRNGKey(42);
      expect(data(random.keyData(typed))).toEqual(data(raw));
      expect(data(random.normal(typed, [5]))).toEqual(data(random.normal(raw, [5])));
      expect(data(random.keyData(random.split(typed, 3)))).toEqual(data(random.split(raw, 3)));
      expect(data(random.keyData(random.foldIn(typed, 7)))).toEqual(data(random.foldIn(raw, 7)));
      expect(data(random.randint(typed, [4], 0, 10))).toEqual(data(random.randint(raw, [4], 0, 10)));
      expect(data(random.permutation(typed, 6))).toEqual(data(random.permutation(raw, 6)));
      expect(data(random.choice(typed, 5, { shape: [3], replace: false }))).toEqual(data(random.choice(raw, 5, { shape: [3], replace: false })));
    }
  });

  it("split and foldIn return keys of the kind they were given", () => {
    expect(random.split(random.key(1))).toBeInstanceOf(PRNGKeyArray);
    expect(random.foldIn(random.key(1), 3)).toBeInstanceOf(PRNGKeyArray);
    expect(random.split(random.PRNGKey(1))).not.toBeInstanceOf(PRNGKeyArray);
    expect(random.split(random.PRNGKey(1)).dtype).toBe("uint32");
    expect(random.foldIn(random.PRNGKey(1), 3).dtype).toBe("uint32");
  });

  it("keyData unwraps, wrapKeyData wraps, and the round trip keeps the words", () => {
    const raw = random.PRNGKey(7);
    const typed = random.wrapKeyData(raw);
    expect(repr(typed)).toBe("Array((), dtype=key<fry>) overlaying:\n[0 7]");
    expect(random.keyData(typed)).toBe(raw);
    expect(random.keyData(raw)).toBe(raw); // an identity on raw key data, as in JAX
    const batch = random.wrapKeyData(np.array(new Uint32Array([0, 0, 0, 1, 0, 2, 0, 3])).reshape([4, 2]));
    expect(batch.shape).toEqual([4]);
    expect(repr(batch)).toBe("Array((4,), dtype=key<fry>) overlaying:\n[[0 0]\n [0 1]\n [0 2]\n [0 3]]");
    expect(() => random.wrapKeyData(np.array([1, 2]))).toThrow("expected key_data.dtype = uint32; got dtype=float32");
    expect(() => random.wrapKeyData(np.zeros([3], { dtype: "uint32" }))).toThrow("expected key_data.shape to end with (2,); got shape=(3,)");
    expect(() => random.wrapKeyData(random.key(0) as never)).toThrow("expected key_data.dtype = uint32; got dtype=key<fry>");
    expect(() => random.keyData(np.array(1, { dtype: "uint32" }))).toThrow("expected key_data.ndim >= 1; got ndim=0");
  });

  it("print as JAX does: str is the repr, and Node's inspect shows it", () => {
    const k = random.key(0);
    expect(String(k)).toBe("Array((), dtype=key<fry>) overlaying:\n[0 0]");
    expect(`${k}`).toBe("Array((), dtype=key<fry>) overlaying:\n[0 0]");
    const inspect = (k as unknown as Record<symbol, () => string>)[Symbol.for("nodejs.util.inspect.custom")];
    expect(inspect.call(k)).toBe(repr(k));
    expect(repr(random.split(k, [2, 1]))).toBe("Array((2, 1), dtype=key<fry>) overlaying:\n[[[1797259609 2579123966]]\n\n [[ 928981903 3453687069]]]");
  });

  it("index along the key dimensions only", () => {
    const keys = random.split(random.key(0), [2, 3]);
    const raw = random.keyData(keys);
    const k = keys.index(1, 2);
    expect(k.shape).toEqual([]);
    expect(data(random.keyData(k))).toEqual(data(raw.index(1, 2)));
    expect(keys.index(0).shape).toEqual([3]);
    expect(keys.index("...", 0).shape).toEqual([2]); // the Ellipsis stops before the key data
    expect(data(random.keyData(keys.index("...", 0)))).toEqual(data(raw.index(np.slice(), 0)));
    expect(keys.index(np.slice(null, null, -1)).shape).toEqual([2, 3]);
    expect(keys.index(null, 1).shape).toEqual([1, 3]);
    expect(keys.index(np.array([1, 0, 1]).astype("int32")).shape).toEqual([3, 3]);
    expect(() => keys.index(0, 0, 0)).toThrow(new IndexError("Too many indices: 2-dimensional array indexed with 3 regular indices."));
    expect(() => random.key(0).index(0)).toThrow(new IndexError("Too many indices: 0-dimensional array indexed with 1 regular index."));
  });

  it("iterate over the first axis, so split results destructure", () => {
    const [k1, k2, k3] = random.split(random.key(0), 3);
    expect([k1, k2, k3].every((k) => k instanceof PRNGKeyArray && k.ndim === 0)).toBe(true);
    expect(data(random.keyData(k3))).toEqual(data(random.keyData(random.foldIn(random.key(0), 2))));
    expect([...random.split(random.key(0), [2, 4])].map((k) => k.shape)).toEqual([[4], [4]]);
    expect(() => [...random.key(0)]).toThrow(new TypeError("iteration over a 0-d key array"));
  });

  it("refuse numeric conversion and JS operators", () => {
    const k = random.key(0);
    expect(() => +k).toThrow("A PRNG key array (dtype key<fry>) cannot be converted to a JS number");
    expect(() => (k as unknown as number) + 1).toThrow("keys support no arithmetic");
    expect(() => (k as unknown as number) < 1).toThrow(TypeError);
  });
});

describe("numpy functions reject keys with JAX's message", () => {
  const k = random.key(0);
  it("lists every argument's dtype, as JAX's check_for_prngkeys does", () => {
    expect(() => np.subtract(1.5, k as never)).toThrow(new TypeError("subtract does not accept dtypes float32, key<fry>."));
    expect(() => np.multiply(k as never, np.ones([3]))).toThrow(new TypeError("multiply does not accept dtypes key<fry>, float32."));
    expect(() => np.add(k as never, true)).toThrow(new TypeError("add does not accept dtypes key<fry>, bool."));
    expect(() => np.sin(k as never)).toThrow(new TypeError("sin does not accept dtype key<fry>."));
    expect(() => np.sum(k as never)).toThrow("sum does not accept dtype key<fry>.");
  });
  it("covers the method forms (key.mul(2) is JAX's key * 2)", () => {
    expect(() => k.sub(1)).toThrow(new TypeError("subtract does not accept dtypes key<fry>, int32."));
    expect(() => k.mul(2.5)).toThrow(new TypeError("multiply does not accept dtypes key<fry>, float32."));
    expect(() => k.neg()).toThrow(new TypeError("negative does not accept dtype key<fry>."));
  });
  it("reports a JS list argument first, as check_arraylike runs before the key check", () => {
    expect(() => np.add(k as never, [1, 2] as never)).toThrow("add requires ndarray or scalar arguments, got a JS array at position 1.");
  });
});

describe("keys through transformations", () => {
  it("jit: a key argument is its uint32 data, and typed keys come back out", () => {
    const f = jit((k: PRNGKeyArray) => random.normal(k, [3]));
    const key = random.key(0);
    expect(data(f(key))).toEqual(data(random.normal(key, [3])));
    expect(data(f(random.key(5)))).toEqual(data(random.normal(random.key(5), [3]))); // cached trace, new data
    const g = jit((k: PRNGKeyArray) => random.split(k));
    const out = g(key);
    expect(out).toBeInstanceOf(PRNGKeyArray);
    expect(repr(out)).toBe(repr(random.split(key)));
    // Raw and typed keys are different input structures, so each gets its own trace.
    const h = jit((k: random.KeyArrayLike) => random.split(k));
    expect(h(random.PRNGKey(0))).not.toBeInstanceOf(PRNGKeyArray);
    expect(h(random.key(0))).toBeInstanceOf(PRNGKeyArray);
    expect(makeJaxpr((k: PRNGKeyArray) => random.keyData(k))(key).toString()).toBe("{ lambda ; a:u32[2]. let  in (a,) }");
  });

  it("jit: seeding from a traced integer gives a typed key", () => {
    const k = jit((s: Array) => random.key(s))(np.array(3, { dtype: "int32" }));
    expect(repr(k)).toBe("Array((), dtype=key<fry>) overlaying:\n[0 3]");
  });

  it("a traced key prints as a tracer of the key type", () => {
    let seen = "";
    jit((k: PRNGKeyArray) => {
      seen = String(k);
      return random.uniform(k);
    })(random.key(0));
    expect(seen).toMatch(/^Traced<ShapedArray\(key<fry>\[\]\)>with<\w+\(level=\d+\)>$/);
  });

  it("vmap: a batch of keys has shape (n,), and each key draws its own numbers", () => {
    const keys = random.split(random.key(0), 4);
    expect(keys.shape).toEqual([4]);
    const u = vmap((k: PRNGKeyArray) => random.uniform(k))(keys);
    expect(u.shape).toEqual([4]);
    expect(data(u)).toEqual([...keys].map((k) => data(random.uniform(k))[0]));
    const n = vmap((k: PRNGKeyArray, x: Array) => np.add(random.normal(k, [2]), x), { inAxes: [0, null] })(keys, np.ones([2]));
    expect(n.shape).toEqual([4, 2]);
  });

  it("vmap: keys come back out batched, as vmap(random.key) does in JAX's docs", () => {
    const keyArr = vmap((s: Array) => random.key(s))(np.arange(4).astype("int32"));
    expect(keyArr).toBeInstanceOf(PRNGKeyArray);
    expect(keyArr.shape).toEqual([4]);
    expect(repr(keyArr)).toBe("Array((4,), dtype=key<fry>) overlaying:\n[[0 0]\n [0 1]\n [0 2]\n [0 3]]");
    const split = vmap((k: PRNGKeyArray) => random.split(k))(random.split(random.key(0), 3));
    expect(split.shape).toEqual([3, 2]);
  });

  it("grad: a key argument is not differentiated", () => {
    const key = random.key(1);
    const f = (x: Array, k: PRNGKeyArray) => np.sum(np.multiply(x, random.normal(k, [3])));
    expect(data(grad(f)(np.ones([3]), key))).toEqual(data(random.normal(key, [3])));
    const g = (k: PRNGKeyArray, x: Array) => np.sum(np.multiply(np.square(x), random.uniform(k, [3])));
    const dx = grad(g, { argnums: 1 })(key, np.ones([3]));
    expect(data(dx)).toEqual(data(random.uniform(key, [3])).map((u) => 2 * u));
  });

  it("lax.scan carries a key and scans over a batch of keys", () => {
    const step = (k: PRNGKeyArray, _: unknown): [PRNGKeyArray, Array] => {
      const [next, sub] = random.split(k);
      return [next, random.uniform(sub)];
    };
    const [last, ys] = lax.scan(step, random.key(0), null, { length: 3 });
    expect(last).toBeInstanceOf(PRNGKeyArray);
    let k = random.key(0);
    const want: number[] = [];
    for (let i = 0; i < 3; i++) {
      const [next, sub] = random.split(k);
      want.push(data(random.uniform(sub))[0]);
      k = next;
    }
    expect(data(ys)).toEqual(want);
    expect(data(random.keyData(last))).toEqual(data(random.keyData(k)));
    const [, zs] = lax.scan((c: Array, kk: PRNGKeyArray) => [c, random.uniform(kk)], np.array(0), random.split(random.key(0), 4));
    expect(data(zs)).toEqual([...random.split(random.key(0), 4)].map((kk) => data(random.uniform(kk))[0]));
  });
});

describe("keys are a registered pytree node", () => {
  it("flatten to their uint32 data, with the implementation as aux data", () => {
    const k = random.key(0);
    const [leaves, def] = treeFlatten({ k, x: 1 });
    expect(leaves.length).toBe(2);
    expect(leaves[0]).toBe(random.keyData(k));
    expect(String(def)).toBe("PyTreeDef({'k': CustomNode(PRNGKeyArray[fry], [*]), 'x': *})");
    const back = treeUnflatten(def, leaves) as { k: PRNGKeyArray };
    expect(back.k).toBeInstanceOf(PRNGKeyArray);
    expect(repr(back.k)).toBe(repr(k));
    expect(treeStructure(random.split(k)).equals(treeStructure(k))).toBe(true);
    expect(treeStructure(k).equals(treeStructure(random.PRNGKey(0)))).toBe(false);
    expect(treeStructure(k).equals(PyTreeDef.custom(PRNGKeyArray, random.key(1).impl, [PyTreeDef.leaf()]))).toBe(true);
  });

  it("treeMap rebuilds keys around the mapped data", () => {
    const tree = treeMap((x: Array) => x, [random.key(3), random.key(4)]) as PRNGKeyArray[];
    expect(tree.every((k) => k instanceof PRNGKeyArray)).toBe(true);
    expect(data(random.keyData(tree[1]))).toEqual([0, 4]);
  });
});

describe("errors", () => {
  it("batched keys are refused with the key array's shape", () => {
    expect(() => random.split(random.split(random.key(0)))).toThrow(
      "split accepts a single key, but was given a key array of shape (2,) != (). Use jax.vmap for batching.",
    );
    expect(() => random.uniform(random.split(random.key(0), [2, 2]))).toThrow("uniform accepts a single key, but was given a key array of shape (2, 2) != ()");
  });
  it("seeds must be integers, not keys", () => {
    expect(() => random.key(random.key(0) as never)).toThrow(new TypeError("key accepts a scalar seed, but was given a PRNG key."));
    expect(() => random.PRNGKey(random.key(0) as never)).toThrow(new TypeError("PRNGKey accepts a scalar seed, but was given a PRNG key."));
    expect(() => random.key(np.array([1, 2]).astype("int32"))).toThrow("key accepts a scalar seed, but was given an array of shape (2,) != ()");
    expect(() => random.key(1.5)).toThrow("PRNG key seed must be an integer");
  });
});
