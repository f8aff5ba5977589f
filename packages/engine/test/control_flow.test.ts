// Structured control flow: lax.cond / switch / whileLoop / foriLoop / scan / map —
// values (eager and jit), golden jaxprs in JAX's current format, jvp / grad / vmap
// through them, JAX's error messages, and the control-flow cases of
// shared/conformance/jax-cases.json.
import { describe, expect, it } from "vitest";
import { numpy as np, lax, grad, jit, vmap, jvp, linearize, makeJaxpr, checkGrads, customVjp, vjp } from "../src/index.js";
import type { ArrayImpl } from "../src/array.js";
import { evalControlFlow, isControlFlowPrimitive } from "../src/transforms/control_flow/eager.js";

type A = np.Array;
const val = (x: unknown) => Array.from((x as ArrayImpl).dataSync());
const close = (a: number[], b: number[], tol = 1e-5) => {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i]))));
};
const f32 = (x: number) => np.array(x, { dtype: "float32" });
const weakInt = (x: number) => lax.convertElementType(x, "int32", true);
const lines = (...ls: string[]) => ls.join("\n");

describe("values", () => {
  it("cond picks a branch, eagerly and under jit", () => {
    const f = (x: A) => lax.cond(lax.gt(x, 0), (y: A) => np.multiply(y, 2), (y: A) => np.negative(y), x);
    expect(val(f(f32(3)))).toEqual([6]);
    expect(val(f(f32(-3)))).toEqual([3]);
    const jf = jit(f);
    expect(val(jf(f32(3)))).toEqual([6]);
    expect(val(jf(f32(-3)))).toEqual([3]);
    expect(jf.traceCount).toBe(1);
  });

  it("cond takes JS booleans and numbers as predicates, pytree operands and outputs", () => {
    const ops = { a: np.array([1, 2]), b: 3 };
    const t = (o: { a: A; b: A }) => [np.add(o.a, o.b), o.b];
    const fl = (o: { a: A; b: A }) => [np.subtract(o.a, o.b), np.multiply(o.b, 2)];
    const [x, y] = lax.cond(true, t, fl, ops) as A[];
    expect(val(x)).toEqual([4, 5]);
    expect(val(y)).toEqual([3]);
    const [x2, y2] = lax.cond(0, t, fl, ops) as A[];
    expect(val(x2)).toEqual([-2, -1]);
    expect(val(y2)).toEqual([6]);
    expect(val(lax.cond(np.array(2, { dtype: "int32" }), () => 1, () => 0))).toEqual([1]);
    // The per-branch-operand form cond(pred, trueOperand, trueFun, falseOperand, falseFun).
    const old = lax.cond as unknown as (p: boolean, a: A, f: (x: A) => A, b: A, g: (x: A) => A) => A;
    expect(val(old(false, f32(1), (x: A) => np.add(x, 1), f32(10), (x: A) => np.multiply(x, 2)))).toEqual([20]);
  });

  it("cond branches may close over constants and outer tracers", () => {
    const c = np.array([10, 20]);
    const f = jit((x: A, p: A) => lax.cond(p, (y: A) => np.add(y, c), (y: A) => np.multiply(y, x), np.add(x, 1)));
    expect(val(f(np.array([1, 2]), np.array(true)))).toEqual([12, 23]);
    expect(val(f(np.array([1, 2]), np.array(false)))).toEqual([2, 6]);
  });

  it("switch clamps its index", () => {
    const branches = [(x: A) => np.add(x, 1), (x: A) => np.multiply(x, 10), (x: A) => np.negative(x)];
    const sw = (i: A | number, x: A) => lax.switch(i, branches, x);
    expect(val(sw(-5, f32(2)))).toEqual([3]);
    expect(val(sw(1, f32(2)))).toEqual([20]);
    expect(val(sw(7, f32(2)))).toEqual([-2]);
    const jsw = jit(sw);
    expect(val(jsw(np.array(2, { dtype: "int32" }), f32(2)))).toEqual([-2]);
    expect(val(jsw(np.array(0, { dtype: "int32" }), f32(2)))).toEqual([3]);
    expect(val(lax.switch(0, [(x: A) => np.add(x, 5)], f32(1)))).toEqual([6]);
  });

  it("whileLoop with a pytree carry, eagerly and under jit", () => {
    const f = (n: A) => lax.whileLoop((c: { i: A; acc: A }) => lax.lt(c.i, n), (c: { i: A; acc: A }) => ({ i: np.add(c.i, 1), acc: np.multiply(c.acc, 2) }), { i: 0, acc: 1 });
    const r = f(f32(5)) as { i: A; acc: A };
    expect(val(r.i)).toEqual([5]);
    expect(val(r.acc)).toEqual([32]);
    const rj = jit(f)(f32(3)) as { i: A; acc: A };
    expect(val(rj.acc)).toEqual([8]);
    // Zero iterations returns the initial value.
    expect(val((f(f32(-1)) as { acc: A }).acc)).toEqual([1]);
  });

  it("foriLoop: a scan with static bounds, a while with traced bounds", () => {
    const body = (i: A, x: A) => np.add(x, np.multiply(i, i));
    expect(val(lax.foriLoop(0, 5, body, f32(0)))).toEqual([30]);
    expect(val(lax.forLoop(3, 3, body, f32(7)))).toEqual([7]);
    expect(makeJaxpr((x: A) => lax.foriLoop(0, 5, body, x))(f32(0)).toString()).toContain("scan[");
    const dyn = jit((lo: A, hi: A, x: A) => lax.foriLoop(lo, hi, body, x));
    const i32 = (v: number) => np.array(v, { dtype: "int32" });
    expect(val(dyn(i32(1), i32(4), f32(0)))).toEqual([14]);
    expect(makeJaxpr((lo: A, hi: A, x: A) => lax.foriLoop(lo, hi, body, x))(i32(1), i32(4), f32(0)).toString()).toContain("while[");
  });

  it("scan with pytree carry and xs, reverse, xs=null with length, unroll", () => {
    const xs = { a: np.array([1, 2, 3, 4]), b: np.array([[1, 0], [0, 1], [1, 1], [2, 2]]) };
    const f = (c: [A, A], x: { a: A; b: A }) => {
      const s = np.add(c[0], x.a);
      return [[s, np.add(c[1], x.b)], { s, p: np.multiply(x.a, 10) }];
    };
    const [[s, v], ys] = lax.scan(f, [f32(0), np.zeros([2])], xs) as [[A, A], { s: A; p: A }];
    expect(val(s)).toEqual([10]);
    expect(val(v)).toEqual([4, 4]);
    expect(val(ys.s)).toEqual([1, 3, 6, 10]);
    expect(val(ys.p)).toEqual([10, 20, 30, 40]);
    const [rs, rys] = lax.scan((c: A, x: A) => [np.add(c, x), c], f32(0), np.array([1, 2, 3]), { reverse: true }) as A[];
    expect(val(rs)).toEqual([6]);
    expect(val(rys)).toEqual([5, 3, 0]);
    const [cnt, sq] = lax.scan((c: A) => [np.add(c, 1), np.multiply(c, c)], f32(0), null, { length: 4 }) as A[];
    expect(val(cnt)).toEqual([4]);
    expect(val(sq)).toEqual([0, 1, 4, 9]);
    const [u, uys] = lax.scan((c: A, x: A) => [np.add(c, x), c], f32(0), np.array([1, 2, 3]), { unroll: true }) as A[];
    expect(val(u)).toEqual([6]);
    expect(val(uys)).toEqual([0, 1, 3]);
    const [z, zys] = lax.scan((c: A, x: A) => [np.add(c, x), x], np.array([5, 6]), np.zeros([0, 2])) as A[];
    expect(val(z)).toEqual([5, 6]);
    expect(zys.shape).toEqual([0, 2]);
  });

  it("scan under jit equals eager", () => {
    const f = (h: A, xs: A) => lax.scan((c: A, x: A) => [np.tanh(np.add(c, x)), np.sin(c)], h, xs);
    const [c1, y1] = f(np.array([0.1, 0.2]), np.array([[1, 2], [3, 4], [5, 6]])) as A[];
    const [c2, y2] = jit(f)(np.array([0.1, 0.2]), np.array([[1, 2], [3, 4], [5, 6]])) as A[];
    close(val(c1), val(c2));
    close(val(y1), val(y2));
  });

  it("map applies a function over the leading axis", () => {
    const ys = lax.map((x: A) => np.sum(np.multiply(x, x)), np.array([[1, 2], [3, 4], [5, 6]]));
    expect(val(ys)).toEqual([5, 25, 61]);
    const tree = lax.map((x: { u: A; v: A }) => [np.add(x.u, x.v), x.u], { u: np.array([1, 2]), v: np.array([10, 20]) }) as A[];
    expect(val(tree[0])).toEqual([11, 22]);
    expect(val(tree[1])).toEqual([1, 2]);
  });
});

