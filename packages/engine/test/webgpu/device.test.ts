// The WebGPU device as a user meets it: adapter info and devices(), synchronous reads through
// the GPU worker (and the error that names `await x.data()` where the device lives in this
// thread), captured device errors, clear errors after the device is lost or destroyed, for
// unsupported primitives and dtypes, and buffer release.
import { describe, expect, it } from "vitest";
import { ShapedArray } from "../../src/core/aval.js";
import type { PrimitiveName } from "../../src/core/primitives.js";
import { createWebGpuBackend } from "../../src/backend/webgpu/device.js";
import { acquireGpu } from "./harness.js";

const gpu = await acquireGpu();
const f32 = (shape: number[]) => new ShapedArray(shape, "float32");

describe.skipIf(!gpu)("WebGPU device", () => {
  const g = gpu!;

  it("reports its adapter and limits", () => {
    const a = g.client.adapter;
    expect(a.limits.maxStorageBuffersPerShaderStage).toBeGreaterThanOrEqual(8);
    expect(String(g.devices[0])).toMatch(/^WebGpuDevice\(id=0, adapter=".+"\)$/);
    expect(g.platform).toBe("webgpu");
  });

  it("reads computed arrays synchronously and asynchronously", async () => {
    const x = g.upload({ shape: [4], dtype: "float32", data: new Float32Array([1, 2, 3, 4]) });
    const [y] = g.executePrimitive("mul", [x, x], {}, [f32([4])]);
    expect(Array.from(g.readSync(y, f32([4])))).toEqual([1, 4, 9, 16]);
    expect(Array.from(await g.read(y, f32([4])))).toEqual([1, 4, 9, 16]);
    const [b] = g.executePrimitive("gt", [y, x], {}, [new ShapedArray([4], "bool")]);
    expect(Array.from(g.readSync(b, new ShapedArray([4], "bool")))).toEqual([0, 1, 1, 1]);
    g.free(x);
    g.free(y);
    g.free(b);
  });

  it("raises a clear error for primitives and dtypes it does not support yet", () => {
    const x = g.upload({ shape: [3], dtype: "float32", data: new Float32Array(3) });
    // Every primitive of the set has a rule now; the message is the lowering table's for unknown names.
    expect(() => g.executePrimitive("no_such_primitive" as PrimitiveName, [x], {} as never, [f32([3])])).toThrow(
      /WebGPU backend does not support the primitive 'no_such_primitive' yet/,
    );
    expect(() => g.upload({ shape: [2], dtype: "float64", data: new Float64Array(2) })).toThrow(/does not support dtype float64/);
    g.free(x);
  });

  it("captures device errors (uncapturederror / error scopes) instead of failing silently", async () => {
    const other = await createWebGpuBackend();
    try {
      other.client.send({ op: "pipeline", pid: 999, code: "this is not WGSL", label: "broken" });
      await other.synchronize();
      expect(other.uncapturedErrors.join("\n")).toMatch(/broken|WGSL|parse/i);
    } finally {
      other.destroy();
    }
  });

  it("raises a clear error once the device is gone", async () => {
    const other = await createWebGpuBackend();
    const x = other.upload({ shape: [2], dtype: "float32", data: new Float32Array(2) });
    other.destroy();
    expect(() => other.executePrimitive("neg", [x], {}, [f32([2])])).toThrow(/WebGPU backend: .*(destroyed|lost)/);
  });

  it("in direct mode, synchronous reads of computed arrays point to `await x.data()`", async () => {
    const direct = await createWebGpuBackend({ mode: "direct" });
    try {
      const x = direct.upload({ shape: [2], dtype: "float32", data: new Float32Array([1, 2]) });
      expect(Array.from(direct.readSync(x, f32([2])))).toEqual([1, 2]); // small uploads keep a host copy
      const [y] = direct.executePrimitive("neg", [x], {}, [f32([2])]);
      expect(() => direct.readSync(y, f32([2]))).toThrow(/await x\.data\(\)/);
      expect(Array.from(await direct.read(y, f32([2])))).toEqual([-1, -2]);
      await direct.synchronize();
      expect(direct.uncapturedErrors).toEqual([]);
    } finally {
      direct.destroy();
    }
  });
});
