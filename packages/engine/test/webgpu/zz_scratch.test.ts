import { test, expect } from "vitest";
import { createWebGpuBackend } from "../../src/backend/webgpu/device.js";
import { CpuBackend } from "../../src/backend/cpu/cpu_backend.js";
import { ShapedArray } from "../../src/core/aval.js";

test("scratch", async () => {
  const t0 = performance.now();
  const be = await createWebGpuBackend();
  console.log("started", performance.now() - t0, be.devices.map(String));
  const a = be.upload({ shape: [3], dtype: "float32", data: new Float32Array([1, 2, 3]) });
  const b = be.upload({ shape: [3], dtype: "float32", data: new Float32Array([10, 20, 30]) });
  const av = new ShapedArray([3], "float32");
  const [c] = be.executePrimitive("add", [a, b], {}, [av]);
  const [d] = be.executePrimitive("exp", [c], {}, [av]);
  console.log(await be.read(c, av), be.readSync(d, av));
  console.log([...be.shaders.values()].join("\n-----\n"));
  await be.synchronize();
  expect(be.uncapturedErrors).toEqual([]);
  be.destroy();
});