describe("backend-agnostic eager evaluation (transforms/control_flow/eager.ts)", () => {
  it("agrees with the CPU implementation", () => {
    const check = (f: (...a: A[]) => unknown, args: A[]) => {
      const eqn = makeJaxpr(f)(...args).jaxpr.eqns.find((e) => isControlFlowPrimitive(e.primitive))!;
      const got = evalControlFlow(eqn.primitive as "cond" | "while" | "scan", args, eqn.params as never);
      const want = ([] as unknown[]).concat(f(...args)).flat() as A[];
      expect(got.map(val)).toEqual(want.map(val));
    };
    const branches = [(x: A) => np.sin(x), (x: A) => np.multiply(x, 3)];
    check((i: A, x: A) => lax.switch(i, branches, x), [np.array(1, { dtype: "int32" }), np.array([1, 2])]);
    check((x: A) => lax.whileLoop((c: A) => lax.lt(np.sum(c), 50), (c: A) => np.multiply(c, 2), x), [np.array([1, 2])]);
    check((c: A, xs: A) => lax.scan((k: A, x: A) => [np.add(k, x), np.multiply(k, x)], c, xs, { reverse: true }), [np.array([1, -1]), np.array([[1, 2], [3, 4], [5, 6]])]);
  });
});

describe("golden jaxprs (JAX's current format)", () => {
  it("jaxpr-cond-two-operands-current: closed-over x becomes an operand shared by both branches", () => {
    const f = (x: A) =>
      lax.cond(
        np.greaterEqual(x, 0),
        (xt: A, _: A) => np.add(xt, x),
        (_: A, xf: A) => np.subtract(xf, x),
        np.add(x, 1),
        np.add(x, 2),
      );
    expect(makeJaxpr(f)(f32(3)).toString()).toBe(
      lines(
        "{ lambda ; a:f32[]. let",
        "    b:bool[] = ge a 0.0:f32[]",
        "    c:f32[] = add a 1.0:f32[]",
        "    d:f32[] = add a 2.0:f32[]",
        "    e:i32[] = convert_element_type[new_dtype=int32 weak_type=False] b",
        "    f:f32[] = cond[",
        "      branches=(",
        "        { lambda ; g:f32[] h:f32[] i:f32[]. let j:f32[] = sub i g in (j,) }",
        "        { lambda ; k:f32[] l:f32[] m:f32[]. let n:f32[] = add l k in (n,) }",
        "      )",
        "    ] e a c d",
        "  in (f,) }",
      ),
    );
    expect(val(f(f32(3)))).toEqual([7]);
    expect(val(f(f32(-3)))).toEqual([2]);
  });

  it("jaxpr-switch-one_of_three (no `linear` param)", () => {
    const oneOfThree = (index: A, arg: A | number) =>
      lax.switch(index, [(x: A) => np.add(x, 1), (x: A) => np.subtract(x, 2), (x: A) => np.add(x, 3)], arg);
    expect(makeJaxpr(oneOfThree)(weakInt(1), 5).toString()).toBe(
      lines(
        "{ lambda ; a:i32[] b:f32[]. let",
        "    c:i32[] = convert_element_type[new_dtype=int32 weak_type=False] a",
        "    d:i32[] = clamp 0:i32[] c 2:i32[]",
        "    e:f32[] = cond[",
        "      branches=(",
        "        { lambda ; f:f32[]. let g:f32[] = add f 1.0:f32[] in (g,) }",
        "        { lambda ; h:f32[]. let i:f32[] = sub h 2.0:f32[] in (i,) }",
        "        { lambda ; j:f32[]. let k:f32[] = add j 3.0:f32[] in (k,) }",
        "      )",
        "    ] d b",
        "  in (e,) }",
      ),
    );
    expect(val(oneOfThree(weakInt(1), 5))).toEqual([3]);
  });

  it("jaxpr-cond-func7: bool pred converted to int32, branches ordered (false, true)", () => {
    const func7 = (arg: A | number) =>
      lax.cond(
        np.greaterEqual(arg, 0),
        (xtrue: A) => np.add(xtrue, 3),
        (xfalse: A) => np.subtract(xfalse, 3),
        arg,
      );
    expect(makeJaxpr(func7)(5).toString()).toBe(
      lines(
        "{ lambda ; a:f32[]. let",
        "    b:bool[] = ge a 0.0:f32[]",
        "    c:i32[] = convert_element_type[new_dtype=int32 weak_type=False] b",
        "    d:f32[] = cond[",
        "      branches=(",
        "        { lambda ; e:f32[]. let f:f32[] = sub e 3.0:f32[] in (f,) }",
        "        { lambda ; g:f32[]. let h:f32[] = add g 3.0:f32[] in (h,) }",
        "      )",
        "    ] c a",
        "  in (d,) }",
      ),
    );
  });

  it("jaxpr-scan-func11 (no `_split_transpose` param)", () => {
    const func11 = (arr: A, extra: A | number) => {
      const ones = np.ones(arr.shape);
      const body = (carry: A, aelems: [A, A]) => {
        const [ae1, ae2] = aelems;
        return [np.add(np.add(carry, np.multiply(ae1, ae2)), extra), carry];
      };
      return lax.scan(body, 0, [arr, ones]);
    };
    expect(makeJaxpr(func11)(np.ones(16), 5).toString()).toBe(
      lines(
        "{ lambda ; a:f32[16] b:f32[]. let",
        "    c:f32[16] = broadcast_in_dim[broadcast_dimensions=() shape=(16,)] 1.0:f32[]",
        "    d:f32[] e:f32[16] = scan[",
        "      jaxpr={ lambda ; f:f32[] g:f32[] h:f32[] i:f32[]. let",
        "          j:f32[] = mul h i",
        "          k:f32[] = convert_element_type[new_dtype=float32 weak_type=False] g",
        "          l:f32[] = add k j",
        "          m:f32[] = convert_element_type[new_dtype=float32 weak_type=False] f",
        "          n:f32[] = add l m",
        "        in (n, g) }",
        "      length=16",
        "      linear=(False, False, False, False)",
        "      num_carry=1",
        "      num_consts=1",
        "      reverse=False",
        "      unroll=1",
        "    ] b 0.0:f32[] a c",
        "  in (d, e) }",
      ),
    );
    const [c, ys] = func11(np.arange(4, null, null, { dtype: "float32" }), 5) as A[];
    expect(val(c)).toEqual([26]);
    expect(val(ys)).toEqual([0, 5, 11, 18]);
  });

  it("while prints body_jaxpr, body_nconsts, cond_jaxpr, cond_nconsts", () => {
    const f = (x: A) => (lax.whileLoop((ix: [A, A]) => lax.lt(ix[0], 1000), (ix: [A, A]) => [lax.add(ix[0], 1), np.multiply(ix[1], ix[1])], [weakInt(0), x]) as A[])[1];
    expect(makeJaxpr(f)(np.array([1.1, -1.1])).toString()).toBe(
      lines(
        "{ lambda ; a:f32[2]. let",
        "    _:i32[] b:f32[2] = while[",
        "      body_jaxpr={ lambda ; c:i32[] d:f32[2]. let",
        "          e:i32[] = add c 1:i32[]",
        "          f:f32[2] = mul d d",
        "        in (e, f) }",
        "      body_nconsts=0",
        "      cond_jaxpr={ lambda ; g:i32[] h:f32[2]. let",
        "          i:bool[] = lt g 1000:i32[]",
        "        in (i,) }",
        "      cond_nconsts=0",
        "    ] 0:i32[] a",
        "  in (b,) }",
      ),
    );
  });

  it("cond drops outputs both branches forward from the same operand (current JAX)", () => {
    const f = (p: A, x: A, y: A) => lax.cond(p, (a: A, b: A) => [a, np.multiply(b, 2)], (a: A, b: A) => [a, np.multiply(b, 3)], x, y);
    const text = makeJaxpr(f)(np.array(true), f32(1), f32(2)).toString();
    expect(text).toContain("    e:f32[] = cond[");
    expect(text).toContain("  in (b, e) }");
    const [a, b] = f(np.array(false), f32(1), f32(2)) as A[];
    expect(val(a)).toEqual([1]);
    expect(val(b)).toEqual([6]);
  });
});

