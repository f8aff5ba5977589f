// timeit: IPython's %timeit format and loop schedule, waiting for the device in every loop.
import { describe, expect, it } from "vitest";
import { formatG, formatTime, timeit, TimeitResult } from "../src/index.js";
import { newKernel, run } from "./helpers.js";

/** A fake clock: each call of the timed function costs `cost(i)` seconds. */
function fakeClock(cost: (call: number) => number) {
  let now = 0;
  let calls = 0;
  let blocked = 0;
  const printed: string[] = [];
  const fn = () => {
    now += cost(calls++);
    return { result: calls };
  };
  const deps = {
    now: () => now,
    blockUntilReady: async (v: unknown) => {
      blocked++;
      return v;
    },
    print: (line: string) => printed.push(line),
    check: () => {},
  };
  return { fn, deps, printed, stats: () => ({ calls, blocked }) };
}

describe("IPython's number formatting", () => {
  it.each([
    [5.12e-5, "51.2 µs"],
    [1.47e-6, "1.47 µs"],
    [0.5, "500 ms"],
    [0.0123456, "12.3 ms"],
    [2, "2 s"],
    [59.9, "59.9 s"],
    [61, "1min 1s"],
    [3725, "1h 2min 5s"],
    [1e-10, "0.1 ns"],
    [0, "0 ns"],
    [999.96e-6, "1e+03 µs"],
    [1e-3, "1 ms"],
  ])("formatTime(%d) = %s", (t, s) => {
    expect(formatTime(t)).toBe(s);
  });

  it("%g", () => {
    expect([formatG(51.234, 3), formatG(100, 3), formatG(0.000012345, 3), formatG(123456, 3), formatG(1.5, 3)]).toEqual(["51.2", "100", "1.23e-05", "1.23e+05", "1.5"]);
  });

  it("the result line", () => {
    const runs = [0.512, 0.5, 0.53, 0.51, 0.52, 0.49, 0.52].map((t) => t / 10);
    expect(String(new TimeitResult(10_000, 7, runs.map((t) => t * 10_000 / 10_000), 0))).toMatch(
      /^\d+(\.\d+)? µs ± \d+(\.\d+)? (µ|n)s per loop \(mean ± std\. dev\. of 7 runs, 10,000 loops each\)$/,
    );
    expect(String(new TimeitResult(1, 1, [2.5], 0))).toBe("2.5 s ± 0 ns per loop (mean ± std. dev. of 1 run, 1 loop each)");
    const r = new TimeitResult(100, 7, [5.12e-3, 5.0e-3, 5.3e-3, 5.1e-3, 5.2e-3, 4.9e-3, 5.2e-3], 0.25);
    expect(r.average).toBeCloseTo(5.1171428e-5, 10);
    expect(r.stdev).toBeCloseTo(1.2440881e-6, 12);
    expect(String(r)).toBe("51.2 µs ± 1.24 µs per loop (mean ± std. dev. of 7 runs, 100 loops each)");
  });
});

describe("the loop schedule", () => {
  it("grows loops 1, 10, 100, … until a run takes at least 0.2 s, then makes 7 runs", async () => {
    const clock = fakeClock(() => 1 / 256); // exact in binary, so the runs are exactly equal
    const result = await timeit(clock.fn, {}, clock.deps);
    expect(result.loops).toBe(100);
    expect(result.repeat).toBe(7);
    // first call + 1 + 10 + 100 while growing + 7 × 100.
    expect(clock.stats()).toEqual({ calls: 1 + 111 + 700, blocked: 1 + 111 + 700 });
    expect(clock.printed).toEqual(["3.91 ms ± 0 ns per loop (mean ± std. dev. of 7 runs, 100 loops each)", "Compile time (first call): 3.91 ms"]);
  });

  it("reports the first call (compilation) separately", async () => {
    const clock = fakeClock((i) => (i === 0 ? 1.5 : 0.25));
    const result = await timeit(clock.fn, {}, clock.deps);
    expect(result.compileTime).toBe(1.5);
    expect(result.loops).toBe(1);
    expect(clock.printed).toEqual(["250 ms ± 0 ns per loop (mean ± std. dev. of 7 runs, 1 loop each)", "Compile time (first call): 1.5 s"]);
  });

  it("warns, as IPython does, when the slowest run is much slower than the fastest", async () => {
    const clock = fakeClock((i) => (i === 5 ? 0.5 : 0.01));
    await timeit(clock.fn, { number: 1, repeat: 7 }, clock.deps);
    expect(clock.printed[0]).toBe("The slowest run took 50.00 times longer than the fastest. This could mean that an intermediate result is being cached.");
  });

  it("honours number, repeat and quiet", async () => {
    const clock = fakeClock(() => 0.001);
    const result = await timeit(clock.fn, { number: 3, repeat: 2, quiet: true }, clock.deps);
    expect([result.loops, result.repeat, result.allRuns.length]).toEqual([3, 2, 2]);
    expect(clock.printed).toEqual([]);
  });
});

describe("timeit in a cell", () => {
  it("prints IPython's line, waits for async functions and arrays, and shows no value of its own", async () => {
    const k = newKernel();
    const r = await run(
      k,
      'import { numpy as np } from "@kiln/engine";\nconst x = np.ones([64, 64]);\nawait timeit(() => np.matmul(x, x), { number: 5, repeat: 3 })',
    );
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines.at(-2)).toMatch(/^\d+(\.\d+)? (ns|µs|ms|s) ± \d+(\.\d+)? (ns|µs|ms|s) per loop \(mean ± std\. dev\. of 3 runs, 5 loops each\)$/);
    expect(lines.at(-1)).toMatch(/^Compile time \(first call\): \d+(\.\d+)? (ns|µs|ms|s)$/);
    expect(r.value).toBeUndefined();
    const asyncRun = await run(k, "let calls = 0;\nconst res = await timeit(async () => { calls++; await new Promise((r) => setTimeout(r, 1)); }, { number: 2, repeat: 2, quiet: true });\n[calls, res.loops]");
    expect(asyncRun.value).toBe("[ 5, 2 ]");
    const quiet = await run(k, "await timeit(() => 1, { number: 1, repeat: 2, quiet: true })");
    expect(quiet.stdout).toBe("");
    expect(quiet.value).toMatch(/^\d+(\.\d+)? (ns|µs|ms) ± .* per loop \(mean ± std\. dev\. of 2 runs, 1 loop each\)$/);
  });
});
