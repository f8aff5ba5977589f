import { it } from "vitest";
import { numpy as np, lax, vmap, makeJaxpr, jit } from "../src/index.js";
it("probe", () => {
  try { console.log(makeJaxpr(vmap((x: any, y: any) => lax.add(x, y), { inAxes: [0, null] }))(np.ones([2, 3]), np.ones([3])).toString()); } catch (e) { console.log("ERR2", String(e)); }
  try { const r = jit(vmap((x: any, y: any) => lax.add(x, y), { inAxes: [0, null] }))(np.ones([2, 3]), np.ones([3])); console.log("ok5", (r as any).dataSync()); } catch (e) { console.log("ERR5", String(e)); }
  try { const r = vmap((x: any, y: any) => lax.add(x, y), { inAxes: [0, null] })(np.ones([2, 3]), np.array(1)); console.log("ok6", (r as any).dataSync()); } catch (e) { console.log("ERR6", String(e)); }
});