describe("autodiff", () => {
  it("grad through cond: each branch's derivative, checked against finite differences", () => {
    const f = (x: A) => lax.cond(lax.gt(x, 0), (y: A) => np.multiply(np.sin(y), y), (y: A) => np.cos(y), x);
    close(val(grad(f)(2)), [Math.cos(2) * 2 + Math.sin(2)]);
    close(val(grad(f)(-2)), [-Math.sin(-2)]);
    close(val(jit(grad(f))(2)), [Math.cos(2) * 2 + Math.sin(2)]);
    checkGrads(f, [np.array(0.7)], { order: 2 });
    checkGrads(f, [np.array(-0.7)], { order: 2 });
  });

  it("grad through switch with branch-specific residuals and a closed-over value", () => {
    const f = (i: A, x: A, w: A) =>
      lax.switch(i, [(y: A) => np.multiply(y, w), (y: A) => np.exp(np.multiply(y, w)), (y: A) => np.sum(np.tanh(np.multiply(np.array([1, 2, 3]), y)))], x);
    for (const i of [0, 1, 2]) {
      const g = (x: A, w: A) => f(np.array(i, { dtype: "int32" }), x, w);
      checkGrads(g, [np.array(0.3), np.array(1.7)], { order: 2 });
    }
    const [gx, gw] = grad((x: A, w: A) => f(np.array(1, { dtype: "int32" }), x, w), { argnums: [0, 1] })(0.5, 2) as A[];
    close(val(gx), [2 * Math.exp(1)]);
    close(val(gw), [0.5 * Math.exp(1)]);
  });

  it("the grad jaxpr has a known cond computing residuals and a transposed cond consuming them", () => {
    const f = (x: A) => lax.cond(lax.gt(x, 0), (y: A) => np.sin(y), (y: A) => np.multiply(y, 3), x);
    const text = makeJaxpr(grad(f))(1).toString();
    expect(text.match(/= cond\[/g)?.length).toBe(2);
    expect(text).toContain("cos");
  });

  it("grad through a scanned RNN matches finite differences (float64), also under jit", () => {
    const rnn = (W: A, h0: A, xs: A) => {
      const [h, hs] = lax.scan(
        (h: A, x: A) => {
          const hn = np.tanh(np.add(np.matmul(W, h), x));
          return [hn, np.sum(hn)];
        },
        h0,
        xs,
      ) as A[];
      return np.add(np.sum(h), np.sum(hs));
    };
    const W = np.array([[0.1, 0.2], [-0.3, 0.4]]);
    const h0 = np.array([0.5, -0.5]);
    const xs = np.array([[0.1, 0.2], [0.3, -0.1], [0.0, 0.5]]);
    checkGrads(rnn, [W, h0, xs], { order: 2 });
    const g = grad(rnn, { argnums: [0, 1, 2] });
    const eager = g(W, h0, xs) as A[];
    const jitted = jit(g)(W, h0, xs) as A[];
    eager.forEach((e, i) => close(val(e), val(jitted[i])));
  });

  it("grad through reverse scans, scans without xs, fori_loop with static bounds, and lax.map", () => {
    const rev = (x: A, xs: A) => np.sum((lax.scan((c: A, y: A) => [np.multiply(np.sin(c), y), np.multiply(c, c)], x, xs, { reverse: true }) as A[])[1]);
    checkGrads(rev, [np.array(0.4), np.array([1.1, 0.9, 1.3])], { order: 2 });
    const noXs = (x: A) => (lax.scan((c: A) => [np.multiply(c, 1.1), c], x, null, { length: 3 }) as A[])[0];
    close(val(grad(noXs)(2)), [1.1 ** 3]);
    const fori = (x: A) => lax.foriLoop(0, 4, (i: A, c: A) => np.add(np.multiply(c, x), i), x);
    checkGrads(fori, [np.array(0.8)], { order: 2 });
    const m = (x: A) => np.sum(lax.map((r: A) => np.prod(r), x));
    checkGrads(m, [np.array([[1.0, 2.0], [0.5, 3.0]])]);
  });

  it("grad through cond nested in scan nested in jit", () => {
    const f = jit((x: A, xs: A) => {
      const [c] = lax.scan((c: A, y: A) => [lax.cond(lax.gt(y, 0), (u: A) => np.multiply(u, y), (u: A) => np.sin(u), c), null], x, xs) as A[];
      return c;
    });
    checkGrads(f, [np.array(0.9), np.array([1.5, -1.0, 2.0, -0.5])], { order: 2 });
  });

  it("jvp of while is forward-mode (JAX's _while_loop_jvp); linearize works", () => {
    const w = (x: A) => lax.whileLoop((c: [A, A]) => lax.lt(c[1], 10), (c: [A, A]) => [np.multiply(c[0], 2), np.add(c[1], 1)], [x, 0]);
    const [p, t] = jvp(w, [f32(3)], [f32(1)]) as [A[], A[]];
    expect(val(p[0])).toEqual([3072]);
    expect(val(t[0])).toEqual([1024]);
    expect(val(t[1])).toEqual([0]);
    const [, flin] = linearize((x: A) => (w(x) as A[])[0], f32(3));
    expect(val(flin(f32(2)))).toEqual([2048]);
    const sq = (x: A) => lax.whileLoop((c: A) => lax.lt(c, 100), (c: A) => np.multiply(c, c), x);
    const [, ts] = jvp(jit(sq), [f32(2)], [f32(1)]) as A[];
    // 2 -> 4 -> 16 -> 256: d/dx x^8 = 8 x^7
    expect(val(ts)).toEqual([8 * 2 ** 7]);
    const fori = (lo: A, x: A) => lax.foriLoop(lo, 3, (_i: A, c: A) => np.sin(c), x);
    const [, tf] = jvp((x: A) => jit(fori)(np.array(0, { dtype: "int32" }), x), [f32(0.5)], [f32(1)]) as A[];
    close(val(tf), [Math.cos(0.5) * Math.cos(Math.sin(0.5)) * Math.cos(Math.sin(Math.sin(0.5)))]);
  });

  it("reverse mode through while raises JAX's error", () => {
    const msg =
      "Reverse-mode differentiation does not work for lax.while_loop or lax.fori_loop with dynamic start/stop values. Try using lax.scan, or using fori_loop with static start/stop.";
    const w = (x: A) => lax.whileLoop((c: A) => lax.lt(c, 10), (c: A) => np.multiply(c, 2), x);
    expect(() => grad(w)(f32(1))).toThrow(msg);
    const dyn = jit((n: A, x: A) => lax.foriLoop(0, n, (_i: A, c: A) => np.sin(c), x));
    expect(() => grad((x: A) => dyn(np.array(3, { dtype: "int32" }), x))(f32(1))).toThrow(msg);
  });

  it("vmap of grad and grad of vmap through cond with a batched predicate", () => {
    const f = (x: A) => lax.cond(lax.gt(x, 0), (y: A) => np.multiply(y, y), (y: A) => np.sin(y), x);
    const xs = np.array([-1, 2, -0.5, 3]);
    const want = [Math.cos(-1), 4, Math.cos(-0.5), 6];
    close(val(vmap(grad(f))(xs)), want);
    close(val(grad((v: A) => np.sum(vmap(f)(v)))(xs)), want);
  });
});

describe("vmap", () => {
  it("cond with a batched predicate becomes a select of both branches", () => {
    const f = (x: A) => lax.cond(lax.gt(x, 0), (y: A) => np.multiply(y, 2), (y: A) => np.negative(y), x);
    expect(val(vmap(f)(np.array([-1, 2, -3, 4])))).toEqual([1, 4, 3, 8]);
    const text = makeJaxpr(vmap(f))(np.array([-1, 2, -3, 4])).toString();
    expect(text).not.toContain("cond[");
    expect(text).toContain("select_n");
  });

  it("cond with an unbatched predicate stays a cond over batched operands", () => {
    const g = (p: A, x: A) => lax.cond(p, (y: A) => np.multiply(y, 2), () => f32(0), x);
    expect(val(vmap(g, { inAxes: [null, 0] })(np.array(true), np.array([-1, 2, -3, 4])))).toEqual([-2, 4, -6, 8]);
    expect(val(vmap(g, { inAxes: [null, 0] })(np.array(false), np.array([-1, 2])))).toEqual([0, 0]);
    expect(makeJaxpr(vmap(g, { inAxes: [null, 0] }))(np.array(true), np.array([1, 2])).toString()).toContain("cond[");
  });

  it("switch with a batched index", () => {
    const f = (i: A, x: A) => lax.switch(i, [(y: A) => np.add(y, 1), (y: A) => np.multiply(y, 10), (y: A) => np.negative(y)], x);
    expect(val(vmap(f)(np.array([0, 1, 2, 5], { dtype: "int32" }), np.array([1, 2, 3, 4])))).toEqual([2, 20, -3, -4]);
  });

  it("while with a batched predicate runs until every element is done", () => {
    const f = (n: A) => lax.whileLoop((c: [A, A]) => lax.lt(c[0], n), (c: [A, A]) => [np.add(c[0], 1), np.multiply(c[1], 2)], [0, 1]);
    const [i, p] = vmap(f)(np.array([1, 3, 0, 5])) as A[];
    expect(val(i)).toEqual([1, 3, 0, 5]);
    expect(val(p)).toEqual([2, 8, 1, 32]);
    const [, pj] = jit(vmap(f))(np.array([2, 0])) as A[];
    expect(val(pj)).toEqual([4, 1]);
    // Unbatched predicate, batched carry.
    const g = (x: A) => lax.whileLoop((c: [A, A]) => lax.lt(c[0], 3), (c: [A, A]) => [np.add(c[0], 1), np.multiply(c[1], 2)], [0, x]);
    expect(val((vmap(g)(np.array([1, 5])) as A[])[1])).toEqual([8, 40]);
  });

  it("scan over batched xs, batched init, and a non-leading batch axis", () => {
    const cs = (c0: A, xs: A) => lax.scan((c: A, x: A) => [np.add(c, x), np.multiply(c, x)], c0, xs);
    const xs = np.array([[1, 2, 3], [4, 5, 6]]);
    const [c, ys] = vmap(cs, { inAxes: [null, 0] })(f32(0), xs) as A[];
    expect(val(c)).toEqual([6, 15]);
    expect(val(ys)).toEqual([0, 2, 9, 0, 20, 54]);
    const [c2, ys2] = vmap(cs, { inAxes: [null, 1] })(f32(0), xs) as A[];
    expect(val(c2)).toEqual([5, 7, 9]);
    expect(ys2.shape).toEqual([3, 2]);
    expect(val(ys2)).toEqual([0, 4, 0, 10, 0, 18]);
    const [c3, ys3] = vmap(cs, { inAxes: [0, null] })(np.array([1, 10]), np.array([1, 2])) as A[];
    expect(val(c3)).toEqual([4, 13]);
    expect(val(ys3)).toEqual([1, 4, 10, 22]);
    const [c4] = jit(vmap(cs, { inAxes: [0, 0] }))(np.array([1, 10]), xs) as A[];
    expect(val(c4)).toEqual([7, 25]);
  });
});

describe("errors (JAX's wording)", () => {
  it("mismatched branch outputs", () => {
    const x = np.ones([3]);
    expect(() => lax.cond(true, (v: A) => v, (v: A) => lax.slice(v, [0], [2]), x)).toThrow(
      "true_fun and false_fun output must have identical types, got\nDIFFERENT ShapedArray(float32[3]) vs. ShapedArray(float32[2]).",
    );
    expect(() => lax.cond(true, (v: A) => [v, v], (v: A) => v, x)).toThrow(
      "true_fun and false_fun output must have same type structure, got PyTreeDef([*, *]) and PyTreeDef(*).",
    );
    expect(() => lax.cond(true, (v: A) => [v, v], (v: A) => [v, lax.convertElementType(v, "int32")], x)).toThrow(
      "true_fun and false_fun output must have identical types, got\n['ShapedArray(float32[3])', 'DIFFERENT ShapedArray(float32[3]) vs. ShapedArray(int32[3])'].",
    );
    expect(() => lax.switch(0, [(v: A) => v, (v: A) => np.sum(v)], x)).toThrow("branch 0 and 1 outputs must have identical types, got\nDIFFERENT ShapedArray(float32[3]) vs. ShapedArray(float32[]).");
    expect(() => lax.cond(np.array([true, false]), (v: A) => v, (v: A) => v, x)).toThrow("Pred must be a scalar, got [ True False] of shape (2,).");
    expect(() => lax.switch(1.5, [(v: A) => v, (v: A) => v], x)).toThrow("Index type must be an integer, got 1.5 as float32");
    expect(() => lax.switch(0, [], x)).toThrow("Empty branch sequence");
  });

  it("while_loop carry and predicate types", () => {
    expect(() => lax.whileLoop(() => true, () => true, f32(0))).toThrow(
      "body_fun output and input must have identical types, got\nDIFFERENT ShapedArray(bool[]) vs. ShapedArray(float32[]).",
    );
    expect(() => lax.whileLoop(() => true, (c: A) => [c, c], f32(0))).toThrow("body_fun output and input must have same type structure, got PyTreeDef([*, *]) and PyTreeDef(*).");
    expect(() => lax.whileLoop(() => f32(1), (c: A) => c, f32(0))).toThrow("cond_fun must return a boolean scalar, but got output type(s) [ShapedArray(float32[])].");
    expect(() => lax.whileLoop(() => [true, true], (c: A) => c, f32(0))).toThrow("cond_fun must return a boolean scalar, but got pytree PyTreeDef([*, *]).");
    // A weak initial value adopts the body's type, as in JAX.
    expect(lax.whileLoop((c: A) => lax.lt(c, 3), (c: A) => np.add(c, f32(1)), 0).weakType).toBe(false);
  });

  it("scan argument and carry errors", () => {
    expect(() => lax.scan((c: A, x: A) => [c, x], f32(0), null)).toThrow("scan got no values to scan over and `length` not provided.");
    expect(() => lax.scan((c: A, x: A[]) => [c, x], f32(0), [np.ones([3]), np.ones([4])])).toThrow("scan got values with different leading axis sizes: 3, 4.");
    expect(() => lax.scan((c: A, x: A) => [c, x], f32(0), np.ones([3]), { length: 5 })).toThrow("scan got `length` argument of 5 which disagrees with leading axis sizes [3].");
    expect(() => lax.scan((c: A, x: A) => [c, x], f32(0), f32(1))).toThrow("scan got value with no leading axis to scan over");
    expect(() => lax.scan((c: A, x: A) => [lax.convertElementType(c, "int32"), x], f32(0), np.ones([3]))).toThrow(
      "scan carry output and input must have identical types, got\nDIFFERENT ShapedArray(int32[]) vs. ShapedArray(float32[]).",
    );
    expect(() => lax.scan((c: A) => c, f32(0), np.ones([3]))).toThrow("scan body output must be a pair");
    expect(() => lax.scan((c: A, x: A) => [c, x], f32(0), np.ones([3]), { unroll: 0 })).toThrow("`unroll` must be a `bool` or a positive `int`.");
  });

  it("fori_loop with traced bounds cannot unroll", () => {
    const f = jit((n: A) => lax.foriLoop(0, n, (_i: A, c: A) => c, f32(0), { unroll: 2 }));
    expect(() => f(np.array(3, { dtype: "int32" }))).toThrow("Can only use `unroll` in `fori_loop` if the loop bounds are statically known.");
  });
});

describe("conformance cases (shared/conformance/jax-cases.json)", () => {
  it("control-while_loop-weak: a weak int carry stays weak", () => {
    const r = lax.whileLoop((x: A) => lax.lt(x, 10), (x: A) => lax.add(x, 1), weakInt(0)) as ArrayImpl;
    expect(r.repr()).toBe("Array(10, dtype=int32, weak_type=True)");
  });

  it("control-fori_loop-sum", () => {
    const r = lax.foriLoop(0, 10, (i: A, x: A) => np.add(x, i), weakInt(0)) as ArrayImpl;
    expect(r.repr()).toBe("Array(45, dtype=int32, weak_type=True)");
  });

  it("control-fori_loop-iterator-gotcha: the body is traced once", () => {
    const array = np.arange(10);
    expect(String(lax.foriLoop(0, 10, (i: A, x: A) => np.add(x, np.index(array, i)), weakInt(0)))).toBe("45");
    const iterator = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9][Symbol.iterator]();
    expect(String(lax.foriLoop(0, 10, (_i: A, x: A) => np.add(x, weakInt(iterator.next().value as number)), weakInt(0)))).toBe("0");
    const func11 = (arr: A, extra: A | number) => {
      const ones = np.ones(arr.shape);
      return lax.scan((carry: A, [ae1, ae2]: [A, A]) => [np.add(np.add(carry, np.multiply(ae1, ae2)), extra), carry], 0, [arr, ones]);
    };
    expect(makeJaxpr(func11)(np.arange(16), 5).toString()).toContain("scan[");
    expect(val(lax.cond(true, (x: A) => np.add(x, 1), (x: A) => np.subtract(x, 1), np.array([0])))).toEqual([1]);
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const fixedPointLoop = (f: (a: any, x: A) => A, a: any, xGuess: A) => {
    const condFun = ([xPrev, x]: [A, A]) => np.greater(np.abs(np.subtract(xPrev, x)), 1e-6);
    const bodyFun = ([, x]: [A, A]) => [x, f(a, x)];
    const [, xStar] = lax.whileLoop(condFun, bodyFun, [xGuess, f(a, xGuess)]) as A[];
    return xStar;
  };
  const update = (a: A, x: A) => np.multiply(0.5, np.add(x, np.divide(a, x)));

  it("while_loop-fixed-point-newton-sqrt", () => {
    const newtonSqrt = (a: A) => fixedPointLoop(update, a, a);
    expect(String(newtonSqrt(2 as unknown as A))).toBe("1.4142135");
    // JAX prints [1. 1.4142135 1.7320508 2.]; float32 arithmetic rounded after every op (numpy's
    // float32 too) stops this iteration at 1.7320509 for a=3, one ulp away (XLA rewrites the division).
    const r = jit(vmap(newtonSqrt))(np.array([1, 2, 3, 4]));
    close(val(r), [1, 1.4142135, 1.7320508, 2], 2e-7);
    expect(String(r)).toBe("[1.        1.4142135 1.7320509 2.       ]");
  });

  it("custom_vjp-fixed-point-implicit-grad", () => {
    const fixedPoint = customVjp(fixedPointLoop, { nondiffArgnums: [0] });
    const revIter = (f: (a: A, x: A) => A, packed: [A, A, A], u: A) => {
      const [a, xStar, xStarBar] = packed;
      const [, vjpX] = vjp((x: A) => f(a, x), xStar);
      return np.add(xStarBar, vjpX(u)[0] as A);
    };
    fixedPoint.defvjp(
      (f: (a: A, x: A) => A, a: A, xInit: A) => {
        const xStar = fixedPoint(f, a, xInit);
        return [xStar, [a, xStar]];
      },
      (f: (a: A, x: A) => A, res: [A, A], xStarBar: A) => {
        const [a, xStar] = res;
        const [, vjpA] = vjp((aa: A) => f(aa, xStar), a);
        const [aBar] = vjpA(fixedPoint((p: [A, A, A], u: A) => revIter(f, p, u), [a, xStar, xStarBar], xStarBar));
        return [aBar, np.zerosLike(xStar)];
      },
    );
    const newtonSqrt = (a: A) => fixedPoint(update, a, a);
    expect(String(newtonSqrt(2 as unknown as A))).toBe("1.4142135");
    close(val(grad(newtonSqrt)(2)), [0.35355335], 1e-6);
    close(val(grad(grad(newtonSqrt))(2)), [-0.088388346], 1e-5);
    close(val(grad(np.sqrt)(2)), [0.35355338], 1e-7);
  });
});
